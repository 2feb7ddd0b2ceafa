"""The real ``ground`` command in a subprocess: exit codes, one-line errors, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli import ground
from tests.helpers.paths import DATA, REPO

pytestmark = pytest.mark.slow


def test_list_shows_at_least_twelve_scripts() -> None:
    done = ground("list", "--json")
    assert done.returncode == 0
    data = json.loads(done.stdout)
    ids = {s["id"] for s in data["scripts"]}
    assert len(ids) >= 12
    assert {"now", "box", "resonance", "daily-sigh"} <= ids
    assert {s["category"] for s in data["scripts"]} == {"breathe", "ground", "move", "social"}


def test_broken_user_script_is_listed_with_its_line(ground_home: Path) -> None:
    scripts = ground_home / "config" / "scripts"
    scripts.mkdir(parents=True)
    (scripts / "broken.toml").write_text((DATA / "broken.toml").read_text())
    (scripts / "mine.toml").write_text(
        (DATA / "short.toml").read_text().replace('"short"', '"mine"')
    )
    (scripts / "box.toml").write_text((DATA / "short.toml").read_text().replace('"short"', '"box"'))
    done = ground("list")
    assert done.returncode == 0
    assert "mine" in done.stdout and "(yours)" in done.stdout
    assert f"{scripts / 'broken.toml'}:9:" in done.stdout
    assert "id 'box' is already used by a shipped script" in done.stdout
    listed = json.loads(ground("list", "--json").stdout)
    box = next(s for s in listed["scripts"] if s["id"] == "box")
    assert box["shipped"] is True  # the user's file overrode nothing


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("play", "no-such-script", "--no-audio"), "unknown script 'no-such-script'"),
        (("play", str(DATA / "broken.toml"), "--no-audio"), f"{DATA / 'broken.toml'}:9:"),
        (("play", "/nonexistent/x.toml", "--no-audio"), "/nonexistent/x.toml: no such file"),
        (("play", "box", "--minutes", "banana"), "'banana' is not a number of minutes"),
        (("play", "box", "--pace", "3"), "pace must be between"),
        (("play", "five-senses", "--minutes", "5", "--no-audio"), "has a fixed length"),
        (
            ("play", "box", "--engine", "espeak", "--voice", "klingon-xx", "--no-audio"),
            "unknown voice 'klingon-xx'",
        ),
        (
            ("play", "box", "--device", "no-such-device", "--engine", "none"),
            "no output device matches",
        ),
        (("render", "box", "-o", "/nonexistent/dir/out.wav", "--engine", "none"), "does not exist"),
        (("frobnicate",), "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(args: tuple[str, ...], message: str) -> None:
    done = ground(*args)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr


def test_check_flags_a_broken_file_with_its_line() -> None:
    done = ground("check", str(DATA / "broken.toml"), str(DATA / "short.toml"))
    assert done.returncode == 2
    assert f"{DATA / 'broken.toml'}:9: 'exhale' must be a number" in done.stdout
    assert f"{DATA / 'short.toml'}: ok" in done.stdout


def test_check_passes_every_shipped_script() -> None:
    done = ground("check", str(REPO / "scripts"))
    assert done.returncode == 0, done.stdout
    assert done.stdout.count(": ok") >= 12
    assert "warning" not in done.stdout


def test_play_without_audio_completes_with_captions() -> None:
    done = ground("play", str(DATA / "short.toml"), "--no-audio")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "  Hello, this is a test." in lines
    assert "  Finished." in lines
    assert any("breathe in" in line for line in lines)
    assert lines[-1].startswith("Done.")  # no debugging line after it when piped
    counted = ground(
        "play", str(DATA / "short.toml"), "--no-audio", env={"GROUND_REPORT_UNDERRUNS": "1"}
    )
    assert counted.stdout.splitlines()[-1] == "underruns: 0"  # for the benchmarks


def test_without_a_sound_device_it_says_so_once_and_carries_on() -> None:
    done = ground("play", str(DATA / "short.toml"), "--engine", "none")
    assert done.returncode == 0, done.stderr
    notice = [
        line
        for line in done.stdout.splitlines() + done.stderr.splitlines()
        if "no sound" in line.lower()
    ]
    assert len(notice) == 1, done.stdout + done.stderr
    assert "Done." in done.stdout


def test_version_and_help() -> None:
    assert ground("--version").stdout.startswith("ground ")
    help_text = ground("--help").stdout
    for command in ("now", "list", "play", "render", "check", "doctor"):
        assert command in help_text


def test_doctor_explains_this_machine() -> None:
    done = ground("doctor")
    assert done.returncode == 0
    for heading in ("Files", "Sound", "Speech"):
        assert heading in done.stdout
    assert "espeak" in done.stdout


def test_listed_lengths_are_the_lengths_played(tmp_path: Path) -> None:
    """ "Right now" is listed with the length its session really has, not its nominal minute."""
    from assistant.core.model import length_text

    listed = {
        line.split()[0]: line.split()[1]
        for line in ground("list").stdout.splitlines()
        if line.startswith("  ")
    }
    for script_id in ("now", "box"):
        out = tmp_path / f"{script_id}.json"
        done = ground(
            "render", script_id, "-o", str(tmp_path / "x.wav"), "--timeline", str(out),
            "--engine", "none",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        timeline = json.loads(out.read_text())
        played = timeline["total_frames"] / timeline["sample_rate"]
        assert listed[script_id] == length_text(played), script_id
    assert listed["now"] != "1:00"  # about 80 s; the old listing said "1 min"
