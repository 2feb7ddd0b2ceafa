"""The practice log as CSV for spreadsheets (``ground log --csv``), written user-only.

The columns are the JSON export's session fields, in the same order. A cell that a spreadsheet
would take for a formula (text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) gets a leading apostrophe, so a note can never run as a formula when the file is opened.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

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


class CsvError(ValueError):
    """The CSV file cannot be written; one line naming the file and what to do."""


def sessions_csv(entries: Iterable[Entry]) -> str:
    """The sessions as CSV text with a header row (RFC 4180 quoting, ``\\r\\n`` line ends)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in entries_json(entries):
        writer.writerow([_cell(row[column]) for column in COLUMNS])
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_START) else value
    return str(value)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable only by you (0600), replacing it in one rename.

    The temporary file is created beside the target, exclusively and never through a symlink;
    a link at ``path`` itself is replaced, not followed.

    Raises:
        CsvError: the folder is missing, ``path`` is a folder, or the write failed.
    """
    if not path.parent.is_dir():
        raise CsvError(f"{path}: folder {path.parent} does not exist")
    if path.is_dir():
        raise CsvError(f"{path} is a folder; give a file name such as ground-log.csv")
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(temp, flags, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            temp.replace(path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise CsvError(f"could not write {path} ({exc.strerror}); check the folder") from None
