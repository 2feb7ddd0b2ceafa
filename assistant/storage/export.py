"""Export the practice log, the ladder and the person's contacts to one JSON file, and merge
such a file back in.

The file holds health data, so it is written ``0600`` (through a temporary file in the same
folder and a rename, so a half-written export never replaces a good one). Importing validates
everything first and then writes it in one transaction: a bad file changes nothing. Rows already
present are recognised by when they happened (a session by its start and script, a step by when
it was added and its title, an attempt or a rehearsal by its step and time, a contact by its
name and number), so importing the same file twice, or a file exported from this very log, adds
nothing twice. Contacts live in the settings file, so an import adds them there.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

from assistant.core.files import UnsafeTarget, atomic_write
from assistant.core.ladder import SUDS_RANGE
from assistant.core.safe import UnsafeFile, one_line, read_regular_text
from assistant.core.support import MAX_CONTACTS, Contact, contact_problem
from assistant.storage.database import parse_stamp, stamp
from assistant.storage.ladder import Ladder, attempt_json, rehearsal_json
from assistant.storage.log import TENSION_RANGE, PracticeLog, entries_json
from assistant.storage.values import (
    MAX_BREATHS,
    MAX_NOTE,
    MAX_TITLE,
    note_text,
    problem_with_count,
    problem_with_seconds,
    problem_with_text,
    problem_with_time,
    title_text,
)

#: The largest export read (years of daily practice is well under a megabyte).
EXPORT_LIMIT = 64 * 1024 * 1024

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
    rehearsals: int = 0
    contacts: int = 0

    def describe(self) -> str:
        """``12 sessions, 5 ladder steps and 9 attempts`` (rehearsals and contacts too, when
        there are any)."""
        parts = [
            _plural(self.sessions, "session"),
            _plural(self.steps, "ladder step"),
            _plural(self.attempts, "attempt"),
        ]
        if self.rehearsals:
            parts.append(_plural(self.rehearsals, "rehearsal"))
        if self.contacts:
            parts.append(_plural(self.contacts, "contact"))
        return f"{', '.join(parts[:-1])} and {parts[-1]}"


def export_data(
    log: PracticeLog | None,
    *,
    contacts: Sequence[Contact] = (),
    now: datetime | None = None,
) -> dict[str, Any]:
    """Everything in the log's database (none without a log), and the person's contacts, as
    plain JSON values."""
    contact_rows = [{"name": c.name, "number": c.number} for c in contacts]
    if log is None:
        empty: dict[str, Any] = {"steps": [], "attempts": [], "rehearsals": []}
        return {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": stamp(now),
            "sessions": [],
            "ladder": empty,
            "contacts": contact_rows,
        }
    ladder = Ladder(log)
    steps = ladder.steps(archived=True)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": stamp(now),
        "sessions": list(reversed(entries_json(log.entries()))),  # oldest first
        "contacts": contact_rows,
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
            "rehearsals": [rehearsal_json(r) for r in ladder.rehearsals()],
        },
    }


#: ``--export -``: the export on standard output (a pipe, or a file the shell opened).
STDOUT = Path("-")


def write_export(log: PracticeLog | None, path: Path, contacts: Sequence[Contact] = ()) -> Counts:
    """Write :func:`export_data` to ``path`` (created or replaced, mode ``0600``), or to
    standard output for :data:`STDOUT`.

    Only a regular file or a new path is replaced, through a temporary file and a rename: a
    device or a symlink (``/dev/stdout`` included) is refused, never replaced or followed.

    Raises:
        ExportError: the folder is missing or not writable.
    """
    data = export_data(log, contacts=contacts)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if path == STDOUT:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        if not path.parent.is_dir():
            raise ExportError(f"{path}: folder {path.parent} does not exist")
        try:
            atomic_write(path, text.encode("utf-8"))
        except UnsafeTarget as exc:
            hint = "" if path.is_dir() else "; use --export - for standard output"
            raise ExportError(f"{path} {exc}{hint}") from None
        except OSError as exc:
            why = exc.strerror or str(exc)
            raise ExportError(f"could not write {path} ({why}); check the folder") from None
    ladder = data["ladder"]
    return Counts(
        len(data["sessions"]),
        len(ladder["steps"]),
        len(ladder["attempts"]),
        rehearsals=len(ladder["rehearsals"]),
        contacts=len(data["contacts"]),
    )


def read_export(path: Path) -> dict[str, Any]:
    """Read and check an export file.

    Raises:
        ExportError: unreadable, not JSON (``file:line: ...``), or not a ground export.
    """
    try:
        text = read_regular_text(path, EXPORT_LIMIT)  # a FIFO or device is refused, not read
    except FileNotFoundError:
        raise ExportError(f"{path} does not exist") from None
    except UnsafeFile as exc:
        raise ExportError(f"{path} {exc}") from None
    except UnicodeDecodeError:
        raise ExportError(f"{path} is not UTF-8 text; it is not a ground export") from None
    except OSError as exc:
        raise ExportError(f"could not read {path} ({exc.strerror or exc})") from None
    try:
        data = json.loads(text, parse_int=_whole_number)
    except json.JSONDecodeError as exc:
        raise ExportError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise ExportError(
            f"{path} nests lists or objects too deeply; it is not a ground export"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExportError(f"{path} is not a ground export (made by `ground log --export`)")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):  # true == 1 in Python
        shown = one_line(json.dumps(version, default=str))[:40]
        raise ExportError(f"{path}: version: {shown} is not a version number; nothing was imported")
    if version != VERSION:
        raise ExportError(
            f"{path} is export version {version}; this ground reads version {VERSION} "
            "(update ground)"
        )
    _Checker(path).check(data)
    return data


class LongNumber:
    """A whole number in an import too long to be one ground stored (shown by its length)."""

    def __init__(self, digits: str) -> None:
        self.digits = len(digits.lstrip("-"))

    def __repr__(self) -> str:
        return f"a {self.digits}-digit number"


def _whole_number(digits: str) -> int | LongNumber:
    """A JSON integer: past 30 digits it is no count or id of ground's, and past 4,300 Python
    refuses to convert it at all (ValueError out of ``json.loads``), so it stays text and the
    check names its field."""
    return int(digits) if len(digits) <= 30 else LongNumber(digits)


def import_data(log: PracticeLog, data: dict[str, Any]) -> Counts:
    """Merge a checked export (:func:`read_export`) into the log, in one transaction."""
    merge = _Merge(log)
    sessions = sum(merge.session(row) for row in data["sessions"])
    # New steps go above the present ones, in the file's order; ids are known only after the
    # insert, so attempts name their step by its (created_at, title) key.
    ladder = data["ladder"]
    steps = sum(
        merge.step(row) for row in sorted(ladder["steps"], key=lambda r: r.get("position", 0))
    )
    attempts = sum(merge.attempt(row) for row in ladder["attempts"])
    rehearsals = sum(merge.rehearsal(row) for row in ladder.get("rehearsals") or [])
    if merge.statements:
        log.transaction(merge.statements)
    return Counts(sessions, steps, attempts, merge.already, rehearsals=rehearsals)


def import_contacts(data: dict[str, Any]) -> tuple[int, int, int]:
    """Add a checked export's contacts (:func:`read_export`) to the settings file, keeping the
    ones already there and their order; none is added twice.

    Returns:
        How many were added, how many did not fit (at most :data:`MAX_CONTACTS` are kept), and
        how many were already there.

    Raises:
        SettingsNotSaved, UnsafeTarget: the settings file cannot be written (nothing added).
    """
    from dataclasses import replace

    from assistant.storage.settings import load_settings, save_settings

    rows = data.get("contacts") or []
    if not rows:
        return 0, 0, 0
    settings, _ = load_settings()
    kept = list(settings.contacts)
    added = left_out = already = 0
    for row in rows:
        contact = Contact(" ".join(row["name"].split()), " ".join(row["number"].split()))
        if contact in kept:
            already += 1
            continue
        if len(kept) >= MAX_CONTACTS:
            left_out += 1
            continue
        kept.append(contact)
        added += 1
    if added:
        save_settings(replace(settings, contacts=tuple(kept)))
    return added, left_out, already


class _Merge:
    """The INSERTs an import needs, skipping rows the log already holds (counted)."""

    def __init__(self, log: PracticeLog) -> None:
        self.sessions = {
            (started, script)
            for started, script in log.query("SELECT started_at, script_id FROM sessions")
        }
        step_rows = log.query("SELECT id, created_at, title FROM ladder_steps")
        self.steps = {(created, title) for _, created, title in step_rows}
        key_of = {ident: (created, title) for ident, created, title in step_rows}
        self.attempts = {
            (key_of[step], at)
            for step, at in log.query("SELECT step_id, attempted_at FROM ladder_attempts")
            if step in key_of
        }
        self.rehearsals = {
            (key_of[step], at)
            for step, at in log.query("SELECT step_id, rehearsed_at FROM ladder_rehearsals")
            if step in key_of
        }
        self.top = log.query("SELECT COALESCE(MAX(position), -1) FROM ladder_steps")[0][0]
        self.step_keys: dict[int, tuple[str, str]] = {}
        self.statements: list[tuple[str, tuple[Any, ...]]] = []
        self.already = 0

    def session(self, row: dict[str, Any]) -> bool:
        """Add one session unless the log has it; whether it was added."""
        key = (_norm(row["started_at"]), row["script_id"])
        if key in self.sessions:
            self.already += 1
            return False
        self.sessions.add(key)
        self.statements.append(
            (
                "INSERT INTO sessions (started_at, ended_at, script_id, script_title,"
                " planned_seconds, practised_seconds, breaths, completed, tension_before,"
                " tension_after, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key[0],
                    _norm(row["ended_at"]) if row.get("ended_at") else None,
                    row["script_id"],
                    title_text(row["script_title"]),
                    float(row["planned_seconds"]),
                    float(row.get("practised_seconds") or 0),
                    int(row.get("breaths") or 0),
                    int(bool(row.get("completed"))),
                    row.get("tension_before"),
                    row.get("tension_after"),
                    note_text(row.get("note")),
                ),
            )
        )
        return True

    def step(self, row: dict[str, Any]) -> bool:
        """Add one ladder step unless the log has it (its key kept for its attempts)."""
        key = (_norm(row["created_at"]), title_text(row["title"]))
        self.step_keys[row["id"]] = key
        if key in self.steps:
            self.already += 1
            return False
        self.steps.add(key)
        self.top += 1
        self.statements.append(
            (
                "INSERT INTO ladder_steps (title, predicted_suds, safety_behaviours, position,"
                " archived, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    key[1],
                    row["predicted_suds"],
                    "\n".join(title_text(b) for b in row.get("safety_behaviours") or []),
                    self.top,
                    int(bool(row.get("archived"))),
                    key[0],
                ),
            )
        )
        return True

    def attempt(self, row: dict[str, Any]) -> bool:
        """Add one attempt unless the log has it; its step is found by the step's key."""
        step_key = self.step_keys[row["step_id"]]
        attempt_key = (step_key, _norm(row["attempted_at"]))
        if attempt_key in self.attempts:
            self.already += 1
            return False
        self.attempts.add(attempt_key)
        self.statements.append(
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
                    note_text(row.get("predicted")),
                    note_text(row.get("happened")),
                    note_text(row.get("did_well")),
                    note_text(row.get("note")),
                ),
            )
        )
        return True

    def rehearsal(self, row: dict[str, Any]) -> bool:
        """Add one rehearsal unless the log has it; its step is found by the step's key."""
        step_key = self.step_keys[row["step_id"]]
        key = (step_key, _norm(row["rehearsed_at"]))
        if key in self.rehearsals:
            self.already += 1
            return False
        self.rehearsals.add(key)
        self.statements.append(
            (
                "INSERT INTO ladder_rehearsals (step_id, rehearsed_at, suds_before, suds_after)"
                " VALUES ((SELECT id FROM ladder_steps WHERE created_at = ? AND title = ?),"
                " ?, ?, ?)",
                (*step_key, key[1], row.get("suds_before"), row.get("suds_after")),
            )
        )
        return True


# -- checking -----------------------------------------------------------------------------------


class _Checker:
    """Every value the import will use has the right type and range, or ExportError.

    The file may come from anywhere: a value that would break reading the log later (an
    infinity, a number past 2^63, a string for a number) is refused here, naming its field.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, problem: str) -> NoReturn:
        raise ExportError(f"{self.path}: {where}: {problem}; nothing was imported")

    def need(self, where: str, problem: str | None) -> None:
        if problem is not None:
            self.fail(where, problem)

    def check(self, data: dict[str, Any]) -> None:
        sessions = data.get("sessions")
        ladder = data.get("ladder")
        if not isinstance(sessions, list):
            self.fail("sessions", "missing or not a list")
        if not isinstance(ladder, dict) or not isinstance(ladder.get("steps"), list):
            self.fail("ladder.steps", "missing or not a list")
        if not isinstance(ladder.get("attempts"), list):
            self.fail("ladder.attempts", "missing or not a list")
        for index, row in enumerate(sessions):
            self.session(f"sessions[{index}]", row)
        ids: dict[int, str] = {}
        for index, row in enumerate(ladder["steps"]):
            where = f"ladder.steps[{index}]"
            self.step(where, row)
            if row["id"] in ids:  # its attempts would go to whichever came last
                self.fail(f"{where}.id", f"{row['id']} is also the id of {ids[row['id']]}")
            ids[row["id"]] = where
        for index, row in enumerate(ladder["attempts"]):
            self.attempt(f"ladder.attempts[{index}]", row, ids)
        # Rehearsals and contacts came later: an older export has none.
        rehearsals = ladder.get("rehearsals", [])
        if not isinstance(rehearsals, list):
            self.fail("ladder.rehearsals", "not a list")
        for index, row in enumerate(rehearsals):
            self.rehearsal(f"ladder.rehearsals[{index}]", row, ids)
        self.contacts(data.get("contacts", []))

    def rehearsal(self, where: str, row: Any, ids: dict[int, str]) -> None:
        if not isinstance(row, dict):
            self.fail(where, "not an object")
        step_id = row.get("step_id")
        if isinstance(step_id, bool) or not isinstance(step_id, int) or step_id not in ids:
            self.fail(f"{where}.step_id", "names no step in the file")
        self.need(f"{where}.rehearsed_at", problem_with_time(row.get("rehearsed_at")))
        for name in ("suds_before", "suds_after"):
            _suds(self.fail, f"{where}.{name}", row.get(name))

    def contacts(self, rows: Any) -> None:
        if not isinstance(rows, list):
            self.fail("contacts", "not a list")
        if len(rows) > MAX_CONTACTS:
            self.fail("contacts", f"{len(rows)} contacts; ground keeps at most {MAX_CONTACTS}")
        for index, row in enumerate(rows):
            where = f"contacts[{index}]"
            if not isinstance(row, dict):
                self.fail(where, "not an object")
            self.need(where, contact_problem(row.get("name"), row.get("number")))

    def session(self, where: str, row: Any) -> None:
        if not isinstance(row, dict):
            self.fail(where, "not an object")
        need = self.need
        need(f"{where}.script_id", problem_with_text(row.get("script_id"), 100, required=True))
        need(
            f"{where}.script_title",
            problem_with_text(row.get("script_title"), MAX_TITLE, required=True),
        )
        need(f"{where}.started_at", problem_with_time(row.get("started_at")))
        if row.get("ended_at") is not None:
            need(f"{where}.ended_at", problem_with_time(row["ended_at"]))
            if parse_stamp(row["ended_at"]) < parse_stamp(row["started_at"]):
                self.fail(f"{where}.ended_at", "is before started_at")
        if "planned_seconds" not in row:  # every export has it; the log needs it
            self.fail(f"{where}.planned_seconds", "missing")
        for name in ("planned_seconds", "practised_seconds"):
            need(f"{where}.{name}", problem_with_seconds(row.get(name, 0)))
        need(f"{where}.breaths", problem_with_count(row.get("breaths", 0), MAX_BREATHS))
        if not isinstance(row.get("completed", False), bool):
            self.fail(f"{where}.completed", "must be true or false")
        for name in ("tension_before", "tension_after"):
            if row.get(name) is not None:
                need(f"{where}.{name}", problem_with_count(row[name], TENSION_RANGE[-1]))
        need(f"{where}.note", problem_with_text(row.get("note"), MAX_NOTE))

    def step(self, where: str, row: Any) -> None:
        if not isinstance(row, dict):
            self.fail(where, "not an object")
        need = self.need
        need(f"{where}.id", problem_with_count(row.get("id"), 2**62))
        need(f"{where}.title", problem_with_text(row.get("title"), MAX_TITLE, required=True))
        _suds(self.fail, f"{where}.predicted_suds", row.get("predicted_suds"), required=True)
        need(f"{where}.created_at", problem_with_time(row.get("created_at")))
        need(f"{where}.position", problem_with_count(row.get("position", 0), 2**31))
        if not isinstance(row.get("archived", False), bool):
            self.fail(f"{where}.archived", "must be true or false")
        behaviours = row.get("safety_behaviours", [])
        if not isinstance(behaviours, list) or any(
            problem_with_text(b, MAX_TITLE, required=True) for b in behaviours
        ):
            self.fail(f"{where}.safety_behaviours", "not a list of short texts")

    def attempt(self, where: str, row: Any, ids: dict[int, str]) -> None:
        if not isinstance(row, dict):
            self.fail(where, "not an object")
        step_id = row.get("step_id")
        # An int first: a list or an object is unhashable, and true == 1.
        if isinstance(step_id, bool) or not isinstance(step_id, int) or step_id not in ids:
            self.fail(f"{where}.step_id", "names no step in the file")
        self.need(f"{where}.attempted_at", problem_with_time(row.get("attempted_at")))
        for name in ("suds_before", "suds_peak", "suds_after"):
            _suds(self.fail, f"{where}.{name}", row.get(name))
        for name in ("predicted", "happened", "did_well", "note"):
            self.need(f"{where}.{name}", problem_with_text(row.get(name), MAX_NOTE))


def _suds(fail: Any, where: str, value: Any, *, required: bool = False) -> None:
    if value is None and not required:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value not in SUDS_RANGE:
        fail(where, f"{one_line(repr(value))[:40]} is not a whole number from 0 to 100")


def _norm(text: str) -> str:
    """A time as the log stores it (ISO-8601 UTC to the second), whatever offset it came with."""
    return stamp(parse_stamp(text))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")
