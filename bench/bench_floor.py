"""How close ``ground`` is to the floor (part of ``python -m bench``): issue 15's table.

Every row has a floor measured in the same run, interleaved, and a ratio to it:

- **Hotkey.** ``ground now`` (warm cache, espeak) against a minimal Python program that plays
  the very same first clip through sounddevice (``RawOutputStream`` with a callback, no numpy,
  the same latency and block size as ground's player), launched alternately, first audible
  sample at the null sink's monitor (the method of :mod:`bench.main`). Measured as people run
  it: ``ground`` from the wheel installed into a fresh venv (``pip`` compiles every module at
  install), and from the editable install twice: with its ``__pycache__`` written, and with
  ``PYTHONDONTWRITEBYTECODE=1``, which some machines set and which makes an editable install
  compile every module on each start. The wheel's venv has only ground in it; its
  dependencies come from the benchmark's own venv through a ``.pth`` line. "Warm" is after an
  untimed ``ground now`` that played :data:`WARM_KEEP` seconds (its clips, bytecode and kept
  pre-roll); one more row takes the same warm clips without the pre-roll (removed before each
  launch): the first ``ground now`` after a settings change.
- **Big library and log.** ``ground list`` with 1,000 scripts of one's own against none, and
  ``ground log`` with 100,000 sessions against one; both fixtures are built here
  (:mod:`bench.fixtures`), each command runs once untimed (to fill the script cache, as any
  earlier run would), then the pairs alternate.
- **TUI steady CPU, A/B.** The code at ``--base`` (default: the commit issue 15's work started
  from) is extracted with ``git archive`` and run from the same venv (``PYTHONPATH`` puts it
  first); it and the current code each play box in a TUI, at the same time, in two ptys,
  through the same private sink; CPU is sampled from /proc after ten seconds of settling.
- **Home screen with 1,000 scripts.** TUI launch → first frame with the 1,000-script folder
  against an empty one, alternating.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.main import (
    CLK_TCK,
    RATE,
    REPO,
    Launch,
    MonitorTap,
    Row,
    cpu_percent,
    launch,
    median,
    ms,
    peak_rss_mb,
    proc_ticks,
    ratio,
    run_ok,
    spread,
)

#: The commit issue 15's work began from: the TUI CPU row's "before" (``--base`` overrides).
BASE = "b798931"

MINIMAL = "minimal sounddevice player → first sample (floor)"
NOW_WHEEL = "`ground now` → first sample, warm, wheel install"
NOW_EDITABLE = "`ground now` → first sample, warm, editable install"
NOW_NO_PYC = "`ground now` → first sample, warm, editable + PYTHONDONTWRITEBYTECODE=1"
NOW_NO_PREROLL = "`ground now` → first sample, warm clips, no pre-roll kept (wheel)"
NOW_RSS = "peak RSS, `ground now` (wheel, audio, 5 s, warm)"
LIST_NONE = "`ground list`, no scripts of one's own (floor)"
LIST_BIG = "`ground list` with 1,000 scripts of one's own"
LOG_ONE = "`ground log` with one session (floor)"
LOG_BIG = "`ground log` with 100,000 sessions"
HOME_NONE = "TUI launch → first frame, no scripts of one's own (floor)"
HOME_BIG = "TUI launch → first frame with 1,000 scripts of one's own"
TUI_AB = "CPU, TUI session (box), steady, this code"
TUI_BASE = "CPU, TUI session (box), steady, base code (floor)"
FLOOR_ROWS = (
    (MINIMAL, ""),
    (NOW_WHEEL, "≤ 1.25× the minimal player"),
    (NOW_EDITABLE, "≤ 1.25× the minimal player"),
    (NOW_NO_PYC, "— (how much the compile costs)"),
    (NOW_NO_PREROLL, "— (the first after a settings change)"),
    (NOW_RSS, "≤ 60 MB"),
    (LIST_NONE, ""),
    (LIST_BIG, "≤ 1.5× none"),
    (LOG_ONE, ""),
    (LOG_BIG, "≤ 1.5× one session"),
    (HOME_NONE, ""),
    (HOME_BIG, "≤ 1.5× none"),
    (TUI_BASE, ""),
    (TUI_AB, "≤ 0.5× the base code"),
)

#: How long the untimed warm-up ``ground now`` plays: long enough to keep its pre-roll.
WARM_KEEP = 3.0

#: A floor for the hotkey: play a WAV through sounddevice's RawOutputStream, nothing else.
MINIMAL_PLAYER = """\
import sys, threading, wave
import sounddevice as sd

with wave.open(sys.argv[1], "rb") as wav:
    rate, data = wav.getframerate(), wav.readframes(wav.getnframes())
latency, blocksize = float(sys.argv[2]), int(sys.argv[3])
done = threading.Event()
position = 0

def callback(outdata, frames, _time, _status):
    global position
    chunk = data[position : position + 2 * frames]
    position += len(chunk)
    outdata[: len(chunk)] = chunk
    outdata[len(chunk) :] = bytes(len(outdata) - len(chunk))
    if not chunk:
        raise sd.CallbackStop

stream = sd.RawOutputStream(samplerate=rate, channels=1, dtype="int16", latency=latency,
                            blocksize=blocksize, callback=callback, finished_callback=done.set)
with stream:
    done.wait()
"""


def install_wheel(bench: Any) -> list[str]:
    """Build the wheel and install it into a fresh venv; returns its ``ground`` command."""
    dist = bench.root / "dist"
    run_ok(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        bench.env(),
        REPO,
        timeout=300,
    )
    wheel = next(dist.glob("*.whl"))
    venv = bench.root / "wheel-venv"
    run_ok([sys.executable, "-m", "venv", "--without-pip", str(venv)], bench.env(), bench.work)
    python = venv / "bin" / "python"
    run_ok(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        bench.env(),
        bench.work,
        timeout=300,
    )
    purelib = run_ok(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        bench.env(),
        bench.work,
    ).stdout.strip()
    ours = subprocess.run(
        [sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # The dependencies (sounddevice, textual, …) from this venv, after the wheel's own files.
    (Path(purelib) / "zz_bench_dependencies.pth").write_text(ours + "\n", encoding="utf-8")
    return [str(venv / "bin" / "ground")]


def _env(bench: Any, home: Path, *, pyc: bool) -> dict[str, str]:
    env: dict[str, str] = bench.env(home)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not pyc:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def bench_hotkey(bench: Any, tap: MonitorTap, wheel: list[str]) -> None:
    """``ground now`` (wheel; editable with and without bytecode) against the minimal player."""
    from assistant.sound.player import BLOCKSIZE, DEFAULT_LATENCY
    from bench.main import first_clip

    home = bench.home("floor-warm", "espeak")
    clip = first_clip(bench, home, "espeak")
    player = bench.work / "minimal_player.py"
    player.write_text(MINIMAL_PLAYER, encoding="utf-8")
    minimal = [sys.executable, str(player), str(clip), str(DEFAULT_LATENCY), str(BLOCKSIZE)]
    editable = bench.editable
    plans: list[tuple[str, list[str], dict[str, str]]] = [
        (NOW_WHEEL, [*wheel, "now"], _env(bench, home, pyc=True)),
        (NOW_EDITABLE, [*editable, "now"], _env(bench, home, pyc=True)),
        (NOW_NO_PYC, [*editable, "now"], _env(bench, home, pyc=False)),
    ]
    # One untimed launch each, played as long as a person's would (WARM_KEEP): the wheel venv
    # and the editable install write their bytecode, and ground keeps its pre-roll, which it
    # mixes after the first sound. A launch stopped at its first sound ends before that: the
    # timed launches then all took the path without one (1.9x instead of 1.1x, issue 24).
    for _, argv, env in plans:
        launch(bench, tap, argv, env, keep=WARM_KEEP)
    kept = home / "cache" / "now.preroll"
    if not kept.is_file():
        raise RuntimeError(f"the warm-up `ground now` kept no pre-roll ({kept.name})")
    # The same warm clips without the pre-roll: the first `ground now` after a settings change.
    first = home.parent / f"{home.name}-first"
    shutil.copytree(home, first)
    plans.append((NOW_NO_PREROLL, [*wheel, "now"], _env(bench, first, pyc=True)))
    launch(bench, tap, minimal, _env(bench, home, pyc=True))
    results: dict[str, list[Launch]] = {name: [] for name in (MINIMAL, *(p[0] for p in plans))}
    for _ in range(max(3, bench.runs // 2)):
        for name, argv, env in plans:
            (first / "cache" / "now.preroll").unlink(missing_ok=True)
            results[name].append(launch(bench, tap, argv, env))
            results[MINIMAL].append(launch(bench, tap, minimal, _env(bench, home, pyc=True)))
    rss = [launch(bench, tap, [*wheel, "now"], plans[0][2], keep=5.0) for _ in range(3)]
    for runs in results.values():
        for one in runs:
            if one.onset is not None:
                one.latency = tap.start_time(one.spawned) + one.onset / RATE - one.spawned
    floor = [r.latency for r in results[MINIMAL] if r.latency is not None]
    if not floor:
        raise RuntimeError("the minimal player was never heard")
    base = median(floor)
    bench.rows.append(Row(MINIMAL, ms(base), spread(floor, ms), str(len(floor))))
    for name, target in FLOOR_ROWS[1:5]:
        values = [r.latency for r in results[name] if r.latency is not None]
        if not values:
            bench.rows.append(Row.failed(name, "no audible sample in any run", target))
            continue
        bench.rows.append(_against(name, values, target, f"minimal player {ms(base)}", base))
    peaks = [r.peak_rss_mb for r in rss if r.peak_rss_mb is not None]
    early = [r.rss_at_sound_mb for r in rss if r.rss_at_sound_mb is not None]
    if peaks:
        bench.rows.append(
            Row(
                NOW_RSS,
                f"{median(peaks):.1f} MB",
                spread(peaks, lambda v: f"{v:.1f}")
                + (f"; {median(early):.1f} MB at the first sound" if early else ""),
                str(len(peaks)),
                "≤ 60 MB",
            )
        )


def _timed(argv: Sequence[str], env: dict[str, str], bench: Any) -> float:
    return run_ok(argv, env, bench.work).wall


def bench_scale(bench: Any, ground: list[str]) -> None:
    """``ground list`` with 1,000 scripts against none; ``ground log`` 100,000 against one."""
    from bench.fixtures import make_log, make_user_scripts

    small, big = bench.home("scale-none"), bench.home("scale-big")
    make_user_scripts(big, 1000)
    make_log(small, 1)
    make_log(big, 100_000)
    pairs = [
        (LIST_NONE, LIST_BIG, "list"),
        (LOG_ONE, LOG_BIG, "log"),
    ]
    for floor_name, name, command in pairs:
        envs = (_env(bench, small, pyc=True), _env(bench, big, pyc=True))
        for env in envs:  # untimed: the script cache is filled as by any earlier run
            _timed([*ground, command], env, bench)
        floor: list[float] = []
        values: list[float] = []
        for _ in range(max(3, bench.runs // 2)):
            floor.append(_timed([*ground, command], envs[0], bench))
            values.append(_timed([*ground, command], envs[1], bench))
        target = "≤ 1.5× " + ("none" if command == "list" else "one session")
        _pair(bench, (floor_name, floor), (name, values), target)
    envs = (_env(bench, small, pyc=True), _env(bench, big, pyc=True))
    for env in envs:  # untimed, as above
        _first_frame(ground, env, bench)
    floor, values = [], []
    for _ in range(max(3, bench.runs // 2)):
        floor.append(_first_frame(ground, envs[0], bench))
        values.append(_first_frame(ground, envs[1], bench))
    _pair(bench, (HOME_NONE, floor), (HOME_BIG, values), "≤ 1.5× none")


def _first_frame(ground: list[str], env: dict[str, str], bench: Any) -> float:
    """Seconds from spawning the TUI to its home screen's first frame."""
    from bench.bench_tui import PtyApp

    app = PtyApp(ground, env, bench.work)
    try:
        return app.wait_for("Right now")
    finally:
        app.stop()


def _pair(
    bench: Any,
    floor: tuple[str, list[float]],
    measured: tuple[str, list[float]],
    target: str,
) -> None:
    """A floor's row, then the measurement's row with the floor and the ratio to it."""
    (floor_name, lows), (name, values) = floor, measured
    bench.rows.append(Row(floor_name, ms(median(lows)), spread(lows, ms), str(len(lows))))
    bench.rows.append(_against(name, values, target, ms(median(lows)), median(lows)))


def _against(name: str, values: list[float], target: str, label: str, base: float) -> Row:
    """A row of times in seconds with their floor (``label``, ``base`` s) and the ratio."""
    return Row(
        name,
        ms(median(values)),
        spread(values, ms),
        str(len(values)),
        target,
        label,
        ratio(median(values), base),
    )


def base_tree(bench: Any, rev: str) -> Path:
    """The package at ``rev`` (with its scripts and sounds), extracted for ``PYTHONPATH``."""
    target: Path = bench.root / f"base-{rev}"
    target.mkdir()
    with tempfile.TemporaryFile(dir=bench.root) as archive:
        subprocess.run(
            ["git", "archive", "--format=tar", rev, "assistant", "scripts", "audio"],
            cwd=REPO,
            stdout=archive,
            check=True,
            timeout=60,
        )
        archive.seek(0)
        with tarfile.open(fileobj=archive) as tar:
            tar.extractall(target, filter="data")
    return target


def bench_tui_ab(bench: Any, ground: list[str], rev: str) -> None:
    """TUI steady CPU of this code and of ``rev``, playing box at the same time."""
    from bench.bench_tui import PtyApp, start_box

    base = base_tree(bench, rev)
    ours_env = _env(bench, bench.home("ab-ours", "espeak"), pyc=True)
    base_env = _env(bench, bench.home("ab-base", "espeak"), pyc=True)
    base_env["PYTHONPATH"] = str(base)
    seconds = 30.0 if bench.quick else 60.0
    apps = {
        "ours": PtyApp(ground, ours_env, bench.work),
        "base": PtyApp(ground, base_env, bench.work),
    }
    try:
        for app in apps.values():
            start_box(app)
        threading.Event().wait(10)
        first = {key: (proc_ticks(app.process.pid), time.monotonic()) for key, app in apps.items()}
        threading.Event().wait(seconds)
        last = {key: (proc_ticks(app.process.pid), time.monotonic()) for key, app in apps.items()}
        peaks = {key: peak_rss_mb(app.process.pid) for key, app in apps.items()}
    finally:
        for app in apps.values():
            app.stop()
    cpu: dict[str, float] = {}
    for key in apps:
        (t0, w0), (t1, w1) = first[key], last[key]
        if t0 is None or t1 is None:
            raise RuntimeError(f"the {key} TUI exited during the session")
        cpu[key] = cpu_percent(t1 - t0, w1 - w0, CLK_TCK)
    sampled = f"{seconds:.0f} s sampled, both at once"
    bench.rows.append(Row(TUI_BASE, f"{cpu['base']:.2f} %", f"{sampled}; git {rev}", "1", ""))
    bench.rows.append(
        Row(
            TUI_AB,
            f"{cpu['ours']:.2f} %",
            sampled + (f"; peak RSS {peaks['ours']:.0f} MB" if peaks["ours"] else ""),
            "1",
            "≤ 0.5× the base code",
            f"base {cpu['base']:.2f} %",
            ratio(cpu["ours"], cpu["base"]),
        )
    )


def bench_floor(bench: Any) -> None:
    """Every row of issue 15's table (the wheel is built and installed first)."""
    wheel = install_wheel(bench)
    tap = MonitorTap(bench.env(), f"{bench.sink}.monitor")
    tap.start()
    try:
        bench.section(FLOOR_ROWS[:6], lambda: bench_hotkey(bench, tap, wheel))
    finally:
        tap.stop()
    bench.section(FLOOR_ROWS[6:12], lambda: bench_scale(bench, wheel))
    bench.section(FLOOR_ROWS[12:], lambda: bench_tui_ab(bench, wheel, bench.base))
    bench.installed = wheel  # the sections after this one run ground as installed from it
