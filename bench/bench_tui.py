"""TUI benchmarks (part of ``python -m bench``): first frame, CPU and memory of a session.

Method: each app runs in a real pseudo-terminal (80×24, TERM=xterm-256color). "First frame" is
the time from spawning the process to reading, on the pty, a piece of text that only the first
full frame contains (``Right now``, the first script, for ground; ``Hello from Textual`` for a
minimal app made of one Static); the two alternate so machine noise hits both alike. (Not the
filter's placeholder: the cursor splits its first letter off until the first blink.) CPU is
sampled from /proc for the TUI playing box for two minutes with voice and tones through the
private PulseAudio sink, after ten seconds of settling; peak memory is VmHWM at the end.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.main import (
    CLK_TCK,
    Row,
    cpu_percent,
    median,
    ms,
    peak_rss_mb,
    proc_ticks,
    ratio,
    spread,
)

FIRST_FRAME = "TUI launch → first frame"
MINIMAL = "minimal Textual app → first frame (baseline)"
TUI_CPU = "CPU, TUI session (box, voice + tones), steady (% of a core)"
TUI_RSS = "peak RSS, TUI session"
TUI_ROWS = (
    (MINIMAL, ""),
    (FIRST_FRAME, "≤ 1.3× a minimal Textual app"),
    (TUI_CPU, "≤ 5 %"),
    (TUI_RSS, "≤ 150 MB"),
)
MINIMAL_APP = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Minimal(App):\n"
    "    def compose(self):\n"
    "        yield Static('Hello from Textual')\n"
    "Minimal().run()\n"
)


class PtyApp:
    """A process on a fresh 80×24 pty whose output is drained (and searched) by a thread."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], cwd: Path) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        full_env = dict(env, TERM="xterm-256color", COLUMNS="80", LINES="24")
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=full_env,
            cwd=cwd,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self.seen: dict[bytes, float] = {}
        self._wanted: list[bytes] = []
        self._lock = threading.Lock()
        self._found = threading.Condition(self._lock)
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.5)
                if not ready:
                    if self.process.poll() is not None:
                        return
                    continue
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            now = time.monotonic()
            with self._found:
                self.output += chunk
                tail = bytes(self.output[-len(chunk) - 200 :])
                for marker in self._wanted:
                    if marker not in self.seen and marker in tail:
                        self.seen[marker] = now
                self._found.notify_all()

    def wait_for(self, text: str, timeout: float = 30) -> float:
        """Seconds from spawn until ``text`` appeared on the terminal."""
        marker = text.encode()
        deadline = time.monotonic() + timeout
        with self._found:
            self._wanted.append(marker)
            if marker in self.output:
                self.seen.setdefault(marker, time.monotonic())
            while marker not in self.seen:
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise TimeoutError(f"{text!r} never appeared")
                self._found.wait(left)
            return self.seen[marker] - self.started

    def first_of(self, texts: Sequence[str], timeout: float = 30) -> str:
        """Which of ``texts`` appears first on the terminal (waiting for one)."""
        markers = [text.encode() for text in texts]
        deadline = time.monotonic() + timeout
        with self._found:
            while True:
                found = [(self.output.find(m), t) for m, t in zip(markers, texts, strict=True)]
                shown = [(at, text) for at, text in found if at >= 0]
                if shown:
                    return min(shown)[1]
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise TimeoutError(f"none of {list(texts)!r} appeared")
                self._found.wait(left)

    def keys(self, data: str) -> None:
        """Type on the terminal."""
        os.write(self.master, data.encode())

    def stop(self) -> None:
        """End the process and its group."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self._reader.join(2)
        os.close(self.master)


def start_box(app: PtyApp) -> None:
    """From Home to a playing box session, 2 minutes, no rating (Esc would go back)."""
    app.wait_for("Right now")
    app.keys("box")
    app.wait_for("Box breathing")
    app.keys("-")  # 3 → 2 minutes
    app.keys("\r")
    app.wait_for("how tense")
    app.keys("\r")
    # Current code asks once whether to keep box's breath holds (kept: the base code of the
    # A/B rows, from before the question, plays them); older code goes straight on.
    if app.first_of(("Include the holds", "left")) != "left":
        app.keys("y")
        app.wait_for("left")


def bench_tui(bench: Any) -> None:
    """First frame against a minimal Textual app, then CPU and memory of a 2-minute session."""
    env = bench.env(bench.home("tui-launch", "espeak"))
    minimal_script = bench.work / "minimal_app.py"
    minimal_script.write_text(MINIMAL_APP, encoding="utf-8")
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(bench.runs):
        for argv, marker, into in (
            ([sys.executable, str(minimal_script)], "Hello from Textual", theirs),
            (bench.ground, "Right now", ours),
        ):
            app = PtyApp(argv, env, bench.work)
            try:
                into.append(app.wait_for(marker))
            finally:
                app.stop()
    base = median(theirs)
    bench.rows.append(Row(MINIMAL, ms(base), spread(theirs, ms), str(len(theirs))))
    bench.rows.append(
        Row(
            FIRST_FRAME,
            ms(median(ours)),
            spread(ours, ms),
            str(len(ours)),
            "≤ 1.3× a minimal Textual app",
            f"minimal app {ms(base)}",
            ratio(median(ours), base),
        )
    )

    if bench.installed is not None:
        # The floor section measured a TUI session side by side with the base code already.
        for name, target in TUI_ROWS[2:]:
            bench.rows.append(Row(name, "see the A/B rows above", "", "", target))
        return
    session_env = bench.env(bench.home("tui-session", "espeak"))
    app = PtyApp(bench.ground, session_env, bench.work)
    try:
        start_box(app)
        pid = app.process.pid
        threading.Event().wait(10)
        start_ticks, start = proc_ticks(pid), time.monotonic()
        minutes = 10 if bench.long else 2
        threading.Event().wait(min(100.0, minutes * 60 - 20))
        end_ticks, end = proc_ticks(pid), time.monotonic()
        peak = peak_rss_mb(pid)
    finally:
        app.stop()
    if start_ticks is None or end_ticks is None:
        raise RuntimeError("the TUI exited during the session")
    cpu = cpu_percent(end_ticks - start_ticks, end - start, CLK_TCK)
    bench.rows.append(Row(TUI_CPU, f"{cpu:.2f} %", f"{end - start:.0f} s sampled", "1", "≤ 5 %"))
    bench.rows.append(
        Row(TUI_RSS, f"{peak:.1f} MB" if peak else "unknown", "VmHWM", "1", "≤ 150 MB")
    )
