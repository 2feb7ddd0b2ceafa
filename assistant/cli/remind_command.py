"""``ground remind``: an optional, gentle daily reminder to practise (off unless you set it).

Design:

* ground runs no daemon of its own. The reminder is handed to the scheduler the system already
  has: a systemd *user* timer and service on Linux, a launchd agent on macOS. Both fire a single
  quiet notification and nothing else; a reminder missed while the machine was off is simply
  missed (``Persistent=false``), never stacked up.
* The file contents come from pure functions (:func:`systemd_units`, :func:`launchd_plist`),
  and the time from :func:`parse_at`, so tests pin the exact bytes without a scheduler.
* Everything that touches the system goes through :class:`Scheduler`, whose ``platform``,
  ``run`` (``subprocess.run``-like) and ``which`` (``shutil.which``-like) parameters are the seam
  tests fake. Its methods return a :class:`~assistant.cli.system.Report` (exit code and lines to
  print) instead of printing, and :func:`remind_command` is the only place that prints.
* A missing tool or a refusing scheduler never hides the files: they are written first, and the
  person gets one plain line with the exact command to finish by hand. Never a traceback.
* The wording is deliberate: "if you'd like one", no "don't forget", no streaks. Someone with
  social anxiety who keeps a five-minute practice should feel invited, not chased.

Exit codes (``cli.errors``): 0 done, 1 something could not be done (a tool missing, the
scheduler refused, a file could not be written), 2 bad input or an unsupported platform.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from datetime import time
from pathlib import Path
from typing import Literal, TypeAlias

from assistant.cli.errors import EXIT_FAILURE, EXIT_OK, EXIT_USAGE
from assistant.cli.system import Report, Runner, Which, refusal, run_command
from assistant.core.files import UnsafeTarget, atomic_write, check_target, shared_mode
from assistant.core.i18n import N_, _
from assistant.core.safe import read_regular

SERVICE = "ground-reminder.service"
TIMER = "ground-reminder.timer"
LABEL = "app.ground.reminder"
PLIST = f"{LABEL}.plist"
TITLE = "ground"
# TRANSLATORS: the daily notification's text (`ground now` is the command it suggests).
MESSAGE = N_("A minute for yourself, if you'd like one — ground now")
"""The notification text: an invitation, never a demand (in the language in use when it is
set)."""
DEFAULT_AT = time(9, 0)
"""The time ``--print`` uses when no ``--at`` is given."""
OSASCRIPT = "/usr/bin/osascript"
_HEADER = "# Written by `ground remind`; `ground remind --off` removes it."

Kind: TypeAlias = Literal["systemd", "launchd"]

_AT = re.compile(r"([0-9]{1,2}):([0-9]{2})", re.ASCII)
_ON_CALENDAR = re.compile(r"^OnCalendar=\*-\*-\*\s+([0-9]{1,2}):([0-9]{2})(?::00)?\s*$", re.M)


def parse_at(text: str) -> time:
    """``"9:05"`` or ``"09:05"`` (24-hour) as a :class:`datetime.time`.

    Raises:
        ValueError: with the one line to show, e.g.
            ``--at needs a time like 09:00 (24-hour), not '9am'``.
    """
    match = _AT.fullmatch(text.strip())
    if match:
        hour, minute = int(match[1]), int(match[2])
        if hour <= 23 and minute <= 59:
            return time(hour, minute)
    raise ValueError(_("--at needs a time like 09:00 (24-hour), not '{text}'").format(text=text))


def systemd_units(at: time, notify_send: str) -> dict[str, str]:
    """The systemd user service and timer (file name → content) for a daily reminder at ``at``.

    Args:
        at: the time of day (seconds are ignored).
        notify_send: the program for ``ExecStart``: an absolute path, or plain ``notify-send``.
    """
    command = " ".join(
        _systemd_quote(arg)
        for arg in (notify_send, f"--app-name={TITLE}", "--urgency=low", TITLE, _(MESSAGE))
    )
    service = (
        f"{_HEADER}\n"
        "[Unit]\n"
        "Description=ground: a gentle reminder to practise\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"ExecStart={command}\n"
    )
    timer = (
        f"{_HEADER}\n"
        "[Unit]\n"
        f"Description=ground: a gentle daily reminder at {at:%H:%M}\n"
        "\n"
        "[Timer]\n"
        f"OnCalendar=*-*-* {at:%H:%M}:00\n"
        "Persistent=false\n"
        f"Unit={SERVICE}\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    return {SERVICE: service, TIMER: timer}


def launchd_plist(at: time) -> bytes:
    """The launchd agent (XML plist) that shows the notification every day at ``at``."""
    import plistlib

    script = (
        f"display notification {_applescript_quote(_(MESSAGE))} "
        f"with title {_applescript_quote(TITLE)}"
    )
    agent = {
        "Label": LABEL,
        "ProgramArguments": [OSASCRIPT, "-e", script],
        "StartCalendarInterval": {"Hour": at.hour, "Minute": at.minute},
        "RunAtLoad": False,
        "ProcessType": "Background",
    }
    return plistlib.dumps(agent)


def _systemd_quote(arg: str) -> str:
    """One ``ExecStart`` word: specifiers and variables escaped, quoted if it needs quoting.

    Raises:
        ValueError: ``arg`` holds a control character (a newline would start a new line of
            the unit file).
    """
    if not arg.isprintable():
        raise ValueError(f"{arg!r} holds a control character")
    arg = arg.replace("%", "%%").replace("$", "$$")
    if arg and not any(c.isspace() or c in "\"'\\;" for c in arg):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _applescript_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _shell(words: list[str]) -> str:
    import shlex

    return shlex.join(words)


class Scheduler:
    """The platform's scheduler: where the reminder files live and the commands that (un)load them.

    Args:
        platform: a ``sys.platform`` value (default: this machine's).
        run: runs one command and returns the result (default: ``subprocess.run``, output captured,
            30 s timeout). Tests pass a fake that records the commands.
        which: finds a program on PATH (default: ``shutil.which``).
    """

    def __init__(
        self,
        platform: str | None = None,
        *,
        run: Runner | None = None,
        which: Which | None = None,
    ) -> None:
        self.platform = sys.platform if platform is None else platform
        self.run: Runner = run_command if run is None else run
        self.which: Which = shutil.which if which is None else which

    @property
    def kind(self) -> Kind | None:
        """``"systemd"`` on Linux, ``"launchd"`` on macOS, None where reminders are unsupported."""
        if self.platform.startswith("linux"):
            return "systemd"
        if self.platform == "darwin":
            return "launchd"
        return None

    def directory(self) -> Path:
        """Where the files go: ``$XDG_CONFIG_HOME/systemd/user`` or ``~/Library/LaunchAgents``."""
        if self.kind == "launchd":
            return Path.home() / "Library" / "LaunchAgents"
        xdg = os.environ.get("XDG_CONFIG_HOME", "")
        config = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".config"
        return config / "systemd" / "user"

    def paths(self) -> list[Path]:
        """Every file a reminder consists of on this platform."""
        names = [PLIST] if self.kind == "launchd" else [SERVICE, TIMER]
        return [self.directory() / name for name in names]

    def files(self, at: time) -> dict[Path, bytes]:
        """The files (path → content) for a daily reminder at ``at``."""
        if self.kind == "launchd":
            return {self.directory() / PLIST: launchd_plist(at)}
        found = self.which("notify-send")
        # A path with a control character (a newline in a PATH entry) could add lines to the
        # unit: use the plain name then, which systemd looks up on its own PATH.
        plain = found is not None and found.isprintable()
        notify_send = found if plain and found else "notify-send"
        units = systemd_units(at, notify_send)
        return {self.directory() / name: text.encode() for name, text in units.items()}

    def _on_commands(self) -> list[list[str]]:
        if self.kind == "launchd":
            return [["launchctl", "load", "-w", str(self.directory() / PLIST)]]
        return [
            ["systemctl", "--user", "daemon-reload"],
            ["systemctl", "--user", "enable", "--now", TIMER],
        ]

    def _off_commands(self) -> list[list[str]]:
        if self.kind == "launchd":
            return [["launchctl", "unload", "-w", str(self.directory() / PLIST)]]
        return [["systemctl", "--user", "disable", "--now", TIMER]]

    @property
    def _tool(self) -> str:
        return "launchctl" if self.kind == "launchd" else "systemctl"

    def unsupported(self) -> Report:
        """The one line for a platform without reminders (exit 2)."""
        return Report(
            EXIT_USAGE,
            err=(
                _(
                    "daily reminders are supported on Linux and macOS, "
                    "not on this system ({system})"
                ).format(system=self.platform),
            ),
        )

    def preview(self, at: time) -> Report:
        """The files ``install(at)`` would write, each under a header naming its path."""
        if self.kind is None:
            return self.unsupported()
        lines: list[str] = []
        for path, content in self.files(at).items():
            lines += [f"# {path}", content.decode().rstrip("\n"), ""]
        switch_on = _("To switch it on: {command}").format(
            command=self._manual(self._on_commands())
        )
        lines.append(f"# {switch_on}")
        return Report(EXIT_OK, out=tuple(lines))

    def _not_switched_on(self, one: bool) -> str:
        """Why the files written are not switched on: the scheduler's tool is not here."""
        if one:
            return _(
                "{tool} was not found, so the reminder file is written to {folder} but not "
                "switched on (`ground remind --off` removes it); to switch it on: {command}"
            )
        return _(
            "{tool} was not found, so the reminder files are written to {folder} but "
            "not switched on (`ground remind --off` removes them); to switch it on: "
            "{command}"
        )

    def _switch_on(self, one: bool, words: dict[str, object]) -> Report | None:
        """Run the scheduler's commands that switch the reminder on: a failed report at the
        first one it refuses, else None."""
        for command in self._on_commands():
            refusal = self._call(command)
            if refusal is not None:
                if one:
                    refused = _(
                        "{tool} could not switch the reminder on: '{why}'. The file is "
                        "written but not switched on (`ground remind --off` removes it); "
                        "to try it yourself: {command}"
                    )
                else:
                    refused = _(
                        "{tool} could not switch the reminder on: '{why}'. The files are "
                        "written but not switched on (`ground remind --off` removes them); "
                        "to try it yourself: {command}"
                    )
                return Report(EXIT_FAILURE, err=(refused.format(why=refusal, **words),))
        return None

    def install(self, at: time) -> Report:
        """Write the files and ask the scheduler to run them daily at ``at``."""
        if self.kind is None:
            return self.unsupported()
        tool_found = self.which(self._tool) is not None
        if self.kind == "launchd" and tool_found and (self.directory() / PLIST).exists():
            # Reloading an agent launchd already has is refused: unload the old time first.
            self._call(self._off_commands()[0])
        files = self.files(at)
        problem = _write_all(files)
        if problem is not None:
            return problem
        err: list[str] = []
        one = len(files) == 1
        switch_on = self._manual(self._on_commands())
        words = {"tool": self._tool, "folder": self.directory(), "command": switch_on}
        if not tool_found:
            err.append(self._not_switched_on(one).format(**words))
        else:
            refused = self._switch_on(one, words)
            if refused is not None:
                return refused
        if self.kind == "systemd" and self.which("notify-send") is None:
            err.append(
                _(
                    "notify-send was not found, so the reminder cannot show yet; install it "
                    "(Debian/Ubuntu: sudo apt install libnotify-bin; Fedora: sudo dnf install "
                    "libnotify)"
                )
            )
        if err:
            return Report(EXIT_FAILURE, err=tuple(err))
        return Report(
            EXIT_OK,
            out=(
                _(
                    "Reminder set: a quiet notification at {time} each day. "
                    "Skip it whenever you like; `ground remind --off` turns it off."
                ).format(time=f"{at:%H:%M}"),
            ),
        )

    def remove(self) -> Report:
        """Ask the scheduler to stop the reminder, then delete its files.

        If the scheduler refuses to stop a reminder it runs, nothing is deleted (so the manual
        command still works). One it never switched on (systemd has no link to it) is only
        files: they are deleted whatever the scheduler says.
        """
        if self.kind is None:
            return self.unsupported()
        present = [path for path in self.paths() if path.exists() or path.is_symlink()]
        if not present:
            return Report(EXIT_OK, out=(_("No reminder was set."),))
        stopped = self.which(self._tool) is not None
        if stopped:
            for command in self._off_commands():
                why = self._call(command)
                if why is not None and self.switched_on() is not False:
                    by_hand = self._manual([*self._off_commands(), ["rm", *map(str, present)]])
                    return Report(
                        EXIT_FAILURE,
                        err=(
                            _(
                                "{tool} could not switch the reminder off: '{why}'. "
                                "Nothing was removed; to do it yourself: {command}"
                            ).format(tool=self._tool, why=why, command=by_hand),
                        ),
                    )
                stopped = stopped and why is None
        for path in present:
            try:
                path.unlink()
            except OSError as exc:
                return Report(
                    EXIT_FAILURE,
                    err=(_("could not remove {file}: {why}").format(file=path, why=exc.strerror),),
                )
        if self.kind == "systemd" and stopped:
            # Only tidies systemd's view of the deleted files: the timer is already off.
            self._call(["systemctl", "--user", "daemon-reload"])
        return Report(EXIT_OK, out=(_("Reminder removed: no more daily notifications."),))

    def switched_on(self) -> bool | None:
        """Whether the scheduler was told to run the reminder (None where that is not known).

        ``systemctl --user enable`` records it as a link in ``timers.target.wants`` beside the
        units (with or without a running user bus); launchd keeps its own record.
        """
        if self.kind != "systemd":
            return None
        wanted = self.directory() / "timers.target.wants" / TIMER
        return wanted.exists() or wanted.is_symlink()

    def installed_at(self) -> time | None:
        """The time of the installed reminder, read back from its file (None if none is set).

        Raises:
            ValueError: a reminder file exists but its time cannot be read.
        """
        if self.kind is None:
            return None
        path = self.paths()[0] if self.kind == "launchd" else self.directory() / TIMER
        if not path.exists():
            return None
        try:
            data = read_regular(path, 64 * 1024)  # a FIFO planted there never blocks
            if self.kind == "launchd":
                return _plist_time(data)
            return _timer_time(data.decode("utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(
                _(
                    "a reminder file is at {file}, but its time cannot be read; "
                    "`ground remind --off` removes it"
                ).format(file=path)
            ) from exc

    def status(self) -> Report:
        """Whether a reminder is set, and at what time."""
        if self.kind is None:
            return self.unsupported()
        try:
            at = self.installed_at()
        except ValueError as exc:
            return Report(EXIT_FAILURE, err=(str(exc),))
        if at is None:
            return Report(
                EXIT_OK,
                out=(
                    _(
                        "No reminder is set. If you'd like one, `ground remind --at 09:00` sets a "
                        "gentle daily notification."
                    ),
                ),
            )
        where = self.directory() / (PLIST if self.kind == "launchd" else TIMER)
        if self.switched_on() is False:
            return Report(
                EXIT_OK,
                out=(
                    _(
                        "No reminder is active: one for {time} is written ({file}) but {tool} "
                        "never switched it on, so no notification will show. To switch it on: "
                        "{command}; `ground remind --off` removes the files."
                    ).format(
                        time=f"{at:%H:%M}",
                        file=where,
                        tool=self._tool,
                        command=self._manual(self._on_commands()),
                    ),
                ),
            )
        return Report(
            EXIT_OK,
            out=(
                _(
                    "A daily reminder is set for {time} ({file}). "
                    "`ground remind --off` turns it off."
                ).format(time=f"{at:%H:%M}", file=where),
            ),
        )

    def _call(self, command: list[str]) -> str | None:
        """Run ``command``; None if it worked, else the last line of what it said (or why)."""
        return refusal(self.run, command)

    @staticmethod
    def _manual(commands: list[list[str]]) -> str:
        return " && ".join(_shell(command) for command in commands)


def _write_all(files: dict[Path, bytes]) -> Report | None:
    """Write every file (each checked before any is written); None when all are written."""
    for path in files:
        try:
            check_target(path)
        except UnsafeTarget as exc:
            return Report(EXIT_FAILURE, err=(_remove_first(path, exc),))
    for path, content in files.items():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, content, mode=shared_mode())  # never through a symlink
        except UnsafeTarget as exc:
            return Report(EXIT_FAILURE, err=(_remove_first(path, exc),))
        except OSError as exc:
            could_not = _("could not write {file}: {why}")
            return Report(EXIT_FAILURE, err=(could_not.format(file=path, why=exc.strerror),))
    return None


def _remove_first(path: Path, exc: UnsafeTarget) -> str:
    # TRANSLATORS: {problem} says what is wrong with the file, e.g. "is a symlink".
    return _("{file} {problem}; remove it and try again").format(file=path, problem=exc)


def _timer_time(text: str) -> time:
    match = _ON_CALENDAR.search(text)
    if match is None:
        raise ValueError("no daily OnCalendar= line")
    return time(int(match[1]), int(match[2]))


def _plist_time(data: bytes) -> time:
    import plistlib

    try:
        agent = plistlib.loads(data)
        interval = agent["StartCalendarInterval"]
        return time(int(interval["Hour"]), int(interval["Minute"]))
    except (plistlib.InvalidFileException, KeyError, TypeError, ValueError) as exc:
        raise ValueError("no StartCalendarInterval Hour/Minute") from exc


def remind_command(args: argparse.Namespace, *, scheduler: Scheduler | None = None) -> int:
    """Run ``ground remind`` (``args.at``, ``args.off``, ``args.print_files``) and print the result.

    Returns:
        0 done, 1 something could not be done, 2 bad input or an unsupported platform.
    """
    at_text: str | None = getattr(args, "at", None)
    off = bool(getattr(args, "off", False))
    print_files = bool(getattr(args, "print_files", False))
    scheduler = Scheduler() if scheduler is None else scheduler
    if off and print_files:
        report = Report(
            EXIT_USAGE, err=(_("--print shows the files for --at; it does not go with --off"),)
        )
    elif off and at_text is not None:
        report = Report(EXIT_USAGE, err=(_("--at and --off do not go together; pick one"),))
    else:
        try:
            at = None if at_text is None else parse_at(at_text)
        except ValueError as exc:
            report = Report(EXIT_USAGE, err=(str(exc),))
        else:
            if print_files:
                report = scheduler.preview(DEFAULT_AT if at is None else at)
            elif off:
                report = scheduler.remove()
            elif at is not None:
                report = scheduler.install(at)
            else:
                report = scheduler.status()
    for line in report.out:
        print(line)
    for line in report.err:
        print(f"ground: {line}", file=sys.stderr)
    return report.code
