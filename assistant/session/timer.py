"""The plain timer as a live session: silent sitting between bells, ended with the end bell.

A :class:`TimerSession` is a :class:`~assistant.session.live.Session` whose timeline is the
timer's (``core.timer``) rather than a script's compile. Ending it while sitting rings the end
bell instead of cutting the sound (:meth:`TimerSession.ring_out`): an open sitting is ended that
way, and so is a timed one stopped early. What it logs is the time sat, from the start bell to
the end bell, pauses and skipped stretches not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.core.clock import Clock, MonotonicClock
from assistant.core.model import EventKind, StepSpan, Timeline
from assistant.core.timer import SIT, close_open, sat_frames
from assistant.core.transport import Player, SilentPlayer
from assistant.session.build import Parts, mix, timer_parts
from assistant.session.live import Session
from assistant.sound.player import BLOCKSIZE, open_player

if TYPE_CHECKING:
    from assistant.session.request import SessionRequest
    from assistant.sound.mixer import Mixer
    from assistant.speech.renderer import SpeechRenderer


@dataclass(frozen=True)
class TimerLook:
    """What a view shows of a timer at one look at the clock.

    Attributes:
        settling: before the start bell (the delay).
        sat_seconds: seconds sat so far (from the start bell; pauses and skips not counted).
        next_bell_seconds: seconds until the next bell (the start bell while settling, then the
            interval bells and the end bell); None when no bell is left to wait for (an open
            sitting has no end bell until it is ended).
        open: the sitting lasts until it is ended.
        closing: the end bell has begun, or was asked for.
    """

    settling: bool
    sat_seconds: float
    next_bell_seconds: float | None
    open: bool
    closing: bool


class TimerSession(Session):
    """A plain timer playing; use :meth:`open`."""

    @classmethod
    def open(
        cls,
        request: SessionRequest,
        *,
        clock: Clock | None = None,
        renderer: SpeechRenderer | None = None,
    ) -> TimerSession:
        """Build the timer's timeline, open the best player and start playing.

        Args:
            request: a timer's request (``request.timer`` set; see ``timer_request``).
            clock: the clock for a silent player (tests pass a FakeClock).
            renderer: unused (a timer says nothing).

        Raises:
            TimerError: the options do not make a sitting.
            DeviceNotFound: ``request.device`` is missing and ``strict_device`` is set.
        """
        assert request.timer is not None
        clock = clock or MonotonicClock()
        timeline, clips = timer_parts(request)
        parts = Parts(request, clips, ())
        mixer = mix(parts, timeline)
        opened = open_player(
            mixer,
            device=request.device,
            want_sound=request.sound,
            clock=clock,
            strict_device=request.strict_device,
            latency=request.latency,
        )
        if opened.notice:
            parts.notices.append(opened.notice)
        session = cls(request, mixer, opened.player, clock, parts.notices)
        session.open_ended = request.timer.open
        session._bell_frames = len(clips[next(iter(clips))]) // 2 if clips else 0
        try:
            session._carry_on(parts, False, None)  # numpy, then the ambient bed
        except BaseException:
            session.stop()
            session.close()
            raise
        return session

    def __init__(
        self,
        request: SessionRequest,
        mixer: Mixer,
        player: Player,
        clock: Clock,
        notices: list[str],
    ) -> None:
        super().__init__(request, mixer, player, clock, notices)
        self._bell_frames = 0
        self._skipped_sitting = 0  # frames of the sitting jumped over by skips
        self.closing = False
        """The end bell was asked for (:meth:`ring_out`)."""

    # -- the clock ------------------------------------------------------------------------------

    def planned_seconds(self) -> float:
        """The sitting's length (an open one's: as it stands, until it is ended)."""
        return self.timeline.seconds

    @property
    def practised_seconds(self) -> float:
        """Seconds sat: from the start bell to the end bell, pauses and skips not counted."""
        timeline = self.timeline
        sat = sat_frames(timeline, self.position()) - self._skipped_sitting
        return max(0, sat) / timeline.sample_rate

    def skip(self) -> int:
        """Jump to the start bell (while settling) or to the end bell (while sitting).

        Returns:
            The frame skipped to.
        """
        frame = self.position()
        sit = _sitting(self.timeline)
        if sit is not None:
            to = self.timeline.next_boundary(frame)
            self._skipped_sitting += max(0, min(to, sit.end) - max(frame, sit.start))
        return super().skip()

    def look(self, frame: int) -> TimerLook:
        """The timer at ``frame``: time sat, the next bell, whether it is closing."""
        timeline = self.timeline
        rate = timeline.sample_rate
        sit = _sitting(timeline)
        start = sit.start if sit is not None else 0
        end = sit.end if sit is not None else timeline.total_frames
        upcoming = [
            e.frame for e in timeline.events if e.kind is EventKind.CHIME and e.frame > frame
        ]
        if self.open_ended and not self.closing:
            # An open sitting's end bell rings when it is ended, not at the longest length.
            upcoming = [b for b in upcoming if b < end]
        sat = max(0, sat_frames(timeline, frame) - self._skipped_sitting)
        return TimerLook(
            settling=frame < start,
            sat_seconds=sat / rate,
            next_bell_seconds=(upcoming[0] - frame) / rate if upcoming else None,
            open=self.open_ended,
            closing=self.closing or frame >= end,
        )

    # -- ending ---------------------------------------------------------------------------------

    def ring_out(self) -> bool:
        """End the sitting with the end bell, now: it rings (the ambient sound fading under
        it) and the session ends by itself once the bell has rung out.

        Returns:
            True when the end bell will ring; False when there is nothing to ring out (still
            settling before the start bell, already closing, or over): stop at once instead.
        """
        if self.closing or self.finished:
            return False
        mixer, timeline = self.mixer, self.timeline
        sit = _sitting(timeline)
        if self.paused:
            self.resume()
        # The audio thread has mixed up to transport.frame: ring on a frame it has not reached.
        silent = isinstance(self.player, SilentPlayer)
        at = self.position() if silent else mixer.transport.frame + 2 * BLOCKSIZE
        if sit is None or at <= sit.start or at >= sit.end:
            return False
        closed = close_open(timeline, at, self._bell_frames)
        mixer.replace_timeline(closed, open_ended=True)
        if isinstance(self.player, SilentPlayer):
            self.player.replace_timeline(closed)
        bed = mixer.ambient
        if bed is not None:
            bed.set_end(closed.total_frames, fade_from=at)
        self.closing = True
        return True


def _sitting(timeline: Timeline) -> StepSpan | None:
    """The sitting's span: from the start bell to the end bell."""
    return next((s for s in timeline.steps if s.index == SIT), None)
