"""Every shipped script in scripts/ loads, validates, compiles and keeps the timing promises.

Speech length is estimated at 2.5 words a second (a calm speaking rate) and every sound asset at
one second, so the checks do not depend on a speech engine being installed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.core.compiler import (
    SAMPLE_RATE,
    CompileOptions,
    LengthError,
    compile_timeline,
    step_texts,
)
from assistant.core.loader import SOUNDS, check_script, load_script
from assistant.core.model import (
    Breathe,
    Category,
    Chime,
    ClipKind,
    ClipRef,
    Event,
    EventKind,
    PhaseKind,
    Say,
    Script,
    Section,
    Timeline,
)

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS_DIR = ROOT / "scripts"
AUDIO_DIR = ROOT / "audio"
PATHS = sorted(SCRIPTS_DIR.glob("*.toml"))
WORDS_PER_SECOND = 2.5

REQUIRED_IDS = {
    "daily-sigh",
    "now",
    "resonance",
    "resonance-4-6",
    "box",
    "four-seven-eight",
    "five-senses",
    "body-scan",
    "muscle-release",
    "gentle-movement",
    "before-social",
    "after-social",
    "panic",
    "evening",
    "rehearse",
    "thirty-seconds",
}

OPTIONS = {
    "default": CompileOptions(),
    "no-holds": CompileOptions(no_holds=True),
    "pace-0.8": CompileOptions(pace=0.8),
    "pace-1.25": CompileOptions(pace=1.25),
}


def estimate(clip: ClipRef) -> int:
    """Frames a clip lasts: speech at 2.5 words a second, every sound asset one second."""
    if clip.kind is ClipKind.SPEECH:
        words = len(clip.key.split())
        return round(max(1, words) / WORDS_PER_SECOND * SAMPLE_RATE)
    return SAMPLE_RATE


def load(path: Path) -> Script:
    return load_script(path, shipped=True)


def compiled(path: Path, options: CompileOptions | None = None) -> Timeline:
    return compile_timeline(load(path), estimate, options)


def of_kind(timeline: Timeline, kind: EventKind) -> list[Event]:
    return [e for e in timeline.events if e.kind is kind]


by_path = pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
by_options = pytest.mark.parametrize("options", list(OPTIONS.values()), ids=list(OPTIONS))


# --- the set of scripts ----------------------------------------------------------------------


def test_at_least_sixteen_scripts_including_the_required_ones() -> None:
    assert len(PATHS) >= 16
    assert {p.stem for p in PATHS} >= REQUIRED_IDS


def test_ids_are_unique() -> None:
    ids = [load(p).id for p in PATHS]
    assert len(ids) == len(set(ids))


def test_every_category_is_used() -> None:
    used = {load(p).category for p in PATHS}
    assert used == set(Category)


# --- each script on its own ------------------------------------------------------------------


@by_path
def test_loads_with_id_equal_to_file_stem(path: Path) -> None:
    script = load(path)
    assert script.id == path.stem
    assert script.shipped


@by_path
def test_check_reports_no_problems_or_warnings(path: Path) -> None:
    script, problems = check_script(path)
    assert script is not None
    assert [str(p) for p in problems] == []


@by_path
def test_has_the_texts_people_see(path: Path) -> None:
    script = load(path)
    assert script.title.strip()
    assert "\n" not in script.summary
    assert script.about, "say what the exercise is good for"
    assert any(isinstance(s, Section) for s in script.steps), "use sections for structure"


@by_path
def test_scripts_with_holds_carry_a_safety_note(path: Path) -> None:
    script = load(path)
    if any(b.pattern.has_holds for b in script.breathing):
        assert "hold" in script.safety.lower()
        assert "--no-holds" in script.safety


@by_path
def test_breathing_words_are_short_and_stop_after_a_few_breaths(path: Path) -> None:
    for block in load(path).breathing:
        for _, word in block.words:
            assert len(word.split()) <= 2, f"{block.label}: '{word}' is too long for a cue"
        if block.words:
            assert block.words_for is not None, f"{block.label}: set words_for, e.g. 3"
            assert block.words_for <= 3


@by_path
def test_ends_gently_with_a_closing_line_and_a_bell(path: Path) -> None:
    steps = [s for s in load(path).steps if not isinstance(s, Section)]
    last = steps[-1]
    assert isinstance(last, Chime)
    assert last.sound == "bell"
    assert isinstance(steps[-2], Say)


@by_path
def test_every_chime_names_a_file_in_audio(path: Path) -> None:
    chimes = [s for s in load(path).steps if isinstance(s, Chime)]
    for chime in chimes:
        assert chime.sound in SOUNDS
        assert (AUDIO_DIR / f"{chime.sound}.wav").is_file(), chime.sound


# --- compiled timelines ----------------------------------------------------------------------


@by_path
@by_options
def test_compiles(path: Path, options: CompileOptions) -> None:
    timeline = compiled(path, options)
    assert timeline.script_id == path.stem
    assert timeline.total_frames > 0
    frames = [e.frame for e in timeline.events]
    assert frames == sorted(frames)
    assert timeline.events[-1].kind is EventKind.END
    assert timeline.events[-1].frame == timeline.total_frames
    for cue in timeline.cues():
        assert cue.clip is not None
        if cue.clip.kind is ClipKind.SOUND:
            assert (AUDIO_DIR / f"{cue.clip.key}.wav").is_file(), cue.clip.key


@by_path
@by_options
def test_ends_on_a_whole_breath_after_an_exhale(path: Path, options: CompileOptions) -> None:
    timeline = compiled(path, options)
    phases = of_kind(timeline, EventKind.PHASE)
    if load(path).breathing:
        assert phases, "a script with breathing blocks must compile to phases"
        assert phases[-1].phase is PhaseKind.EXHALE
    else:
        assert not phases


@by_path
@by_options
def test_each_block_ends_exactly_where_its_last_exhale_ends(
    path: Path, options: CompileOptions
) -> None:
    timeline = compiled(path, options)
    phases = of_kind(timeline, EventKind.PHASE)
    for span in timeline.steps:
        if span.kind != "breathe":
            continue
        own = [e for e in phases if e.step == span.index]
        assert own[0].frame == span.start
        assert own[-1].phase is PhaseKind.EXHALE
        assert own[-1].frame + own[-1].duration == span.end
        for earlier, later in itertools.pairwise(own):
            assert earlier.frame + earlier.duration == later.frame, "phases leave no gaps"


@by_path
@by_options
def test_breathing_words_fit_inside_their_phase(path: Path, options: CompileOptions) -> None:
    timeline = compiled(path, options)
    phases = {(e.step, e.cycle, e.phase): e for e in of_kind(timeline, EventKind.PHASE)}
    words = of_kind(timeline, EventKind.WORD)
    for word in words:
        assert word.clip is not None
        phase = phases[(word.step, word.cycle, word.phase)]
        assert word.frame == phase.frame
        assert estimate(word.clip) <= phase.duration, (
            f"'{word.text}' ({estimate(word.clip) / SAMPLE_RATE:.2f} s) does not fit its "
            f"{phase.text} ({phase.duration / SAMPLE_RATE:.2f} s)"
        )


@by_path
def test_words_stop_after_words_for_breaths(path: Path) -> None:
    script = load(path)
    timeline = compile_timeline(script, estimate)
    for index, step in enumerate(script.steps):
        if not isinstance(step, Breathe) or step.words_for is None:
            continue
        cycles = {e.cycle for e in of_kind(timeline, EventKind.WORD) if e.step == index}
        assert cycles
        assert max(c for c in cycles if c is not None) < step.words_for


@by_path
def test_filling_scripts_last_about_their_minutes(path: Path) -> None:
    script = load(path)
    if not script.stretchable:
        return
    assert script.minutes is not None
    fills = [b for b in script.breathing if b.fills]
    longest = max(b.pattern.cycle_seconds for b in fills)
    for minutes in (script.minutes, 2.0, 10.0):
        timeline = compile_timeline(script, estimate, CompileOptions(minutes=minutes))
        assert abs(timeline.seconds - minutes * 60) <= longest


# --- the special ones ------------------------------------------------------------------------


def _script(script_id: str) -> Script:
    return load(SCRIPTS_DIR / f"{script_id}.toml")


def test_now_starts_speaking_at_once() -> None:
    script = _script("now")
    assert isinstance(script.steps[0], Say), "the hotkey path must start with speech, not a chime"
    first = compile_timeline(script, estimate).cues()[0]
    assert first.frame == 0
    assert first.clip is not None
    assert first.clip.kind is ClipKind.SPEECH


@pytest.mark.parametrize("options", list(OPTIONS.values()), ids=list(OPTIONS))
def test_now_lasts_about_two_minutes(options: CompileOptions) -> None:
    # Long enough to give each sense its time, short enough for a hard moment.
    timeline = compile_timeline(_script("now"), estimate, options)
    assert 90 <= timeline.seconds <= 150


REQUESTS: dict[str, Callable[[], CompileOptions]] = {
    "default": CompileOptions,
    "minutes-10": lambda: CompileOptions(minutes=10),
    "minutes-120": lambda: CompileOptions(minutes=120),
    "breaths-20": lambda: CompileOptions(breaths=20),
    "no-holds-minutes": lambda: CompileOptions(minutes=10, no_holds=True),
    "slow-minutes": lambda: CompileOptions(minutes=10, pace=1.25),
}


@pytest.mark.parametrize("make", list(REQUESTS.values()), ids=list(REQUESTS))
def test_four_seven_eight_never_exceeds_four_breaths(make: Callable[[], CompileOptions]) -> None:
    script = _script("four-seven-eight")
    assert all(b.max_cycles == 4 for b in script.breathing)
    try:
        timeline = compile_timeline(script, estimate, make())
    except LengthError:
        return  # a fixed-length script refuses a longer session: also never more than 4
    assert timeline.breaths <= 4
    inhales = [e for e in of_kind(timeline, EventKind.PHASE) if e.phase is PhaseKind.INHALE]
    assert len(inhales) <= 4


def test_no_holds_removes_every_hold() -> None:
    for path in PATHS:
        timeline = compiled(path, CompileOptions(no_holds=True))
        holds = [e for e in of_kind(timeline, EventKind.PHASE) if e.phase and e.phase.is_hold]
        assert holds == [], path.stem


# --- the words follow the settings -----------------------------------------------------------

SPOKEN_OPTIONS = {
    "default": CompileOptions(),
    "no-holds": CompileOptions(no_holds=True),
    "pace-0.8": CompileOptions(pace=0.8),
    "pace-1.25": CompileOptions(pace=1.25),
    "no-holds-pace-0.8": CompileOptions(no_holds=True, pace=0.8),
    "no-holds-pace-1.25": CompileOptions(no_holds=True, pace=1.25),
}
_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
_SPOKEN_NUMBER = r"(?:\d+(?:\.\d+)?|" + "|".join(reversed(_UNITS)) + r"|a half)(?: and a half)?"
# "for four", "for a count of six": a count of seconds, read independently of how the script
# produced it (placeholder or not), so a count written out by hand is caught too.
_COUNT = re.compile(
    rf"\b(?:for|of) (?P<n>{_SPOKEN_NUMBER})(?=\s*(?:[.,;:!?]|$| and\b| then\b| seconds?\b))"
)
# The phase a clause counts: the last phase word before the number ("hold gently for four").
_PHASE_WORDS = [
    (re.compile(r"\bhold"), PhaseKind.HOLD),
    (re.compile(r"\brest"), PhaseKind.HOLD_AFTER_EXHALE),
    (re.compile(r"\bout\b"), PhaseKind.EXHALE),
    (re.compile(r"\bsip\b"), PhaseKind.TOP_UP),
    (re.compile(r"\bin\b"), PhaseKind.INHALE),
]
# Stricter than `ground check`: with no breath holds played, nothing says "hold" at all (not
# even of a squeezed muscle), since that is what someone who must not hold their breath hears.
_HOLD_TALK = re.compile(r"\bhold(s|ing)?\b|\bempty\b", re.IGNORECASE)


def _value(words: str) -> float:
    half = words.endswith("and a half")
    words = words.removesuffix(" and a half")
    if words == "a half":
        return 0.5
    whole = float(words) if words[0].isdigit() else float(_UNITS.index(words))
    return whole + (0.5 if half else 0.0)


def spoken_counts(text: str) -> list[tuple[PhaseKind | None, float]]:
    """Every count of seconds in ``text``, with the phase its clause talks about."""
    out = []
    lowered = text.lower()
    for found in _COUNT.finditer(lowered):
        clause = re.split(r"[.;!?]", lowered[: found.start()])[-1]
        last: tuple[int, PhaseKind] | None = None
        for pattern, kind in _PHASE_WORDS:
            for hit in pattern.finditer(clause):
                if last is None or hit.start() > last[0]:
                    last = (hit.start(), kind)
        out.append((last[1] if last else None, _value(found.group("n"))))
    return out


def _block_phases(timeline: Timeline, say: Event) -> dict[PhaseKind, float]:
    """Seconds of each phase of the breathing block a spoken step is about (the next one, or
    the last one for a step after every block), as the timeline plays it."""
    phases = of_kind(timeline, EventKind.PHASE)
    after = [e for e in phases if e.frame >= say.frame]
    step = after[0].step if after else phases[-1].step
    first_cycle = [e for e in phases if e.step == step and e.cycle == 0]
    return {e.phase: e.duration / timeline.sample_rate for e in first_cycle if e.phase}


def contradictions(timeline: Timeline) -> list[str]:
    """Spoken words that the played timeline makes untrue."""
    out = []
    holds = any(e.phase and e.phase.is_hold for e in of_kind(timeline, EventKind.PHASE))
    spoken = [e for e in timeline.events if e.kind in (EventKind.SAY, EventKind.WORD)]
    for event in spoken:
        if not holds and _HOLD_TALK.search(event.text):
            out.append(f"speaks of holding with no holds played: {event.text!r}")
        if event.kind is not EventKind.SAY:
            continue
        for phase, value in spoken_counts(event.text):
            played = _block_phases(timeline, event)
            if phase is None:
                out.append(f"a count with no phase named: {event.text!r}")
            elif phase not in played:
                out.append(f"counts the {phase.value}, which is not played: {event.text!r}")
            elif abs(played[phase] - value) > 0.25 + 1e-6:
                out.append(
                    f"says {value:g} for the {phase.value} but plays {played[phase]:.2f} s: "
                    f"{event.text!r}"
                )
    return out


@by_path
@pytest.mark.parametrize("options", list(SPOKEN_OPTIONS.values()), ids=list(SPOKEN_OPTIONS))
def test_nothing_spoken_contradicts_what_is_played(path: Path, options: CompileOptions) -> None:
    timeline = compiled(path, options)
    assert contradictions(timeline) == []


@pytest.mark.parametrize("options", list(SPOKEN_OPTIONS.values()), ids=list(SPOKEN_OPTIONS))
def test_spoken_counts_are_found_and_follow_the_pace(options: CompileOptions) -> None:
    # The check above is only as good as its reading of counts: it finds them where they are.
    inhale, exhale = PhaseKind.INHALE, PhaseKind.EXHALE
    holds = {PhaseKind.HOLD, PhaseKind.HOLD_AFTER_EXHALE}
    for script_id, phases in {
        "box": {inhale, exhale} if options.no_holds else {inhale, exhale, *holds},
        "four-seven-eight": {inhale, exhale}
        if options.no_holds
        else {inhale, exhale, PhaseKind.HOLD},
        "resonance-4-6": {inhale, exhale},
    }.items():
        timeline = compiled(SCRIPTS_DIR / f"{script_id}.toml", options)
        counted = {
            phase
            for say in of_kind(timeline, EventKind.SAY)
            for phase, _ in spoken_counts(say.text)
        }
        assert counted == phases, script_id


def test_the_contradiction_check_catches_what_it_should() -> None:
    box = compiled(SCRIPTS_DIR / "box.toml", CompileOptions(no_holds=True, pace=1.25))
    said = [e for e in box.events if e.kind is EventKind.SAY]
    wrong = [
        replace(said[0], text="Breathe in for four, and out for five."),
        replace(said[0], text="Hold gently for five."),
    ]
    fake = replace(box, events=tuple(sorted([*box.events, *wrong], key=lambda e: e.frame)))
    found = contradictions(fake)
    assert any("says 4 for the inhale but plays 5.00 s" in f for f in found)
    assert any("speaks of holding" in f for f in found)
    assert any("counts the hold, which is not played" in f for f in found)


def test_the_example_in_the_scripts_readme_checks_clean(tmp_path: Path) -> None:
    """The complete example people copy has no problem, no warning and no contradiction."""
    readme = (SCRIPTS_DIR / "README.md").read_text(encoding="utf-8")
    example = readme.split("## A complete example", 1)[1].split("```toml\n", 1)[1]
    path = tmp_path / "wind-down.toml"
    path.write_text(example.split("```", 1)[0], encoding="utf-8")
    script, problems = check_script(path)
    assert script is not None
    assert [str(p) for p in problems] == []
    for options in SPOKEN_OPTIONS.values():
        assert contradictions(compile_timeline(script, estimate, options)) == []


@by_path
def test_no_spoken_words_promise_tones(path: Path) -> None:
    """Tones can be turned off (t, --no-tones, the setting) without a new timeline, so the
    voice never tells anyone to follow them."""
    for texts in step_texts(load(path)):
        for text in texts:
            assert not re.search(r"\b(tones?|sounds)\b", text, re.IGNORECASE), text


# --- what an anxious listener hears (#19) ----------------------------------------------------


def lengths_of(script: Script) -> dict[str, CompileOptions]:
    """The usual length, and one and ten minutes for a script whose length can change."""
    out = {"default": CompileOptions()}
    if script.stretchable:
        out |= {"minutes-1": CompileOptions(minutes=1), "minutes-10": CompileOptions(minutes=10)}
    return out


def every_session(script: Script) -> list[tuple[str, CompileOptions]]:
    """Each length with and without the holds, with the voice on and off."""
    return [
        (f"{name}{holds}{voice}", replace(options, no_holds=bool(holds), voice=not voice))
        for name, options in lengths_of(script).items()
        for holds in ("", " no-holds")
        for voice in ("", " voice-off")
    ]


def said_steps(script: Script, timeline: Timeline) -> list[tuple[Say, str]]:
    """The ``say`` steps a session plays (notes aside), with the words it says."""
    return [
        (step, e.text)
        for e in of_kind(timeline, EventKind.SAY)
        if e.cycle is None and isinstance(step := script.steps[e.step], Say)
    ]


WAY_OUT = re.compile(
    r"\b(stop|open your eyes|let your breath go back|breathe normally)\b", re.IGNORECASE
)
# The one caution that matters for each script, spoken in a step a short session never drops.
CAUTIONS: dict[str, str | tuple[str | None, str | None]] = {
    "now": "make the breaths smaller",
    "panic": "no need for big ones",
    "daily-sigh": "if you feel dizzy",
    "resonance": "if you feel light-headed",
    "resonance-4-6": "if you feel light-headed",
    "box": ("let the breath keep moving instead", None),  # (with the holds, without them)
    "four-seven-eight": ("let the breath go early", "if you feel light-headed"),
    "body-scan": "skip any part of the body",
    "muscle-release": "never to the point of pain",
    "gentle-movement": "if something doesn't feel right",
}
# The one sentence that explains each breathing pattern, kept at every length.
EXPLANATIONS = {
    "now": ("small extra sip", "smaller and slower"),
    "panic": ("long and low",),
    "daily-sigh": ("one more small sip",),
    "resonance": ("the same length",),
    "resonance-4-6": ("breathe in for a count of",),
    "box": ("breathe in for",),
    "four-seven-eight": ("breathe in quietly through your nose for",),
    "after-social": ("small extra sip",),
}


@by_path
def test_a_way_out_is_spoken_at_every_length(path: Path) -> None:
    script = load(path)
    for name, options in every_session(script):
        said = said_steps(script, compile_timeline(script, estimate, options))
        exits = [step for step, text in said if WAY_OUT.search(text)]
        assert exits, f"{name}: no way out is spoken"
        assert all(not step.optional for step in exits)


@by_path
def test_the_caution_that_matters_is_spoken_at_every_length(path: Path) -> None:
    script = load(path)
    if script.id not in CAUTIONS:
        return
    for name, options in every_session(script):
        written = CAUTIONS[script.id]
        caution = written if isinstance(written, str) else written[1 if options.no_holds else 0]
        if caution is None:
            continue
        said = said_steps(script, compile_timeline(script, estimate, options))
        spoken = [step for step, text in said if caution in text.lower()]
        assert spoken, f"{name}: '{caution}' is not said"
        assert all(not step.optional for step in spoken)


@by_path
def test_the_pattern_is_explained_at_every_length(path: Path) -> None:
    script = load(path)
    for name, options in every_session(script):
        said = said_steps(script, compile_timeline(script, estimate, options))
        for explanation in EXPLANATIONS.get(script.id, ()):
            spoken = [step for step, text in said if explanation in text.lower()]
            assert spoken, f"{name}: '{explanation}' is not said"
            assert all(not step.optional for step in spoken)


@by_path
def test_no_stretch_passes_150_seconds_without_a_sentence(path: Path) -> None:
    """Breath words do not count: a `say` or a block's note must come at least that often."""
    from assistant.core.compiler import quiet_stretches

    script = load(path)
    for name, options in lengths_of(script).items():
        for pace in (1.0, 1.25):
            for no_holds in (False, True):
                played = replace(options, pace=pace, no_holds=no_holds)
                timeline = compile_timeline(script, estimate, played)
                assert quiet_stretches(timeline, 150.0) == [], (name, played)


@pytest.mark.parametrize("minutes", [1, 2, 3, 5, 10, 20, 30, 45, 60, 90, 120])
def test_now_never_plays_more_than_fifteen_sighs(minutes: int) -> None:
    for pace in (0.8, 1.0, 1.25):
        options = CompileOptions(minutes=minutes, pace=pace)
        timeline = compile_timeline(_script("now"), estimate, options)
        sighs = [e for e in of_kind(timeline, EventKind.PHASE) if e.phase is PhaseKind.TOP_UP]
        assert 3 <= len(sighs) <= 15, (minutes, pace, len(sighs))


@pytest.mark.parametrize("breaths", [1, 5, 20, 200])
def test_now_never_plays_more_than_fifteen_sighs_by_breaths(breaths: int) -> None:
    timeline = compile_timeline(_script("now"), estimate, CompileOptions(breaths=breaths))
    sighs = [e for e in of_kind(timeline, EventKind.PHASE) if e.phase is PhaseKind.TOP_UP]
    assert len(sighs) <= 15


@by_path
def test_notes_fit_inside_their_breath_out(path: Path) -> None:
    from assistant.core.compiler import note_overruns

    for no_holds in (False, True):
        for name, options in lengths_of(load(path)).items():
            timeline = compiled(path, replace(options, no_holds=no_holds))
            assert note_overruns(timeline) == [], name


@by_path
def test_check_has_nothing_to_say_about_time_without_a_sentence(path: Path) -> None:
    from assistant.core.loader import guidance_warnings

    script = load(path)
    found = guidance_warnings(script, lambda options: compile_timeline(script, estimate, options))
    assert [str(p) for p in found] == []


@by_path
@pytest.mark.parametrize("options", list(SPOKEN_OPTIONS.values()), ids=list(SPOKEN_OPTIONS))
def test_the_voice_gets_plain_words(path: Path, options: CompileOptions) -> None:
    """No figures, abbreviations, braces or "should" reach the voice; no hold is talked of
    in a script with no hold in it."""
    for texts in step_texts(load(path), options):
        for text in texts:
            assert not re.search(r"\d", text), text
            assert not re.search(r"\b[A-Z]{2,}\b", text), text
            assert "{" not in text and "}" not in text, text
            assert not re.search(r"\bshould\b", text, re.IGNORECASE), text


def test_the_closings_are_not_all_the_same() -> None:
    closings = [[s for s in load(p).steps if isinstance(s, Say)][-1].text for p in PATHS]
    assert max(closings.count(c) for c in closings) == 1


def test_get_ready_and_the_rehearsal_name_the_step_and_its_safety_behaviour() -> None:
    from assistant.core.ladder import READY_SCRIPT, REHEARSE_SCRIPT, ready_script, rehearsal_script

    for make, script_id in ((ready_script, READY_SCRIPT), (rehearsal_script, REHEARSE_SCRIPT)):
        plain = spoken_texts_of(_script(script_id))
        assert not any("say hello to a neighbour" in t for t in plain)
        named = spoken_texts_of(make(_script(script_id), "Say hello to a neighbour"))
        assert any("say hello to a neighbour" in t for t in named)
        assert not any("avoiding eye contact" in t for t in named)
        assert any("something you usually do to feel safer" in t for t in named)
        both = spoken_texts_of(
            make(_script(script_id), "Say hello to a neighbour", ["Avoiding eye contact"])
        )
        assert any("avoiding eye contact" in t for t in both)
        assert not any("something you usually do to feel safer" in t for t in both)


def spoken_texts_of(script: Script) -> list[str]:
    return [text for texts in step_texts(script) for text in texts]


def test_the_new_scripts_are_listed(tmp_path: Path) -> None:
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "GROUND_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-P", "-m", "assistant", "list", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    listed = {s["id"]: s for s in json.loads(done.stdout)["scripts"]}
    assert {"panic", "evening", "rehearse", "thirty-seconds"} <= listed.keys()
    assert listed["thirty-seconds"]["seconds"] <= 60
