"""Benchmarks for the budgets of ARCHITECTURE.md §7: ``python -m bench [--long] [--runs N]``.

Everything runs against a private PulseAudio server with a null sink (``tests.helpers.pulse``),
started in a temporary folder, with a temporary ``GROUND_HOME``: nothing of the real user's is
read or written. The result is one markdown table, printed and written to
``bench-results/latest.md``. Every measurement has a same-run baseline and a ratio to it, because
on 2 shared, noisy cores absolute numbers move from run to run while ratios move much less.

How each number is obtained
---------------------------

**Launch → first audible sample.** One ``parec`` records the sink's monitor for the whole launch
phase with ``--latency-msec=2``. A reader thread appends its output to a buffer and notes, for
every read, the ``time.monotonic()`` of arrival and how many samples had arrived so far. A sample
reaches the recorder no earlier than the sink renders it, so ``arrival − samples / 48000`` bounds
the recording's start from above; the minimum over the reads within a few seconds of a launch is
taken as sample 0's time. The mapping is good to about one block (2 ms; the notes give the spread
of the bounds): with parec's usual 10 ms every ``paplay`` launch read exactly 0.0 ms, because its
first loud sample always sat at the start of the first block rendered after the spawn (the null
sink renders a block ahead), so the block was the resolution. Then, for each run: wait until the
monitor has been silent for 0.25 s, note ``t = time.monotonic()``, spawn the command, map ``t``
onto a sample index, and find the first sample after it whose magnitude is above ``THRESHOLD``;
that sample's time on the same clock minus ``t`` is the launch latency. ``ground now`` is then
stopped with SIGINT (it exits 130) and reaped with ``wait4``. The command is the installed
``ground`` console script, as a hotkey would run it. Whatever constant error the mapping has,
``paplay`` of the same first clip (the cached WAV of the now script's first sentence) has too: it
is measured the same way, interleaved run by run with every ``ground now`` launch, and reported as
the baseline (the ratio, and the difference in the notes). Cold runs use a fresh ``GROUND_HOME``
each, with ``config/settings.toml`` choosing the engine (``espeak``, or the default ``system``
voice). Warm runs use a home whose cache was filled by ``ground render now``. Every settings file
also sets ``volume = 1.0`` so ``ground`` and ``paplay`` put the same samples on the sink.

**Live onset error and drift.** ``ground render resonance`` (espeak, the same cache) writes the
reference WAV and timeline; then ``ground play`` plays the same session through the sink while
``parec`` records the monitor, and ``tests.helpers.onsets.measure`` finds every isolated cue by
normalised cross-correlation. Errors are relative to the first cue (the constant latency is not
an error); drift is the last cue's error minus the first's. At the same time ``paplay`` plays the
reference WAV into a second null sink whose monitor is recorded and measured the same way: that
is the baseline (what PulseAudio and the measurement give a plain player), and also the CPU
baseline below. Underruns are the ``underruns: N`` line ``ground play`` prints when
GROUND_REPORT_UNDERRUNS is set (``Bench.env`` sets it).

**CPU and memory.** ``/proc/<pid>/stat`` (utime + stime) is sampled once a second for the
session and for the concurrent ``paplay``; steady-state CPU is the slope from 10 s in to the last
sample (start-up excluded), "whole run" is ``wait4``'s rusage over the wall time. Peak RSS is
``VmHWM`` from ``/proc/<pid>/status``, read just before the process is stopped or once a second
(not ``ru_maxrss``: see :func:`peak_rss_mb`). ``ground now`` (with audio, stopped after 5 s, warm
cache) is compared with ``python -c pass``, the interpreter's floor.

**Render speed.** ``ground render daily-sigh`` with a warm cache (one cold render first fills it),
as session seconds per wall second, against the same render with ``--engine none`` (no speech
clips: what the mixer and WAV writing cost alone).

**Import cost.** ``python -c "import assistant.cli.play_command"`` against ``python -c pass``,
alternating, plus a check that neither ``textual`` nor ``numpy`` is imported by that module, and
that ``textual`` is not loaded 1.5 s into a real ``ground now``.

Every child runs in its own session (process group); after each one is reaped the group is
checked for leftovers, which are reported and killed. A failing measurement prints
``failed: <reason>`` in its row and the run carries on.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import wave
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tests.helpers.onsets import load_timeline, measure, read_raw, read_wav
from tests.helpers.pulse import SINK, PulseServer, stop_recording

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench-results"
RATE = 48_000
#: A monitor sample this loud (of 32767) counts as audible. The silent sink gives exact zeros;
#: a cue clip's sample 0 is its onset (trimmed at 42 dB below its peak): 200–400 for the now
#: script's clips here, so sample 0 is what is found.
THRESHOLD = 100
QUIET_BEFORE = 0.25
#: A launch with no sound after this long counts as silent (budgets are 0.15–0.3 s).
ONSET_TIMEOUT = 5.0
#: After this many silent launches of one kind, its remaining runs are skipped.
SILENT_GIVE_UP = 3
AUX_SINK = "bench_aux"
CLK_TCK = os.sysconf("SC_CLK_TCK")


# -- pure helpers (unit-tested in bench/test_bench_helpers.py) ------------------------------------


def median(values: Sequence[float]) -> float:
    """The median (mean of the middle two for an even count)."""
    if not values:
        msg = "median of nothing"
        raise ValueError(msg)
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100), linear between closest ranks (numpy's default)."""
    if not values:
        msg = "percentile of nothing"
        raise ValueError(msg)
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def first_above(pcm: bytes | bytearray | memoryview, threshold: int, start: int = 0) -> int | None:
    """Index of the first s16le sample at or after ``start`` louder than ``threshold``."""
    usable = len(pcm) - len(pcm) % 2
    samples = np.frombuffer(pcm[:usable], dtype="<i2")[max(0, start) :]
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > threshold)
    return int(loud[0]) + max(0, start) if loud.size else None


def recording_start(
    reads: Sequence[tuple[float, int]],
    around: float | None = None,
    before: float = 2.0,
    after: float = 3.0,
    rate: int = RATE,
) -> float:
    """The recording's sample 0 on the monotonic clock, from ``(arrival, samples so far)`` reads.

    A sample arrives no earlier than it was played, so each read bounds the start from above;
    the tightest bound (the minimum) is the estimate. With ``around``, only reads within
    ``[around - before, around + after]`` count, so a slow drift between the sound server's clock
    and ours cannot bias a launch far from it.
    """
    bounds = [
        arrival - samples / rate
        for arrival, samples in reads
        if around is None or around - before <= arrival <= around + after
    ]
    if not bounds:
        if around is not None and reads:
            return recording_start(reads, None, rate=rate)
        msg = "no data from the recorder"
        raise ValueError(msg)
    return min(bounds)


def parse_underruns(text: str) -> int | None:
    """N from the ``underruns: N`` line of ``ground play`` (with GROUND_REPORT_UNDERRUNS set)."""
    for line in reversed(text.splitlines()):
        head, _, tail = line.strip().partition("underruns:")
        if not head and tail.strip().isdigit():
            return int(tail.strip())
    return None


@dataclass(frozen=True)
class OnsetSummary:
    """Live timing error over the measured cues, in milliseconds."""

    max_abs_ms: float
    p95_abs_ms: float
    drift_ms: float
    cues: int
    max_abs_frames: int
    drift_frames: int


def onset_summary(errors_frames: Sequence[int], rate: int = RATE) -> OnsetSummary:
    """Max and p95 of |error| and drift (last minus first) for cue errors in frames, in order."""
    if not errors_frames:
        msg = "no cues were measured"
        raise ValueError(msg)
    absolute = [abs(e) * 1000 / rate for e in errors_frames]
    return OnsetSummary(
        max(absolute),
        percentile(absolute, 95),
        (errors_frames[-1] - errors_frames[0]) * 1000 / rate,
        len(errors_frames),
        max(abs(e) for e in errors_frames),
        errors_frames[-1] - errors_frames[0],
    )


def cpu_percent(ticks: int, seconds: float, clk_tck: int = CLK_TCK) -> float:
    """CPU time in clock ticks over ``seconds`` of wall time, as % of one core."""
    if seconds <= 0:
        msg = "no wall time"
        raise ValueError(msg)
    return 100 * ticks / clk_tck / seconds


def steady_cpu(
    samples: Sequence[tuple[float, int]], skip: float, clk_tck: int = CLK_TCK
) -> float | None:
    """% of a core between the first ``(time, ticks)`` sample ``skip`` s in and the last one."""
    if not samples:
        return None
    begin = samples[0][0] + skip
    window = [s for s in samples if s[0] >= begin]
    if len(window) < 2 or window[-1][0] - window[0][0] <= 0:
        return None
    return cpu_percent(window[-1][1] - window[0][1], window[-1][0] - window[0][0], clk_tck)


def ms(seconds: float) -> str:
    """Seconds as a short millisecond figure."""
    value = seconds * 1000
    return f"{value:.0f} ms" if abs(value) >= 10 else f"{value:.1f} ms"


def ratio(value: float, baseline: float) -> str:
    """``value / baseline`` as ``1.23×`` (an em dash when the baseline is zero)."""
    if baseline == 0:
        return "—"
    return f"{value / baseline:.2f}×"


def spread(values: Sequence[float], fmt: Callable[[float], str]) -> str:
    """``min–max`` and p95 of ``values`` formatted with ``fmt`` (only the value if one)."""
    if len(values) == 1:
        return fmt(values[0])
    return f"{fmt(min(values))}–{fmt(max(values))}, p95 {fmt(percentile(values, 95))}"


def one_line(text: str, limit: int = 160) -> str:
    """The gist of an error: one line, no pipes (they would break the table), bounded."""
    line = " ".join(text.split()).replace("|", "/")
    return line if len(line) <= limit else line[: limit - 1] + "…"


@dataclass
class Row:
    """One line of the results table."""

    name: str
    median: str
    spread: str = ""
    n: str = ""
    target: str = ""
    baseline: str = ""
    ratio: str = ""

    @classmethod
    def failed(cls, name: str, reason: str, target: str = "") -> Row:
        """A measurement that could not be made, with why."""
        return cls(name, f"failed: {one_line(reason)}", target=target)


HEADER = (
    "measurement",
    "median",
    "min–max / p95",
    "n",
    "target (ARCHITECTURE.md §7)",
    "baseline",
    "ratio",
)


def markdown_table(rows: Sequence[Row]) -> str:
    """The rows as a GitHub markdown table."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join("---" for _ in HEADER) + "|"]
    for row in rows:
        cells = (row.name, row.median, row.spread, row.n, row.target, row.baseline, row.ratio)
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)


# -- processes -----------------------------------------------------------------------------------


@dataclass
class Finished:
    """A reaped child."""

    returncode: int
    wall: float
    rusage: Any
    stdout: str
    stderr: str

    @property
    def cpu_seconds(self) -> float:
        """User + system CPU time."""
        return float(self.rusage.ru_utime + self.rusage.ru_stime)


class Child:
    """A child in its own process group, with its output in files, reaped with ``wait4``."""

    live: list[Child] = []  # noqa: RUF012 - every child still to clean up, whatever happens
    leftovers: list[str] = []  # noqa: RUF012 - processes found alive in a reaped child's group

    def __init__(self, argv: Sequence[str], env: dict[str, str], workdir: Path) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.argv = list(argv)
        # Closed by reap(), which every child gets (kill_all() at the latest).
        self._out = tempfile.TemporaryFile(dir=workdir)  # noqa: SIM115
        self._err = tempfile.TemporaryFile(dir=workdir)  # noqa: SIM115
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            self.argv,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._out,
            stderr=self._err,
            start_new_session=True,
        )
        self.pid = self.proc.pid
        self.finished: Finished | None = None
        Child.live.append(self)

    def running(self) -> bool:
        """True until it exits (does not reap it, so ``wait4`` still gets its rusage)."""
        if self.finished is not None:
            return False
        try:
            return os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
        except ChildProcessError:
            return False

    def peak_rss_mb(self) -> float | None:
        """``VmHWM`` (peak resident set of the running program) in MB, None once it is gone."""
        return peak_rss_mb(self.pid)

    def signal(self, sig: int) -> None:
        """Send ``sig`` to the process itself (not its group)."""
        if self.running():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)

    def reap(self, timeout: float) -> Finished:
        """Wait for the exit (SIGKILL after ``timeout``), collect rusage and output."""
        if self.finished is not None:
            return self.finished
        deadline = time.monotonic() + timeout
        pause = threading.Event()
        status, usage = 0, None
        while True:
            pid, status, usage = os.wait4(self.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
                _, status, usage = os.wait4(self.pid, 0)
                break
            pause.wait(0.005)
        wall = time.monotonic() - self.started
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        self._clean_group()
        self.finished = Finished(
            self.proc.returncode, wall, usage, _read_all(self._out), _read_all(self._err)
        )
        Child.live.remove(self)
        return self.finished

    def _clean_group(self) -> None:
        pause = threading.Event()
        deadline = time.monotonic() + 2.0
        members = group_members(self.pid)
        while members and time.monotonic() < deadline:
            pause.wait(0.05)
            members = group_members(self.pid)
        if members:
            names = ", ".join(f"{pid} {_cmdline(pid)}" for pid in members)
            Child.leftovers.append(f"after `{' '.join(self.argv[-3:])}`: {names}")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGKILL)

    @classmethod
    def kill_all(cls) -> None:
        """Kill every child (and its group) not reaped yet."""
        for child in list(cls.live):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            with contextlib.suppress(Exception):
                child.reap(5)


def _read_all(handle: Any) -> str:
    handle.seek(0)
    data = handle.read().decode("utf-8", "replace")
    handle.close()
    return str(data)


def group_members(pgid: int) -> list[int]:
    """Live processes (not zombies) in process group ``pgid``."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()
        if len(fields) > 2 and fields[0] != "Z" and int(fields[2]) == pgid:
            out.append(int(entry.name))
    return out


def _cmdline(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    return one_line(raw.replace(b"\0", b" ").decode("utf-8", "replace"), 80)


def peak_rss_mb(pid: int | str) -> float | None:
    """``VmHWM`` of ``pid`` (or ``"self"``) in MB (10^6 bytes), None once it is gone.

    Not ``ru_maxrss``: a child spawned with vfork (as ``subprocess`` does) takes the parent's
    high-water mark with it through ``exec``, so ``python -c pass`` read 39 MB that way here.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024 / 1e6
    return None


def thread_ticks(pid: int) -> dict[int, tuple[str, int]]:
    """Every thread of ``pid``: its name and utime + stime in clock ticks."""
    out = {}
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = (task / "stat").read_text()
                fields = stat.rpartition(")")[2].split()
                name = stat[stat.index("(") + 1 : stat.rindex(")")]
                out[int(task.name)] = (name, int(fields[11]) + int(fields[12]))
    return out


def thread_shares(
    pid: int,
    first: dict[int, tuple[str, int]],
    last: dict[int, tuple[str, int]],
    seconds: float,
    clk_tck: int = CLK_TCK,
) -> str:
    """Per-thread % of a core between two :func:`thread_ticks` snapshots, busiest first."""
    if seconds <= 0:
        return ""
    parts = []
    for tid, (name, ticks) in last.items():
        used = cpu_percent(ticks - first.get(tid, (name, ticks))[1], seconds, clk_tck)
        label = "main" if tid == pid else name
        parts.append((used, f"{label} {used:.2f} %"))
    return ", ".join(text for _, text in sorted(parts, reverse=True))


def proc_ticks(pid: int) -> int | None:
    """utime + stime of ``pid`` in clock ticks, or None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])


def run(argv: Sequence[str], env: dict[str, str], workdir: Path, timeout: float = 300) -> Finished:
    """Run to the end."""
    return Child(argv, env, workdir).reap(timeout)


def run_ok(
    argv: Sequence[str], env: dict[str, str], workdir: Path, timeout: float = 300
) -> Finished:
    """Run to the end; raise with the last line of stderr on a non-zero exit."""
    done = run(argv, env, workdir, timeout)
    if done.returncode != 0:
        tail = (done.stderr.strip() or done.stdout.strip() or "no output").splitlines()[-1]
        msg = f"`{' '.join(argv[-4:])}` exited {done.returncode}: {tail}"
        raise RuntimeError(msg)
    return done


# -- the recorder --------------------------------------------------------------------------------


class MonitorTap:
    """``parec`` on a monitor, read live, with the arrival time of every read."""

    def __init__(self, env: dict[str, str], device: str, latency_ms: int = 2) -> None:
        self._env = env
        self._device = device
        self._latency_ms = latency_ms
        self._buffer = bytearray()
        self.reads: list[tuple[float, int]] = []
        self._cond = threading.Condition()
        self._proc: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None
        self._eof = False

    def start(self) -> None:
        """Start recording and wait until data flows."""
        self._proc = subprocess.Popen(
            [
                "parec",
                f"--device={self._device}",
                "--format=s16le",
                f"--rate={RATE}",
                "--channels=1",
                "--raw",
                f"--latency-msec={self._latency_ms}",
            ],
            env=self._env,
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._thread = threading.Thread(target=self._read, daemon=True, name="monitor-tap")
        self._thread.start()
        with self._cond:
            # Let it settle: the first reads come in a burst; half a second of steady flow.
            if not self._cond.wait_for(lambda: self.samples() >= RATE // 2 or self._eof, 10):
                msg = "parec produced no audio data in 10 s"
                raise RuntimeError(msg)
        if self._eof:
            msg = "parec stopped at once (is the monitor source there?)"
            raise RuntimeError(msg)

    def _read(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            now = time.monotonic()
            with self._cond:
                if not data:
                    self._eof = True
                    self._cond.notify_all()
                    return
                self._buffer += data
                self.reads.append((now, len(self._buffer) // 2))
                self._cond.notify_all()

    def samples(self) -> int:
        """Samples received so far."""
        return len(self._buffer) // 2

    def start_time(self, around: float | None = None) -> float:
        """Sample 0 on the monotonic clock (see :func:`recording_start`)."""
        with self._cond:
            reads = list(self.reads)
        return recording_start(reads, around)

    def index_at(self, when: float) -> int:
        """The sample index played at monotonic time ``when`` (by the estimate so far)."""
        return max(0, round((when - self.start_time(when)) * RATE))

    def _wait_beyond(self, index: int, timeout: float = 0.05) -> int:
        """Wait (briefly) for samples past ``index``; returns how many have arrived."""
        with self._cond:
            self._cond.wait_for(lambda: self.samples() > index or self._eof, timeout)
            return self.samples()

    def _chunk(self, start: int, end: int) -> bytes:
        with self._cond:
            return bytes(self._buffer[2 * start : 2 * end])

    def wait_onset(
        self, start: int, timeout: float, alive: Callable[[], bool], threshold: int = THRESHOLD
    ) -> int | None:
        """The first loud sample at or after ``start``, as it arrives; None on timeout or if
        the source process ends without a sound (0.5 s of grace for audio in flight)."""
        deadline = time.monotonic() + timeout
        scanned = start
        gone_at: float | None = None
        while time.monotonic() < deadline:
            available = self._wait_beyond(scanned)
            if available > scanned:
                found = first_above(self._chunk(scanned, available), threshold)
                if found is not None:
                    return scanned + found
                scanned = available
            if self._eof:
                return None
            if gone_at is None and not alive():
                gone_at = time.monotonic()
            if gone_at is not None and time.monotonic() - gone_at > 0.5:
                return None
        return None

    def wait_silence(
        self, seconds: float = QUIET_BEFORE, timeout: float = 15, threshold: int = THRESHOLD
    ) -> bool:
        """Wait until ``seconds`` of silence were recorded after this call began."""
        need = round(seconds * RATE)
        begin = self.index_at(time.monotonic())
        quiet_from = begin
        scanned = begin
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            available = self._wait_beyond(scanned)
            if self._eof:
                return False
            if available > scanned:
                chunk = np.frombuffer(self._chunk(scanned, available), dtype="<i2")
                loud = np.flatnonzero(np.abs(chunk.astype(np.int32)) > threshold)
                if loud.size:
                    quiet_from = scanned + int(loud[-1]) + 1
                scanned = available
            if scanned - quiet_from >= need:
                return True
        return False

    def stop(self) -> None:
        """Stop parec and the reader."""
        if self._proc is not None:
            with contextlib.suppress(ProcessLookupError):
                self._proc.send_signal(signal.SIGINT)
            try:
                self._proc.wait(5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        if self._thread is not None:
            self._thread.join(5)


def record_to(env: dict[str, str], device: str, path: Path) -> subprocess.Popen[bytes]:
    """``parec`` of ``device`` into a raw s16le mono file."""
    with path.open("wb") as handle:
        return subprocess.Popen(
            [
                "parec",
                f"--device={device}",
                "--format=s16le",
                f"--rate={RATE}",
                "--channels=1",
                "--raw",
                "--latency-msec=10",
            ],
            stdout=handle,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )


# -- the benchmark -------------------------------------------------------------------------------


@dataclass
class Launch:
    """One launch: when it was spawned, where its first sound landed, how it ended."""

    spawned: float
    onset: int | None
    returncode: int
    peak_rss_mb: float | None
    stderr: str
    latency: float | None = None
    rss_at_sound_mb: float | None = None


@dataclass
class Bench:
    """Shared state of one benchmark run."""

    root: Path
    runs: int
    long: bool
    pulse: Any
    sink: str = "test_sink"
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quick: bool = False
    base: str = "b798931"
    installed: list[str] | None = None
    """``ground`` from the wheel in its own venv, once the floor section has built it."""

    @property
    def ground(self) -> list[str]:
        """The ``ground`` command a hotkey would run: the wheel's, or this venv's, script."""
        return self.installed or self.editable

    @property
    def editable(self) -> list[str]:
        """This venv's console script (the editable install of the working tree)."""
        script = Path(sys.executable).parent / "ground"
        return [str(script)] if script.exists() else [sys.executable, "-m", "assistant"]

    def home(self, name: str, engine: str = "system", voice: str | None = None) -> Path:
        """A fresh GROUND_HOME with a settings file: volume 1, the engine (the system voice
        unless named: the rows that predate ``auto`` measure it), optionally the voice."""
        home = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=self.root))
        config = home / "config"
        config.mkdir(parents=True)
        lines = ["volume = 1.0", f'engine = "{engine}"']
        lines += [f'voice = "{voice}"'] if voice else []
        (config / "settings.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return home

    def env(self, home: Path | None = None) -> dict[str, str]:
        """The private server's client environment, with GROUND_HOME if given."""
        env = dict(self.pulse.env)
        env.pop("GROUND_HOME", None)
        env["GROUND_REPORT_UNDERRUNS"] = "1"  # `ground play` then ends with "underruns: N"
        # Set on some machines (this one); an editable install then compiles every module on
        # each start. Children write their bytecode once, as an installed program has it.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if home is not None:
            env["GROUND_HOME"] = str(home)
        return env

    @property
    def work(self) -> Path:
        """Where child output and scratch files go."""
        path = self.root / "work"
        path.mkdir(exist_ok=True)
        return path

    def section(self, names: Sequence[tuple[str, str]], body: Callable[[], None]) -> None:
        """Run one measurement group; rows it could not fill become ``failed: …`` rows."""
        before = len(self.rows)
        try:
            body()
        except Exception as exc:  # noqa: BLE001 - one failure must not end the whole run
            reason = f"{type(exc).__name__}: {exc}"
            if os.environ.get("BENCH_DEBUG"):
                traceback.print_exc()
            done = {row.name for row in self.rows[before:]}
            self.rows.extend(
                Row.failed(name, reason, target) for name, target in names if name not in done
            )


# -- 1. launch → first audible sample ------------------------------------------------------------

WARM_SYSTEM = "`ground now` → first sample, warm cache (system voice)"
WARM_ESPEAK = "`ground now` → first sample, warm cache (espeak)"
COLD_ESPEAK = "`ground now` → first sample, cold cache (espeak)"
COLD_SYSTEM = "`ground now` → first sample, cold cache (system voice)"
PAPLAY = "`paplay` of the same first clip (baseline)"
NOW_RSS = "peak RSS, `ground now` (audio, 5 s, warm)"
LAUNCH_ROWS = (
    (PAPLAY, "≈ 16 ms (ARCHITECTURE.md §8)"),
    (WARM_SYSTEM, "≤ 150 ms (stretch 100)"),
    (WARM_ESPEAK, "≤ 150 ms (stretch 100)"),
    (COLD_ESPEAK, "≤ 300 ms"),
    (COLD_SYSTEM, "≤ 300 ms"),
    (NOW_RSS, "≤ 60 MB"),
)


def first_clip(bench: Bench, home: Path, engine: str) -> Path:
    """The now script's first sentence as a WAV: the cached clip itself, or cut from a render."""
    env = bench.env(home)
    wav, timeline = bench.work / f"now-{engine}.wav", bench.work / f"now-{engine}.json"
    run_ok(
        [*bench.ground, "render", "now", "-o", str(wav), "--timeline", str(timeline)],
        env,
        bench.work,
    )
    from assistant.core.library import shipped_script
    from assistant.core.model import Say
    from assistant.speech.cache import ClipCache
    from assistant.speech.factory import make_engine
    from assistant.speech.renderer import SpeechRenderer
    from assistant.storage.settings import Settings

    text = next(step.text for step in shipped_script("now").steps if isinstance(step, Say))
    with contextlib.suppress(Exception):
        speech_engine = make_engine(engine)
        try:
            renderer = SpeechRenderer(
                speech_engine, ClipCache(home / "cache" / "clips"), None, Settings().rate
            )
            cached = renderer.cache.path(renderer.key(text)) if renderer.cache else None
        finally:
            speech_engine.close()
        if cached is not None and cached.exists():
            return cached
    # Fallback: the first `say` event's span of the render (sample 0 is its onset).
    import json

    events = json.loads(timeline.read_text())["events"]
    first = next(e for e in events if e["kind"] == "say" and e["audible"])
    bench.notes.append("paplay clip cut from `ground render now` (cache key not found)")
    clip = bench.work / f"first-{engine}.wav"
    with wave.open(str(wav), "rb") as src, wave.open(str(clip), "wb") as dst:
        dst.setparams(src.getparams())
        src.setpos(first["frame"])
        dst.writeframes(src.readframes(first["duration_frames"]))
    return clip


#: A bare interpreter reporting its own peak RSS (the floor any Python program starts from).
_OWN_PEAK = (
    "print(next(int(x.split()[1]) for x in open('/proc/self/status') if x.startswith('VmHWM'))"
    " * 1024 / 1e6)"
)


def launch(
    bench: Bench, tap: MonitorTap, argv: Sequence[str], env: dict[str, str], keep: float = 0.0
) -> Launch:
    """Spawn ``argv`` after a silence, find its first sound, stop it (after ``keep`` s)."""
    if not tap.wait_silence():
        msg = "the sink never went quiet before a launch"
        raise RuntimeError(msg)
    spawned = time.monotonic()
    child = Child(argv, env, bench.work)
    onset = tap.wait_onset(tap.index_at(spawned), ONSET_TIMEOUT, child.running)
    at_sound = child.peak_rss_mb()
    if keep:
        threading.Event().wait(max(0.0, spawned + keep - time.monotonic()))
    peak = child.peak_rss_mb()
    child.signal(signal.SIGINT)
    done = child.reap(15)
    return Launch(spawned, onset, done.returncode, peak, done.stderr, None, at_sound)


def recorder_note(reads: Sequence[tuple[float, int]]) -> str:
    """How finely the launch recorder's clock could be mapped (see the module docstring)."""
    if len(reads) < 3:
        return "launch recorder: too few reads to judge its clock"
    sizes = [b[1] - a[1] for a, b in itertools.pairwise(reads)]
    bounds = [arrival - samples / RATE for arrival, samples in reads]
    low = min(bounds)
    return (
        f"launch recorder: a read every {median(sizes) / RATE * 1000:.1f} ms; sample-0 bound "
        f"median − min {ms(median(bounds) - low)}, p95 − min {ms(percentile(bounds, 95) - low)} "
        f"over {len(reads)} reads (a slow clock drift adds to these; each launch uses only "
        "the reads within seconds of it)"
    )


def bench_launch(bench: Bench) -> None:
    """Rows for launch latency (warm and cold, both engines), paplay, and ``ground now`` RSS."""
    warm = {engine: bench.home(f"warm-{engine}", engine) for engine in ("system", "espeak")}
    clips = {engine: first_clip(bench, home, engine) for engine, home in warm.items()}
    tap = MonitorTap(bench.env(), f"{bench.sink}.monitor")
    tap.start()
    results: dict[str, list[Launch]] = {
        name: [] for name in (PAPLAY, WARM_SYSTEM, WARM_ESPEAK, COLD_ESPEAK, COLD_SYSTEM)
    }
    try:
        plans: list[tuple[str, Callable[[], dict[str, str]], str]] = [
            (WARM_SYSTEM, lambda: bench.env(warm["system"]), "system"),
            (WARM_ESPEAK, lambda: bench.env(warm["espeak"]), "espeak"),
            (COLD_ESPEAK, lambda: bench.env(bench.home("cold-espeak", "espeak")), "espeak"),
            (COLD_SYSTEM, lambda: bench.env(bench.home("cold-system")), "system"),
        ]
        for _ in range(bench.runs):
            for name, make_env, engine in plans:
                if sum(1 for r in results[name] if r.onset is None) >= SILENT_GIVE_UP:
                    continue  # it plays no sound here: say so rather than wait for every run
                results[name].append(launch(bench, tap, [*bench.ground, "now"], make_env()))
                paplay = ["paplay", str(clips[engine])]
                results[PAPLAY].append(launch(bench, tap, paplay, bench.env()))
        rss = [
            launch(bench, tap, [*bench.ground, "now"], bench.env(warm["system"]), keep=5.0)
            for _ in range(3)
        ]
    finally:
        tap.stop()
    bench.notes.append(recorder_note(tap.reads))
    for runs in results.values():
        for one in runs:
            if one.onset is not None:
                one.latency = tap.start_time(one.spawned) + one.onset / RATE - one.spawned
    floor = [r.latency for r in results[PAPLAY] if r.latency is not None]
    base = median(floor) if floor else None
    for name, target in LAUNCH_ROWS[:-1]:
        runs = results[name]
        values = [r.latency for r in runs if r.latency is not None]
        odd = [r for r in runs if r.returncode not in ((0,) if name == PAPLAY else (130, 0))]
        if odd:
            bench.notes.append(
                f"{name}: exit codes {sorted({r.returncode for r in odd})}; stderr: "
                + one_line(odd[0].stderr or "(none)")
            )
        if not values:
            reason = one_line(runs[0].stderr) if runs and runs[0].stderr.strip() else "no sound"
            bench.rows.append(Row.failed(name, f"no audible sample in any run ({reason})", target))
            continue
        missing = len(runs) - len(values)
        bench.rows.append(
            Row(
                name,
                ms(median(values)),
                spread(values, ms),
                f"{len(values)}" + (f" ({missing} silent)" if missing else ""),
                target,
                "" if name == PAPLAY or base is None else f"paplay {ms(base)}",
                "" if name == PAPLAY or base is None else ratio(median(values), base),
            )
        )
        if name != PAPLAY and base is not None:
            bench.notes.append(f"{name}: median − paplay = {ms(median(values) - base)}")
    floor = [
        float(run_ok([sys.executable, "-c", _OWN_PEAK], bench.env(), bench.work).stdout)
        for _ in range(3)
    ]
    values = [r.peak_rss_mb for r in rss if r.peak_rss_mb is not None]
    early = [r.rss_at_sound_mb for r in rss if r.rss_at_sound_mb is not None]
    if early:
        bench.notes.append(
            f"{NOW_RSS}: {median(early):.1f} MB when the first sound was heard; the rest comes "
            "after it (numpy, imported in the background once the stream runs, and the rest of "
            "the session)"
        )
    if not values:
        bench.rows.append(Row.failed(NOW_RSS, "`ground now` ended before 5 s", "≤ 60 MB"))
        return
    bench.rows.append(
        Row(
            NOW_RSS,
            f"{median(values):.1f} MB",
            spread(values, lambda v: f"{v:.1f}"),
            str(len(values)),
            "≤ 60 MB",
            f"`python -c pass` {median(floor):.1f} MB",
            ratio(median(values), median(floor)),
        )
    )


# -- 2 + 3. live session: onsets, underruns, CPU, memory -------------------------------------------

LIVE_ERR = "live onset error, max abs"
LIVE_P95 = "live onset error, p95 abs"
LIVE_DRIFT = "live drift (last − first cue)"
LIVE_UNDERRUNS = "underruns (`ground play`)"
LIVE_CPU = "CPU, headless session, steady (% of a core)"
LIVE_CPU_ALL = "CPU, headless session, whole run incl. start"
LIVE_RSS = "peak RSS, headless session"


def live_rows(minutes: int) -> tuple[tuple[str, str], ...]:
    """The rows of the live section, named with the session length."""
    tag = f" ({minutes} min)"
    return (
        (LIVE_ERR + tag, "≤ 5 ms"),
        (LIVE_P95 + tag, "≤ 5 ms"),
        (LIVE_DRIFT + tag, "0 (zero drift)"),
        (LIVE_UNDERRUNS + tag, "0"),
        (LIVE_CPU + tag, "≤ 1 %"),
        (LIVE_CPU_ALL + tag, "≤ 1 %"),
        (LIVE_RSS + tag, "— (`ground now` ≤ 60 MB)"),
    )


def bench_live(bench: Bench) -> None:
    """Play a session through the sink, paplay its render into a second sink, compare."""
    minutes = 10 if bench.long else 2
    names = [name for name, _ in live_rows(minutes)]
    targets = dict(live_rows(minutes))
    home = bench.home("live", "espeak")
    env = bench.env(home)
    ref_wav, ref_json = bench.work / "live-ref.wav", bench.work / "live-ref.json"
    session = ["resonance", "--minutes", str(minutes), "--engine", "espeak"]
    run_ok(
        [*bench.ground, "render", *session, "-o", str(ref_wav), "--timeline", str(ref_json)],
        env,
        bench.work,
    )
    module = bench.pulse.pactl(
        "load-module", "module-null-sink", f"sink_name={AUX_SINK}", f"rate={RATE}", "norewinds=1"
    ).stdout.strip()
    recordings = {
        "ground": bench.work / "live-ground.raw",
        "paplay": bench.work / "live-paplay.raw",
    }
    recorders = [
        record_to(env, f"{bench.sink}.monitor", recordings["ground"]),
        record_to(env, f"{AUX_SINK}.monitor", recordings["paplay"]),
    ]
    samples: dict[str, list[tuple[float, int]]] = {"ground": [], "paplay": []}
    peaks: dict[str, float] = {"ground": 0.0, "paplay": 0.0}
    threads: list[tuple[float, dict[int, tuple[str, int]]]] = []
    try:
        threading.Event().wait(0.5)  # recorders settle before anything plays
        player = Child(["paplay", f"--device={AUX_SINK}", str(ref_wav)], bench.env(), bench.work)
        child = Child([*bench.ground, "play", *session, "--volume", "1"], env, bench.work)
        tick = threading.Event()
        limit = time.monotonic() + minutes * 60 + 120
        while (child.running() or player.running()) and time.monotonic() < limit:
            now = time.monotonic()
            for key, proc in (("ground", child), ("paplay", player)):
                ticks = proc_ticks(proc.pid) if proc.running() else None
                if ticks is not None:
                    samples[key].append((now, ticks))
                    peaks[key] = max(peaks[key], proc.peak_rss_mb() or 0.0)
            if child.running() and now - child.started >= 10:
                snapshot = (now, thread_ticks(child.pid))
                threads[min(len(threads), 1) :] = [snapshot]  # the first, and the latest
            tick.wait(1.0)
        played = child.reap(10)
        baseline = player.reap(10)
    finally:
        for recorder in recorders:
            stop_recording(recorder)
        if module.isdigit():
            bench.pulse.pactl("unload-module", module, check=False)
    if played.returncode != 0:
        tail = (played.stderr.strip() or "no output").splitlines()[-1]
        msg = f"`ground play` exited {played.returncode}: {tail}"
        raise RuntimeError(msg)

    reference, timeline = read_wav(ref_wav), load_timeline(ref_json)
    summaries: dict[str, OnsetSummary] = {}
    for key, path in recordings.items():
        onsets = measure(read_raw(path), reference, timeline)
        found = [o for o in onsets if o.score > 0.8]
        lost = len(onsets) - len(found)
        if lost:
            bench.notes.append(
                f"live ({key}): {lost} of {len(onsets)} cues not found (score ≤ 0.8)"
            )
        summaries[key] = onset_summary([o.error_frames for o in found])
    got, base = summaries["ground"], summaries["paplay"]
    if len(threads) == 2:
        (t0, first), (t1, last) = threads
        bench.notes.append(
            f"headless session CPU by thread (steady, % of a core): "
            f"{thread_shares(child.pid, first, last, t1 - t0)} (threaded-ml is PulseAudio's "
            "client loop inside PortAudio's ALSA plugin; the unnamed non-main thread with the "
            "most CPU is PortAudio's callback thread)"
        )
    cues = f"{got.cues} cues"
    base_cues = f"paplay (same WAV, 2nd sink, same time, {base.cues} cues)"
    rows = [
        Row(
            names[0],
            f"{got.max_abs_ms:.2f} ms ({got.max_abs_frames} frames)",
            "",
            cues,
            targets[names[0]],
            f"{base.max_abs_ms:.2f} ms ({base.max_abs_frames} frames) {base_cues}",
            ratio(got.max_abs_ms, base.max_abs_ms),
        ),
        Row(
            names[1],
            f"{got.p95_abs_ms:.2f} ms",
            "",
            cues,
            targets[names[1]],
            f"{base.p95_abs_ms:.2f} ms",
            ratio(got.p95_abs_ms, base.p95_abs_ms),
        ),
        Row(
            names[2],
            f"{got.drift_ms:+.2f} ms ({got.drift_frames:+d} frames)",
            "",
            cues,
            targets[names[2]],
            f"{base.drift_ms:+.2f} ms ({base.drift_frames:+d} frames)",
            "",
        ),
    ]
    underruns = parse_underruns(played.stdout)
    rows.append(
        Row(
            names[3],
            "not printed" if underruns is None else str(underruns),
            "",
            "1 session",
            targets[names[3]],
        )
    )
    steady = steady_cpu(samples["ground"], 10)
    steady_base = steady_cpu(samples["paplay"], 10)
    rows.append(
        Row(
            names[4],
            "too short" if steady is None else f"{steady:.2f} %",
            "",
            f"{len(samples['ground'])} samples/1 s",
            targets[names[4]],
            "" if steady_base is None else f"paplay {steady_base:.2f} %",
            "" if steady is None or steady_base is None else ratio(steady, steady_base),
        )
    )
    whole = 100 * played.cpu_seconds / played.wall
    whole_base = 100 * baseline.cpu_seconds / baseline.wall
    rows.append(
        Row(
            names[5],
            f"{whole:.2f} %",
            f"{played.cpu_seconds:.2f} s CPU in {played.wall:.0f} s",
            "1",
            targets[names[5]],
            f"paplay {whole_base:.2f} %",
            ratio(whole, whole_base),
        )
    )
    rows.append(
        Row(
            names[6],
            f"{peaks['ground']:.1f} MB",
            "VmHWM, sampled each second",
            "1",
            targets[names[6]],
            f"paplay {peaks['paplay']:.1f} MB",
            ratio(peaks["ground"], peaks["paplay"]),
        )
    )
    bench.rows.extend(rows)


# -- 4. render speed -----------------------------------------------------------------------------

RENDER_COLD = "`ground render daily-sigh`, cold cache (system voice)"
RENDER_WARM = "`ground render daily-sigh`, warm cache (× real time)"
RENDER_ROWS = ((RENDER_COLD, "—"), (RENDER_WARM, "— (faster is better)"))


def wav_seconds(path: Path) -> float:
    """A WAV's length in seconds."""
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def bench_render(bench: Bench) -> None:
    """Render a 5-minute session warm, against the same render without speech."""
    home = bench.home("render")
    env = bench.env(home)
    out = bench.work / "daily-sigh.wav"
    argv = [*bench.ground, "render", "daily-sigh", "-o", str(out)]
    cold = run_ok(argv, env, bench.work)
    bench.rows.append(
        Row(
            RENDER_COLD,
            f"{cold.wall:.2f} s",
            f"{wav_seconds(out) / cold.wall:.0f}× real time",
            "1",
            "—",
        )
    )
    speeds: list[float] = []
    plain: list[float] = []
    for _ in range(3):
        done = run_ok(argv, env, bench.work)
        speeds.append(wav_seconds(out) / done.wall)
        done = run_ok([*argv, "--engine", "none"], env, bench.work)
        plain.append(wav_seconds(out) / done.wall)
    bench.rows.append(
        Row(
            RENDER_WARM,
            f"{median(speeds):.0f}×",
            spread(speeds, lambda v: f"{v:.0f}×"),
            str(len(speeds)),
            "— (faster is better)",
            f"`--engine none` {median(plain):.0f}×",
            ratio(median(speeds), median(plain)),
        )
    )


# -- 5. import cost ------------------------------------------------------------------------------

IMPORT = "`import assistant.cli.play_command` (wall, incl. interpreter)"
MODULES = "hotkey path loads textual / numpy?"
IMPORT_ROWS = (
    (IMPORT, "— (Python start ≈ 15 ms)"),
    (MODULES, "textual: never; numpy: not at import"),
)

_CHECK_RUNNING = """
import os, sys, threading
from assistant.cli.main import main
def check():
    threading.Event().wait(1.5)
    print("MODULES", "textual" in sys.modules, "numpy" in sys.modules, flush=True)
    os._exit(0)
threading.Thread(target=check, daemon=True).start()
main(["now"])
"""


def bench_imports(bench: Bench) -> None:
    """Time the hotkey path's import against a bare interpreter; check what it loads."""
    env = bench.env(bench.home("imports"))
    bare: list[float] = []
    loaded: list[float] = []
    for _ in range(10):
        bare.append(run_ok([sys.executable, "-c", "pass"], env, bench.work).wall)
        loaded.append(
            run_ok(
                [sys.executable, "-c", "import assistant.cli.play_command"], env, bench.work
            ).wall
        )
    bench.rows.append(
        Row(
            IMPORT,
            ms(median(loaded)),
            spread(loaded, ms),
            str(len(loaded)),
            "— (Python start ≈ 15 ms)",
            f"`python -c pass` {ms(median(bare))}",
            ratio(median(loaded), median(bare)),
        )
    )
    code = (
        "import sys, assistant.cli.play_command; "
        "print('textual' in sys.modules, 'numpy' in sys.modules)"
    )
    at_import = run_ok([sys.executable, "-c", code], env, bench.work).stdout.split()
    running = run_ok([sys.executable, "-c", _CHECK_RUNNING], env, bench.work, timeout=30).stdout
    line = next((x.split() for x in running.splitlines() if x.startswith("MODULES")), None)
    seen = "?" if line is None else f"textual {_yes(line[1])}, numpy {_yes(line[2])}"
    verdict = at_import == ["False", "False"] and line is not None and line[1] == "False"
    bench.rows.append(
        Row(
            MODULES,
            "ok" if verdict else "PROBLEM",
            f"import: textual {_yes(at_import[0])}, numpy {_yes(at_import[1])}; "
            f"`ground now` at 1.5 s: {seen}",
            "2",
            "textual: never; numpy: not at import",
        )
    )
    if line is not None and line[2] == "True":
        bench.notes.append(
            "numpy is loaded 1.5 s into `ground now`: by design, in the background "
            "after the stream started (session.live.load_numpy)"
        )


def _yes(flag: str) -> str:
    return "yes" if flag == "True" else "no"


# -- main ----------------------------------------------------------------------------------------


def machine() -> str:
    """One line about where this ran."""
    rev = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        ).stdout.strip()
    load = os.getloadavg()[0]
    return (
        f"{platform.node()} · {os.cpu_count()} CPUs · load {load:.2f} · Linux "
        f"{platform.release()} · Python {platform.python_version()} · git {rev or '?'}"
        " (+ working tree)"
    )


@contextlib.contextmanager
def pulse_server(root: Path) -> Iterator[PulseServer]:
    """The private PulseAudio server for the whole run; it is gone when this exits."""
    server = PulseServer(root / "pulse")
    try:
        server.start()
        yield server
    finally:
        daemon = _daemon_pid(server)
        # PulseServer.stop() can raise IndexError: it reads the pid file while the exiting
        # daemon is removing it. Whatever happens there, make sure the daemon is gone.
        with contextlib.suppress(Exception):
            server.stop()
        if daemon is not None:
            pause = threading.Event()
            deadline = time.monotonic() + 5
            while _alive(daemon) and time.monotonic() < deadline:
                pause.wait(0.05)
            if _alive(daemon):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(daemon, signal.SIGKILL)


def _daemon_pid(server: PulseServer) -> int | None:
    try:
        return int((server.runtime / "pulse" / "pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return False
    return bool(fields) and fields[0] != "Z"


ALL_PARTS = "launch,live,render,imports,tui,meter,piper,auto,ambient"
#: ``--quick``: the floor section, the live session (headless CPU) and the TUI's first frame:
#: every row of issue 15's table.
QUICK = "floor,live,tui"


def main(argv: Sequence[str] | None = None) -> int:
    """Run every benchmark and print the table; 1 only when the run itself could not start."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--long", action="store_true", help="a 10-minute live session (default 2)")
    parser.add_argument("--runs", type=int, help="launches per kind (default 10; quick 3)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"issue 15's table only, 3 runs each, 30 s of TUI CPU (--only {QUICK})",
    )
    parser.add_argument(
        "--base",
        default="b798931",
        metavar="REV",
        help="the code the TUI CPU row is compared with (default: before issue 15's work)",
    )
    parser.add_argument(
        "--only",
        default=f"floor,{ALL_PARTS}",
        help=f"comma-separated subset of: floor, {ALL_PARTS.replace(',', ', ')}",
    )
    args = parser.parse_args(argv)
    if args.runs is None:
        args.runs = 3 if args.quick else 10
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    only = {part.strip() for part in (QUICK if args.quick else args.only).split(",")}
    from bench.bench_ambient import AMBIENT_ROWS, bench_ambient
    from bench.bench_floor import FLOOR_ROWS, bench_floor  # these build on this module
    from bench.bench_meter import METER_ROWS, bench_meter
    from bench.bench_piper import AUTO_ROWS, PIPER_ROWS, bench_auto, bench_piper
    from bench.bench_tui import TUI_ROWS, bench_tui

    began = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="ground-bench-"))
    mode = "long (10 min live session)" if args.long else "default (2 min live session)"
    if args.quick:
        mode = "quick (" + QUICK + ")"
    bench: Bench | None = None
    try:
        with pulse_server(root) as pulse:
            bench = Bench(root, args.runs, args.long, pulse, SINK, quick=args.quick)
            bench.base = args.base
            sections: list[tuple[str, Sequence[tuple[str, str]], Callable[[Bench], None]]] = [
                ("floor", FLOOR_ROWS, bench_floor),
                ("launch", LAUNCH_ROWS, bench_launch),
                ("live", live_rows(10 if args.long else 2), bench_live),
                ("render", RENDER_ROWS, bench_render),
                ("imports", IMPORT_ROWS, bench_imports),
                ("tui", TUI_ROWS, bench_tui),
                ("meter", METER_ROWS, bench_meter),
                ("piper", PIPER_ROWS, bench_piper),
                ("auto", AUTO_ROWS, bench_auto),
                ("ambient", AMBIENT_ROWS, bench_ambient),
            ]
            for key, names, body in sections:
                if key in only:
                    print(f"… {key}", file=sys.stderr, flush=True)
                    bench.section(names, lambda body=body: body(bench))  # type: ignore[misc]
    except Exception as exc:  # noqa: BLE001 - e.g. no PulseAudio: say so in the table
        bench = bench or Bench(root, args.runs, args.long, None)
        bench.rows.append(Row.failed("benchmark set-up", f"{type(exc).__name__}: {exc}"))
    finally:
        Child.kill_all()
        shutil.rmtree(root, ignore_errors=True)
    elapsed = time.monotonic() - began
    notes = list(bench.notes)
    if Child.leftovers:
        notes += [f"left-over process (killed): {x}" for x in Child.leftovers]
    else:
        notes.append("no process was left behind by any child")
    text = "\n".join(
        [
            f"# ground benchmarks — {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
            "",
            f"{machine()} · mode: {mode} · --runs {args.runs} · took {elapsed:.0f} s",
            "",
            markdown_table(bench.rows),
            "",
            *(f"- {note}" for note in notes),
            "",
        ]
    )
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(text, encoding="utf-8")
    return 1 if any(row.name == "benchmark set-up" for row in bench.rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
