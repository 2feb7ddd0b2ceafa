"""The ambient bed's cost (issue 22): a playing session's CPU with ambient against the same
session without, measured live (the ``ambient`` part of ``make bench``), and the cost on the
audio thread against the mixer's own (``python -m bench.bench_ambient [--blocks N]``).

**Live, paired** (:func:`bench_ambient`). Two headless ``ground play resonance`` sessions of the
same length, voice (espeak, cache warmed by a render first) and levels, one with ``--ambient
waves``, are started together on the benchmark's null sink and sampled together: every second,
``/proc/<pid>/stat``'s utime + stime of each; the steady CPU of each is the slope from 10 s in to
its last sample (start-up, which includes making the bed, excluded), and the ratio is with /
without. Pairs alternate which starts first; the row gives the median ratio over the pairs and
its range, so a burst of load from the other sessions on the machine falls on both alike. The
``ground now`` row is the peak RSS (``VmHWM``, sampled every 0.2 s for 8 s, then SIGINT) of
``ground now --ambient waves`` against ``ground now``, interleaved run by run.

**Per block** (:func:`block_costs`).
No sound card and no subprocess: a 10-minute resonance session (speech stand-ins of noise at the
voice's level, today's tones and bell) is mixed block by block, as the sound card's callback
asks for it, with numpy enabled as in a live session. For every block, in turn:

- **mixer**: ``Mixer.fill`` of the block, as a session plays today;
- **with ambient**: ``Mixer.fill`` of the same block by a mixer with the bed under it (it then
  always mixes in float, never the plain copy of one clip, and checks the soft knee).

Each is timed with ``perf_counter_ns`` around the call alone; the median over all blocks is the
cost, and ``with ambient / mixer`` is the ratio. Interleaving the two, block by block, means a
burst of load from the other sessions on the machine hits both alike. The ratio is for the mixing
alone; a playing session also spends CPU in PortAudio, the callback's wrapper and the views (the
headless session measured 0.57 % of a core against ``paplay``'s 0.45 %, README), so the whole
session's ratio is smaller: ``ambient share`` is the added work as a percentage of a core at
that block size, which is what to add to the measured session CPU.
"""

from __future__ import annotations

import argparse
import signal
import threading
import time
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bench.main import Row, markdown_table, median, percentile

if TYPE_CHECKING:
    from bench.main import Bench

#: Frames per callback, as the sound card asks (``sound.player.BLOCKSIZE``).
BLOCK = 2048
#: Blocks timed per bed: about 90 s of session at 2048 frames.
BLOCKS = 2_000
#: The issue's goal: a playing session with ambient at most this much of the same without.
GOAL = 1.5
#: A headless session's steady CPU without ambient, % of a core (README, issue 15's table): the
#: base the projected ratio adds the bed's work to. ``--session-cpu`` gives today's measure.
SESSION_PERCENT = 0.57


@dataclass(frozen=True)
class AmbientCost:
    """Median cost per block of mixing a session, without and with an ambient bed.

    Attributes:
        name: the bed.
        block: frames per block.
        mixer_us: ``Mixer.fill`` alone.
        bed_us: ``AmbientBed.fill`` alone.
        with_us: ``Mixer.fill`` plus the bed and mixing it in.
        p95_us: the 95th percentile of ``with_us``.
        blocks: blocks timed.
    """

    name: str
    block: int
    mixer_us: float
    bed_us: float
    with_us: float
    p95_us: float
    blocks: int

    @property
    def ratio(self) -> float:
        """Mixing with the bed against mixing without it."""
        return self.with_us / self.mixer_us if self.mixer_us > 0 else float("inf")

    @property
    def added_core_percent(self) -> float:
        """The bed's added work as a percentage of one core, playing in real time."""
        per_second = 48_000 / self.block
        return (self.with_us - self.mixer_us) * per_second / 1e4

    def session_ratio(self, session_percent: float) -> float:
        """A playing session's CPU with the bed against without, given its CPU without."""
        return (session_percent + self.added_core_percent) / session_percent


def session(minutes: float = 10.0):  # type: ignore[no-untyped-def]
    """A resonance session's timeline and clips: speech stand-ins of noise, today's sounds."""
    from assistant.core.compiler import (
        CompileOptions,
        compile_timeline,
        sound_ref,
        speech_ref,
        spoken_texts,
    )
    from assistant.core.library import shipped_script
    from assistant.core.model import ClipRef
    from assistant.sound.assets import load_sound

    script = shipped_script("resonance")
    options = CompileOptions(minutes=minutes)
    rng = np.random.default_rng(22)
    clips: dict[ClipRef, bytes] = {}
    for text in spoken_texts(script, options):
        # Noise at about the voice's level (-20 dBFS RMS), as long as the words would take.
        length = max(4_800, round(0.065 * len(text) * 48_000))
        samples = rng.normal(0.0, 3_300.0, length)
        clips[speech_ref(text)] = np.clip(samples, -32768, 32767).astype("<i2").tobytes()
    for name in ("bell", "inhale", "exhale", "hold", "top_up"):
        clips[sound_ref(name)] = load_sound(name)
    timeline = compile_timeline(script, lambda ref: len(clips[ref]) // 2, options)
    return timeline, clips


def block_costs(name: str, *, blocks: int = BLOCKS, block: int = BLOCK) -> AmbientCost:
    """Time ``blocks`` blocks of a session's mixing without and with the bed ``name``: two
    mixers of the same session, one with the bed under it, filled block for block in turn."""
    from assistant.sound.ambient import AmbientBed
    from assistant.sound.mixer import Mixer

    timeline, clips = session()
    mixer = Mixer(timeline, clips)
    mixer.enable_numpy(np)
    with_bed = Mixer(timeline, clips)
    with_bed.enable_numpy(np)
    bed = AmbientBed(name, timeline)
    with_bed.set_ambient(bed)
    alone = AmbientBed(name, timeline)
    out = bytearray(block * 2)
    view = memoryview(out)
    acc = np.zeros(block, dtype=np.float32)
    without: list[float] = []
    bed_only: list[float] = []
    mixed: list[float] = []
    clock = time.perf_counter_ns
    for _ in range(blocks):
        start = mixer.transport.frame
        if start + block > timeline.total_frames:
            mixer.transport.frame = with_bed.transport.frame = start = 0
        t0 = clock()
        mixer.fill(view, block)
        t1 = clock()
        with_bed.fill(view, block)
        t2 = clock()
        acc.fill(0.0)
        alone.fill(acc, start, block)
        t3 = clock()
        without.append((t1 - t0) / 1e3)
        mixed.append((t2 - t1) / 1e3)
        bed_only.append((t3 - t2) / 1e3)
    return AmbientCost(
        name,
        block,
        median(without),
        median(bed_only),
        median(mixed),
        percentile(mixed, 95),
        blocks,
    )


def ambient_rows(
    blocks: int = BLOCKS, block: int = BLOCK, session_percent: float = SESSION_PERCENT
) -> list[Row]:
    """Per bed: the mixing's cost with it against without, and the session's projected ratio."""
    rows = []
    for name in ("waves", "rain", "brown"):
        cost = block_costs(name, blocks=blocks, block=block)
        rows.append(
            Row(
                f"mixing with ambient `{name}`, per {block}-frame block",
                f"{cost.with_us:.1f} µs",
                f"p95 {cost.p95_us:.1f} µs; the bed's fill {cost.bed_us:.1f} µs",
                str(cost.blocks),
                "—",
                f"mixer alone {cost.mixer_us:.1f} µs",
                f"{cost.ratio:.2f}×",
            )
        )
        rows.append(
            Row(
                f"session CPU with ambient `{name}` (projected)",
                f"{session_percent + cost.added_core_percent:.3f} %",
                f"adds {cost.added_core_percent:.3f} % of a core",
                str(cost.blocks),
                f"≤ {GOAL:g}× without",
                f"session {session_percent:g} %",
                f"{cost.session_ratio(session_percent):.2f}×",
            )
        )
    return rows


AMBIENT_CPU = "headless session CPU with ambient `waves`, steady, paired"
AMBIENT_NOW_RSS = "peak RSS, `ground now --ambient waves` (audio, 8 s, warm)"
#: The rows of the ``ambient`` part (names and targets), for rows that could not be measured.
AMBIENT_ROWS = (
    (AMBIENT_CPU, f"≤ {GOAL:g}× without"),
    (AMBIENT_NOW_RSS, "≤ 60 MB"),
    *(
        (f"mixing with ambient `{name}`, per {BLOCK}-frame block", "—")
        for name in ("waves", "rain", "brown")
    ),
)
#: Session pairs (with, without) measured live.
PAIRS = 2


def bench_ambient(bench: Bench) -> None:
    """The ``ambient`` part of ``make bench``: live CPU with and without, RSS, per-block cost."""
    from bench.main import Child, Row, peak_rss_mb, proc_ticks, run_ok, steady_cpu

    minutes = 10 if bench.long else 2
    home = bench.home("ambient", "espeak")
    env = bench.env(home)
    session = ["resonance", "--minutes", str(minutes), "--engine", "espeak", "--volume", "1"]
    warm = bench.work / "ambient-warm.wav"
    run_ok([*bench.ground, "render", *session[:-2], "-o", str(warm)], env, bench.work)
    ratios: list[float] = []
    cpus: dict[str, list[float]] = {"with": [], "without": []}
    tick = threading.Event()
    for pair in range(PAIRS):
        order = ("with", "without") if pair % 2 == 0 else ("without", "with")
        children = {
            kind: Child(
                [
                    *bench.ground,
                    "play",
                    *session,
                    *(["--ambient", "waves"] if kind == "with" else []),
                ],
                env,
                bench.work,
            )
            for kind in order
        }
        samples: dict[str, list[tuple[float, int]]] = {kind: [] for kind in children}
        limit = time.monotonic() + minutes * 60 + 120
        while any(c.running() for c in children.values()) and time.monotonic() < limit:
            now = time.monotonic()
            for kind, child in children.items():
                ticks = proc_ticks(child.pid) if child.running() else None
                if ticks is not None:
                    samples[kind].append((now, ticks))
            tick.wait(1.0)
        for kind, child in children.items():
            done = child.reap(10)
            if done.returncode != 0 or "underruns: 0" not in done.stdout:
                bench.notes.append(
                    f"ambient pair {pair + 1}, {kind}: exit {done.returncode}, "
                    f"{(done.stdout.strip().splitlines() or ['no output'])[-1]}"
                )
        steady = {kind: steady_cpu(samples[kind], 10) for kind in children}
        if steady["with"] is None or not steady["without"]:
            continue
        cpus["with"].append(steady["with"])
        cpus["without"].append(steady["without"])
        ratios.append(steady["with"] / steady["without"])
    if ratios:
        bench.rows.append(
            Row(
                AMBIENT_CPU,
                f"{median(cpus['with']):.2f} %",
                f"ratios {min(ratios):.2f}–{max(ratios):.2f}×",
                f"{len(ratios)} pairs, {minutes} min each",
                f"≤ {GOAL:g}× without",
                f"without, same time: {median(cpus['without']):.2f} %",
                f"{median(ratios):.2f}×",
            )
        )
    else:
        bench.rows.append(Row.failed(AMBIENT_CPU, "no steady CPU measured", f"≤ {GOAL:g}×"))
    peaks: dict[str, list[float]] = {"waves": [], "none": []}
    for _ in range(max(1, min(bench.runs, 3))):
        for ambient in ("waves", "none"):
            child = Child([*bench.ground, "now", "--ambient", ambient], env, bench.work)
            peak, until = 0.0, time.monotonic() + 8.0
            while child.running() and time.monotonic() < until:
                peak = max(peak, peak_rss_mb(child.pid) or 0.0)
                tick.wait(0.2)
            child.signal(signal.SIGINT)
            child.reap(10)
            peaks[ambient].append(peak)
    bench.rows.append(
        Row(
            AMBIENT_NOW_RSS,
            f"{median(peaks['waves']):.1f} MB",
            f"{min(peaks['waves']):.1f}–{max(peaks['waves']):.1f} MB",
            str(len(peaks["waves"])),
            "≤ 60 MB",
            f"`ground now` {median(peaks['none']):.1f} MB",
            f"+{median(peaks['waves']) - median(peaks['none']):.1f} MB",
        )
    )
    session_percent = median(cpus["without"]) if cpus["without"] else SESSION_PERCENT
    bench.rows.extend(
        r for r in ambient_rows(session_percent=session_percent) if "mixing" in r.name
    )


def _wav(path: Path, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(48_000)
        out.writeframes(samples.astype("<i2").tobytes())


def _listen_row(path: Path, samples: np.ndarray, points: Sequence[int]) -> str:
    """Peak, RMS, spectral centroid, and the largest sample-to-sample steps, as a table row."""
    x = samples.astype(np.float64) / 32768.0
    spectrum = np.abs(np.fft.rfft(x)) ** 2
    freqs = np.fft.rfftfreq(x.size, d=1.0 / 48_000)
    steps = np.abs(np.diff(x))
    inside = [p for p in points if 0 < p < x.size]
    at_points = max((float(steps[p - 1]) for p in inside), default=0.0)
    cells = (
        path.name,
        f"{20 * np.log10(np.abs(x).max()):.1f}",
        f"{10 * np.log10(np.mean(x**2)):.1f}",
        f"{(spectrum * freqs).sum() / spectrum.sum():.0f}",
        f"{steps.max():.4f}",
        f"{np.percentile(steps, 99.9):.4f}",
        f"{at_points:.4f} ({len(inside)})",
    )
    return "| " + " | ".join(cells) + " |"


def listen(out_dir: Path, minutes: float = 3.0) -> list[str]:
    """Render ``minutes`` of each bed and each tone set into ``out_dir`` for listening, and
    measure them: peak and RMS (dBFS), spectral centroid (Hz), the largest sample-to-sample
    step and its 99.9th percentile (full scale), and the largest step where a loop wraps (beds)
    or a clip starts or ends (tones).

    Returns:
        The lines of a markdown table.
    """
    from assistant.core.compiler import CompileOptions, compile_timeline, sound_ref
    from assistant.core.library import shipped_script
    from assistant.core.model import ClipKind, ClipRef, Timeline
    from assistant.core.sounds import BELLS, TONE_KINDS, TONE_SETS
    from assistant.sound.ambient import LOOP_A, LOOP_B, LOOP_C, AmbientBed
    from assistant.sound.mixer import Mixer, render_offline
    from assistant.sound.palette import sound_pcm

    out_dir.mkdir(parents=True, exist_ok=True)
    lines = [
        "| file | peak dBFS | RMS dBFS | centroid Hz | largest step | p99.9 step "
        "| largest step at loop points (n) |",
        "|---|---|---|---|---|---|---|",
    ]

    def sounds_only(script_id: str, clips: dict[ClipRef, bytes]) -> Timeline:
        script = shipped_script(script_id)
        options = CompileOptions(minutes=minutes, voice=False)
        return compile_timeline(
            script,
            lambda ref: len(clips[ref]) // 2 if ref.kind is ClipKind.SOUND else 0,
            options,
        )

    names = ("bell", *TONE_KINDS)
    resonance = sounds_only("resonance", {sound_ref(n): sound_pcm(n) for n in names})
    for name in ("waves", "rain", "brown"):
        samples = np.rint(AmbientBed(name, resonance).render_all()).astype(np.int16)
        wraps = sorted(
            {k * n for n in (LOOP_A, LOOP_B, LOOP_C) for k in range(1, samples.size // n + 1)}
        )
        path = out_dir / f"ambient-{name}.wav"
        _wav(path, samples)
        lines.append(_listen_row(path, samples, wraps))
    for tone_set in TONE_SETS:
        clips = {sound_ref(n): sound_pcm(n, tones=tone_set) for n in names}
        for script_id in ("box", "daily-sigh"):
            timeline = sounds_only(script_id, clips)
            mixer = Mixer(timeline, clips)
            mixer.set_gain("voice", 0.0)
            mixer.enable_numpy(np)
            samples = np.frombuffer(render_offline(mixer), dtype="<i2")
            cues = [(e.frame, e.clip) for e in timeline.cues() if e.clip in clips]
            edges = [f for f, _ in cues] + [f + len(clips[c]) // 2 for f, c in cues if c]
            path = out_dir / f"tones-{tone_set}-{script_id}.wav"
            _wav(path, samples)
            lines.append(_listen_row(path, samples, edges))
    for bell in BELLS:
        samples = np.frombuffer(sound_pcm("bell", bell=bell), dtype="<i2")
        path = out_dir / f"bell-{bell}.wav"
        _wav(path, samples)
        lines.append(_listen_row(path, samples, [1, samples.size - 1]))
    return lines


#: What ``--record`` plays, as a person would: each ambient sound under a session with neither
#: voice nor tones (the bed's own loop points are then what is heard), and each tone set in a
#: breathing session with its bell, the voice off.
RECORDINGS = (
    *(
        (f"live-ambient-{name}", ["resonance", "--ambient", name, "--no-tones"])
        for name in ("waves", "rain", "brown")
    ),
    *(
        (f"live-tones-{tones}", ["box", "--tones", tones, "--bell", bell])
        for tones, bell in (("soft-sine", "bell"), ("hum", "chime"), ("wood", "woodblock"))
    ),
)


def record(out_dir: Path, minutes: float = 3.0) -> list[str]:
    """Play each of :data:`RECORDINGS` for ``minutes`` through a private PulseAudio null sink
    (``ground play``, real PortAudio) and record the sink's monitor into ``out_dir``; measure
    each recording as :func:`listen` measures a render, with clipped samples counted and, for
    the beds, the steps where a loop wraps (the recording's first sample is the session's frame
    0: the opening bell).

    Returns:
        The lines of a markdown table.
    """
    import subprocess
    import sys
    import tempfile

    from assistant.sound.ambient import LOOP_A, LOOP_B, LOOP_C
    from tests.helpers.pulse import PulseServer, stop_recording

    out_dir.mkdir(parents=True, exist_ok=True)
    lines = [
        "| recording | peak dBFS | RMS dBFS | centroid Hz | largest step | p99.9 step "
        "| largest step at loop points (n) | clipped samples | underruns |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as root:
        server = PulseServer(Path(root) / "pulse")
        server.start()
        try:
            env = server.env
            env["GROUND_HOME"] = str(Path(root) / "home")
            env["GROUND_REPORT_UNDERRUNS"] = "1"
            for name, args in RECORDINGS:
                raw = out_dir / f"{name}.raw"
                recorder = server.record(raw)
                threading.Event().wait(0.5)
                played = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "assistant",
                        "play",
                        *args,
                        "--minutes",
                        f"{minutes:g}",
                        "--engine",
                        "none",
                        "--volume",
                        "1",
                    ],
                    env=env,
                    capture_output=True,
                    text=True,
                    stdin=subprocess.DEVNULL,
                    timeout=minutes * 60 + 120,
                    check=False,
                )
                threading.Event().wait(0.5)
                stop_recording(recorder)
                samples = np.frombuffer(raw.read_bytes(), dtype="<i2")
                raw.unlink()
                loud = np.flatnonzero(samples != 0)
                if played.returncode != 0 or loud.size == 0:
                    lines.append(f"| {name} | failed: exit {played.returncode} |")
                    continue
                samples = samples[loud[0] :]
                wav = out_dir / f"{name}.wav"
                _wav(wav, samples)
                loops = (LOOP_A, LOOP_B, LOOP_C) if "ambient" in name else ()
                wraps = sorted({k * n for n in loops for k in range(1, samples.size // n + 1)})
                clipped = int(np.sum(np.abs(samples.astype(np.int32)) >= 32767))
                said = played.stdout.splitlines()
                underruns = next((ln.split()[-1] for ln in said if ln.startswith("underrun")), "?")
                row = _listen_row(wav, samples, wraps)
                lines.append(f"{row} {clipped} | {underruns} |")
        finally:
            server.stop()
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_ambient")
    parser.add_argument("--blocks", type=int, default=BLOCKS, help="blocks timed per bed")
    parser.add_argument("--block", type=int, default=BLOCK, help="frames per block")
    parser.add_argument(
        "--session-cpu",
        type=float,
        default=SESSION_PERCENT,
        help="a playing session's CPU without ambient, %% of a core (default %(default)s)",
    )
    parser.add_argument(
        "--listen",
        metavar="DIR",
        type=Path,
        help="instead: render 3 minutes of each bed and tone set into DIR and measure them",
    )
    parser.add_argument(
        "--record",
        metavar="DIR",
        type=Path,
        help="instead: play 3 minutes of each bed and tone set live on a private PulseAudio "
        "null sink, record its monitor into DIR and measure the recordings",
    )
    args = parser.parse_args(argv)
    if args.record is not None:
        print("\n".join(record(args.record)))
        return 0
    if args.listen is not None:
        print("\n".join(listen(args.listen)))
        return 0
    print(markdown_table(ambient_rows(args.blocks, args.block, args.session_cpu)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
