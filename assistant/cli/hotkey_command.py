"""``ground hotkey``: a keyboard shortcut that opens ``ground now`` in the person's own terminal.

Design (the same shape as ``ground remind``; the parts live in ``assistant.cli.hotkey``):

* Each desktop is a recipe (``hotkey.desktops``: GNOME, KDE, sway, i3, Hyprland, tmux, macOS)
  whose plan is a pure function of the key, the terminal and the ``ground`` path, so tests pin
  the exact lines and commands without a desktop.
* Everything that touches the system goes through :class:`Hotkey`, whose ``env``, ``platform``,
  ``run`` (``subprocess.run``-like), ``which`` and ``home`` are the seams tests fake. Its
  methods return a :class:`~assistant.cli.system.Report`; :func:`hotkey_command` is the only
  place that prints.
* It never replaces a shortcut the person already has on that key: each recipe looks for the
  key first (the desktop's own bindings, the config file, tmux's live key table) and, if it is
  taken, says where and changes nothing.
* ``--remove`` undoes exactly what was added: the GNOME custom shortcut at ground's own path,
  KDE's ``ground-now.desktop`` and its shortcut entry, or ground's complete marked block in a
  config file. A file whose markers do not pair up is left alone, with one line saying where.
* Config files are the person's: edited as bytes (any encoding, CRLF kept; the block added ends
  its lines as the file does), only regular files, never through a symlink (a link is left alone
  and the lines to add are shown instead), written whole through ``core.files.atomic_write``
  with the file's mode. Keys, terminals and paths with control characters, or characters a
  config line cannot hold safely, are refused with one line.

Exit codes (``cli.errors``): 0 done, 1 could not be done (the key is taken, a tool refused, a
file could not be written, a symlinked config), 2 bad input (a key or terminal that cannot be
used, a desktop that cannot be told, a config whose ground markers do not pair up).
"""

from __future__ import annotations

import argparse
import sys

from assistant.cli.errors import EXIT_OK, EXIT_USAGE
from assistant.cli.hotkey.blocks import BEGIN, END
from assistant.cli.hotkey.desktops import DESKTOPS, GNOME_PATH, tmux_line
from assistant.cli.hotkey.keys import DEFAULT_KEY, HotkeyError, Key, parse_key
from assistant.cli.hotkey.launch import desktop_exec, launch_argv
from assistant.cli.hotkey.machine import Hotkey
from assistant.cli.system import Report
from assistant.core.i18n import _

TARGETS = tuple(DESKTOPS)

__all__ = [
    "BEGIN",
    "END",
    "GNOME_PATH",
    "TARGETS",
    "Hotkey",
    "HotkeyError",
    "Key",
    "desktop_exec",
    "hotkey_command",
    "launch_argv",
    "parse_key",
    "tmux_line",
]


def hotkey_command(args: argparse.Namespace, *, machine: Hotkey | None = None) -> int:
    """Run ``ground hotkey`` (``args``: desktop, key, terminal, print_only, remove)."""
    machine = Hotkey() if machine is None else machine
    reports: list[Report] = []
    try:
        _act(args, machine, reports)
    except HotkeyError as exc:
        reports.append(Report(EXIT_USAGE, err=(str(exc),)))
    for report in reports:
        for line in report.err:  # before the lines: "… put this in it:" then the block
            print(f"ground: {line}", file=sys.stderr)
        sys.stderr.flush()
        for line in report.out:
            print(line)
        sys.stdout.flush()
    return max((r.code for r in reports), default=EXIT_OK)


def _act(args: argparse.Namespace, machine: Hotkey, reports: list[Report]) -> None:
    """Act on each target, adding what it did to ``reports`` (raises :class:`HotkeyError`)."""
    key = parse_key(getattr(args, "key", None) or DEFAULT_KEY)
    chosen = getattr(args, "desktop", None)
    targets = [chosen] if chosen else machine.targets()
    if not targets:
        raise HotkeyError(
            _(
                "could not tell which desktop this is (XDG_CURRENT_DESKTOP is {value}); "
                "name it: --desktop {choices}"
            ).format(
                value=repr(machine.env.get("XDG_CURRENT_DESKTOP", "")), choices="|".join(TARGETS)
            )
        )
    print_only = bool(getattr(args, "print_only", False))
    if print_only and not chosen and "tmux" not in targets and machine.which("tmux"):
        targets.append("tmux")  # a preview costs nothing: show the tmux line as well
    for target in targets:
        plan = machine.plan(target, key, getattr(args, "terminal", None))
        if print_only:
            reports.append(machine.preview(plan))
        elif getattr(args, "remove", False):
            reports.append(machine.remove(plan))
        else:
            reports.append(machine.install(plan, key))
