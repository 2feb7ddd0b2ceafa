"""The one-line inline pacer for ``ground play``/``ground now`` (pure formatting, no I/O)."""

from __future__ import annotations

import bisect
import math

from assistant.core.model import Event, EventKind, PhaseKind, Timeline

_EIGHTHS = " ▏▎▍▌▋▊▉█"
PACER_WIDTH = 10
PROGRESS_WIDTH = 16


def bar(fraction: float, width: int) -> str:
    """A left-to-right bar drawn with eighth blocks, ``width`` cells wide."""
    fraction = min(1.0, max(0.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (_EIGHTHS[part] if part else "")
    return text.ljust(width)


def lung_fill(phase: PhaseKind, progress: float) -> float:
    """How full the pacer is: grows on inhale, holds, shrinks on exhale."""
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
    """``m:ss``."""
    whole = max(0, math.ceil(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


class PhaseIndex:
    """Finds the breathing phase (if any) playing at a frame."""

    def __init__(self, timeline: Timeline) -> None:
        self.phases = [e for e in timeline.events if e.kind is EventKind.PHASE]
        self._starts = [e.frame for e in self.phases]

    def at(self, frame: int) -> Event | None:
        """The phase event covering ``frame``, or None between breathing blocks."""
        index = bisect.bisect_right(self._starts, frame) - 1
        if index < 0:
            return None
        event = self.phases[index]
        return event if frame < event.frame + event.duration else None


def status_line(timeline: Timeline, phases: PhaseIndex, frame: int, *, paused: bool) -> str:
    """The single status line: phase, its seconds left, pacer, overall progress, time left."""
    rate = timeline.sample_rate
    total = max(1, timeline.total_frames)
    left = clock_text((total - frame) / rate)
    progress = bar(frame / total, PROGRESS_WIDTH)
    phase = phases.at(frame)
    if phase is not None and phase.phase is not None:
        into = (frame - phase.frame) / max(1, phase.duration)
        secs = math.ceil((phase.frame + phase.duration - frame) / rate)
        label = f"{phase.phase.label:<11} {secs:>2}s"
        pacer = bar(lung_fill(phase.phase, into), PACER_WIDTH)
    else:
        label = f"{'listen':<11}    "
        pacer = " " * PACER_WIDTH
    if paused:
        label = f"{'paused':<11}    "
    return f" {label} ▕{pacer}▏  {progress} {left} left"
