"""The exposure ladder on disk: its steps and attempts live in the practice log's database.

Same file, same care: ``0600``, one committed transaction per change, nothing leaves the
machine. The tables come from the database's migration ``m002_ladder``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from assistant.core.ladder import Attempt, LadderStep, Rehearsal, check_suds, check_title
from assistant.core.safe import one_line, printable
from assistant.storage.database import Database, parse_stamp, stamp

_STEP_COLUMNS = "id, title, predicted_suds, safety_behaviours, position, archived, created_at"
_REHEARSAL_COLUMNS = "id, step_id, rehearsed_at, suds_before, suds_after"
_ATTEMPT_COLUMNS = (
    "id, step_id, attempted_at, suds_before, suds_peak, suds_after, predicted, happened,"
    " did_well, note"
)


class UnknownStep(LookupError):
    """No step matches what was asked for; the message says how to list them."""


class Ladder:
    """The person's ladder, read and changed through the open database (a practice log)."""

    def __init__(self, log: Database) -> None:
        self.log = log

    # -- steps --------------------------------------------------------------------------------

    def steps(self, *, archived: bool = False) -> list[LadderStep]:
        """The steps from the bottom of the ladder up; archived ones only if asked for."""
        where = "" if archived else "WHERE archived = 0"
        rows = self.log.query(
            f"SELECT {_STEP_COLUMNS} FROM ladder_steps {where} ORDER BY position, id"
        )
        return [_step(row) for row in rows]

    def step(self, step_id: int) -> LadderStep:
        """One step by id.

        Raises:
            UnknownStep: there is none.
        """
        rows = self.log.query(f"SELECT {_STEP_COLUMNS} FROM ladder_steps WHERE id = ?", (step_id,))
        if not rows:
            raise UnknownStep(f"there is no step {step_id} on your ladder")
        return _step(rows[0])

    def find(self, text: str) -> LadderStep:
        """A step by its number in ``ground ladder list`` (1 at the bottom) or by its title
        (or the start of it, or any words in it, when only one step matches; case does not
        matter).

        Raises:
            UnknownStep: nothing, or more than one step, matches.
        """
        steps = self.steps()
        wanted = text.strip()
        if wanted.isdigit():
            number = int(wanted)
            if 1 <= number <= len(steps):
                return steps[number - 1]
            raise UnknownStep(
                f"there is no step {number} on your ladder (it has {len(steps)}); "
                "`ground ladder list` shows them"
            )
        folded = wanted.casefold()
        exact = [s for s in steps if s.title.casefold() == folded]
        if len(exact) == 1:
            return exact[0]
        starting = [s for s in steps if s.title.casefold().startswith(folded)]
        if len(starting) == 1:
            return starting[0]
        if starting:
            raise UnknownStep(
                f"more than one step starts with '{wanted}'; use its number from "
                "`ground ladder list`"
            )
        containing = [s for s in steps if folded in s.title.casefold()]
        if len(containing) == 1:
            return containing[0]
        if containing:
            raise UnknownStep(
                f"more than one step mentions '{wanted}'; use its number from `ground ladder list`"
            )
        raise UnknownStep(
            f"no step called '{wanted}' on your ladder; `ground ladder list` shows them"
        )

    def add(
        self,
        title: str,
        predicted_suds: int,
        safety_behaviours: Iterable[str] = (),
        *,
        now: datetime | None = None,
    ) -> LadderStep:
        """Put a new step at the top of the ladder.

        Raises:
            ValueError: an empty title or a rating outside 0–100.
        """
        title = check_title(title)
        check_suds(predicted_suds, "the rating")
        behaviours = _behaviours(safety_behaviours)
        cursor = self.log.execute(
            "INSERT INTO ladder_steps (title, predicted_suds, safety_behaviours, position,"
            " created_at) VALUES (?, ?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM"
            " ladder_steps), ?)",
            (title, predicted_suds, behaviours, stamp(now)),
        )
        assert cursor.lastrowid is not None
        return self.step(cursor.lastrowid)

    def update(
        self,
        step_id: int,
        *,
        title: str | None = None,
        predicted_suds: int | None = None,
        safety_behaviours: Iterable[str] | None = None,
    ) -> LadderStep:
        """Change a step's words, rating or safety behaviours.

        Raises:
            ValueError: an empty title or a rating outside 0–100.
            UnknownStep: there is no such step.
        """
        step = self.step(step_id)
        check_suds(predicted_suds, "the rating")
        self.log.execute(
            "UPDATE ladder_steps SET title = ?, predicted_suds = ?, safety_behaviours = ?"
            " WHERE id = ?",
            (
                check_title(title) if title is not None else step.title,
                predicted_suds if predicted_suds is not None else step.predicted_suds,
                _behaviours(safety_behaviours)
                if safety_behaviours is not None
                else "\n".join(step.safety_behaviours),
                step_id,
            ),
        )
        return self.step(step_id)

    def reorder(self, step_ids: list[int]) -> None:
        """Put the active steps in this order, bottom first (one transaction).

        Raises:
            ValueError: ``step_ids`` is not exactly the active steps.
        """
        current = {s.id for s in self.steps()}
        if set(step_ids) != current or len(step_ids) != len(current):
            raise ValueError("the new order must list every step on the ladder once")
        self.log.transaction(
            ("UPDATE ladder_steps SET position = ? WHERE id = ?", (position, step_id))
            for position, step_id in enumerate(step_ids)
        )

    def move(self, step_id: int, offset: int) -> None:
        """Move a step ``offset`` places up (positive) or down the ladder, within its ends."""
        ids = [s.id for s in self.steps()]
        if step_id not in ids:
            raise UnknownStep(f"there is no step {step_id} on your ladder")
        index = ids.index(step_id)
        ids.insert(max(0, min(len(ids) - 1, index + offset)), ids.pop(index))
        self.reorder(ids)

    def sort_by_rating(self) -> None:
        """Order the active steps from the easiest to the hardest (ties keep their order)."""
        steps = self.steps()
        self.reorder([s.id for s in sorted(steps, key=lambda s: s.predicted_suds)])

    def archive(self, step_id: int, archived: bool = True) -> None:
        """Put a step away (or bring it back, at the top); its attempts are kept."""
        self.step(step_id)
        if archived:
            self.log.execute("UPDATE ladder_steps SET archived = 1 WHERE id = ?", (step_id,))
        else:
            self.log.execute(
                "UPDATE ladder_steps SET archived = 0, position = (SELECT COALESCE(MAX(position),"
                " -1) + 1 FROM ladder_steps WHERE archived = 0) WHERE id = ?",
                (step_id,),
            )

    # -- attempts -----------------------------------------------------------------------------

    def log_attempt(
        self,
        step_id: int,
        *,
        before: int | None = None,
        peak: int | None = None,
        after: int | None = None,
        predicted: str | None = None,
        happened: str | None = None,
        did_well: str | None = None,
        note: str | None = None,
        now: datetime | None = None,
    ) -> Attempt:
        """Record one try of a step.

        Raises:
            ValueError: a rating outside 0–100.
            UnknownStep: there is no such step.
        """
        self.step(step_id)
        for value, what in ((before, "SUDS before"), (peak, "SUDS peak"), (after, "SUDS after")):
            check_suds(value, what)
        cursor = self.log.execute(
            f"INSERT INTO ladder_attempts ({_ATTEMPT_COLUMNS.removeprefix('id, ')})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                step_id,
                stamp(now),
                before,
                peak,
                after,
                _text(predicted),
                _text(happened),
                _text(did_well),
                _text(note),
            ),
        )
        rows = self.log.query(
            f"SELECT {_ATTEMPT_COLUMNS} FROM ladder_attempts WHERE id = ?", (cursor.lastrowid,)
        )
        return _attempt(rows[0])

    def attempts(self, step_id: int | None = None) -> list[Attempt]:
        """Attempts, oldest first: of one step, or of every step."""
        where, params = ("WHERE step_id = ?", (step_id,)) if step_id is not None else ("", ())
        rows = self.log.query(
            f"SELECT {_ATTEMPT_COLUMNS} FROM ladder_attempts {where} ORDER BY attempted_at, id",
            params,
        )
        return [_attempt(row) for row in rows]

    # -- rehearsals ---------------------------------------------------------------------------

    def log_rehearsal(
        self,
        step_id: int,
        *,
        before: int | None = None,
        after: int | None = None,
        now: datetime | None = None,
    ) -> Rehearsal:
        """Record one rehearsal of a step in imagination (not a try of it).

        Raises:
            ValueError: a rating outside 0–100.
            UnknownStep: there is no such step.
        """
        self.step(step_id)
        check_suds(before, "SUDS before")
        check_suds(after, "SUDS after")
        cursor = self.log.execute(
            "INSERT INTO ladder_rehearsals (step_id, rehearsed_at, suds_before, suds_after)"
            " VALUES (?, ?, ?, ?)",
            (step_id, stamp(now), before, after),
        )
        rows = self.log.query(
            f"SELECT {_REHEARSAL_COLUMNS} FROM ladder_rehearsals WHERE id = ?",
            (cursor.lastrowid,),
        )
        return _rehearsal(rows[0])

    def rehearsals(self, step_id: int | None = None) -> list[Rehearsal]:
        """Rehearsals, oldest first: of one step, or of every step."""
        where, params = ("WHERE step_id = ?", (step_id,)) if step_id is not None else ("", ())
        rows = self.log.query(
            f"SELECT {_REHEARSAL_COLUMNS} FROM ladder_rehearsals {where} ORDER BY rehearsed_at, id",
            params,
        )
        return [_rehearsal(row) for row in rows]


def attempt_json(attempt: Attempt) -> dict[str, Any]:
    """An attempt as plain JSON values (``ladder list --json`` and the export)."""
    return {
        "step_id": attempt.step_id,
        "attempted_at": stamp(attempt.attempted_at),
        "suds_before": attempt.suds_before,
        "suds_peak": attempt.suds_peak,
        "suds_after": attempt.suds_after,
        "predicted": attempt.predicted,
        "happened": attempt.happened,
        "did_well": attempt.did_well,
        "note": attempt.note,
    }


def rehearsal_json(rehearsal: Rehearsal) -> dict[str, Any]:
    """A rehearsal as plain JSON values (``ladder list --json`` and the export)."""
    return {
        "step_id": rehearsal.step_id,
        "rehearsed_at": stamp(rehearsal.rehearsed_at),
        "suds_before": rehearsal.suds_before,
        "suds_after": rehearsal.suds_after,
    }


def _rehearsal(row: tuple[Any, ...]) -> Rehearsal:
    ident, step_id, at, before, after = row
    return Rehearsal(ident, step_id, parse_stamp(at), before, after)


def _behaviours(values: Iterable[str]) -> str:
    return "\n".join(v for v in (one_line(value) for value in values) if v)


def _text(value: str | None) -> str | None:
    value = value.strip() if value else None
    return value or None


def _step(row: tuple[Any, ...]) -> LadderStep:
    ident, title, suds, behaviours, position, archived, created = row
    return LadderStep(
        id=ident,
        # Shown on screens and printed: text that got into the database another way (an old
        # import) is made safe on the way out as well as on the way in.
        title=one_line(title),
        predicted_suds=suds,
        safety_behaviours=tuple(one_line(b) for b in behaviours.split("\n") if b),
        position=position,
        archived=bool(archived),
        created_at=parse_stamp(created),
    )


def _attempt(row: tuple[Any, ...]) -> Attempt:
    ident, step_id, at, before, peak, after, predicted, happened, did_well, note = row
    return Attempt(
        id=ident,
        step_id=step_id,
        attempted_at=parse_stamp(at),
        suds_before=before,
        suds_peak=peak,
        suds_after=after,
        predicted=predicted,
        happened=_shown(happened),
        did_well=_shown(did_well),
        note=_shown(note),
    )


def _shown(value: str | None) -> str | None:
    return printable(value) if value else value
