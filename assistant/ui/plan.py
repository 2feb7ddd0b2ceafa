"""A script's breathing as a session will play it, in words: ``in 5 · hold 5 · out 5 · rest 5``.

Read from a compiled timeline (the plan itself, with the settings and the length), never from
the script's pattern alone, so what Home says is what plays.
"""

from __future__ import annotations

from assistant.core.model import Breathe, EventKind, PhaseKind, Script, Timeline

#: A phase's name when its block speaks no word for it (as the pacer names it, shorter).
PHASE_NAMES = {
    PhaseKind.INHALE: "in",
    PhaseKind.TOP_UP: "top-up",
    PhaseKind.HOLD: "hold",
    PhaseKind.EXHALE: "out",
    PhaseKind.HOLD_AFTER_EXHALE: "rest",
}


def breathing_lines(script: Script, plan: Timeline) -> list[tuple[int, str]]:
    """Each breathing block ``plan`` plays, as (its step's index, its first breath in words).

    The phases are named with the words the block speaks for them (box: ``rest``, not a second
    ``hold``), with their seconds as played (pace, holds left out) and the breaths a minute; a
    block the plan leaves out (a short session) is not described.
    """
    rate = plan.sample_rate
    lines: list[tuple[int, str]] = []
    for index, step in enumerate(script.steps):
        if not isinstance(step, Breathe):
            continue
        phases = [
            (event.phase, event.duration / rate)
            for event in plan.events
            if event.kind is EventKind.PHASE
            and event.step == index
            and event.cycle == 0
            and event.phase is not None
        ]
        if not phases:
            continue
        named = " · ".join(
            f"{step.word_for(kind) or PHASE_NAMES[kind]} {_seconds(secs)}" for kind, secs in phases
        )
        cycle = sum(secs for _, secs in phases)
        lines.append((index, f"{named} — {_seconds(60 / cycle)} breaths/min"))
    return lines


def _seconds(value: float) -> str:
    """Seconds or a rate to a tenth, without a useless ``.0``."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)
