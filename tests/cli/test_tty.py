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
    # --holds: the holds question (asked on a terminal until chosen) has its own tests below.
    args = "play box --engine none --holds"
    with ground_in_tmux(tmp_path, ground_home, args, (100, 30)) as session:
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

    args = "play box --engine none --holds"
    with ground_in_tmux(tmp_path, ground_home, args, (100, 30)) as (term, _):
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


# -- the holds question (#19) ----------------------------------------------------------------------


def test_the_holds_question_is_asked_once_and_y_keeps_the_choice(
    tmp_path: Path, ground_home: Path
) -> None:
    from assistant.storage.settings import load_settings

    with ground_in_tmux(tmp_path, ground_home, "play box --engine none", (80, 24)) as (term, _):
        screen = term.wait_for(lambda s: "Your choice:" in s)
        for words in ("asthma", "high blood pressure", "pregnant", "panic attacks", "Esc"):
            assert words in screen
        assert " left" not in screen  # nothing plays before the answer
        term.keys("y")
        screen = term.wait_for(lambda s: "Welcome" in s)
        assert "Holds are on." in screen
        assert "with the holds you've chosen" in screen
        assert "This pattern holds the breath" in screen  # box's safety note, then the session
        term.keys("q")
        term.wait_for(lambda s: "Stopped after" in s)
    assert load_settings()[0].holds is True
    # Chosen: never asked again.
    folder = tmp_path / "again"
    folder.mkdir()
    with ground_in_tmux(folder, ground_home, "play box --engine none", (80, 24)) as (term, _):
        screen = term.wait_for(lambda s: "Welcome" in s)
        assert "Your choice:" not in screen
        assert "with the holds you've chosen" in screen


@pytest.mark.parametrize("key", ["Enter", "Escape"])
def test_not_now_plays_without_holds_and_saves_nothing(
    tmp_path: Path, ground_home: Path, key: str
) -> None:
    with ground_in_tmux(tmp_path, ground_home, "play box --engine none", (80, 24)) as (term, _):
        term.wait_for(lambda s: "Your choice:" in s)
        term.keys(key)
        screen = term.wait_for(lambda s: "Welcome" in s)
        assert "Not now: no holds this time" in screen
        assert "Let's breathe in a steady, even rhythm." in screen  # the words without holds
        term.keys("q")
        term.wait_for(lambda s: "Stopped after" in s)
    assert not (ground_home / "config" / "settings.toml").exists()
