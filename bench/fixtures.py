"""Fixtures the benchmarks build for themselves: a big script library and a long practice log."""

from __future__ import annotations

import random
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from assistant.core.resources import shipped_dir

#: Shipped scripts the user scripts are made from (each becomes many, with new ids and titles).
TEMPLATES = ("box", "resonance", "five-senses", "daily-sigh", "body-scan")


def make_user_scripts(home: Path, count: int) -> Path:
    """``count`` valid user scripts in ``home``'s script folder (copies of shipped ones)."""
    folder = home / "config" / "scripts"
    folder.mkdir(parents=True, exist_ok=True)
    texts = [(shipped_dir("scripts") / f"{name}.toml").read_text("utf-8") for name in TEMPLATES]
    for n in range(count):
        text = texts[n % len(texts)]
        text = re.sub(r'(?m)^id = ".*"$', f'id = "mine-{n:04d}"', text, count=1)
        text = re.sub(r'(?m)^title = "(.*)"$', rf'title = "\1 ({n})"', text, count=1)
        (folder / f"mine-{n:04d}.toml").write_text(text, "utf-8")
    return folder


def make_log(home: Path, count: int, *, seed: int = 15) -> Path:
    """A practice log in ``home`` with ``count`` sessions, one every few hours back from now.

    The schema comes from the program itself (``PracticeLog.open`` runs its migrations); the
    rows are inserted in one transaction, as a long-time user's log would hold them.
    """
    import os

    from assistant.storage.database import stamp
    from assistant.storage.log import PracticeLog

    before = os.environ.get("GROUND_HOME")
    os.environ["GROUND_HOME"] = str(home)
    try:
        with PracticeLog.open():
            pass
        from assistant.storage.database import log_file

        path = log_file()
    finally:
        if before is None:
            os.environ.pop("GROUND_HOME", None)
        else:
            os.environ["GROUND_HOME"] = before
    rng = random.Random(seed)
    now = datetime.now(UTC)
    rows = []
    for n in range(count):
        start = now - timedelta(hours=3 * n + rng.random())
        practised = rng.choice((60.0, 180.0, 300.0))
        tension = rng.choice((None, (6, 3), (4, 2)))
        rows.append(
            (
                stamp(start),
                stamp(start + timedelta(seconds=practised)),
                "box",
                "Box breathing",
                practised,
                practised,
                int(practised / 16),
                1,
                None if tension is None else tension[0],
                None if tension is None else tension[1],
                "felt calmer" if n % 7 == 0 else None,
            )
        )
    with sqlite3.connect(path) as db:
        db.executemany(
            "INSERT INTO sessions (started_at, ended_at, script_id, script_title,"
            " planned_seconds, practised_seconds, breaths, completed, tension_before,"
            " tension_after, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    db.close()
    return path
