"""``ground`` in a real terminal: a fresh tmux session per test, its screen read as text."""

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

from tests.helpers.paths import REPO

#: The marks of a test module that drives tmux: it needs tmux (never skipped in CI) and is slow.
needs_tmux = [
    pytest.mark.skipif(
        shutil.which("tmux") is None and not os.environ.get("CI"), reason="tmux not installed"
    ),
    pytest.mark.slow,
]


class Tmux:
    """One tmux session: send it keys, read its screen."""

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
