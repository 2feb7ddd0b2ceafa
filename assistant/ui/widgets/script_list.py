"""The home screen's list of scripts, grouped by category, with broken user files shown."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, JustifyMethod, OverflowMethod, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from assistant.core.i18n import _, pgettext
from assistant.core.loader import Problem
from assistant.core.model import Category, Script, length_text, value_type
from assistant.core.support import FIRST_HEADING, PANIC_SCRIPT

BROKEN = "broken:"


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class Entry:
    """One row: a script, or a broken file standing where it would be."""

    script: Script | None
    problem: Problem | None
    minutes: float


#: The length column's width (its text right-aligned in it).
LENGTH_WIDTH = 6


class Row:
    """One script's row: title (cut short with …), "(yours)", length on the right.

    Drawn exactly as a ``Table.grid`` of those three columns draws it, without laying out a
    table for every row (≈ 2.5 % of the instructions to the first frame); a width too narrow for
    the mark and the length falls back to the table itself.
    """

    def __init__(self, title: Text, mark: Text, length: Text) -> None:
        self.title = title
        self.mark = mark
        self.length = length

    def table(self) -> Table:
        """The same row as a table (what :meth:`__rich_console__` reproduces)."""
        grid = Table.grid(expand=True, padding=(0, 0, 0, 1))
        grid.add_column(no_wrap=True, ratio=1, overflow="ellipsis")
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True, justify="right", width=LENGTH_WIDTH)
        grid.add_row(self.title, self.mark, self.length)
        return grid

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # A grid column's width includes its left padding: the mark and the length each
        # follow one space, and the length is right-aligned in the 5 cells after it.
        mark, length = self.mark, self.length
        room = options.max_width - (1 + mark.cell_len) - LENGTH_WIDTH
        plain = self.title.plain
        if room < 1 or length.cell_len >= LENGTH_WIDTH or "\n" in plain or "\t" in plain:
            yield self.table()  # cut short by the table's own rules
            return
        # Each cell rendered as the table renders it, at the widths it would give them (what
        # costs is the table measuring its columns, not drawing the cells).
        null = Style.null()
        cells: tuple[tuple[Text, int, int, JustifyMethod, OverflowMethod | None], ...] = (
            (self.title, room, 0, "left", "ellipsis"),
            (mark, 1 + mark.cell_len, 1, "left", None),
            (length, LENGTH_WIDTH, 1, "right", None),
        )
        for text, width, pad, justify, overflow in cells:
            lines = console.render_lines(
                Padding(text, (0, 0, 0, pad)) if pad else text,
                options.update(
                    width=width,
                    justify=justify,
                    no_wrap=True,
                    overflow=overflow,
                    height=None,
                    highlight=False,
                ),
                style=null,
            )
            yield from Segment.set_shape(Segment.align_top(lines, width, 1, null), width, 1)[0]
        yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.table())


def matches(script: Script, text: str) -> bool:
    """Whether ``script`` matches the filter ``text`` (every word, anywhere, any case)."""
    return rank(script, text) is not None


def rank(script: Script, text: str) -> int | None:
    """How well ``script`` matches ``text``: 0 best, None not at all.

    A name (title or id) that starts with the first word ranks first, a name that holds every
    word next, and a match in the description last: typing "slow" picks "Slow breathing", not a
    script whose summary mentions slowing down.
    """
    words = text.lower().split()
    if not words:
        return 0
    title, ident = script.title.lower(), script.id.lower()
    name = f"{ident} {title}"
    if all(word in name for word in words):
        return 0 if title.startswith(words[0]) or ident.startswith(words[0]) else 1
    haystack = " ".join((name, script.summary, script.category.value, script.about)).lower()
    return 2 if all(word in haystack for word in words) else None


class ScriptList(OptionList):
    """Scripts under category headings; posts :class:`ScriptList.Highlighted` as you move."""

    class Highlighted(Message):
        """The highlighted row changed."""

        def __init__(self, entry: Entry | None) -> None:
            self.entry = entry
            super().__init__()

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._entries: dict[str, Entry] = {}
        self._text = ""

    def show(self, entries: list[Entry], text: str = "") -> None:
        """Fill the list with the entries matching ``text``.

        A changed filter highlights its best match, so Enter starts the script that is plainly
        the one meant; otherwise the highlight stays on its row while that row is listed.
        """
        keep = self.highlighted_option.id if self.highlighted_option else None
        if text != self._text and text.strip():
            keep = _best(entries, text)
        self._text = text
        self._entries = {}
        options: list[Option] = []
        for heading, rows in _groups(entries, text):
            if not rows:
                continue
            options.append(Option(Text(heading, style="bold"), disabled=True))
            for entry in rows:
                script = entry.script
                assert script is not None
                options.append(Option(_row(script, entry), id=script.id))
                self._entries[script.id] = entry
        broken = [e for e in entries if e.problem is not None]
        if broken and not text:
            options.append(Option(Text(_("Needs fixing"), style="bold"), disabled=True))
            for entry in broken:
                assert entry.problem is not None
                name = entry.problem.path.rsplit("/", 1)[-1]
                key = BROKEN + entry.problem.path
                options.append(Option(Text("  ⚠ " + name, style="italic"), id=key))
                self._entries[key] = entry
        self.set_options(options)
        ids = [o.id for o in options if o.id]
        target = keep if keep in ids else (ids[0] if ids else None)
        if target is not None:
            self.highlighted = self.get_option_index(target)
        self.post_message(self.Highlighted(self.current))

    @property
    def current(self) -> Entry | None:
        """The highlighted entry."""
        option = self.highlighted_option
        return self._entries.get(option.id) if option and option.id else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Tell the screen which entry to describe."""
        event.stop()
        self.post_message(self.Highlighted(self.current))


def _headings() -> dict[Category, str]:
    """Each category's heading in the list, in the language in use."""
    # TRANSLATORS: headings of the list of exercises on the home screen.
    return {
        Category.BREATHE: pgettext("category", "Breathe"),
        Category.GROUND: pgettext("category", "Ground"),
        Category.MOVE: pgettext("category", "Move"),
        Category.SOCIAL: pgettext("category", "Social"),
    }


def _length(minutes: float) -> str:
    return length_text(minutes * 60)


def _best(entries: list[Entry], text: str) -> str | None:
    """The id of the best match for ``text`` (the first listed among equals)."""
    ranked = [
        (r, list(Category).index(e.script.category), _order(e), e.script.id)
        for e in entries
        if e.script is not None and (r := rank(e.script, text)) is not None
    ]
    return min(ranked)[3] if ranked else None


def _first(entry: Entry) -> bool:
    """Whether ``entry`` is the shipped script listed before every category."""
    return entry.script is not None and entry.script.shipped and entry.script.id == PANIC_SCRIPT


def _order(entry: Entry) -> tuple[bool, bool, str]:
    """The quick reset first, then shipped scripts, then the person's own, by title."""
    script = entry.script
    assert script is not None
    return (script.id != "now", not script.shipped, script.title.lower())


def _groups(entries: list[Entry], text: str) -> list[tuple[str, list[Entry]]]:
    """The listed entries matching ``text`` under their headings: the first group (panic),
    then each category's in its order."""
    first = [e for e in entries if _first(e) and e.script and matches(e.script, text)]
    headings = _headings()
    return [(_(FIRST_HEADING), first)] + [
        (
            headings.get(category, category.value.capitalize()),
            sorted(
                (
                    e
                    for e in entries
                    if e.script is not None
                    and e.script.category is category
                    and not _first(e)
                    and matches(e.script, text)
                ),
                key=_order,
            ),
        )
        for category in Category
    ]


def _row(script: Script, entry: Entry) -> Row:
    """A script's row: its title, "(yours)" beside one the person wrote, its length."""
    return Row(
        Text("  " + script.title, "" if script.shipped else "italic"),
        # TRANSLATORS: beside the title of a script the person wrote; keep it short.
        Text("" if script.shipped else _("(yours)"), "dim italic"),
        Text(_length(entry.minutes), "dim"),
    )
