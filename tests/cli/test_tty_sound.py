"""The inline pacer's sound keys in a real terminal (tmux): ↑/↓ and g change one level each and
keep it for next time, a toggles the ambient sound, and q on a timer rings the end bell."""

from __future__ import annotations

import sqlite3
import tomllib
from pathlib import Path

from tests.helpers.tmux import ground_in_tmux, needs_tmux

pytestmark = needs_tmux


def test_the_levels_change_one_at_a_time_and_are_kept(tmp_path: Path, ground_home: Path) -> None:
    args = "play box --engine none --ambient rain --holds"  # the holds question: test_tty.py
    with ground_in_tmux(tmp_path, ground_home, args, (100, 30)) as (term, folder):
        screen = term.wait_for(lambda s: "left" in s)
        assert "↑↓ volume · g which" in screen  # the key line names the new keys
        term.keys("Up")
        term.wait_for(lambda s: "(volume 90%)" in s)
        term.keys("g")
        term.wait_for(lambda s: "(↑↓ now change the voice: 100%)" in s)
        term.keys("Down", "Down")
        term.wait_for(lambda s: "(voice 80%)" in s)
        term.keys("g", "g")
        term.wait_for(lambda s: "(↑↓ now change the ambient: 100%)" in s)
        term.keys("Down")
        term.wait_for(lambda s: "(ambient 90%)" in s)
        term.keys("a")
        term.wait_for(lambda s: "(ambient off)" in s)
        term.keys("q")
        term.wait_for(lambda s: "Stopped after" in s)
        term.wait_for(lambda s: (folder / "after").exists())
    assert (folder / "rc").read_text().strip() == "0"
    settings = tomllib.loads((ground_home / "config" / "settings.toml").read_text())
    assert settings["volume"] == 0.9
    assert settings["voice_volume"] == 0.8
    assert settings["ambient_volume"] == 0.9
    assert "tones_volume" not in settings or settings["tones_volume"] == 1.0


def test_q_rings_an_open_sittings_end_bell_and_logs_the_time_sat(
    tmp_path: Path, ground_home: Path
) -> None:
    args = "timer --open --bell woodblock"
    with ground_in_tmux(tmp_path, ground_home, args, (100, 30)) as (term, folder):
        screen = term.wait_for(lambda s: "sitting" in s and "sat" in s)
        assert "q end with the bell" in screen
        term.wait_for(lambda s: "0:02 sat" in s)
        term.keys("q")
        term.wait_for(lambda s: "(the end bell — q again stops at once)" in s)
        done = term.wait_for(lambda s: "sat." in s and "Done." in s)
        assert "Traceback" not in done
        term.wait_for(lambda s: (folder / "after").exists())
    assert (folder / "rc").read_text().strip() == "0"
    with sqlite3.connect(ground_home / "data" / "practice.db") as db:
        ((script, seconds, completed),) = db.execute(
            "SELECT script_id, practised_seconds, completed FROM sessions"
        ).fetchall()
    assert script == "timer" and completed == 1
    assert 2.0 <= seconds < 10.0
