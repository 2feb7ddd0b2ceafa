"""The ladder on disk: migration onto an existing log, steps, attempts, and export/import."""

from __future__ import annotations

import json
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant.storage.database import MIGRATIONS
from assistant.storage.export import ExportError, import_data, read_export, write_export
from assistant.storage.ladder import Ladder, UnknownStep
from assistant.storage.log import PracticeLog

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def test_the_ladder_migration_keeps_every_row_of_an_existing_log(tmp_path: Path) -> None:
    path = tmp_path / "practice.db"
    # A log as the first release wrote it: only the first migration.
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    MIGRATIONS[0].apply(db)
    db.execute("INSERT INTO _migrations VALUES ('m001_sessions', '2026-01-01T00:00:00+00:00')")
    for day in range(30):
        db.execute(
            "INSERT INTO sessions (started_at, ended_at, script_id, script_title,"
            " planned_seconds, practised_seconds, breaths, completed, tension_before,"
            " tension_after, note) VALUES (?, ?, 'box', 'Box breathing', 180, 180, 11, 1, 6, 3,"
            " ?)",
            (
                (T0 + timedelta(days=day)).isoformat(),
                (T0 + timedelta(days=day, minutes=3)).isoformat(),
                f"note {day}",
            ),
        )
    db.commit()
    db.close()
    with PracticeLog.open(path) as log:
        entries = log.entries()
        assert len(entries) == 30
        assert {e.note for e in entries} == {f"note {d}" for d in range(30)}
        names = [r[0] for r in log.query("SELECT name FROM _migrations ORDER BY rowid")]
        assert names == ["m001_sessions", "m002_ladder", "m003_ladder_rehearsals"]
        Ladder(log).add("say hello", 30)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.fixture
def log(tmp_path: Path) -> Iterator[PracticeLog]:
    opened = PracticeLog.open(tmp_path / "practice.db")
    yield opened
    opened.close()


def test_steps_keep_their_order_and_can_be_moved_sorted_and_put_away(log: PracticeLog) -> None:
    ladder = Ladder(log)
    a = ladder.add("say hello to a neighbour", 25, ["looking at my phone"], now=T0)
    b = ladder.add("ask a question in a meeting", 55)
    c = ladder.add("phone the GP", 40)
    assert [s.title for s in ladder.steps()] == [a.title, b.title, c.title]
    assert ladder.steps()[0].safety_behaviours == ("looking at my phone",)
    assert ladder.steps()[0].created_at == T0
    ladder.sort_by_rating()
    assert [s.id for s in ladder.steps()] == [a.id, c.id, b.id]
    ladder.move(b.id, -2)
    assert [s.id for s in ladder.steps()] == [b.id, a.id, c.id]
    ladder.archive(a.id)
    assert [s.id for s in ladder.steps()] == [b.id, c.id]
    assert [s.id for s in ladder.steps(archived=True)] == [b.id, a.id, c.id]
    ladder.archive(a.id, archived=False)
    assert [s.id for s in ladder.steps()] == [b.id, c.id, a.id]  # back, at the top
    updated = ladder.update(c.id, title="phone the doctor", predicted_suds=45)
    assert (updated.title, updated.predicted_suds) == ("phone the doctor", 45)


def test_find_by_number_or_title(log: PracticeLog) -> None:
    ladder = Ladder(log)
    ladder.add("say hello to a neighbour", 25)
    ladder.add("say something in a meeting", 50)
    ladder.add("phone the GP", 40)
    assert ladder.find("3").title == "phone the GP"
    assert ladder.find("PHONE").title == "phone the GP"
    assert ladder.find("say hello").title == "say hello to a neighbour"
    with pytest.raises(UnknownStep, match="more than one step starts with 'say'"):
        ladder.find("say")
    with pytest.raises(UnknownStep, match=r"no step 4 on your ladder \(it has 3\)"):
        ladder.find("4")
    with pytest.raises(UnknownStep, match="no step called 'dance'"):
        ladder.find("dance")


def test_bad_values_are_refused_and_nothing_is_written(log: PracticeLog) -> None:
    ladder = Ladder(log)
    with pytest.raises(ValueError, match="0 to 100"):
        ladder.add("say hello", 101)
    with pytest.raises(ValueError, match="a few words"):
        ladder.add("  ", 20)
    step = ladder.add("say hello", 20)
    with pytest.raises(ValueError, match="SUDS after"):
        ladder.log_attempt(step.id, before=10, after=-1)
    with pytest.raises(UnknownStep):
        ladder.log_attempt(999, before=10, after=10)
    with pytest.raises(ValueError, match="every step"):
        ladder.reorder([step.id, step.id])
    assert ladder.attempts() == []
    assert len(ladder.steps()) == 1


def test_attempts_are_kept_in_time_order(log: PracticeLog) -> None:
    ladder = Ladder(log)
    step = ladder.add("say hello", 40)
    ladder.log_attempt(step.id, before=50, after=30, now=T0 + timedelta(days=2))
    ladder.log_attempt(
        step.id,
        before=60,
        peak=70,
        after=40,
        predicted=" they will ignore me ",
        happened="they said hi back",
        did_well="I stayed",
        note="",
        now=T0,
    )
    first, second = ladder.attempts(step.id)
    assert (first.suds_peak, first.predicted, first.note) == (70, "they will ignore me", None)
    assert second.attempted_at == T0 + timedelta(days=2)


# -- export and import --------------------------------------------------------------------------


def _fill(log: PracticeLog) -> None:
    session = log.start_session("box", "Box breathing", 180, tension_before=6, now=T0)
    log.finish_session(session, 170, 10, True, tension_after=3, note="calmer", now=T0)
    log.start_session("now", "Right now", 60, now=T0 + timedelta(hours=2))  # interrupted
    ladder = Ladder(log)
    hello = ladder.add("say hello", 30, ["no phone"], now=T0)
    ladder.add("ask a question", 50, now=T0 + timedelta(minutes=1))
    ladder.archive(ladder.add("old step", 80, now=T0 + timedelta(minutes=2)).id)
    ladder.log_attempt(hello.id, before=40, peak=45, after=20, happened="fine", now=T0)


def _everything(log: PracticeLog) -> list[list[object]]:
    return [
        log.query(f"SELECT * FROM {table} ORDER BY 2, 3")
        for table in ("sessions", "ladder_steps", "ladder_attempts")
    ]


def test_export_then_import_into_an_empty_log_loses_nothing(tmp_path: Path) -> None:
    source = PracticeLog.open(tmp_path / "a.db")
    _fill(source)
    exported = tmp_path / "export.json"
    counts = write_export(source, exported)
    assert (counts.sessions, counts.steps, counts.attempts) == (2, 3, 1)
    assert stat.S_IMODE(exported.stat().st_mode) == 0o600
    target = PracticeLog.open(tmp_path / "b.db")
    added = import_data(target, read_export(exported))
    assert (added.sessions, added.steps, added.attempts, added.already) == (2, 3, 1, 0)
    assert _everything(target) == _everything(source)  # ids match too: same order of inserts
    again = import_data(target, read_export(exported))
    assert (again.sessions, again.steps, again.attempts, again.already) == (0, 0, 0, 6)
    assert _everything(target) == _everything(source)
    source.close()
    target.close()


def test_import_merges_with_what_is_already_there(tmp_path: Path) -> None:
    source = PracticeLog.open(tmp_path / "a.db")
    _fill(source)
    exported = tmp_path / "export.json"
    write_export(source, exported)
    target = PracticeLog.open(tmp_path / "b.db")
    mine = Ladder(target).add("my own step", 20, now=T0 + timedelta(days=3))
    Ladder(target).log_attempt(mine.id, before=30, after=10, now=T0 + timedelta(days=3))
    added = import_data(target, read_export(exported))
    assert (added.sessions, added.steps, added.attempts) == (2, 3, 1)
    titles = [s.title for s in Ladder(target).steps(archived=True)]
    assert titles == ["my own step", "say hello", "ask a question", "old step"]
    by_title = {s.title: s.id for s in Ladder(target).steps(archived=True)}
    assert [a.step_id for a in Ladder(target).attempts()] == [by_title["say hello"], mine.id]
    source.close()
    target.close()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other"), "is not a ground export"),
        (lambda d: d.update(version=9), "export version 9"),
        (lambda d: d["sessions"][0].update(tension_after=11), r"sessions\[0\].tension_after"),
        (
            lambda d: d["ladder"]["steps"][0].update(predicted_suds="high"),
            r"ladder.steps\[0\].predicted_suds",
        ),
        (lambda d: d["ladder"]["attempts"][0].update(step_id=99), "names no step"),
        (lambda d: d["sessions"][1].update(started_at="yesterday"), "not a date and time"),
    ],
)
def test_a_bad_export_is_refused_whole(tmp_path: Path, change: object, message: str) -> None:
    source = PracticeLog.open(tmp_path / "a.db")
    _fill(source)
    exported = tmp_path / "export.json"
    write_export(source, exported)
    source.close()
    data = json.loads(exported.read_text())
    change(data)  # type: ignore[operator]
    exported.write_text(json.dumps(data))
    with pytest.raises(ExportError, match=message):
        read_export(exported)


def test_broken_json_names_the_line(tmp_path: Path) -> None:
    broken = tmp_path / "export.json"
    broken.write_text('{\n  "format": "ground-export",\n  "version": 1,\n  oops\n}')
    with pytest.raises(ExportError, match=r"export.json:4: not valid JSON"):
        read_export(broken)
