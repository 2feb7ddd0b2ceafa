"""Ctrl-Z then ``fg`` in a playing session: a stopped process is not a lost device. Run by a
real bash with job control in a pseudo-terminal, on the private PulseAudio null sink."""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.helpers.paths import REPO
from tests.helpers.pulse import PulseServer, grows, stop_recording

pytestmark = [pytest.mark.audio, pytest.mark.slow]

SCRIPT = """\
title = "Suspend"
summary = "Tones for a while."
category = "breathe"

[[step]]
breathe = "Even"
inhale = 2
exhale = 2
cycles = 4
"""
RATE = 48_000


class Terminal:
    """An interactive bash in a pseudo-terminal: what a person types, what they see."""

    def __init__(self, env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # pragma: no cover - the child
            os.execvpe("bash", ["bash", "--norc", "--noprofile", "-i"], env)
        self.seen = b""

    def type(self, text: bytes) -> None:
        os.write(self.fd, text)

    def until(self, wanted: bytes, seconds: float) -> bool:
        end = time.monotonic() + seconds
        while wanted not in self.seen and time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                self.seen += chunk
        return wanted in self.seen

    def tail(self) -> str:
        return self.seen.decode("utf-8", "replace")[-1500:]

    def close(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def loudness(raw: bytes) -> list[float]:
    """Mean absolute level of each 100 ms of s16le mono audio."""
    import numpy as np

    samples = np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2").astype(float)
    step = RATE // 10
    return [float(np.abs(samples[i : i + step]).mean()) for i in range(0, len(samples), step)]


def test_ctrl_z_then_fg_keeps_the_sound(
    pulse: PulseServer, shared_home: Path, tmp_path: Path
) -> None:
    script = tmp_path / "suspend.toml"
    script.write_text(SCRIPT)
    env = {
        **pulse.env,
        "GROUND_HOME": str(shared_home),
        "PYTHONPATH": str(REPO),
        "PS1": "$ ",
        "TERM": "xterm-256color",
    }
    recording = tmp_path / "monitor.raw"
    recorder = pulse.record(recording)
    terminal = Terminal(env)
    try:
        assert terminal.until(b"$ ", 20)
        grows(recording, 0.2)  # the recorder is live
        command = f"{sys.executable} -m assistant play {script} --engine none\n"
        terminal.type(command.encode())
        assert terminal.until(b"breathe in", 60), terminal.tail()
        grows(recording, 1.0)
        terminal.type(b"\x1a")  # Ctrl-Z: the terminal stops the session's process group
        assert terminal.until(b"Stopped", 20), terminal.tail()
        stopped_at = recording.stat().st_size
        # Stopped for longer than the player's stall limit (the length of the stop is the
        # scenario, not a wait for something): before, `fg` found the device "lost".
        threading.Event().wait(3.0)
        terminal.type(b"fg\n")
        assert terminal.until(b"practised", 60), terminal.tail()  # its last line
        # Typed only now (the session reads keys while it plays); the sum tells bash's answer
        # from the echo of what was typed.
        terminal.type(b"echo EXIT$((40 + 2))=$?\n")
        assert terminal.until(b"EXIT42=", 20), terminal.tail()
    finally:
        terminal.close()
        stop_recording(recorder)
    shown = terminal.seen.decode("utf-8", "replace")
    assert "went away" not in shown, shown[-2000:]
    assert "EXIT42=0" in shown, shown[-2000:]
    after = loudness(recording.read_bytes()[stopped_at:])
    # The 16 s of breathing went on after fg: tones are heard for seconds, not only silence.
    assert sum(level > 50 for level in after) >= 20, after
