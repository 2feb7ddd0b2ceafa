"""What the breath meter shows: the reading a practice hands its views with each look.

Kept apart from the coach, which only a practice with its meter on imports (the hotkey's path
never does), so the views can name these types.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.sound.meter import Level


@dataclass(frozen=True)
class TracePoint:
    """One column of the breath trace.

    Attributes:
        guide: how full the pacer's lungs are at that moment, 0–1 (the target curve).
        heard: how strongly breath was heard, 0–1; None when nothing could be heard (the
            guide's voice was playing, or the detector is still calibrating).
    """

    guide: float
    heard: float | None


@dataclass(frozen=True)
class MeterReading:
    """What the breath meter shows after one look (the coach's update).

    Attributes:
        level: the microphone level, for the level bar.
        calibrating: still learning the room's quiet level.
        rate: breaths per minute once settled (about half a minute), else None.
        advice: a remark to show now (at most once a minute), else None.
        trace: new trace columns since the last reading, oldest first.
    """

    level: Level
    calibrating: bool
    rate: float | None
    advice: str | None
    trace: tuple[TracePoint, ...]

    @property
    def detail(self) -> str:
        """A couple of words under the level: listening, or the rate."""
        if self.calibrating:
            return "listening…"
        return f"≈{self.rate:.0f}/min" if self.rate is not None else ""

    def bar(self, width: int = 8) -> str:
        """The level as a small bar with a peak-hold tick, ``width`` cells wide."""
        from assistant.sound.meter import level_bar

        return level_bar(self.level, width)
