"""History: days with practice, minutes per week, tension before and after, recent notes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from assistant.core.i18n import N_, _
from assistant.core.pacing import elapsed_text
from assistant.ui.screens import SCREENS_CSS
from assistant.ui.services import services_of
from assistant.ui.translate import translate_bindings
from assistant.ui.widgets.calendar_strip import CalendarStrip
from assistant.ui.widgets.key_footer import KeyFooter
from assistant.ui.widgets.tension_chart import TensionChart
from assistant.ui.widgets.week_minutes import WeekMinutes

WEEKS = 8


class HistoryScreen(Screen[None]):
    """Celebrates showing up; never counts what was missed."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [Binding("escape,q", "close", N_("Back"), id="history.back")]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        services = services_of(self.app)
        today = services.today()
        log = services.log
        days = log.days_practised(today - timedelta(weeks=WEEKS)) if log else set()
        noon = datetime.combine(today, time(12)).astimezone()
        weeks = log.minutes_per_week(WEEKS, now=noon) if log else []
        pairs = log.tension_pairs(20) if log else []
        entries = log.entries(limit=40) if log else []
        wins = self._wins(today)
        with VerticalScroll(id="history"):
            yield Static(_("Your practice"), classes="heading")
            if wins:
                yield Static(_("Small wins"), classes="subheading")
                yield Static(wins, id="wins")
            with Horizontal(id="history-top"):
                yield CalendarStrip(days=frozenset(days), today=today, weeks=WEEKS)
                with Vertical(id="tension"):
                    yield Static(_("Tension before → after"), classes="subheading")
                    yield TensionChart(pairs)
            with Vertical(classes="history-row"):
                yield Static(_("Minutes each week"), classes="subheading")
                yield WeekMinutes(weeks)
            yield Static(_("Recent sessions"), classes="subheading")
            yield Static(self._recent(entries), id="recent")
        yield KeyFooter()

    def _wins(self, today: date) -> Text | None:
        """Warm notes drawn from the sessions and the ladder (the ladder's only if it is on)."""
        from assistant.core.ladder import small_wins

        services = services_of(self.app)
        log = services.log
        if log is None:
            return None
        ladder = services.ladder if services.settings.ladder_on else None
        wins = small_wins(
            ladder.steps(archived=True) if ladder else [],
            ladder.attempts() if ladder else [],
            days_this_month=len(log.days_practised(today.replace(day=1))),
            today=today,
        )
        if not wins:
            return None
        from assistant.session.local_format import DAY_MONTH, format_when

        text = Text()
        for win in wins:
            text.append(format_when(win.day, DAY_MONTH, english="%d %b") + "  ", "dim")
            text.append(win.text + "\n")
        return text

    @staticmethod
    def _recent(entries: list) -> Text:  # type: ignore[type-arg]
        if not entries:
            return Text(
                # TRANSLATORS: “Right now” is the quick reset's title (scripts/<lang>/now.toml).
                _("Nothing here yet. Whenever you like, F2 starts the quick reset, “Right now”."),
                "dim",
            )
        from assistant.session.local_format import WEEKDAY_DAY_MONTH, format_when

        text = Text()
        for entry in entries[:12]:
            when = format_when(
                entry.started_at, WEEKDAY_DAY_MONTH, time=True, english="%a %d %b %H:%M"
            )
            text.append(f"{when}  ", "dim")
            text.append(entry.script_title)
            text.append(f"  {elapsed_text(entry.practised_seconds)}", "dim")
            tension = _tension(entry.tension_before, entry.tension_after)
            if tension:
                text.append(f"  {tension}", "dim")
            if entry.note:
                text.append(f"  “{entry.note}”", "italic")
            text.append("\n")
        return text

    def action_close(self) -> None:
        """Back to the scripts."""
        self.dismiss(None)


def _tension(before: int | None, after: int | None) -> str:
    """How tense the person said they were, as ``ground log`` writes it (either may be missing)."""
    # TRANSLATORS: ratings of how tense, 0–10.
    if before is not None and after is not None:
        return _("tension {before} → {after}").format(before=before, after=after)
    if before is not None:
        return _("tension before {before}").format(before=before)
    if after is not None:
        return _("tension after {after}").format(after=after)
    return ""
