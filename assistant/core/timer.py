"""The plain timer (``ground timer``) as a Timeline: a start bell, interval bells, an end bell.

Every bell sits on its exact frame, computed once from seconds and rounded once (the timing
contract, ARCHITECTURE.md §3): the start bell after ``delay`` seconds, an interval bell every
``every`` minutes after it, and the end bell ``minutes`` after the start bell. An open sitting
(``open``) is the longest session's timeline, :data:`OPEN_LIMIT_MINUTES`, which
:func:`close_open` cuts short with the end bell when the person stops.

A timer is not a script: silence is what it is for, so the rule that a script speaks at least
every 150 seconds (the loader's check) is not applied to it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from assistant.core.compiler import SAMPLE_RATE, LengthError, sound_ref
from assistant.core.i18n import N_, _, decimal_sign, pgettext
from assistant.core.model import MINUTES_RANGE, Event, EventKind, StepSpan, Timeline, value_type

#: How long an open sitting may go on: the longest session. It ends by itself with the end bell.
OPEN_LIMIT_MINUTES = MINUTES_RANGE[1]
#: Shortest and longest gap between interval bells, in minutes (a bell rings about 2.5 s).
EVERY_RANGE = (0.25, MINUTES_RANGE[1])
#: Longest wait before the start bell, in seconds.
DELAY_RANGE = (0.0, 600.0)
#: The clip every bell plays: the chosen bell's sound is loaded under this name, as it is for a
#: script's ``chime = "bell"``.
BELL = sound_ref("bell")
SCRIPT_ID = "timer"
# TRANSLATORS: the plain timer's name, listed with the exercises and in the practice log.
TITLE = N_("Timer")
#: Step indices (fixed, like a script's: a step that is left out keeps its number).
SETTLE, SIT, CLOSE = 0, 1, 2


class TimerError(LengthError):
    """The timer's options do not make a sitting (a usage error, exit 2)."""


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class TimerOptions:
    """What the person asked the timer for.

    Attributes:
        minutes: how long to sit, from the start bell to the end bell.
        open: sit until stopped (at most :data:`OPEN_LIMIT_MINUTES`) instead of ``minutes``.
        every: minutes between interval bells (None: no interval bells).
        delay: seconds of quiet before the start bell.
        sample_rate: frames per second.
    """

    minutes: float | None = None
    open: bool = False
    every: float | None = None
    delay: float = 0.0
    sample_rate: int = SAMPLE_RATE


def check(options: TimerOptions) -> float:
    """Validate ``options`` and return the sitting's length in minutes.

    Raises:
        TimerError: a missing, contradictory or out-of-range option (one plain line).
    """
    if options.open and options.minutes is not None:
        # TRANSLATORS: "open" is the timer's choice to sit until stopped (--open).
        raise TimerError(_("give either a length in minutes or open, not both"))
    if not options.open and options.minutes is None:
        raise TimerError(_("a timer needs a length in minutes, or open to sit until stopped"))
    if options.sample_rate <= 0:
        raise TimerError("the sample rate must be positive")  # a caller's mistake
    minutes = OPEN_LIMIT_MINUTES if options.minutes is None else options.minutes
    low, high = MINUTES_RANGE
    if not (math.isfinite(minutes) and low <= minutes <= high):
        raise TimerError(
            _("minutes must be between {low} and {high}").format(
                low=decimal_sign(f"{low:g}"), high=decimal_sign(f"{high:g}")
            )
        )
    if options.every is not None:
        low, high = EVERY_RANGE[0], min(EVERY_RANGE[1], minutes)
        if not (math.isfinite(options.every) and low <= options.every <= high):
            raise TimerError(
                _("the interval must be between {low} and {high} minutes").format(
                    low=decimal_sign(f"{low:g}"), high=decimal_sign(f"{high:g}")
                )
            )
    low, high = DELAY_RANGE
    if not (math.isfinite(options.delay) and low <= options.delay <= high):
        raise TimerError(
            _("the delay must be between {low} and {high} seconds").format(
                low=decimal_sign(f"{low:g}"), high=decimal_sign(f"{high:g}")
            )
        )
    return minutes


def bell_onsets(options: TimerOptions) -> tuple[int, ...]:
    """Every bell's frame, in order: the start bell, the interval bells, the end bell.

    An interval bell that would fall on or after the end bell is left out. Each onset is the
    delay plus a whole number of intervals, in seconds, rounded to a frame once.

    Raises:
        TimerError: see :func:`check`.
    """
    minutes = check(options)
    rate = options.sample_rate
    start = round(options.delay * rate)
    end = start + round(minutes * 60 * rate)
    onsets = [start]
    if options.every is not None:
        k = 1
        while (at := start + round(k * options.every * 60 * rate)) < end:
            onsets.append(at)
            k += 1
    onsets.append(end)
    return tuple(onsets)


def timer_timeline(options: TimerOptions, bell_frames: int) -> Timeline:
    """The whole sitting as a Timeline: every bell a CHIME event on its exact frame.

    Args:
        options: length (or open), interval and delay.
        bell_frames: the chosen bell's length in frames; 0 for no bell (``--bell none``), when
            the bells stay on the timeline as silent marks.

    Returns:
        Steps ``settle`` (the delay, left out when it is 0), ``sit`` (start bell to end bell)
        and ``close`` (the end bell ringing out), so skip moves on to the next of them.

    Raises:
        TimerError: see :func:`check`.
    """
    if bell_frames < 0:
        raise TimerError("a bell cannot be shorter than nothing")  # a caller's mistake
    onsets = bell_onsets(options)
    start, end = onsets[0], onsets[-1]
    events: list[Event] = []
    spans: list[StepSpan] = []
    if start > 0:
        # TRANSLATORS: the parts of a silent sitting: the quiet before the start bell, the
        # sitting, and its end with the end bell ("Close" as in "closing", not "close a window").
        events.append(Event(0, EventKind.SECTION, pgettext("timer section", "Settle"), step=SETTLE))
        events.append(Event(0, EventKind.STEP, "settle", step=SETTLE))
        spans.append(StepSpan(SETTLE, 0, start, "pause", "settle"))
    events.append(Event(start, EventKind.SECTION, pgettext("timer section", "Sit"), step=SIT))
    events.append(Event(start, EventKind.STEP, "sit", step=SIT))
    for number, at in enumerate(onsets[:-1]):
        events.append(_bell(at, bell_frames, SIT, number))
    spans.append(StepSpan(SIT, start, end, "sit", "sit"))
    total = _close(events, spans, end, bell_frames, len(onsets) - 1)
    return Timeline(
        script_id=SCRIPT_ID,
        title=_(TITLE),
        sample_rate=options.sample_rate,
        total_frames=total,
        events=tuple(events),
        steps=tuple(spans),
    )


def close_open(timeline: Timeline, at: int, bell_frames: int) -> Timeline:
    """An open sitting stopped at frame ``at``: the end bell rings there and the session ends.

    Everything before ``at`` is unchanged, so it can replace the playing timeline (the mixer's
    ``replace_timeline``) as long as ``at`` is a frame the audio thread has not mixed yet.

    Args:
        timeline: a timer's timeline (from :func:`timer_timeline`).
        at: the frame to ring the end bell on.
        bell_frames: the bell's length in frames (0: no bell).

    Returns:
        Stopped while settling: the timeline ends at ``at``, with no bell (nothing was sat).
        Stopped while sitting: the sitting ends at ``at`` with the end bell. Stopped once the
        end bell has begun: ``timeline`` unchanged.
    """
    sit = next((s for s in timeline.steps if s.index == SIT), None)
    if sit is None or at >= sit.end:
        return timeline
    at = max(0, at)
    if at <= sit.start:
        kept = [e for e in timeline.events if e.frame < at]
        spans = [replace(s, end=min(s.end, at)) for s in timeline.steps if s.start < at]
        kept.append(Event(at, EventKind.END, "end", step=CLOSE + 1))
        return replace(timeline, total_frames=at, events=tuple(kept), steps=tuple(spans))
    events = [e for e in timeline.events if e.frame < at and e.step != CLOSE]
    spans = [s for s in timeline.steps if s.index < SIT]
    spans.append(replace(sit, end=at))
    bells = sum(1 for e in events if e.kind is EventKind.CHIME)
    total = _close(events, spans, at, bell_frames, bells)
    return replace(timeline, total_frames=total, events=tuple(events), steps=tuple(spans))


def sat_frames(timeline: Timeline, frame: int) -> int:
    """Frames sat by ``frame``: from the start bell to the end bell at most (for the log)."""
    sit = next((s for s in timeline.steps if s.index == SIT), None)
    if sit is None:
        return 0
    return max(0, min(frame, sit.end) - sit.start)


def _bell(at: int, bell_frames: int, step: int, number: int) -> Event:
    """Bell ``number`` (from 0) at ``at``; a silent mark when there is no bell."""
    clip = BELL if bell_frames > 0 else None
    return Event(at, EventKind.CHIME, "bell", bell_frames, step=step, cycle=number, clip=clip)


def _close(
    events: list[Event],
    spans: list[StepSpan],
    end: int,
    bell_frames: int,
    number: int,
) -> int:
    """Append the end bell's step at ``end``; returns the session's last frame."""
    total = end + bell_frames
    events.append(Event(end, EventKind.SECTION, pgettext("timer section", "Close"), step=CLOSE))
    events.append(Event(end, EventKind.STEP, "close", step=CLOSE))
    events.append(_bell(end, bell_frames, CLOSE, number))
    spans.append(StepSpan(CLOSE, end, total, "chime", "close"))
    events.append(Event(total, EventKind.END, "end", step=CLOSE + 1))
    return total


def sat_text(seconds: float) -> str:
    """``m:ss`` (``h:mm:ss`` from an hour) of time sat: the whole seconds gone by, as a clock
    counts up (a countdown rounds up instead: ``core.pacing.clock_text``)."""
    whole = max(0, int(seconds))
    if whole >= 3600:
        return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"
    return f"{whole // 60}:{whole % 60:02d}"
