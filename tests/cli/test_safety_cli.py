"""The real `ground` in a subprocess, for what keeps a listener safe (#19): holds chosen, never
defaulted; the safety note before a session; `ground panic`, `ground help`, `ground contacts`,
`ground holds`; contacts carried by an export and restored by an import."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant.core.support import HOLDS_UNCHOSEN, MAX_CONTACTS
from tests.helpers.cli import ground

pytestmark = pytest.mark.slow

BOX_NOTE = "This pattern holds the breath twice in each round."


def first_lines(*args: str, until: str = "  ") -> list[str]:
    """Start `ground ARGS` with no terminal, read its lines up to the first caption (a line
    starting with ``until``), then stop it (Ctrl-C)."""
    env = dict(os.environ, PULSE_SERVER="unix:/nonexistent/pulse")
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    lines: list[str] = []
    while not lines or not lines[-1].startswith(until):
        line = process.stdout.readline()
        assert line, f"ended before a caption: {lines}"
        lines.append(line.rstrip("\n"))
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert "Traceback" not in err
    return lines


def rendered(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """`ground render box ARGS`, and the breathing phases its timeline holds."""
    timeline = tmp_path / "box.json"
    done = ground(
        "render", "box", "-o", str(tmp_path / "box.wav"), "--timeline", str(timeline),
        "--engine", "none", "--minutes", "1", *args,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    events: list[dict[str, Any]] = json.loads(timeline.read_text())["events"]
    return done, {e["phase"] for e in events if e["kind"] == "phase"}


# -- holds --------------------------------------------------------------------------------------


def test_box_on_a_fresh_home_plays_no_hold_and_says_how_to_choose(
    ground_home: Path, tmp_path: Path
) -> None:
    lines = first_lines("play", "box", "--no-audio", "--engine", "none")
    assert lines[0] == HOLDS_UNCHOSEN  # one line, before anything plays
    assert lines[1].startswith(BOX_NOTE)  # box's safety note, before the session
    assert "hold" not in " ".join(lines[2:]).lower()  # the words without holds
    done, phases = rendered(tmp_path)
    assert phases == {"inhale", "exhale"}
    assert HOLDS_UNCHOSEN in done.stderr
    assert not (ground_home / "config" / "settings.toml").exists()  # nothing chosen for them


def test_holds_for_one_session_and_chosen_once(ground_home: Path, tmp_path: Path) -> None:
    done, phases = rendered(tmp_path, "--holds")
    assert {"hold", "hold_after_exhale"} <= phases
    assert "holds" not in done.stderr  # chosen on the line: nothing to say
    assert not (ground_home / "config" / "settings.toml").exists()  # for this session only
    shown = ground("holds")
    assert "not chosen yet" in shown.stdout and "pregnant" in shown.stdout
    assert ground("holds", "on").returncode == 0
    assert "holds = true" in (ground_home / "config" / "settings.toml").read_text()
    assert {"hold", "hold_after_exhale"} <= rendered(tmp_path)[1]
    assert rendered(tmp_path, "--no-holds")[1] == {"inhale", "exhale"}
    assert ground("holds", "off").returncode == 0
    assert "Breath holds: off." in ground("holds").stdout
    assert rendered(tmp_path)[1] == {"inhale", "exhale"}
    assert rendered(tmp_path, "--holds")[1] >= {"hold"}
    assert ground("holds", "ask").returncode == 0
    assert HOLDS_UNCHOSEN in rendered(tmp_path)[0].stderr


def test_holds_and_no_holds_do_not_go_together() -> None:
    done = ground("play", "box", "--holds", "--no-holds", "--no-audio")
    assert done.returncode == 2
    assert "not allowed with argument" in done.stderr.splitlines()[-1]


def test_an_old_no_holds_setting_still_means_off(ground_home: Path, tmp_path: Path) -> None:
    config = ground_home / "config"
    config.mkdir(parents=True)
    (config / "settings.toml").write_text("# asthma\nno_holds = true\n")
    done, phases = rendered(tmp_path)
    assert phases == {"inhale", "exhale"}
    assert "haven't chosen" not in done.stderr  # it was chosen, the old way
    assert "Breath holds: off." in ground("holds").stdout


# -- the safety note and the hard moment ----------------------------------------------------------


def test_panic_starts_at_once_with_one_line_of_safety() -> None:
    lines = first_lines("panic", "--no-audio")
    assert lines == [
        "New or chest symptoms? Seek medical care. You can stop at any time.",
        "  I'm here with you. This will pass.",
    ]


def test_now_has_one_line_of_safety_too() -> None:
    lines = first_lines("now", "--no-audio")
    assert lines[0] == "If you feel dizzy, make the breaths smaller. You can stop at any time."
    assert lines[1].startswith("  ")  # then the first spoken sentence


def test_the_panic_script_is_listed_first() -> None:
    listing = ground("list").stdout.strip().splitlines()
    assert listing[0] == "In a hard moment"
    assert listing[1].split()[0] == "panic"
    assert listing[2] == ""  # then the categories, as before
    ids = [s["id"] for s in json.loads(ground("list", "--json").stdout)["scripts"]]
    assert ids[0] == "panic"
    assert {"evening", "rehearse", "thirty-seconds"} <= set(ids)


@pytest.mark.parametrize("lang", ["es", "de"])
def test_the_panic_script_is_listed_first_in_every_language(lang: str) -> None:
    listing = ground("--lang", lang, "list").stdout.strip().splitlines()
    assert listing[1].split()[0] == "panic"
    scripts = json.loads(ground("list", "--json", "--lang", lang).stdout)["scripts"]
    assert (scripts[0]["id"], scripts[0]["lang"]) == ("panic", lang)


# -- where to get help ----------------------------------------------------------------------------


def test_help_says_where_to_get_help_and_shows_your_people() -> None:
    done = ground("help")
    assert done.returncode == 0
    for words in (
        "Where to get help",
        "seek medical care",
        "local emergency number",
        "findahelpline.com",
        "Your people",
        "No one added yet",
        "ground --help",
    ):
        assert words in done.stdout
    assert ground("contacts", "add", "Sam", "+44 7700 900123").returncode == 0
    assert ground("contacts", "add", "  Mum ", "0161 496 0000").returncode == 0
    shown = ground("help").stdout
    assert "Sam — +44 7700 900123" in shown and "Mum — 0161 496 0000" in shown
    assert "No one added yet" not in shown
    removed = ground("contacts", "remove", "sam")
    assert removed.returncode == 0 and "Removed Sam" in removed.stdout
    assert "Sam" not in ground("contacts").stdout
    # `ground help COMMAND` is that command's help, as `ground COMMAND --help` gives it.
    assert (
        ground("help", "ladder", "rehearse").stdout == ground("ladder", "rehearse", "--help").stdout
    )
    missing = ground("help", "dance")
    assert missing.returncode == 2
    assert (
        missing.stderr.strip() == "ground: there is no command 'dance'; `ground --help` lists them"
    )


@pytest.mark.parametrize(
    ("name", "number", "why"),
    [
        ("Sam\x1b[2J", "1", "control characters"),
        ("Sam", "1\u202e2", "control characters"),
        ("x" * 61, "1", "at most 60"),
        (" ", "1", "needs a name"),
    ],
)
def test_a_contact_is_plain_short_text(ground_home: Path, name: str, number: str, why: str) -> None:
    done = ground("contacts", "add", name, number)
    assert done.returncode == 2
    assert why in done.stderr and "\x1b" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (ground_home / "config" / "settings.toml").exists()


def test_contacts_are_kept_private_and_bounded(ground_home: Path) -> None:
    for n in range(MAX_CONTACTS):
        assert ground("contacts", "add", f"Person {n}", str(n)).returncode == 0
    path = ground_home / "config" / "settings.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    more = ground("contacts", "add", "One more", "99")
    assert more.returncode == 2 and "remove one first" in more.stderr
    assert ground("contacts", "remove", "Nobody").returncode == 2


def test_a_settings_file_ground_cannot_write_is_one_line(ground_home: Path, tmp_path: Path) -> None:
    config = ground_home / "config"
    config.mkdir(parents=True)
    (tmp_path / "elsewhere.toml").write_text("")
    (config / "settings.toml").symlink_to(tmp_path / "elsewhere.toml")
    done = ground("contacts", "add", "Sam", "1")
    assert done.returncode == 1
    assert "symbolic link" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert (tmp_path / "elsewhere.toml").read_text() == ""  # never written through the link


# -- export and import ----------------------------------------------------------------------------


def test_contacts_and_rehearsals_travel_with_an_export(tmp_path: Path) -> None:
    from assistant.storage.ladder import Ladder
    from assistant.storage.log import PracticeLog

    ground("contacts", "add", "Sam", "+44 7700 900123")
    ground("ladder", "add", "say hello", "--suds", "20")
    with PracticeLog.open() as log:  # a rehearsal, as the ladder keeps one
        ladder = Ladder(log)
        ladder.log_rehearsal(ladder.steps()[0].id, before=60, after=40)
    target = tmp_path / "mine.json"
    done = ground("log", "--export", str(target))
    assert done.returncode == 0, done.stderr
    assert "1 rehearsal and 1 contact" in done.stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    exported = json.loads(target.read_text())
    assert exported["contacts"] == [{"name": "Sam", "number": "+44 7700 900123"}]
    fresh = {"GROUND_HOME": str(tmp_path / "elsewhere")}
    ground("contacts", "add", "Mum", "0161 496 0000", env=fresh)
    imported = ground("log", "--import", str(target), env=fresh)
    assert imported.returncode == 0, imported.stderr
    assert "1 rehearsal and 1 contact" in imported.stdout
    people = ground("contacts", env=fresh).stdout
    assert "Mum — 0161 496 0000" in people and "Sam — +44 7700 900123" in people
    settings = tmp_path / "elsewhere" / "config" / "settings.toml"
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600
    again = tmp_path / "again.json"
    ground("log", "--export", str(again), env=fresh)
    back = json.loads(again.read_text())
    assert back["ladder"] == exported["ladder"]  # the rehearsal came back with its step
    twice = ground("log", "--import", str(target), env=fresh)
    assert "3 were already here" in twice.stdout  # the step, its rehearsal; Sam not again
    assert ground("contacts", env=fresh).stdout.count("Sam") == 1


def test_an_import_whose_contacts_cannot_be_kept_says_so(ground_home: Path, tmp_path: Path) -> None:
    ground("contacts", "add", "Sam", "1")
    target = tmp_path / "people.json"
    assert ground("log", "--export", str(target)).returncode == 0
    fresh = tmp_path / "elsewhere"
    (fresh / "config").mkdir(parents=True)
    (tmp_path / "real.toml").write_text("")
    (fresh / "config" / "settings.toml").symlink_to(tmp_path / "real.toml")
    done = ground("log", "--import", str(target), env={"GROUND_HOME": str(fresh)})
    assert done.returncode == 1
    assert "1 contact" not in done.stdout  # never claims what it did not do
    assert "the contacts were not added" in done.stderr and "symbolic link" in done.stderr
    assert (tmp_path / "real.toml").read_text() == ""


def test_contacts_alone_can_be_exported(ground_home: Path, tmp_path: Path) -> None:
    ground("contacts", "add", "Sam", "1")
    target = tmp_path / "people.json"
    done = ground("log", "--export", str(target))
    assert done.returncode == 0 and "1 contact" in done.stdout
    assert json.loads(target.read_text())["contacts"] == [{"name": "Sam", "number": "1"}]
    assert not (ground_home / "data" / "practice.db").exists()  # no log made to export


@pytest.mark.parametrize(
    ("contacts", "where"),
    [
        ([{"name": "Sam\u001b[31m", "number": "1"}], "contacts[0]"),
        ([{"name": "Sam"}], "contacts[0]"),
        ("Sam", "contacts"),
        ([{"name": f"P{n}", "number": str(n)} for n in range(MAX_CONTACTS + 1)], "contacts"),
    ],
)
def test_a_hostile_contact_in_an_import_changes_nothing(
    ground_home: Path, tmp_path: Path, contacts: Any, where: str
) -> None:
    data = {
        "format": "ground-export",
        "version": 1,
        "exported_at": "2026-03-02T00:00:00+00:00",
        "sessions": [],
        "ladder": {"steps": [], "attempts": []},
        "contacts": contacts,
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data))
    done = ground("log", "--import", str(path))
    assert done.returncode == 2
    assert f"{path}: {where}:" in done.stderr and "nothing was imported" in done.stderr
    assert "\x1b" not in done.stderr
    assert not (ground_home / "config" / "settings.toml").exists()
