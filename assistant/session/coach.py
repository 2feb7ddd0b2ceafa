"""The breath coach: what the microphone meter adds to a running session.

A :class:`~assistant.session.practice.Practice` with its meter on holds one :class:`Coach`: it
mutes the microphone while the session's own sounds play (the guide's voice, the phase tones,
the bell: speakers leak into the microphone, and a tone heard as a breath would miscount the
rate), reads the detected breathing rate, offers a
gentle remark at most once a minute (said aloud too, if the person asked for that), and samples
the breath trace drawn under the TUI's pacer. The front ends never import this module (a
contract says so): they draw the :class:`~assistant.session.reading.MeterReading` a practice
hands them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.core.feedback import advice, sound_intervals, spoken_advice, voice_active
from assistant.core.pacing import PhaseIndex, lung_fill
from assistant.session.live import Session, session_target
from assistant.session.reading import MeterReading, TracePoint

if TYPE_CHECKING:
    from assistant.core.model import ClipRef, Timeline
    from assistant.sound.meter import InputMeter

#: Seconds between two remarks: gentle and sparse.
ADVICE_EVERY = 60.0
#: A spoken remark waits at most this long for a gap in the guide's words, then is dropped.
SPEAK_WITHIN = 15.0
#: Seconds of session per column of the breath trace.
TRACE_STEP = 0.5
#: A jump forward of more than this many columns is a skip, not a slow tick.
JUMP_COLUMNS = 4


class Coach:
    """Joins a session and its microphone meter; call :meth:`update` on every UI tick.

    Args:
        session: the running session.
        meter: the started meter.
        gate_voice: ignore the microphone while the session's own sounds play (the guide's voice,
            the tones, the bell; off for headphones).
        speak: also say each remark aloud, between the guide's own words.
    """

    def __init__(
        self, session: Session, meter: InputMeter, *, gate_voice: bool, speak: bool = False
    ) -> None:
        self.session = session
        self.meter = meter
        self.gate_voice = gate_voice
        self.speak = speak
        self._timeline: Timeline | None = None
        self._heard: tuple[Timeline, bool, bool] | None = None  # what the spans were made for
        self._spans: list[tuple[int, int]] = []
        self._phases: PhaseIndex | None = None
        self._last_advice = -ADVICE_EVERY
        self._pending: tuple[str, float] | None = None
        self._next_column: int | None = None

    @property
    def lost(self) -> bool:
        """The microphone went away (the caller says so once and closes the coach)."""
        return bool(self.meter.lost)

    def update(self, frame: int) -> MeterReading:
        """Gate the microphone for ``frame`` and return what to show."""
        session = self.session
        timeline = session.timeline
        if timeline is not self._timeline:  # first call, or a cold cache finished compiling
            self._timeline = timeline
            self._phases = PhaseIndex(timeline)
        meter = self.meter
        meter.gated = self.gate_voice and voice_active(self._sounding(timeline), frame)
        rate = meter.settled_rate
        seconds = frame / timeline.sample_rate
        remark = None
        step = timeline.step_at(frame)
        target = session_target(session, step.index) if step else None
        if rate is not None and target is not None and seconds - self._last_advice >= ADVICE_EVERY:
            self._last_advice = seconds
            remark = advice(rate, target)
            if self.speak:
                self._pending = (spoken_advice(rate, target), seconds + SPEAK_WITHIN)
        self._say_pending(seconds)
        return MeterReading(meter.level, meter.calibrating, rate, remark, self._trace(frame))

    def _sounding(self, timeline: Timeline) -> list[tuple[int, int]]:
        """The spans of the session's own sounds as they are heard now (the voice or the tones
        turned off need no gate), worked out again only when that changes."""
        heard = (timeline, self.session.gain("voice") > 0, self.session.gain("tones") > 0)
        before = self._heard
        if before is None or before[0] is not timeline or before[1:] != heard[1:]:
            self._heard = heard
            self._spans = sound_intervals(timeline, _clip_frames, voice=heard[1], tones=heard[2])
        return self._spans

    def _say_pending(self, seconds: float) -> None:
        if self._pending is None:
            return
        text, deadline = self._pending
        if seconds > deadline:
            self._pending = None
            return
        if self.session.say_in_a_gap(text) is not False:  # scheduled, or never possible
            self._pending = None

    def _trace(self, frame: int) -> tuple[TracePoint, ...]:
        """One column per TRACE_STEP of session time passed (none while paused)."""
        timeline = self._timeline
        assert timeline is not None and self._phases is not None
        step = round(TRACE_STEP * timeline.sample_rate)
        due = self._next_column
        if due is None or not due - step <= frame < due + JUMP_COLUMNS * step:
            # The start, or a skip: the trace goes on from here (breath heard before a jump
            # belongs to no column), on the session's own half-second grid, so the columns are
            # the same moments however often this is called.
            self._next_column = (frame // step + 1) * step
            self.meter.take_breath()
            return ()
        if frame < due:
            if self.session.paused:
                self.meter.take_breath()  # breathing during a pause is not drawn
            return ()
        heard = self.meter.take_breath()
        columns = []
        while frame >= due:
            phase, progress, _ = self._phases.progress(due)
            fill = lung_fill(phase.phase if phase is not None else None, progress)
            columns.append(TracePoint(fill, heard))
            due += step
        self._next_column = due
        return tuple(columns)

    def close(self) -> None:
        """Close the microphone; nothing of its audio remains."""
        self.meter.stop()


def _clip_frames(ref: ClipRef) -> int:
    """A sound's length in frames (the session loaded each of its sounds already)."""
    from assistant.sound.assets import load_sound

    return len(load_sound(ref.key)) // 2
