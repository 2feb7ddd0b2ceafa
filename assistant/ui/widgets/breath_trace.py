"""Under the pacer, while the breath meter is on: the guide's breathing and what the mic heard.

Two thin rows share one time axis, newest on the right: the guide's curve (how full the
pacer's lungs are) and, beneath it, how strongly breath was heard. Breathing in time shows as
the lower row's bumps sitting under the upper row's falling slopes (the audible out-breath).
Nothing here is a score: there is no right or wrong colour, only the two shapes.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import ClassVar

from textual.app import RenderResult
from textual.content import Content
from textual.widget import Widget

from assistant.core.i18n import N_, _
from assistant.ui.widgets.breath_pacer import RISING

#: Enough columns for the widest terminal; older ones scroll away.
MAX_COLUMNS = 400
#: Drawn where nothing could be heard (the guide was speaking, or the mic is calibrating).
UNHEARD = "·"
# TRANSLATORS: the breath meter's two rows: the guide's breathing, the breath heard (short).
LABELS = (N_("guide"), N_("heard"))


class BreathTrace(Widget):
    """Two sparkline rows: the guide's breathing curve, and the breath heard beneath it.

    Feed it with :meth:`push`; it redraws only when columns arrive (twice a second).
    """

    DEFAULT_CSS = """
    BreathTrace {
        height: 2;
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    BreathTrace > .breath-trace--label {
        color: $text-muted;
    }
    BreathTrace > .breath-trace--guide {
        color: $text-muted;
    }
    BreathTrace > .breath-trace--heard {
        color: $primary;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "breath-trace--label",
        "breath-trace--guide",
        "breath-trace--heard",
    }
    """
    | Class | Description |
    | :- | :- |
    | `breath-trace--label` | The words at the left of each row. |
    | `breath-trace--guide` | The guide's breathing curve. |
    | `breath-trace--heard` | The breath the microphone heard. |
    """

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._columns: deque[tuple[float, float | None]] = deque(maxlen=MAX_COLUMNS)

    @property
    def columns(self) -> list[tuple[float, float | None]]:
        """Every column kept, oldest first: (guide 0–1, heard 0–1 or None)."""
        return list(self._columns)

    def push(self, columns: Iterable[tuple[float, float | None]]) -> None:
        """Append columns (guide fill 0–1, heard 0–1 or None), oldest first."""
        before = len(self._columns), self._columns[-1] if self._columns else None
        self._columns.extend(columns)
        if (len(self._columns), self._columns[-1] if self._columns else None) != before:
            self.refresh()

    def clear(self) -> None:
        """Forget every column (the meter was closed)."""
        self._columns.clear()
        self.refresh()

    def rows(self, width: int) -> tuple[str, str]:
        """The two rows' characters after the labels, for ``width`` cells in all."""
        label_width = _label_width()
        cells = max(0, width - label_width)
        shown = list(self._columns)[-cells:] if cells else []
        pad = " " * (cells - len(shown))
        guide = "".join(RISING[round(g * 8)] for g, _ in shown)
        heard = "".join(UNHEARD if h is None else RISING[round(h * 8)] for _, h in shown)
        return pad + guide, pad + heard

    def render(self) -> RenderResult:
        """The labels, then the guide's row above the heard row."""
        width = self.size.width
        label_width = _label_width()
        if width <= label_width:
            return Content("")
        guide, heard = self.rows(width)
        label_style = self.get_visual_style("breath-trace--label", partial=True)
        guide_style = self.get_visual_style("breath-trace--guide", partial=True)
        heard_style = self.get_visual_style("breath-trace--heard", partial=True)
        guide_label, heard_label = (_(label).ljust(label_width) for label in LABELS)
        top = Content.assemble((guide_label, label_style), (guide, guide_style))
        bottom = Content.assemble((heard_label, label_style), (heard, heard_style))
        return Content("\n").join([top, bottom])


def _label_width() -> int:
    """Columns for the rows' labels and a space, in the language in use."""
    return max(len(_(label)) for label in LABELS) + 1
