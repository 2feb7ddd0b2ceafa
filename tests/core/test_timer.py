"""The timer's timeline: every bell on its exact frame, open sittings cut short cleanly."""

from __future__ import annotations

import itertools

import pytest

from assistant.core.compiler import LengthError
from assistant.core.model import EventKind, Timeline
from assistant.core.timer import (
    BELL,
    CLOSE,
    OPEN_LIMIT_MINUTES,
    SETTLE,
    SIT,
    TimerError,
    TimerOptions,
    bell_onsets,
    close_open,
    sat_frames,
    timer_timeline,
)

RATE = 48_000
BELL_FRAMES = 120_000  # 2.5 s, today's bell


def bells(timeline: Timeline) -> list[int]:
    return [e.frame for e in timeline.events if e.kind is EventKind.CHIME]


def test_the_issues_example_rings_at_10_70_130_190_250_and_310_seconds() -> None:
    timeline = timer_timeline(TimerOptions(minutes=5, every=1, delay=10), BELL_FRAMES)
    assert bells(timeline) == [s * RATE for s in (10, 70, 130, 190, 250, 310)]
    assert all(
        e.clip == BELL and e.duration == BELL_FRAMES
        for e in timeline.events
        if e.kind is EventKind.CHIME
    )
    assert timeline.total_frames == 310 * RATE + BELL_FRAMES  # the end bell rings out
    assert timeline.events[-1].kind is EventKind.END
    assert timeline.events[-1].frame == timeline.total_frames


def test_events_are_in_frame_order_and_steps_tile_the_session() -> None:
    timeline = timer_timeline(TimerOptions(minutes=3, every=0.5, delay=7.5), BELL_FRAMES)
    frames = [e.frame for e in timeline.events]
    assert frames == sorted(frames)
    spans = timeline.steps
    assert [s.index for s in spans] == [SETTLE, SIT, CLOSE]
    assert spans[0].start == 0
    assert all(a.end == b.start for a, b in itertools.pairwise(spans))
    assert spans[-1].end == timeline.total_frames


def test_skip_moves_from_the_delay_to_the_start_bell_and_from_sitting_to_the_end_bell() -> None:
    timeline = timer_timeline(TimerOptions(minutes=2, delay=30), BELL_FRAMES)
    assert timeline.next_boundary(RATE) == 30 * RATE
    assert timeline.next_boundary(40 * RATE) == 150 * RATE


def test_no_delay_starts_with_the_bell_at_frame_0() -> None:
    timeline = timer_timeline(TimerOptions(minutes=1), BELL_FRAMES)
    assert bells(timeline) == [0, 60 * RATE]
    assert [s.index for s in timeline.steps] == [SIT, CLOSE]


def test_onsets_never_drift_with_an_interval_that_is_not_whole_frames() -> None:
    """Each bell is delay + k intervals rounded once, never the previous bell plus a rounded gap."""
    every = 0.3333333  # minutes: 959999.904 frames, rounding each gap would drift
    onsets = bell_onsets(TimerOptions(minutes=100, every=every, delay=0.00001))
    start = round(0.00001 * RATE)
    for k, onset in enumerate(onsets[:-1]):
        assert onset == start + round(k * every * 60 * RATE)
    assert onsets[-1] == start + 100 * 60 * RATE


def test_an_interval_bell_on_the_end_is_left_to_the_end_bell() -> None:
    onsets = bell_onsets(TimerOptions(minutes=2, every=1))
    assert onsets == (0, 60 * RATE, 120 * RATE)
    onsets = bell_onsets(TimerOptions(minutes=2, every=2))
    assert onsets == (0, 120 * RATE)


def test_no_bell_keeps_the_marks_silent_and_the_same_frames() -> None:
    silent = timer_timeline(TimerOptions(minutes=5, every=1, delay=10), 0)
    rung = timer_timeline(TimerOptions(minutes=5, every=1, delay=10), BELL_FRAMES)
    assert bells(silent) == bells(rung)
    assert silent.cues() == ()
    assert silent.total_frames == 310 * RATE


def test_another_sample_rate_scales_every_frame() -> None:
    timeline = timer_timeline(TimerOptions(minutes=1, every=0.5, delay=2, sample_rate=44_100), 0)
    assert bells(timeline) == [2 * 44_100, 32 * 44_100, 62 * 44_100]


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (TimerOptions(), "needs a length"),
        (TimerOptions(minutes=5, open=True), "not both"),
        (TimerOptions(minutes=0.1), "minutes must be between"),
        (TimerOptions(minutes=121), "minutes must be between"),
        (TimerOptions(minutes=float("nan")), "minutes must be between"),
        (TimerOptions(minutes=5, every=0), "interval must be between 0.25 and 5"),
        (TimerOptions(minutes=5, every=6), "interval must be between 0.25 and 5"),
        (TimerOptions(minutes=5, every=float("inf")), "interval"),
        (TimerOptions(minutes=5, delay=-1), "delay must be between 0 and 600"),
        (TimerOptions(minutes=5, delay=601), "delay"),
        (TimerOptions(minutes=5, sample_rate=0), "sample rate"),
    ],
)
def test_bad_options_are_one_plain_usage_error(options: TimerOptions, says: str) -> None:
    with pytest.raises(TimerError, match=says) as caught:
        timer_timeline(options, BELL_FRAMES)
    assert isinstance(caught.value, LengthError)  # the CLI's existing exit-2 path
    assert "\n" not in str(caught.value)


def test_a_negative_bell_length_is_refused() -> None:
    with pytest.raises(TimerError):
        timer_timeline(TimerOptions(minutes=1), -1)


# -- open sittings --------------------------------------------------------------------------------


def open_timeline() -> Timeline:
    return timer_timeline(TimerOptions(open=True, every=1, delay=10), BELL_FRAMES)


def test_open_runs_to_the_longest_session_with_bells_all_the_way() -> None:
    timeline = open_timeline()
    onsets = bells(timeline)
    assert onsets[0] == 10 * RATE
    assert onsets[-1] == 10 * RATE + round(OPEN_LIMIT_MINUTES * 60 * RATE)
    assert len(onsets) == round(OPEN_LIMIT_MINUTES) + 1


def test_stopping_an_open_sitting_rings_the_end_bell_and_keeps_what_was_heard() -> None:
    timeline = open_timeline()
    stop = 200 * RATE + 17
    closed = close_open(timeline, stop, BELL_FRAMES)
    assert bells(closed) == [10 * RATE, 70 * RATE, 130 * RATE, 190 * RATE, stop]
    assert closed.total_frames == stop + BELL_FRAMES
    # Everything before the stop is the same event for event: the mixer can swap it in.
    before = [e for e in timeline.events if e.frame < stop]
    assert [e for e in closed.events if e.frame < stop] == before
    assert [s.index for s in closed.steps] == [SETTLE, SIT, CLOSE]
    assert closed.steps[1].end == stop
    assert closed.next_boundary(stop - 1) == stop
    assert [e.frame for e in closed.events] == sorted(e.frame for e in closed.events)
    assert sat_frames(closed, closed.total_frames) == stop - 10 * RATE


def test_stopping_while_settling_ends_at_once_without_a_bell() -> None:
    closed = close_open(open_timeline(), 4 * RATE, BELL_FRAMES)
    assert closed.total_frames == 4 * RATE
    assert bells(closed) == []
    assert [s.index for s in closed.steps] == [SETTLE]
    assert closed.steps[0].end == 4 * RATE
    assert sat_frames(closed, closed.total_frames) == 0


def test_stopping_once_the_end_bell_rings_changes_nothing() -> None:
    timeline = timer_timeline(TimerOptions(minutes=1), BELL_FRAMES)
    assert close_open(timeline, 60 * RATE, BELL_FRAMES) is timeline
    assert close_open(timeline, 61 * RATE, BELL_FRAMES) is timeline


def test_stopping_without_a_bell_ends_on_the_stop_frame() -> None:
    timeline = timer_timeline(TimerOptions(open=True), 0)
    closed = close_open(timeline, 90 * RATE, 0)
    assert closed.total_frames == 90 * RATE
    assert closed.cues() == ()


def test_time_sat_counts_from_the_start_bell_to_the_end_bell_at_most() -> None:
    timeline = timer_timeline(TimerOptions(minutes=2, delay=10), BELL_FRAMES)
    assert sat_frames(timeline, 5 * RATE) == 0
    assert sat_frames(timeline, 70 * RATE) == 60 * RATE
    assert sat_frames(timeline, timeline.total_frames) == 120 * RATE
