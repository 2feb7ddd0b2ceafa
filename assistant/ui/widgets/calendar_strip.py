"""The days someone practised over the last few weeks, as a tiny calendar of dots."""

from __future__ import annotations

from collections.abc import Set
from datetime import date, timedelta
from typing import ClassVar

from textual.app import RenderResult
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from assistant.core.i18n import N_, _, ngettext

#: A day with at least one session.
PRACTISED = "■"
#: A day without one: a quiet dot, never a mark against anyone.
QUIET = "·"
#: Today, once practised.
TODAY_PRACTISED = "◆"
#: Today, still open.
TODAY_OPEN = "◇"

#: Initials of the weekday rows, Monday first (translated where drawn).
# TRANSLATORS: the initials of the weekdays, Monday first: exactly seven letters, one a day.
WEEKDAYS = N_("MTWTFSS")

# The full grid needs a row per weekday plus the caption; any less and it folds into one row.
GRID_HEIGHT = 8


class CalendarStrip(Widget):
    """Practice days over the last ``weeks`` weeks, one small cell a day, and a kind caption.

    Drawn as a grid with a column per week (Monday at the top), like a tiny contribution
    graph; when given fewer than eight rows it folds into one row of days, oldest first.
    The caption counts the days that had practice: it celebrates showing up and never talks
    about streaks or gaps.
    """

    DEFAULT_CSS = """
    CalendarStrip {
        width: 1fr;
        height: auto;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    CalendarStrip > .calendar-strip--practised {
        color: $success;
    }
    CalendarStrip > .calendar-strip--quiet {
        color: $text-disabled;
    }
    CalendarStrip > .calendar-strip--today {
        color: $accent;
        text-style: bold;
    }
    CalendarStrip > .calendar-strip--weekday {
        color: $text-muted;
    }
    CalendarStrip > .calendar-strip--caption {
        color: $foreground;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "calendar-strip--practised",
        "calendar-strip--quiet",
        "calendar-strip--today",
        "calendar-strip--weekday",
        "calendar-strip--caption",
    }
    """
    | Class | Description |
    | :- | :- |
    | `calendar-strip--practised` | A day with practice. |
    | `calendar-strip--quiet` | A day without. |
    | `calendar-strip--today` | Today's cell, practised or not. |
    | `calendar-strip--weekday` | The weekday initials beside the grid. |
    | `calendar-strip--caption` | The line under the days. |
    """

    days: reactive[Set[date]] = reactive(frozenset())
    """The local dates with at least one session (any outside the window are ignored)."""
    today: reactive[date] = reactive(date.today)
    """The last day shown; tests and the screen pass it so the widget never reads the clock."""
    weeks: reactive[int] = reactive(8, layout=True)
    """How many weeks to show, counting the current one."""

    def __init__(
        self,
        days: Set[date] = frozenset(),
        *,
        today: date | None = None,
        weeks: int = 8,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Create the strip.

        Args:
            days: The dates with practice.
            today: The last day shown (defaults to the current date).
            weeks: How many weeks to show, counting the current one.
            name: The widget's name.
            id: The widget's id in the DOM.
            classes: Space-separated CSS classes.
        """
        super().__init__(name=name, id=id, classes=classes)
        self.set_reactive(CalendarStrip.days, frozenset(days))
        if today is not None:
            self.set_reactive(CalendarStrip.today, today)
        self.set_reactive(CalendarStrip.weeks, self.validate_weeks(weeks))

    def validate_days(self, days: Set[date]) -> frozenset[date]:
        """Keep the days as a frozenset, whatever set the caller had."""
        return frozenset(days)

    def validate_weeks(self, weeks: int) -> int:
        """At least one week."""
        return max(1, weeks)

    @property
    def first_day(self) -> date:
        """The Monday that starts the oldest week shown."""
        monday = self.today - timedelta(days=self.today.weekday())
        return monday - timedelta(weeks=self.weeks - 1)

    def practice_days(self) -> int:
        """How many days in the window had practice (the number the caption shows)."""
        return sum(1 for day in self.days if self.first_day <= day <= self.today)

    def caption(self) -> str:
        """The line under the days, e.g. ``12 days with practice in the last 8 weeks``."""
        count = self.practice_days()
        if not count:
            return _("Days you practise will light up here.")
        if self.weeks == 1:
            said = ngettext(
                "{count} day with practice this week", "{count} days with practice this week", count
            )
        else:
            # TRANSLATORS: under the calendar (40 columns): {weeks} is always 2 or more.
            said = ngettext(
                "{count} day with practice in the last {weeks} weeks",
                "{count} days with practice in the last {weeks} weeks",
                count,
            )
        return said.format(count=count, weeks=self.weeks)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """Wide enough for the grid and the caption."""
        return max(2 + 2 * self.weeks - 1, len(self.caption()))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """A row per weekday and the caption."""
        return GRID_HEIGHT

    def render(self) -> RenderResult:
        """Draw the grid (or the folded row) and the caption."""
        width, height = self.size
        if not width or not height:
            return Content("")
        caption = Content.styled(
            self.caption()[:width], self.get_visual_style("calendar-strip--caption", partial=True)
        )
        if height >= GRID_HEIGHT:
            rows = [*self._grid(width), caption]
        elif height >= 2:
            rows = [self._row(width), caption]
        else:
            rows = [self._row(width)]
        return Content("\n").join(rows)

    def _grid(self, width: int) -> list[Content]:
        """Seven rows, Monday first, a column per week; the oldest weeks go if space is short."""
        labelled = width >= 3
        room = width - 2 if labelled else width
        shown = max(1, min(self.weeks, (room + 1) // 2))
        start = self.first_day + timedelta(weeks=self.weeks - shown)
        weekday_style = self.get_visual_style("calendar-strip--weekday", partial=True)
        weekdays = _weekdays()
        rows = []
        for weekday in range(7):
            parts: list[str | Content | tuple[str, str]] = []
            if labelled:
                parts.append(Content.styled(weekdays[weekday] + " ", weekday_style))
            for week in range(shown):
                if week:
                    parts.append(" ")
                parts.append(self._cell(start + timedelta(weeks=week, days=weekday)))
            rows.append(Content.assemble(*parts)[:width])
        return rows

    def _row(self, width: int) -> Content:
        """The days in one row, oldest first, keeping the most recent that fit."""
        count = min((self.today - self.first_day).days + 1, width)
        start = self.today - timedelta(days=count - 1)
        return Content.assemble(*(self._cell(start + timedelta(days=n)) for n in range(count)))

    def _cell(self, day: date) -> Content:
        """One day's cell: practised, quiet, today, or blank for the rest of this week."""
        if day > self.today:
            return Content(" ")
        practised = day in self.days
        if day == self.today:
            glyph = TODAY_PRACTISED if practised else TODAY_OPEN
            component = "calendar-strip--today"
        elif practised:
            glyph, component = PRACTISED, "calendar-strip--practised"
        else:
            glyph, component = QUIET, "calendar-strip--quiet"
        return Content.styled(glyph, self.get_visual_style(component, partial=True))


def _weekdays() -> str:
    """The weekdays' initials in the language in use (English's, if a translation is not
    seven letters)."""
    initials = _(WEEKDAYS)
    return initials if len(initials) == len(WEEKDAYS) else WEEKDAYS
