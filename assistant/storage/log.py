"""The practice log: one row per session, written so a crash loses at most the one running.

A session is inserted when it starts (``ended_at`` NULL) and updated when it ends. A row that never
got its end is a session that was interrupted (a crash, a kill, a closed laptop): it is shown as
such, never hidden and never counted against anyone. The file, its damage handling and its
migrations are :mod:`assistant.storage.database`'s.
"""

from __future__ import annotations

import enum
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from assistant.storage.database import LOG_NAME as LOG_NAME
from assistant.storage.database import Database, local_time, parse_stamp, stamp
from assistant.storage.database import LogError as LogError
from assistant.storage.database import log_file as log_file
from assistant.storage.values import (
    MAX_BREATHS,
    count_or_zero,
    note_text,
    rating_or_none,
    seconds_or_zero,
    title_text,
)

TENSION_RANGE = range(11)
"""Tension ratings are whole numbers from 0 (calm) to 10 (the most tense)."""


class Ending(enum.StrEnum):
    """How a session ended, in the words the log shows."""

    COMPLETED = "completed"
    STOPPED_EARLY = "stopped early"
    INTERRUPTED = "interrupted"
    """Started but never finished: the program was closed or killed during it."""


@dataclass(frozen=True)
class Entry:
    """One session in the practice log.

    Attributes:
        id: The row id, as returned by :meth:`PracticeLog.start_session`.
        started_at: When the session started (timezone-aware, UTC).
        ended_at: When it ended (aware, UTC); None if it was interrupted.
        script_id: The script's id (``box``, ``five-senses``, a user script's id).
        script_title: The title as it was when the session ran.
        planned_seconds: The length of the compiled session.
        practised_seconds: How long the session actually played (0 if interrupted).
        breaths: Breaths guided (0 for a script without breathing, or if interrupted).
        completed: True if the session ran to its end.
        tension_before: 0–10 rating before the session, if given.
        tension_after: 0–10 rating after the session, if given.
        note: The person's own words about the session, if any.
    """

    id: int
    started_at: datetime
    ended_at: datetime | None
    script_id: str
    script_title: str
    planned_seconds: float
    practised_seconds: float
    breaths: int
    completed: bool
    tension_before: int | None
    tension_after: int | None
    note: str | None

    @property
    def outcome(self) -> Ending:
        """Completed, stopped early, or interrupted (never finished)."""
        if self.ended_at is None:
            return Ending.INTERRUPTED
        return Ending.COMPLETED if self.completed else Ending.STOPPED_EARLY


class PracticeLog(Database):
    """The sessions in the practice log (the database is :class:`Database`'s to open and close)."""

    # -- writes ---------------------------------------------------------------------------------

    def start_session(
        self,
        script_id: str,
        script_title: str,
        planned_seconds: float,
        *,
        tension_before: int | None = None,
        now: datetime | None = None,
    ) -> int:
        """Record that a session has started; returns its id for the later calls.

        The row is committed before this returns, so a crash from here on still leaves the
        session in the log (as interrupted).

        Args:
            script_id: The script's id.
            script_title: The script's title, stored so the log reads well if the script goes.
            planned_seconds: The compiled session's length.
            tension_before: 0–10, if the person rated it already.
            now: The start time (tests fix it); a naive datetime is taken as local time.

        Raises:
            ValueError: A tension outside 0–10 or a negative length.
            LogError: The row could not be written.
        """
        _check_tension(tension_before)
        if planned_seconds < 0:
            raise ValueError(f"planned_seconds must not be negative, not {planned_seconds}")
        with self._lock:
            cursor = self._write(
                "INSERT INTO sessions (started_at, script_id, script_title, planned_seconds,"
                " tension_before) VALUES (?, ?, ?, ?, ?)",
                (stamp(now), script_id, script_title, float(planned_seconds), tension_before),
            )
        assert cursor.lastrowid is not None  # an INSERT into a rowid table always sets it
        return cursor.lastrowid

    def set_tension_before(self, session_id: int, value: int | None) -> None:
        """Record (or clear, with None) how tense the person felt before the session.

        Raises:
            ValueError: ``value`` is outside 0–10, or there is no such session.
            LogError: The change could not be written.
        """
        _check_tension(value)
        with self._lock:
            cursor = self._write(
                "UPDATE sessions SET tension_before = ? WHERE id = ?", (value, session_id)
            )
        _check_found(cursor, session_id)

    def finish_session(
        self,
        session_id: int,
        practised_seconds: float,
        breaths: int,
        completed: bool,
        tension_after: int | None = None,
        note: str | None = None,
        *,
        planned_seconds: float | None = None,
        now: datetime | None = None,
    ) -> None:
        """Record how a session ended.

        Args:
            session_id: From :meth:`start_session`.
            practised_seconds: How long it played (the player's clock, pauses excluded).
            breaths: Breaths guided.
            completed: True if it ran to its end, False if the person stopped it.
            tension_after: 0–10, if the person rated it.
            note: The person's words; blank notes are stored as None.
            planned_seconds: The session's final planned length, if it became known only
                while it played (a cold cache); None keeps the one given at the start.
            now: The end time (tests fix it); a naive datetime is taken as local time.

        Raises:
            ValueError: A value out of range, or there is no such session.
            LogError: The row could not be written.
        """
        _check_tension(tension_after)
        if practised_seconds < 0 or breaths < 0:
            raise ValueError("practised_seconds and breaths must not be negative")
        note = note.strip() if note else None
        with self._lock:
            cursor = self._write(
                "UPDATE sessions SET ended_at = ?, practised_seconds = ?, breaths = ?,"
                " completed = ?, tension_after = ?, note = ?,"
                " planned_seconds = COALESCE(?, planned_seconds) WHERE id = ?",
                (
                    stamp(now),
                    float(practised_seconds),
                    int(breaths),
                    int(bool(completed)),
                    tension_after,
                    note or None,
                    None if planned_seconds is None else float(planned_seconds),
                    session_id,
                ),
            )
        _check_found(cursor, session_id)

    # -- reads ----------------------------------------------------------------------------------

    def entries(self, limit: int | None = None) -> list[Entry]:
        """Sessions, newest first; interrupted ones included (see :attr:`Entry.outcome`).

        Args:
            limit: At most this many; None for all.
        """
        with self._lock:
            rows = self._read(
                f"SELECT {_COLUMNS} FROM sessions ORDER BY started_at DESC, id DESC LIMIT ?",
                (-1 if limit is None else max(limit, 0),),
            )
        return [entry for entry in map(_entry_or_none, rows) if entry is not None]

    def count(self) -> int:
        """How many sessions the log holds (interrupted ones included)."""
        with self._lock:
            rows = self._read("SELECT COUNT(*) FROM sessions", ())
        return int(rows[0][0]) if rows else 0

    def days_practised(self, since: date) -> set[date]:
        """The local dates, from ``since`` on, with at least one session of any kind.

        Every session counts, however it ended: showing up is the practice.
        """
        with self._lock:
            rows = self._read(
                "SELECT started_at FROM sessions WHERE started_at >= ?",
                (stamp(_local_midnight(since)),),
            )
        return {parse_stamp(row[0]).astimezone().date() for row in rows}

    def minutes_per_week(
        self, weeks: int, *, now: datetime | None = None
    ) -> list[tuple[date, float]]:
        """Minutes practised in each of the last ``weeks`` local weeks, oldest first.

        Every week is listed, including weeks with no sessions (0.0), keyed by its Monday.
        Interrupted sessions add nothing: their length was never recorded.

        Args:
            weeks: How many weeks, counting the current one; at least 1.
            now: "Today" (tests fix it); defaults to the current time.
        """
        if weeks < 1:
            raise ValueError(f"weeks must be at least 1, not {weeks}")
        today = local_time(now).date()
        this_monday = today - timedelta(days=today.weekday())
        mondays = [this_monday - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
        with self._lock:
            rows = self._read(
                "SELECT started_at, practised_seconds FROM sessions"
                " WHERE started_at >= ? AND started_at < ?",
                (
                    stamp(_local_midnight(mondays[0])),
                    stamp(_local_midnight(this_monday + timedelta(weeks=1))),
                ),
            )
        seconds = dict.fromkeys(mondays, 0.0)
        for started, practised in rows:
            day = parse_stamp(started).astimezone().date()
            monday = day - timedelta(days=day.weekday())
            if monday in seconds:
                seconds[monday] += practised
        return [(monday, seconds[monday] / 60) for monday in mondays]

    def tension_pairs(self, limit: int = 30) -> list[tuple[datetime, int, int]]:
        """The latest ``limit`` sessions rated both before and after, oldest first (for a chart).

        Returns:
            ``(started_at, tension_before, tension_after)`` tuples; times are aware, UTC.
        """
        with self._lock:
            rows = self._read(
                "SELECT started_at, tension_before, tension_after FROM sessions"
                " WHERE tension_before IS NOT NULL AND tension_after IS NOT NULL"
                " ORDER BY started_at DESC, id DESC LIMIT ?",
                (max(limit, 0),),
            )
        return [(parse_stamp(started), before, after) for started, before, after in reversed(rows)]


_COLUMNS = (
    "id, started_at, ended_at, script_id, script_title, planned_seconds, practised_seconds,"
    " breaths, completed, tension_before, tension_after, note"
)


def entries_json(entries: Iterable[Entry]) -> list[dict[str, Any]]:
    """Entries as plain JSON values (for ``ground log --json``); times are ISO-8601 UTC."""
    return [
        {
            "id": entry.id,
            "started_at": entry.started_at.isoformat(),
            "ended_at": entry.ended_at.isoformat() if entry.ended_at else None,
            "script_id": entry.script_id,
            "script_title": entry.script_title,
            "planned_seconds": entry.planned_seconds,
            "practised_seconds": entry.practised_seconds,
            "breaths": entry.breaths,
            "completed": entry.completed,
            "outcome": entry.outcome.name.lower(),
            "tension_before": entry.tension_before,
            "tension_after": entry.tension_after,
            "note": entry.note,
        }
        for entry in entries
    ]


# -- values -------------------------------------------------------------------------------------


def _check_tension(value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or value not in TENSION_RANGE):
        raise ValueError(f"tension is a whole number from 0 to 10, not {value!r}")


def _check_found(cursor: sqlite3.Cursor, session_id: int) -> None:
    if cursor.rowcount == 0:
        raise ValueError(f"there is no session {session_id} in the practice log")


def _local_midnight(day: date) -> datetime:
    """The start of ``day`` in local time, as an aware datetime."""
    return datetime.combine(day, clock_time()).astimezone()


def _entry_or_none(row: tuple[Any, ...]) -> Entry | None:
    """The row as an entry, or None if its times cannot be read (one bad row, not the log)."""
    try:
        entry = _entry(row)
        entry.started_at.astimezone()  # a year the local clock cannot show raises here
    except (ValueError, TypeError, OverflowError):
        return None
    return entry


def _entry(row: tuple[Any, ...]) -> Entry:
    ident, started, ended, script_id, title, planned, practised, breaths, completed = row[:9]
    before, after, note = row[9:]
    # Every value checked on the way out too: a row that got in another way (an old import,
    # an edited database) must never stop the log being read, or reach the terminal raw.
    return Entry(
        id=ident,
        started_at=parse_stamp(started),
        ended_at=parse_stamp(ended) if ended else None,
        script_id=title_text(script_id),
        script_title=title_text(title),
        planned_seconds=seconds_or_zero(planned),
        practised_seconds=seconds_or_zero(practised),
        breaths=count_or_zero(breaths, MAX_BREATHS),
        completed=bool(completed),
        tension_before=rating_or_none(before, TENSION_RANGE[-1]),
        tension_after=rating_or_none(after, TENSION_RANGE[-1]),
        note=note_text(note),
    )
