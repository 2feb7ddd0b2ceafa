"""Pure pacing arithmetic shared by the inline pacer and the TUI: where in a breath we are."""

from __future__ import annotations

import bisect
import math

from assistant.core.model import Event, EventKind, PhaseKind, Timeline, whole_seconds

EIGHTHS = " ▏▎▍▌▋▊▉█"


def bar(fraction: float, width: int) -> str:
    """A left-to-right bar drawn with eighth blocks, ``width`` cells wide."""
    fraction = min(1.0, max(0.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (EIGHTHS[part] if part else "")
    return text.ljust(width)


def lung_fill(phase: PhaseKind | None, progress: float) -> float:
    """How full the pacer is (0–1): grows on inhale, tops up, holds, shrinks on exhale."""
    progress = min(1.0, max(0.0, progress))
    if phase is PhaseKind.INHALE:
        return 0.85 * progress
    if phase is PhaseKind.TOP_UP:
        return 0.85 + 0.15 * progress
    if phase is PhaseKind.HOLD:
        return 1.0
    if phase is PhaseKind.EXHALE:
        return 1.0 - progress
    return 0.0


def clock_text(seconds: float) -> str:
    """``m:ss``, rounded up (a countdown never shows 0:00 while time is left)."""
    whole = max(0, math.ceil(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def left_text(seconds: float) -> str:
    """A session's time left, ``m:ss``: to the nearest second, as its length is listed (the
    countdown starts at what the list said), and never 0:00 while any time is left."""
    whole = 0 if seconds <= 0 else max(1, whole_seconds(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def elapsed_text(seconds: float) -> str:
    """``m:ss`` of time practised, to the nearest second: the same on every screen and the log."""
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


class PhaseIndex:
    """Finds the breathing phase (if any) playing at a frame."""

    def __init__(self, timeline: Timeline) -> None:
        self.phases = [e for e in timeline.events if e.kind is EventKind.PHASE]
        self._starts = [e.frame for e in self.phases]
        self._rate = timeline.sample_rate

    def at(self, frame: int) -> Event | None:
        """The phase event covering ``frame``, or None between breathing blocks."""
        index = bisect.bisect_right(self._starts, frame) - 1
        if index < 0:
            return None
        event = self.phases[index]
        return event if frame < event.frame + event.duration else None

    def progress(self, frame: int) -> tuple[Event | None, float, int]:
        """(phase event, fraction of it done, whole seconds left in it) at ``frame``."""
        event = self.at(frame)
        if event is None:
            return None, 0.0, 0
        done = (frame - event.frame) / max(1, event.duration)
        left = math.ceil((event.frame + event.duration - frame) / self._rate)
        return event, done, left
