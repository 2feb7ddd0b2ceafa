"""`ground play` in a real terminal (tmux): the status line, keys, Ctrl-C, terminal restored."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.tmux import Tmux, ground_in_tmux, needs_tmux

pytestmark = needs_tmux


@pytest.fixture
def tmux(tmp_path: Path, ground_home: Path) -> Iterator[tuple[Tmux, Path]]:
    with ground_in_tmux(tmp_path, ground_home, "play box --engine none", (100, 30)) as session:
        yield session


def test_status_line_keys_and_ctrl_c(tmux: tuple[Tmux, Path]) -> None:
    term, folder = tmux
    screen = term.wait_for(lambda s: "left" in s and "▕" in s)
    assert "space pause" in screen  # the key hint
    assert "Traceback" not in screen
    term.keys("space")
    term.wait_for(lambda s: "paused — press space to continue" in s)
    frozen = term.wait_for(lambda s: s.rstrip().splitlines()[-1].lstrip().startswith("paused"))
    status = frozen.rstrip().splitlines()[-1]
    threading.Event().wait(1.2)  # a paused clock must not move: compare a second later
    assert term.screen().rstrip().splitlines()[-1] == status
    term.keys("space")
    term.wait_for(lambda s: "(resumed)" in s)
    term.keys("s")  # skip the introduction: the breathing block starts
    term.wait_for(lambda s: "breathe in" in s or "hold" in s)
    term.keys("C-c")
    term.wait_for(lambda s: "Stopped." in s)
    term.wait_for(lambda s: (folder / "after").exists())
    assert (folder / "rc").read_text().strip() == "130"
    assert (folder / "before").read_text() == (folder / "after").read_text()


def test_q_stops_gently(tmux: tuple[Tmux, Path]) -> None:
    term, folder = tmux
    term.wait_for(lambda s: "left" in s)
    term.keys("q")
    screen = term.wait_for(lambda s: "Stopped after" in s)
    assert "That counts too." in screen
    term.wait_for(lambda s: (folder / "after").exists())
    assert (folder / "rc").read_text().strip() == "0"
    assert (folder / "before").read_text() == (folder / "after").read_text()


def test_a_closed_terminal_logs_the_time_practised(tmp_path: Path, ground_home: Path) -> None:
    """Closing the terminal (SIGHUP) stops the session like Ctrl-C: the time heard is kept."""
    from assistant.storage.log import Ending, PracticeLog

    with ground_in_tmux(tmp_path, ground_home, "play box --engine none", (100, 30)) as (term, _):
        first = term.wait_for(lambda s: " left" in s).rstrip().splitlines()[-1]
        term.wait_for(lambda s: s.rstrip().splitlines()[-1][-9:] != first[-9:])  # time passed
        term.run("kill-session", "-t", term.name)
    ended = threading.Event()
    for _ in range(100):
        with PracticeLog.open() as log:
            entries = log.entries()
        if entries and entries[0].ended_at is not None:
            break
        ended.wait(0.1)
    (entry,) = entries
    assert entry.outcome is Ending.STOPPED_EARLY, entry
    assert entry.practised_seconds > 0  # not the 0 s of a row never finished
