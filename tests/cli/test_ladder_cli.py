"""`ground ladder` and `ground log --export/--import` as a person would type them."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tests.helpers.cli import ground

pytestmark = pytest.mark.slow


def _ladder_json() -> dict:  # type: ignore[type-arg]
    done = ground("ladder", "list", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_build_a_five_step_ladder_and_log_tries() -> None:
    assert "Your ladder is empty" in ground("ladder").stdout
    for title, suds in [
        ("say hello to a neighbour", "20"),
        ("ask a shop assistant a question", "30"),
        ("phone the GP", "45"),
        ("speak once in a team meeting", "60"),
        ("go to a friend's party", "85"),
    ]:
        done = ground("ladder", "add", title, "--suds", suds)
        assert done.returncode == 0, done.stderr
    added = ground(
        "ladder", "add", "eat lunch with colleagues", "--suds", "40", "--safety", "phone"
    )
    assert "Added step 6" in added.stdout
    data = _ladder_json()
    assert [s["predicted_suds"] for s in data["steps"]] == [20, 30, 45, 60, 85, 40]
    assert data["sorted_by_rating"] is False
    assert {(g["lower"], g["upper"]) for g in data["big_gaps"]} == {
        ("speak once in a team meeting", "go to a friend's party")
    }
    listing = ground("ladder", "list").stdout
    assert "ground ladder sort" in listing and "a step in between may help" in listing
    assert "without: phone" in listing

    assert ground("ladder", "sort").returncode == 0
    assert [s["predicted_suds"] for s in _ladder_json()["steps"]] == [20, 30, 40, 45, 60, 85]
    moved = ground("ladder", "move", "lunch", "--to", "1")
    assert moved.returncode == 0 and "to number 1" in moved.stdout
    assert _ladder_json()["steps"][0]["title"] == "eat lunch with colleagues"

    first = ground(
        "ladder", "attempt", "say hello", "--before", "40", "--peak", "30", "--after", "20"
    )
    assert first.returncode == 0 and "Well done for trying it" in first.stdout
    second = ground(
        "ladder", "attempt", "2", "--before", "25", "--after", "10", "--did-well", "I smiled"
    )
    assert "the next step up is “ask a shop assistant a question”" in second.stdout
    step = _ladder_json()["steps"][1]
    assert [a["suds_after"] for a in step["attempts"]] == [20, 10]
    assert step["attempts"][1]["did_well"] == "I smiled"

    archived = ground("ladder", "archive", "party")
    assert archived.returncode == 0
    assert len(_ladder_json()["steps"]) == 5
    assert len(json.loads(ground("ladder", "list", "--json", "--all").stdout)["steps"]) == 6


def test_bad_input_is_exit_2_with_one_line() -> None:
    ground("ladder", "add", "say hello", "--suds", "20")
    for args, words in [
        (("ladder", "attempt", "7", "--before", "1", "--after", "2"), "no step 7"),
        (("ladder", "attempt", "dance", "--before", "1", "--after", "2"), "no step called 'dance'"),
        (("ladder", "add", "x", "--suds", "101"), "not a whole number from 0 to 100"),
        (("ladder", "attempt", "1", "--before", "-5", "--after", "2"), "--before"),
        (("ladder", "add", "   ", "--suds", "10"), "a step needs a few words"),
    ]:
        done = ground(*args)
        assert done.returncode == 2, (args, done.stderr)
        last = done.stderr.strip().splitlines()[-1]  # argparse puts its usage lines first
        assert words in last


def test_get_ready_speaks_the_steps_name() -> None:
    ground("ladder", "add", "Say hello to a neighbour", "--suds", "20")
    done = ground("ladder", "ready", "1", "--no-audio", "--engine", "none", timeout=300)
    assert done.returncode == 0, done.stderr
    assert "In a moment, you'll say hello to a neighbour." in done.stdout
    assert "ground ladder attempt 1 --before N --after N" in done.stdout  # what to do next
    log = json.loads(ground("log", "--json").stdout)
    assert log[0]["script_title"] == "Get ready: Say hello to a neighbour"


def test_export_and_import_round_trip(tmp_path: Path, ground_home: Path) -> None:
    ground("ladder", "add", "say hello", "--suds", "20")
    ground("ladder", "attempt", "1", "--before", "30", "--after", "10")
    target = tmp_path / "mine.json"
    done = ground("log", "--export", str(target))
    assert done.returncode == 0, done.stderr
    assert "1 ladder step and 1 attempt" in done.stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    exported = json.loads(target.read_text())
    # Into a fresh home: everything comes back.
    fresh = {"GROUND_HOME": str(tmp_path / "elsewhere")}
    imported = ground("log", "--import", str(target), env=fresh)
    assert imported.returncode == 0, imported.stderr
    again = tmp_path / "again.json"
    ground("log", "--export", str(again), env=fresh)
    back = json.loads(again.read_text())
    assert back["ladder"] == exported["ladder"] and back["sessions"] == exported["sessions"]
    log_file = tmp_path / "elsewhere" / "data" / "practice.db"
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    # Twice: nothing added twice.
    twice = ground("log", "--import", str(target), env=fresh)
    assert "2 were already here" in twice.stdout
    # A broken file: exit 2, file and line named, nothing changed.
    broken = tmp_path / "broken.json"
    broken.write_text("{\n  oops\n}")
    bad = ground("log", "--import", str(broken))
    assert bad.returncode == 2
    assert f"{broken}:2: not valid JSON" in bad.stderr
