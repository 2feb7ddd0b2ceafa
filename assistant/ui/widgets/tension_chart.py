"""How tense someone felt before and after recent sessions, as pairs of small bars."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from textual.app import RenderResult
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from assistant.core.i18n import N_, _
from assistant.ui.plan import decimal_sign
from assistant.ui.widgets.breath_pacer import RISING

#: Shown until a session has been rated both before and after.
EMPTY_MESSAGE = N_("Rate how tense you feel before and after a session, and it shows here.")

# Three rows give 24 levels for an 0–10 scale: every rating has its own height.
CHART_ROWS = 3
MAX_CHART_ROWS = 8


def average_line(pairs: Sequence[tuple[datetime, int, int]]) -> str:
    """``on average 6.1 → 3.9``: the plain numbers (before → after), with no verdict."""
    before = sum(b for _when, b, _after in pairs) / len(pairs)
    after = sum(a for _when, _before, a in pairs) / len(pairs)
    sign = decimal_sign()
    # TRANSLATORS: {before} and {after} are average ratings, 0–10, with one decimal.
    return _("on average {before} → {after}").format(
        before=f"{before:.1f}".replace(".", sign), after=f"{after:.1f}".replace(".", sign)
    )


def column(value: int, rows: int) -> list[str]:
    """A 0–10 rating as a vertical bar ``rows`` cells tall, top cell first."""
    level = round(min(10, max(0, value)) / 10 * rows * 8)
    return [RISING[min(8, max(0, level - (rows - 1 - row) * 8))] for row in range(rows)]


class TensionChart(Widget):
    """Before/after tension (0–10) of recent sessions: a pair of small bars per session.

    The left bar of each pair is before, the right one after; oldest on the left. Under the
    bars, a legend and the averages. When there is no room for every session, the most
    recent are kept.
    """

    DEFAULT_CSS = """
    TensionChart {
        width: 1fr;
        height: auto;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    TensionChart > .tension-chart--before {
        color: $text-muted;
    }
    TensionChart > .tension-chart--after {
        color: $accent;
    }
    TensionChart > .tension-chart--caption {
        color: $foreground;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "tension-chart--before",
        "tension-chart--after",
        "tension-chart--caption",
    }
    """
    | Class | Description |
    | :- | :- |
    | `tension-chart--before` | The bar for tension before a session (and its legend). |
    | `tension-chart--after` | The bar for tension after it (and its legend). |
    | `tension-chart--caption` | The averages, or the invitation when there is nothing yet. |
    """

    pairs: reactive[Sequence[tuple[datetime, int, int]]] = reactive((), layout=True)
    """``(started_at, before, after)`` per session, oldest first (``PracticeLog.tension_pairs``)."""

    def __init__(
        self,
        pairs: Sequence[tuple[datetime, int, int]] = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Create the chart.

        Args:
            pairs: ``(started_at, before, after)`` per session, oldest first.
            name: The widget's name.
            id: The widget's id in the DOM.
            classes: Space-separated CSS classes.
        """
        super().__init__(name=name, id=id, classes=classes)
        self.set_reactive(TensionChart.pairs, self.validate_pairs(pairs))

    def validate_pairs(
        self, pairs: Sequence[tuple[datetime, int, int]]
    ) -> tuple[tuple[datetime, int, int], ...]:
        """Keep an immutable copy, so a later change to the caller's list cannot go unseen."""
        return tuple(pairs)

    def caption(self) -> str:
        """The averages line, or the invitation to rate when there is nothing to show."""
        return average_line(self.pairs) if self.pairs else _(EMPTY_MESSAGE)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """Room for the pairs and the caption."""
        return max(3 * len(self.pairs), len(self.caption()))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The bars, the legend and the averages; or the wrapped invitation."""
        if not self.pairs:
            return max(1, len(textwrap.wrap(_(EMPTY_MESSAGE), max(1, width))))
        return CHART_ROWS + 2

    def render(self) -> RenderResult:
        """Draw the pairs of bars, the legend and the averages."""
        width, height = self.size
        if not width or not height:
            return Content("")
        caption_style = self.get_visual_style("tension-chart--caption", partial=True)
        if not self.pairs:
            lines = textwrap.wrap(_(EMPTY_MESSAGE), width)
            return Content("\n").join(Content.styled(line, caption_style) for line in lines)
        caption = Content.styled(self.caption()[:width], caption_style)
        if height == 1:
            return caption
        chart_rows = min(MAX_CHART_ROWS, max(1, height - 2))
        rows = [*self._bars(width, chart_rows)]
        if height >= 3:
            rows.append(self._legend()[:width])
        rows.append(caption)
        return Content("\n").join(rows)

    def _bars(self, width: int, rows: int) -> list[Content]:
        """The chart itself: for each session a before bar, an after bar, then a space."""
        before_style = self.get_visual_style("tension-chart--before", partial=True)
        after_style = self.get_visual_style("tension-chart--after", partial=True)
        shown = self.pairs[-max(1, (width + 1) // 3) :]
        columns = [(column(before, rows), column(after, rows)) for _, before, after in shown]
        lines = []
        for row in range(rows):
            parts: list[str | Content | tuple[str, str]] = []
            for index, (before, after) in enumerate(columns):
                if index:
                    parts.append(" ")
                parts += [
                    Content.styled(before[row], before_style),
                    Content.styled(after[row], after_style),
                ]
            lines.append(Content.assemble(*parts)[:width])
        return lines

    def _legend(self) -> Content:
        """Which bar of a pair is which."""
        # TRANSLATORS: the chart's legend: which bar of a pair is before, which after.
        before, after = _("before"), _("after")
        return Content.assemble(
            Content.styled("█", self.get_visual_style("tension-chart--before", partial=True)),
            f" {before}  ",
            Content.styled("█", self.get_visual_style("tension-chart--after", partial=True)),
            f" {after}",
        )
