"""The exposure ladder: small social steps, taken one at a time (graded exposure).

A person lists situations they avoid, rates how hard each feels (SUDS: subjective units of
distress, 0 none, 25 mild, 50 significant, 75 high, 100 the worst), and works up from the easier
ones. Before a step they ground themselves briefly; afterwards they note how it went, and that it
usually went better than they predicted. Everything here is advice and wording, never a rule:
the person orders their ladder as they like.

Pure data and logic (stdlib only); ``storage.ladder`` keeps the steps and attempts on disk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import pairwise

from assistant.core.model import Say, Script, Section
from assistant.core.model import Step as ScriptStep
from assistant.core.safe import one_line
from assistant.core.wording import fill_ladder, ladder_names

SUDS_RANGE = range(101)
"""SUDS ratings are whole numbers from 0 (no distress) to 100 (the worst imaginable)."""
BIG_GAP = 15
"""Neighbouring steps further apart than this are worth a step in between (a hint, not a rule)."""
LOW = 30
"""A try whose distress stayed at or below this (or half the prediction) went "low"."""
LOW_TRIES = 2
"""After this many low tries in a row, the next step is gently suggested."""
READY_SCRIPT = "before-social"
"""The grounding played by "Get ready", with the step's name spoken in it."""
AFTER_SCRIPT = "after-social"
"""The settling offered after a step."""
REHEARSE_SCRIPT = "rehearse"
"""The rehearsal in imagination offered for a step, with its name spoken in it."""


@dataclass(frozen=True)
class LadderStep:
    """One rung of the ladder.

    Attributes:
        id: The database row id.
        title: What the step is, best written as an action ("say hello to a neighbour").
        predicted_suds: How hard the person expects it to feel, 0–100.
        safety_behaviours: Things they lean on and want to drop (avoiding eye contact, ...).
        position: Its place on the ladder, 0 at the bottom.
        archived: Put away (done with, or not for now); kept with its attempts.
        created_at: When it was added (aware, UTC).
    """

    id: int
    title: str
    predicted_suds: int
    safety_behaviours: tuple[str, ...]
    position: int
    archived: bool
    created_at: datetime


@dataclass(frozen=True)
class Attempt:
    """One time the person took a step.

    Attributes:
        id: The database row id.
        step_id: Which step.
        attempted_at: When (aware, UTC).
        suds_before: Distress just before, 0–100, if given.
        suds_peak: The highest it got during, if given.
        suds_after: Just after, if given.
        predicted: What they feared would happen, in their words.
        happened: What actually happened.
        did_well: One thing they did well.
        note: Anything else.
    """

    id: int
    step_id: int
    attempted_at: datetime
    suds_before: int | None
    suds_peak: int | None
    suds_after: int | None
    predicted: str | None = None
    happened: str | None = None
    did_well: str | None = None
    note: str | None = None

    @property
    def felt(self) -> int | None:
        """The distress that best describes the try: the peak if noted, else after, else before."""
        for value in (self.suds_peak, self.suds_after, self.suds_before):
            if value is not None:
                return value
        return None


@dataclass(frozen=True)
class Rehearsal:
    """One rehearsal of a step in imagination: practice for it, not a try of it.

    Attributes:
        id: The database row id.
        step_id: Which step.
        rehearsed_at: When (aware, UTC).
        suds_before: How anxious the person felt just before, 0–100, if they said.
        suds_after: Just after, if they said.
    """

    id: int
    step_id: int
    rehearsed_at: datetime
    suds_before: int | None
    suds_after: int | None

    @property
    def eased(self) -> bool:
        """Whether the rating after came out lower than the one before."""
        before, after = self.suds_before, self.suds_after
        return before is not None and after is not None and after < before


def check_suds(value: int | None, what: str = "SUDS") -> None:
    """Raise ValueError unless ``value`` is None or a whole number 0–100."""
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or value not in SUDS_RANGE
    ):
        raise ValueError(f"{what} is a whole number from 0 to 100, not {value!r}")


def check_title(title: str) -> str:
    """The title without surrounding blanks; ValueError if nothing is left."""
    cleaned = one_line(title)
    if not cleaned:
        raise ValueError("a step needs a few words saying what it is")
    return cleaned


# -- hints ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """Two steps, next to each other by rating, far apart."""

    lower: LadderStep
    upper: LadderStep

    @property
    def size(self) -> int:
        """Points between the two ratings."""
        return self.upper.predicted_suds - self.lower.predicted_suds

    def hint(self) -> str:
        """The gentle sentence the ladder shows."""
        return (
            f"A big jump from “{self.lower.title}” ({self.lower.predicted_suds}) to "
            f"“{self.upper.title}” ({self.upper.predicted_suds}); a step in between may help."
        )


def big_gaps(steps: Iterable[LadderStep], limit: int = BIG_GAP) -> list[Gap]:
    """Neighbours by rating (active steps) more than ``limit`` points apart, easiest first."""
    ordered = sorted((s for s in steps if not s.archived), key=lambda s: s.predicted_suds)
    return [Gap(a, b) for a, b in pairwise(ordered) if b.predicted_suds - a.predicted_suds > limit]


def sorted_by_rating(steps: Sequence[LadderStep]) -> bool:
    """Whether the ladder already climbs from the easiest step to the hardest."""
    ratings = [s.predicted_suds for s in steps if not s.archived]
    return ratings == sorted(ratings)


def went_low(attempt: Attempt, predicted: int) -> bool:
    """Whether a try stayed low: at most :data:`LOW`, or at most half the prediction."""
    felt = attempt.felt
    return felt is not None and (felt <= LOW or felt * 2 <= predicted)


def ready_for_next(step: LadderStep, attempts: Sequence[Attempt]) -> bool:
    """Whether the last :data:`LOW_TRIES` tries of ``step`` (oldest first) all stayed low."""
    recent = [a for a in attempts if a.step_id == step.id][-LOW_TRIES:]
    return len(recent) == LOW_TRIES and all(went_low(a, step.predicted_suds) for a in recent)


def next_step(steps: Sequence[LadderStep], step: LadderStep) -> LadderStep | None:
    """The active step above ``step`` on the ladder, if any."""
    active = [s for s in steps if not s.archived]
    for lower, upper in pairwise(active):
        if lower.id == step.id:
            return upper
    return None


def suggestion(
    steps: Sequence[LadderStep], step: LadderStep, attempts: Sequence[Attempt]
) -> str | None:
    """A gentle word about what might come next for ``step``, or None."""
    if not ready_for_next(step, attempts):
        return None
    upper = next_step(steps, step)
    if upper is None:
        return "Your last tries at this stayed low. That is real progress; enjoy it."
    return (
        "Your last tries at this stayed low. When it feels right, the next step up is "
        f"“{upper.title}”."
    )


# -- "Get ready" --------------------------------------------------------------------------------


def as_action(title: str) -> str:
    """``title`` to follow "you will": "Say hello" becomes "say hello" (acronyms kept)."""
    title = check_title(title).rstrip(".!")
    first = title.split(" ", 1)[0]
    if (len(first) > 1 and first[1:].islower()) or (len(first) == 1 and first != "I"):
        title = title[0].lower() + title[1:]
    return title


def ladder_values(title: str, safety_behaviours: Sequence[str] = ()) -> dict[str, str]:
    """What a step fills in: ``step`` (its name, to follow "you will") and, when it lists one,
    ``safety_behaviour`` (the first behaviour listed, as the person wrote it)."""
    values = {"step": as_action(title)}
    behaviour = next((one_line(b) for b in safety_behaviours if one_line(b)), "")
    if behaviour:
        values["safety_behaviour"] = as_action(behaviour)
    return values


def personalise(script: Script, title: str, safety_behaviours: Sequence[str] = ()) -> Script:
    """The script with the step's name, and a safety behaviour it lists, spoken in it.

    Each line naming ``{step}`` or ``{safety_behaviour}`` is filled in, when the step has what it
    names; otherwise the line's ``otherwise`` is said. A script with no such line: the first
    sentence of its "Intention" section becomes "In a moment you will <step>."; a script without
    that section gets the sentence after its first spoken line.

    Args:
        script: a grounding or rehearsal script.
        title: the ladder step's name.
        safety_behaviours: the behaviours listed on the step, to leave behind; the first is said.
    """
    values = ladder_values(title, safety_behaviours)
    if any(isinstance(s, Say) and ladder_names(s.text) for s in script.steps):
        return replace(script, steps=tuple(_filled(s, values) for s in script.steps))
    line = Say(f"In a moment you will {values['step']}. Picture it through your own eyes.")
    steps = list(script.steps)
    at: int | None = None
    for index, step in enumerate(steps):
        if isinstance(step, Section) and step.title.lower() == "intention":
            at = next((i for i in range(index + 1, len(steps)) if isinstance(steps[i], Say)), None)
            break
    if at is not None:
        old = steps[at]
        assert isinstance(old, Say)
        steps[at] = replace(old, text=line.text)
    else:
        first = next((i for i, s in enumerate(steps) if isinstance(s, Say)), -1)
        steps.insert(first + 1, replace(line, pause=2.0))
    return replace(script, steps=tuple(steps))


def _filled(step: ScriptStep, values: Mapping[str, str]) -> ScriptStep:
    """``step`` with its ladder placeholders filled in, if ``values`` has every one it names."""
    if not isinstance(step, Say) or not ladder_names(step.text):
        return step
    if not set(ladder_names(step.text)) <= values.keys():
        return step  # the compiler says its ``otherwise``
    return replace(step, text=fill_ladder(step.text, values), otherwise=None)


def ready_script(script: Script, title: str, safety_behaviours: Sequence[str] = ()) -> Script:
    """ "Get ready" for the step ``title``: ``script`` (the before-a-social-moment grounding)
    with the step, and the first safety behaviour it lists, named in it; titled so the practice
    log reads "Get ready: <step>"."""
    ready = personalise(script, title, safety_behaviours)
    return replace(ready, title=f"Get ready: {check_title(title)}")


def rehearsal_script(script: Script, title: str, safety_behaviours: Sequence[str] = ()) -> Script:
    """The rehearsal in imagination (:data:`REHEARSE_SCRIPT`) of the step ``title``, with the
    step and the first safety behaviour it lists named in it; titled "Rehearse: <step>"."""
    rehearsal = personalise(script, title, safety_behaviours)
    return replace(rehearsal, title=f"Rehearse: {check_title(title)}")


# -- small wins ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Win:
    """Something that went well, for the history screen."""

    day: date
    text: str


def small_wins(
    steps: Sequence[LadderStep],
    attempts: Sequence[Attempt],
    *,
    days_this_month: int,
    today: date,
    limit: int = 8,
) -> list[Win]:
    """Warm, factual notes about what went well, newest first.

    Drawn from: the first try of each step; a step that now feels half as hard as at first;
    a try that went better than predicted; the days practised this month. Never a streak,
    never what was missed.
    """
    by_id = {s.id: s for s in steps}
    wins: list[Win] = []
    if days_this_month >= 1:
        days = "1 day" if days_this_month == 1 else f"{days_this_month} days"
        wins.append(Win(today, f"You practised on {days} this month. Showing up is the practice."))
    first_felt: dict[int, int] = {}
    halved: set[int] = set()
    seen: set[int] = set()
    for attempt in sorted(attempts, key=lambda a: a.attempted_at):
        step = by_id.get(attempt.step_id)
        if step is None:
            continue
        day = attempt.attempted_at.astimezone().date()
        felt = attempt.felt
        if step.id not in seen:
            seen.add(step.id)
            wins.append(Win(day, f"First time you tried “{step.title}”. That took courage."))
        elif (
            felt is not None
            and step.id in first_felt
            and step.id not in halved
            and first_felt[step.id] > 0
            and felt * 2 <= first_felt[step.id]
        ):
            halved.add(step.id)
            wins.append(
                Win(
                    day,
                    f"“{step.title}” felt half as hard as the first time "
                    f"({first_felt[step.id]} → {felt}).",
                )
            )
        if felt is not None:
            first_felt.setdefault(step.id, felt)
            if felt + BIG_GAP <= step.predicted_suds:
                wins.append(
                    Win(
                        day,
                        f"“{step.title}” went better than you expected "
                        f"({felt} where you predicted {step.predicted_suds}).",
                    )
                )
    wins.sort(key=lambda w: w.day, reverse=True)
    return wins[:limit]
