"""Exports and imports: every imported field checked (exit 2 naming it), a bad row that got in
another way never breaks reading the log, and an export never replaces a device or symlink."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.cli import ground

GOOD_SESSION = {
    "started_at": "2026-03-01T10:00:00+00:00",
    "ended_at": "2026-03-01T10:05:00+00:00",
    "script_id": "box",
    "script_title": "Box breathing",
    "planned_seconds": 300.0,
    "practised_seconds": 300.0,
    "breaths": 20,
    "completed": True,
    "tension_before": 6,
    "tension_after": 3,
    "note": "fine",
}
GOOD_STEP = {
    "id": 1,
    "title": "say hello",
    "predicted_suds": 20,
    "safety_behaviours": [],
    "position": 0,
    "archived": False,
    "created_at": "2026-03-01T09:00:00+00:00",
}


def export_file(
    tmp_path: Path, session: dict[str, Any] | None = None, step: dict[str, Any] | None = None
) -> Path:
    data = {
        "format": "ground-export",
        "version": 1,
        "exported_at": "2026-03-02T00:00:00+00:00",
        "sessions": [session or GOOD_SESSION],
        "ladder": {"steps": [step or GOOD_STEP], "attempts": []},
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data, allow_nan=True).replace("1e999", "1e400"))
    return path


BAD_SESSION_FIELDS = [
    ("practised_seconds", 1e999, "practised_seconds"),  # written as 1e400: inf
    ("practised_seconds", float("nan"), "practised_seconds"),
    ("planned_seconds", float("-inf"), "planned_seconds"),
    ("breaths", 2**63, "breaths"),
    ("breaths", 2.5, "breaths"),
    ("breaths", True, "breaths"),
    ("breaths", "20", "breaths"),
    ("planned_seconds", "300", "planned_seconds"),
    ("completed", "no", "completed"),
    ("completed", 1, "completed"),
    ("ended_at", "2026-03-01T09:00:00+00:00", "ended_at"),  # before it started
    ("started_at", "0001-01-01T00:00:00+00:00", "started_at"),
    ("started_at", "9999-12-31T23:00:00+00:00", "started_at"),
    ("tension_before", 11, "tension_before"),
    ("script_title", "x" * 5000, "script_title"),
    ("note", ["nested"], "note"),
]


@pytest.mark.parametrize(
    ("field", "value", "named"),
    BAD_SESSION_FIELDS,
    ids=[f"{f}={str(v)[:12]}" for f, v, _ in BAD_SESSION_FIELDS],
)
def test_a_bad_imported_field_is_refused_naming_it(
    tmp_path: Path, field: str, value: Any, named: str
) -> None:
    path = export_file(tmp_path, {**GOOD_SESSION, field: value})
    done = ground("log", "--import", str(path))
    assert done.returncode == 2, (field, value, done.stdout, done.stderr)
    assert f"sessions[0].{named}" in done.stderr
    assert "nothing was imported" in done.stderr
    assert done.stderr.count("\n") == 1
    assert ground("log").returncode == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("predicted_suds", 2**63), ("position", 1e400), ("archived", "no"), ("id", True)],
)
def test_a_bad_imported_step_is_refused(tmp_path: Path, field: str, value: Any) -> None:
    path = export_file(tmp_path, step={**GOOD_STEP, field: value})
    done = ground("log", "--import", str(path))
    assert done.returncode == 2, (field, done.stderr)
    assert f"ladder.steps[0].{field}" in done.stderr


def test_deep_nesting_and_fifos_are_refused(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    done = ground("log", "--import", str(deep))
    assert done.returncode == 2 and "too deeply" in done.stderr, done.stderr
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    done = ground("log", "--import", str(fifo), timeout=20)
    assert done.returncode == 2 and "not a regular file" in done.stderr


def test_escape_bytes_in_an_imported_ladder_are_text(tmp_path: Path) -> None:
    path = export_file(
        tmp_path,
        {**GOOD_SESSION, "script_title": "Box\x1b]2;pwned\x07", "note": "a\x1b[2Jb"},
        {**GOOD_STEP, "title": "hello\x1b[2J\x1b]2;pwned\x07", "safety_behaviours": ["\x1b[31m"]},
    )
    assert ground("log", "--import", str(path)).returncode == 0
    for command in (("ladder", "list"), ("log",), ("ladder", "list", "--json")):
        done = ground(*command)
        assert done.returncode == 0, done.stderr
        assert "\x1b" not in done.stdout and "\x07" not in done.stdout, command


def test_a_bad_row_that_got_in_another_way_never_breaks_reading(
    tmp_path: Path, ground_home: Path
) -> None:
    path = export_file(tmp_path)
    assert ground("log", "--import", str(path)).returncode == 0
    with sqlite3.connect(ground_home / "data" / "practice.db") as db:
        db.execute(
            "UPDATE sessions SET practised_seconds = 9e999, planned_seconds = 'x',"
            " breaths = 1e300, note = 'n\x1b[2J'"
        )
    for command in (("log",), ("log", "--json")):
        done = ground(*command)
        assert done.returncode == 0, done.stderr
        assert "\x1b" not in done.stdout
    json.loads(ground("log", "--json").stdout)  # still valid JSON: no Infinity


@pytest.mark.parametrize("limit", ["1e23", "1" + "0" * 23, "9223372036854775808"])
def test_log_limit_that_is_not_a_small_whole_number_is_exit_2(limit: str) -> None:
    done = ground("log", "--limit", limit)
    assert done.returncode == 2, done.stderr
    assert "whole number" in done.stderr or "too large" in done.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can replace /dev/stdout's node")
def test_export_to_a_device_is_refused_and_leaves_it_a_device(tmp_path: Path) -> None:
    assert ground("ladder", "add", "say hello", "--suds", "20").returncode == 0
    device = tmp_path / "null"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    done = ground("log", "--export", str(device))
    assert done.returncode == 2
    assert "device or special file" in done.stderr
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_export_to_dev_stdout_and_symlinks(tmp_path: Path) -> None:
    """Not the real /dev/stdout: before the fix, as root, this replaced the machine's own."""
    assert ground("ladder", "add", "say hello", "--suds", "20").returncode == 0
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")  # what /dev/stdout is
    done = ground("log", "--export", str(stdout))
    assert done.returncode == 2 and "--export -" in done.stderr
    assert stdout.is_symlink()
    victim = tmp_path / "victim"
    victim.write_text("precious")
    (tmp_path / "link.json").symlink_to(victim)
    done = ground("log", "--export", str(tmp_path / "link.json"))
    assert done.returncode == 2 and "symbolic link" in done.stderr
    assert victim.read_text() == "precious"
    done = ground("log", "--export", "-")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["format"] == "ground-export"


def hostile_export(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hostile.json"
    path.write_text(text)
    return path


def test_a_5000_digit_breaths_is_refused_naming_it(tmp_path: Path) -> None:
    good = json.dumps({"format": "ground-export", "version": 1, "sessions": [GOOD_SESSION]})
    text = good.replace('"breaths": 20', '"breaths": ' + "9" * 5000)
    text = text[:-1] + ', "ladder": {"steps": [], "attempts": []}}'
    done = ground("log", "--import", str(hostile_export(tmp_path, text)))
    # before: Python's 4,300-digit limit raised out of json.loads, "something went wrong"
    assert done.returncode == 2, done.stderr
    assert "sessions[0].breaths: a 5000-digit number is not a whole number" in done.stderr
    assert done.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"attempts": [{"step_id": [1], "attempted_at": "2026-03-01T09:30:00+00:00"}]}, "step_id"),
        ({"attempts": [{"step_id": {"a": 1}, "attempted_at": "2026-03-01T09:30:00"}]}, "step_id"),
        ({"steps": [GOOD_STEP, {**GOOD_STEP, "title": "other"}]}, "ladder.steps[1].id"),
    ],
    ids=["step_id a list", "step_id an object", "two steps, one id"],
)
def test_a_hostile_ladder_is_refused_naming_the_field(
    tmp_path: Path, change: dict[str, Any], named: str
) -> None:
    data = json.loads(export_file(tmp_path).read_text())
    data["ladder"].update(change)
    done = ground("log", "--import", str(hostile_export(tmp_path, json.dumps(data))))
    assert done.returncode == 2, done.stderr  # before: exit 1 (unhashable), or quietly merged
    assert named in done.stderr and "nothing was imported" in done.stderr
    assert done.stderr.count("\n") == 1
    assert "Box breathing" not in ground("log").stdout  # nothing of the file got in


def test_a_session_without_planned_seconds_is_refused_naming_it(tmp_path: Path) -> None:
    session = {k: v for k, v in GOOD_SESSION.items() if k != "planned_seconds"}
    done = ground("log", "--import", str(export_file(tmp_path, session)))
    assert done.returncode == 2, done.stderr  # before: KeyError, "something went wrong"
    assert "sessions[0].planned_seconds: missing; nothing was imported" in done.stderr
    assert done.stderr.count("\n") == 1


@pytest.mark.parametrize("version", ["true", "1.0", '"1"', "null"])
def test_a_version_that_is_not_a_number_is_refused(tmp_path: Path, version: str) -> None:
    text = export_file(tmp_path).read_text().replace('"version": 1', f'"version": {version}')
    done = ground("log", "--import", str(hostile_export(tmp_path, text)))
    assert done.returncode == 2, done.stderr  # before: true == 1, imported quietly
    assert ": version: " in done.stderr and "not a version number" in done.stderr
    assert done.stderr.count("\n") == 1
    assert "Box breathing" not in ground("log").stdout
