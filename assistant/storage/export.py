"""Export the practice log and the ladder to one JSON file, and merge such a file back in.

The file holds health data, so it is written ``0600`` (through a temporary file in the same
folder and a rename, so a half-written export never replaces a good one). Importing validates
everything first and then writes it in one transaction: a bad file changes nothing. Rows already
present are recognised by when they happened (a session by its start and script, a step by when
it was added and its title, an attempt by its step and time), so importing the same file twice,
or a file exported from this very log, adds nothing twice.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.core.ladder import SUDS_RANGE
from assistant.storage.database import parse_stamp, stamp
from assistant.storage.ladder import Ladder, attempt_json
from assistant.storage.log import TENSION_RANGE, PracticeLog, entries_json

FORMAT = "ground-export"
VERSION = 1


class ExportError(ValueError):
    """The file cannot be written or read as an export; one line naming the file and the place."""


@dataclass(frozen=True)
class Counts:
    """How many rows an export wrote, or an import added (and found already there)."""

    sessions: int = 0
    steps: int = 0
    attempts: int = 0
    already: int = 0

    def describe(self) -> str:
        """``12 sessions, 5 ladder steps and 9 attempts``."""
        parts = [
            _plural(self.sessions, "session"),
            _plural(self.steps, "ladder step"),
            _plural(self.attempts, "attempt"),
        ]
        return f"{', '.join(parts[:-1])} and {parts[-1]}"


def export_data(log: PracticeLog, *, now: datetime | None = None) -> dict[str, Any]:
    """Everything in the log's database as plain JSON values."""
    ladder = Ladder(log)
    steps = ladder.steps(archived=True)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": stamp(now),
        "sessions": list(reversed(entries_json(log.entries()))),  # oldest first
        "ladder": {
            "steps": [
                {
                    "id": s.id,
                    "title": s.title,
                    "predicted_suds": s.predicted_suds,
                    "safety_behaviours": list(s.safety_behaviours),
                    "position": s.position,
                    "archived": s.archived,
                    "created_at": stamp(s.created_at),
                }
                for s in steps
            ],
            "attempts": [attempt_json(a) for a in ladder.attempts()],
        },
    }


def write_export(log: PracticeLog, path: Path) -> Counts:
    """Write :func:`export_data` to ``path`` (created or replaced, mode ``0600``).

    Raises:
        ExportError: the folder is missing or not writable.
    """
    data = export_data(log)
    if not path.parent.is_dir():
        raise ExportError(f"{path}: folder {path.parent} does not exist")
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name such as ground-export.json")
    try:
        handle, temporary = tempfile.mkstemp(prefix=".ground-export-", dir=path.parent)
        try:
            os.fchmod(handle, 0o600)
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=2, ensure_ascii=False)
                out.write("\n")
                out.flush()
                os.fsync(out.fileno())
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ExportError(f"could not write {path} ({exc.strerror}); check the folder") from None
    ladder = data["ladder"]
    return Counts(len(data["sessions"]), len(ladder["steps"]), len(ladder["attempts"]))


def read_export(path: Path) -> dict[str, Any]:
    """Read and check an export file.

    Raises:
        ExportError: unreadable, not JSON (``file:line: ...``), or not a ground export.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ExportError(f"{path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(f"could not read {path} ({exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExportError(f"{path} is not a ground export (made by `ground log --export`)")
    if data.get("version") != VERSION:
        raise ExportError(
            f"{path} is export version {data.get('version')!r}; this ground reads version "
            f"{VERSION} (update ground)"
        )
    _check(path, data)
    return data


def import_data(log: PracticeLog, data: dict[str, Any]) -> Counts:
    """Merge a checked export (:func:`read_export`) into the log, in one transaction."""
    have_sessions = {
        (started, script)
        for started, script in log.query("SELECT started_at, script_id FROM sessions")
    }
    step_rows = log.query("SELECT id, created_at, title FROM ladder_steps")
    have_steps = {(created, title) for _, created, title in step_rows}
    key_of = {ident: (created, title) for ident, created, title in step_rows}
    known_attempts = {
        (key_of[step], at)
        for step, at in log.query("SELECT step_id, attempted_at FROM ladder_attempts")
        if step in key_of
    }
    statements: list[tuple[str, tuple[Any, ...]]] = []
    already = 0
    sessions = 0
    for row in data["sessions"]:
        key = (_norm(row["started_at"]), row["script_id"])
        if key in have_sessions:
            already += 1
            continue
        have_sessions.add(key)
        sessions += 1
        statements.append(
            (
                "INSERT INTO sessions (started_at, ended_at, script_id, script_title,"
                " planned_seconds, practised_seconds, breaths, completed, tension_before,"
                " tension_after, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key[0],
                    _norm(row["ended_at"]) if row.get("ended_at") else None,
                    row["script_id"],
                    row["script_title"],
                    float(row["planned_seconds"]),
                    float(row.get("practised_seconds") or 0),
                    int(row.get("breaths") or 0),
                    int(bool(row.get("completed"))),
                    row.get("tension_before"),
                    row.get("tension_after"),
                    row.get("note"),
                ),
            )
        )
    # New steps go above the present ones, in the file's order; ids are known only after the
    # insert, so attempts name their step by its (created_at, title) key.
    ladder = data["ladder"]
    step_keys: dict[int, tuple[str, str]] = {}
    steps = 0
    top = log.query("SELECT COALESCE(MAX(position), -1) FROM ladder_steps")[0][0]
    for row in sorted(ladder["steps"], key=lambda r: r.get("position", 0)):
        key = (_norm(row["created_at"]), " ".join(row["title"].split()))
        step_keys[row["id"]] = key
        if key in have_steps:
            already += 1
            continue
        have_steps.add(key)
        steps += 1
        top += 1
        statements.append(
            (
                "INSERT INTO ladder_steps (title, predicted_suds, safety_behaviours, position,"
                " archived, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    key[1],
                    row["predicted_suds"],
                    "\n".join(row.get("safety_behaviours") or []),
                    top,
                    int(bool(row.get("archived"))),
                    key[0],
                ),
            )
        )
    attempts = 0
    for row in ladder["attempts"]:
        step_key = step_keys[row["step_id"]]
        attempt_key = (step_key, _norm(row["attempted_at"]))
        if attempt_key in known_attempts:
            already += 1
            continue
        known_attempts.add(attempt_key)
        attempts += 1
        statements.append(
            (
                "INSERT INTO ladder_attempts (step_id, attempted_at, suds_before, suds_peak,"
                " suds_after, predicted, happened, did_well, note) VALUES ((SELECT id FROM"
                " ladder_steps WHERE created_at = ? AND title = ?), ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    *step_key,
                    attempt_key[1],
                    row.get("suds_before"),
                    row.get("suds_peak"),
                    row.get("suds_after"),
                    row.get("predicted"),
                    row.get("happened"),
                    row.get("did_well"),
                    row.get("note"),
                ),
            )
        )
    if statements:
        log.transaction(statements)
    return Counts(sessions, steps, attempts, already)


# -- checking -----------------------------------------------------------------------------------


def _check(path: Path, data: dict[str, Any]) -> None:
    """Every value the import will use has the right type and range, or ExportError."""

    def fail(where: str, problem: str) -> None:
        raise ExportError(f"{path}: {where}: {problem}; nothing was imported")

    sessions = data.get("sessions")
    ladder = data.get("ladder")
    if not isinstance(sessions, list):
        fail("sessions", "missing or not a list")
    if not isinstance(ladder, dict) or not isinstance(ladder.get("steps"), list):
        fail("ladder.steps", "missing or not a list")
    assert isinstance(sessions, list) and isinstance(ladder, dict)
    if not isinstance(ladder.get("attempts"), list):
        fail("ladder.attempts", "missing or not a list")
    for index, row in enumerate(sessions):
        where = f"sessions[{index}]"
        if not isinstance(row, dict):
            fail(where, "not an object")
        for name in ("started_at", "script_id", "script_title"):
            if not isinstance(row.get(name), str) or not row[name]:
                fail(f"{where}.{name}", "missing")
        _time(fail, f"{where}.started_at", row["started_at"])
        if row.get("ended_at") is not None:
            _time(fail, f"{where}.ended_at", row["ended_at"])
        for name in ("planned_seconds", "practised_seconds", "breaths"):
            value = row.get(name, 0)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                fail(f"{where}.{name}", f"{value!r} is not a number of 0 or more")
        for name in ("tension_before", "tension_after"):
            value = row.get(name)
            if value is not None and (not isinstance(value, int) or value not in TENSION_RANGE):
                fail(f"{where}.{name}", f"{value!r} is not a whole number from 0 to 10")
        if row.get("note") is not None and not isinstance(row["note"], str):
            fail(f"{where}.note", "not text")
    ids = set()
    for index, row in enumerate(ladder["steps"]):
        where = f"ladder.steps[{index}]"
        if not isinstance(row, dict):
            fail(where, "not an object")
        if not isinstance(row.get("id"), int):
            fail(f"{where}.id", "missing")
        ids.add(row["id"])
        if not isinstance(row.get("title"), str) or not row["title"].strip():
            fail(f"{where}.title", "missing")
        _suds(fail, f"{where}.predicted_suds", row.get("predicted_suds"), required=True)
        _time(fail, f"{where}.created_at", row.get("created_at"))
        behaviours = row.get("safety_behaviours", [])
        if not isinstance(behaviours, list) or not all(isinstance(b, str) for b in behaviours):
            fail(f"{where}.safety_behaviours", "not a list of text")
    for index, row in enumerate(ladder["attempts"]):
        where = f"ladder.attempts[{index}]"
        if not isinstance(row, dict):
            fail(where, "not an object")
        if row.get("step_id") not in ids:
            fail(f"{where}.step_id", f"{row.get('step_id')!r} names no step in the file")
        _time(fail, f"{where}.attempted_at", row.get("attempted_at"))
        for name in ("suds_before", "suds_peak", "suds_after"):
            _suds(fail, f"{where}.{name}", row.get(name))
        for name in ("predicted", "happened", "did_well", "note"):
            if row.get(name) is not None and not isinstance(row[name], str):
                fail(f"{where}.{name}", "not text")


def _time(fail: Any, where: str, value: Any) -> None:
    if not isinstance(value, str):
        fail(where, "missing")
    try:
        parse_stamp(value)
    except ValueError:
        fail(where, f"{value!r} is not a date and time (ISO 8601)")


def _suds(fail: Any, where: str, value: Any, *, required: bool = False) -> None:
    if value is None and not required:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value not in SUDS_RANGE:
        fail(where, f"{value!r} is not a whole number from 0 to 100")


def _norm(text: str) -> str:
    """A time as the log stores it (ISO-8601 UTC to the second), whatever offset it came with."""
    return stamp(parse_stamp(text))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")
