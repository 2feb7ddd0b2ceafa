"""The time left a session shows: it starts at the planned length and never jumps up, however a
cold cache's real length differs from its estimate."""

from __future__ import annotations

import itertools
import threading

import pytest

from assistant.core.library import shipped_script
from assistant.session.countdown import SLOWEST, Countdown
from tests.helpers.driven import BLOCK, Device, SlowVoice

RATE = 48_000


def run(
    countdown: Countdown, totals: dict[int, int], end: int, step: int = RATE // 10
) -> list[int]:
    """The shown frames left at every ``step`` until ``end``, the total changing at the frames
    in ``totals``."""
    total, shown = totals[0], []
    for frame in range(0, end + 1, step):
        total = max((f, t) for f, t in totals.items() if f <= frame)[1]
        shown.append(countdown.left(frame, total))
    return shown


@pytest.mark.parametrize(
    "real", [105 * RATE, 60 * RATE, 76 * RATE], ids=["longer", "shorter", "same"]
)
def test_a_changed_length_is_absorbed_never_shown_as_a_jump(real: int) -> None:
    estimate = 76 * RATE
    countdown = Countdown(estimate)
    change = 10 * RATE  # the cold cache's speech has all rendered here
    shown = run(countdown, {0: estimate, change: real}, real, step=RATE // 10)
    assert shown[0] == estimate  # the planned length, from the start
    assert all(b <= a for a, b in itertools.pairwise(shown))  # never up
    assert shown[-1] == 0  # and the real end is 0:00
    step = RATE // 10
    slowest = min(a - b for a, b in itertools.pairwise(shown))
    assert slowest >= SLOWEST * step - 1  # the shown clock never stands still
    # Caught up with the real time left well before the end.
    caught = next(i for i, s in enumerate(shown) if i * step >= change and s == real - i * step)
    assert caught * step <= change + 2 * abs(real - estimate) + step


def test_skips_only_bring_the_end_nearer() -> None:
    countdown = Countdown(100 * RATE)
    assert countdown.left(0, 100 * RATE) == 100 * RATE
    assert countdown.left(5 * RATE, 130 * RATE) <= 95 * RATE  # longer: absorbed
    assert countdown.left(60 * RATE, 130 * RATE) <= 70 * RATE  # a skip ahead
    assert countdown.left(130 * RATE, 130 * RATE) == 0


SCRIPT = """
[[step]]
say = "Hello there."
[[step]]
say = "Sit comfortably, with your back supported if you can, and let your shoulders drop."
pause = 1
[[step]]
breathe = "Slow"
inhale = 4
exhale = 6
cycles = 3
[[step]]
say = "Notice how you feel now, and carry on whenever you are ready."
"""


class LongVoice(SlowVoice):
    """Speaks far slower than the estimate: the real session is much longer than planned."""

    @staticmethod
    def pcm(text: str) -> bytes:
        return b"\x10\x00" * (len(text) * 4800)  # 100 ms a character


def test_a_cold_session_counts_down_from_its_plan_without_a_jump(device: list[Device]) -> None:
    """A slow voice on a cold cache: the countdown starts at the whole session's planned length
    (not the prefix's), and when the real, much longer length comes in it never goes up."""
    from assistant.core.clock import FakeClock
    from assistant.session import Practice, SessionRequest
    from tests.helpers import script_from

    gate = threading.Event()
    voice = LongVoice({"Hello there."}, gate)
    script = script_from(SCRIPT)
    practice = Practice.start(SessionRequest(script), clock=FakeClock(), renderer=voice)
    session = practice.session
    assert not session.complete
    first = practice.look()
    planned = session.planned_frames
    assert first.left == pytest.approx(planned / RATE, abs=0.05)
    assert first.left > session.timeline.seconds + 30  # the whole plan, not the prefix
    lefts = [first.left]
    transport = session.mixer.transport
    released = False
    while not transport.finishing:
        device[0].pump(BLOCK * 4)
        if transport.at_end and not released:  # held at the prefix's end: let it render
            gate.set()
            for thread in session._background:
                thread.join(30)
            released = True
        look = practice.look()
        lefts.append(look.left)
        assert 0 <= look.done <= 1
    assert session.complete and session.timeline.total_frames > planned + 3 * RATE  # longer
    assert all(b <= a for a, b in itertools.pairwise(lefts)), "the countdown went up"
    assert practice.look(at_end=True).left == 0
    assert practice.result().planned_seconds == session.timeline.seconds
    practice.close()


def test_the_countdown_starts_at_the_listed_length() -> None:
    from assistant.core.clock import FakeClock
    from assistant.core.model import length_text
    from assistant.core.pacing import left_text
    from assistant.session import Practice, listed_seconds, request_for
    from assistant.storage.settings import Settings

    settings = Settings(engine="none")
    for script_id in ("now", "box", "five-senses"):
        script = shipped_script(script_id)
        practice = Practice.start(request_for(settings, script, sound=False), clock=FakeClock())
        look = practice.look()
        practice.close()
        assert left_text(look.left) == length_text(listed_seconds(settings, script)), script_id
