"""The one-line inline pacer for ``ground play``/``ground now`` (pure formatting, no I/O)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.core.i18n import _, pgettext
from assistant.core.pacing import bar, clock_text, left_text, lung_fill
from assistant.core.timer import sat_text

if TYPE_CHECKING:
    from assistant.session import Look, TimerLook

PACER_WIDTH = 10
PROGRESS_WIDTH = 16
#: The width of the status line's first word (a phase, or what a timer is doing).
LABEL_WIDTH = 11


def status_line(look: Look) -> str:
    """The single status line: phase, its seconds left, pacer, overall progress, time left."""
    if look.timer is not None:
        return timer_line(look.timer, paused=look.paused)
    left = left_text(look.left)
    progress = bar(look.done, PROGRESS_WIDTH)
    phase = look.phase
    if phase is not None and phase.phase is not None:
        label = f"{phase.phase.label:<{LABEL_WIDTH}} {look.seconds_left:>2}s"
        pacer = bar(lung_fill(phase.phase, look.into), PACER_WIDTH)
    else:
        # TRANSLATORS: the status line while a sentence is spoken; keep under 11 characters.
        listen = pgettext("status", "listen")
        label = f"{listen:<{LABEL_WIDTH}}    "
        pacer = " " * PACER_WIDTH
    if look.paused:
        label = f"{_paused():<{LABEL_WIDTH}}    "
    # TRANSLATORS: the end of the status line: {left} is the time left, e.g. 2:30.
    return f" {label} ▕{pacer}▏  {progress} " + _("{left} left").format(left=left)


def _paused() -> str:
    # TRANSLATORS: the status line while paused; keep under 11 characters.
    return pgettext("status", "paused")


def timer_line(timer: TimerLook, *, paused: bool = False) -> str:
    """A plain timer's status line: what it is doing, the time sat, the next bell."""
    # TRANSLATORS: {sat} is the time sat so far, e.g. 4:10 (a timer's status line).
    sat = _("{sat} sat").format(sat=sat_text(timer.sat_seconds))
    bell = timer.next_bell_seconds
    if paused:
        return f" {_paused():<{LABEL_WIDTH}} {sat}"
    if timer.settling:
        # TRANSLATORS: a timer's status line before its start bell; keep under 11 characters.
        settling = pgettext("status", "settling")
        start = _("the start bell in {clock}").format(clock=clock_text(bell or 0))
        return f" {settling:<{LABEL_WIDTH}} {start}"
    if timer.closing:
        # TRANSLATORS: a timer's status line while its end bell rings; keep under 11 characters.
        ringing = pgettext("status", "end bell")
        return f" {ringing:<{LABEL_WIDTH}} {sat}"
    # TRANSLATORS: a timer's status line while sitting; keep under 11 characters.
    sitting = pgettext("status", "sitting")
    line = f" {sitting:<{LABEL_WIDTH}} {sat}"
    if bell is not None:
        line += " · " + _("next bell in {clock}").format(clock=clock_text(bell))
    if timer.open:
        # TRANSLATORS: a timer with no set length (it runs until stopped).
        line += " · " + pgettext("timer", "open")
    return line
