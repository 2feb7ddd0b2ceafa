"""Ambient beds made in code: waves that swell with each breath, rain, and brown noise.

Everything heavy happens when a bed is built, off the audio thread: a few seconds of shaped
noise per layer, made periodic (random-phase noise synthesised on an FFT grid: the loop's last
sample runs into its first exactly as any two neighbours do, so there is no seam to crossfade),
and for ``waves`` a list of breakpoints for the swell, from the timeline's PHASE events. Two
loops of coprime lengths play together, so the mixture only repeats after days. The audio
thread then only copies, multiplies and adds into buffers made in advance (:meth:`AmbientBed.fill`
allocates nothing), and a 10-minute session holds a few seconds of audio, not ten minutes.

Levels: the voice is normalised to -20 dBFS (``speech.clips.TARGET_RMS_DBFS``) and the tones sit
at -28; a bed plays at :data:`AMBIENT_LEVEL_DBFS` RMS (the top of a swell for ``waves``), more
than 10 dB under the voice, and its loops are soft-limited so its peaks stay around -18 dBFS
(-16 with rain's drops): a voice peak (-3 dBFS) on top stays under full scale.

Imports numpy at module scope: import this module only once the first sound is playing (the
hotkey path may not load numpy before it).
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from assistant.core.model import EventKind, PhaseKind, Timeline
from assistant.core.sounds import AMBIENTS, NO_AMBIENT

Floats = npt.NDArray[np.float32]
Doubles = npt.NDArray[np.float64]
Shape = Callable[[Doubles], Doubles]
"""A magnitude response: gain by frequency in Hz."""

#: RMS of a bed at its steady level (waves: at the top of a swell), in dBFS: 11 dB under the
#: spoken voice's -20, well over the 6 dB the voice must keep above it.
AMBIENT_LEVEL_DBFS = -31.0
#: The mix's scale: the mixer sums in int16 units.
FULL_SCALE = 32768.0
#: Seconds over which a bed fades in at the start and out at the end.
FADE_SECONDS = 3.0
#: Frames of the short fades that take the click out of a skip or a pause (10 ms at 48 kHz).
DECLICK_FRAMES = 480
#: The largest block :meth:`AmbientBed.fill` does in one go (larger ones are done in parts).
MAX_BLOCK = 16_384
#: The seed every bed is made from: the same bed is the same bytes on every run.
SEED = 22
#: Loop lengths in frames: coprime, so two loops played together repeat only after days.
LOOP_A = 196_608  # 2^16·3, 4.1 s at 48 kHz
LOOP_B = 284_375  # 5^5·7·13, 5.9 s
LOOP_C = 143_143  # 7·11^2·13^2, 3.0 s
#: Peaks of a loop are rounded off above this many times its RMS (about 10 dB over it).
CREST = 3.2

#: The swell of ``waves`` in breath units: 0 is the quiet floor, 1 the crest.
STEADY = 0.5
"""Where the swell rests outside breathing blocks (a calm, steady sea)."""
TOP_UP_FROM = 0.8
"""How far an inhale carries the swell when a top-up follows it (the top-up takes it to 1)."""
GLIDE_SECONDS = 3.0
"""Seconds to glide between the steady level and a breathing block's first or last value."""
EASE_STEPS = 8
"""Straight pieces that approximate the eased (smoothstep) shape of each rise and fall."""
#: The swelling layer of ``waves``: its level at the crest and at the floor, relative to the
#: bed's level, in dB; the steady rumble under it, relative to the bed's level.
WASH_TOP_DB = -0.5
WASH_FLOOR_DB = -20.0
RUMBLE_DB = -9.0

#: Rain's drops: one chance of a drop per slot of this many frames (0.1 s) ...
DROP_SLOT = 4_800
#: ... taken this often ...
DROP_CHANCE = 0.35
#: ... from a table of this many slots (a prime: the drops repeat only after 6.8 minutes) ...
DROP_SLOTS = 4_099
#: ... each a soft "plink" this many frames long, at most this loud against the bed's RMS.
DROP_FRAMES = 2_304
DROP_GAIN = (1.0, 3.0)
DROP_GRAINS = 12


@dataclass(frozen=True)
class _Layer:
    """Loops that play together, and how loud: fixed, or following the swell.

    Attributes:
        loops: one or two periodic buffers (float32, RMS 1 together).
        gain_db: fixed level in dB relative to the bed's level, or None to follow the swell.
    """

    loops: tuple[Floats, ...]
    gain_db: float | None


@dataclass(frozen=True)
class _Schedule:
    """What the audio thread reads, swapped as one value: the swell's breakpoints and the end.

    Attributes:
        frames: breakpoint frames, ascending (empty: the swell rests at :data:`STEADY`).
        values: the swell (0..1) at each breakpoint; straight lines between them.
        end: the frame the bed has faded out by (None: open-ended, no fade-out).
        fade_out: frames the fade-out takes (None: the bed's fade, at most half its length).
    """

    frames: Sequence[int]
    values: Sequence[float]
    end: int | None
    fade_out: int | None = None

    @property
    def gains(self) -> tuple[float, ...]:
        """The swelling layer's gain at each breakpoint (relative to the bed's level): the
        swell's straight lines in dB, taken at the breakpoints (between them the gain runs
        straight too: a piece of a rise is at most a few dB, so the two differ by <0.1 dB)."""
        cached: tuple[float, ...] | None = self.__dict__.get("_gains")
        if cached is None:
            cached = tuple(_gain_of(v) for v in self.values)
            object.__setattr__(self, "_gains", cached)
        return cached


def _gain_of(swell: float) -> float:
    """The swelling layer's gain for a swell of 0 (floor) to 1 (crest), relative to the level."""
    return float(10.0 ** ((WASH_FLOOR_DB + (WASH_TOP_DB - WASH_FLOOR_DB) * swell) / 20.0))


_STEADY_GAIN = _gain_of(STEADY)


class AmbientBed:
    """One ambient sound for one session, added under the rest of the mix.

    Args:
        name: ``waves``, ``rain`` or ``brown`` (see :func:`make_bed` for ``none``).
        timeline: the session; ``waves`` follows its PHASE events, and every bed fades out by
            its last frame.
        level_dbfs: RMS at the steady level (the crest of a swell for ``waves``).
        seed: the noise's seed; the same seed gives the same samples.
        fade_seconds: fade-in at the start and fade-out at the end.
        open_ended: no fade-out (a sitting that lasts until stopped: see :meth:`set_end`).
        begin: the frame the bed starts at, fading in from there (a bed made after the session
            started playing, as on the hotkey path, where numpy waits for the first sound).
        steady: ``waves`` without the swell (the breath meter listens in the band the surf
            swells in: a swell in time with the pacer would look like breathing to it).

    Note:
        :meth:`fill` and :meth:`release` run on the audio thread: no locks, no I/O, no new
        arrays. :meth:`replace_timeline` and :meth:`set_end` may be called from any thread;
        they swap one plain value the audio thread reads once per block.
    """

    def __init__(
        self,
        name: str,
        timeline: Timeline,
        *,
        level_dbfs: float = AMBIENT_LEVEL_DBFS,
        seed: int = SEED,
        fade_seconds: float = FADE_SECONDS,
        open_ended: bool = False,
        begin: int = 0,
        steady: bool = False,
    ) -> None:
        if name not in AMBIENTS or name == NO_AMBIENT:
            choices = ", ".join(a for a in AMBIENTS if a != NO_AMBIENT)
            raise ValueError(f"unknown ambient sound '{name}'; use one of: {choices}")
        self.name = name
        self.sample_rate = timeline.sample_rate
        self.level_dbfs = level_dbfs
        self._fade = max(1, round(fade_seconds * self.sample_rate))
        self._level = FULL_SCALE * 10.0 ** (level_dbfs / 20.0)
        # Each loop is scaled once to its layer's level (the swelling layer's by the bed's
        # level; its swell is applied as it plays), so the audio thread multiplies only once.
        self._layers = tuple(
            _Layer(
                tuple(
                    (loop * np.float32(self._level * 10.0 ** ((layer.gain_db or 0.0) / 20.0)))
                    for loop in layer.loops
                ),
                layer.gain_db,
            )
            for layer in _layers(name, seed, self.sample_rate)
        )
        self._swells = any(g.gain_db is None for g in self._layers)
        self._follows_breath = not steady and self._swells
        self._timeline = timeline
        # Where a change between steady and following the breath glides from: (frame, swell).
        self._glide_from: tuple[int, float] | None = None
        self._begin = max(0, begin)
        self._drops: tuple[Floats, ...] = ()
        self._slots: tuple[list[int], list[int], list[float]] = ([], [], [])
        if name == "rain":
            self._drops = _drop_grains(seed, self.sample_rate)
            self._slots = _drop_slots(seed)
        self._schedule = self._plan(timeline, None if open_ended else timeline.total_frames)
        # Working buffers, made once: the audio thread only writes into them.
        self._out = np.zeros(MAX_BLOCK, dtype=np.float32)
        self._chunk = np.zeros(MAX_BLOCK, dtype=np.float32)  # rendered ahead (_rendered)
        self._chunk_from: int | None = None
        self._chunk_schedule: _Schedule | None = None
        self._chunk_count = 0  # chunks rendered so far: which one the int16 copy was made of
        # The chunk at the mixer's gain as int16 (pcm_block), and which chunk and gain it is.
        self._pcm = np.zeros(MAX_BLOCK, dtype=np.int16)
        self._pcm_bytes = memoryview(self._pcm.data).cast("B")
        self._pcm_of: tuple[int, float] | None = None
        self._tail = np.zeros(DECLICK_FRAMES, dtype=np.float32)
        self._layer = np.zeros(MAX_BLOCK, dtype=np.float32)
        self._gain = np.zeros(MAX_BLOCK, dtype=np.float32)
        self._tmp = np.zeros(MAX_BLOCK, dtype=np.float32)
        self._index = np.arange(MAX_BLOCK, dtype=np.float32)
        ramp = np.arange(DECLICK_FRAMES, dtype=np.float64) / DECLICK_FRAMES
        self._fade_in = (0.5 - 0.5 * np.cos(np.pi * ramp)).astype(np.float32)
        self._fade_out = self._fade_in[::-1].copy()
        self._expected: int | None = None  # the frame that continues the last block
        self._released = False  # the last block ended in a release (pause)

    # -- set-up, from any thread ----------------------------------------------------------------

    def replace_timeline(self, timeline: Timeline, *, open_ended: bool = False) -> None:
        """Follow a new compile of the session (a cold cache's full timeline, a stopped timer)."""
        self._timeline = timeline
        self._schedule = self._plan(timeline, None if open_ended else timeline.total_frames)

    def set_steady(self, steady: bool, at: int) -> None:
        """Stop following the breath from frame ``at`` (the breath meter was turned on), or
        follow it again; the swell glides there over :data:`GLIDE_SECONDS`, never jumps.

        Args:
            steady: rest at the steady level (True) or swell with the breath (False).
            at: a frame not mixed yet, where the glide starts.
        """
        if not self._swells or steady != self._follows_breath:
            return  # nothing swells (rain, brown), or it already does what is asked
        old = self._schedule
        self._glide_from = (at, _value_at(old.frames, old.values, at))
        self._follows_breath = not steady
        self._schedule = replace(self._plan(self._timeline, old.end), fade_out=old.fade_out)

    @property
    def steady(self) -> bool:
        """Whether the swell rests at its steady level instead of following the breath."""
        return not self._follows_breath

    def set_end(self, frame: int | None, *, fade_from: int | None = None) -> None:
        """Fade out by ``frame`` (None: play on until stopped).

        Args:
            frame: the frame the bed is silent from.
            fade_from: where the fade-out starts (a stopped sitting: a frame not mixed yet, so
                the level never jumps); None: the bed's usual fade before ``frame``.
        """
        old = self._schedule
        length = None if frame is None or fade_from is None else max(1, frame - fade_from)
        self._schedule = _Schedule(old.frames, old.values, frame, length)

    @property
    def end(self) -> int | None:
        """The frame the bed has faded out by (None: open-ended)."""
        return self._schedule.end

    @property
    def nbytes(self) -> int:
        """Bytes of audio and buffers the bed holds (the loops and the working buffers)."""
        arrays = [loop for layer in self._layers for loop in layer.loops]
        arrays += [*self._drops, self._out, self._chunk, self._tail, self._layer, self._gain]
        arrays += [self._tmp]
        arrays += [self._index, self._fade_in, self._fade_out]
        schedule = self._schedule
        points = len(schedule.frames) * 8 + len(schedule.values) * 8
        buffers = sum(a.nbytes for a in arrays) + self._pcm.nbytes
        return buffers + points + 3 * len(self._slots[0]) * 8

    def swell_at(self, frame: int) -> float:
        """Where the swell is at ``frame``, 0 (floor) to 1 (crest) (for tests and views)."""
        schedule = self._schedule
        return _value_at(schedule.frames, schedule.values, frame)

    # -- the audio thread -----------------------------------------------------------------------

    def fill(self, acc: Floats, start: int, n: int, gain: float = 1.0) -> None:
        """Add the bed's frames ``[start, start + n)`` into ``acc[:n]`` (float32, int16 scale).

        A jump (``start`` is not where the last block ended: a skip) crossfades from where the
        bed was over :data:`DECLICK_FRAMES`; after :meth:`release` (a pause) or a block at gain
        0 (muted) it fades back in.

        Args:
            acc: the mixer's accumulator for the block.
            start: the block's first timeline frame.
            n: frames to add.
            gain: the mixer's gain for the bed (master × ambient); 0 adds nothing.
        """
        if gain <= 0.0:
            # Muted: nothing to hear, but come back in with a fade, not a click.
            self._expected, self._released = start + n, True
            return
        done = 0
        while done < n:
            part = min(MAX_BLOCK, n - done)
            self._fill_block(acc[done : done + part], start + done, part, gain)
            done += part

    def release(self, acc: Floats, n: int, gain: float = 1.0) -> int:
        """Fade the bed out over the first frames of ``acc`` (the block where a pause begins).

        Returns:
            The frames written (at most :data:`DECLICK_FRAMES`; 0 if nothing was sounding).
        """
        if self._expected is None or self._released or n <= 0:
            return 0
        count = min(n, DECLICK_FRAMES)
        self._add_tail(acc, self._expected, count, gain)
        self._released = True
        return count

    def _fill_block(self, acc: Floats, start: int, n: int, gain: float) -> None:
        expected = self._expected
        out = self._out[:n]
        if expected is not None and (start != expected or self._released):
            np.copyto(out, self._rendered(start, n))
            fade = min(n, DECLICK_FRAMES)
            np.multiply(out[:fade], self._fade_in[:fade], out=out[:fade])
            if start != expected and not self._released:
                self._add_tail(acc, expected, fade, gain)
            if gain != 1.0:
                np.multiply(out, gain, out=out)
            np.add(acc, out, out=acc)
        elif gain != 1.0:  # the usual block: two calls into numpy
            np.multiply(self._rendered(start, n), gain, out=out)
            np.add(acc, out, out=acc)
        else:
            np.add(acc, self._rendered(start, n), out=acc)
        self._expected = start + n
        self._released = False

    def _add_tail(self, acc: Floats, frame: int, count: int, gain: float) -> None:
        """Add the bed from ``frame`` on, fading to silence over ``count`` frames, into acc."""
        tail = self._tail[:count]
        np.multiply(
            self._rendered(frame, count), self._fade_out[DECLICK_FRAMES - count :], out=tail
        )
        if gain != 1.0:
            np.multiply(tail, gain, out=tail)
        np.add(acc[:count], tail, out=acc[:count])

    def _rendered(self, start: int, n: int) -> Floats:
        """The bed's frames ``[start, start + n)`` (``n`` ≤ :data:`MAX_BLOCK`), read from the
        stretch rendered ahead: a view, valid until the next call.

        The bed is rendered :data:`MAX_BLOCK` frames at a time (eight of the sound card's
        blocks), so most blocks cost one or two calls into numpy, not forty: each call costs a
        few microseconds on the audio thread whatever its length. A new schedule (a new
        compile, the meter turned on, a stopped sitting) or a jump renders afresh.
        """
        schedule = self._schedule
        base = self._chunk_from
        if (
            schedule is not self._chunk_schedule
            or base is None
            or start < base
            or start + n > base + MAX_BLOCK
        ):
            self._render(self._chunk, start, MAX_BLOCK, schedule)
            self._chunk_from, self._chunk_schedule = start, schedule
            self._chunk_count += 1
            base = start
        return self._chunk[start - base : start - base + n]

    def pcm_block(self, start: int, n: int, gain: float) -> memoryview | None:
        """The bed alone for frames ``[start, start + n)`` at ``gain``, as int16 bytes, when
        that block simply carries on from the last one (nothing to fade in or cross-fade), for
        the mixer to copy into a block where nothing else sounds; else None (use :meth:`fill`).

        The bytes are rounded once per rendered stretch, so such a block costs a copy: no
        calls into numpy at all. They are what :meth:`fill` into a zeroed block, rounded, gives.
        """
        expected = self._expected
        if gain <= 0.0 or self._released or n > MAX_BLOCK:
            return None
        if expected is not None and expected != start:
            return None
        self._rendered(start, n)  # the stretch rendered ahead covers the block
        base = self._chunk_from
        assert base is not None
        made_of = (self._chunk_count, gain)
        if made_of != self._pcm_of:
            scaled = self._layer  # a working buffer of MAX_BLOCK, free between renders
            np.multiply(self._chunk, np.float32(gain), out=scaled)
            np.rint(scaled, out=scaled)
            np.clip(scaled, -32768.0, 32767.0, out=scaled)
            np.copyto(self._pcm, scaled, casting="unsafe")
            self._pcm_of = made_of
        self._expected = start + n
        offset = 2 * (start - base)
        return self._pcm_bytes[offset : offset + 2 * n]

    def _render(self, out: Floats, start: int, n: int, schedule: _Schedule) -> None:
        """The bed's frames ``[start, start + n)`` into ``out`` (replacing what it held)."""
        first = True
        for layer in self._layers:
            target = out if first else self._layer[:n]
            _loop_into(target, layer.loops, start, n)
            if layer.gain_db is None:
                _swell_into(
                    self._gain[:n], self._index, schedule.frames, schedule.gains, start, n,
                    rest=_STEADY_GAIN,
                )  # fmt: skip
                np.multiply(target, self._gain[:n], out=target)
            if not first:
                np.add(out, target, out=out)
            first = False
        if self._drops:
            self._add_drops(out, start, n)
        self._fades(out, schedule, start, n)

    def _add_drops(self, out: Floats, start: int, n: int) -> None:
        offsets, grains, gains = self._slots
        end = start + n
        for slot in range(max(0, (start - DROP_FRAMES) // DROP_SLOT), (end - 1) // DROP_SLOT + 1):
            index = slot % DROP_SLOTS
            gain = gains[index]
            if gain == 0.0:
                continue
            onset = slot * DROP_SLOT + offsets[index]
            lo, hi = max(start, onset), min(end, onset + DROP_FRAMES)
            if lo >= hi:
                continue
            grain = self._drops[grains[index]]
            tmp = self._tmp[: hi - lo]
            np.multiply(grain[lo - onset : hi - onset], gain * self._level, out=tmp)
            np.add(out[lo - start : hi - start], tmp, out=out[lo - start : hi - start])

    def _fades(self, out: Floats, schedule: _Schedule, start: int, n: int) -> None:
        """Raised-cosine fade-in from the first frame and fade-out to the end; silence before
        the first frame and after the end."""
        begin, fade, end = self._begin, self._fade, schedule.end
        if end is not None:
            fade = max(1, min(fade, (end - begin) // 2))
        if start < begin:
            out[: min(n, begin - start)].fill(0.0)
        lo, hi = max(start, begin), min(start + n, begin + fade)
        if hi > lo:
            self._cosine(
                out[lo - start : hi - start], math.pi / fade, math.pi * (lo - begin) / fade
            )
        if end is None:
            return
        fade = schedule.fade_out or fade
        if start + n > end - fade:
            lo = max(start, end - fade)
            hi = min(start + n, end)
            if hi > lo:
                # Argument pi * (end - frame) / fade runs from pi down towards 0: 1 down to 0.
                self._cosine(
                    out[lo - start : hi - start], -math.pi / fade, math.pi * (end - lo) / fade
                )
            if start + n > end:
                out[max(0, end - start) :].fill(0.0)

    def _cosine(self, part: Floats, step: float, first: float) -> None:
        """Multiply ``part`` by 0.5 - 0.5·cos(first + step·i), i = 0, 1, …"""
        factor = self._tmp[: part.size]
        np.multiply(self._index[: part.size], step, out=factor)
        np.add(factor, first, out=factor)
        np.cos(factor, out=factor)
        np.multiply(factor, -0.5, out=factor)
        np.add(factor, 0.5, out=factor)
        np.multiply(part, factor, out=part)

    # -- tests and offline use ------------------------------------------------------------------

    def render_all(self, total: int | None = None, block: int = 4096) -> Floats:
        """The bed alone from frame 0, as float32 at int16 scale (tests, listening checks).

        Args:
            total: frames to render (default: to the end of the timeline).
            block: frames per :meth:`fill`, as a player would ask.
        """
        if total is None:
            end = self._schedule.end
            if end is None:
                raise ValueError("an open-ended bed needs a length to render")
            total = end
        acc = np.zeros(total, dtype=np.float32)
        self._expected, self._released = None, False  # a fresh start, not a jump
        frame = 0
        while frame < total:
            count = min(block, total - frame)
            self.fill(acc[frame : frame + count], frame, count)
            frame += count
        return acc

    def _plan(self, timeline: Timeline, end: int | None) -> _Schedule:
        glide_from = self._glide_from
        if not self._follows_breath:
            if glide_from is None:
                return _Schedule((), (), end)
            at, value = glide_from
            glide = round(GLIDE_SECONDS * self.sample_rate)
            return _Schedule((at, at + glide), (value, STEADY), end)
        frames, values = swell_points(timeline)
        if glide_from is not None:
            at, value = glide_from
            landing = at + round(GLIDE_SECONDS * self.sample_rate)
            target = _value_at(frames, values, landing) if frames else STEADY
            later = [i for i, f in enumerate(frames) if f > landing]
            frames = array("q", [at, landing, *(frames[i] for i in later)])
            values = array("d", [value, target, *(values[i] for i in later)])
        return _Schedule(frames, values, end)


def make_bed(
    name: str,
    timeline: Timeline,
    *,
    level_dbfs: float = AMBIENT_LEVEL_DBFS,
    seed: int = SEED,
    open_ended: bool = False,
    begin: int = 0,
    steady: bool = False,
) -> AmbientBed | None:
    """The bed called ``name`` for ``timeline``, or None for ``none`` (see :class:`AmbientBed`).

    Raises:
        ValueError: an unknown name.
    """
    if name == NO_AMBIENT:
        return None
    return AmbientBed(
        name,
        timeline,
        level_dbfs=level_dbfs,
        seed=seed,
        open_ended=open_ended,
        begin=begin,
        steady=steady,
    )


# -- the swell ------------------------------------------------------------------------------------


def swell_points(timeline: Timeline) -> tuple[array[int], array[float]]:
    """Breakpoints of the swell of ``waves`` (0 floor .. 1 crest) from the PHASE events.

    Over each inhale it rises 0 → 1 (0 → :data:`TOP_UP_FROM` when a top-up follows, which takes
    it on to 1), holds at 1 through the hold, falls 1 → 0 over the exhale and rests at 0 through
    the hold after it. Each rise and fall is eased (smoothstep, in :data:`EASE_STEPS` straight
    pieces). Outside breathing it rests at :data:`STEADY`, gliding to and from the blocks over
    up to :data:`GLIDE_SECONDS`.

    Returns:
        (frames, values): ascending frames and the swell at each; straight lines between.
    """
    phases = [e for e in timeline.events if e.kind is EventKind.PHASE and e.phase is not None]
    frames: array[int] = array("q")
    values: array[float] = array("d")
    if not phases:
        return frames, values
    glide = round(GLIDE_SECONDS * timeline.sample_rate)
    runs: list[list[tuple[int, int, PhaseKind]]] = []
    for event in phases:
        assert event.phase is not None
        item = (event.frame, event.frame + event.duration, event.phase)
        if runs and runs[-1][-1][1] == event.frame:
            runs[-1].append(item)
        else:
            runs.append([item])
    joined = False  # the gap before this run was bridged from the run before
    previous_end = 0  # where the glide out of the run before ended
    for number, run in enumerate(runs):
        shape = _run_shape(run)
        run_start, first_value = shape[0][0], shape[0][2]
        if run_start > 0 and not joined:
            lead = min(glide, run_start - previous_end)
            if not frames:
                _point(frames, values, 0, STEADY)
            _point(frames, values, run_start - lead, STEADY)
            _ease(frames, values, run_start - lead, run_start, STEADY, first_value)
        for start, end, v0, v1 in shape:
            _point(frames, values, start, v0)
            if v1 != v0:
                _ease(frames, values, start, end, v0, v1)
            else:
                _point(frames, values, end, v1)
        run_end, last_value = shape[-1][1], shape[-1][3]
        following = runs[number + 1] if number + 1 < len(runs) else None
        joined = following is not None and following[0][0] - run_end < 2 * glide
        if following is not None and joined:
            # A short gap between blocks: move straight to where the next one starts, rather
            # than up to the steady level and back down in a hurry.
            target = _run_shape(following)[0][2]
            _ease(frames, values, run_end, following[0][0], last_value, target)
        else:
            _ease(frames, values, run_end, run_end + glide, last_value, STEADY)
            previous_end = run_end + glide
    return frames, values


def _run_shape(run: list[tuple[int, int, PhaseKind]]) -> list[tuple[int, int, float, float]]:
    """(start, end, value at start, value at end) of each phase of a run of breathing."""
    out: list[tuple[int, int, float, float]] = []
    value = 0.0
    for i, (start, end, kind) in enumerate(run):
        following = run[i + 1][2] if i + 1 < len(run) else None
        if kind is PhaseKind.INHALE:
            v0, v1 = 0.0, TOP_UP_FROM if following is PhaseKind.TOP_UP else 1.0
        elif kind is PhaseKind.TOP_UP:
            v0, v1 = value, 1.0
        elif kind is PhaseKind.EXHALE:
            v0, v1 = value, 0.0
        else:  # a hold keeps the swell where the phase before left it
            v0 = v1 = value
        out.append((start, end, v0, v1))
        value = v1
    return out


def _point(frames: array[int], values: array[float], frame: int, value: float) -> None:
    """Append a breakpoint; one at the same frame as the last replaces its value."""
    if frames and frame <= frames[-1]:
        values[-1] = value
        return
    frames.append(frame)
    values.append(value)


def _ease(frames: array[int], values: array[float], f0: int, f1: int, v0: float, v1: float) -> None:
    """Append an eased (smoothstep) move from (f0, v0) to (f1, v1) in straight pieces."""
    _point(frames, values, f0, v0)
    if f1 <= f0:
        return
    for step in range(1, EASE_STEPS + 1):
        x = step / EASE_STEPS
        _point(frames, values, f0 + round((f1 - f0) * x), v0 + (v1 - v0) * x * x * (3 - 2 * x))


def _value_at(frames: Sequence[int], values: Sequence[float], frame: int) -> float:
    if not frames:
        return STEADY
    i = bisect.bisect_right(frames, frame) - 1
    if i < 0:
        return values[0]
    if i >= len(frames) - 1:
        return values[-1]
    f0, f1 = frames[i], frames[i + 1]
    return values[i] + (values[i + 1] - values[i]) * (frame - f0) / (f1 - f0)


def _swell_into(
    out: Floats,
    index: Floats,
    frames: Sequence[int],
    values: Sequence[float],
    start: int,
    n: int,
    *,
    rest: float = STEADY,
) -> None:
    """Straight lines through ``values`` at ``frames``, at frames ``[start, start + n)``, into
    ``out`` (no new arrays); ``rest`` when there are no breakpoints."""
    if not frames:
        out.fill(rest)
        return
    i = bisect.bisect_right(frames, start) - 1
    done = 0
    last = len(frames) - 1
    while done < n:
        frame = start + done
        if i < 0 or i >= last:
            until = frames[0] if i < 0 else frame + n
            value = values[0] if i < 0 else values[-1]
            count = min(n - done, until - frame)
            out[done : done + count].fill(value)
        else:
            f0, f1, v0 = frames[i], frames[i + 1], values[i]
            slope = (values[i + 1] - v0) / (f1 - f0)
            count = min(n - done, f1 - frame)
            part = out[done : done + count]
            if slope == 0.0:
                part.fill(v0)
            else:
                # value = v0 + slope·(frame + k - f0) for k = 0, 1, …
                np.multiply(index[:count], slope, out=part)
                np.add(part, v0 + slope * (frame - f0), out=part)
        done += count
        i += 1


# -- the sounds -----------------------------------------------------------------------------------


def _loop_into(out: Floats, loops: tuple[Floats, ...], start: int, n: int) -> None:
    """Write the sum of ``loops`` at frames ``[start, start + n)`` into ``out`` (wrapping)."""
    for number, loop in enumerate(loops):
        length = loop.size
        done = 0
        while done < n:
            pos = (start + done) % length
            count = min(n - done, length - pos)
            if number == 0:
                np.copyto(out[done : done + count], loop[pos : pos + count])
            else:
                np.add(
                    out[done : done + count], loop[pos : pos + count], out=out[done : done + count]
                )
            done += count


def _layers(name: str, seed: int, rate: int) -> tuple[_Layer, ...]:
    """The loops of a bed and how loud each layer plays."""
    if name == "brown":
        # Brown noise (1/f in amplitude), its lowest rumble and its faint top taken off.
        brown = _pair(seed, rate, lambda f: _hp(f, 30.0) * _lp(f, 3_000.0) / _floor(f))
        return (_Layer(brown, 0.0),)
    if name == "rain":
        # A soft hiss: pink noise between 300 Hz and a steep roll-off above 2.8 kHz.
        hiss = _pair(
            seed, rate, lambda f: _hp(f, 300.0) * _lp(f, 2_800.0) ** 2 / np.sqrt(_floor(f))
        )
        return (_Layer(hiss, -0.5),)
    # The surf that swells with the breath, over a steady low roar.
    wash = _pair(seed, rate, lambda f: _hp(f, 120.0) * _lp(f, 1_800.0) / np.sqrt(_floor(f)))
    roar = _shaped(seed, 3, LOOP_C, rate, lambda f: _hp(f, 35.0) * _lp(f, 350.0) / _floor(f))
    return (_Layer(wash, None), _Layer((roar,), RUMBLE_DB))


def _floor(f: Doubles) -> Doubles:
    """Frequencies with 0 Hz raised to 1 Hz, so 1/f stays finite (DC is zeroed anyway)."""
    result: Doubles = np.maximum(f, 1.0)
    return result


def _hp(f: Doubles, corner: float) -> Doubles:
    """Magnitude of a 2nd-order Butterworth high-pass."""
    x = (f / corner) ** 2
    result: Doubles = x / np.sqrt(1.0 + x * x)
    return result


def _lp(f: Doubles, corner: float) -> Doubles:
    """Magnitude of a 2nd-order Butterworth low-pass."""
    result: Doubles = 1.0 / np.sqrt(1.0 + (f / corner) ** 4)
    return result


def _pair(seed: int, rate: int, shape: Shape) -> tuple[Floats, Floats]:
    """Two loops of coprime lengths with the same spectrum, RMS 1 played together."""
    a = _shaped(seed, 1, LOOP_A, rate, shape)
    b = _shaped(seed, 2, LOOP_B, rate, shape)
    scale = np.float32(1.0 / math.sqrt(2.0))
    return (a * scale).astype(np.float32), (b * scale).astype(np.float32)


def _uniform(seed: int, stream: int, n: int) -> Doubles:
    """``n`` numbers in (0, 1): SplitMix64 of a counter, in numpy's wrapping uint64 arithmetic.

    The same numbers on every machine and numpy version, and no ``numpy.random`` (its import
    maps about 7 MB, and ``ground now --ambient`` counts every megabyte).
    """
    key = np.uint64(((seed & 0xFFFFFFFF) << 32) | (stream & 0xFFFFFFFF))
    z = np.arange(1, n + 1, dtype=np.uint64)
    z *= np.uint64(0x9E3779B97F4A7C15)
    z += _mix64(np.array([key], dtype=np.uint64))[0]
    bits = _mix64(z)
    result: Doubles = ((bits >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53
    return result


def _mix64(z: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """SplitMix64's finaliser, in place on ``z`` (arrays wrap modulo 2^64 without a warning)."""
    z ^= z >> np.uint64(30)
    z *= np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return z


def _shaped(seed: int, stream: int, length: int, rate: int, shape: Shape) -> Floats:
    """One period of noise with the magnitude spectrum ``shape(f)`` and random phases.

    Built on the loop's own FFT grid, the noise is exactly periodic: looping it has no seam.
    Normalised to RMS 1, peaks rounded off softly above :data:`CREST`.
    """
    # In single precision, one array at a time: plenty for noise, and half the memory while
    # a bed is made (the hotkey's peak memory counts it).
    freqs: Doubles = np.fft.rfftfreq(length, d=1.0 / rate).astype(np.float64)
    spectrum = np.asarray(shape(freqs), dtype=np.float32).astype(np.complex64)
    del freqs
    spectrum[0] = 0.0
    if length % 2 == 0:
        spectrum[-1] = 0.0
    phase = (2.0 * np.pi * _uniform(seed, stream, spectrum.size)).astype(np.float32)
    np.multiply(spectrum, np.exp(1j * phase), out=spectrum)
    del phase
    signal = np.fft.irfft(spectrum, n=length)
    del spectrum
    signal /= np.float32(math.sqrt(float(np.mean(np.square(signal, dtype=np.float64)))))
    signal = _soft_limit(signal, CREST)
    signal /= np.float32(math.sqrt(float(np.mean(np.square(signal, dtype=np.float64)))))
    return signal.astype(np.float32, copy=False)


def _soft_limit(x: Doubles, ceiling: float) -> Doubles:
    """Round peaks above 80 % of ``ceiling`` off smoothly (tanh), none past ``ceiling``."""
    knee = 0.8 * ceiling
    y = x.copy()
    loud = np.abs(y) > knee
    over = (np.abs(y[loud]) - knee) / (ceiling - knee)
    y[loud] = np.sign(y[loud]) * (knee + (ceiling - knee) * np.tanh(over))
    return y


def _drop_grains(seed: int, rate: int) -> tuple[Floats, ...]:
    """Soft rain "plinks": short sines gliding up a little, soft attack, quick decay; peak 1."""
    u = _uniform(seed, 10, 3 * DROP_GRAINS)
    t = np.arange(DROP_FRAMES) / rate
    attack = round(0.0015 * rate)
    grains = []
    for k in range(DROP_GRAINS):
        f0 = 1_400.0 + 1_600.0 * u[3 * k]
        tau = 0.005 + 0.006 * u[3 * k + 1]
        rise = 1.0 + 0.15 * u[3 * k + 2]
        # Phase is the running sum of the frequency, so the glide is smooth.
        frequency = f0 * rise ** (t / t[-1])
        phase = 2.0 * np.pi * np.cumsum(frequency) / rate
        grain = np.sin(phase) * np.exp(-t / tau)
        grain[:attack] *= 0.5 - 0.5 * np.cos(np.pi * np.arange(attack) / attack)
        tail = round(0.01 * rate)
        grain[-tail:] *= 0.5 + 0.5 * np.cos(np.pi * np.arange(tail) / (tail - 1))
        grain /= np.abs(grain).max()
        grains.append(grain.astype(np.float32))
    return tuple(grains)


def _drop_slots(seed: int) -> tuple[list[int], list[int], list[float]]:
    """For each slot: the drop's offset in it, its grain, its gain (0: no drop in that slot)."""
    u = _uniform(seed, 11, 4 * DROP_SLOTS)
    offsets, grains, gains = [], [], []
    low, high = DROP_GAIN
    for k in range(DROP_SLOTS):
        offsets.append(int(u[4 * k] * DROP_SLOT))
        grains.append(int(u[4 * k + 1] * DROP_GRAINS))
        present = u[4 * k + 2] < DROP_CHANCE
        # Mostly quiet drops, now and then a nearer one (squared: skewed towards the low end).
        gains.append(low + (high - low) * float(u[4 * k + 3]) ** 2 if present else 0.0)
    return offsets, grains, gains
