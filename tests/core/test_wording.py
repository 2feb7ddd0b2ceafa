"""Words that follow the settings: placeholders, steps with or without holds, optional steps."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.compiler import (
    CompileOptions,
    compile_timeline,
    is_short,
    spoken_texts,
    step_texts,
)
from assistant.core.loader import ScriptError, check_script
from assistant.core.model import EventKind, PhaseKind, When
from assistant.core.wording import fill, spell
from tests.helpers import RATE, fixed_lengths, script_from

BOX = """
minutes = 3
[[step]]
say = "Welcome."
[[step]]
say = "Sit comfortably."
pause = 2
optional = true
[[step]]
say = "In for {inhale}, hold for {hold}, out for {exhale}, rest for {hold_after_exhale}."
when = "holds"
[[step]]
say = "In for {inhale}, out for {exhale}."
when = "no-holds"
[[step]]
pause = 3
optional = true
[[step]]
breathe = "Box"
inhale = 4
hold = 4
exhale = 4
hold_after_exhale = 4
fill = true
[[step]]
say = "That was {exhale} out."
optional = true
[[step]]
say = "Thank you."
"""


def said(options: CompileOptions) -> list[str]:
    timeline = compile_timeline(script_from(BOX), fixed_lengths(1.0), options)
    return [e.text for e in timeline.events if e.kind is EventKind.SAY]


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (4, "four"),
        (5.0, "five"),
        (5.5, "five and a half"),
        (3.2, "three"),
        (4.8, "five"),
        (4.4, "four and a half"),
        (8.75, "nine"),
        (0.4, "a half"),
        (21, "twenty-one"),
        (37.5, "thirty-seven and a half"),
    ],
)
def test_seconds_are_spelled_to_the_nearest_half(seconds: float, words: str) -> None:
    assert spell(seconds) == words


def test_fill_names_only_the_phases_given() -> None:
    seconds = {PhaseKind.INHALE: 5.0}
    assert fill("in for {inhale}, { exhale }", seconds) == "in for five, { exhale }"


def test_counts_follow_the_pace() -> None:
    assert said(CompileOptions(pace=1.25))[:2] == [
        "Welcome.",
        "Sit comfortably.",
    ]
    assert (
        said(CompileOptions(pace=1.25))[2]
        == "In for five, hold for five, out for five, rest for five."
    )
    assert (
        said(CompileOptions(pace=0.8))[2]
        == "In for three, hold for three, out for three, rest for three."
    )


def test_holds_and_no_holds_steps() -> None:
    assert said(CompileOptions()) == [
        "Welcome.",
        "Sit comfortably.",
        "In for four, hold for four, out for four, rest for four.",
        "That was four out.",
        "Thank you.",
    ]
    assert said(CompileOptions(no_holds=True)) == [
        "Welcome.",
        "Sit comfortably.",
        "In for four, out for four.",
        "That was four out.",
        "Thank you.",
    ]


def test_optional_steps_go_when_short_or_without_voice() -> None:
    everything = said(CompileOptions())
    for options in (CompileOptions(minutes=1), CompileOptions(voice=False)):
        assert said(options) == [
            t for t in everything if t not in ("Sit comfortably.", "That was four out.")
        ]
    assert said(CompileOptions(minutes=3)) == everything  # the usual length is not short
    assert said(CompileOptions(breaths=2)) == everything  # breaths never count as short


def test_short_depends_only_on_what_was_asked() -> None:
    script = script_from(BOX)
    assert is_short(script, CompileOptions(minutes=2.5))
    assert not is_short(script, CompileOptions(minutes=3))
    assert not is_short(script, CompileOptions())
    fixed = script_from('[[step]]\nsay = "Hi."\noptional = true\n')
    assert not is_short(fixed, CompileOptions(minutes=1))


def test_a_step_left_out_keeps_every_index_and_takes_no_time() -> None:
    script = script_from(BOX)
    lengths = fixed_lengths(1.0)
    full = compile_timeline(script, lengths, CompileOptions(breaths=2))
    quiet = compile_timeline(script, lengths, CompileOptions(breaths=2, voice=False))
    short = compile_timeline(script, lengths, CompileOptions(minutes=1))
    assert [s.index for s in full.steps] == [0, 1, 2, 4, 5, 6, 7]
    assert [s.index for s in quiet.steps] == [0, 2, 5, 7]
    assert [s.index for s in short.steps] == [0, 2, 5, 7]
    # Without "Sit comfortably." (1 s + 2 s) and the 3 s pause, the block starts 6 s sooner
    # (with the voice off the captions are timed for reading instead: compiler tests).
    start = {s.index: s.start for s in full.steps}
    short_start = {s.index: s.start for s in short.steps}
    assert start[5] - short_start[5] == 6 * RATE


def test_the_texts_a_session_renders_are_the_texts_it_plays() -> None:
    script = script_from(BOX)
    options = CompileOptions(no_holds=True, pace=1.25, voice=False)
    timeline = compile_timeline(script, fixed_lengths(1.0), options)
    played = {e.clip.key for e in timeline.cues() if e.clip and e.clip.kind.value == "speech"}
    assert set(spoken_texts(script, options)) == played
    per_step = step_texts(script, options)
    assert per_step[1] == ()  # optional, voice off
    assert per_step[2] == ()  # holds only
    assert per_step[3] == ("In for five, out for five.",)


def test_cue_words_for_holds_are_not_rendered_without_holds() -> None:
    script = script_from(BOX.replace("fill = true", "fill = true\nwords = { hold = 'hold' }"))
    assert "hold" in spoken_texts(script)
    assert "hold" not in spoken_texts(script, CompileOptions(no_holds=True))


# -- the loader ---------------------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.toml"
    header = 'title = "Mine"\nsummary = "Mine."\ncategory = "breathe"\n'
    path.write_text(header + text, encoding="utf-8")
    return path


def warnings(tmp_path: Path, text: str) -> list[str]:
    script, found = check_script(write(tmp_path, text))
    assert script is not None, found
    return [str(p) for p in found if p.warning]


BLOCK = '[[step]]\nbreathe = "Slow"\ninhale = 4\nexhale = 6\ncycles = 3\n'
HOLDING = '[[step]]\nbreathe = "Box"\ninhale = 4\nhold = 4\nexhale = 4\ncycles = 3\n'


def test_when_and_optional_load(tmp_path: Path) -> None:
    text = '[[step]]\nsay = "Hold for {hold}."\nwhen = "holds"\noptional = true\n' + HOLDING
    script, found = check_script(write(tmp_path, text))
    assert script is not None, found
    step = script.steps[0]
    assert step.when is When.HOLDS  # type: ignore[union-attr]
    assert step.optional  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[step]]\nsay = "In for {inhal}."\n' + BLOCK,
            "mine.toml:5: '{inhal}' is not a placeholder; did you mean {inhale}?",
        ),
        (
            '[[step]]\nsay = "In for {seconds}."\n' + BLOCK,
            "mine.toml:5: '{seconds}' is not a placeholder; allowed: {exhale}, {hold}, "
            "{hold_after_exhale}, {inhale}, {safety_behaviour}, {step}, {top_up}",
        ),
        ('[[step]]\nsay = "In for {inhale."\n' + BLOCK, "mine.toml:5: a brace in 'say' must"),
        (
            '[[step]]\nsay = "Hold for {hold}."\n' + BLOCK,
            "mine.toml:5: {hold} names the hold of 'Slow' (line 7), which has no hold",
        ),
        (
            '[[step]]\nsay = "Hold for {hold}."\n' + HOLDING,
            'mine.toml:5: {hold} is a hold, which --no-holds leaves out; add when = "holds"',
        ),
        (
            '[[step]]\nsay = "In for {inhale}."\n',
            "mine.toml:5: placeholders name a breathing block's seconds, but there is none",
        ),
    ],
)
def test_placeholders_are_checked_with_their_line(tmp_path: Path, text: str, message: str) -> None:
    _, every = check_script(write(tmp_path, text))
    found = [str(p) for p in every]
    assert len(found) == 1, found  # and no warning about the same words
    assert found[0].startswith(f"{tmp_path}/{message}"), found


def test_a_placeholder_uses_the_next_block_or_else_the_last(tmp_path: Path) -> None:
    text = (
        '[[step]]\nsay = "In for {inhale}."\n'
        + BLOCK
        + '[[step]]\nsay = "Now out for {exhale}."\n'
        + BLOCK.replace("exhale = 6", "exhale = 8")
        + '[[step]]\nsay = "That was {exhale}."\n'
    )
    script, found = check_script(write(tmp_path, text))
    assert script is not None, found
    assert [t for t in step_texts(script) if t and len(t[0]) > 5] == [
        ("In for four.",),
        ("Now out for eight.",),
        ("That was eight.",),
    ]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('[[step]]\nsay = "Hold gently."\n' + HOLDING, "talks about holding the breath"),
        ('[[step]]\nsay = "Breathe in for four."\n' + BLOCK, "'for four' sounds like a count"),
        ('[[step]]\nsay = "Out for a count of six."\n' + BLOCK, "'of six' sounds like a count"),
        ('[[step]]\nsay = "Breathe out, six seconds."\n' + BLOCK, "'six seconds' sounds like"),
        (
            'minutes = 3\n[[step]]\nsay = "A few minutes."\n'
            + BLOCK.replace("cycles = 3", "fill = true"),
            "a number of minutes can be wrong",
        ),
        ('[[step]]\nsay = "Hello."\nwhen = "holds"\n' + BLOCK, "makes no difference here"),
    ],
)
def test_check_warns_about_words_a_setting_can_change(
    tmp_path: Path, text: str, fragment: str
) -> None:
    found = warnings(tmp_path, text)
    assert len(found) == 1, found
    assert fragment in found[0]


@pytest.mark.parametrize(
    "text",
    [
        '[[step]]\nsay = "Hold for {hold}."\nwhen = "holds"\n' + HOLDING,
        '[[step]]\nsay = "Squeeze, and hold."\n' + BLOCK,  # no breath holds to leave out
        '[[step]]\nsay = "Find five things you can see, then two more."\n' + BLOCK,
        '[[step]]\nsay = "Just four slow rounds."\n' + BLOCK,
        '[[step]]\nsay = "Take a few minutes."\n' + BLOCK,  # a fixed length
        '[[step]]\nsay = "Breathe in for {inhale}."\n' + BLOCK,
    ],
)
def test_check_is_quiet_about_words_no_setting_changes(tmp_path: Path, text: str) -> None:
    assert warnings(tmp_path, text) == []


def test_a_file_with_a_broken_placeholder_does_not_load(tmp_path: Path) -> None:
    from assistant.core.loader import load_script

    with pytest.raises(ScriptError):
        load_script(write(tmp_path, '[[step]]\nsay = "In for {inhal}."\n' + BLOCK))


def test_the_check_patterns_compile_on_first_use_not_at_import() -> None:
    """Importing ``core.wording`` (every start: the TUI's first frame, the hotkey) compiles none
    of ``ground check``'s patterns; their big alternations cost ~2 ms there."""
    import subprocess
    import sys

    probe = (
        "import re, assistant.core.wording as w\n"
        "compiled = []\n"
        "original = re.compile\n"
        "def spy(pattern, flags=0):\n"
        "    compiled.append(pattern)\n"
        "    return original(pattern, flags)\n"
        "re.compile = spy\n"
        "assert not w._COMPILED, w._COMPILED\n"
        "warnings = w.setting_warnings('Hold for four seconds.', None, holds=True,\n"
        "    breathing=True, stretchable=True)\n"
        "assert len(warnings) == 2, warnings\n"
        "assert len(compiled) == 3, compiled  # hold, count, minutes\n"
        "w.setting_warnings('Hold for four seconds.', None, holds=True, breathing=True,\n"
        "    stretchable=True)\n"
        "assert len(compiled) == 3, compiled  # kept, not compiled again\n"
    )
    done = subprocess.run(
        [sys.executable, "-P", "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
