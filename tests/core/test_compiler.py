"""The timing contract (ARCHITECTURE.md §3): exact frames, a fixed grid, sequential narration."""

from __future__ import annotations

import itertools
from typing import cast

import pytest

from assistant.core.compiler import CompileOptions, LengthError, compile_timeline
from assistant.core.model import EventKind, PhaseKind, Timeline
from tests.helpers import RATE, fixed_lengths, script_from

BOX = """
minutes = 2
[[step]]
say = "Hello."
pause = 0.5
[[step]]
breathe = "Box"
inhale = 4
hold = 4
exhale = 4
hold_after_exhale = 4
fill = true
words = { inhale = "in", exhale = "out" }
words_for = 2
[[step]]
say = "Done."
"""


def phases(timeline: Timeline) -> list[tuple[int, PhaseKind]]:
    return [
        (e.frame, cast(PhaseKind, e.phase)) for e in timeline.events if e.kind is EventKind.PHASE
    ]


def test_box_grid_is_exact_frames() -> None:
    timeline = compile_timeline(script_from(BOX), fixed_lengths(1.0), CompileOptions(minutes=2))
    start = RATE + RATE // 2  # "Hello." 1 s + pause 0.5 s
    got = phases(timeline)[:9]
    kinds = [PhaseKind.INHALE, PhaseKind.HOLD, PhaseKind.EXHALE, PhaseKind.HOLD_AFTER_EXHALE] * 3
    assert got == [(start + 4 * RATE * k, kinds[k]) for k in range(9)]


def test_speech_never_pushes_the_grid() -> None:
    short = compile_timeline(script_from(BOX), fixed_lengths(0.2), CompileOptions(breaths=3))
    long = compile_timeline(script_from(BOX), fixed_lengths(3.9), CompileOptions(breaths=3))

    def offsets(t: Timeline) -> list[int]:
        block = [f for f, _ in phases(t)]
        return [f - block[0] for f in block]

    assert offsets(short) == offsets(long)


def test_narration_is_sequential() -> None:
    script = script_from(
        '[[step]]\nsay = "One."\npause = 2\n[[step]]\nsay = "Two three."\n'
        'pause = 1\n[[step]]\nchime = "bell"\n'
    )
    timeline = compile_timeline(script, fixed_lengths(1.5, 2.5))
    onsets = [(e.kind, e.frame) for e in timeline.events if e.clip is not None]
    assert onsets == [
        (EventKind.SAY, 0),
        (EventKind.SAY, round(3.5 * RATE)),
        (EventKind.CHIME, round(6.0 * RATE)),
    ]
    assert timeline.total_frames == round(8.5 * RATE)


def test_words_only_for_the_first_cycles_and_tones_on_every_phase() -> None:
    timeline = compile_timeline(script_from(BOX), fixed_lengths(), CompileOptions(breaths=4))
    words = [e for e in timeline.events if e.kind is EventKind.WORD]
    tones = [e for e in timeline.events if e.kind is EventKind.TONE]
    assert [e.text for e in words] == ["in", "out", "in", "out"]
    assert {e.cycle for e in words} == {0, 1}
    assert len(tones) == len(phases(timeline))
    for tone in tones:  # every tone starts exactly on its phase
        assert (tone.frame, tone.phase) in phases(timeline)


@pytest.mark.parametrize("minutes", [0.5, 1, 2, 3.3, 10])
def test_minutes_end_on_a_whole_breath_after_an_exhale(minutes: float) -> None:
    timeline = compile_timeline(script_from(BOX), fixed_lengths(), CompileOptions(minutes=minutes))
    block = [e for e in timeline.events if e.kind is EventKind.PHASE]
    assert block[-1].phase is PhaseKind.EXHALE
    assert block[-1].frame + block[-1].duration == timeline.steps[1].end
    # The length is the requested one to within half a breath (plus the final hold dropped).
    assert abs(timeline.total_frames - minutes * 60 * RATE) <= 10 * RATE


def test_no_holds_removes_every_hold() -> None:
    timeline = compile_timeline(
        script_from(BOX), fixed_lengths(), CompileOptions(breaths=3, no_holds=True)
    )
    kinds = [p for _, p in phases(timeline)]
    assert kinds == [PhaseKind.INHALE, PhaseKind.EXHALE] * 3
    assert all(not p.is_hold for p in kinds)


@pytest.mark.parametrize("pace", [0.8, 0.9, 1.0, 1.13, 1.25])
def test_pace_scales_phases_without_drift(pace: float) -> None:
    script = script_from("""
[[step]]
breathe = "Resonance"
inhale = 5.5
exhale = 5.5
cycles = 200
""")
    timeline = compile_timeline(script, fixed_lengths(), CompileOptions(pace=pace))
    onsets = [f for f, _ in phases(timeline)]
    # Each onset is derived from cumulative seconds: never more than half a frame from exact.
    for k, frame in enumerate(onsets):
        assert abs(frame - k * 5.5 * pace * RATE) <= 0.5
    assert timeline.breaths == 200


def test_pace_outside_range_is_refused() -> None:
    with pytest.raises(LengthError, match="pace"):
        compile_timeline(script_from(BOX), fixed_lengths(), CompileOptions(pace=2.0))


def test_fixed_script_refuses_minutes() -> None:
    script = script_from('[[step]]\nsay = "Hi."\n')
    with pytest.raises(LengthError, match="fixed length"):
        compile_timeline(script, fixed_lengths(), CompileOptions(minutes=3))


def test_max_cycles_caps_a_longer_request() -> None:
    script = script_from("""
minutes = 1
[[step]]
breathe = "4-7-8"
inhale = 4
hold = 7
exhale = 8
fill = true
max_cycles = 4
""")
    timeline = compile_timeline(script, fixed_lengths(), CompileOptions(minutes=30))
    assert timeline.breaths == 4


def test_breaths_option_sets_the_number_of_cycles() -> None:
    timeline = compile_timeline(script_from(BOX), fixed_lengths(), CompileOptions(breaths=7))
    assert timeline.breaths == 7
    assert sum(1 for _, p in phases(timeline) if p is PhaseKind.INHALE) == 7


def test_step_spans_and_skip_boundaries() -> None:
    timeline = compile_timeline(script_from(BOX), fixed_lengths(), CompileOptions(breaths=2))
    spans = timeline.steps
    assert [s.kind for s in spans] == ["say", "breathe", "say"]
    assert all(a.end == b.start for a, b in itertools.pairwise(spans))
    assert timeline.next_boundary(0) == spans[1].start
    assert timeline.next_boundary(spans[1].start) == spans[2].start
    assert timeline.next_boundary(spans[2].start) == timeline.total_frames


def test_events_are_sorted_and_end_last() -> None:
    timeline = compile_timeline(script_from(BOX), fixed_lengths(), CompileOptions(minutes=1))
    frames = [e.frame for e in timeline.events]
    assert frames == sorted(frames)
    assert timeline.events[-1].kind is EventKind.END
    assert timeline.events[-1].frame == timeline.total_frames


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(80.7, "1:20"), (177.3, "2:55"), (59.9, "1:00"), (1.0, "0:05"), (3600, "60:00")],
)
def test_lengths_read_as_a_clock_to_five_seconds(seconds: float, text: str) -> None:
    from assistant.core.model import length_text

    assert length_text(seconds) == text
