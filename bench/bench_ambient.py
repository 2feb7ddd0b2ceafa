"""The ambient bed's cost on the audio thread, against the mixer's own (issue 22): ``python -m
bench.bench_ambient [--blocks N] [--block FRAMES]``.

No sound card and no subprocess: a 10-minute resonance session (speech stand-ins of noise at the
voice's level, today's tones and bell) is mixed block by block, as the sound card's callback
asks for it, with numpy enabled as in a live session. For every block, in turn:

- **mixer**: ``Mixer.fill`` of the block, as a session plays today;
- **with ambient**: the same ``Mixer.fill``, then what phase 2 adds to it: ``AmbientBed.fill``
  into a float32 accumulator, the mixer's int16 block added in, rounded, clipped and written
  back (an ambient session always mixes in float, never the plain copy of one clip).

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
import time
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.main import Row, markdown_table, median, percentile

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
    """Time ``blocks`` blocks of a session's mixing without and with the bed ``name``."""
    from assistant.sound.ambient import AmbientBed
    from assistant.sound.mixer import Mixer

    timeline, clips = session()
    mixer = Mixer(timeline, clips)
    mixer.enable_numpy(np)
    bed = AmbientBed(name, timeline)
    out = bytearray(block * 2)
    view = memoryview(out)
    pcm = np.frombuffer(out, dtype=np.int16)
    acc = np.zeros(block, dtype=np.float32)
    without: list[float] = []
    bed_only: list[float] = []
    with_bed: list[float] = []
    clock = time.perf_counter_ns
    for _ in range(blocks):
        start = mixer.transport.frame
        if start + block > timeline.total_frames:
            mixer.transport.frame = start = 0
        t0 = clock()
        mixer.fill(view, block)
        t1 = clock()
        acc.fill(0.0)
        bed.fill(acc, start, block)
        t_bed = clock()
        np.add(acc, pcm, out=acc, casting="unsafe")
        np.rint(acc, out=acc)
        np.clip(acc, -32768.0, 32767.0, out=acc)
        np.copyto(pcm, acc, casting="unsafe")
        t2 = clock()
        without.append((t1 - t0) / 1e3)
        bed_only.append((t_bed - t1) / 1e3)
        with_bed.append((t2 - t0) / 1e3)
    return AmbientCost(
        name,
        block,
        median(without),
        median(bed_only),
        median(with_bed),
        percentile(with_bed, 95),
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
    args = parser.parse_args(argv)
    if args.listen is not None:
        print("\n".join(listen(args.listen)))
        return 0
    print(markdown_table(ambient_rows(args.blocks, args.block, args.session_cpu)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
