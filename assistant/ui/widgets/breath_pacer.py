"""The big breathing pacer of the session screen: a dome that rises and sinks with the breath."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from textual.app import RenderResult
from textual.content import Content
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Visual
from textual.widget import Widget

from assistant.core.model import PhaseKind
from assistant.core.pacing import bar, lung_fill

#: Blocks rising from the bottom of a cell, by eighths of its height (index 0 is empty).
RISING = " ▁▂▃▄▅▆▇█"

#: The state class each phase puts on the widget (the app's tcss colours them).
PHASE_CLASSES = {
    PhaseKind.INHALE: "-inhale",
    PhaseKind.TOP_UP: "-top-up",
    PhaseKind.HOLD: "-hold",
    PhaseKind.EXHALE: "-exhale",
    PhaseKind.HOLD_AFTER_EXHALE: "-rest",
}

#: How fast :func:`lung_fill` changes with a phase's progress (the phases whose shape moves).
_FILL_SLOPE = {PhaseKind.INHALE: 0.85, PhaseKind.TOP_UP: 0.15, PhaseKind.EXHALE: -1.0}

# The dome never vanishes: with empty lungs it rests at a quarter of its full size, so the eye
# always has something to follow and the next inhale grows out of it rather than out of nothing.
REST_SIZE = 0.25
# Past this many rows a bigger dome only fills more of the screen; it looks no calmer.
MAX_ROWS = 12
# A terminal cell is about twice as tall as it is wide; without this the dome is a tall hill.
ASPECT = 2.0
# Each column's height averages a few samples across it, so new columns at the dome's edge grow
# in from nothing instead of appearing two rows tall at once.
SAMPLES = 4
# Rows kept drawn (a dome's rows at each of its sizes, ~200); past this the cache starts again.
_ROW_CACHE = 1024
# The reduced-motion bar is short enough to read at a glance in a wide terminal.
BAR_WIDTH = 32


@dataclass(frozen=True)
class PacerFrame:
    """Everything the pacer draws, quantised to the cells it draws into.

    Two equal frames draw identical characters, which is what lets the widget skip redraws.

    Attributes:
        size: the content (width, height) the frame is laid out for.
        reduced: a bar (reduced motion) rather than the dome.
        levels: the dome's column heights in eighths of a row, left to right; for reduced
            motion, one number: the bar's filled length in eighths of a cell.
        label: the words under the shape, e.g. ``breathe in · 3``.
    """

    size: tuple[int, int]
    reduced: bool
    levels: tuple[int, ...]
    label: str


@dataclass(frozen=True)
class _Layout:
    """Where the parts of the pacer go in its content area (rows counted from the top)."""

    shape_rows: int
    radius: float
    ground: bool
    gap: int


class BreathPacer(Widget):
    """The breathing pacer: a dome that grows on the inhale, holds, and sinks on the exhale.

    The screen sets the reactives from the audio clock; the widget has no timer of its own.
    It refreshes only when what it draws changes (see :meth:`drawn_state`), so the screen can
    set ``progress`` as often as it polls the clock without costing a redraw each time.
    """

    DEFAULT_CSS = """
    BreathPacer {
        width: 1fr;
        height: 1fr;
        min-height: 1;
        color: $primary;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    BreathPacer > .breath-pacer--ground {
        color: $text-muted;
    }
    BreathPacer > .breath-pacer--label {
        color: $foreground;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "breath-pacer--ground",
        "breath-pacer--label",
    }
    """
    | Class | Description |
    | :- | :- |
    | `breath-pacer--ground` | The faint line the dome stands on, and the bar's end caps. |
    | `breath-pacer--label` | The phase words and seconds under the shape. |
    """

    #: Shown under the resting shape while the voice speaks between breathing blocks.
    RESTING_LABEL: ClassVar[str] = "listen"
    #: Shown instead while the voice is not heard (off, muted, no sound): the words are read.
    READING_LABEL: ClassVar[str] = "read"
    #: Shown instead of the phase while the session is paused.
    PAUSED_LABEL: ClassVar[str] = "paused"

    # Every reactive is repaint=False: _redraw_if_changed decides whether anything visible moved.
    phase: reactive[PhaseKind | None] = reactive(None, repaint=False)
    """The breathing phase playing now, or None during narration (a calm resting shape)."""
    progress: reactive[float] = reactive(0.0, repaint=False)
    """How far through the phase we are, 0–1."""
    seconds_left: reactive[int] = reactive(0, repaint=False)
    """Whole seconds left in the phase (0 hides the count)."""
    paused: reactive[bool] = reactive(False, repaint=False)
    """Whether the session is paused."""
    reduced_motion: reactive[bool] = reactive(False, repaint=False)
    """Draw a filling bar and a count instead of the moving dome."""
    voice_heard: reactive[bool] = reactive(True, repaint=False)
    """Whether the guide's words are heard (the resting label says "listen", else "read")."""

    def __init__(
        self,
        *,
        reduced_motion: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Create the pacer.

        Args:
            reduced_motion: Start in the reduced-motion (bar and count) variant.
            name: The widget's name.
            id: The widget's id in the DOM.
            classes: Space-separated CSS classes.
        """
        super().__init__(name=name, id=id, classes=classes)
        self.set_reactive(BreathPacer.reduced_motion, reduced_motion)
        self.renders = 0
        """How many times the widget has rendered (tests check redraws are skipped)."""
        self._drawn: PacerFrame | None = None
        self._row_strips: dict[tuple[tuple[str, str], ...], Strip] = {}
        self._row_key: object = None
        self._line_frame: object = None
        self._state: tuple[object, PacerFrame | None] = (None, None)
        self._rows_of: tuple[PacerFrame | None, list[tuple[tuple[str, str], ...]]] = (None, [])

    # -- reactives down ---------------------------------------------------------------------------

    def watch_phase(self, phase: PhaseKind | None) -> None:
        """Put the phase's state class on the widget and redraw if the picture changed."""
        for kind, name in PHASE_CLASSES.items():
            self.set_class(kind is phase, name)
        self._redraw_if_changed()

    def watch_progress(self) -> None:
        """Redraw only if the new progress moves a drawn cell."""
        self._redraw_if_changed()

    def watch_seconds_left(self) -> None:
        """Redraw only if the count is showing and changed."""
        self._redraw_if_changed()

    def watch_paused(self, paused: bool) -> None:
        """Toggle ``-paused`` and show the paused label."""
        self.set_class(paused, "-paused")
        self._redraw_if_changed()

    def watch_voice_heard(self) -> None:
        """The resting label may change."""
        self._redraw_if_changed()

    def watch_reduced_motion(self, reduced_motion: bool) -> None:
        """Toggle ``-reduced`` and switch between the dome and the bar."""
        self.set_class(reduced_motion, "-reduced")
        self._redraw_if_changed()

    def _redraw_if_changed(self) -> None:
        # Textual charges a full render and a screen update for every refresh; measured, a bar
        # redrawn at 30 Hz cost 16% of a core against 4% when redrawn only on visible change.
        frame = self.drawn_state()
        if frame == self._drawn:
            return
        before, self._drawn = self._drawn, frame
        if before is None or before.size != frame.size or before.reduced != frame.reduced:
            self.refresh()
            return
        # Only the rows that differ go to the screen: a step of the dome changes 4–10 of its
        # 12 rows, and the label row once a second.
        old, new = self._rows(before), self._rows(frame)
        if len(old) != len(new):
            self.refresh()
            return
        width = frame.size[0]
        pairs = enumerate(zip(old, new, strict=True))
        changed = [Region(0, y, width, 1) for y, (a, b) in pairs if a != b]
        if changed:
            self.refresh(*changed)

    # -- drawing ----------------------------------------------------------------------------------

    def drawn_state(self) -> PacerFrame:
        """What the pacer would draw now, at its current size (equal frames draw the same).

        Returns:
            A hashable frame: the size, the variant, the shape's levels in eighths, the label.
        """
        width, height = self.size
        inputs = (
            width,
            height,
            self.reduced_motion,
            self.phase,
            self.progress,
            self.paused,
            self.voice_heard,
        )
        inputs_with_count = (*inputs, self.seconds_left)
        known, drawn = self._state
        if drawn is not None and inputs_with_count == known:
            return drawn  # asked once per row while a frame is drawn
        fill = lung_fill(self.phase, self.progress)
        levels: tuple[int, ...]
        if self.reduced_motion:
            bar_width = _bar_width(width)
            levels = (round(fill * bar_width * 8),) if bar_width and height > 1 else ()
        else:
            layout = _layout(width, height)
            scale = REST_SIZE + (1.0 - REST_SIZE) * fill
            # The radius moves in eighths of a row, so the top of the dome rises one eighth block
            # per redraw. Left free, some edge column changes on nearly every 30 Hz update and
            # the pacer redraws on all of them (116 of 120 over a 4 s inhale, against 35 now).
            radius = round(layout.radius * scale * 8) / 8
            levels = dome_levels(width, radius) if layout.shape_rows else ()
        frame = PacerFrame((width, height), self.reduced_motion, levels, self._label(width))
        self._state = (inputs_with_count, frame)
        return frame

    def next_step(self) -> float | None:
        """The phase progress (0–1) at which the drawing next changes as the phase goes on.

        The shape is quantised (the radius in eighths of a row, the bar in eighths of a cell)
        and the fill is linear in the phase's progress, so the next change is known exactly:
        the screen looks at the clock then, not at every frame. None when the shape does not
        move (a hold, narration, a pause, no room).
        """
        slope = _FILL_SLOPE.get(self.phase) if self.phase is not None else None
        width, height = self.size
        if slope is None or self.paused or not width or not height:
            return None
        if self.reduced_motion:
            offset, per_fill = 0.0, _bar_width(width) * 8.0
        else:
            layout = _layout(width, height)
            if not layout.shape_rows:
                return None
            offset = layout.radius * REST_SIZE * 8
            per_fill = layout.radius * (1.0 - REST_SIZE) * 8
        if per_fill <= 0:
            return None
        fill = lung_fill(self.phase, self.progress)
        drawn = offset + per_fill * fill  # the value drawn_state rounds
        target = math.floor(drawn + 0.5) + 0.5 if slope > 0 else math.ceil(drawn - 0.5) - 0.5
        at = min(1.0, max(0.0, self.progress)) + ((target - offset) / per_fill - fill) / slope
        return min(1.0, at)

    def render(self) -> RenderResult:
        """Draw the current frame: the dome (or bar) with the label under it."""
        self.renders += 1
        frame = self.drawn_state()
        self._drawn = frame
        width, height = frame.size
        if not width or not height:
            return Content("")
        return Content("\n").join(self._content(row) for row in self._rows(frame))

    def render_line(self, y: int) -> Strip:
        """One row, drawn as :meth:`render` draws it, from a cache of rows already drawn.

        Textual asks only for the rows refreshed by :meth:`_redraw_if_changed`; a row seen
        before (the rows of a resting dome, the blank ones) is not drawn again.
        """
        frame = self.drawn_state()
        self._drawn = frame
        key = (frame.size, self.styles._cache_key)
        if (frame, key) != self._line_frame:
            self._line_frame = (frame, key)
            self.renders += 1
        if key != self._row_key:
            self._row_key = key
            self._row_strips.clear()
        self._dirty_regions.clear()
        rows = self._rows(frame)
        width = frame.size[0]
        if not 0 <= y < len(rows):
            return Strip.blank(width, self.visual_style.rich_style)
        row = rows[y]
        strip = self._row_strips.get(row)
        if strip is None:
            if len(self._row_strips) > _ROW_CACHE:
                self._row_strips.clear()
            [strip] = Visual.to_strips(self, self._content(row), width, 1, self.visual_style)
            self._row_strips[row] = strip
        return strip

    def _content(self, row: tuple[tuple[str, str], ...]) -> Content:
        """One row's pieces as Content, each in its component style."""
        parts = [(text, self._part_style(kind)) for text, kind in row]
        if len(parts) == 1:
            text, style = parts[0]
            return Content(text) if style is None else Content.styled(text, style)
        return Content.assemble(*((t, s) if s else t for t, s in parts))

    def _part_style(self, kind: str) -> VisualStyle | None:
        if not kind:
            return None
        return self.get_visual_style(f"breath-pacer--{kind}", partial=True)

    def _rows(self, frame: PacerFrame) -> list[tuple[tuple[str, str], ...]]:
        """Each row of ``frame`` as (text, style part) pieces: what render draws, comparable."""
        if self._rows_of[0] == frame:
            return self._rows_of[1]
        rows = self._lay_out(frame)
        self._rows_of = (frame, rows)
        return rows

    def _lay_out(self, frame: PacerFrame) -> list[tuple[tuple[str, str], ...]]:
        width, height = frame.size
        if not width or not height:
            return []
        label = ((_centre(frame.label, width), "label"),)
        blank = ((" " * width, ""),)
        block: list[tuple[tuple[str, str], ...]]
        if frame.reduced:
            bar_rows = [self._bar_row(frame, width)] if frame.levels else []
            gap = [blank] if bar_rows and height >= 3 else []
            block = [*bar_rows, *gap, label]
        else:
            layout = _layout(width, height)
            block = [((line, ""),) for line in dome_rows(frame.levels, layout.shape_rows)]
            if layout.ground:
                full = dome_levels(width, layout.radius)
                block.append((("".join("▔" if level else " " for level in full), "ground"),))
            block.extend([blank] * layout.gap)
            block.append(label)
        top = max(0, (height - len(block)) // 2)
        return ([blank] * top + block + [blank] * height)[:height]

    @staticmethod
    def _bar_row(frame: PacerFrame, width: int) -> tuple[tuple[str, str], ...]:
        """The reduced-motion bar, centred, between thin end caps."""
        bar_width = _bar_width(width)
        filled = bar(frame.levels[0] / (bar_width * 8), bar_width)
        left = (width - bar_width - 2) // 2
        right = width - bar_width - 2 - left
        return (
            (" " * left, ""),
            ("▕", "ground"),
            (filled, ""),
            ("▏", "ground"),
            (" " * right, ""),
        )

    def _label(self, width: int) -> str:
        """The words under the shape: the phase and its seconds, or why nothing moves.

        In a narrow pacer the count goes first, so the phase words stay whole.
        """
        if self.paused:
            return self.PAUSED_LABEL
        if self.phase is None:
            return self.RESTING_LABEL if self.voice_heard else self.READING_LABEL
        words = self.phase.label
        counted = f"{words} · {self.seconds_left}" if self.seconds_left > 0 else words
        return counted if len(counted) <= width else words


def dome_levels(width: int, radius: float) -> tuple[int, ...]:
    """Column heights, in eighths of a row, of a half-disc of ``radius`` rows centred in ``width``.

    The left half is computed and mirrored, so the dome is exactly symmetric.
    """
    if width <= 0 or radius <= 0:
        return ()
    centre = width / 2
    half: list[int] = []
    for column in range((width + 1) // 2):
        total = 0.0
        for sample in range(SAMPLES):
            dx = (column + (sample + 0.5) / SAMPLES - centre) / ASPECT
            if abs(dx) < radius:
                total += math.sqrt(radius * radius - dx * dx)
        half.append(round(total / SAMPLES * 8))
    return (*half, *reversed(half[: width // 2]))


def dome_rows(levels: tuple[int, ...], rows: int) -> list[str]:
    """The dome's text rows, top first: each column filled up to its level with rising blocks."""
    lines = []
    for row in range(rows):
        floor = (rows - 1 - row) * 8
        lines.append("".join(RISING[min(8, max(0, level - floor))] for level in levels))
    return lines


def _layout(width: int, height: int) -> _Layout:
    """Fit the dome, its ground line, a gap and the label into ``width`` × ``height`` cells."""
    ground = height >= 4
    gap = 1 if height >= 7 else 0
    shape_rows = max(0, min(MAX_ROWS, height - 1 - int(ground) - gap))
    # The full-size dome leaves a column free at each side.
    radius = min(float(shape_rows), (width - 2) / (2 * ASPECT))
    if radius <= 0:
        return _Layout(shape_rows=0, radius=0.0, ground=False, gap=0)
    shape_rows = math.ceil(radius)
    return _Layout(shape_rows=shape_rows, radius=radius, ground=ground, gap=gap)


def _bar_width(width: int) -> int:
    """Cells for the reduced-motion bar between its two end caps."""
    return max(0, min(BAR_WIDTH, width - 2))


def _centre(text: str, width: int) -> str:
    """``text`` centred in ``width`` cells, cut short if it does not fit."""
    return text[:width].center(width)
