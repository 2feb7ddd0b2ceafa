"""The seams to the system's own tools (systemctl, launchctl, gsettings, tmux …) for ``remind``
and ``hotkey``: running a command, finding a program, and what an action did."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    import subprocess

Runner: TypeAlias = "Callable[[list[str]], subprocess.CompletedProcess[str]]"
"""Runs one command and returns its result (``subprocess.run`` with output captured)."""
Which: TypeAlias = Callable[[str], "str | None"]
"""Finds a program on PATH (``shutil.which``)."""

find_program: Which = shutil.which
_TIMEOUT = 30.0


@dataclass(frozen=True)
class Report:
    """What an action did: the exit code (``cli.errors``), lines for stdout, lines for stderr.

    ``err`` lines are printed after ``ground: ``, one plain line each.
    """

    code: int
    out: tuple[str, ...] = ()
    err: tuple[str, ...] = ()


def run_command(command: list[str]) -> subprocess.CompletedProcess[str]:
    """Run ``command`` with its output captured, no input, and a 30 s limit."""
    import subprocess

    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        timeout=_TIMEOUT,
        stdin=subprocess.DEVNULL,
    )


def refusal(run: Runner, command: list[str]) -> str | None:
    """Run ``command``; None if it worked, else the last line it said (or why it could not run)."""
    import subprocess

    try:
        done = run(command)
    except (OSError, subprocess.SubprocessError) as exc:
        return str(exc)
    stderr = done.stderr
    text = stderr.decode(errors="replace") if isinstance(stderr, bytes) else stderr or ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    # launchctl load can exit 0 yet print "Load failed: ..."; trust what it says.
    if done.returncode != 0 or (command[0] == "launchctl" and "failed" in last.lower()):
        from assistant.core.i18n import _

        return last or _("exit status {code}").format(code=done.returncode)
    return None


def output(run: Runner, which: Which, command: list[str]) -> str | None:
    """What ``command`` printed, or None if it is not installed, could not run, or failed."""
    import subprocess

    if which(command[0]) is None:
        return None
    try:
        done = run(command)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None
