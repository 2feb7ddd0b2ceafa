"""The ladder's logic: hints, the next-step suggestion, small wins and the spoken step name."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from assistant.core.ladder import (
    Attempt,
    LadderStep,
    as_action,
    big_gaps,
    check_suds,
    check_title,
    personalise,
    ready_for_next,
    small_wins,
    sorted_by_rating,
    suggestion,
)
from assistant.core.library import shipped_script
from assistant.core.model import Say

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def step(ident: int, suds: int, title: str | None = None, *, archived: bool = False) -> LadderStep:
    return LadderStep(ident, title or f"step {ident}", suds, (), ident, archived, T0)


def attempt(
    step_id: int, day: int, *, before: int = 50, peak: int | None = None, after: int | None = None
) -> Attempt:
    return Attempt(day, step_id, T0 + timedelta(days=day), before, peak, after)


def test_big_gaps_are_found_between_neighbours_by_rating() -> None:
    steps = [step(1, 60), step(2, 20), step(3, 30), step(4, 90, archived=True)]
    gaps = big_gaps(steps)
    assert [(g.lower.id, g.upper.id, g.size) for g in gaps] == [(3, 1, 30)]
    assert "a step in between may help" in gaps[0].hint()
    assert big_gaps([step(1, 20), step(2, 35)]) == []  # 15 is not "more than 15"


def test_sorted_by_rating_ignores_put_away_steps() -> None:
    assert sorted_by_rating([step(1, 20), step(2, 40)])
    assert not sorted_by_rating([step(1, 40), step(2, 20)])
    assert sorted_by_rating([step(1, 20), step(2, 10, archived=True), step(3, 40)])


def test_the_next_step_is_suggested_after_two_low_tries() -> None:
    steps = [step(1, 40, "say hello"), step(2, 55, "ask a question")]
    low = [attempt(1, 1, peak=25), attempt(1, 2, after=20)]
    assert ready_for_next(steps[0], low)
    hint = suggestion(steps, steps[0], low)
    assert hint is not None and "ask a question" in hint
    # One low try is not enough; a high one in between resets it.
    assert not ready_for_next(steps[0], low[:1])
    assert not ready_for_next(steps[0], [low[0], attempt(1, 3, peak=45)])
    # "Low" is relative too: half of a high prediction counts.
    hard = step(3, 90)
    assert ready_for_next(hard, [attempt(3, 1, peak=45), attempt(3, 2, peak=40)])
    # At the top of the ladder, just a kind word.
    top = suggestion(steps, steps[1], [attempt(2, 1, peak=10), attempt(2, 2, peak=10)])
    assert top is not None and "next step" not in top


def test_suds_and_titles_are_checked() -> None:
    check_suds(0)
    check_suds(100)
    check_suds(None)
    for bad in (-1, 101, True, 5.5):
        with pytest.raises(ValueError, match="0 to 100"):
            check_suds(bad)
    assert check_title("  say   hello ") == "say hello"
    with pytest.raises(ValueError):
        check_title("   ")


@pytest.mark.parametrize(
    ("title", "spoken"),
    [
        ("Say hello to a neighbour", "say hello to a neighbour"),
        ("ask a question.", "ask a question"),
        ("IT helpdesk call", "IT helpdesk call"),
        ("I go to the party", "I go to the party"),
    ],
)
def test_as_action(title: str, spoken: str) -> None:
    assert as_action(title) == spoken


def test_get_ready_speaks_the_step_in_the_intention() -> None:
    script = shipped_script("before-social")
    ready = personalise(script, "Say hello to a neighbour")
    said = [s.text for s in ready.steps if isinstance(s, Say)]
    line = (
        "In a moment, you'll say hello to a neighbour. "
        "Picture it through your own eyes: the place, and the people there."
    )
    assert said.count(line) == 1
    assert len(ready.steps) == len(script.steps)  # it replaces the generic intention
    assert not any(t.startswith("Choose one small thing") for t in said)


def test_get_ready_with_a_script_without_an_intention_adds_the_line() -> None:
    script = shipped_script("now")
    ready = personalise(script, "phone the GP")
    said = [s.text for s in ready.steps if isinstance(s, Say)]
    assert said[1].startswith("In a moment you will phone the GP.")
    assert len(ready.steps) == len(script.steps) + 1


def test_small_wins_are_warm_and_never_count_what_was_missed() -> None:
    steps = [step(1, 60, "say hello"), step(2, 80, "ask a question")]
    attempts = [
        attempt(1, 1, peak=60),
        attempt(1, 5, peak=40),
        attempt(1, 9, peak=25),  # half of the first (60)
        attempt(2, 10, peak=50),  # better than predicted (80)
    ]
    wins = small_wins(steps, attempts, days_this_month=3, today=date(2026, 11, 20))
    texts = [w.text for w in wins]
    assert texts[0] == "You practised on 3 days this month. Showing up is the practice."
    assert "First time you tried “say hello”. That took courage." in texts
    assert "First time you tried “ask a question”. That took courage." in texts
    assert "“say hello” felt half as hard as the first time (60 → 25)." in texts
    assert any("went better than you expected (50 where you predicted 80)" in t for t in texts)
    assert [w.day for w in wins] == sorted((w.day for w in wins), reverse=True)
    words = " ".join(texts).lower()
    for unkind in ("streak", "missed", "failed", "should"):
        assert unkind not in words
    assert small_wins([], [], days_this_month=0, today=date(2026, 11, 20)) == []
