"""``ground remind`` writes only what it means to: a PATH entry with a newline cannot add lines
to the unit, and a symlink planted at a unit's path is refused, never followed. And it says only
what is true on a machine without systemd, or with no user bus: nothing here depends on the
machine's own systemctl (PATH holds only programs the tests write)."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
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


def program(folder: Path, name: str, script: str = "exit 0") -> Path:
    """An executable ``folder/name`` running the shell ``script``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)
    return path


def test_a_newline_in_path_never_reaches_exec_start(
    tmp_path: Path, units: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = tmp_path / "bin\nExecStartPost=/bin/touch /tmp/pwned\n#"
    notify_send = program(evil, "notify-send")
    program(tmp_path / "stubs", "systemctl")  # found, never run: the runner is ok_runner
    monkeypatch.setenv("PATH", f"{evil}{os.pathsep}{tmp_path / 'stubs'}")
    assert shutil.which("notify-send") == str(notify_send)  # the real lookup finds it first
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


def remind(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real ``ground remind ARGS``: its own runner and PATH lookup, PATH only ``stubs``."""
    env = {
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
        "PATH": str(tmp_path / "stubs"),
        "GROUND_HOME": os.environ["GROUND_HOME"],
    }
    (tmp_path / "stubs").mkdir(exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-P", "-m", "assistant", "remind", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert "Traceback" not in done.stderr + done.stdout
    return done


def reminder_files(units: Path) -> list[str]:
    return sorted(p.name for p in units.rglob("ground-reminder.*"))


def test_with_no_user_bus_nothing_claims_a_reminder_and_off_removes_its_files(
    tmp_path: Path, units: Path
) -> None:
    """Issue 20 item 10: `--at` failed (good), then `ground remind` said "A daily reminder is
    set for 09:30" and `--off` removed nothing."""
    bus = "echo 'Failed to connect to bus: No medium found' >&2; exit 1"
    program(tmp_path / "stubs", "systemctl", bus)
    program(tmp_path / "stubs", "notify-send")
    done = remind(tmp_path, "--at", "09:30")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "'Failed to connect to bus: No medium found'" in done.stderr
    assert "not switched on (`ground remind --off` removes them)" in done.stderr
    assert reminder_files(units) == ["ground-reminder.service", "ground-reminder.timer"]
    status = remind(tmp_path)
    assert status.returncode == 0
    assert status.stdout.startswith("No reminder is active: one for 09:30 is written (")
    assert "never switched it on" in status.stdout and "is set" not in status.stdout
    off = remind(tmp_path, "--off")
    assert off.returncode == 0, off.stderr
    assert off.stdout == "Reminder removed: no more daily notifications.\n"
    assert reminder_files(units) == []
    assert remind(tmp_path).stdout.startswith("No reminder is set.")


def test_with_no_systemctl_at_all_the_files_are_written_and_said_not_switched_on(
    tmp_path: Path, units: Path
) -> None:
    """The real "not found" path (a fresh Debian chroot has no systemd): PATH has no systemctl."""
    program(tmp_path / "stubs", "notify-send")
    done = remind(tmp_path, "--at", "07:15")
    assert done.returncode == 1
    assert done.stderr.startswith("ground: systemctl was not found, so the reminder files are")
    assert reminder_files(units) == ["ground-reminder.service", "ground-reminder.timer"]
    service = (units / "ground-reminder.service").read_text()
    assert f"\nExecStart={tmp_path / 'stubs' / 'notify-send'} --app-name=ground " in service
    status = remind(tmp_path)
    assert status.stdout.startswith("No reminder is active: one for 07:15 is written (")
    off = remind(tmp_path, "--off")
    assert off.returncode == 0
    assert reminder_files(units) == []
