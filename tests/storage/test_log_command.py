"""``ground log``: what a person reads about their practice, and its JSON form."""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
from datetime import datetime, timedelta

import pytest

from assistant.cli.log_command import EMPTY_MESSAGE, header, log_command
from assistant.storage.log import PracticeLog, log_file
from tests.helpers.practice_log import fill

pytestmark = pytest.mark.slow

# Words that turn a record of showing up into a scorecard.
UNKIND = ("streak", "missed", "failed", "should")


def run(
    capsys: pytest.CaptureFixture[str], *, as_json: bool = False, limit: int | None = None
) -> tuple[int, str, str]:
    code = log_command(argparse.Namespace(json=as_json, limit=limit))
    out, err = capsys.readouterr()
    for word in UNKIND:
        assert word not in (out + err).lower(), word
    return code, out, err


def test_an_empty_log_is_a_kind_invitation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys)
    assert code == 0 and err == ""
    assert out.strip() == EMPTY_MESSAGE
    assert "ground now" in out
    assert not log_file().exists()  # looking does not create a log
    PracticeLog.open().close()
    assert run(capsys)[1].strip() == EMPTY_MESSAGE


def test_an_empty_log_as_json_is_an_empty_array(capsys: pytest.CaptureFixture[str]) -> None:
    assert json.loads(run(capsys, as_json=True)[1]) == []
    PracticeLog.open().close()
    assert json.loads(run(capsys, as_json=True)[1]) == []


def test_sessions_newest_first_with_a_celebrating_header(
    capsys: pytest.CaptureFixture[str],
) -> None:
    fill()
    code, out, err = run(capsys)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "You practised on 3 days in the last 4 weeks."
    assert lines[1] == ""
    sessions = lines[2:]
    assert len(sessions) == 5
    sigh, early, again, first, old = sessions
    assert "Physiological sigh" in sigh and sigh.endswith("(interrupted)")
    assert "Five senses" in early and "1:15" in early and "(stopped early)" in early
    assert "breath" not in early  # a grounding script guided no breaths: say nothing
    assert "1:01" in again and "1 breath " in again + " " and "1 breaths" not in again
    assert "4:00" in first and "16 breaths" in first and "tension 6 → 3" in first
    assert first.endswith('"before the meeting"')  # one line, whatever the note held
    assert "stopped" not in first and "tension" not in old
    local = datetime.now() - timedelta(days=3)
    assert first.startswith(local.strftime("%a %Y-%m-%d 12:00"))
    # titles are padded to one width, so the times practised line up
    times = [re.search(r" (\d+:\d\d)(  |$)", line[20:]) for line in (early, again, first, old)]
    assert len({match.end(1) for match in times if match}) == 1 and all(times)


def test_limit_shows_the_newest(capsys: pytest.CaptureFixture[str]) -> None:
    fill()
    _, out, _ = run(capsys, limit=2)
    sessions = out.splitlines()[2:]
    assert len(sessions) == 2
    assert "Physiological sigh" in sessions[0] and "Five senses" in sessions[1]
    assert out.splitlines()[0] == "You practised on 3 days in the last 4 weeks."


def test_only_old_sessions_are_welcomed_back(capsys: pytest.CaptureFixture[str]) -> None:
    with PracticeLog.open() as log:
        old = log.start_session(
            "box", "Box breathing", 240, now=datetime.now() - timedelta(days=90)
        )
        log.finish_session(old, 240, 16, True)
    _, out, _ = run(capsys)
    assert out.startswith("Welcome back.")
    assert "0 days" not in out


def test_header_wording() -> None:
    assert header(1) == "You practised on 1 day in the last 4 weeks."
    assert header(12) == "You practised on 12 days in the last 4 weeks."
    for days in range(30):
        assert not any(word in header(days).lower() for word in UNKIND)


def test_json_lists_every_session(capsys: pytest.CaptureFixture[str]) -> None:
    ids = fill()
    code, out, err = run(capsys, as_json=True)
    assert code == 0 and err == ""
    data = json.loads(out)
    assert [item["id"] for item in data] == [ids[4], ids[2], ids[3], ids[1], ids[0]]
    assert [item["outcome"] for item in data] == [
        "interrupted",
        "stopped_early",
        "stopped_early",
        "completed",
        "completed",
    ]
    assert data[3]["note"] == "before the\nmeeting"  # JSON keeps the person's words as written
    assert len(json.loads(run(capsys, as_json=True, limit=1)[1])) == 1


def test_a_damaged_log_is_set_aside_and_said_so_on_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    log_file().parent.mkdir(parents=True)
    log_file().write_bytes(b"\x00garbage" * 64)
    code, out, err = run(capsys, as_json=True)
    assert code == 0
    assert json.loads(out) == []  # stdout stays valid JSON
    assert err.startswith("ground: ") and "broken-" in err and len(err.splitlines()) == 1


def test_a_newer_log_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    PracticeLog.open().close()
    db = sqlite3.connect(log_file())
    db.execute("INSERT INTO _migrations VALUES ('m999_future', '2030-01-01T00:00:00+00:00')")
    db.commit()
    db.close()
    code, out, err = run(capsys)
    assert code == 2 and out == ""
    assert err.startswith("ground: ") and "update ground" in err
    assert len(err.splitlines()) == 1


def test_a_long_log_shows_its_newest_page_and_how_to_see_more(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import assistant.cli.log_command as log_module

    ids = fill()
    monkeypatch.setattr(log_module, "PAGE", 3)
    code, out, _ = run(capsys)
    lines = out.splitlines()
    assert code == 0
    assert len([line for line in lines if "Box breathing" in line or "sigh" in line.lower()]) == 2
    assert "Physiological sigh" in lines[2] and "Five senses" in lines[3]
    assert lines[-2:] == [
        "These are your latest 3 of 5 sessions.",
        "`ground log --all` shows every one; `ground log --limit N` the latest N.",
    ]
    # --all shows every one without the line; --json is every session whatever the page.
    code = log_command(argparse.Namespace(json=False, limit=None, all=True))
    everything = capsys.readouterr().out
    assert code == 0 and "latest" not in everything
    assert len(everything.splitlines()) == 2 + len(ids)
    assert len(json.loads(run(capsys, as_json=True)[1])) == len(ids)


def test_a_log_that_fits_one_page_has_no_more_line(capsys: pytest.CaptureFixture[str]) -> None:
    fill()
    _, out, _ = run(capsys)
    assert "ground log --all" not in out
    assert len(out.splitlines()) == 2 + 5
