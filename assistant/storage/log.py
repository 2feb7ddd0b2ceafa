"""The practice log: one sqlite row per session, written so a crash loses at most the one running.

This is health data, so the file is created ``0600`` in a ``0700`` folder and never leaves the
machine. The schema grows through the ordered ``MIGRATIONS`` list; each one runs in its own
transaction and is recorded by name in ``_migrations`` (the habit of simonw/llm), so a database
holding a name we do not know was written by a newer ``ground`` and is left alone.

A session is inserted when it starts (``ended_at`` NULL) and updated when it ends. A row that never
got its end is a session that was interrupted (a crash, a kill, a closed laptop): it is shown as
such, never hidden and never counted against anyone.
"""

from __future__ import annotations

import enum
import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from assistant.core.files import set_aside
from assistant.storage.paths import data_dir, private_dir
from assistant.storage.values import (
    MAX_BREATHS,
    count_or_zero,
    note_text,
    rating_or_none,
    seconds_or_zero,
    title_text,
)

LOG_NAME = "practice.db"
TENSION_RANGE = range(11)
"""Tension ratings are whole numbers from 0 (calm) to 10 (the most tense)."""

_SQLITE_HEADER = b"SQLite format 3\x00"
# Another ground (the TUI, a hotkey `ground now`) may hold the write lock for a moment.
_BUSY_TIMEOUT_SECONDS = 5.0


def log_file() -> Path:
    """Where the practice log lives (``practice.db`` in the data dir)."""
    return data_dir() / LOG_NAME


class LogError(Exception):
    """The practice log cannot be used; the message is one line naming the file and what to do."""


class Outcome(enum.StrEnum):
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
    def outcome(self) -> Outcome:
        """Completed, stopped early, or interrupted (never finished)."""
        if self.ended_at is None:
            return Outcome.INTERRUPTED
        return Outcome.COMPLETED if self.completed else Outcome.STOPPED_EARLY


@dataclass(frozen=True)
class Migration:
    """One step of the schema, applied once and recorded by name in ``_migrations``.

    Attributes:
        name: Recorded in ``_migrations``; never rename a shipped migration.
        apply: Runs the step's statements inside the caller's transaction.
    """

    name: str
    apply: Callable[[sqlite3.Connection], None]


MIGRATIONS: list[Migration] = []
"""Every schema step, oldest first. Only ever append to it."""


def migration(
    function: Callable[[sqlite3.Connection], None],
) -> Callable[[sqlite3.Connection], None]:
    """Register ``function`` as the next migration, named after the function."""
    MIGRATIONS.append(Migration(function.__name__, function))
    return function


@migration
def m001_sessions(db: sqlite3.Connection) -> None:
    """The sessions table: one row per session, inserted at the start, updated at the end."""
    db.execute(
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            script_id TEXT NOT NULL,
            script_title TEXT NOT NULL,
            planned_seconds REAL NOT NULL CHECK (planned_seconds >= 0),
            practised_seconds REAL NOT NULL DEFAULT 0 CHECK (practised_seconds >= 0),
            breaths INTEGER NOT NULL DEFAULT 0 CHECK (breaths >= 0),
            completed INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
            tension_before INTEGER CHECK (tension_before BETWEEN 0 AND 10),
            tension_after INTEGER CHECK (tension_after BETWEEN 0 AND 10),
            note TEXT
        )
        """
    )
    # Every read is "the sessions since ..." or "the latest N".
    db.execute("CREATE INDEX sessions_started_at ON sessions (started_at)")


@migration
def m002_ladder(db: sqlite3.Connection) -> None:
    """The exposure ladder: the person's small social steps, and each time they tried one.

    SUDS ratings (subjective units of distress) run from 0 (none) to 100 (the worst).
    """
    db.execute(
        """
        CREATE TABLE ladder_steps (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL CHECK (length(trim(title)) > 0),
            predicted_suds INTEGER NOT NULL CHECK (predicted_suds BETWEEN 0 AND 100),
            safety_behaviours TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL,
            archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE ladder_attempts (
            id INTEGER PRIMARY KEY,
            step_id INTEGER NOT NULL REFERENCES ladder_steps (id),
            attempted_at TEXT NOT NULL,
            suds_before INTEGER CHECK (suds_before BETWEEN 0 AND 100),
            suds_peak INTEGER CHECK (suds_peak BETWEEN 0 AND 100),
            suds_after INTEGER CHECK (suds_after BETWEEN 0 AND 100),
            predicted TEXT,
            happened TEXT,
            did_well TEXT,
            note TEXT
        )
        """
    )
    db.execute("CREATE INDEX ladder_attempts_step ON ladder_attempts (step_id, attempted_at)")


class _Corrupt(Exception):
    """The file is not a readable sqlite database; the message says why, in a few words."""


class PracticeLog:
    """The practice log, open on one sqlite database.

    Every write is its own committed transaction with ``synchronous=FULL``, so a finished session
    survives a power cut. One object may be shared between threads (the TUI and its workers): a
    lock serialises the calls.

    Attributes:
        path: The database file.
        notice: A one-line message for the person if opening had to set a damaged file aside;
            None otherwise.
    """

    def __init__(self, db: sqlite3.Connection, path: Path, notice: str | None = None) -> None:
        """Wrap an open, migrated connection; use :meth:`open` instead."""
        self._db = db
        self._lock = threading.Lock()
        self.path = path
        self.notice = notice

    @classmethod
    def open(cls, path: Path | None = None) -> PracticeLog:
        """Open the log, creating it and applying any new migrations.

        A file that is not a sqlite database, fails ``PRAGMA integrity_check`` or makes sqlite
        report corruption is renamed to ``practice.db.broken-<time>`` (nothing is lost) and a
        fresh log is started; :attr:`notice` then says so.

        Args:
            path: The database file; defaults to :func:`log_file`.

        Raises:
            LogError: The log was written by a newer ``ground`` (it is left untouched), or it
                cannot be opened or set aside (locked, no permission, disk full).
        """
        path = path or log_file()
        try:
            private_dir(path.parent)
        except OSError as exc:
            raise LogError(f"could not create {path.parent} ({exc.strerror}); check it") from None
        notice: str | None = None
        try:
            db = _connect(path)
        except _Corrupt as exc:
            aside = _move_aside(path, exc)
            notice = (
                f"{path} could not be read ({exc}); kept it as {aside.name} "
                "and started a fresh practice log."
            )
            try:
                db = _connect(path)
            except _Corrupt as again:  # a fresh file is never corrupt; something else is wrong
                raise LogError(f"could not create {path} ({again}); check the folder") from None
        try:
            _refuse_newer(db, path)
            _configure(db, path)
            _migrate(db, path)
        except sqlite3.Error as exc:  # a table shaped unlike ours: not damage, so not moved
            db.close()
            raise LogError(f"could not use {path} ({exc}); is it ground's practice log?") from None
        except BaseException:
            db.close()
            raise
        _make_private(path)
        return cls(db, path, notice)

    def close(self) -> None:
        """Close the database (sqlite checkpoints the WAL into the main file)."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Self:
        """Use the log in a ``with`` block; it is closed at the end."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the log."""
        self.close()

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
                (_stamp(now), script_id, script_title, float(planned_seconds), tension_before),
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
                    _stamp(now),
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

    def days_practised(self, since: date) -> set[date]:
        """The local dates, from ``since`` on, with at least one session of any kind.

        Every session counts, however it ended: showing up is the practice.
        """
        with self._lock:
            rows = self._read(
                "SELECT started_at FROM sessions WHERE started_at >= ?",
                (_stamp(_local_midnight(since)),),
            )
        return {_parse(row[0]).astimezone().date() for row in rows}

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
        today = _local(now).date()
        this_monday = today - timedelta(days=today.weekday())
        mondays = [this_monday - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
        with self._lock:
            rows = self._read(
                "SELECT started_at, practised_seconds FROM sessions"
                " WHERE started_at >= ? AND started_at < ?",
                (
                    _stamp(_local_midnight(mondays[0])),
                    _stamp(_local_midnight(this_monday + timedelta(weeks=1))),
                ),
            )
        seconds = dict.fromkeys(mondays, 0.0)
        for started, practised in rows:
            day = _parse(started).astimezone().date()
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
        return [(_parse(started), before, after) for started, before, after in reversed(rows)]

    # -- for the other tables in this database (the ladder, export/import) ---------------------

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        """Run one writing statement as its own committed transaction.

        Raises:
            ValueError: a CHECK refused the values.
            LogError: it could not be written.
        """
        with self._lock:
            return self._write(sql, params)

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """Run one reading statement; returns its rows.

        Raises:
            LogError: the database could not be read.
        """
        with self._lock:
            return self._read(sql, params)

    def transaction(self, statements: Iterable[tuple[str, tuple[Any, ...]]]) -> None:
        """Run several writing statements as one transaction: all of them, or none.

        Raises:
            ValueError: a CHECK refused the values (nothing was written).
            LogError: they could not be written (nothing was written).
        """
        with self._lock:
            self._write("BEGIN IMMEDIATE", ())
            try:
                for sql, params in statements:
                    self._write(sql, params)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._write("COMMIT", ())

    # -- plumbing -------------------------------------------------------------------------------

    def _write(self, sql: str, params: tuple[Any, ...]) -> sqlite3.Cursor:
        # The connection is in autocommit mode: one statement is one committed transaction.
        try:
            return self._db.execute(sql, params)
        except sqlite3.IntegrityError as exc:  # the CHECKs back up the checks above
            raise ValueError(f"the practice log refused the values: {exc}") from None
        except sqlite3.Error as exc:
            raise LogError(f"could not write to {self.path} ({exc}); is the disk full?") from None

    def _read(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise LogError(f"could not read {self.path} ({exc}); try again") from None


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


# -- opening ------------------------------------------------------------------------------------


def _connect(path: Path) -> sqlite3.Connection:
    """Open ``path`` (created 0600 if missing) and prove it is a sound sqlite database.

    Only reads happen here, so a file we go on to refuse is left byte for byte as it was.
    """
    try:
        # sqlite would create the file with the umask's mode; create it private first.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise LogError(f"could not create {path} ({exc.strerror}); check the folder") from None
    try:
        # Not blocking, regular files only: a FIFO at the log's path is refused, not waited on.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise LogError(f"{path} is not a regular file; move it away and run ground again")
            header = os.read(fd, len(_SQLITE_HEADER))
        finally:
            os.close(fd)
    except OSError as exc:
        raise LogError(f"could not read {path} ({exc.strerror}); check its permissions") from None
    if header and header != _SQLITE_HEADER:  # an empty file is a new database to sqlite
        raise _Corrupt("it is not a sqlite database")
    # Autocommit (isolation_level=None): each write is its own transaction, migrations BEGIN
    # explicitly. The TUI hands the log to worker threads, hence check_same_thread=False plus
    # the PracticeLog's lock.
    db = sqlite3.connect(
        path, timeout=_BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
    )
    try:
        # The log holds a few thousand rows at most: a full check costs milliseconds.
        result = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        db.close()
        if _is_corruption(exc):
            raise _Corrupt(str(exc)) from None
        raise LogError(
            f"could not open {path} ({exc}); close other ground windows and retry"
        ) from None
    if result != ["ok"]:
        db.close()
        raise _Corrupt("it failed sqlite's integrity check")  # the details run to many lines
    return db


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    # Only damage moves a file aside: "locked", "busy" or "permission denied" are not damage.
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return not isinstance(exc, sqlite3.OperationalError)
    return code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def _refuse_newer(db: sqlite3.Connection, path: Path) -> None:
    """Raise if the database records a migration this version does not know."""
    has_table = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'"
    ).fetchone()
    if not has_table:
        return
    known = {step.name for step in MIGRATIONS}
    applied = {row[0] for row in db.execute("SELECT name FROM _migrations")}
    if applied - known:
        raise LogError(
            f"{path} was written by a newer ground; update ground (the log was left as it is)"
        )


def _configure(db: sqlite3.Connection, path: Path) -> None:
    # WAL: a reader (``ground log``) never blocks the session writing its row, and a kill mid-write
    # cannot tear the main file. FULL: a finished session is on disk when finish_session returns.
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error as exc:
        raise LogError(
            f"could not open {path} ({exc}); close other ground windows and retry"
        ) from None


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    """Apply each migration not yet recorded, each in its own transaction."""
    for step in MIGRATIONS:
        try:
            # IMMEDIATE takes the write lock before looking, so two ground processes opening a
            # new log at once cannot both apply the same step.
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(
                    "CREATE TABLE IF NOT EXISTS _migrations"
                    " (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
                )
                done = db.execute("SELECT 1 FROM _migrations WHERE name = ?", (step.name,))
                if done.fetchone() is None:
                    step.apply(db)
                    db.execute(
                        "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                        (step.name, _stamp(None)),
                    )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise LogError(f"could not update {path} ({step.name}: {exc}); try again") from None


def _make_private(path: Path) -> None:
    """Make the database and its WAL companions readable by this user only."""
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if file.stat().st_mode & 0o077:
                file.chmod(0o600)
        except OSError:  # gone already, or another user's file: sqlite copes, so do we
            continue


def _move_aside(path: Path, reason: _Corrupt) -> Path:
    """Rename a damaged database (and its WAL) to ``<name>.broken-<time>``; returns the new path."""
    try:
        # Never over an earlier set-aside (two repairs in one second keep both); 0600: still
        # someone's health data, whatever state it is in.
        aside = set_aside(path)
        wal = path.with_name(path.name + "-wal")
        # The WAL's frames belong to the damaged file: never let sqlite replay them into the new
        # one. Keep them beside it if there are any.
        if wal.exists() and wal.stat().st_size:
            wal.rename(aside.with_name(aside.name + "-wal"))
        wal.unlink(missing_ok=True)
        # The shared-memory index is rebuilt from the WAL; it holds nothing of the person's.
        path.with_name(path.name + "-shm").unlink(missing_ok=True)
    except OSError as exc:
        raise LogError(
            f"{path} is damaged ({reason}) and could not be moved aside ({exc.strerror}); "
            "move it somewhere else and run ground again"
        ) from None
    return aside


# -- values -------------------------------------------------------------------------------------


def _check_tension(value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or value not in TENSION_RANGE):
        raise ValueError(f"tension is a whole number from 0 to 10, not {value!r}")


def _check_found(cursor: sqlite3.Cursor, session_id: int) -> None:
    if cursor.rowcount == 0:
        raise ValueError(f"there is no session {session_id} in the practice log")


def _local(now: datetime | None) -> datetime:
    """``now`` (or the current time) as an aware local datetime; naive means local."""
    return (now or datetime.now(UTC)).astimezone()


def stamp(moment: datetime | None) -> str:
    """ISO-8601 UTC to the second, as stored (``None`` is now)."""
    return _stamp(moment)


def parse_stamp(text: str) -> datetime:
    """A stored time back as an aware datetime."""
    return _parse(text)


def _stamp(moment: datetime | None) -> str:
    """ISO-8601 UTC to the second: fixed width, so text order is time order in queries."""
    return _local(moment).astimezone(UTC).isoformat(timespec="seconds")


def _parse(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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
        started_at=_parse(started),
        ended_at=_parse(ended) if ended else None,
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
