"""The script list's rows draw exactly as the ``Table.grid`` they stand in for."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.text import Text

from assistant.ui.widgets.script_list import Row

TITLES = [
    "Right now",
    "Box breathing with a title far too long for the list",
    "日本語のタイトル 長い",
    "a\u0301 combining e\u0301",
    "emoji 🌬️ breath",
    "",
    "tab\tin",
    "new\nline",
]


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("shipped", [True, False])
def test_row_segments_equal_the_tables(title: str, shipped: bool) -> None:
    console = Console(width=100, color_system="truecolor", force_terminal=True)
    for length in ("1:15", "10:00", "100:00", ""):
        row = Row(
            Text("  " + title, "" if shipped else "italic"),
            Text("" if shipped else "(yours)", "dim italic"),
            Text(length, "dim"),
        )
        for width in range(1, 70):
            options = console.options.update_width(width)
            ours = [(s.text, s.style, s.control) for s in console.render(row, options)]
            table = [(s.text, s.style, s.control) for s in console.render(row.table(), options)]
            assert ours == table, (title, length, width)
