"""``ground remind`` writes only what it means to: a PATH entry with a newline cannot add lines
to the unit, and a symlink planted at a unit's path is refused, never followed."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.cli.remind_command import Scheduler, remind_command


def ok_runner(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.CompletedProcess(command, 0, "", "")


def args(at: str | None = "09:00", *, print_files: bool = False) -> argparse.Namespace:
    return argparse.Namespace(command="remind", at=at, off=False, print_files=print_files)


@pytest.fixture
def units(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "systemd" / "user"


def test_a_newline_in_path_never_reaches_exec_start(
    tmp_path: Path, units: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = tmp_path / "bin\nExecStartPost=/bin/touch /tmp/pwned\n#"
    evil.mkdir(parents=True)
    program = evil / "notify-send"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{evil}{os.pathsep}/usr/bin:/bin")
    assert shutil.which("notify-send") == str(program)  # the real lookup finds it first
    scheduler = Scheduler("linux", run=ok_runner, which=shutil.which)
    assert remind_command(args(), scheduler=scheduler) == 0, capsys.readouterr().err
    text = (units / "ground-reminder.service").read_text()
    assert not any(line.startswith("ExecStartPost") for line in text.splitlines()), text
    assert "\nExecStart=notify-send " in text  # the plain name: systemd searches its own PATH


def test_a_symlink_at_the_units_path_is_refused_not_followed(
    tmp_path: Path, units: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    units.mkdir(parents=True)
    victim = tmp_path / "victim"
    victim.write_text("precious")
    (units / "ground-reminder.service").symlink_to(victim)
    scheduler = Scheduler("linux", run=ok_runner, which=lambda name: f"/usr/bin/{name}")
    code = remind_command(args(), scheduler=scheduler)
    assert code != 0
    err = capsys.readouterr().err
    assert "symbolic link" in err and err.count("\n") == 1
    assert victim.read_text() == "precious"
