"""The optional microphone meter: level (and breaths) from an input stream, never stored.

Privacy by construction: the callback computes numbers from each block and hands the block to
the breath detector through a small queue; nothing is written to disk or kept beyond the
detector's short analysis window. Opened only while the meter is shown.
"""

from __future__ import annotations

import math
import queue
import threading
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from assistant.core.i18n import _
from assistant.sound.quiet import close_stream, quiet_stderr

#: Frames per input block: 2048 at 48 kHz is 43 ms, ~23 callbacks a second. Input through
#: ALSA's PulseAudio emulation cost 21–33 % of a core with small blocks (ARCHITECTURE.md §8).
BLOCK = 2048
RATE = 48_000
SILENCE_DB = -90.0
#: Seconds of listening before a rate is used for advice.
SETTLE_SECONDS = 30.0
#: The breath trace: a breath band this many dB over the room's floor draws empty, and
#: BREATH_SPAN dB more draws full.
BREATH_FROM_DB = 4.0
BREATH_SPAN_DB = 20.0


@dataclass(frozen=True)
class Level:
    """The latest level reading.

    Attributes:
        rms_db: RMS level of the last block, dBFS.
        peak_db: peak of the last block, dBFS.
        peak_hold_db: the highest peak over the last ~1.5 s, for the peak-hold tick.
        blocks: blocks seen so far (a reader can tell a fresh value from an old one).
    """

    rms_db: float
    peak_db: float
    peak_hold_db: float
    blocks: int


def to_db(value: float) -> float:
    """Amplitude (0–1) in dBFS, floored at -90."""
    return 20 * math.log10(value) if value > 10 ** (SILENCE_DB / 20) else SILENCE_DB


class InputMeter:
    """Runs one ``sounddevice.RawInputStream`` and keeps the latest level in one slot.

    Args:
        sd: the imported sounddevice module.
        device: input device index, or None for the default.
        analyse: also hand blocks to a breath detector on a worker thread.

    Note:
        The UI polls :attr:`level` (≤ 20 Hz); the callback never blocks: when the detector
        falls behind, blocks are dropped rather than queued without bound.
    """

    def __init__(self, sd: ModuleType, device: int | None = None, *, analyse: bool = True) -> None:
        self._sd = sd
        self._device = device
        self._stream: Any = None
        self.level = Level(SILENCE_DB, SILENCE_DB, SILENCE_DB, 0)
        self._holds: list[float] = []
        self.lost = False
        self.gated = False
        """Set while the session's own voice plays (speakers leak into the mic)."""
        # ~11 s of audio: the detector may be starved for a while on 2 busy cores. A block
        # that still does not fit is replaced by silence of the same length, so the detector's
        # sense of time (and so the breathing rate) stays right.
        self._blocks: queue.Queue[Any] = queue.Queue(maxsize=256)
        self.dropped = 0
        self._detector: Any = None
        self._worker: threading.Thread | None = None
        self._analyse = analyse
        self._stop = threading.Event()
        self._loudest: float | None = None

    # -- stream ------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the input stream.

        Raises:
            sounddevice.PortAudioError: no input device, or it cannot be opened.
        """
        with quiet_stderr():
            self._stream = self._sd.RawInputStream(
                samplerate=RATE,
                channels=1,
                dtype="int16",
                blocksize=BLOCK,
                device=self._device,
                callback=self._callback,
                finished_callback=self._finished,
            )
            self._stream.start()
        if self._analyse:
            self._worker = threading.Thread(target=self._detect, name="breath", daemon=True)
            self._worker.start()

    def _callback(self, indata: Any, frames: int, _time: Any, _status: Any) -> None:
        data = memoryview(indata).cast("h")
        peak = 0
        total = 0
        for sample in data[::8]:  # every 8th sample: plenty for a level, and cheap
            total += sample * sample
            magnitude = -sample if sample < 0 else sample
            if magnitude > peak:
                peak = magnitude
        count = max(1, len(data[::8]))
        rms_db = to_db(math.sqrt(total / count) / 32768)
        peak_db = to_db(peak / 32768)
        self._holds.append(peak_db)
        if len(self._holds) > 35:  # ~1.5 s of blocks
            del self._holds[0]
        self.level = Level(rms_db, peak_db, max(self._holds), self.level.blocks + 1)
        if self._analyse:
            # The detector is behind: losing a block is better than blocking the audio thread.
            try:
                self._blocks.put_nowait((bytes(indata), self.gated))
            except queue.Full:
                self.dropped += 1

    def _finished(self) -> None:
        if not self._stop.is_set():
            self.lost = True

    def _detect(self) -> None:
        """Feed blocks to the breath detector (numpy is imported here, off the callback)."""
        import numpy as np

        from assistant.sound.breath import BreathDetector

        detector = BreathDetector(RATE)
        self._detector = detector
        fed_drops = 0
        while not self._stop.is_set():
            try:
                block, gated = self._blocks.get(timeout=0.5)
            except queue.Empty:
                continue
            while fed_drops < self.dropped:  # keep time across blocks we had to drop
                fed_drops += 1
                detector.gated = True
                detector.feed(np.zeros(BLOCK, dtype=np.float32))
            samples = np.frombuffer(block, dtype=np.int16).astype(np.float32) / 32768.0
            detector.gated = gated
            detector.feed(samples)
            loudest = detector.take_loudest()
            if loudest is not None and (self._loudest is None or loudest > self._loudest):
                self._loudest = loudest

    def take_breath(self) -> float | None:
        """How strongly breath was heard since the last call, 0–1 (for the breath trace).

        None when nothing usable was heard: the detector is still calibrating, or the voice
        played all the while (its frames are gated out).
        """
        loudest, self._loudest = self._loudest, None
        if loudest is None or self.calibrating:
            return None
        return min(1.0, max(0.0, (loudest - BREATH_FROM_DB) / BREATH_SPAN_DB))

    @property
    def rate_per_min(self) -> float | None:
        """Breaths per minute detected so far (None until there are enough breaths)."""
        detector = self._detector
        return None if detector is None else detector.rate_per_min

    @property
    def listened(self) -> float:
        """Seconds of microphone audio seen so far."""
        return self.level.blocks * BLOCK / RATE

    @property
    def settled_rate(self) -> float | None:
        """The rate once enough breaths have been heard to trust it (about half a minute);
        early on, one inhale taken for an exhale skews it."""
        return self.rate_per_min if self.listened >= SETTLE_SECONDS else None

    @property
    def calibrating(self) -> bool:
        """True while the detector learns the room's quiet level."""
        detector = self._detector
        return detector is None or bool(detector.calibrating)

    def stop(self) -> None:
        """Close the stream; nothing of the audio remains."""
        self._stop.set()
        stream, self._stream = self._stream, None
        close_stream(stream)
        while not self._blocks.empty():
            self._blocks.get_nowait()
        if self._worker is not None:
            self._worker.join(2)


def open_meter(device: str | int | None = None) -> tuple[InputMeter | None, str | None]:
    """Open the microphone meter, or explain in one line why there is none.

    Returns:
        The started meter (or None) and a notice (or None).
    """
    from assistant.sound.player import (
        DeviceNotFound,
        SoundSystemStuck,
        import_sounddevice,
        resolve_device,
    )

    try:
        sd = import_sounddevice()
    except SoundSystemStuck:
        return None, _("The breath meter is off: the sound system is not answering.")
    except OSError:
        return None, _("The breath meter is off: the PortAudio library is missing.")
    try:
        index = resolve_device(sd, device, "input")
        meter = InputMeter(sd, index)
        meter.start()
    except DeviceNotFound as exc:
        # TRANSLATORS: {why} says which microphone was not found.
        return None, _("The breath meter is off: {why}.").format(why=exc)
    except (sd.PortAudioError, ValueError, OSError):
        return None, _(
            "The breath meter is off: no microphone could be opened (none connected, "
            "or no permission). The session carries on."
        )
    return meter, None


def level_bar(level: Level, width: int = 8) -> str:
    """The level as a small bar from -60 to 0 dBFS, with a peak-hold tick."""
    from assistant.core.pacing import bar

    span = 60.0
    fill = min(1.0, max(0.0, (level.rms_db + span) / span))
    text = list(bar(fill, width))
    hold = min(width - 1, max(0, int((level.peak_hold_db + span) / span * width)))
    if level.peak_hold_db > -span and text[hold] == " ":
        text[hold] = "│"
    return "".join(text)
