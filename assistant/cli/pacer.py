"""The one-line inline pacer for ``ground play``/``ground now`` (pure formatting, no I/O)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.core.pacing import bar, clock_text, left_text, lung_fill
from assistant.core.timer import sat_text

if TYPE_CHECKING:
    from assistant.session import Look, TimerLook

PACER_WIDTH = 10
PROGRESS_WIDTH = 16


def status_line(look: Look) -> str:
    """The single status line: phase, its seconds left, pacer, overall progress, time left."""
    if look.timer is not None:
        return timer_line(look.timer, paused=look.paused)
    left = left_text(look.left)
    progress = bar(look.done, PROGRESS_WIDTH)
    phase = look.phase
    if phase is not None and phase.phase is not None:
        label = f"{phase.phase.label:<11} {look.seconds_left:>2}s"
        pacer = bar(lung_fill(phase.phase, look.into), PACER_WIDTH)
    else:
        label = f"{'listen':<11}    "
        pacer = " " * PACER_WIDTH
    if look.paused:
        label = f"{'paused':<11}    "
    return f" {label} ▕{pacer}▏  {progress} {left} left"


def timer_line(timer: TimerLook, *, paused: bool = False) -> str:
    """A plain timer's status line: what it is doing, the time sat, the next bell."""
    sat = sat_text(timer.sat_seconds)
    bell = timer.next_bell_seconds
    if paused:
        return f" {'paused':<11} {sat} sat"
    if timer.settling:
        return f" {'settling':<11} the start bell in {clock_text(bell or 0)}"
    if timer.closing:
        return f" {'end bell':<11} {sat} sat"
    upcoming = f" · next bell in {clock_text(bell)}" if bell is not None else ""
    return f" {'sitting':<11} {sat} sat{upcoming}" + (" · open" if timer.open else "")
