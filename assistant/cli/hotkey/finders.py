"""Finding a key already taken: in a sway/i3, Hyprland or tmux config, GNOME's settings, KDE's."""

from __future__ import annotations

import re
import shlex

from assistant.cli.hotkey.keys import Key, combo

KDE_DESKTOP = "ground-now.desktop"


def bound_in_xkb_config(text: str, lines: list[str], key: Key) -> str | None:
    """The first ``bindsym`` line of a sway/i3 config on ``key`` (``$variables`` resolved).

    Args:
        text: the whole file (for its ``set $variable`` lines).
        lines: its lines outside ground's block, comments left out.
        key: the shortcut looked for.
    """
    variables = dict(re.findall(r"^\s*set\s+(\$\S+)\s+(\S+)", text, re.M))
    for line in lines:
        words = line.split()
        if not words or words[0] != "bindsym":
            continue
        found = next((w for w in words[1:] if not w.startswith("--")), "")
        for name, value in variables.items():
            found = found.replace(name, value)
        *mods, last = found.split("+")
        if combo(mods, last) == key:
            return line.strip()
    return None


def bound_in_hyprland(text: str, lines: list[str], key: Key) -> str | None:
    """The first ``bind…=`` line of a Hyprland config on ``key`` (arguments as for xkb)."""
    variables = dict(re.findall(r"^\s*(\$\w+)\s*=\s*(.+?)\s*$", text, re.M))
    for line in lines:
        match = re.match(r"\s*bind[a-z]*\s*=\s*([^,]*),\s*([^,]+),", line)
        if not match:
            continue
        mods = match[1]
        for name, value in variables.items():
            mods = mods.replace(name, value)
        if combo(re.split(r"[\s_]+", mods.strip()), match[2].strip()) == key:
            return line.strip()
    return None


def bound_in_tmux_config(text: str, lines: list[str], key: Key) -> str | None:
    """The first ``bind-key`` line of a tmux config on prefix and ``key``'s letter."""
    del text  # tmux has no variables that name keys
    for line in lines:
        try:
            words = shlex.split(line, comments=True)
        except ValueError:  # unbalanced quotes: tmux would not read it either
            words = line.split()
        if not words or words[0] not in ("bind", "bind-key"):
            continue
        table, rest = "prefix", words[1:]
        while rest and rest[0].startswith("-"):
            flag = rest.pop(0)
            if flag == "-n":
                table = "root"
            elif flag == "-T" and rest:
                table = rest.pop(0)
            elif flag == "-N" and rest:
                rest.pop(0)  # the binding's note
        if table == "prefix" and rest and rest[0] == key.key:
            return line.strip()
    return None


def gnome_accels(value: str) -> list[Key]:
    """The keys in a gsettings value such as ``['<Super>Above_Tab', '<Alt><Super>G']``."""
    keys = []
    for accel in re.findall(r"'([^']*)'", value):
        mods = re.findall(r"<(\w+)>", accel)
        last = re.sub(r"<\w+>", "", accel)
        found = combo(mods, last) if last else None
        if found is not None:
            keys.append(found)
    return keys


def kde_bound(text: str, key: Key) -> str | None:
    """``[group] name``: the first shortcut on ``key`` in ``kglobalshortcutsrc``, not ground's."""
    group = ""
    for line in text.splitlines():
        if line.startswith("["):
            group = line.strip()
            continue
        name, _, value = line.partition("=")
        if group == f"[services][{KDE_DESKTOP}]" or not value:
            continue
        shortcuts = value.split(",")[0] if "," in value else value
        for shortcut in shortcuts.split("\t"):
            *mods, last = shortcut.split("+")
            if last and combo(mods, last) == key:
                return f"{group} {name.strip()}"
    return None
