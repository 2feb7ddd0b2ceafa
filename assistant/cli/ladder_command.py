"""``ground ladder``: build the exposure ladder, get ready for a step, note how it went.

The words matter here as much as in the log: a step is never "failed", a rating is never
"too high", and hints (big gaps, a next step) are offered, never required.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from assistant.cli.errors import EXIT_OK, UsageError
from assistant.core.ladder import (
    READY_SCRIPT,
    REHEARSE_SCRIPT,
    Attempt,
    LadderStep,
    Rehearsal,
    big_gaps,
    ready_script,
    rehearsal_script,
    sorted_by_rating,
    suggestion,
)
from assistant.core.safe import one_line
from assistant.storage.ladder import Ladder, UnknownStep, attempt_json, rehearsal_json
from assistant.storage.log import LogError, PracticeLog

#: What the 0–100 ratings are, for people who have not met the term.
SUDS_WORDS = "SUDS, subjective units of distress: 0 calm, 100 the most distress you can imagine"

EMPTY = (
    "Your ladder is empty. Start with a small step, for example:\n"
    '  ground ladder add "say hello to a neighbour" --suds 25'
)


def ladder_command(args: argparse.Namespace) -> int:
    """Run one ``ground ladder`` action; returns the exit code."""
    action = args.ladder_command or "list"
    try:
        with PracticeLog.open() as log:
            if log.notice:
                print(f"ground: {log.notice}", file=sys.stderr)
            ladder = Ladder(log)
            if action == "ready":
                return _ready(ladder, args)
            if action == "rehearse":
                return _rehearse(ladder, args)
            handler = {
                "list": _list,
                "add": _add,
                "attempt": _attempt,
                "move": _move,
                "sort": _sort,
                "archive": _archive,
            }[action]
            return handler(ladder, args)
    except LogError as exc:
        raise UsageError(str(exc)) from None
    except (UnknownStep, ValueError) as exc:
        raise UsageError(str(exc).strip("'\"")) from None


# -- actions -------------------------------------------------------------------------------------


def _list(ladder: Ladder, args: argparse.Namespace) -> int:
    steps = ladder.steps(archived=bool(getattr(args, "all", False)))
    attempts = ladder.attempts()
    if getattr(args, "json", False):
        payload = ladder_json(steps, attempts, ladder.rehearsals())
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not steps:
        print(EMPTY)
        return EXIT_OK
    for line in format_ladder(steps, attempts, ladder.rehearsals()):
        print(line)
    return EXIT_OK


def _add(ladder: Ladder, args: argparse.Namespace) -> int:
    step = ladder.add(args.title, args.suds, args.safety)
    number = len(ladder.steps())
    print(f"Added step {number}: {step.title} ({step.predicted_suds}).")
    for gap in big_gaps(ladder.steps()):
        if step.id in (gap.lower.id, gap.upper.id):
            print(gap.hint())
    return EXIT_OK


def _attempt(ladder: Ladder, args: argparse.Namespace) -> int:
    from assistant.session.ladder import TryAnswers, note_try

    step = ladder.find(args.step)
    answers = TryAnswers(
        before=args.before,
        peak=args.peak,
        after=args.after,
        predicted=args.predicted,
        happened=args.happened,
        did_well=args.did_well,
        note=args.note,
    )
    noted = note_try(ladder, step, answers)
    print(f"Noted: {step.title}, {_ratings(noted.attempt)}. Well done for trying it.")
    if noted.suggestion:
        print(noted.suggestion)
    return EXIT_OK


def _ready(ladder: Ladder, args: argparse.Namespace) -> int:
    from assistant.cli.play_command import play_script
    from assistant.cli.shared import find_script, load_scripts

    step = ladder.find(args.step)
    number = [s.id for s in ladder.steps()].index(step.id) + 1
    ladder.log.close()  # the session runs for minutes; nothing here needs the log meanwhile
    ready = ready_script(
        find_script(load_scripts(), READY_SCRIPT), step.title, step.safety_behaviours
    )
    code = play_script(ready, args)
    if code == EXIT_OK:
        print(
            f"Go gently. When you have tried “{one_line(step.title)}”, note how it went, how hard "
            "it felt just before and just after (0–100):\n"
            f"  ground ladder attempt {number} --before N --after N"
        )
    return code


#: The ratings around a rehearsal: asked by the front end, never spoken.
REHEARSE_BEFORE = (
    "Before you start: how anxious do you feel right now? 0 is calm, 100 is the most anxious "
    "you can imagine."
)
REHEARSE_AFTER = "And now, after rehearsing it? (0–100)"
REHEARSE_EASED = "A little lower than before. Rehearsing can take the edge off."


def _rehearse(ladder: Ladder, args: argparse.Namespace) -> int:
    """The rehearsal in imagination, with how anxious the person feels before and after."""
    from assistant.cli.before import can_ask
    from assistant.cli.play_command import play_script
    from assistant.cli.shared import find_script, load_scripts

    step = ladder.find(args.step)
    script = rehearsal_script(
        find_script(load_scripts(), REHEARSE_SCRIPT), step.title, step.safety_behaviours
    )
    number = [s.id for s in ladder.steps()].index(step.id) + 1
    asking = can_ask()  # off a terminal: no questions, the rehearsal is kept all the same
    before = ask_suds(REHEARSE_BEFORE) if asking else None
    log_path = ladder.log.path
    ladder.log.close()  # the session runs for minutes; nothing here needs the log meanwhile
    code = play_script(script, args)
    if code != EXIT_OK:
        return code
    after = ask_suds(REHEARSE_AFTER) if asking else None
    with PracticeLog.open(log_path) as log:
        rehearsal = Ladder(log).log_rehearsal(step.id, before=before, after=after)
    if rehearsal.eased:
        print(REHEARSE_EASED)
    print(
        f"Kept with “{one_line(step.title)}” as a rehearsal, not a try. When you feel ready "
        f"for the step itself:\n  ground ladder ready {number}"
    )
    return code


def ask_suds(question: str) -> int | None:
    """A 0–100 rating typed at the terminal; None when left empty (or at the end of input)."""
    print(question)
    while True:
        try:
            text = input("0–100, or Enter to skip: ").strip()
        except EOFError:
            print()
            return None
        if not text:
            return None
        if text.isascii() and text.isdigit() and int(text) <= 100:
            return int(text)
        print("A whole number from 0 to 100, or Enter to skip.")


def _move(ladder: Ladder, args: argparse.Namespace) -> int:
    step = ladder.find(args.step)
    steps = ladder.steps()
    current = [s.id for s in steps].index(step.id)
    ladder.move(step.id, args.to - 1 - current)
    where = min(args.to, len(steps))
    print(f"Moved “{step.title}” to number {where}.")
    return EXIT_OK


def _sort(ladder: Ladder, args: argparse.Namespace) -> int:
    ladder.sort_by_rating()
    for line in format_ladder(ladder.steps(), ladder.attempts(), ladder.rehearsals()):
        print(line)
    return EXIT_OK


def _archive(ladder: Ladder, args: argparse.Namespace) -> int:
    step = ladder.find(args.step)
    ladder.archive(step.id)
    print(f"Put “{step.title}” away; its tries are kept (`ground ladder list --all`).")
    return EXIT_OK


# -- words ---------------------------------------------------------------------------------------


def numbered(steps: list[LadderStep]) -> list[tuple[int | None, LadderStep]]:
    """Each step with its number: the steps on the ladder from 1 at the bottom, as ``attempt``,
    ``ready`` and ``move`` take them; a step put away has none (it is listed after them)."""
    on = [s for s in steps if not s.archived]
    return [
        *((number, s) for number, s in enumerate(on, 1)),
        *((None, s) for s in steps if s.archived),
    ]


def format_ladder(
    steps: list[LadderStep], attempts: list[Attempt], rehearsals: Sequence[Rehearsal] = ()
) -> list[str]:
    """The ladder as lines: numbered steps with their rating, tries and rehearsals (never
    counted as tries; then, with ``--all``, the steps put away, unnumbered), then any hints."""
    lines = [
        "Your ladder, from the first step up. The number is how hard a step feels, 0–100",
        f"({SUDS_WORDS}).",
        "",
    ]
    width = min(max(len(s.title) for s in steps), 40)
    for number, step in numbered(steps):
        title = step.title if len(step.title) <= 40 else step.title[:39] + "…"
        mine = [a for a in attempts if a.step_id == step.id]
        put_away = "  (put away)" if step.archived else ""
        rating = f"{step.predicted_suds:>3}"
        mark = f"{number:>3}." if number is not None else "   -"
        rehearsed = _rehearsed([r for r in rehearsals if r.step_id == step.id])
        lines.append(f"{mark} {title.ljust(width)}  {rating}   {_tries(mine)}{rehearsed}{put_away}")
        for behaviour in step.safety_behaviours:
            lines.append(f"       without: {behaviour}")
    on = [s for s in steps if not s.archived]  # hints are about the ladder as it stands
    hints = [gap.hint() for gap in big_gaps(on)]
    if not sorted_by_rating(on):
        hints.append("Sorting by rating puts the easiest step first: ground ladder sort")
    for step in on:
        hint = suggestion(on, step, attempts)
        if hint:
            hints.append(f"“{step.title}”: {hint}")
    if hints:
        lines.append("")
        lines.extend(hints)
    return lines


def _tries(attempts: list[Attempt]) -> str:
    if not attempts:
        return "not tried yet"
    count = "1 try" if len(attempts) == 1 else f"{len(attempts)} tries"
    ratings = _ratings(attempts[-1])
    return f"{count}, last: {ratings}" if ratings else count


def _rehearsed(rehearsals: list[Rehearsal]) -> str:
    """``; rehearsed twice`` (nothing when never)."""
    count = len(rehearsals)
    if not count:
        return ""
    times = {1: "once", 2: "twice"}.get(count, f"{count} times")
    return f"; rehearsed {times}"


def _ratings(attempt: Attempt) -> str:
    """The ratings of one try, each named (a peak is never passed off as how it "felt")."""
    named = (
        ("before", attempt.suds_before),
        ("at its hardest", attempt.suds_peak),
        ("after", attempt.suds_after),
    )
    return ", ".join(f"{name} {value}" for name, value in named if value is not None)


def ladder_json(
    steps: list[LadderStep], attempts: list[Attempt], rehearsals: Sequence[Rehearsal] = ()
) -> dict[str, Any]:
    """The ladder as plain JSON values (``ground ladder list --json``): a step put away has
    ``"number": null``, the others the number ``attempt``, ``ready`` and ``move`` take."""
    on = [s for s in steps if not s.archived]
    return {
        "steps": [
            {
                "number": number,
                "id": step.id,
                "title": step.title,
                "predicted_suds": step.predicted_suds,
                "safety_behaviours": list(step.safety_behaviours),
                "archived": step.archived,
                "attempts": [attempt_json(a) for a in attempts if a.step_id == step.id],
                "rehearsals": [rehearsal_json(r) for r in rehearsals if r.step_id == step.id],
                "suggestion": suggestion(on, step, attempts) if not step.archived else None,
            }
            for number, step in numbered(steps)
        ],
        "big_gaps": [
            {"lower": g.lower.title, "upper": g.upper.title, "points": g.size} for g in big_gaps(on)
        ],
        "sorted_by_rating": sorted_by_rating(on),
    }
