"""`ground ladder rehearse` and `ground ladder ready`, in process on a fake clock: the step's
name and one of its safety behaviours spoken, the ratings asked and kept as a rehearsal (never
as a try)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from assistant.cli import before
from assistant.cli.main import main
from assistant.core.clock import FakeClock
from assistant.session import Practice
from assistant.storage.ladder import Ladder
from assistant.storage.log import PracticeLog


@pytest.fixture(autouse=True)
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every session plays at once: a silent player on a clock that moves when waited on."""
    start = Practice.start.__func__

    def started(cls: type[Practice], *args: Any, **kwargs: Any) -> Practice:
        return start(cls, *args, clock=FakeClock(), **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(Practice, "start", classmethod(started))


@pytest.fixture
def step() -> None:
    assert main(["ladder", "add", "Say hello to a neighbour", "--suds", "40"]) == 0
    with PracticeLog.open() as log:
        ladder = Ladder(log)
        ladder.update(ladder.steps()[0].id, safety_behaviours=["looking at my phone", "notes"])


def answers(monkeypatch: pytest.MonkeyPatch, *typed: str) -> list[str]:
    """A person at a terminal typing ``typed``, one line per question; returns the prompts."""
    monkeypatch.setattr(before, "can_ask", lambda: True)
    lines: Iterator[str] = iter(typed)
    prompts: list[str] = []

    def typing(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(lines)

    monkeypatch.setattr("builtins.input", typing)
    return prompts


SESSION = ["--no-audio", "--engine", "none"]


@pytest.mark.usefixtures("step")
def test_rehearse_names_the_step_and_one_behaviour_and_keeps_the_ratings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prompts = answers(monkeypatch, "70", "x", "45")
    assert main(["ladder", "rehearse", "1", *SESSION]) == 0
    out = capsys.readouterr().out
    assert out.index("how anxious do you feel right now?") < out.index("Imagining a hard moment")
    assert "The step you're practising: say hello to a neighbour." in out
    assert "You noted something you'd like to drop: looking at my phone." in out
    assert "notes" not in out.split("Imagining", 1)[1]  # one behaviour, the first listed
    assert "A whole number from 0 to 100" in out  # "x" was asked again, kindly
    assert len(prompts) == 3
    assert "A little lower than before. Rehearsing can take the edge off." in out
    assert "as a rehearsal, not a try" in out
    with PracticeLog.open() as log:
        ladder = Ladder(log)
        (rehearsal,) = ladder.rehearsals()
        assert (rehearsal.suds_before, rehearsal.suds_after) == (70, 45)
        assert ladder.attempts() == []  # never counted as a try
        (entry,) = log.entries()
        assert entry.script_title == "Rehearse: Say hello to a neighbour"
    assert main(["ladder", "list"]) == 0
    assert "not tried yet; rehearsed once" in capsys.readouterr().out
    assert main(["ladder", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["steps"][0]
    assert listed["attempts"] == []
    assert [(r["suds_before"], r["suds_after"]) for r in listed["rehearsals"]] == [(70, 45)]


@pytest.mark.usefixtures("step")
def test_a_rating_that_did_not_go_down_gets_no_comment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers(monkeypatch, "30", "")
    assert main(["ladder", "rehearse", "say hello", *SESSION]) == 0
    out = capsys.readouterr().out
    assert "lower" not in out and "fail" not in out.lower()
    with PracticeLog.open() as log:
        (rehearsal,) = Ladder(log).rehearsals()
    assert (rehearsal.suds_before, rehearsal.suds_after) == (30, None)


@pytest.mark.usefixtures("step")
def test_without_a_terminal_nothing_is_asked_and_the_rehearsal_is_kept(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def never(prompt: str = "") -> str:
        raise AssertionError("asked without a terminal")

    monkeypatch.setattr("builtins.input", never)
    assert main(["ladder", "rehearse", "1", *SESSION]) == 0
    with PracticeLog.open() as log:
        (rehearsal,) = Ladder(log).rehearsals()
    assert (rehearsal.suds_before, rehearsal.suds_after) == (None, None)


@pytest.mark.usefixtures("step")
def test_get_ready_names_a_safety_behaviour_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ladder", "ready", "1", *SESSION]) == 0
    out = capsys.readouterr().out
    assert out.startswith("If you feel dizzy")  # before-social's safety note comes first
    assert "In a moment, you'll say hello to a neighbour." in out
    assert "looking at my phone" in out


def test_rehearsing_a_step_that_is_not_there_is_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["ladder", "rehearse", "7", *SESSION]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ground: there is no step 7 on your ladder")
    assert len(err.strip().splitlines()) == 1
