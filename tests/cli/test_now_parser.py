"""``ground now`` parses with its own small parser: the same options, values and errors; and
every command is found through the command table."""

from __future__ import annotations

import argparse
import importlib

import pytest

from assistant.cli.main import COMMANDS, _dispatch, build_parser, main, now_parser


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--minutes", "2"],
        ["--no-audio", "--meter", "--input-device", "3"],
        ["--minutes=0.5"],
        ["--ambient", "waves", "--tones", "wood", "--bell", "none"],
    ],
)
def test_the_hotkey_parser_reads_what_the_full_one_reads(args: list[str]) -> None:
    full = vars(build_parser().parse_args(["now", *args]))
    alone = vars(now_parser().parse_args(args))
    assert alone == {key: full[key] for key in alone}
    assert alone["command"] == "now"


@pytest.mark.parametrize(
    "args", [["--minutes", "x"], ["--minutes", "500"], ["--bogus"], ["--ambient", "thunder"]]
)
def test_a_bad_hotkey_line_is_a_usage_error(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["now", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: ground now")
    assert "Traceback" not in err


def test_every_command_on_the_parser_has_a_row_in_the_table_in_help_order() -> None:
    (commands,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert list(commands.choices) == list(COMMANDS)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_command_runs_the_function_its_row_names(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = COMMANDS[name]
    module = importlib.import_module(row.module)
    assert callable(getattr(module, row.function))
    called: list[tuple[object, ...]] = []

    def stand_in(*given: object) -> int:
        called.append(given)
        return 7

    monkeypatch.setattr(module, row.function, stand_in)
    args = build_parser().parse_args([name, *_REQUIRED.get(name, [])])
    assert _dispatch(args) == 7
    assert called and called[0][0] is args
    if name == "completion":  # the completion scripts are written from the parser itself
        assert isinstance(called[0][1], argparse.ArgumentParser)


#: What each command needs on its command line to parse at all.
_REQUIRED = {
    "play": ["box"],
    "render": ["box", "-o", "x.wav"],
    "timer": ["--open"],
    "check": ["x.toml"],
    "breath": ["x.wav"],
    "completion": ["bash"],
}
