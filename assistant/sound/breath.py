"""Acoustic breath detection: a streaming, pure-numpy detector for the microphone meter.

Method (see ``techniques.md``, "Acoustic breath detection"): band energy 100–1,200 Hz per frame
(rFFT of 1024-sample Hann frames with 50 % overlap at 48 kHz, about 10.7 ms a hop), a 9-frame
median so keyboard clicks cannot hold the envelope up, an adaptive noise floor (a low percentile
of recent frames, learned during calibration and then drifting slowly), and hysteresis: a breath
starts when the envelope stays 8 dB over the floor for 150 ms and ends when it stays under
floor + 4 dB for 200 ms. The louder bursts are exhales, the quieter ones (3 dB or more below the
typical loud burst) inhales.

Every decision is made per frame, with frames at fixed sample positions, so the events do not
depend on how the audio was cut into blocks.

Nothing on the ``ground now`` path imports this module (numpy is imported at module level).
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

BAND_HZ = (100.0, 1200.0)
"""Breath noise lives here; mains hum and most hiss do not."""
ON_DB = 8.0
"""A breath starts when the envelope stays this far above the noise floor..."""
ON_SECONDS = 0.15
"""...for this long (a keyboard click or a knock is far shorter)."""
OFF_DB = 4.0
"""A breath ends when the envelope stays below floor + OFF_DB..."""
OFF_SECONDS = 0.2
"""...for this long."""
BACKTRACK_DB = 3.0
"""A confirmed start moves back to where the envelope first rose this far over the floor."""
BACKTRACK_SECONDS = 0.5
MIN_EXHALE_INTERVAL = 1.2
"""Exhales closer than this to the previous one are the same breath re-triggering."""
INHALE_MARGIN_DB = 3.0
"""A burst this much quieter than the typical loud burst is an inhale."""
FLOOR_PERCENTILE = 5.0
"""Slow breathing is sound nearly all the time; only the quietest frames show the room."""
FLOOR_WINDOW_SECONDS = 30.0
FLOOR_UPDATE_SECONDS = 1.0
FLOOR_ADAPT = 0.25
"""Fraction of the way the floor moves toward each new estimate (once a second)."""
MIN_FLOOR_DBFS = -100.0
"""Digital silence has no floor to speak of; this keeps the thresholds finite."""
CLEAR_NOISINESS = 0.1
"""A breath sound is a hiss: below this spectral flatness a burst is a tone or a voice.

Measured on the band's frames: synthetic breaths 0.17–0.41 (every background in the tests),
the session's own tones 0.000–0.002, espeak and Piper speech 0.00–0.37 (speech overlaps
breath here, so a rate also needs steady intervals, :data:`MAX_SPREAD`)."""
MAX_SPREAD = 0.5
"""A rate is trusted only when the intervals between clear exhales are steady: their
interquartile range at most this share of their median (breathing 0.03–0.42 in the tests, a
rendered session's speech and tones 0.8 and more)."""
MIN_CLEAR_SHARE = 0.5
"""...and when at least this share of the sounds heard are breath-like."""
MEDIAN_FRAMES = 9
RATE_ONSETS = 6
"""The rolling rate uses the last this-many exhale onsets."""
_BATCH_FRAMES = 4096
"""Frames per rFFT batch: bounds memory when a whole file arrives as one block."""

BreathKind = Literal["exhale", "inhale"]


@dataclass(frozen=True)
class BreathEvent:
    """One detected breath sound.

    Attributes:
        kind: ``"exhale"`` or ``"inhale"``.
        start: seconds from the start of the stream.
        end: seconds from the start of the stream, or None if the stream ended mid-breath.
        noisiness: the median spectral flatness of its frames in the breath band, 0–1: breath
            is a hiss (high), a tone or a voice is a few peaks (low); None when not known.
    """

    kind: BreathKind
    start: float
    end: float | None
    noisiness: float | None = None

    @property
    def duration(self) -> float | None:
        """Seconds the breath sound lasted, if it ended."""
        return None if self.end is None else self.end - self.start


@dataclass(frozen=True)
class Analysis:
    """The breaths in a whole recording.

    Attributes:
        events: every breath sound, in order of start.
        rate_per_min: breaths per minute from the median interval between the onsets of the
            clear (breath-like) exhales, or None with fewer than three.
        duration: length of the recording in seconds.
        clear: how many of ``events`` are breath-like (a hiss, not a tone or a voice).
        confident: the rate can be trusted: breath-like sounds are most of what was heard and
            come at steady intervals (:data:`MAX_SPREAD`, :data:`MIN_CLEAR_SHARE`).
    """

    events: tuple[BreathEvent, ...]
    rate_per_min: float | None
    duration: float
    clear: int = 0
    confident: bool = False


class BreathDetector:
    """Feed microphone blocks in; get breath events out.

    Events are returned by :meth:`feed` when each breath sound ends (its level decides whether it
    was an inhale or an exhale); :meth:`flush` ends the stream. Set :attr:`gated` to True while
    the session's own voice plays (that block's frames are then ignored for detection and for
    learning the noise floor), or mark sample ranges ahead of time with :meth:`gate`.

    Args:
        sample_rate: samples per second of the blocks fed in.
        calibration_seconds: ungated audio needed before the noise floor is trusted. Frames heard
            during calibration are replayed once it ends, so no breath is lost to it.
    """

    def __init__(self, sample_rate: int = 48000, calibration_seconds: float = 8.0) -> None:
        if sample_rate < 8000:
            raise ValueError("sample_rate must be at least 8000")
        self.sample_rate = sample_rate
        self.gated = False
        # ~21 ms frames whatever the rate; a power of two keeps the rFFT fast.
        self._frame: int = 1 << round(math.log2(sample_rate * 0.0213))
        self._hop = self._frame // 2
        self._hop_s = self._hop / sample_rate
        n = np.arange(self._frame)
        self._window = (0.5 - 0.5 * np.cos(2 * np.pi * n / self._frame)).astype(np.float32)
        freqs = np.fft.rfftfreq(self._frame, 1 / sample_rate)
        self._band = slice(
            int(np.searchsorted(freqs, BAND_HZ[0])), int(np.searchsorted(freqs, BAND_HZ[1]))
        )
        # Parseval for a one-sided spectrum of a Hann-windowed frame: mean square of the band.
        self._scale = 2.0 / (self._frame**2 * float(np.mean(self._window**2)))

        # Samples not yet framed, starting at absolute sample _pending_start (a frame start).
        self._pending = np.zeros(0, dtype=np.float32)
        self._pending_start = 0
        self._samples_seen = 0
        self._gates: list[tuple[int, int]] = []
        # Raw frame levels awaiting the median, from frame _median_next - MEDIAN_FRAMES // 2.
        self._raw = np.zeros(0)
        self._raw_gated = np.zeros(0, dtype=bool)
        self._median_next = 0
        self._frames_framed = 0
        self._level = -math.inf

        self._calibration_frames = max(1, math.ceil(calibration_seconds / self._hop_s))
        self._calibrating = True
        self._calibration: list[tuple[int, float, bool]] = []
        self._calibration_heard = 0
        self._floor = MIN_FLOOR_DBFS
        self._floor_recent: deque[float] = deque(maxlen=int(FLOOR_WINDOW_SECONDS / self._hop_s))
        self._floor_update_every = max(1, round(FLOOR_UPDATE_SECONDS / self._hop_s))
        self._frames_since_update = 0

        self._on_frames = math.ceil(ON_SECONDS / self._hop_s - 1e-9)
        self._off_frames = math.ceil(OFF_SECONDS / self._hop_s - 1e-9)
        self._history: deque[tuple[int, float, bool]] = deque(
            maxlen=self._on_frames + math.ceil(BACKTRACK_SECONDS / self._hop_s) + 1
        )
        self._active = False
        self._run = 0
        self._start_frame = 0
        self._end_frame = 0
        self._peak = -math.inf
        self._peaks: deque[float] = deque(maxlen=8)
        self._exhale_onsets: deque[float] = deque(maxlen=RATE_ONSETS)
        self._last_exhale: float | None = None
        self._flushed = False
        self._loudest: float | None = None
        # Spectral flatness of the latest frames (frame index of the first: _flat_first): a
        # batch of frames and 30 s before it, so a breath sound's frames are all still there
        # when it ends (and those of the calibration, replayed at its end).
        self._flat: deque[float] = deque(
            maxlen=_BATCH_FRAMES + int(FLOOR_WINDOW_SECONDS / self._hop_s)
        )
        self._flat_first = 0

    # -- public surface -------------------------------------------------------------------

    @property
    def calibrating(self) -> bool:
        """True until enough ungated audio has been heard to know the room's noise floor."""
        return self._calibrating

    @property
    def level_dbfs(self) -> float:
        """Level of the latest frame in the breath band, dB relative to full scale (RMS)."""
        return self._level

    @property
    def floor_dbfs(self) -> float:
        """The current noise-floor estimate in the breath band (meaningless while calibrating)."""
        return self._floor

    @property
    def rate_per_min(self) -> float | None:
        """Breaths per minute from the last few exhale onsets, or None with fewer than three."""
        return _rate(list(self._exhale_onsets))

    def take_loudest(self) -> float | None:
        """How far (dB) the loudest ungated envelope frame since the last call rose above the
        noise floor; None when there was none (all gated, or still calibrating)."""
        loudest, self._loudest = self._loudest, None
        return loudest

    def gate(self, start_sample: int, end_sample: int) -> None:
        """Ignore samples ``start_sample`` to ``end_sample`` (absolute, end exclusive).

        Call it before those samples are fed (e.g. when a cue is scheduled to play).
        """
        if end_sample > start_sample:
            self._gates.append((start_sample, end_sample))

    def feed(self, block: npt.ArrayLike) -> list[BreathEvent]:
        """Process a block of mono samples in -1..1 (any length); return breaths that ended."""
        if self._flushed:
            raise RuntimeError("the detector has been flushed; make a new one")
        samples = np.asarray(block, dtype=np.float32).reshape(-1)
        if self.gated and samples.size:
            self.gate(self._samples_seen, self._samples_seen + samples.size)
        self._samples_seen += samples.size
        self._pending = np.concatenate((self._pending, samples))
        events: list[BreathEvent] = []
        while self._pending.size >= self._frame:
            count = min((self._pending.size - self._frame) // self._hop + 1, _BATCH_FRAMES)
            self._frame_batch(count, events)
        return events

    def flush(self) -> list[BreathEvent]:
        """End the stream: finish the last frames, and report a breath still under way."""
        if self._flushed:
            return []
        self._flushed = True
        events: list[BreathEvent] = []
        if self._raw.size:
            half = MEDIAN_FRAMES // 2
            self._raw = np.concatenate((self._raw, np.full(half, self._raw[-1])))
            self._raw_gated = np.concatenate((self._raw_gated, np.full(half, self._raw_gated[-1])))
            self._median_batch(events)
        if self._calibrating and any(not g for _, _, g in self._calibration):
            self._finish_calibration(events)
        if self._active:
            events.extend(self._close(self._start_frame, None))
        return events

    # -- framing and the envelope ---------------------------------------------------------

    def _frame_batch(self, count: int, events: list[BreathEvent]) -> None:
        span = (count - 1) * self._hop + self._frame
        view = np.lib.stride_tricks.sliding_window_view(self._pending[:span], self._frame)
        frames = view[:: self._hop][:count]
        spectrum = np.fft.rfft(frames * self._window, axis=1)
        bins = np.abs(spectrum[:, self._band]) ** 2
        power = np.sum(bins, axis=1) * self._scale
        levels = 10 * np.log10(power + 1e-20)
        self._remember_flatness(bins)
        starts = self._pending_start + self._hop * np.arange(count)
        gated = self._gated_frames(starts)
        self._level = float(levels[-1])
        self._pending = self._pending[count * self._hop :]
        self._pending_start += count * self._hop
        if self._frames_framed == 0:  # pad the median's left edge with the first level
            half = MEDIAN_FRAMES // 2
            levels = np.concatenate((np.full(half, levels[0]), levels))
            gated = np.concatenate((np.full(half, gated[0]), gated))
        self._frames_framed += count
        self._raw = np.concatenate((self._raw, levels))
        self._raw_gated = np.concatenate((self._raw_gated, gated))
        self._median_batch(events)

    def _remember_flatness(self, bins: npt.NDArray[np.float64]) -> None:
        """Keep each frame's spectral flatness in the band (geometric over arithmetic mean)."""
        tiny = 1e-30
        geometric = np.exp(np.mean(np.log(bins + tiny), axis=1))
        flatness = geometric / (np.mean(bins, axis=1) + tiny)
        dropped = max(0, len(self._flat) + flatness.size - (self._flat.maxlen or 0))
        self._flat.extend(float(f) for f in flatness)
        self._flat_first += dropped

    def _noisiness(self, first: int, last: int) -> float | None:
        """The median flatness of frames ``first`` to ``last`` (those still remembered)."""
        lo = max(first - self._flat_first, 0)
        hi = min(last - self._flat_first + 1, len(self._flat))
        if hi <= lo:
            return None
        return float(np.median(np.fromiter(itertools.islice(self._flat, lo, hi), float)))

    def _gated_frames(self, starts: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        gated = np.zeros(starts.size, dtype=bool)
        ends = starts + self._frame
        for g0, g1 in self._gates:
            gated |= (starts < g1) & (ends > g0)
        # Gates wholly behind the framing point can never matter again.
        self._gates = [(g0, g1) for g0, g1 in self._gates if g1 > self._pending_start]
        return gated

    def _median_batch(self, events: list[BreathEvent]) -> None:
        count = self._raw.size - MEDIAN_FRAMES + 1
        if count <= 0:
            return
        windows = np.lib.stride_tricks.sliding_window_view(self._raw, MEDIAN_FRAMES)
        envelope = np.median(windows, axis=1)
        gated = self._raw_gated[MEDIAN_FRAMES // 2 : MEDIAN_FRAMES // 2 + count]
        self._raw = self._raw[count:]
        self._raw_gated = self._raw_gated[count:]
        first = self._median_next
        self._median_next += count
        for i in range(count):
            self._frame_step(first + i, float(envelope[i]), bool(gated[i]), events)

    # -- noise floor and the breath state machine ----------------------------------------

    def _frame_step(self, k: int, env: float, gated: bool, events: list[BreathEvent]) -> None:
        if self._calibrating:
            self._calibration.append((k, env, gated))
            self._calibration_heard += 0 if gated else 1
            if self._calibration_heard >= self._calibration_frames:
                self._finish_calibration(events)
            return
        if not gated:
            self._floor_recent.append(env)
            self._frames_since_update += 1
            if self._frames_since_update >= self._floor_update_every:
                self._frames_since_update = 0
                estimate = float(
                    np.percentile(np.fromiter(self._floor_recent, float), FLOOR_PERCENTILE)
                )
                self._floor += FLOOR_ADAPT * (max(estimate, MIN_FLOOR_DBFS) - self._floor)
        self._detect(k, env, gated, events)

    def _finish_calibration(self, events: list[BreathEvent]) -> None:
        heard = [env for _, env, g in self._calibration if not g]
        self._floor = max(float(np.percentile(heard, FLOOR_PERCENTILE)), MIN_FLOOR_DBFS)
        self._floor_recent.extend(heard)
        self._calibrating = False
        replay, self._calibration = self._calibration, []
        for k, env, gated in replay:  # the breaths heard while calibrating still count
            self._detect(k, env, gated, events)
        self._loudest = None  # the replay is past: the trace starts from now

    def _detect(self, k: int, env: float, gated: bool, events: list[BreathEvent]) -> None:
        self._history.append((k, env, gated))
        if gated:  # the voice is playing: neither start nor end a breath on its frames
            self._run = 0
            return
        above = env - self._floor
        if self._loudest is None or above > self._loudest:
            self._loudest = above
        if not self._active:
            self._run = self._run + 1 if env > self._floor + ON_DB else 0
            if self._run >= self._on_frames:
                self._begin(k - self._run + 1)
            return
        self._peak = max(self._peak, env)
        if env < self._floor + OFF_DB:
            if self._run == 0:
                self._end_frame = k
            self._run += 1
            if self._run >= self._off_frames:
                events.extend(self._close(self._start_frame, self._end_frame))
        else:
            self._run = 0

    def _begin(self, first: int) -> None:
        """Start a breath whose confirming run began at frame ``first``."""
        start = first
        run_levels = [env for k, env, g in self._history if k >= first and not g]
        for k, env, g in reversed(self._history):
            if k >= first:
                continue
            if g or env <= self._floor + BACKTRACK_DB:
                break
            start = k
        self._active = True
        self._run = 0
        self._start_frame = start
        self._peak = max(run_levels, default=-math.inf)

    def _close(self, first: int, last: int | None) -> list[BreathEvent]:
        """End the breath sound from frame ``first`` to ``last`` (None: the stream ended)."""
        start = self._time(first)
        end = None if last is None else self._time(last)
        noisiness = self._noisiness(first, last if last is not None else self._median_next)
        self._active = False
        self._run = 0
        self._peaks.append(self._peak)
        typical = float(np.percentile(np.fromiter(self._peaks, float), 75))
        kind: BreathKind = "inhale" if self._peak < typical - INHALE_MARGIN_DB else "exhale"
        if kind == "exhale":
            if self._last_exhale is not None and start - self._last_exhale < MIN_EXHALE_INTERVAL:
                return []  # the same breath starting twice
            self._last_exhale = start
            self._exhale_onsets.append(start)
        rounded = None if noisiness is None else round(noisiness, 3)
        return [BreathEvent(kind, round(start, 3), None if end is None else round(end, 3), rounded)]

    def _time(self, k: int) -> float:
        """Seconds at the centre of frame ``k``."""
        return (k * self._hop + self._frame / 2) / self.sample_rate


def analyse(samples: npt.ArrayLike, sample_rate: int, block_size: int = 4800) -> Analysis:
    """Run the streaming detector over a whole recording (mono, -1..1), ``block_size`` at a time."""
    data = np.asarray(samples, dtype=np.float32).reshape(-1)
    detector = BreathDetector(sample_rate)
    events: list[BreathEvent] = []
    for i in range(0, data.size, block_size):
        events.extend(detector.feed(data[i : i + block_size]))
    events.extend(detector.flush())
    events.sort(key=lambda e: e.start)
    clear = [e for e in events if breath_like(e)]
    onsets = [e.start for e in clear if e.kind == "exhale"]
    rate = _rate(onsets)
    confident = (
        rate is not None
        and len(clear) >= MIN_CLEAR_SHARE * len(events)
        and _spread(onsets) <= MAX_SPREAD
    )
    return Analysis(tuple(events), rate, data.size / sample_rate, len(clear), confident)


def breath_like(event: BreathEvent) -> bool:
    """Whether a burst sounds like breath (a hiss) rather than a tone or a voice."""
    return event.noisiness is None or event.noisiness >= CLEAR_NOISINESS


def _spread(onsets: list[float]) -> float:
    """How unsteady the intervals between ``onsets`` are: their interquartile range over their
    median (0 for a metronome)."""
    intervals = np.diff(np.asarray(onsets, dtype=float))
    low, middle, high = np.percentile(intervals, [25, 50, 75])
    return float((high - low) / middle) if middle > 0 else math.inf


def _rate(onsets: list[float]) -> float | None:
    if len(onsets) < 3:
        return None
    return 60.0 / float(np.median(np.diff(np.asarray(onsets, dtype=float))))
