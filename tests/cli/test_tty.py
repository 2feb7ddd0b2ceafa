"""`ground play` in a real terminal (tmux): the status line, keys, Ctrl-C, terminal restored."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = [
    pytest.mark.skipif(
        shutil.which("tmux") is None and not os.environ.get("CI"), reason="tmux not installed"
    ),
    pytest.mark.slow,
]


class Tmux:
    def __init__(self, name: str) -> None:
        self.name = name

    def run(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", *args], capture_output=True, text=True, check=True, timeout=20
        ).stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.name)

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.name, *keys)

    def wait_for(self, test: Callable[[str], bool], timeout: float = 20) -> str:
        pause = threading.Event()
        waited = 0.0
        while waited < timeout:
            screen = self.screen()
            if test(screen):
                return screen
            pause.wait(0.1)
            waited += 0.1
        raise AssertionError(f"timed out; the screen was:\n{self.screen()}")


@contextlib.contextmanager
def ground_in_tmux(
    folder: Path, home: Path, args: str, size: tuple[int, int]
) -> Iterator[tuple[Tmux, Path]]:
    """Run `python -m assistant ARGS` in a fresh tmux session; record the exit code and the
    terminal settings before and after (in FOLDER/rc, before, after)."""
    name = f"ground-test-{uuid.uuid4().hex[:8]}"
    command = (
        f"cd {shlex.quote(str(REPO))}; stty -g > {folder}/before; "
        f"GROUND_HOME={shlex.quote(str(home))} PULSE_SERVER=unix:/nonexistent "
        f"{shlex.quote(sys.executable)} -m assistant {args}; "
        f"echo $? > {folder}/rc; stty -g > {folder}/after; sleep 30"
    )
    width, height = size
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), command],
        check=True,
        timeout=20,
    )
    try:
        yield Tmux(name), folder
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], check=False, timeout=20)


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
