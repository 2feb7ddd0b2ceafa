"""The practice log as CSV for spreadsheets (``ground log --csv``), written user-only.

The columns are the JSON export's session fields, in the same order; ``planned_seconds`` and
``practised_seconds`` are given to a tenth of a second (``21.5``; ``--json`` keeps them
exact). A cell that a spreadsheet would take for a formula (text starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) gets a leading apostrophe, so a note can never run as
a formula when the file is opened.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.core.files import UnsafeTarget, atomic_write
from assistant.storage.log import Entry, entries_json

COLUMNS = (
    "id",
    "started_at",
    "ended_at",
    "script_id",
    "script_title",
    "planned_seconds",
    "practised_seconds",
    "breaths",
    "completed",
    "outcome",
    "tension_before",
    "tension_after",
    "note",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Columns of seconds, written to a tenth: more digits are float noise, not precision.
SECONDS = ("planned_seconds", "practised_seconds")


class CsvError(ValueError):
    """The CSV file cannot be written; one line naming the file and what to do."""


def sessions_csv(entries: Iterable[Entry]) -> str:
    """The sessions as CSV text with a header row (RFC 4180 quoting, ``\\r\\n`` line ends)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in entries_json(entries):
        writer.writerow([_cell(row[column], column in SECONDS) for column in COLUMNS])
    return out.getvalue()


def _cell(value: Any, seconds: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if seconds and isinstance(value, int | float):
        return f"{value:.1f}"
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_START) else value
    return str(value)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable only by you (0600), replacing it in one rename.

    Only a regular file or a new path is replaced (``core.files.atomic_write``, the check
    ``--export`` makes too): a symlink, a FIFO or a device at ``path`` (``/dev/stdout`` included)
    is refused and left as it was, never followed or replaced.

    Raises:
        CsvError: the folder is missing, ``path`` is a folder, a link or a special file, or the
            write failed.
    """
    if not path.parent.is_dir():
        raise CsvError(f"{path}: folder {path.parent} does not exist")
    try:
        atomic_write(path, text.encode("utf-8"))
    except UnsafeTarget as exc:
        hint = (
            ""
            if path.is_dir() and not path.is_symlink()
            else "; `--csv` alone prints to the screen"
        )
        raise CsvError(f"{path} {exc}{hint}") from None
    except OSError as exc:
        why = exc.strerror or str(exc)
        raise CsvError(f"could not write {path} ({why}); check the folder") from None
