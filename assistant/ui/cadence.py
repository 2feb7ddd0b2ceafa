"""When the session screen next needs to look at the clock: when something it shows can change.

That is the pacer's next step (its shape moves in eighths of a cell, so a 4-second inhale in an
80×24 terminal changes about 35 times, not 120), the next event, or a countdown's next whole
second. A 30 Hz timer cost most of the TUI's CPU during holds and narration, when nothing moves.
"""

from __future__ import annotations

import bisect
import math

from assistant.core.model import Event, PhaseKind, Timeline

#: Phases in which the pacer's shape moves.
MOVING = frozenset({PhaseKind.INHALE, PhaseKind.TOP_UP, PhaseKind.EXHALE})
#: The longest wait even when nothing is due: notices and the meter come without an event.
LONGEST = 0.25


class Cadence:
    """The delay until the next look at the clock, for one screen (``fps`` while moving)."""

    def __init__(self, fps: float) -> None:
        self.shortest = 1 / fps
        self._timeline: Timeline | None = None
        self._frames: list[int] = []

    def delay(
        self,
        timeline: Timeline,
        frame: int,
        phase: Event | None,
        paused: bool,
        step_at: float | None = None,
    ) -> float:
        """Seconds until something the screen shows can change after ``frame``.

        Args:
            timeline: what plays.
            frame: the frame heard now.
            phase: the breathing phase under way, if any.
            paused: whether the clock is frozen.
            step_at: in a moving phase, the phase's progress (0–1) at which the pacer's
                drawing next changes; None looks every frame.
        """
        if paused:
            return LONGEST
        due = [timeline.total_frames]
        if phase is not None and phase.phase in MOVING:
            if step_at is None:
                return self.shortest
            due.append(phase.frame + math.ceil(step_at * phase.duration))
        if timeline is not self._timeline:
            self._timeline = timeline
            self._frames = [event.frame for event in timeline.events]
        rate = timeline.sample_rate
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
