"""A cold-cache session through a real sound device logs its whole planned length, not the
first step's (it starts playing that while the rest is rendered)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.helpers.paths import REPO
from tests.helpers.pulse import PulseServer, run_ground

pytestmark = [pytest.mark.audio, pytest.mark.tts]
SCRIPT = REPO / "tests" / "data" / "short.toml"


def test_a_cold_cache_session_logs_its_whole_length(pulse: PulseServer, tmp_path: Path) -> None:
    home = tmp_path / "home"  # nothing cached: the session starts on its first step alone
    done = run_ground(pulse, home, "play", str(SCRIPT), "--engine", "espeak")
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(home / "data" / "practice.db") as db:
        ((planned,),) = db.execute("SELECT planned_seconds FROM sessions").fetchall()
    timeline = tmp_path / "t.json"
    rendered = run_ground(
        pulse,
        home,
        "render",
        str(SCRIPT),
        "--engine",
        "espeak",
        "-o",
        str(tmp_path / "o.wav"),
        "--timeline",
        str(timeline),
    )
    assert rendered.returncode == 0, rendered.stderr
    whole = json.loads(timeline.read_text())["seconds"]
    assert planned == pytest.approx(whole, abs=0.05), (planned, whole)
