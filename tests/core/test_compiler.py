"""The timing contract (ARCHITECTURE.md §3): exact frames, a fixed grid, sequential narration."""

from __future__ import annotations

import itertools
from typing import cast

import pytest

from assistant.core.compiler import CompileOptions, LengthError, compile_timeline
from assistant.core.model import Event, EventKind, PhaseKind, Timeline
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


def test_length_errors_count_breaths_in_good_english() -> None:
    with pytest.raises(LengthError, match=r"needs at least 1 breath$"):
        compile_timeline(script_from(BOX), fixed_lengths(), CompileOptions(breaths=0))


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
    [
        (80.7, "1:21"),
        (177.3, "2:57"),
        (59.9, "1:00"),
        (1.0, "0:01"),
        (78.5, "1:19"),
        (3600, "60:00"),
    ],
)
def test_lengths_read_as_a_clock_to_the_second(seconds: float, text: str) -> None:
    from assistant.core.model import length_text

    assert length_text(seconds) == text


# -- notes said during a block, and what several filling blocks share ---------------------------

NOTES = """
minutes = 5
[[step]]
say = "Hello."
[[step]]
breathe = "Slow"
inhale = 4
exhale = 6
fill = true
words = { inhale = "in", exhale = "out" }
words_for = 2
notes = ["First note.", "Second note."]
notes_every = 3
[[step]]
say = "Done."
"""


def notes_of(timeline: Timeline) -> list[Event]:
    return [e for e in timeline.events if e.kind is EventKind.SAY and e.cycle is not None]


def test_notes_are_said_in_turn_every_so_many_breaths_in_a_breath_out() -> None:
    timeline = compile_timeline(
        script_from(NOTES), fixed_lengths(1.0, 0.5), CompileOptions(breaths=11)
    )
    notes = notes_of(timeline)
    # Breaths 3, 6 and 9 (from 0), never the last one (10), in turn and round again.
    assert [(n.cycle, n.text) for n in notes] == [
        (3, "First note."),
        (6, "Second note."),
        (9, "First note."),
    ]
    exhales = {
        e.cycle: e
        for e in timeline.events
        if e.kind is EventKind.PHASE and e.phase is PhaseKind.EXHALE
    }
    for note in notes:
        assert note.step == 1
        assert note.clip is not None
        assert note.duration == RATE  # the clip's length, for captions and the microphone gate
        assert note.frame == exhales[note.cycle].frame + RATE // 2  # after the exhale tone


def test_a_note_waits_for_a_cue_word_in_its_breath_out() -> None:
    text = NOTES.replace("words_for = 2", "words_for = 5")
    timeline = compile_timeline(
        script_from(text), fixed_lengths(1.5, 0.5), CompileOptions(breaths=8)
    )
    first = notes_of(timeline)[0]
    exhale = next(
        e
        for e in timeline.events
        if e.kind is EventKind.PHASE and e.phase is PhaseKind.EXHALE and e.cycle == 3
    )
    assert first.frame == exhale.frame + round(1.5 * RATE)  # "out" takes longer than the tone


def test_notes_never_move_the_grid_nor_the_talk_after_the_block() -> None:
    with_notes = compile_timeline(script_from(NOTES), fixed_lengths(), CompileOptions(minutes=5))
    without = compile_timeline(
        script_from(
            NOTES.replace('notes = ["First note.", "Second note."]\nnotes_every = 3\n', "")
        ),
        fixed_lengths(),
        CompileOptions(minutes=5),
    )
    assert notes_of(with_notes) and not notes_of(without)
    assert phases(with_notes) == phases(without)
    assert with_notes.total_frames == without.total_frames
    assert with_notes.steps == without.steps


def test_notes_default_to_about_every_ninety_seconds() -> None:
    text = NOTES.replace("notes_every = 3\n", "")
    timeline = compile_timeline(script_from(text), fixed_lengths(), CompileOptions(minutes=10))
    cycles = [n.cycle for n in notes_of(timeline)]
    assert cycles[:3] == [9, 18, 27]  # 90 s of 10-second breaths


def test_notes_are_among_the_texts_to_render() -> None:
    from assistant.core.compiler import spoken_texts

    assert {"First note.", "Second note."} <= set(spoken_texts(script_from(NOTES)))


def test_quiet_stretches_count_sentences_not_breath_words() -> None:
    from assistant.core.compiler import quiet_stretches

    silent = NOTES.replace('notes = ["First note.", "Second note."]\nnotes_every = 3\n', "")
    timeline = compile_timeline(script_from(silent), fixed_lengths(), CompileOptions(minutes=10))
    stretches = quiet_stretches(timeline)
    assert len(stretches) == 1  # the block: "in" and "out" do not break it
    start, end = stretches[0]
    assert start == RATE  # the end of "Hello."
    assert (end - start) / RATE > 500
    noted = compile_timeline(script_from(NOTES), fixed_lengths(), CompileOptions(minutes=10))
    assert quiet_stretches(noted) == []
    assert quiet_stretches(noted, limit=25) != []  # three breaths of ten seconds between notes


def test_a_note_longer_than_its_breath_out_is_found() -> None:
    from assistant.core.compiler import note_overruns

    fits = compile_timeline(script_from(NOTES), fixed_lengths(5.0, 0.5), CompileOptions(breaths=5))
    assert note_overruns(fits) == []  # 0.5 + 5.0 s in a 6 s breath out
    too_long = compile_timeline(
        script_from(NOTES), fixed_lengths(6.0, 0.5), CompileOptions(breaths=5)
    )
    [(note, room)] = note_overruns(too_long)
    assert note.text == "First note."
    assert room == round(5.5 * RATE)


TWO_FILLS = """
minutes = 2
[[step]]
breathe = "Sighs"
inhale = 2
exhale = 5
fill = true
max_cycles = 3
[[step]]
breathe = "Slow"
inhale = 4
exhale = 6
fill = true
"""


def cycles_of(timeline, step: int) -> int:  # type: ignore[no-untyped-def]
    return sum(
        1
        for e in timeline.events
        if e.kind is EventKind.PHASE and e.phase is PhaseKind.INHALE and e.step == step
    )


@pytest.mark.parametrize("minutes", [2.0, 10.0, 60.0])
def test_time_a_capped_block_cannot_use_goes_to_the_other_filling_blocks(minutes: float) -> None:
    timeline = compile_timeline(
        script_from(TWO_FILLS), fixed_lengths(), CompileOptions(minutes=minutes)
    )
    assert cycles_of(timeline, 0) == 3
    assert abs(timeline.seconds - minutes * 60) <= 10  # not cut short by the cap
    assert cycles_of(timeline, 1) == round((minutes * 60 - 21) / 10)


def test_blocks_under_their_cap_share_the_time_equally() -> None:
    timeline = compile_timeline(
        script_from(TWO_FILLS), fixed_lengths(), CompileOptions(minutes=0.5)
    )
    assert (cycles_of(timeline, 0), cycles_of(timeline, 1)) == (2, 2)  # 15 s each: 7 s and 10 s


def test_breaths_a_capped_block_cannot_take_go_to_the_others() -> None:
    timeline = compile_timeline(script_from(TWO_FILLS), fixed_lengths(), CompileOptions(breaths=20))
    assert (cycles_of(timeline, 0), cycles_of(timeline, 1)) == (3, 17)
    even = compile_timeline(script_from(TWO_FILLS), fixed_lengths(), CompileOptions(breaths=5))
    assert (cycles_of(even, 0), cycles_of(even, 1)) == (3, 2)


# -- a line a ladder step fills in ---------------------------------------------------------------

LADDER = """
[[step]]
say = "Today: {step}."
otherwise = "Choose a step."
[[step]]
say = "Leave {safety_behaviour} behind."
otherwise = "Leave one thing behind."
"""


def test_a_ladder_line_no_step_filled_in_says_its_otherwise() -> None:
    from assistant.core.compiler import spoken_texts

    timeline = compile_timeline(script_from(LADDER), fixed_lengths())
    said = [e.text for e in timeline.events if e.kind is EventKind.SAY]
    assert said == ["Choose a step.", "Leave one thing behind."]
    assert spoken_texts(script_from(LADDER)) == ("Choose a step.", "Leave one thing behind.")


def test_a_ladder_step_fills_in_what_it_has() -> None:
    from assistant.core.ladder import personalise, rehearsal_script

    script = script_from(LADDER)
    named = compile_timeline(
        personalise(script, "Say hello", ["Avoiding {eye} contact"]), fixed_lengths()
    )
    said = [e.text for e in named.events if e.kind is EventKind.SAY]
    assert said == ["Today: say hello.", "Leave avoiding (eye) contact behind."]
    no_behaviour = personalise(script, "Say hello", ["  ", ""])
    said = [
        e.text
        for e in compile_timeline(no_behaviour, fixed_lengths()).events
        if e.kind is EventKind.SAY
    ]
    assert said == ["Today: say hello.", "Leave one thing behind."]
    assert rehearsal_script(script, "Say hello").title == "Rehearse: Say hello"
