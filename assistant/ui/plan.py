"""A script's breathing as a session will play it, in words: ``in 5 · hold 5 · out 5 · rest 5``.

Read from a compiled timeline (the plan itself, with the settings and the length), never from
the script's pattern alone, so what Home says is what plays.
"""

from __future__ import annotations

from assistant.core.i18n import _, pgettext
from assistant.core.model import Breathe, EventKind, PhaseKind, Script, Timeline


def phase_names() -> dict[PhaseKind, str]:
    """A phase's name when its block speaks no word for it (as the pacer names it, shorter),
    in the language in use."""
    # TRANSLATORS: short names of the breathing phases, as in "in 4 · hold 4 · out 4 · rest 4".
    return {
        PhaseKind.INHALE: pgettext("phase", "in"),
        PhaseKind.TOP_UP: pgettext("phase", "top-up"),
        PhaseKind.HOLD: pgettext("phase", "hold"),
        PhaseKind.EXHALE: pgettext("phase", "out"),
        PhaseKind.HOLD_AFTER_EXHALE: pgettext("phase", "rest"),
    }


def breathing_lines(script: Script, plan: Timeline) -> list[tuple[int, str]]:
    """Each breathing block ``plan`` plays, as (its step's index, its first breath in words).

    The phases are named with the words the block speaks for them (box: ``rest``, not a second
    ``hold``), with their seconds as played (pace, holds left out) and the breaths a minute; a
    block the plan leaves out (a short session) is not described.
    """
    rate = plan.sample_rate
    names = phase_names()
    # TRANSLATORS: {phases} is "in 4 · hold 4 · out 4", {rate} a number of breaths a minute.
    sentence = _("{phases} — {rate} breaths/min")
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
            f"{step.word_for(kind) or names[kind]} {_seconds(secs)}" for kind, secs in phases
        )
        cycle = sum(secs for _kind, secs in phases)
        lines.append((index, sentence.format(phases=named, rate=_seconds(60 / cycle))))
    return lines


def _seconds(value: float) -> str:
    """Seconds or a rate to a tenth, without a useless ``.0``, with the language's decimal
    sign."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return str(rounded).replace(".", decimal_sign())


def decimal_sign() -> str:
    """The decimal sign of the language in use ("." in English, "," in Spanish and German)."""
    # TRANSLATORS: the decimal sign of your language, one character ("," for 4,5).
    return pgettext("decimal sign", ".")
