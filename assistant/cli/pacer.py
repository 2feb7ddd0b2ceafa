"""The one-line inline pacer for ``ground play``/``ground now`` (pure formatting, no I/O)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.core.pacing import bar, left_text, lung_fill

if TYPE_CHECKING:
    from assistant.session import Look

PACER_WIDTH = 10
PROGRESS_WIDTH = 16


def status_line(look: Look) -> str:
    """The single status line: phase, its seconds left, pacer, overall progress, time left."""
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
