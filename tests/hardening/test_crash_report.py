"""When something unexpected breaks, the person sees one line, even out of memory, and the
details are kept in a private file."""

from __future__ import annotations

import builtins
import stat
from pathlib import Path
from typing import Any

import pytest

from assistant.cli import main as cli_main


def broken_dispatch(args: Any) -> int:
    raise RuntimeError("boom \x1b[2J here")


def test_a_crash_is_one_line_and_a_private_report(
    ground_home: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli_main, "_dispatch", broken_dispatch)
    assert cli_main.main(["list"]) == cli_main.EXIT_FAILURE
    err = capfd.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "\x1b" not in err
    report = ground_home / "cache" / "last-error.txt"
    assert "RuntimeError" in report.read_text()
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    assert stat.S_IMODE((ground_home / "cache").stat().st_mode) == 0o700


def test_out_of_memory_while_saving_the_crash_is_still_one_line(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    real_import = builtins.__import__

    def starved(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "traceback":
            raise MemoryError
        return real_import(name, *args, **kwargs)

    def out_of_memory(args: Any) -> int:
        monkeypatch.setattr(builtins, "__import__", starved)
        raise MemoryError

    monkeypatch.setattr(cli_main, "_dispatch", out_of_memory)
    monkeypatch.delitem(__import__("sys").modules, "traceback", raising=False)
    assert cli_main.main(["list"]) == cli_main.EXIT_FAILURE
    err = capfd.readouterr().err
    assert err.startswith("ground: something went wrong"), err
    assert err.count("\n") == 1 and "Traceback" not in err
