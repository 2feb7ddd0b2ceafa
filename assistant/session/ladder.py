"""A try of an exposure-ladder step, noted one way for both front ends.

``ground ladder attempt`` and the ladder screen's "How it went" both log a try here, and get
back what was kept and the gentle word about a next step (if the last tries stayed low).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.core.ladder import suggestion

if TYPE_CHECKING:
    from assistant.core.ladder import Attempt, LadderStep
    from assistant.storage.ladder import Ladder


@dataclass(frozen=True)
class TryAnswers:
    """What the person said about one try (every answer optional).

    Attributes:
        before: distress just before, 0–100.
        peak: distress at its hardest, 0–100.
        after: distress just after, 0–100.
        predicted: what they expected would happen.
        happened: what actually happened.
        did_well: one thing they did well.
        note: anything else.
    """

    before: int | None = None
    peak: int | None = None
    after: int | None = None
    predicted: str | None = None
    happened: str | None = None
    did_well: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class NotedTry:
    """A try, as kept.

    Attributes:
        attempt: the try as the ladder stored it.
        suggestion: a gentle word about the next step up, or None.
    """

    attempt: Attempt
    suggestion: str | None


def note_try(ladder: Ladder, step: LadderStep, answers: TryAnswers) -> NotedTry:
    """Log one try of ``step`` and say what might come next.

    Raises:
        ValueError: a rating outside 0–100.
        UnknownStep: there is no such step (any more).
    """
    attempt = ladder.log_attempt(
        step.id,
        before=answers.before,
        peak=answers.peak,
        after=answers.after,
        predicted=answers.predicted,
        happened=answers.happened,
        did_well=answers.did_well,
        note=answers.note,
    )
    return NotedTry(attempt, suggestion(ladder.steps(), step, ladder.attempts(step.id)))
