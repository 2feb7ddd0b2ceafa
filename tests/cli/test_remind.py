"""``ground remind``: the generated unit files and plist, and the commands issued (faked).

Every test fakes the scheduler through :class:`Scheduler`'s ``run`` and ``which`` seam and points
HOME and XDG_CONFIG_HOME at a temporary directory, so nothing here touches the real systemd,
launchd or the person's home.
"""

from __future__ import annotations

import argparse
import plistlib
import subprocess
from collections.abc import Callable
from datetime import time
from pathlib import Path

import pytest

from assistant.cli.remind_command import (
    MESSAGE,
    Scheduler,
    launchd_plist,
    parse_at,
    remind_command,
    systemd_units,
)

pytestmark = pytest.mark.slow

ENABLE = [
    ["systemctl", "--user", "daemon-reload"],
    ["systemctl", "--user", "enable", "--now", "ground-reminder.timer"],
]
MANUAL_ON = "systemctl --user daemon-reload && systemctl --user enable --now ground-reminder.timer"

SERVICE_TEXT = (
    "# Written by `ground remind`; `ground remind --off` removes it.\n"
    "[Unit]\n"
    "Description=ground: a gentle reminder to practise\n"
    "\n"
    "[Service]\n"
    "Type=oneshot\n"
    "ExecStart=/usr/bin/notify-send --app-name=ground --urgency=low ground "
    '"A minute for yourself, if you\'d like one — ground now"\n'
)


def _timer_text(hh_mm: str) -> str:
    return (
        "# Written by `ground remind`; `ground remind --off` removes it.\n"
        "[Unit]\n"
        f"Description=ground: a gentle daily reminder at {hh_mm}\n"
        "\n"
        "[Timer]\n"
        f"OnCalendar=*-*-* {hh_mm}:00\n"
        "Persistent=false\n"
        "Unit=ground-reminder.service\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )


class FakeRunner:
    """Records every command; answers with ``refuse[word]`` when a command contains ``word``.

    What ``systemctl --user enable``/``disable`` leave on disk it leaves too (the timer's link in
    ``timers.target.wants``, which is how ``ground remind`` tells a reminder switched on).
    """

    def __init__(
        self,
        refuse: dict[str, tuple[int, str]] | None = None,
        raises: BaseException | None = None,
    ) -> None:
        self.commands: list[list[str]] = []
        self.refuse = refuse or {}
        self.raises = raises

    def __call__(self, command: list[str]) -> subprocess.CompletedProcess[str]:
        self.commands.append(list(command))
        if self.raises is not None:
            raise self.raises
        for word, (code, stderr) in self.refuse.items():
            if word in command:
                return subprocess.CompletedProcess(command, code, "", stderr)
        if command[0] == "systemctl" and command[2] in ("enable", "disable"):
            units = Scheduler("linux").directory()
            wanted = units / "timers.target.wants" / command[-1]
            wanted.unlink(missing_ok=True)
            if command[2] == "enable":
                wanted.parent.mkdir(parents=True, exist_ok=True)
                wanted.symlink_to(units / command[-1])
        return subprocess.CompletedProcess(command, 0, "", "")


def which_only(*found: str) -> Callable[[str], str | None]:
    """A ``shutil.which`` that finds exactly these programs, in /usr/bin."""
    return lambda name: f"/usr/bin/{name}" if name in found else None


def _args(
    at: str | None = None, *, off: bool = False, print_files: bool = False
) -> argparse.Namespace:
    return argparse.Namespace(command="remind", at=at, off=off, print_files=print_files)


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def _ours(units: Path) -> list[str]:
    """The reminder's files and links left under ``units`` (systemd's own folders aside)."""
    found = [p for p in units.rglob("ground-reminder.*") if p.exists() or p.is_symlink()]
    return sorted(str(p.relative_to(units)) for p in found)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private HOME with XDG_CONFIG_HOME under it, elsewhere than ~/.config."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    (tmp_path / "home").mkdir()
    return tmp_path


@pytest.fixture
def units_dir(home: Path) -> Path:
    return home / "xdg" / "systemd" / "user"


def linux(runner: FakeRunner, *found: str) -> Scheduler:
    return Scheduler(
        "linux", run=runner, which=which_only(*(found or ("systemctl", "notify-send")))
    )


def mac(runner: FakeRunner, *found: str) -> Scheduler:
    return Scheduler("darwin", run=runner, which=which_only(*(found or ("launchctl",))))


# --- the generated files ---------------------------------------------------------------------


def test_systemd_units_at_0900_are_exact() -> None:
    units = systemd_units(time(9, 0), "/usr/bin/notify-send")
    assert units == {
        "ground-reminder.service": SERVICE_TEXT,
        "ground-reminder.timer": _timer_text("09:00"),
    }


def test_systemd_units_at_2130_are_exact() -> None:
    units = systemd_units(time(21, 30), "/usr/bin/notify-send")
    assert units["ground-reminder.timer"] == _timer_text("21:30")
    assert units["ground-reminder.service"] == SERVICE_TEXT


def test_exec_start_takes_plain_name_and_quotes_a_path_with_spaces() -> None:
    plain = systemd_units(time(9, 0), "notify-send")["ground-reminder.service"]
    assert "\nExecStart=notify-send --app-name=ground " in plain
    spaced = systemd_units(time(9, 0), "/opt/my tools/notify-send")["ground-reminder.service"]
    assert '\nExecStart="/opt/my tools/notify-send" --app-name=ground ' in spaced


@pytest.mark.parametrize(("at", "hour", "minute"), [(time(9, 0), 9, 0), (time(21, 30), 21, 30)])
def test_plist_round_trips_with_hour_and_minute(at: time, hour: int, minute: int) -> None:
    agent = plistlib.loads(launchd_plist(at))
    assert agent["Label"] == "app.ground.reminder"
    assert agent["StartCalendarInterval"] == {"Hour": hour, "Minute": minute}
    assert agent["RunAtLoad"] is False
    program = agent["ProgramArguments"]
    assert program[:2] == ["/usr/bin/osascript", "-e"]
    assert program[2] == f'display notification "{MESSAGE}" with title "ground"'


def test_the_message_invites_and_never_nags() -> None:
    assert "if you'd like" in MESSAGE
    for word in ("don't forget", "should", "must", "missed", "streak", "!"):
        assert word not in MESSAGE.lower()


# --- parse_at --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("9:05", time(9, 5)), ("09:05", time(9, 5)), ("23:59", time(23, 59)), ("0:00", time(0))],
)
def test_parse_at_accepts_24_hour_times(text: str, expected: time) -> None:
    assert parse_at(text) == expected


@pytest.mark.parametrize("text", ["24:00", "9am", "", "12:60", "9", "09:5", "١٢:٠٠", "-1:00"])
def test_parse_at_rejects_with_the_one_line(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_at(text)
    assert str(caught.value) == f"--at needs a time like 09:00 (24-hour), not '{text}'"


# --- install on Linux ------------------------------------------------------------------------


def test_install_writes_units_under_xdg_and_enables_the_timer(
    units_dir: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = FakeRunner()
    assert remind_command(_args("21:30"), scheduler=linux(runner)) == 0
    assert runner.commands == ENABLE
    assert (units_dir / "ground-reminder.timer").read_text(encoding="utf-8") == _timer_text("21:30")
    assert (units_dir / "ground-reminder.service").read_text(encoding="utf-8") == SERVICE_TEXT
    assert not (home / "home" / ".config").exists()
    out, err = capsys.readouterr()
    assert err == ""
    assert "21:30" in out and "ground remind --off" in out


def test_install_without_xdg_uses_dot_config(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert remind_command(_args("7:45"), scheduler=linux(FakeRunner())) == 0
    timer = home / "home" / ".config" / "systemd" / "user" / "ground-reminder.timer"
    assert timer.read_text(encoding="utf-8") == _timer_text("07:45")
    assert not (home / "xdg").exists()


def test_missing_systemctl_writes_files_and_gives_the_command(
    units_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = FakeRunner()
    assert remind_command(_args("09:00"), scheduler=linux(runner, "notify-send")) == 1
    assert runner.commands == []
    assert (units_dir / "ground-reminder.timer").read_text(encoding="utf-8") == _timer_text("09:00")
    assert (units_dir / "ground-reminder.service").exists()
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("ground: systemctl was not found")
    assert lines[0].endswith(MANUAL_ON)
    assert str(units_dir) in lines[0]


def test_missing_notify_send_still_enables_with_plain_name_and_says_how_to_install(
    units_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = FakeRunner()
    assert remind_command(_args("09:00"), scheduler=linux(runner, "systemctl")) == 1
    assert runner.commands == ENABLE
    service = (units_dir / "ground-reminder.service").read_text(encoding="utf-8")
    assert "\nExecStart=notify-send --app-name=ground" in service
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert "notify-send was not found" in lines[0]
    assert "sudo apt install libnotify-bin" in lines[0]


def test_refusing_systemctl_exits_1_quoting_its_last_line(
    units_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refusal = "Running in chroot, ignoring request.\nFailed to connect to bus: No medium found\n"
    runner = FakeRunner(refuse={"daemon-reload": (1, refusal)})
    assert remind_command(_args("09:00"), scheduler=linux(runner)) == 1
    assert runner.commands == ENABLE[:1]  # stops at the first refusal
    assert (units_dir / "ground-reminder.timer").exists()
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert "'Failed to connect to bus: No medium found'" in lines[0]
    assert "chroot" not in lines[0]
    assert lines[0].endswith(MANUAL_ON)


@pytest.mark.parametrize(
    "problem",
    [
        FileNotFoundError(2, "No such file or directory", "systemctl"),
        subprocess.TimeoutExpired(["systemctl"], 30),
    ],
)
def test_a_runner_that_raises_is_a_refusal_not_a_traceback(
    problem: BaseException, units_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert remind_command(_args("09:00"), scheduler=linux(FakeRunner(raises=problem))) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("ground: systemctl could not switch the reminder on: '")


def test_refusal_with_empty_stderr_names_the_exit_status(
    units_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = FakeRunner(refuse={"enable": (4, "")})
    assert remind_command(_args("09:00"), scheduler=linux(runner)) == 1
    assert runner.commands == ENABLE
    assert "'exit status 4'" in capsys.readouterr().err


def test_unwritable_config_is_one_line_exit_1(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (home / "xdg").write_text("a file where a folder should be")
    runner = FakeRunner()
    assert remind_command(_args("09:00"), scheduler=linux(runner)) == 1
    assert runner.commands == []
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ground: could not write ")


# --- --off and status on Linux ---------------------------------------------------------------


def test_off_disables_then_removes_the_files(
    units_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert remind_command(_args("09:00"), scheduler=linux(FakeRunner())) == 0
    runner = FakeRunner()
    assert remind_command(_args(off=True), scheduler=linux(runner)) == 0
    assert runner.commands == [
        ["systemctl", "--user", "disable", "--now", "ground-reminder.timer"],
        ["systemctl", "--user", "daemon-reload"],
    ]
    assert _ours(units_dir) == []
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Reminder removed: no more daily notifications."
    )


def test_off_with_nothing_installed_says_so(
    units_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = FakeRunner()
    assert remind_command(_args(off=True), scheduler=linux(runner)) == 0
    assert runner.commands == []
    assert capsys.readouterr() == ("No reminder was set.\n", "")


def test_off_refused_keeps_the_files_and_gives_the_commands(
    units_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert remind_command(_args("09:00"), scheduler=linux(FakeRunner())) == 0
    capsys.readouterr()
    runner = FakeRunner(refuse={"disable": (1, "Failed to disable unit: Access denied\n")})
    assert remind_command(_args(off=True), scheduler=linux(runner)) == 1
    assert (units_dir / "ground-reminder.timer").exists()
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1
    assert "'Failed to disable unit: Access denied'" in lines[0]
    assert "systemctl --user disable --now ground-reminder.timer && rm " in lines[0]


def test_a_reminder_never_switched_on_is_not_claimed_and_off_removes_its_files(
    units_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bus = FakeRunner(refuse={"--user": (1, "Failed to connect to bus: No medium found\n")})
    assert remind_command(_args("09:30"), scheduler=linux(bus)) == 1
    assert "not switched on (`ground remind --off` removes them)" in capsys.readouterr().err
    assert remind_command(_args(), scheduler=linux(bus)) == 0
    out = capsys.readouterr().out
    assert out.startswith("No reminder is active: one for 09:30 is written (")
    assert "systemctl never switched it on, so no notification will show. " in out
    assert f"To switch it on: {MANUAL_ON}; `ground remind --off` removes the files." in out
    bus.commands.clear()
    assert remind_command(_args(off=True), scheduler=linux(bus)) == 0
    assert bus.commands == [["systemctl", "--user", "disable", "--now", "ground-reminder.timer"]]
    assert capsys.readouterr() == ("Reminder removed: no more daily notifications.\n", "")
    assert _ours(units_dir) == []


def test_off_without_systemctl_still_removes_the_files(units_dir: Path) -> None:
    assert remind_command(_args("09:00"), scheduler=linux(FakeRunner(), "notify-send")) == 1
    runner = FakeRunner()
    assert remind_command(_args(off=True), scheduler=linux(runner, "notify-send")) == 0
    assert runner.commands == []
    assert _ours(units_dir) == []


def test_status_reads_the_time_back_from_the_timer(
    units_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = FakeRunner()
    assert remind_command(_args(), scheduler=linux(runner)) == 0
    assert capsys.readouterr().out.startswith("No reminder is set.")
    units_dir.mkdir(parents=True)
    timer = units_dir / "ground-reminder.timer"
    timer.write_text(_timer_text("06:40"), encoding="utf-8")
    assert remind_command(_args(), scheduler=linux(runner)) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"No reminder is active: one for 06:40 is written ({timer}) but ")
    assert "is set" not in out
    wanted = units_dir / "timers.target.wants" / "ground-reminder.timer"
    wanted.parent.mkdir()
    wanted.symlink_to(timer)  # what `systemctl --user enable` leaves
    assert remind_command(_args(), scheduler=linux(runner)) == 0
    out = capsys.readouterr().out
    assert out.startswith("A daily reminder is set for 06:40 (")
    assert str(timer) in out
    assert runner.commands == []  # reading the status asks nothing of systemd


def test_status_after_install_and_reinstall_shows_the_new_time(
    units_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert remind_command(_args("09:00"), scheduler=linux(FakeRunner())) == 0
    assert remind_command(_args("21:30"), scheduler=linux(FakeRunner())) == 0
    capsys.readouterr()
    assert remind_command(_args(), scheduler=linux(FakeRunner())) == 0
    assert "set for 21:30" in capsys.readouterr().out


def test_status_of_an_unreadable_timer_is_one_line_exit_1(
    units_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    units_dir.mkdir(parents=True)
    (units_dir / "ground-reminder.timer").write_text("[Timer]\nOnCalendar=weekly\n")
    assert remind_command(_args(), scheduler=linux(FakeRunner())) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and "its time cannot be read" in lines[0]


# --- --print ---------------------------------------------------------------------------------


def test_print_shows_both_units_under_their_paths_and_changes_nothing(
    home: Path, units_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _tree(home)
    runner = FakeRunner()
    assert remind_command(_args("21:30", print_files=True), scheduler=linux(runner)) == 0
    assert _tree(home) == before
    assert runner.commands == []
    out = capsys.readouterr().out
    service, timer = units_dir / "ground-reminder.service", units_dir / "ground-reminder.timer"
    assert f"# {service}\n{SERVICE_TEXT}\n" in out
    assert f"# {timer}\n{_timer_text('21:30')}\n" in out
    assert out.rstrip("\n").endswith(f"# To switch it on: {MANUAL_ON}")


def test_print_without_at_uses_0900(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    assert remind_command(_args(print_files=True), scheduler=linux(FakeRunner())) == 0
    assert "OnCalendar=*-*-* 09:00:00\n" in capsys.readouterr().out


# --- macOS -----------------------------------------------------------------------------------


def test_mac_install_writes_the_plist_and_loads_it(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plist = home / "home" / "Library" / "LaunchAgents" / "app.ground.reminder.plist"
    runner = FakeRunner()
    assert remind_command(_args("21:30"), scheduler=mac(runner)) == 0
    assert runner.commands == [["launchctl", "load", "-w", str(plist)]]
    assert plist.read_bytes() == launchd_plist(time(21, 30))
    assert "21:30" in capsys.readouterr().out


def test_mac_reinstall_unloads_the_old_time_first(home: Path) -> None:
    plist = home / "home" / "Library" / "LaunchAgents" / "app.ground.reminder.plist"
    assert remind_command(_args("09:00"), scheduler=mac(FakeRunner())) == 0
    runner = FakeRunner()
    assert remind_command(_args("18:15"), scheduler=mac(runner)) == 0
    assert runner.commands == [
        ["launchctl", "unload", "-w", str(plist)],
        ["launchctl", "load", "-w", str(plist)],
    ]
    assert Scheduler("darwin").installed_at() == time(18, 15)


def test_mac_load_failed_despite_exit_0_is_a_refusal(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = FakeRunner(refuse={"load": (0, "Load failed: 5: Input/output error\n")})
    assert remind_command(_args("09:00"), scheduler=mac(runner)) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert "'Load failed: 5: Input/output error'" in lines[0]
    assert "launchctl load -w " in lines[0]


def test_mac_missing_launchctl_writes_the_plist_and_gives_the_command(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plist = home / "home" / "Library" / "LaunchAgents" / "app.ground.reminder.plist"
    runner = FakeRunner()
    assert remind_command(_args("09:00"), scheduler=mac(runner, "nothing")) == 1
    assert runner.commands == []
    assert plist.exists()
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert lines[0].endswith(f"launchctl load -w {plist}")


def test_mac_status_and_off(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plist = home / "home" / "Library" / "LaunchAgents" / "app.ground.reminder.plist"
    assert remind_command(_args("06:05"), scheduler=mac(FakeRunner())) == 0
    capsys.readouterr()
    assert remind_command(_args(), scheduler=mac(FakeRunner())) == 0
    assert "set for 06:05" in capsys.readouterr().out
    runner = FakeRunner()
    assert remind_command(_args(off=True), scheduler=mac(runner)) == 0
    assert runner.commands == [["launchctl", "unload", "-w", str(plist)]]
    assert not plist.exists()


def test_mac_print_shows_the_plist_under_its_path(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plist = home / "home" / "Library" / "LaunchAgents" / "app.ground.reminder.plist"
    assert remind_command(_args("10:00", print_files=True), scheduler=mac(FakeRunner())) == 0
    out = capsys.readouterr().out
    assert f"# {plist}\n{launchd_plist(time(10, 0)).decode()}" in out
    assert not plist.parent.exists()


# --- usage errors and platforms --------------------------------------------------------------


def test_bad_at_is_one_line_exit_2_and_touches_nothing(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = FakeRunner()
    assert remind_command(_args("9am"), scheduler=linux(runner)) == 2
    assert capsys.readouterr() == (
        "",
        "ground: --at needs a time like 09:00 (24-hour), not '9am'\n",
    )
    assert runner.commands == []
    assert not (home / "xdg").exists()


def test_print_with_off_is_a_usage_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runner = FakeRunner()
    assert remind_command(_args(off=True, print_files=True), scheduler=linux(runner)) == 2
    assert runner.commands == []
    assert len(capsys.readouterr().err.splitlines()) == 1


@pytest.mark.parametrize(
    "args", [_args("09:00"), _args(off=True), _args(), _args(print_files=True)]
)
def test_windows_is_one_line_exit_2(
    args: argparse.Namespace, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = FakeRunner()
    assert remind_command(args, scheduler=Scheduler("win32", run=runner)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "ground: daily reminders are supported on Linux and macOS, not on this system (win32)\n"
    )
    assert runner.commands == []
    assert _tree(home) == ["home"]


def test_the_remind_options_are_wired_into_ground() -> None:
    from assistant.cli.main import build_parser

    parser = build_parser()
    args = parser.parse_args(["remind", "--at", "21:30", "--print"])
    assert (args.command, args.at, args.off, args.print_files) == ("remind", "21:30", False, True)
    args = parser.parse_args(["remind"])
    assert (args.at, args.off, args.print_files) == (None, False, False)
    assert "a gentle daily reminder to practise (off unless you set it)" in parser.format_help()
    with pytest.raises(SystemExit) as caught:
        parser.parse_args(["remind", "--at", "09:00", "--off"])
    assert caught.value.code == 2
