"""Hostile script files are data: a FIFO, deep nesting or escape bytes never hang, crash or
reach the terminal raw, and one bad file never affects the others."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from assistant.core.library import load_library
from assistant.core.loader import ScriptError, load_script
from assistant.core.safe import one_line, printable
from tests.helpers.cli import ground
from tests.helpers.paths import REPO

SHORT = (REPO / "tests" / "data" / "short.toml").read_text()
ESC_TITLE = "Evil\x1b]2;pwned\x07\x1b[2J\x1b[31m title"


def scripts_dir(home: Path) -> Path:
    folder = home / "config" / "scripts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_a_fifo_in_the_scripts_folder_is_reported_not_waited_on(ground_home: Path) -> None:
    folder = scripts_dir(ground_home)
    os.mkfifo(folder / "p.toml")
    (folder / "mine.toml").write_text(SHORT.replace('"short"', '"mine"'))
    done = ground("list", timeout=20)  # before the fix: never returned
    assert done.returncode == 0
    assert "mine" in done.stdout
    assert f"{folder / 'p.toml'}: is not a regular file" in done.stdout


def test_play_of_a_fifo_says_what_it_is_not_no_such_file(tmp_path: Path) -> None:
    fifo = tmp_path / "s.toml"
    os.mkfifo(fifo)
    for command in (("play", str(fifo), "--no-audio"), ("breath", str(fifo))):
        done = ground(*command, timeout=20)
        assert done.returncode == 2, done.stderr
        assert "is not a regular file" in done.stderr
        assert "no such file" not in done.stderr


def test_a_huge_script_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_text(SHORT + "#" * (300 * 1024) + "\n")
    with pytest.raises(ScriptError, match="larger than 256 KB"):
        load_script(big)


DEEP = "x = " + "[" * 500 + "]" * 500 + "\n"


def test_deeply_nested_arrays_are_one_problem_not_a_crash(ground_home: Path) -> None:
    folder = scripts_dir(ground_home)
    (folder / "deep.toml").write_text(DEEP)
    (folder / "mine.toml").write_text(SHORT.replace('"short"', '"mine"'))
    library = load_library(folder)
    assert "mine" in library.scripts
    assert [Path(p.path).name for p in library.problems] == ["deep.toml"]
    assert "too deeply" in library.problems[0].message
    for command in (("list",), ("check", str(folder / "deep.toml")), ("warm", "mine")):
        done = ground(*command)
        assert done.returncode in (0, 2), (command, done.stderr)
        assert "recursion" not in done.stdout + done.stderr
    done = ground("play", str(folder / "deep.toml"), "--no-audio")
    assert done.returncode == 2
    assert "too deeply" in done.stderr


def evil_script(script_id: str = "evil") -> str:
    return (
        SHORT.replace('"short"', f'"{script_id}"')
        .replace('title = "', 'title = "\\u001b]2;pwned\\u0007\\u001b[2J')
        .replace('summary = "', 'summary = "\\u001b[31m')
    )


def test_escape_bytes_in_a_script_never_reach_the_terminal(ground_home: Path) -> None:
    folder = scripts_dir(ground_home)
    (folder / "evil.toml").write_text(evil_script())
    assert "\\u001b" in (folder / "evil.toml").read_text()
    script = load_library(folder).scripts["evil"]
    assert "\x1b" not in script.title + script.summary
    for command in (
        ("list",),
        ("list", "--json"),
        ("check", str(folder / "evil.toml")),
        ("play", "evil", "--no-audio", "--engine", "none"),
    ):
        done = ground(*command)
        assert done.returncode == 0, (command, done.stderr)
        for raw in ("\x1b", "\x07"):
            assert raw not in done.stdout + done.stderr, command
        if command != ("list", "--json"):
            assert "pwned" in done.stdout + done.stderr or command[0] == "play"


def test_escape_bytes_in_a_problem_message_are_shown_as_text(ground_home: Path) -> None:
    folder = scripts_dir(ground_home)
    (folder / "bad.toml").write_text(
        SHORT.replace('"short"', '"bad"') + 'category = "\\u001b[2Jnope"\n'
    )
    done = ground("check", str(folder / "bad.toml"))
    assert "\x1b" not in done.stdout + done.stderr


def test_escape_bytes_in_ladder_titles_and_imports_are_text(tmp_path: Path) -> None:
    done = ground("ladder", "add", ESC_TITLE, "--suds", "30")
    assert done.returncode == 0, done.stderr
    listed = ground("ladder", "list")
    assert "\x1b" not in listed.stdout and "\x07" not in listed.stdout
    assert "Evil" in listed.stdout and "title" in listed.stdout


def test_one_line_and_printable() -> None:
    assert one_line(ESC_TITLE) == "Evil ]2;pwned [2J [31m title"
    assert one_line("a\u202eb\nc\td") == "a b c d"  # bidi override, newline, tab
    assert printable("one\x1b[2J\ntwo\x07") == "one [2J\ntwo"
    assert json.dumps(one_line("ok")) == '"ok"'
