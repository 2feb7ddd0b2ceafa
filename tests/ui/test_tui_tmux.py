"""`ground` for real in tmux: start a session with keys, read the pacer and caption, quit."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.helpers.tmux import ground_in_tmux, needs_tmux

pytestmark = needs_tmux  # tmux, and slow


@pytest.fixture
def tui(tmp_path: Path, ground_home: Path):  # type: ignore[no-untyped-def]
    with ground_in_tmux(tmp_path, ground_home, "", (80, 24)) as session:
        yield session


def test_a_session_from_the_keyboard(tui) -> None:  # type: ignore[no-untyped-def]
    term, folder = tui
    term.wait_for(lambda s: "Type to filter" in s and "Box breathing" in s)
    term.keys("b", "o", "x", "Enter")
    term.wait_for(lambda s: "how tense do you feel" in s)
    term.keys("Escape")  # Esc goes back: nothing starts
    term.wait_for(lambda s: "how tense do you feel" not in s and "Length:" in s)
    term.keys("Enter")
    term.wait_for(lambda s: "how tense do you feel" in s)
    term.keys("Enter")  # no number: it starts without one
    screen = term.wait_for(lambda s: "pregnant" in s)  # holds not chosen yet: asked once
    assert "Breath holds" in screen and "Esc: not now" in screen
    term.keys("Escape")  # not now: no holds this time, nothing saved
    screen = term.wait_for(lambda s: "Box breathing" in s and "Welcome" in s)  # first caption
    assert "left" in screen  # the progress line

    def breathing(s: str) -> bool:
        return any(label in s for label in ("breathe in ·", "hold ·", "breathe out ·", "rest ·"))

    for _ in range(8):  # skip the introduction, one step at a time, until the breathing
        if breathing(term.screen()):
            break
        term.keys("Right")
        threading.Event().wait(0.4)
    screen = term.wait_for(breathing)
    assert "▔▔▔▔" in screen  # the pacer's ground line
    assert any(ch in screen for ch in "▁▂▃▄▅▆▇█")  # and its shape
    assert "Traceback" not in screen
    term.keys("q")
    screen = term.wait_for(lambda s: "End this session?" in s or "How tense do you feel now" in s)
    if "End this session?" in screen:  # more than ten seconds in: it asks first
        term.keys("Enter")
    term.wait_for(lambda s: "How tense do you feel now" in s)
    term.keys("Escape")
    term.wait_for(lambda s: "Length:" in s and "f2 Now" in s)  # back home
    term.keys("C-q")
    term.wait_for(lambda s: (folder / "after").exists())
    assert (folder / "rc").read_text().strip() == "0"
    assert (folder / "before").read_text() == (folder / "after").read_text()
    screen = term.screen()
    assert "Traceback" not in screen


@pytest.mark.parametrize("in_session", [False, True])
def test_a_closed_terminal_ends_the_app_quietly(
    tmp_path: Path, ground_home: Path, in_session: bool
) -> None:
    """SIGHUP with the app open (the terminal's window closed): no traceback saved as the
    last error (the dead terminal's EIO while closing), and a session playing is logged as
    stopped early with the time practised."""
    from assistant.storage.log import Ending, PracticeLog

    with ground_in_tmux(tmp_path, ground_home, "", (80, 24)) as (term, _):
        term.wait_for(lambda s: "Type to filter" in s)
        if in_session:
            term.keys("F2")
            first = term.wait_for(lambda s: " left" in s)
            clock = next(line for line in first.splitlines() if " left" in line)
            term.wait_for(lambda s: clock not in s)  # time passed
        term.run("kill-session", "-t", term.name)
    ended = threading.Event()
    entries: list[object] = []
    for _ in range(100):  # the process ends on its own after the hang-up
        with PracticeLog.open() as log:
            entries = list(log.entries())
        done = all(e.ended_at is not None for e in entries)
        if (entries or not in_session) and done and not _running(ground_home):
            break
        ended.wait(0.1)
    assert not (ground_home / "cache" / "last-error.txt").exists(), (
        ground_home / "cache" / "last-error.txt"
    ).read_text()
    if in_session:
        (entry,) = entries
        assert entry.outcome is Ending.STOPPED_EARLY, entry
        assert entry.practised_seconds > 0
    else:
        assert entries == []


def _running(home: Path) -> bool:
    """Whether a `python -m assistant` with this GROUND_HOME still runs (read from /proc)."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes()
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if b"assistant" in cmdline and f"GROUND_HOME={home}".encode() in environ:
            return True
    return False
