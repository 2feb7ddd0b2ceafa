"""A private PulseAudio server with a null sink, a recorder on its monitor, and ``ground`` run
against it.

Used by the audio test tier and by the benchmarks. ``norewinds=1`` matters: without it the
first recorded audio arrived 0.6–2 s late and short clips were lost (ARCHITECTURE.md §6).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

SINK = "test_sink"
RATE = 48_000


class PulseUnavailable(RuntimeError):
    """PulseAudio is not installed or would not start."""


class PulseServer:
    """One private ``pulseaudio`` daemon under ``root`` (its own runtime dir and HOME)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.runtime = root / "run"
        self.home = root / "home"
        self.socket = self.runtime / "pulse" / "native"

    @property
    def env(self) -> dict[str, str]:
        """Environment for a client of this server (and nothing of the real user's)."""
        env = dict(os.environ)
        env.update(
            XDG_RUNTIME_DIR=str(self.runtime),
            PULSE_SERVER=f"unix:{self.socket}",
            PULSE_SINK=SINK,
        )
        return env

    def _server_env(self) -> dict[str, str]:
        env = self.env
        env["HOME"] = str(self.home)
        env.pop("PULSE_SERVER", None)
        return env

    def start(self) -> None:
        """Start the daemon and wait until it answers."""
        if shutil.which("pulseaudio") is None or shutil.which("pactl") is None:
            raise PulseUnavailable("pulseaudio/pactl not installed (apt-get install pulseaudio)")
        self.runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.home.mkdir(parents=True, exist_ok=True)
        command = [
            "pulseaudio",
            "--daemonize=yes",
            "--exit-idle-time=-1",
            "--system=false",
            "-n",
            "--disallow-exit=no",
            "--log-target=stderr",
            "--load=module-native-protocol-unix auth-anonymous=1",
            f"--load=module-null-sink sink_name={SINK} rate={RATE} norewinds=1",
            "--load=module-always-sink",
        ]
        done = subprocess.run(
            command, env=self._server_env(), capture_output=True, text=True, timeout=30, check=False
        )
        if done.returncode != 0:
            raise PulseUnavailable(f"pulseaudio would not start: {done.stderr.strip()[-300:]}")
        ready = threading.Event()
        for _ in range(100):
            if self.pactl("info", check=False).returncode == 0:
                break
            ready.wait(0.1)
        else:
            raise PulseUnavailable("pulseaudio started but does not answer")
        self.pactl("set-default-sink", SINK)
        self.pactl("set-default-source", f"{SINK}.monitor")

    def pactl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run pactl against this server."""
        return subprocess.run(
            ["pactl", *args], env=self.env, capture_output=True, text=True, timeout=20, check=check
        )

    def record(self, path: Path) -> subprocess.Popen[bytes]:
        """Start recording the sink's monitor as raw s16le mono 48 kHz into ``path``."""
        handle = path.open("wb")
        try:
            return subprocess.Popen(
                [
                    "parec",
                    f"--device={SINK}.monitor",
                    "--format=s16le",
                    f"--rate={RATE}",
                    "--channels=1",
                    "--raw",
                    "--latency-msec=10",
                ],
                stdout=handle,
                env=self.env,
            )
        finally:
            handle.close()

    def stop(self) -> None:
        """Stop the daemon."""
        self.pactl("exit", check=False)
        pid_file = self.runtime / "pulse" / "pid"
        if pid_file.exists():
            # The exiting daemon may have emptied its pid file already (IndexError).
            with contextlib.suppress(
                ProcessLookupError, ValueError, PermissionError, IndexError, OSError
            ):
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGTERM)


def stop_recording(process: subprocess.Popen[bytes]) -> None:
    """End a ``parec`` cleanly so its last buffer is written."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_ground(
    pulse: PulseServer, home: Path, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m assistant ARGS`` on ``pulse``'s sink with ``home`` as GROUND_HOME."""
    env = pulse.env
    env["GROUND_HOME"] = str(home)
    env["GROUND_REPORT_UNDERRUNS"] = "1"  # the session's last line says how many dropouts
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def grows(path: Path, seconds: float, timeout: float = 20) -> None:
    """Wait until ``seconds`` more of audio (s16le mono 48 kHz) have reached ``path``."""
    target = (path.stat().st_size if path.exists() else 0) + int(seconds * RATE) * 2
    pause = threading.Event()
    for _ in range(int(timeout / 0.02)):
        if path.exists() and path.stat().st_size >= target:
            return
        pause.wait(0.02)
    raise AssertionError(f"the recorder stopped receiving audio ({path})")


def interrupted_before_ground_ran(returncode: int, err: str) -> bool:
    """Python's own start-up (``site``, ``runpy``) runs for some milliseconds before the first
    line of ground; a Ctrl-C that lands there is reported by Python itself, and no frame of
    ground's code is in it. Anything later is ground's to handle (tests/cli/test_interrupt.py
    covers the handler itself)."""
    ours = f"{os.sep}assistant{os.sep}"
    return (
        returncode in (1, -signal.SIGINT)
        and err.rstrip().endswith("KeyboardInterrupt")
        and ours not in err
    )
