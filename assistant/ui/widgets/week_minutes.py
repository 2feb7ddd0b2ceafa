"""Minutes practised each week, as a short stack of horizontal bars."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from textual.app import RenderResult
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from assistant.core.model import counted
from assistant.core.pacing import bar

# "12 Jan" is the widest week label; "999 min" the widest amount anyone is likely to reach.
LABEL_WIDTH = 6
AMOUNT_WIDTH = 7


def week_label(monday: date) -> str:
    """The week's name by its Monday, e.g. ``6 Jan`` (no locale-dependent format codes)."""
    return f"{monday.day} {monday:%b}"


def minutes_text(minutes: float) -> str:
    """The amount beside a bar: ``38 min``, ``<1 min`` for a moment, a dot for none."""
    if minutes <= 0:
        return "·"
    if minutes < 0.5:
        return "<1 min"
    return f"{round(minutes)} min"


class WeekMinutes(Widget):
    """Minutes practised per week, one bar a week, oldest at the top.

    Bars are drawn to the longest week, with eighth blocks for smooth ends. When the widget
    is shorter than the list, the most recent weeks are kept.
    """

    DEFAULT_CSS = """
    WeekMinutes {
        width: 1fr;
        height: auto;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    WeekMinutes > .week-minutes--bar {
        color: $primary;
    }
    WeekMinutes > .week-minutes--label {
        color: $text-muted;
    }
    WeekMinutes > .week-minutes--caption {
        color: $foreground;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "week-minutes--bar",
        "week-minutes--label",
        "week-minutes--caption",
    }
    """
    | Class | Description |
    | :- | :- |
    | `week-minutes--bar` | The bars. |
    | `week-minutes--label` | Week names and minute amounts. |
    | `week-minutes--caption` | The total under the bars. |
    """

    totals: reactive[Sequence[tuple[date, float]]] = reactive((), layout=True)
    """``(monday, minutes)`` per week, oldest first (as ``PracticeLog.minutes_per_week`` gives)."""

    def __init__(
        self,
        totals: Sequence[tuple[date, float]] = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Create the chart.

        Args:
            totals: ``(monday, minutes)`` per week, oldest first.
            name: The widget's name.
            id: The widget's id in the DOM.
            classes: Space-separated CSS classes.
        """
        super().__init__(name=name, id=id, classes=classes)
        self.set_reactive(WeekMinutes.totals, self.validate_totals(totals))

    def validate_totals(
        self, totals: Sequence[tuple[date, float]]
    ) -> tuple[tuple[date, float], ...]:
        """Keep an immutable copy, so a later change to the caller's list cannot go unseen."""
        return tuple(totals)

    def caption(self) -> str:
        """The line under the bars: the minutes added up, or what will appear here."""
        total = sum(minutes for _, minutes in self.totals)
        if total < 0.5:
            return "Minutes you practise each week will show here."
        weeks = len(self.totals)
        span = "this week" if weeks == 1 else f"over {weeks} weeks"
        return f"{counted(round(total), 'minute')} of practice {span}"

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """Room for labels, a modest bar and the caption."""
        return max(LABEL_WIDTH + 1 + 16 + 1 + AMOUNT_WIDTH, len(self.caption()))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """A row per week and the caption."""
        return len(self.totals) + 1

    def render(self) -> RenderResult:
        """Draw a bar per week and the caption."""
        width, height = self.size
        if not width or not height:
            return Content("")
        caption = Content.styled(
            self.caption()[:width], self.get_visual_style("week-minutes--caption", partial=True)
        )
        shown = self.totals[max(0, len(self.totals) - (height - 1)) :] if height > 1 else ()
        rows = [self._row(monday, minutes, width) for monday, minutes in shown]
        return Content("\n").join([*rows, caption])

    def _row(self, monday: date, minutes: float, width: int) -> Content:
        """One week: its name, its bar scaled to the longest week, and its minutes."""
        label_style = self.get_visual_style("week-minutes--label", partial=True)
        bar_style = self.get_visual_style("week-minutes--bar", partial=True)
        most = max(m for _, m in self.totals)
        bar_width = width - LABEL_WIDTH - AMOUNT_WIDTH - 2
        parts: list[str | Content | tuple[str, str]] = [
            Content.styled(week_label(monday).rjust(LABEL_WIDTH), label_style),
            " ",
        ]
        if bar_width > 0:
            fraction = minutes / most if most > 0 else 0.0
            parts += [Content.styled(bar(fraction, bar_width), bar_style), " "]
        parts.append(Content.styled(minutes_text(minutes).rjust(AMOUNT_WIDTH), label_style))
        return Content.assemble(*parts)[:width]
