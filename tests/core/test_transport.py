"""The silent player keeps exact time from a clock: pause, resume, skip, finish (fake clock)."""

from __future__ import annotations

from assistant.core.clock import FakeClock
from assistant.core.compiler import compile_timeline
from assistant.core.transport import SilentPlayer
from tests.helpers import RATE, fixed_lengths, script_from

SCRIPT = (
    '[[step]]\nsay = "One."\npause = 1\n[[step]]\nsay = "Two."\npause = 1\n'
    '[[step]]\nsay = "Three."\n'
)


def make() -> tuple[SilentPlayer, FakeClock]:
    timeline = compile_timeline(script_from(SCRIPT), fixed_lengths(1.0))
    clock = FakeClock(100.0)
    player = SilentPlayer(timeline, clock)
    player.start()
    return player, clock


def test_position_follows_the_clock() -> None:
    player, clock = make()
    assert player.position() == 0
    clock.advance(1.5)
    assert player.position() == round(1.5 * RATE)


def test_pause_freezes_and_resume_continues_from_the_same_frame() -> None:
    player, clock = make()
    clock.advance(0.5)
    player.pause()
    frozen = player.position()
    clock.advance(30)
    assert player.position() == frozen
    player.resume()
    clock.advance(0.25)
    assert player.position() == frozen + RATE // 4


def test_skip_jumps_to_the_next_step() -> None:
    player, clock = make()
    clock.advance(0.3)
    player.skip()
    assert player.position() == 2 * RATE  # "Two." starts after 1 s of speech + 1 s pause
    player.skip()
    assert player.position() == 4 * RATE


def test_wait_runs_to_the_end_with_a_fake_clock() -> None:
    player, clock = make()
    waits = 0
    while not player.wait(0.05):
        waits += 1
        assert waits < 10_000
    assert player.finished
    assert player.position() == player.timeline.total_frames
    assert abs(clock.now() - 100.0 - player.timeline.seconds) < 0.06


def test_paused_player_does_not_finish() -> None:
    player, _clock = make()
    player.pause()
    for _ in range(100):
        assert not player.wait(1.0)
    player.resume()
    while not player.wait(1.0):
        pass
    assert player.finished


def test_stop_ends_at_once() -> None:
    player, _ = make()
    player.stop()
    assert player.finished
    assert player.wait(10)
