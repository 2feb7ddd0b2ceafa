"""The session screen's clock cadence: every frame while the pacer moves, else when due."""

from __future__ import annotations

import pytest

from assistant.core.compiler import compile_timeline
from assistant.core.model import EventKind, PhaseKind, Timeline
from assistant.core.pacing import PhaseIndex
from assistant.ui.cadence import LONGEST, Cadence
from tests.helpers import fixed_lengths, script_from

FPS = 30


@pytest.fixture
def timeline() -> Timeline:
    script = script_from(
        '[[step]]\nsay = "Hello."\npause = 3\n\n'
        '[[step]]\nbreathe = "Box"\ninhale = 4\nhold = 4\nexhale = 4\nhold_after_exhale = 4\n'
        "cycles = 2\ntones = false\n"
    )
    return compile_timeline(script, fixed_lengths())


def test_a_moving_phase_is_looked_at_every_frame(timeline: Timeline) -> None:
    phases = PhaseIndex(timeline)
    cadence = Cadence(FPS)
    for kind in (PhaseKind.INHALE, PhaseKind.EXHALE):
        event = next(e for e in phases.phases if e.phase is kind)
        frame = event.frame + event.duration // 3
        assert cadence.delay(timeline, frame, phases.at(frame), paused=False) == 1 / FPS


def test_still_moments_wait_until_something_shown_changes(timeline: Timeline) -> None:
    phases = PhaseIndex(timeline)
    rate = timeline.sample_rate
    cadence = Cadence(FPS)
    hold = next(e for e in phases.phases if e.phase is PhaseKind.HOLD)
    # 0.1 s before the hold's count drops from 4 to 3: looked at just then.
    frame = hold.frame + round(0.9 * rate)
    assert cadence.delay(timeline, frame, phases.at(frame), paused=False) == pytest.approx(
        0.1, abs=1 / rate
    )
    # Far from any change: no longer than LONGEST, never sooner than a frame.
    assert cadence.delay(timeline, hold.frame + rate // 2, hold, paused=False) == LONGEST
    first_phase = phases.phases[0]
    just_before = first_phase.frame - round(0.01 * rate)
    assert phases.at(just_before) is None
    assert cadence.delay(timeline, just_before, None, paused=False) == 1 / FPS
    # Narration: the next event (a caption or the first phase) is what is due.
    say = next(e for e in timeline.events if e.kind is EventKind.SAY)
    assert cadence.delay(timeline, say.frame - round(0.2 * rate), None, paused=False) == (
        pytest.approx(0.2, abs=1 / rate)
    )


def test_paused_waits_longest(timeline: Timeline) -> None:
    phases = PhaseIndex(timeline)
    inhale = phases.phases[0]
    assert Cadence(FPS).delay(timeline, inhale.frame + 10, inhale, paused=True) == LONGEST
