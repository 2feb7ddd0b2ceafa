"""Following the clock: what a view should show at the frame being heard now.

Both front ends read the player's clock on their own tick and ask a :class:`Follower` what
changed: the captions and sections reached, breaths begun, new notices, the phase under way.
Skipped stretches are not announced.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from assistant.core.model import Event, EventKind, PhaseKind, Timeline
from assistant.core.pacing import PhaseIndex
from assistant.session.live import Session


@dataclass(frozen=True)
class Moment:
    """What changed since the last look.

    Attributes:
        frame: the frame being heard.
        events: events reached since the last look, in order (captions, sections, phases, …).
        breaths: breaths begun in ``events``.
        caption_over: the last caption's step has ended (and, with the voice off, its reading
            time): its words should go with it.
    """

    frame: int
    events: list[Event]
    breaths: int
    caption_over: bool = False


class Follower:
    """Turns the clock's position into captions, sections, breaths and notices, once each."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.timeline = session.timeline
        self.phases = PhaseIndex(self.timeline)
        self.breaths = 0
        """Breaths begun so far."""
        self._shown = 0  # frame up to which events have been announced
        self._notices = 0
        self._caption_until: int | None = None  # where the caption shown now stops applying

    def follow(self, frame: int) -> Moment:
        """Everything reached up to ``frame`` (inclusive) that was not reported before."""
        if self.session.timeline is not self.timeline:  # a cold cache finished compiling
            # The prefix ended where its clock was held: what the full timeline has from there
            # on was never shown (its first event may sit on that very frame).
            self._shown = min(self._shown, self.timeline.total_frames)
            self.timeline = self.session.timeline
            self.phases = PhaseIndex(self.timeline)
        events = events_between(self.timeline, self._shown, frame + 1)
        self._shown = max(self._shown, frame + 1)
        breaths = sum(
            1 for e in events if e.kind is EventKind.PHASE and e.phase is PhaseKind.INHALE
        )
        self.breaths += breaths
        for event in events:
            if event.kind is EventKind.SAY:
                # Until its step ends, or (voice off: a short step) until it has been read.
                end = step_end(self.timeline, event)
                self._caption_until = max(end, event.frame + event.duration) if end else None
        over = self._caption_until is not None and frame >= self._caption_until
        if over:
            self._caption_until = None
        return Moment(frame, events, breaths, over)

    def skipped(self, target: int) -> None:
        """The person skipped ahead to ``target``: what lies before it is not announced."""
        self._shown = max(self._shown, target)

    def progress(self, frame: int) -> tuple[Event | None, float, int]:
        """The phase under way at ``frame``, how far into it, and the seconds it has left."""
        return self.phases.progress(frame)

    def new_notices(self) -> list[str]:
        """Notices added since the last call (a fallback, a lost device, …)."""
        notices = self.session.notices[self._notices :]
        self._notices += len(notices)
        return notices


def step_end(timeline: Timeline, event: Event) -> int | None:
    """The frame where ``event``'s step ends (a caption is cleared there), None if unknown."""
    return next((span.end for span in timeline.steps if span.index == event.step), None)


def events_between(timeline: Timeline, start: int, end: int) -> list[Event]:
    """Events with ``start <= frame < end``, in order (for captions and the pacer)."""
    # bisect by key: building the frame list cost O(events) on every look at the clock.
    lo = bisect.bisect_left(timeline.events, start, key=_frame_of)
    hi = bisect.bisect_left(timeline.events, end, lo=lo, key=_frame_of)
    return list(timeline.events[lo:hi])


def _frame_of(event: Event) -> int:
    return event.frame
