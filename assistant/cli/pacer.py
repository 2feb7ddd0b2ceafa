"""The one-line inline pacer for ``ground play``/``ground now`` (pure formatting, no I/O)."""

from __future__ import annotations

from assistant.core.model import Timeline
from assistant.core.pacing import PhaseIndex, bar, clock_text, lung_fill

PACER_WIDTH = 10
PROGRESS_WIDTH = 16


def status_line(timeline: Timeline, phases: PhaseIndex, frame: int, *, paused: bool) -> str:
    """The single status line: phase, its seconds left, pacer, overall progress, time left."""
    rate = timeline.sample_rate
    total = max(1, timeline.total_frames)
    left = clock_text((total - frame) / rate)
    progress = bar(frame / total, PROGRESS_WIDTH)
    phase, into, secs = phases.progress(frame)
    if phase is not None and phase.phase is not None:
        label = f"{phase.phase.label:<11} {secs:>2}s"
        pacer = bar(lung_fill(phase.phase, into), PACER_WIDTH)
    else:
        label = f"{'listen':<11}    "
        pacer = " " * PACER_WIDTH
    if paused:
        label = f"{'paused':<11}    "
    return f" {label} ▕{pacer}▏  {progress} {left} left"
