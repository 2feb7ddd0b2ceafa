"""A small chart of one ladder step's tries: how hard each felt, oldest on the left.

One column per try, its height the distress felt (the peak if noted, else after, else before),
0–100 over a few rows. A falling line of columns is the point of the ladder, and the chart lets
the person see it without a word of judgement about the ones that stayed high.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import RenderResult
from textual.content import Content
from textual.widget import Widget

from assistant.core.i18n import _
from assistant.ui.widgets.breath_pacer import RISING

ROWS = 4
#: Each try's column is this wide, with a gap after it.
COLUMN = 2


class SudsChart(Widget):
    """Columns of SUDS (0–100) per try, oldest first; the newest tries win when it is narrow."""

    DEFAULT_CSS = """
    SudsChart {
        height: 5;
        width: 1fr;
        color: $primary;
    }
    SudsChart > .suds-chart--axis {
        color: $text-muted;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"suds-chart--axis"}
    """
    | Class | Description |
    | :- | :- |
    | `suds-chart--axis` | The scale at the left and the words when there are no tries. |
    """

    def __init__(
        self,
        values: Sequence[int] = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.values = list(values)

    def show(self, values: Sequence[int]) -> None:
        """Chart these values (0–100, oldest first)."""
        if list(values) != self.values:
            self.values = list(values)
            self.refresh()

    def rows(self, width: int) -> list[str]:
        """The chart's rows, top first, after the 4-cell scale."""
        cells = max(0, width - 4)
        fits = cells // (COLUMN + 1)
        shown = self.values[-fits:] if fits else []
        lines = []
        for row in range(ROWS):
            floor = (ROWS - 1 - row) * 8
            line = ""
            for value in shown:
                eighths = round(value / 100 * ROWS * 8)
                line += RISING[min(8, max(0, eighths - floor))] * COLUMN + " "
            lines.append(line)
        return lines

    def render(self) -> RenderResult:
        """The scale, then one column per try; a kind line when there are none yet."""
        axis = self.get_visual_style("suds-chart--axis", partial=True)
        if not self.values:
            return Content.styled(_("No tries yet: the chart fills in as you go."), axis)
        labels = ["100", "", "", "0"]
        rows = self.rows(self.size.width)
        lines = [
            Content.assemble((label.rjust(3) + " ", axis), row)
            for label, row in zip(labels, rows, strict=True)
        ]
        # TRANSLATORS: under the chart of the tries' ratings (the arrow points right).
        lines.append(Content.styled("    " + _("tries, oldest first →"), axis))
        return Content("\n").join(lines)
