"""The machine a shortcut goes on (:class:`Hotkey`): which desktop this is, how ``ground`` and a
terminal start there, and the three actions, each handed to that desktop's recipe."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from assistant.cli.errors import EXIT_OK
from assistant.cli.hotkey.desktops import DESKTOPS, Plan
from assistant.cli.hotkey.edits import Refused
from assistant.cli.hotkey.keys import HotkeyError, Key
from assistant.cli.hotkey.launch import ANY_TERMINAL, check_words, display, terminal_launch
from assistant.cli.system import Report, Runner, Which, output, refusal, run_command
from assistant.core.i18n import _

#: The window managers whose socket variable, when set, says we run inside them (first wins).
_INSIDE = ("hyprland", "sway", "i3")


@dataclass
class Hotkey:
    """The machine the shortcut goes on: environment, platform, commands, home folder.

    Every field is a seam for tests; the defaults are this process's own.
    """

    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    platform: str = sys.platform
    run: Runner | None = None
    which: Which = shutil.which
    home: Path = field(default_factory=Path.home)

    def targets(self) -> list[str]:
        """The desktop this session runs in (and tmux when inside it); may be empty."""
        desktops = set(self.env.get("XDG_CURRENT_DESKTOP", "").lower().split(":"))
        if self.platform == "darwin":
            found = ["macos"]
        else:
            inside = [n for n in _INSIDE if self.env.get(DESKTOPS[n].running_env)]
            named = [n for n, d in DESKTOPS.items() if d.desktop_names & desktops]
            found = (inside or named)[:1]
        if self.env.get(DESKTOPS["tmux"].running_env):
            found.append("tmux")
        return found

    def ground(self) -> list[str]:
        """How a shortcut starts ground: its absolute path (a desktop's PATH may lack it)."""
        found = self.which("ground")
        if found and Path(found).is_absolute():
            return [found]
        beside = Path(sys.executable).with_name("ground")
        if beside.is_file():
            return [str(beside)]
        return [sys.executable, "-m", "assistant"]

    def terminal(self, target: str, chosen: str | None) -> str:
        """The terminal for the shortcut: ``--terminal``, ``$TERMINAL``, else the desktop's."""
        if chosen:
            return chosen
        if self.env.get("TERMINAL"):
            return self.env["TERMINAL"]
        for name in (*DESKTOPS[target].terminals, *ANY_TERMINAL):
            if self.which(name):
                return name
        return "x-terminal-emulator"

    def plan(self, target: str, key: Key, terminal: str | None) -> Plan:
        """The plan for ``target``, its words checked (raises :class:`HotkeyError`)."""
        desktop = DESKTOPS[target]
        ground = self.ground()
        check_words(ground, _("the path to ground ({path})").format(path=shlex.join(ground)))
        command = [*ground, "now"]
        if desktop.needs_terminal:
            command = terminal_launch(self.terminal(target, terminal), command)
        return desktop.plan(key, command, ground, self)

    # -- the three actions

    def preview(self, plan: Plan) -> Report:
        """What ``install`` would do: the lines it adds, the files it writes, the commands."""
        lines = [f"# {plan.summary}"]
        for edit in plan.edits:
            add_to = _("add to {file}:").format(file=edit.path)
            lines += [f"# {add_to}", edit.block.rstrip("\n")]
        for path, content in plan.writes:
            write = _("write {file}:").format(file=path)
            lines += [f"# {write}", content.rstrip("\n")]
        heading, commands = DESKTOPS[plan.target].preview(self, plan)
        if commands:
            lines.append(heading)
            lines += [display(command) for command in commands]
        if plan.after:
            lines += [f"# {line}" for line in plan.after.splitlines()]
        return Report(EXIT_OK, out=(*lines, ""))

    def install(self, plan: Plan, key: Key) -> Report:
        """Set the shortcut up, unless its key is already taken."""
        try:
            return DESKTOPS[plan.target].install(self, plan, key)
        except Refused as refused:
            return refused.report

    def remove(self, plan: Plan) -> Report:
        """Take out exactly what ``install`` added (and nothing if it added nothing)."""
        try:
            return DESKTOPS[plan.target].remove(self, plan)
        except Refused as refused:
            return refused.report

    # -- the system's tools, for the recipes

    def call(self, command: list[str]) -> str | None:
        """Run ``command``; None if it worked, else the last line it said (or why)."""
        return refusal(self.run or run_command, command)

    def output(self, command: list[str]) -> str | None:
        """What ``command`` printed, or None if it could not run or failed."""
        return output(self.run or run_command, self.which, command)


__all__ = ["Hotkey", "HotkeyError"]
