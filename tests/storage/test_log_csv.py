"""``ground log --csv``: the sessions for a spreadsheet, on stdout or in a user-only file."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest

from assistant.cli.log_command import log_command
from assistant.storage.csv_log import COLUMNS, CsvError, write_private
from assistant.storage.log import PracticeLog, log_file
from tests.helpers.practice_log import fill


def run(capsys: pytest.CaptureFixture[str], **options: object) -> tuple[int, str, str]:
    args = {"json": False, "limit": None, "csv": "-", "export": None, "import_file": None}
    args.update(options)
    code = log_command(argparse.Namespace(**args))
    out, err = capsys.readouterr()
    return code, out, err


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_has_the_json_fields_row_for_row(capsys: pytest.CaptureFixture[str]) -> None:
    fill()
    code, out, err = run(capsys)
    assert code == 0 and err == ""
    assert out.splitlines()[0] == ",".join(COLUMNS)
    code, as_json, _ = run(capsys, csv=None, json=True)
    sessions = json.loads(as_json)
    table = rows(out)
    assert [int(r["id"]) for r in table] == [s["id"] for s in sessions]
    first = table[[s["note"] for s in sessions].index("before the\nmeeting")]
    assert first["note"] == "before the\nmeeting"  # quoted, newline kept, one row
    assert (first["tension_before"], first["tension_after"]) == ("6", "3")
    assert first["completed"] == "true"
    unfinished = next(r for r in table if r["script_id"] == "sigh")
    assert unfinished["ended_at"] == "" and unfinished["tension_before"] == ""


def test_limit_applies(capsys: pytest.CaptureFixture[str]) -> None:
    fill()
    _, out, _ = run(capsys, limit=2)
    assert len(rows(out)) == 2


def test_a_note_that_looks_like_a_formula_stays_text(capsys: pytest.CaptureFixture[str]) -> None:
    with PracticeLog.open() as log:
        one = log.start_session("box", "=HYPERLINK(1)", 60)
        log.finish_session(one, 60, 4, True, note="=1+1")
        two = log.start_session("box", "Box", 60)
        log.finish_session(two, 60, 4, True, note="-- fine")
    _, out, _ = run(capsys)
    notes = {r["script_title"]: r["note"] for r in rows(out)}
    assert notes == {"'=HYPERLINK(1)": "'=1+1", "Box": "'-- fine"}


def test_empty_log_is_a_header_and_creates_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == 0
    assert out.splitlines() == [",".join(COLUMNS)]
    assert not log_file().exists()


def test_to_a_file_only_you_can_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fill()
    target = tmp_path / "mine.csv"
    old = os.umask(0o022)
    try:
        code, out, err = run(capsys, csv=str(target))
    finally:
        os.umask(old)
    assert code == 0 and err == ""
    assert out.strip() == f"Wrote 5 sessions to {target} (readable only by you)."
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert len(rows(target.read_text(encoding="utf-8"))) == 5
    assert [p.name for p in tmp_path.iterdir()] == ["mine.csv"]


def test_a_symlink_at_the_target_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep me")
    link = tmp_path / "out.csv"
    link.symlink_to(elsewhere)
    with pytest.raises(CsvError, match="is a symbolic link"):
        write_private(link, "a,b\r\n")
    assert elsewhere.read_text() == "keep me"
    assert link.is_symlink() and link.readlink() == elsewhere
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere.txt", "out.csv"]


def test_missing_folder_and_json_together_are_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, csv=str(tmp_path / "no" / "x.csv"))
    assert code == 2
    assert (
        err.strip()
        == f"ground: {tmp_path / 'no' / 'x.csv'}: folder {tmp_path / 'no'} does not exist"
    )
    code, _, err = run(capsys, json=True)
    assert code == 2
    assert err.strip() == "ground: --csv and --json do not go together; pick one"
    with pytest.raises(CsvError, match="is a folder"):
        write_private(tmp_path, "x")


def test_seconds_are_given_to_a_tenth(capsys: pytest.CaptureFixture[str]) -> None:
    """No float noise such as 21.466666666666665 in a spreadsheet: a tenth of a second."""
    with PracticeLog.open() as log:
        one = log.start_session("box", "Box", 21.466666666666665)
        log.finish_session(one, 20.04999, 4, True)
        two = log.start_session("now", "Right now", 80)
    _, out, _ = run(capsys)
    seconds = {r["script_id"]: (r["planned_seconds"], r["practised_seconds"]) for r in rows(out)}
    assert seconds["box"] == ("21.5", "20.0")
    assert seconds["now"][0] == "80.0"
    assert two
