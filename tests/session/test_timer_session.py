"""A plain timer as a practice on a fake clock: the bells, the time sat, ending with the end bell,
and its row in the practice log (an open sitting with the time sat)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from assistant.core.clock import FakeClock
from assistant.core.model import EventKind
from assistant.core.timer import TimerError, TimerOptions
from assistant.session import OPEN_LOG, Practice, timer_request
from assistant.session.timer import TimerSession
from assistant.sound.palette import sound_pcm
from assistant.storage.log import PracticeLog
from assistant.storage.settings import Settings

RATE = 48_000
BELL_SECONDS = len(sound_pcm("bell")) / 2 / RATE


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(100.0)


@pytest.fixture
def log() -> Iterator[PracticeLog]:
    with PracticeLog.open() as opened:
        yield opened


def sit(clock: FakeClock, options: TimerOptions, **kwargs: object) -> Practice:
    request = timer_request(Settings(), options, sound=False, **kwargs)
    return Practice.start(request, clock=clock, log=OPEN_LOG)


def chimes(practice: Practice) -> list[float]:
    timeline = practice.timeline
    return [e.frame / RATE for e in timeline.events if e.kind is EventKind.CHIME]


def test_a_timed_sitting_rings_its_bells_and_logs_the_time_sat(clock: FakeClock) -> None:
    practice = sit(clock, TimerOptions(minutes=3, every=1, delay=5))
    assert isinstance(practice.session, TimerSession) and practice.is_timer
    assert chimes(practice) == [5.0, 65.0, 125.0, 185.0]
    look = practice.look().timer
    assert look is not None and look.settling and look.next_bell_seconds == 5.0
    clock.advance(35)
    look = practice.look().timer
    assert look is not None and not look.settling
    assert look.sat_seconds == pytest.approx(30.0)
    assert look.next_bell_seconds == pytest.approx(30.0)
    clock.advance(200)
    assert practice.wait(0.1)
    result = practice.end(completed=practice.heard_to_end)
    assert result.completed and result.practised_seconds == pytest.approx(180.0)
    assert result.title == "Timer" and result.breaths == 0
    practice.save()
    with PracticeLog.open() as log:
        (entry,) = log.entries()
    assert (entry.script_id, entry.script_title, entry.completed) == ("timer", "Timer", True)
    assert entry.practised_seconds == pytest.approx(180.0)
    assert entry.planned_seconds == pytest.approx(5 + 180 + BELL_SECONDS)


def test_an_open_sitting_ends_with_the_end_bell_and_logs_the_time_sat(clock: FakeClock) -> None:
    practice = sit(clock, TimerOptions(open=True, every=5, delay=0))
    look = practice.look().timer
    assert look is not None and look.open and look.next_bell_seconds == pytest.approx(300.0)
    clock.advance(7 * 60)
    look = practice.look().timer
    assert look is not None and look.next_bell_seconds == pytest.approx(180.0)
    assert practice.ring_out()
    assert not practice.ring_out()  # once
    closing = practice.look().timer
    assert closing is not None and closing.closing and closing.next_bell_seconds is None
    timeline = practice.timeline
    last = [e for e in timeline.events if e.kind is EventKind.CHIME][-1]
    assert last.frame == 7 * 60 * RATE  # the end bell rings where the person stopped
    assert timeline.total_frames == last.frame + len(sound_pcm("bell")) // 2
    assert not practice.wait(0.01)
    clock.advance(BELL_SECONDS + 0.1)
    assert practice.wait(0.1)
    result = practice.end(completed=practice.heard_to_end)
    assert result.completed  # an open sitting ended by the person is a whole sitting
    assert result.practised_seconds == pytest.approx(420.0)
    practice.save()
    with PracticeLog.open() as log:
        (entry,) = log.entries()
    assert entry.practised_seconds == pytest.approx(420.0) and entry.completed
    assert entry.planned_seconds == pytest.approx(420.0 + BELL_SECONDS)


def test_a_timed_sitting_ended_early_rings_out_but_counts_as_stopped(clock: FakeClock) -> None:
    practice = sit(clock, TimerOptions(minutes=10))
    clock.advance(60)
    assert practice.ring_out()
    clock.advance(BELL_SECONDS + 1)
    assert practice.wait(0.1)
    result = practice.end(completed=practice.heard_to_end)
    assert not result.completed and result.practised_seconds == pytest.approx(60.0)
    practice.close()


def test_nothing_rings_out_before_the_start_bell(clock: FakeClock) -> None:
    practice = sit(clock, TimerOptions(minutes=5, delay=30))
    clock.advance(10)
    assert not practice.ring_out()  # still settling: the caller stops at once
    practice.interrupted()
    assert practice.result().practised_seconds == 0.0
    practice.close()


def test_skipped_stretches_and_pauses_are_not_sat(clock: FakeClock) -> None:
    practice = sit(clock, TimerOptions(minutes=5, delay=60))
    clock.advance(20)
    practice.skip()  # to the start bell: the rest of the quiet is not sat
    clock.advance(30)
    practice.pause()
    clock.advance(100)  # paused: not counted
    practice.resume()
    clock.advance(30)
    assert practice.result().practised_seconds == pytest.approx(60.0)
    practice.skip()  # to the end bell: the rest of the sitting is not sat
    clock.advance(0.5)
    look = practice.look().timer
    assert look is not None and look.closing
    assert practice.result().practised_seconds == pytest.approx(60.0)
    practice.close()


def test_without_a_bell_the_bells_are_silent_marks(clock: FakeClock) -> None:
    practice = sit(clock, TimerOptions(minutes=2, every=1), bell="none")
    bells = [e for e in practice.timeline.events if e.kind is EventKind.CHIME]
    assert [e.frame / RATE for e in bells] == [0.0, 60.0, 120.0]
    assert all(e.clip is None for e in bells)
    assert practice.timeline.total_frames == 120 * RATE
    practice.close()


def test_the_timer_takes_the_settings_sounds_with_the_choices_on_top() -> None:
    settings = replace(Settings(), bell="chime", ambient="rain", tones_volume=0.4, volume=0.7)
    request = timer_request(settings, TimerOptions(minutes=5))
    assert (request.bell, request.ambient, request.tones_volume) == ("chime", "rain", 0.4)
    assert request.engine == "none" and not request.voice_on and request.volume == 0.7
    chosen = timer_request(settings, TimerOptions(minutes=5), bell="none", ambient="waves")
    assert (chosen.bell, chosen.ambient) == ("none", "waves")


def test_options_that_make_no_sitting_are_refused(clock: FakeClock) -> None:
    with pytest.raises(TimerError, match="interval"):
        sit(clock, TimerOptions(minutes=1, every=3))


def test_a_timer_is_silent_by_design_not_a_script_held_to_the_150_second_rule() -> None:
    """Scripts must speak at least every 150 s (``QUIET_LIMIT``: the loader's check and the
    shipped scripts' test); a timer is not a script and says nothing at all, on purpose."""
    from assistant.core.compiler import quiet_stretches
    from assistant.core.library import every_shipped_script
    from assistant.core.model import QUIET_LIMIT
    from assistant.session import TIMER_SCRIPT
    from assistant.session.build import timer_parts

    options = TimerOptions(minutes=20.0, every=5.0, delay=10.0)
    timeline, _ = timer_parts(timer_request(Settings(), options, sound=False))
    assert not [e for e in timeline.events if e.kind is EventKind.SAY]
    stretches = quiet_stretches(timeline, QUIET_LIMIT)
    assert stretches == [(0, timeline.total_frames)]  # one silence, start to end: by design
    # The exemption is that it is not a script: no steps to check, and no shipped file
    # (so neither the loader's check nor the shipped scripts' test ever sees it).
    assert TIMER_SCRIPT.steps == ()
    assert TIMER_SCRIPT.id not in {s.id for s in every_shipped_script()}
