"""The practice log: migrations, privacy, durability across a kill, damaged and newer files."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from assistant.storage.database import MIGRATIONS
from assistant.storage.log import (
    Ending,
    Entry,
    LogError,
    PracticeLog,
    entries_json,
    log_file,
)
from tests.helpers.paths import REPO

# Central European time without tzdata: a Sunday-night session in UTC is Monday here.
BERLIN = "CET-1CEST,M3.5.0,M10.5.0/3"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.fixture
def berlin() -> Iterator[None]:
    """Local time is Berlin for the test (restored, and re-read by libc, afterwards)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = BERLIN
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def add(
    log: PracticeLog,
    started: datetime,
    minutes: float,
    *,
    completed: bool = True,
    before: int | None = None,
    after: int | None = None,
    note: str | None = None,
    title: str = "Box breathing",
) -> int:
    """A whole session: started at ``started``, finished ``minutes`` later."""
    session = log.start_session("box", title, 240.0, tension_before=before, now=started)
    log.finish_session(
        session,
        minutes * 60,
        breaths=round(minutes * 4),
        completed=completed,
        tension_after=after,
        note=note,
        now=started + timedelta(minutes=minutes),
    )
    return session


# -- opening, migrations, privacy ---------------------------------------------------------------


def test_log_lives_in_the_private_data_dir(ground_home: Path) -> None:
    assert log_file() == ground_home / "data" / "practice.db"


def test_migrations_apply_once_and_are_recorded() -> None:
    with PracticeLog.open() as log:
        add(log, utc(2024, 5, 6, 8), 4)
    with PracticeLog.open() as log:  # reopening applies nothing and loses nothing
        assert len(log.entries()) == 1
    db = sqlite3.connect(log_file())
    rows = db.execute("SELECT name, applied_at FROM _migrations ORDER BY rowid").fetchall()
    db.close()
    assert [name for name, _ in rows] == [step.name for step in MIGRATIONS]
    assert rows[0][0] == "m001_sessions"
    for _, applied_at in rows:
        assert datetime.fromisoformat(applied_at).tzinfo is not None


class _InterruptedCommit:
    """A connection whose first COMMIT goes through, and a Ctrl-C lands as it returns."""

    def __init__(self, db: sqlite3.Connection) -> None:
        object.__setattr__(self, "db", db)
        object.__setattr__(self, "fired", False)

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        db: sqlite3.Connection = self.db
        cursor = db.execute(sql, *args)
        if sql == "COMMIT" and not self.fired:
            object.__setattr__(self, "fired", True)
            raise KeyboardInterrupt
        return cursor

    def __getattr__(self, name: str) -> Any:
        return getattr(self.db, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.db, name, value)


def test_a_ctrl_c_as_a_migration_commits_is_not_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    import assistant.storage.database as database

    connect = database._connect
    monkeypatch.setattr(database, "_connect", lambda path: _InterruptedCommit(connect(path)))
    # Before: the ROLLBACK after it failed (no transaction) and a LogError replaced the
    # interrupt; the session then played on, the Ctrl-C lost.
    with pytest.raises(KeyboardInterrupt):
        PracticeLog.open()
    monkeypatch.setattr(database, "_connect", connect)
    db = sqlite3.connect(log_file())
    first = db.execute("SELECT name FROM _migrations").fetchall()
    db.close()
    assert first == [(MIGRATIONS[0].name,)]  # committed before the interrupt: kept
    PracticeLog.open().close()  # the next open applies the rest
    db = sqlite3.connect(log_file())
    names = [row[0] for row in db.execute("SELECT name FROM _migrations ORDER BY rowid")]
    db.close()
    assert names == [step.name for step in MIGRATIONS]


def test_reopen_is_idempotent() -> None:
    for _ in range(3):
        PracticeLog.open().close()
    db = sqlite3.connect(log_file())
    count = db.execute("SELECT count(*) FROM _migrations").fetchone()[0]
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    db.close()
    assert count == len(MIGRATIONS)
    assert {"sessions", "_migrations"} <= tables


def test_files_are_private_even_with_a_permissive_umask(ground_home: Path) -> None:
    old = os.umask(0)
    try:
        with PracticeLog.open() as log:
            add(log, utc(2024, 5, 6, 8), 4)
            files = [log.path, *(log.path.with_name(log.path.name + s) for s in ("-wal", "-shm"))]
            for path in files:
                if path.exists():
                    assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
            assert files[1].exists()  # WAL mode, and the WAL was checked above
    finally:
        os.umask(old)
    assert stat.S_IMODE((ground_home / "data").stat().st_mode) == 0o700


def test_an_existing_loose_file_is_made_private() -> None:
    PracticeLog.open().close()
    log_file().chmod(0o644)
    PracticeLog.open().close()
    assert stat.S_IMODE(log_file().stat().st_mode) == 0o600


def test_wal_and_full_sync() -> None:
    with PracticeLog.open() as log:
        assert log._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    db = sqlite3.connect(log_file())
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persisted in the file
    db.close()


# -- writing sessions ---------------------------------------------------------------------------


def test_start_then_finish_round_trip() -> None:
    start = utc(2024, 5, 6, 8, 0, 0)
    with PracticeLog.open() as log:
        assert log.notice is None
        session = log.start_session("box", "Box breathing", 240.0, now=start)
        log.set_tension_before(session, 6)
        log.finish_session(
            session,
            practised_seconds=230.5,
            breaths=14,
            completed=True,
            tension_after=3,
            note="  before the meeting \n",
            now=start + timedelta(seconds=235),
        )
        [entry] = log.entries()
    assert entry == Entry(
        id=session,
        started_at=start,
        ended_at=utc(2024, 5, 6, 8, 3, 55),
        script_id="box",
        script_title="Box breathing",
        planned_seconds=240.0,
        practised_seconds=230.5,
        breaths=14,
        completed=True,
        tension_before=6,
        tension_after=3,
        note="before the meeting",
    )
    assert entry.outcome is Ending.COMPLETED
    assert entry.started_at.tzinfo is not None


def test_a_started_session_is_interrupted_until_finished() -> None:
    with PracticeLog.open() as log:
        session = log.start_session("box", "Box breathing", 240.0, tension_before=5)
        [entry] = log.entries()
        assert entry.outcome is Ending.INTERRUPTED
        assert entry.ended_at is None and entry.tension_before == 5
        log.finish_session(session, 100.0, 6, completed=False, note="   ")
        [entry] = log.entries()
    assert entry.outcome is Ending.STOPPED_EARLY
    assert entry.note is None  # a blank note is no note


def test_entries_newest_first_with_limit() -> None:
    with PracticeLog.open() as log:
        ids = [add(log, utc(2024, 5, day, 8), 2) for day in (6, 8, 7)]
        assert [e.id for e in log.entries()] == [ids[1], ids[2], ids[0]]
        assert [e.id for e in log.entries(limit=2)] == [ids[1], ids[2]]
        assert log.entries(limit=0) == []


def test_the_schema_refuses_a_tension_of_eleven() -> None:
    PracticeLog.open().close()
    db = sqlite3.connect(log_file())
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        db.execute(
            "INSERT INTO sessions (started_at, script_id, script_title, planned_seconds,"
            " tension_before) VALUES ('2024-05-06T08:00:00+00:00', 'box', 'Box', 60, 11)"
        )
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        db.execute(
            "INSERT INTO sessions (started_at, script_id, script_title, planned_seconds,"
            " tension_after) VALUES ('2024-05-06T08:00:00+00:00', 'box', 'Box', 60, -1)"
        )
    db.close()


def test_the_api_refuses_bad_values_and_unknown_sessions() -> None:
    with PracticeLog.open() as log:
        with pytest.raises(ValueError, match="0 to 10"):
            log.start_session("box", "Box", 60, tension_before=11)
        session = log.start_session("box", "Box", 60)
        with pytest.raises(ValueError, match="0 to 10"):
            log.set_tension_before(session, 11)
        with pytest.raises(ValueError, match="0 to 10"):
            log.finish_session(session, 60, 4, True, tension_after=11)
        with pytest.raises(ValueError, match="no session 999"):
            log.finish_session(999, 60, 4, True)
        assert log.entries()[0].outcome is Ending.INTERRUPTED  # nothing half-written


CRASH = """
import os, signal, sys
from assistant.storage.log import PracticeLog
log = PracticeLog.open()
print(log.start_session("five-senses", "Five senses", 180.0, tension_before=7), flush=True)
if sys.argv[1] == "exit":
    os._exit(1)
sys.stdin.read()  # hold the database open until the test kills us
"""


@pytest.mark.parametrize("how", ["exit", "kill"])
def test_a_killed_session_is_kept_as_interrupted(how: str) -> None:
    with PracticeLog.open() as log:
        earlier = add(log, utc(2024, 5, 6, 8), 4, before=6, after=3, note="went fine")
    child = subprocess.Popen(
        [sys.executable, "-c", CRASH, how],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    started = int(child.stdout.readline())
    if how == "kill":
        child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=30) != 0
    with PracticeLog.open() as log:
        assert log.notice is None
        newest, older = log.entries()
    assert newest.id == started
    assert newest.outcome is Ending.INTERRUPTED
    assert (newest.script_title, newest.tension_before) == ("Five senses", 7)
    assert older.id == earlier
    assert older.outcome is Ending.COMPLETED
    assert (older.practised_seconds, older.tension_after, older.note) == (240.0, 3, "went fine")


# -- damaged and newer files --------------------------------------------------------------------


def test_a_garbage_file_is_moved_aside_with_a_notice() -> None:
    path = log_file()
    path.parent.mkdir(parents=True)
    garbage = b"this is not a database\n" * 50
    path.write_bytes(garbage)
    with PracticeLog.open() as log:
        assert log.notice is not None
        assert "\n" not in log.notice
        add(log, utc(2024, 5, 6, 8), 4)  # the fresh log works
        assert len(log.entries()) == 1
    [aside] = path.parent.glob("practice.db.broken-*")
    assert aside.read_bytes() == garbage
    assert aside.name in log.notice and "fresh" in log.notice
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("offset", [100, 2 * 4096 + 8], ids=["schema-page", "table-page"])
def test_a_damaged_database_is_moved_aside(offset: int) -> None:
    with PracticeLog.open() as log:
        for day in range(1, 29):
            add(log, utc(2024, 5, day, 8), 4, note="a longer note to fill a page or two " * 4)
    path = log_file()
    damaged = bytearray(path.read_bytes())
    damaged[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(damaged))
    with PracticeLog.open() as log:
        assert log.notice is not None and "\n" not in log.notice
        assert log.entries() == []
    [aside] = path.parent.glob("practice.db.broken-*")
    assert aside.read_bytes() == bytes(damaged)


def test_two_repairs_in_one_second_keep_both_files() -> None:
    path = log_file()
    path.parent.mkdir(parents=True)
    for text in (b"first", b"second"):
        path.write_bytes(text * 100)
        PracticeLog.open().close()
    kept = {p.read_bytes() for p in path.parent.glob("practice.db.broken-*")}
    assert kept == {b"first" * 100, b"second" * 100}


def test_a_newer_database_is_refused_and_left_untouched() -> None:
    path = log_file()
    path.parent.mkdir(parents=True)
    # As a future ground might leave it: rollback journal, a migration we do not know.
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for step in [*MIGRATIONS, None]:
        name = step.name if step else "m999_from_the_future"
        if step:
            step.apply(db)
        db.execute("INSERT INTO _migrations VALUES (?, '2030-01-01T00:00:00+00:00')", (name,))
    db.commit()
    db.close()
    path.chmod(0o644)
    before = path.read_bytes()
    with pytest.raises(LogError, match="newer ground; update ground") as caught:
        PracticeLog.open()
    assert str(path) in str(caught.value)
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert sorted(p.name for p in path.parent.iterdir()) == ["practice.db"]


# -- summaries ----------------------------------------------------------------------------------


def test_days_practised_uses_local_dates(berlin: None) -> None:
    with PracticeLog.open() as log:
        add(log, utc(2024, 5, 4, 21, 30), 3)  # Sat 23:30 in Berlin: before `since`
        add(log, utc(2024, 5, 4, 22, 30), 3)  # Sun 00:30 in Berlin
        add(log, utc(2024, 5, 12, 22, 30), 10)  # Mon 00:30
        add(log, utc(2024, 5, 13, 7), 2, completed=False)
        log.start_session("box", "Box", 240, now=utc(2024, 5, 14, 18))  # interrupted: counts
        days = log.days_practised(date(2024, 5, 5))
    assert days == {date(2024, 5, 5), date(2024, 5, 13), date(2024, 5, 14)}


def test_minutes_per_week_across_week_boundaries(berlin: None) -> None:
    now = utc(2024, 5, 15, 10)  # a Wednesday
    with PracticeLog.open() as log:
        add(log, utc(2024, 4, 20, 8), 30)  # before the window
        add(log, utc(2024, 4, 28, 22, 30), 7)  # Sunday in UTC, Monday 29 April in Berlin
        add(log, utc(2024, 5, 5, 21, 59), 5)  # Sunday 23:59 in Berlin: still that week
        add(log, utc(2024, 5, 12, 22, 30), 10)  # Monday 13 May 00:30 in Berlin
        add(log, utc(2024, 5, 14, 7), 3, completed=False)  # stopped early still counts
        log.start_session("box", "Box", 240, now=utc(2024, 5, 14, 9))  # interrupted: no minutes
        weeks = log.minutes_per_week(4, now=now)
        assert log.minutes_per_week(1, now=now) == [(date(2024, 5, 13), 13.0)]
        with pytest.raises(ValueError, match="at least 1"):
            log.minutes_per_week(0, now=now)
    assert weeks == [
        (date(2024, 4, 22), 0.0),
        (date(2024, 4, 29), 12.0),
        (date(2024, 5, 6), 0.0),
        (date(2024, 5, 13), 13.0),
    ]
    assert all(monday.weekday() == 0 for monday, _ in weeks)


def test_minutes_per_week_on_an_empty_log_is_all_zero_weeks() -> None:
    with PracticeLog.open() as log:
        weeks = log.minutes_per_week(3, now=datetime(2024, 5, 15, 12))
    assert weeks == [(date(2024, 4, 29), 0.0), (date(2024, 5, 6), 0.0), (date(2024, 5, 13), 0.0)]


def test_tension_pairs_are_the_latest_rated_sessions_oldest_first() -> None:
    with PracticeLog.open() as log:
        add(log, utc(2024, 5, 1, 8), 4, before=8, after=5)
        add(log, utc(2024, 5, 2, 8), 4, before=7)  # rated only before: no pair
        add(log, utc(2024, 5, 3, 8), 4, before=6, after=3)
        add(log, utc(2024, 5, 4, 8), 4, before=5, after=5)
        assert log.tension_pairs(2) == [(utc(2024, 5, 3, 8), 6, 3), (utc(2024, 5, 4, 8), 5, 5)]
        assert len(log.tension_pairs()) == 3


def test_entries_json() -> None:
    with PracticeLog.open() as log:
        add(log, utc(2024, 5, 6, 8), 4, before=6, after=3, note="ok")
        log.start_session("box", "Box breathing", 240.0, now=utc(2024, 5, 7, 8))
        interrupted, finished = entries_json(log.entries())
    assert finished == {
        "id": 1,
        "started_at": "2024-05-06T08:00:00+00:00",
        "ended_at": "2024-05-06T08:04:00+00:00",
        "script_id": "box",
        "script_title": "Box breathing",
        "planned_seconds": 240.0,
        "practised_seconds": 240.0,
        "breaths": 16,
        "completed": True,
        "outcome": "completed",
        "tension_before": 6,
        "tension_after": 3,
        "note": "ok",
    }
    assert interrupted["outcome"] == "interrupted"
    assert interrupted["ended_at"] is None and interrupted["completed"] is False


def test_the_full_check_is_skipped_only_for_the_file_as_ground_left_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import assistant.storage.database as database

    statements: list[str] = []
    connect = sqlite3.connect

    def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        db: sqlite3.Connection = connect(*args, **kwargs)
        db.set_trace_callback(statements.append)
        return db

    monkeypatch.setattr(database.sqlite3, "connect", traced)

    def checked() -> bool:
        with PracticeLog.open() as log:
            log.entries()
        found = "PRAGMA integrity_check" in statements
        statements.clear()
        return found

    assert checked()  # new
    assert not checked()  # as ground closed it
    path = log_file()
    assert stat.S_IMODE(path.with_name("practice.db.checked").stat().st_mode) == 0o600
    with PracticeLog.open() as log:  # ground's own writes keep it known
        add(log, utc(2024, 5, 1, 8), 4)
    statements.clear()
    assert not checked()
    # Changed behind ground's back, even with its mtime put back: checked in full again.
    info = path.stat()
    with connect(path) as other:
        other.execute("UPDATE sessions SET note = 'x'")
    other.close()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert checked()
