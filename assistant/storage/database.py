"""ground's database: opening it, setting a damaged file aside, and the ordered migrations.

This is health data, so the file is created ``0600`` in a ``0700`` folder and never leaves the
machine. The schema of every table grows through the ordered ``MIGRATIONS`` list; each step runs
in its own transaction and is recorded by name in ``_migrations`` (the habit of simonw/llm), so
a database holding a name we do not know was written by a newer ``ground`` and is left alone.
The stores built on it: the sessions (:mod:`assistant.storage.log`) and the exposure ladder
(:mod:`assistant.storage.ladder`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from assistant.core.files import set_aside
from assistant.core.i18n import _
from assistant.storage.paths import data_dir, private_dir
from assistant.storage.writable import cannot_write

LOG_NAME = "practice.db"
_SQLITE_HEADER = b"SQLite format 3\x00"
# Another ground (the TUI, a hotkey `ground now`) may hold the write lock for a moment.
_BUSY_TIMEOUT_SECONDS = 5.0


def log_file() -> Path:
    """Where the practice log lives (``practice.db`` in the data dir)."""
    return data_dir() / LOG_NAME


class LogError(Exception):
    """The practice log cannot be used; the message is one line naming the file and what to do."""


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


@migration
def m003_ladder_rehearsals(db: sqlite3.Connection) -> None:
    """Rehearsals of a ladder step in imagination: kept with the step, never counted as a try.

    The ratings are how anxious the person felt just before and just after (SUDS, 0–100).
    """
    db.execute(
        """
        CREATE TABLE ladder_rehearsals (
            id INTEGER PRIMARY KEY,
            step_id INTEGER NOT NULL REFERENCES ladder_steps (id),
            rehearsed_at TEXT NOT NULL,
            suds_before INTEGER CHECK (suds_before BETWEEN 0 AND 100),
            suds_after INTEGER CHECK (suds_after BETWEEN 0 AND 100)
        )
        """
    )
    db.execute("CREATE INDEX ladder_rehearsals_step ON ladder_rehearsals (step_id, rehearsed_at)")


class _Corrupt(Exception):
    """The file is not a readable sqlite database; the message says why, in a few words."""


class Database:
    """ground's one sqlite database (the practice log and the ladder), open and migrated.

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
    def open(cls, path: Path | None = None) -> Self:
        """Open the database, creating it and applying any new migrations.

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
            raise LogError(cannot_write(path.parent, exc)) from None
        notice: str | None = None
        try:
            db = _connect(path)
        except _Corrupt as exc:
            aside = _move_aside(path, exc)
            # TRANSLATORS: {why} is what was wrong; {kept} the name the damaged file now has.
            notice = _(
                "{path} could not be read ({why}); kept it as {kept} and started a fresh "
                "practice log."
            ).format(path=path, why=exc, kept=aside.name)
            try:
                db = _connect(path)
            except _Corrupt as again:  # a fresh file is never corrupt; something else is wrong
                raise LogError(
                    _("could not create {path} ({why}); {hint}").format(
                        path=path, why=again, hint=_("check the folder")
                    )
                ) from None
        try:
            _refuse_newer(db, path)
            _configure(db, path)
            _migrate(db, path)
        except sqlite3.Error as exc:  # a table shaped unlike ours: not damage, so not moved
            db.close()
            raise LogError(
                _("could not use {path} ({why}); is it ground's practice log?").format(
                    path=path, why=exc
                )
            ) from None
        except BaseException:
            db.close()
            raise
        _make_private(path)
        return cls(db, path, notice)

    def close(self) -> None:
        """Close the database (sqlite checkpoints the WAL into the main file).

        The file as it is now, checked when opened and written only through sqlite since, is
        remembered as intact: the next open skips the full check unless it changed meanwhile.
        """
        with self._lock:
            self._db.close()
            _remember_intact(self.path)

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

    # -- statements -----------------------------------------------------------------------------

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

    # -- plumbing (for the stores built on it) -----------------------------------------------------

    def _write(self, sql: str, params: tuple[Any, ...]) -> sqlite3.Cursor:
        # The connection is in autocommit mode: one statement is one committed transaction.
        try:
            return self._db.execute(sql, params)
        except sqlite3.IntegrityError as exc:  # the CHECKs back up the checks above
            raise ValueError(
                _("the practice log refused the values: {why}").format(why=exc)
            ) from None
        except sqlite3.Error as exc:
            raise LogError(
                _("could not write to {path} ({why}); is the disk full?").format(
                    path=self.path, why=exc
                )
            ) from None

    def _read(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise LogError(
                _("could not read {path} ({why}); try again").format(path=self.path, why=exc)
            ) from None


# -- opening ------------------------------------------------------------------------------------


def _connect(path: Path) -> sqlite3.Connection:
    """Open ``path`` (created 0600 if missing) and prove it is an intact sqlite database.

    Only reads happen here, so a file we go on to refuse is left byte for byte as it was.
    """
    try:
        # sqlite would create the file with the umask's mode; create it private first.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise LogError(cannot_write(path, exc)) from None
    try:
        # Not blocking, regular files only: a FIFO at the log's path is refused, not waited on.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise LogError(
                    _("{path} is not a regular file; move it away and run ground again").format(
                        path=path
                    )
                )
            header = os.read(fd, len(_SQLITE_HEADER))
        finally:
            os.close(fd)
    except OSError as exc:
        raise LogError(
            _("could not read {path} ({why}); check its permissions").format(
                path=path, why=exc.strerror
            )
        ) from None
    if header and header != _SQLITE_HEADER:  # an empty file is a new database to sqlite
        raise _Corrupt(_("it is not a sqlite database"))
    # Autocommit (isolation_level=None): each write is its own transaction, migrations BEGIN
    # explicitly. The TUI hands the log to worker threads, hence check_same_thread=False plus
    # the PracticeLog's lock.
    db = sqlite3.connect(
        path, timeout=_BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
    )
    if _known_intact(path):
        return db
    try:
        # A full check reads every page: milliseconds for a few thousand rows, 160 ms for
        # 100,000 (hence _known_intact).
        result = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        db.close()
        if _is_corruption(exc):
            raise _Corrupt(str(exc)) from None
        raise LogError(
            _("could not open {path} ({why}); close other ground windows and retry").format(
                path=path, why=exc
            )
        ) from None
    if result != ["ok"]:
        db.close()
        raise _Corrupt(_("it failed sqlite's integrity check"))  # the details run to many lines
    return db


def _intact_stamp(path: Path) -> Path:
    return path.with_name(path.name + ".checked")


def _file_keys(path: Path) -> str | None:
    """Identity, size and times of the database and its WAL: any write changes one of them."""
    keys = []
    for file in (path, path.with_name(path.name + "-wal")):
        try:
            info = file.stat()
        except FileNotFoundError:
            keys.append("-")
            continue
        except OSError:
            return None
        keys.append(f"{info.st_ino}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}")
    return " ".join(keys)


def _known_intact(path: Path) -> bool:
    """Whether the file is byte for byte as when ground last closed it after a check."""
    keys = _file_keys(path)
    try:
        return keys is not None and _intact_stamp(path).read_text(encoding="ascii") == keys
    except (OSError, ValueError):
        return False


def _remember_intact(path: Path) -> None:
    """Note the closed file's keys (best effort: without them the next open checks it all)."""
    keys = _file_keys(path)
    stamp_file = _intact_stamp(path)
    try:
        if keys is None:
            stamp_file.unlink(missing_ok=True)
            return
        fd = os.open(stamp_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(keys)
    except OSError:
        return


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
            _(
                "{path} was written by a newer ground; update ground (the log was left as it is)"
            ).format(path=path)
        )


def _configure(db: sqlite3.Connection, path: Path) -> None:
    # WAL: a reader (``ground log``) never blocks the session writing its row, and a kill mid-write
    # cannot tear the main file. FULL: a finished session is on disk when finish_session returns.
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error as exc:
        raise LogError(
            _("could not open {path} ({why}); close other ground windows and retry").format(
                path=path, why=exc
            )
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
                        (step.name, stamp(None)),
                    )
                db.execute("COMMIT")
            except BaseException:
                # A Ctrl-C can land just as a COMMIT that went through returns: there is no
                # transaction left, and the ROLLBACK's error must not replace the interrupt
                # (it became a LogError, and the session played on).
                if db.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            # TRANSLATORS: {step} is the name of a change to the log's layout.
            raise LogError(
                _("could not update {path} ({step}: {why}); try again").format(
                    path=path, step=step.name, why=exc
                )
            ) from None


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
            _(
                "{path} is damaged ({reason}) and could not be moved aside ({why}); move it "
                "somewhere else and run ground again"
            ).format(path=path, reason=reason, why=exc.strerror)
        ) from None
    return aside


# -- times --------------------------------------------------------------------------------------


def local_time(now: datetime | None) -> datetime:
    """``now`` (or the current time) as an aware local datetime; naive means local."""
    return (now or datetime.now(UTC)).astimezone()


def stamp(moment: datetime | None) -> str:
    """ISO-8601 UTC to the second, as stored (``None`` is now): fixed width, so text order is
    time order in queries."""
    return local_time(moment).astimezone(UTC).isoformat(timespec="seconds")


def parse_stamp(text: str) -> datetime:
    """A stored time back as an aware datetime."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
