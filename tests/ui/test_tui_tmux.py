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
    term.keys("Escape")  # skip the question
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
