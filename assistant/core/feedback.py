"""Gentle pacing feedback from a detected breathing rate: words, never a score."""

from __future__ import annotations

from collections.abc import Callable

from assistant.core.model import Breathe, ClipRef, EventKind, Script, Timeline

#: Within this many breaths a minute of the target, the person is "close to it".
CLOSE = 1.0
#: Seconds a word cue is assumed to sound (its event carries no duration).
WORD_SECONDS = 0.7


def target_rate(
    script: Script, step: int, *, pace: float = 1.0, no_holds: bool = False
) -> float | None:
    """Breaths per minute the step asks for, or None when the step is not a breathing block."""
    if not 0 <= step < len(script.steps):
        return None
    block = script.steps[step]
    if not isinstance(block, Breathe):
        return None
    pattern = block.pattern.without_holds() if no_holds else block.pattern
    return 60.0 / (pattern.cycle_seconds * pace)


def advice(rate: float, target: float) -> str:
    """One kind line comparing the detected rate with the target."""
    heard = f"about {rate:.0f} breaths/min"
    goal = f"{target:.1f}".removesuffix(".0")
    if abs(rate - target) <= CLOSE:
        return f"{heard} — close to the target of {goal}; nicely done"
    if rate > target:
        return f"{heard} — the target is {goal}; let the exhale run a little longer"
    return f"{heard} — the target is {goal}; there is no need to stretch, breathe a little sooner"


def spoken_advice(rate: float, target: float) -> str:
    """The same advice as a short sentence to say aloud: no numbers, so there are only three
    and each is rendered once."""
    if abs(rate - target) <= CLOSE:
        return "Nicely paced. Just keep going like this."
    if rate > target:
        return "A little slower, if it feels right. Let the breath out run longer."
    return "No need to stretch. Breathe in a little sooner."


def voice_intervals(timeline: Timeline) -> list[tuple[int, int]]:
    """Frames during which the session's own voice plays (to gate the microphone)."""
    rate = timeline.sample_rate
    spans = []
    for event in timeline.events:
        if event.kind is EventKind.SAY:
            spans.append((event.frame, event.frame + event.duration))
        elif event.kind is EventKind.WORD:
            spans.append((event.frame, event.frame + round(WORD_SECONDS * rate)))
    return spans


def sound_intervals(
    timeline: Timeline,
    clip_frames: Callable[[ClipRef], int],
    *,
    voice: bool = True,
    tones: bool = True,
) -> list[tuple[int, int]]:
    """Frames during which the session itself makes a sound its speakers can leak into the
    microphone (to gate it): the voice, the phase tones and the chimes (the bell), in order and
    merged, so no span hides inside another.

    Args:
        timeline: the session's plan.
        clip_frames: a clip's length in frames (a tone's event has no duration of its own).
        voice: the voice is heard (False: muted, its words need no gate).
        tones: the phase tones are heard.
    """
    spans = voice_intervals(timeline) if voice else []
    for event in timeline.events:
        if event.kind is EventKind.CHIME or (tones and event.kind is EventKind.TONE):
            frames = event.duration or (clip_frames(event.clip) if event.clip else 0)
            spans.append((event.frame, event.frame + frames))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def voice_active(spans: list[tuple[int, int]], frame: int) -> bool:
    """Whether ``frame`` falls inside one of ``spans`` (sorted by start, not overlapping, as
    :func:`sound_intervals` gives them)."""
    import bisect

    index = bisect.bisect_right(spans, (frame, 1 << 62)) - 1
    return index >= 0 and spans[index][0] <= frame < spans[index][1]
