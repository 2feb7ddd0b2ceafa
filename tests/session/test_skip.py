"""Skip moves one step, counted from what is heard: never past a breathing block not yet heard.

"Right now" on a sound card that mixes ahead of what is heard (its latency), with a warm cache
and with a cold one (a slow voice: the session starts on the prefix whose speech is ready and
holds at its end until the rest has rendered). The test is the audio thread: it asks the mixer
for blocks itself, so every frame is where the test put it.
"""

from __future__ import annotations

import threading

import pytest

from assistant.core.clock import FakeClock
from assistant.core.library import shipped_script
from assistant.core.model import EventKind, PhaseKind, Script, StepSpan
from assistant.session import Practice, SessionRequest
from tests.helpers.driven import BLOCK, LATENCY, Device, SlowVoice

INSTRUCTION = "Breathe in through your nose, take a small extra sip, then let it out slowly."


def start(voice: SlowVoice) -> Practice:
    script = shipped_script("now")
    return Practice.start(SessionRequest(script), clock=FakeClock(), renderer=voice)


def span_of(practice: Practice, kind: str) -> StepSpan:
    return next(s for s in practice.session.timeline.steps if s.kind == kind)


def pump_to(practice: Practice, device: Device, frame: int) -> None:
    """Mix until the device has been handed ``frame`` (and look, as a view's tick would)."""
    transport = practice.session.mixer.transport
    while transport.frame < frame and not transport.at_end:
        device.pump(BLOCK)
        practice.look()


def finish(practice: Practice, device: Device) -> int:
    """Play to the end; the breaths the practice counted."""
    transport = practice.session.mixer.transport
    while not transport.finishing:
        device.pump(BLOCK * 8)
        practice.look()
    practice.look(at_end=True)
    breaths = practice.result().breaths
    practice.close()
    return breaths


def inhales(script: Script, practice: Practice) -> int:
    return sum(
        1
        for e in practice.session.timeline.events
        if e.kind is EventKind.PHASE and e.phase is PhaseKind.INHALE
    )


def test_warm_a_skip_in_the_instructions_last_moment_lands_on_the_breathing(
    device: list[Device],
) -> None:
    """The device has mixed the first frames of the breathing while the instruction's end is
    still being heard: the skip meant the instruction, so the breathing plays in full."""
    script = shipped_script("now")
    from assistant.core.compiler import spoken_texts

    practice = start(SlowVoice(set(spoken_texts(script)), threading.Event()))
    assert practice.session.complete
    breathing = span_of(practice, "breathe")
    pump_to(practice, device[0], breathing.start + BLOCK)
    heard = practice.position()
    assert heard < breathing.start  # the instruction is still what is heard
    practice.skip()
    device[0].pump(BLOCK)
    assert breathing.start <= practice.session.mixer.transport.frame < breathing.end
    assert finish(practice, device[0]) == inhales(script, practice)


@pytest.mark.parametrize("instruction_ready", [True, False], ids=["held-after", "held-before"])
def test_cold_a_skip_while_held_at_the_prefix_end_never_passes_the_breathing(
    device: list[Device], instruction_ready: bool
) -> None:
    """Cold cache: the clock holds at the prefix's end while the rest renders. A skip pressed
    there (the screen showed the last caption) is applied once the full timeline is in: it
    must land where the session resumes, never past the breathing block that comes next."""
    script = shipped_script("now")
    first = "I'm here. Let's slow things down together."
    warm = {first, INSTRUCTION} if instruction_ready else {first}
    gate = threading.Event()
    practice = start(SlowVoice(warm, gate))
    session = practice.session
    assert not session.complete
    prefix_end = session.timeline.total_frames
    device[0].pump(prefix_end + LATENCY + BLOCK)  # the prefix is played out, then silence
    look = practice.look()
    assert session.mixer.transport.at_end and not session.complete  # held
    assert look.frame == prefix_end  # all of the prefix has been heard...
    assert look.caption_over  # ...so its last words leave the screen
    practice.skip()  # nothing more to skip here: the next step is where it resumes
    gate.set()  # the slow voice finishes; the full timeline comes in
    for thread in session._background:
        thread.join(30)
    assert session.complete
    device[0].pump(BLOCK)  # the pending skip is taken by the audio thread now
    practice.skip()  # pressed again while the device still sounds the silence of the hold
    device[0].pump(BLOCK)
    assert session.mixer.transport.frame <= prefix_end + 2 * BLOCK
    resumed = session.timeline.step_at(prefix_end)
    assert resumed is not None and resumed.start == prefix_end
    assert finish(practice, device[0]) == inhales(script, practice)
    assert practice.result().breaths > 1


def test_cold_a_skip_of_the_instruction_lands_on_the_breathing(device: list[Device]) -> None:
    """The instruction is in the prefix and being heard: skip goes to the prefix's end (where
    the breathing starts once the rest has rendered), then every breath plays."""
    script = shipped_script("now")
    gate = threading.Event()
    practice = start(SlowVoice({"I'm here. Let's slow things down together.", INSTRUCTION}, gate))
    session = practice.session
    instruction = next(s for s in session.timeline.steps if s.title == INSTRUCTION)
    pump_to(practice, device[0], instruction.start + LATENCY + BLOCK * 4)
    assert practice.position() > instruction.start
    practice.skip()
    device[0].pump(BLOCK)
    assert session.mixer.transport.frame == instruction.end == session.timeline.total_frames
    gate.set()
    for thread in session._background:
        thread.join(30)
    assert finish(practice, device[0]) == inhales(script, practice)


def test_each_skip_moves_one_step(device: list[Device]) -> None:
    """Pressed again and again once each step is heard: every step is reached in turn, the
    breathing block among them."""
    script = shipped_script("now")
    from assistant.core.compiler import spoken_texts

    practice = start(SlowVoice(set(spoken_texts(script)), threading.Event()))
    timeline = practice.session.timeline
    order = [s.start for s in timeline.steps if s.end > s.start]
    reached = []
    while True:
        device[0].pump(LATENCY + BLOCK)  # heard catches up with the mixed frames
        span = timeline.step_at(practice.position())
        assert span is not None
        reached.append(span.start)
        if span.start == order[-1]:
            break
        practice.skip()
    assert reached == order
    practice.close()
