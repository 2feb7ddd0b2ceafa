"""The breath coach: gating, sparse remarks, remarks said between cues, and the breath trace."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from assistant.core.clock import FakeClock
from assistant.core.compiler import compile_timeline
from assistant.core.feedback import sound_intervals, voice_active, voice_intervals
from assistant.core.model import ClipKind, ClipRef, EventKind, PhaseKind, Timeline
from assistant.session import REMARK_LEAD, REMARK_MARGIN, Session, SessionRequest, remark_onset
from assistant.session.coach import ADVICE_EVERY, Coach
from assistant.session.reading import TracePoint
from assistant.sound.mixer import Mixer, render_offline
from tests.helpers import RATE, FakeMeter, fixed_lengths, script_from

SCRIPT = """
[[step]]
say = "Settle in."
[[step]]
breathe = "Slow"
inhale = 4
exhale = 6
cycles = 20
words = { inhale = "in", exhale = "out" }
"""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(100.0)


@pytest.fixture
def session(clock: FakeClock) -> Any:
    request = SessionRequest(script=script_from(SCRIPT), sound=False, engine="none")
    opened = Session.open(request, clock=clock)
    yield opened
    opened.close()


def test_the_microphone_is_gated_only_while_the_guide_speaks(session: Any) -> None:
    meter = FakeMeter()
    coach = Coach(session, meter, gate_voice=True)
    spans = voice_intervals(session.timeline)
    start, end = spans[0]
    coach.update(start + 10)
    assert meter.gated
    coach.update(end + RATE)
    assert not meter.gated
    Coach(session, meter, gate_voice=False).update(start + 10)
    assert not meter.gated  # headphones: the mic never hears the guide


SOUNDS = """
[[step]]
chime = "bell"
pause = 2
[[step]]
breathe = "Slow"
inhale = 4
exhale = 6
cycles = 5
words = { inhale = "in", exhale = "out" }
words_for = 1
"""


def _tones_only(session: Any, phase: PhaseKind) -> int:
    """The onset of a ``phase`` tone in a breath with no spoken word (words stop after one)."""
    timeline: Timeline = session.timeline
    return next(
        e.frame
        for e in timeline.events
        if e.kind is EventKind.TONE and e.phase is phase and e.cycle == 2
    )


def test_the_microphone_is_gated_while_the_tones_and_the_bell_play(clock: FakeClock) -> None:
    from assistant.sound.assets import load_sound

    request = SessionRequest(script=script_from(SOUNDS), sound=False, engine="none")
    session = Session.open(request, clock=clock)
    try:
        meter = FakeMeter()
        coach = Coach(session, meter, gate_voice=True)
        bell = next(e for e in session.timeline.events if e.kind is EventKind.CHIME)
        coach.update(bell.frame + bell.duration - RATE // 10)  # the bell's last tenth of a second
        assert meter.gated
        coach.update(bell.frame + bell.duration + RATE // 10)
        assert not meter.gated
        inhale = _tones_only(session, PhaseKind.INHALE)
        tone = len(load_sound("inhale")) // 2
        assert not any(s <= inhale < e for s, e in voice_intervals(session.timeline))
        for heard in (inhale, inhale + tone - 1):  # the tone's first and last frame
            coach.update(heard)
            assert meter.gated, heard
        coach.update(inhale + tone)
        assert not meter.gated  # the rest of the breath in is heard
        exhale = _tones_only(session, PhaseKind.EXHALE)
        coach.update(exhale + RATE // 2)
        assert meter.gated
        Coach(session, meter, gate_voice=False).update(exhale + RATE // 2)
        assert not meter.gated  # headphones: the microphone hears no tone either
        session.toggle("tones")  # tones off: nothing to keep out of the microphone
        coach.update(inhale + RATE // 4)
        assert not meter.gated
        session.toggle("tones")
        coach.update(inhale + RATE // 4)
        assert meter.gated
    finally:
        session.close()


def test_the_sounds_spans_are_merged_so_none_hides_inside_another() -> None:
    timeline = compile_timeline(script_from(SOUNDS), fixed_lengths(speech_seconds=1.0))
    tone = 5 * RATE  # longer than a phase: every tone overlaps the next phase's word and tone
    spans = sound_intervals(timeline, lambda ref: tone)
    assert all(end < start for (_, end), (start, _) in itertools.pairwise(spans))
    raw = voice_intervals(timeline) + [
        (e.frame, e.frame + (e.duration or tone))
        for e in timeline.events
        if e.kind in (EventKind.TONE, EventKind.CHIME)
    ]
    for frame in range(0, timeline.total_frames, RATE // 10):
        assert voice_active(spans, frame) == any(s <= frame < e for s, e in raw), frame
    quiet = sound_intervals(timeline, lambda ref: tone, voice=False, tones=False)
    bell = next(e for e in timeline.events if e.kind is EventKind.CHIME)
    assert quiet == [(bell.frame, bell.frame + bell.duration)]  # the bell is always heard


def test_a_remark_at_most_once_a_minute(session: Any, clock: FakeClock) -> None:
    coach = Coach(session, FakeMeter(rate=8.0), gate_voice=True)
    breathing = next(e.frame for e in session.timeline.events if e.phase is PhaseKind.INHALE)
    remarks = []
    for second in range(150):
        reading = coach.update(breathing + second * RATE)
        if reading.advice:
            remarks.append((second, reading.advice))
    assert [s for s, _ in remarks] == [0, ADVICE_EVERY, 2 * ADVICE_EVERY]
    assert "target is 6" in remarks[0][1] and "exhale run a little longer" in remarks[0][1]


def test_no_remark_without_a_settled_rate_or_outside_breathing(session: Any) -> None:
    coach = Coach(session, FakeMeter(rate=None), gate_voice=True)
    assert all(coach.update(f * RATE).advice is None for f in range(0, 60, 5))
    narration = Coach(session, FakeMeter(rate=8.0), gate_voice=True)
    assert narration.update(10).advice is None  # "Settle in." is not a breathing block


def test_the_trace_samples_the_guide_and_the_breath_twice_a_second(session: Any) -> None:
    meter = FakeMeter(breath=0.25)
    coach = Coach(session, meter, gate_voice=True)
    inhale = next(e.frame for e in session.timeline.events if e.phase is PhaseKind.INHALE)
    assert coach.update(inhale).trace == ()  # the first call only starts the clock
    columns: list[TracePoint] = []
    for tick in range(1, 41):  # 4 s of inhale at 10 Hz
        columns.extend(coach.update(inhale + tick * RATE // 10).trace)
    assert len(columns) == 8
    guides = [c.guide for c in columns]
    assert guides == sorted(guides) and guides[-1] > guides[0]  # breathing in: filling
    assert {c.heard for c in columns} == {0.25}


def test_the_trace_restarts_after_a_skip(session: Any) -> None:
    coach = Coach(session, FakeMeter(), gate_voice=True)
    coach.update(0)
    assert len(coach.update(RATE).trace) == 2
    assert coach.update(60 * RATE).trace == ()  # a skip: no minute of copied columns
    assert len(coach.update(61 * RATE).trace) == 2


def test_the_trace_does_not_move_while_paused(session: Any) -> None:
    meter = FakeMeter()
    coach = Coach(session, meter, gate_voice=True)
    coach.update(0)
    session.player.pause()
    taken = meter.taken
    assert coach.update(RATE // 4).trace == ()
    assert meter.taken == taken + 1  # breath heard during the pause is dropped, not drawn


def test_speaking_remarks_without_a_sound_card_is_given_up_quietly(session: Any) -> None:
    coach = Coach(session, FakeMeter(rate=8.0), gate_voice=True, speak=True)
    breathing = next(e.frame for e in session.timeline.events if e.phase is PhaseKind.INHALE)
    assert coach.update(breathing).advice is not None
    assert session.say_in_a_gap("A little slower.") is None  # captions only: never
    assert coach._pending is None


# -- where a spoken remark may go ------------------------------------------------------------


def _timeline() -> Any:
    return compile_timeline(script_from(SCRIPT), fixed_lengths(speech_seconds=1.0))


def test_a_remark_waits_for_a_gap_in_the_guides_words() -> None:
    timeline = _timeline()
    spans = voice_intervals(timeline)
    length = RATE  # one second
    lead, margin = round(REMARK_LEAD * RATE), round(REMARK_MARGIN * RATE)
    # Right before the guide speaks: not now.
    first_word = spans[1][0]
    assert remark_onset(first_word - lead - length, length, spans, timeline) is None
    # Well inside the gap between "in" and "out" (4 s apart): now, at mixed + lead.
    gap_start = spans[1][1]
    mixed = gap_start + margin - lead
    onset = remark_onset(mixed, length, spans, timeline)
    assert onset == mixed + lead
    assert onset - margin >= gap_start and onset + length + margin <= spans[2][0]
    # Never past the end of the session.
    assert remark_onset(timeline.total_frames - lead, length, [], timeline) is None


def test_an_added_cue_plays_at_its_frame_and_survives_a_recompile() -> None:
    timeline = _timeline()
    lengths = fixed_lengths(speech_seconds=1.0)
    clips = {
        cue.clip: b"\x00\x00" * lengths(cue.clip) for cue in timeline.cues() if cue.clip is not None
    }
    mixer = Mixer(timeline, clips)
    remark = ClipRef(ClipKind.SPEECH, "A remark.")
    at = 7 * RATE + 123
    mixer.add_cue(at, remark, b"\x01\x00" * 480)
    mixer.replace_timeline(timeline)
    pcm = render_offline(mixer)
    assert pcm[at * 2 : (at + 480) * 2] == b"\x01\x00" * 480
    assert pcm[(at - 1) * 2 : at * 2] == b"\x00\x00"
    assert pcm[(at + 480) * 2 : (at + 481) * 2] == b"\x00\x00"
    with pytest.raises(ValueError, match="unknown mixer group"):
        mixer.add_cue(at, remark, b"", group="drums")
    assert EventKind.SAY in {e.kind for e in timeline.events}
