"""``ground now`` parses with its own small parser: the same options, values and errors."""

from __future__ import annotations

import pytest

from assistant.cli.main import build_parser, main, now_parser


@pytest.mark.parametrize(
    "args",
    [[], ["--minutes", "2"], ["--no-audio", "--meter", "--input-device", "3"], ["--minutes=0.5"]],
)
def test_the_hotkey_parser_reads_what_the_full_one_reads(args: list[str]) -> None:
    full = vars(build_parser().parse_args(["now", *args]))
    alone = vars(now_parser().parse_args(args))
    assert alone == {key: full[key] for key in alone}
    assert alone["command"] == "now"


@pytest.mark.parametrize("args", [["--minutes", "x"], ["--minutes", "500"], ["--bogus"]])
def test_a_bad_hotkey_line_is_a_usage_error(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["now", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: ground now")
    assert "Traceback" not in err
