"""Bad scripts are reported as file:line: message, one problem per line, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.core.compiler import CompileOptions
from assistant.core.loader import ScriptError, check_script, load_script
from assistant.core.model import Script, Timeline

GOOD = """id = "calm"
title = "Calm"
summary = "A calm one."
category = "breathe"

[[step]]
say = "Hello."
pause = 1

[[step]]
breathe = "Slow"
inhale = 4
exhale = 6
cycles = 3
"""


def write(tmp_path: Path, text: str, name: str = "calm.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ScriptError) as info:
        load_script(path)
    return [str(p) for p in info.value.problems]


def test_good_script_loads(tmp_path: Path) -> None:
    script = load_script(write(tmp_path, GOOD))
    assert script.id == "calm"
    assert len(script.steps) == 2
    assert script.breathing[0].pattern.describe() == "in 4 · out 6 — 6 breaths/min"


@pytest.mark.parametrize(
    ("change", "line", "fragment"),
    [
        (("pause = 1", "pause = 1 1"), 8, "not valid TOML"),
        (('say = "Hello."', 'say = "Hello.'), 7, "not valid TOML"),
        (("cycles = 3", "cycles = 3\ncolour = 'blue'"), 15, "'colour' does not belong"),
        (("inhale = 4", 'inhale = "four"'), 12, "'inhale' must be a number"),
        (("exhale = 6", "exhale = -6"), 13, "'exhale' = -6 is outside"),
        (("exhale = 6", "exhale = 6000"), 13, "'exhale' = 6000 is outside"),
        (("pause = 1", "pause = 500"), 8, "'pause' = 500 is outside"),
        (("cycles = 3", "cycles = 0"), 14, "'cycles' = 0 is outside"),
        (("cycles = 3", "cycles = 2.5"), 14, "'cycles' must be a whole number"),
        (('category = "breathe"', 'category = "dance"'), 4, "category 'dance'"),
        (('say = "Hello."', 'say = "Hello."\nchime = "bell"'), 6, "exactly one of"),
        (("cycles = 3", "cycles = 3\nwords = { hold = 'wait' }"), 15, "no hold"),
        (("cycles = 3", ""), 11, "either cycles = N"),
        (('title = "Calm"\n', 'title = "Calm"\nspeed = 3\n'), 3, "unknown key 'speed'"),
        (('title = "Calm"\n', 'title = "Calm"\nsumary = "x"\n'), 3, "did you mean 'summary'?"),
        (("pause = 1", "puase = 1"), 8, "did you mean 'pause'?"),
        (("[[step]]\nbreathe", "[[steps]]\nbreathe"), 10, "did you mean 'step'?"),
    ],
)
def test_each_problem_names_its_line(
    tmp_path: Path, change: tuple[str, str], line: int, fragment: str
) -> None:
    old, new = change
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    found = problems(path)
    assert any(p.startswith(f"{path}:{line}: ") and fragment in p for p in found), found


def test_a_header_table_for_the_top_keys_is_explained_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "# my script\n[meta]\n" + GOOD)
    found = problems(path)
    assert (
        f"{path}:2: there is no [meta] table; write category, id, summary, title at the top"
        in (found[0])
    )
    # The keys under [meta] are its own: none is taken for a top-level key's line.
    assert not any(p.startswith(f"{path}:3: ") for p in found), found


def test_missing_fields_are_named(tmp_path: Path) -> None:
    path = write(
        tmp_path, GOOD.replace('title = "Calm"\n', "").replace('category = "breathe"\n', "")
    )
    found = problems(path)
    assert any("missing 'title'" in p for p in found)
    assert any("missing 'category'" in p for p in found)


def test_no_steps(tmp_path: Path) -> None:
    path = write(tmp_path, 'title = "x"\nsummary = "y"\ncategory = "ground"\n')
    assert any("has no steps" in p for p in problems(path))


def test_unreadable_and_not_utf8(tmp_path: Path) -> None:
    missing = tmp_path / "gone.toml"
    assert problems(missing) == [f"{missing}: cannot be read (No such file or directory)"]
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00title")
    assert "not UTF-8" in problems(binary)[0]


def test_fill_needs_minutes_and_minutes_needs_fill(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("cycles = 3", "fill = true"))
    assert any("fill = true needs the session length" in p for p in problems(path))
    path = write(
        tmp_path, GOOD.replace('category = "breathe"', 'category = "breathe"\nminutes = 3')
    )
    assert any("'minutes' only applies" in p for p in problems(path))


def test_check_script_reports_warnings_without_raising(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("cycles = 3", "cycles = 3\ntones = false"))
    script, found = check_script(path)
    assert script is not None
    assert [p.warning for p in found] == [True]
    assert "would be silent" in str(found[0])


def test_nothing_in_a_script_is_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = GOOD.replace('"Hello."', f"\"__import__('os').system('touch {marker}')\"")
    script = load_script(write(tmp_path, evil))
    assert "__import__" in script.steps[0].text  # type: ignore[union-attr]
    assert not marker.exists()


@pytest.mark.parametrize(
    ("change", "line", "fragment"),
    [
        (("inhale = 4", "inhale = 40"), 12, "'inhale' = 40 is outside 0.5–20"),
        (("inhale = 4", 'inhale = "4"'), 12, "'inhale' must be a number"),
        (("pause = 1", "pause = 200"), 8, "'pause' = 200 is outside 0–120"),
        (('say = "Hello."\npause = 1', "pause = 200"), 7, "'pause' = 200 is outside 0–120"),
        (("cycles = 3", 'fill = "yes"'), 14, "'fill' must be true or false"),
        (("cycles = 3", "cycles = 3\nwhen = 'holds'"), 15, "'when' does not belong"),
        (('say = "Hello."\npause = 1', 'section = "Hi"\npause = 500'), 8, "'pause' does not"),
        (("pause = 1", "pause = 1\nwhen = 'always'"), 9, "'when' must be \"holds\""),
        (("pause = 1", "pause = 1\noptional = 'yes'"), 9, "'optional' must be true or false"),
        (('"Hello."', '"Hello {inhal}."'), 7, "'{inhal}' is not a placeholder; did you mean"),
    ],
)
def test_one_problem_one_message(
    tmp_path: Path, change: tuple[str, str], line: int, fragment: str
) -> None:
    old, new = change
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    found = problems(path)
    assert len(found) == 1, found
    assert found[0].startswith(f"{path}:{line}: "), found
    assert fragment in found[0], found


def test_one_message_for_a_broken_inhale_with_words(tmp_path: Path) -> None:
    text = GOOD.replace("inhale = 4", "inhale = 40").replace(
        "cycles = 3", "cycles = 3\nwords = { inhale = 'in', exhale = 'out' }"
    )
    found = problems(write(tmp_path, text))
    assert found == [f"{tmp_path / 'calm.toml'}:12: 'inhale' = 40 is outside 0.5–20"]


def test_one_message_for_a_missing_inhale_with_words(tmp_path: Path) -> None:
    text = GOOD.replace("inhale = 4\n", "").replace(
        "cycles = 3", "cycles = 3\nwords = { inhale = 'in' }"
    )
    found = problems(write(tmp_path, text))
    assert len(found) == 1, found
    assert "a breathing block needs 'inhale'" in found[0]


def test_one_message_for_a_broken_filling_block_with_minutes(tmp_path: Path) -> None:
    text = GOOD.replace("cycles = 3", "fill = true").replace("inhale = 4", "inhale = 40")
    text = text.replace('category = "breathe"', 'category = "breathe"\nminutes = 3')
    found = problems(write(tmp_path, text))
    assert found == [f"{tmp_path / 'calm.toml'}:13: 'inhale' = 40 is outside 0.5–20"]


def test_one_message_for_broken_minutes_with_a_filling_block(tmp_path: Path) -> None:
    text = GOOD.replace("cycles = 3", "fill = true").replace(
        'category = "breathe"', 'category = "breathe"\nminutes = 500'
    )
    found = problems(write(tmp_path, text))
    assert found == [f"{tmp_path / 'calm.toml'}:5: 'minutes' = 500 is outside 0.25–120"]


# -- notes said during a block, and lines a ladder step fills in --------------------------------

FILLING = """id = "calm"
title = "Calm"
summary = "A calm one."
category = "breathe"
minutes = 5

[[step]]
say = "Hello."

[[step]]
breathe = "Slow"
inhale = 4
exhale = 6
fill = true
notes = ["If your mind has wandered, that's fine.", "You can stop whenever you like."]
notes_every = 8
"""


def test_notes_load_with_their_spacing(tmp_path: Path) -> None:
    block = load_script(write(tmp_path, FILLING)).breathing[0]
    assert block.notes == (
        "If your mind has wandered, that's fine.",
        "You can stop whenever you like.",
    )
    assert block.notes_every == 8
    assert block.note_spacing == 8
    unset = load_script(write(tmp_path, FILLING.replace("notes_every = 8\n", ""))).breathing[0]
    assert unset.notes_every is None
    assert unset.note_spacing == 9  # about ninety seconds of ten-second breaths


@pytest.mark.parametrize(
    ("change", "line", "fragment"),
    [
        (("notes = [", 'notes = "Hi."\nx = ['), 15, "'notes' must be a list of 1 to 20"),
        (("notes = [", "notes = []\nx = ["), 15, "'notes' must be a list"),
        (('notes = ["If', 'notes = [3, "If'), 15, "each note must be non-empty text"),
        (('notes = ["If', 'notes = ["{inhale} in.", "If'), 15, "remove the braces"),
        (('notes = ["If', f'notes = ["{"word " * 50}", "If'), 15, "at most 200"),
        (("notes_every = 8", "notes_every = 0"), 16, "'notes_every' = 0 is outside"),
        (("notes_every = 8", "notes_every = 2.5"), 16, "'notes_every' must be a whole number"),
    ],
)
def test_each_notes_problem_names_its_line(
    tmp_path: Path, change: tuple[str, str], line: int, fragment: str
) -> None:
    old, new = change
    assert old in FILLING
    path = write(tmp_path, FILLING.replace(old, new, 1))
    found = problems(path)
    assert any(p.startswith(f"{path}:{line}: ") and fragment in p for p in found), found


def test_notes_every_without_notes_is_explained(tmp_path: Path) -> None:
    text = FILLING.replace(
        'notes = ["If your mind has wandered, that\'s fine.", "You can stop whenever you like."]\n',
        "",
    )
    path = write(tmp_path, text)
    assert problems(path) == [
        f"{path}:15: 'notes_every' says how often the notes are said, but this block has no notes"
    ]


def test_a_note_about_holding_or_counting_is_a_warning(tmp_path: Path) -> None:
    text = FILLING.replace("exhale = 6\n", "exhale = 6\nhold = 2\n").replace(
        "You can stop whenever you like.", "Hold it for four."
    )
    script, found = check_script(write(tmp_path, text))
    assert script is not None
    messages = [str(p) for p in found]
    assert any(
        ":11: warning: note 'Hold it for four.': a note is said with and without" in m
        for m in messages
    )
    assert any("sounds like a count of seconds" in m for m in messages)


LADDER_SCRIPT = """id = "practise"
title = "Practise"
summary = "A practice."
category = "social"

[[step]]
say = "Today you will {step}."
otherwise = "Choose a step."
"""


def test_a_ladder_line_loads_with_its_otherwise(tmp_path: Path) -> None:
    from assistant.core.model import Say

    step = load_script(write(tmp_path, LADDER_SCRIPT, "practise.toml")).steps[0]
    assert isinstance(step, Say)
    assert (step.text, step.otherwise) == ("Today you will {step}.", "Choose a step.")


@pytest.mark.parametrize(
    ("change", "line", "fragment"),
    [
        (('otherwise = "Choose a step."\n', ""), 7, 'add otherwise = "..."'),
        (("{step}", "a step"), 8, "'otherwise' is said only in place of a line that names"),
        (('"Choose a step."', '"Choose {step}."'), 8, "cannot name {step}"),
        (('"Choose a step."', '"Choose {stpe}."'), 8, "did you mean {step}?"),
        (('"Choose a step."', '""'), 8, "'otherwise' must be non-empty text"),
        (("{step}", "{steps}"), 7, "did you mean {step}?"),
    ],
)
def test_each_ladder_line_problem_names_its_line(
    tmp_path: Path, change: tuple[str, str], line: int, fragment: str
) -> None:
    old, new = change
    assert old in LADDER_SCRIPT
    path = write(tmp_path, LADDER_SCRIPT.replace(old, new, 1), "practise.toml")
    found = problems(path)
    assert any(p.startswith(f"{path}:{line}: ") and fragment in p for p in found), found


def _estimated(script: Script) -> Callable[[CompileOptions], Timeline]:
    from assistant.core.compiler import compile_timeline
    from tests.helpers import fixed_lengths

    return lambda options: compile_timeline(script, fixed_lengths(2.0, 0.5), options)


def test_check_warns_of_a_block_that_runs_long_without_a_sentence(tmp_path: Path) -> None:
    from assistant.core.loader import guidance_warnings

    text = FILLING.replace(
        'notes = ["If your mind has wandered, that\'s fine.", "You can stop whenever you like."]\n'
        "notes_every = 8\n",
        "",
    )
    path = write(tmp_path, text)
    script = load_script(path)
    found = [str(p) for p in guidance_warnings(script, _estimated(script))]
    assert len(found) == 1  # one warning for the block, at its worst
    assert found[0].startswith(f"{path}:11: warning: 'Slow' runs ")
    assert "without a spoken sentence at its usual length" in found[0]
    assert 'add notes = ["..."]' in found[0]
    noted = load_script(write(tmp_path, FILLING))
    assert guidance_warnings(noted, _estimated(noted)) == []


def test_check_warns_when_notes_are_too_far_apart(tmp_path: Path) -> None:
    from assistant.core.loader import guidance_warnings

    path = write(tmp_path, FILLING.replace("notes_every = 8", "notes_every = 20"))
    script = load_script(path)
    found = [str(p) for p in guidance_warnings(script, _estimated(script))]
    assert len(found) == 1
    assert "with --minutes 10" in found[0] or "at its usual length" in found[0]
    assert "a smaller notes_every" in found[0]


def test_check_warns_of_a_note_too_long_for_its_breath_out(tmp_path: Path) -> None:
    from assistant.core.compiler import compile_timeline
    from assistant.core.loader import guidance_warnings
    from tests.helpers import fixed_lengths

    path = write(tmp_path, FILLING)
    script = load_script(path)
    found = [
        str(p)
        for p in guidance_warnings(
            script, lambda options: compile_timeline(script, fixed_lengths(6.0, 0.5), options)
        )
    ]
    long_notes = [f for f in found if "takes about 6.0 s to say" in f]
    assert len(long_notes) == 2  # each note once, not once a session length
    assert all(f.startswith(f"{path}:11: warning: the note '") for f in long_notes)
    assert "leaves 5.5 s; shorten it" in long_notes[0]
