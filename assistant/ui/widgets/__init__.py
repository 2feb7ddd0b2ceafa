"""The TUI's own widgets: the breathing pacer and the small practice charts."""

from __future__ import annotations

from assistant.ui.widgets.breath_pacer import BreathPacer, PacerFrame
from assistant.ui.widgets.calendar_strip import CalendarStrip
from assistant.ui.widgets.tension_chart import TensionChart
from assistant.ui.widgets.week_minutes import WeekMinutes

__all__ = ["BreathPacer", "CalendarStrip", "PacerFrame", "TensionChart", "WeekMinutes"]
