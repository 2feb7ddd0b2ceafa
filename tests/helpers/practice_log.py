"""Practice-log entries built in memory, and a practice log filled with a few sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from assistant.storage.log import Entry, PracticeLog

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def entry(before: int | None, after: int | None) -> Entry:
    """A finished three-minute box session at NOW, with these tension ratings."""
    return Entry(
        id=1,
        started_at=NOW,
        ended_at=NOW,
        script_id="box",
        script_title="Box breathing",
        planned_seconds=180,
        practised_seconds=180,
        breaths=11,
        completed=True,
        tension_before=before,
        tension_after=after,
        note=None,
    )


def fill() -> list[int]:
    """Four sessions on three recent local days, and one long ago; returns ids, oldest first."""
    now = datetime.now().replace(hour=12, minute=0, second=0, microsecond=0)  # local noon
    ids = []
    with PracticeLog.open() as log:
        old = log.start_session("box", "Box breathing", 240, now=now - timedelta(days=60))
        log.finish_session(old, 240, 16, True, now=now - timedelta(days=60, minutes=-4))
        ids.append(old)
        first = log.start_session(
            "box", "Box breathing", 240, tension_before=6, now=now - timedelta(days=3)
        )
        note = "before the\nmeeting"
        end = now - timedelta(days=3, minutes=-4)
        log.finish_session(first, 240, 16, True, tension_after=3, note=note, now=end)
        ids.append(first)
        early = log.start_session("five-senses", "Five senses", 180, now=now - timedelta(days=1))
        log.finish_session(early, 75, 0, False, now=now - timedelta(days=1, seconds=-75))
        ids.append(early)
        again = log.start_session("box", "Box breathing", 240, now=now - timedelta(days=1, hours=1))
        log.finish_session(again, 61, 1, False, now=now - timedelta(days=1, hours=1, seconds=-61))
        ids.append(again)
        ids.append(log.start_session("sigh", "Physiological sigh", 60, now=now))
    return ids
