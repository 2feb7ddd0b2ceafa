"""Stop signals in the first moments: one quiet exit with the signal's code, the terminal
put back, never a traceback."""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

from tests.conftest import REPO

SHORT = (REPO / "tests" / "data" / "short.toml").read_text()


def read_until(fd: int, wanted: bytes, seconds: float) -> bytes:
    out = b""
    end = time.monotonic() + seconds
    while time.monotonic() < end and (not wanted or wanted not in out):
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    return out


def app_in_a_pty() -> tuple[int, int]:
    """``ground`` (the full-screen app) started in a pseudo-terminal: (pid, its master fd)."""
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "PULSE_SERVER": "unix:/nonexistent",
        "PYTHONPATH": str(REPO),
    }
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.execve(sys.executable, [sys.executable, "-m", "assistant"], env)
    return pid, fd


def test_sigterm_while_the_app_loads_many_scripts_exits_cleanly(ground_home: Path) -> None:
    scripts = ground_home / "config" / "scripts"
    scripts.mkdir(parents=True)
    for n in range(3000):  # loading these takes seconds: the signal lands meanwhile
        (scripts / f"s{n}.toml").write_text(SHORT.replace('"short"', f'"s{n}"'))
    pid, fd = app_in_a_pty()
    try:
        seen = read_until(fd, b"\x1b[?1049h", 60)  # the app has taken the screen
        assert b"\x1b[?1049h" in seen
        os.kill(pid, signal.SIGTERM)
        seen += read_until(fd, b"", 20)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    text = seen.decode("utf-8", "replace")
    assert "Traceback" not in text and "Exception ignored" not in text, text[-2000:]
    assert os.waitstatus_to_exitcode(status) == 128 + signal.SIGTERM
    assert text.rstrip().endswith(("\x1b[?1049l", "\x1b[?1006l", "\x1b[?25h"))


def test_a_fifo_in_the_scripts_folder_never_blanks_the_app(ground_home: Path) -> None:
    """Before: the app sat blank in raw mode, deaf to Ctrl-C and Ctrl-Q."""
    scripts = ground_home / "config" / "scripts"
    scripts.mkdir(parents=True)
    os.mkfifo(scripts / "p.toml")
    pid, fd = app_in_a_pty()
    try:
        seen = read_until(fd, b"filter", 60)
        assert b"filter" in seen  # the home screen is up
        os.write(fd, b"\x11")  # Ctrl-Q
        seen += read_until(fd, b"", 20)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert b"Traceback" not in seen
