"""The home screen's list of scripts, grouped by category, with broken user files shown."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from assistant.core.loader import Problem
from assistant.core.model import Category, Script, length_text

BROKEN = "broken:"


@dataclass(frozen=True)
class Entry:
    """One row: a script, or a broken file standing where it would be."""

    script: Script | None
    problem: Problem | None
    minutes: float


def matches(script: Script, text: str) -> bool:
    """Whether ``script`` matches the filter ``text`` (every word, anywhere, any case)."""
    haystack = " ".join(
        (script.id, script.title, script.summary, script.category.value, script.about)
    ).lower()
    return all(word in haystack for word in text.lower().split())


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

    def show(self, entries: list[Entry], text: str = "") -> None:
        """Fill the list with the entries matching ``text``, keeping the highlight if possible."""
        keep = self.highlighted_option.id if self.highlighted_option else None
        self._entries = {}
        options: list[Option] = []
        for category in Category:
            rows = sorted(
                (
                    e
                    for e in entries
                    if e.script is not None
                    and e.script.category is category
                    and matches(e.script, text)
                ),
                key=_order,
            )
            if not rows:
                continue
            options.append(Option(Text(category.value.capitalize(), style="bold"), disabled=True))
            for entry in rows:
                script = entry.script
                assert script is not None
                title = script.title + ("" if script.shipped else " (yours)")
                width = max(8, self.size.width - 12) if self.size.width else 24
                if len(title) > width:
                    title = title[: width - 1] + "…"
                label = Text.assemble(
                    ("  " + title.ljust(width), "italic" if not script.shipped else ""),
                    (f" {_length(entry.minutes):>6}", "dim"),
                )
                options.append(Option(label, id=script.id))
                self._entries[script.id] = entry
        broken = [e for e in entries if e.problem is not None]
        if broken and not text:
            options.append(Option(Text("Needs fixing", style="bold"), disabled=True))
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


def _length(minutes: float) -> str:
    return length_text(minutes * 60)


def _order(entry: Entry) -> tuple[bool, bool, str]:
    """The quick reset first, then shipped scripts, then the person's own, by title."""
    script = entry.script
    assert script is not None
    return (script.id != "now", not script.shipped, script.title.lower())
