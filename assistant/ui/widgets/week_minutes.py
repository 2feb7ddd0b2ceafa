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

from assistant.core.i18n import _, ngettext
from assistant.core.pacing import bar

# "12 Jan" is the widest week label in English; "999 min" the widest amount anyone is likely
# to reach. Other languages' labels may be wider ("12. Jan."): the column grows to them.
LABEL_WIDTH = 6
AMOUNT_WIDTH = 7


def week_label(monday: date) -> str:
    """The week's name by its Monday, e.g. ``6 Jan`` (in the language in use)."""
    from assistant.session.local_format import DAY_MONTH, format_when

    return format_when(monday, DAY_MONTH, english="%-d %b")


def minutes_text(minutes: float) -> str:
    """The amount beside a bar: ``38 min``, ``<1 min`` for a moment, a dot for none."""
    if minutes <= 0:
        return "·"
    if minutes < 0.5:
        return _("<1 min")
    # TRANSLATORS: minutes practised in a week, right of its bar: at most 7 characters.
    return _("{minutes} min").format(minutes=round(minutes))


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
        total = sum(minutes for _week, minutes in self.totals)
        if total < 0.5:
            return _("Minutes you practise each week will show here.")
        weeks = len(self.totals)
        count = round(total)
        if weeks == 1:
            said = ngettext(
                "{count} minute of practice this week",
                "{count} minutes of practice this week",
                count,
            )
        else:
            # TRANSLATORS: {weeks} is always 2 or more.
            said = ngettext(
                "{count} minute of practice over {weeks} weeks",
                "{count} minutes of practice over {weeks} weeks",
                count,
            )
        from assistant.session.local_format import format_decimal

        return said.format(count=format_decimal(count, 0), weeks=weeks)

    def label_width(self) -> int:
        """Columns for the weeks' names: the widest shown, at least :data:`LABEL_WIDTH`."""
        return max([LABEL_WIDTH, *(len(week_label(monday)) for monday, _m in self.totals)])

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """Room for labels, a modest bar and the caption."""
        return max(self.label_width() + 1 + 16 + 1 + AMOUNT_WIDTH, len(self.caption()))

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
        most = max(m for _week, m in self.totals)
        label_width = self.label_width()
        bar_width = width - label_width - AMOUNT_WIDTH - 2
        parts: list[str | Content | tuple[str, str]] = [
            Content.styled(week_label(monday).rjust(label_width), label_style),
            " ",
        ]
        if bar_width > 0:
            fraction = minutes / most if most > 0 else 0.0
            parts += [Content.styled(bar(fraction, bar_width), bar_style), " "]
        parts.append(Content.styled(minutes_text(minutes).rjust(AMOUNT_WIDTH), label_style))
        return Content.assemble(*parts)[:width]
