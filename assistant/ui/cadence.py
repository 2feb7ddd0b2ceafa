"""When the session screen next needs to look at the clock: often while the pacer moves, else
only when something shown can change (an event, a countdown's next whole second).

A 30 Hz timer cost most of the TUI's CPU during holds and narration, when nothing drawn moves.
"""

from __future__ import annotations

import bisect
import math

from assistant.core.model import Event, PhaseKind, Timeline

#: Phases in which the pacer's shape moves: looked at every frame of the screen's rate.
MOVING = frozenset({PhaseKind.INHALE, PhaseKind.TOP_UP, PhaseKind.EXHALE})
#: The longest wait even when nothing is due: notices and the meter come without an event.
LONGEST = 0.25


class Cadence:
    """The delay until the next look at the clock, for one screen (``fps`` while moving)."""

    def __init__(self, fps: float) -> None:
        self.shortest = 1 / fps
        self._timeline: Timeline | None = None
        self._frames: list[int] = []

    def delay(self, timeline: Timeline, frame: int, phase: Event | None, paused: bool) -> float:
        """Seconds until something the screen shows can change after ``frame``."""
        if paused:
            return LONGEST
        if phase is not None and phase.phase in MOVING:
            return self.shortest
        if timeline is not self._timeline:
            self._timeline = timeline
            self._frames = [event.frame for event in timeline.events]
        rate = timeline.sample_rate
        due = [timeline.total_frames]
        index = bisect.bisect_right(self._frames, frame)
        if index < len(self._frames):
            due.append(self._frames[index])
        # The countdowns (the session's time left, a hold's seconds) change at whole seconds.
        for end in (timeline.total_frames, phase.frame + phase.duration if phase else None):
            if end is not None and end > frame:
                left = (end - frame) / rate
                due.append(end - (math.ceil(left) - 1) * rate)
        wait = (min(due) - frame) / rate
        return min(LONGEST, max(self.shortest, wait))
