"""``ground hotkey``: a keyboard shortcut that opens ``ground now`` in the person's own terminal.

Design (the same shape as ``ground remind``):

* What gets written comes from pure functions of the key, the terminal and the ``ground`` path,
  so tests pin the exact lines and commands without a desktop.
* Everything that touches the system goes through :class:`Hotkey`, whose ``env``, ``platform``,
  ``run`` (``subprocess.run``-like), ``which`` and ``home`` are the seams tests fake. Its
  methods return an :class:`Outcome`; :func:`hotkey_command` is the only place that prints.
* It never replaces a shortcut the person already has on that key: each target looks for the
  key first (the desktop's own bindings, the config file, tmux's live key table) and, if it is
  taken, says where and changes nothing.
* ``--remove`` undoes exactly what was added: the GNOME custom shortcut at ground's own path,
  KDE's ``ground-now.desktop`` and its shortcut entry, or the marked block in a config file.
* Config files are data. Only regular files are edited, never through a symlink (a link is left
  alone and the lines to add are shown instead); edits go to a temporary file beside the
  original, with its mode, and are renamed into place. Keys, terminals and paths with control
  characters, or characters a config line cannot hold safely, are refused with one line.

Exit codes: 0 done, 1 could not be done (the key is taken, a tool refused, a file could not be
written), 2 bad input (a key or terminal that cannot be used, a desktop that cannot be told).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

# The same seams and result as `ground remind`: a command runner, a PATH lookup, an Outcome.
from assistant.cli.remind_command import Outcome, Runner, Which
from assistant.cli.remind_command import run_command as default_run

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

DEFAULT_KEY = "super+alt+g"
TARGETS = ("gnome", "kde", "sway", "i3", "hyprland", "tmux", "macos")
BEGIN = "# >>> ground hotkey (`ground hotkey --remove` takes this block out) >>>"
END = "# <<< ground hotkey <<<"
NAME = "ground: one-minute reset"
GNOME_SCHEMA = "org.gnome.settings-daemon.plugins.media-keys"
GNOME_ENTRY = f"{GNOME_SCHEMA}.custom-keybinding"
GNOME_PATH = "/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/ground/"
GNOME_SEARCH = (
    GNOME_SCHEMA,
    "org.gnome.desktop.wm.keybindings",
    "org.gnome.shell.keybindings",
    "org.gnome.mutter.keybindings",
    "org.gnome.mutter.wayland.keybindings",
)
KDE_DESKTOP = "ground-now.desktop"
_KDE_KEY = (
    "kwriteconfig6",
    "--file",
    "kglobalshortcutsrc",
    "--group",
    "services",
    "--group",
    KDE_DESKTOP,
    "--key",
    "_launch",
)
_RELOADERS = {"sway": "swaymsg", "i3": "i3-msg", "hyprland": "hyprctl"}
_MODS = {
    "super": "super",
    "mod4": "super",
    "logo": "super",
    "meta": "super",
    "win": "super",
    "cmd": "super",
    "alt": "alt",
    "mod1": "alt",
    "option": "alt",
    "ctrl": "ctrl",
    "control": "ctrl",
    "primary": "ctrl",
    "shift": "shift",
}
_MOD_ORDER = ("super", "ctrl", "alt", "shift")
_KEY = re.compile(r"[a-z0-9]|f[1-9]|f1[0-2]", re.ASCII)
# A word a window manager's exec line holds as it is: sh needs no quoting and i3/sway do not
# split on it (',' and ';' separate their commands).
_PLAIN_WORD = re.compile(r"[A-Za-z0-9@%+=:./_-]+", re.ASCII)


class HotkeyError(ValueError):
    """Bad input: one line saying what cannot be used and what to do instead (exit 2)."""


@dataclass(frozen=True)
class Key:
    """A shortcut: modifiers (``super``, ``ctrl``, ``alt``, ``shift``) and one key."""

    mods: frozenset[str]
    key: str

    def label(self) -> str:
        """``Super+Alt+G``, for people."""
        mods = [m.capitalize() for m in _MOD_ORDER if m in self.mods]
        return "+".join([*mods, self.key.upper()])

    def gnome(self) -> str:
        """``<Super><Alt>g``."""
        names = {"super": "<Super>", "ctrl": "<Control>", "alt": "<Alt>", "shift": "<Shift>"}
        return "".join(names[m] for m in _MOD_ORDER if m in self.mods) + self.key

    def kde(self) -> str:
        """``Meta+Alt+G``."""
        names = {"super": "Meta", "ctrl": "Ctrl", "alt": "Alt", "shift": "Shift"}
        return "+".join([*(names[m] for m in _MOD_ORDER if m in self.mods), self.key.upper()])

    def xkb(self) -> str:
        """``Mod4+Mod1+g`` (sway and i3)."""
        names = {"super": "Mod4", "ctrl": "Control", "alt": "Mod1", "shift": "Shift"}
        return "+".join([*(names[m] for m in _MOD_ORDER if m in self.mods), self.key])

    def hyprland(self) -> str:
        """``SUPER ALT, G``."""
        names = {"super": "SUPER", "ctrl": "CTRL", "alt": "ALT", "shift": "SHIFT"}
        mods = " ".join(names[m] for m in _MOD_ORDER if m in self.mods)
        return f"{mods}, {self.key.upper()}"

    def skhd(self) -> str:
        """``cmd + alt - g`` (macOS, skhd)."""
        names = {"super": "cmd", "ctrl": "ctrl", "alt": "alt", "shift": "shift"}
        mods = " + ".join(names[m] for m in _MOD_ORDER if m in self.mods)
        return f"{mods} - {self.key}" if mods else self.key


def parse_key(text: str) -> Key:
    """``super+alt+g`` (any case; ``mod4``, ``meta``, ``ctrl``/``control`` … accepted) as a Key.

    Raises:
        HotkeyError: not a modifier+key combination this can set up.
    """
    parts = [part.strip().lower() for part in text.split("+")]
    if not text.isprintable() or not all(parts):
        raise HotkeyError(f"--key needs a shortcut like {DEFAULT_KEY}, not {text!r}")
    *mods, key = parts
    unknown = [m for m in mods if m not in _MODS]
    if unknown or not _KEY.fullmatch(key):
        raise HotkeyError(
            f"--key needs modifiers (super, ctrl, alt, shift) and one letter, digit or F1–F12, "
            f"like {DEFAULT_KEY}; {text!r} is not one"
        )
    chosen = frozenset(_MODS[m] for m in mods)
    if not chosen & {"super", "ctrl", "alt"}:
        raise HotkeyError(
            f"--key {text} would fire while you type; add super, ctrl or alt ({DEFAULT_KEY})"
        )
    return Key(chosen, key)


# -- the terminal ---------------------------------------------------------------------------------

_TERMINALS: dict[str, Callable[[list[str]], list[str]]] = {
    "gnome-terminal": lambda c: ["gnome-terminal", "--geometry=72x12", "--title=ground", "--", *c],
    "ptyxis": lambda c: ["ptyxis", "--new-window", "--", *c],
    "kgx": lambda c: ["kgx", "--", *c],
    "konsole": lambda c: [
        "konsole",
        "--hide-menubar",
        "--hide-tabbar",
        "-p",
        "TerminalColumns=72",
        "-p",
        "TerminalRows=12",
        "-e",
        *c,
    ],
    "foot": lambda c: ["foot", "--app-id=ground", "--window-size-chars=72x12", *c],
    "alacritty": lambda c: [
        "alacritty",
        "--class",
        "ground",
        "-o",
        "window.dimensions.columns=72",
        "-o",
        "window.dimensions.lines=12",
        "-e",
        *c,
    ],
    "kitty": lambda c: [
        "kitty",
        "--title",
        "ground",
        "-o",
        "initial_window_width=72c",
        "-o",
        "initial_window_height=12c",
        *c,
    ],
    "wezterm": lambda c: ["wezterm", "start", "--", *c],
    "xterm": lambda c: ["xterm", "-geometry", "72x12", "-title", "ground", "-e", *c],
}
_DESKTOP_TERMINALS = {
    "gnome": ("ptyxis", "kgx", "gnome-terminal"),
    "kde": ("konsole",),
    "sway": ("foot", "alacritty", "kitty", "wezterm"),
    "hyprland": ("kitty", "foot", "alacritty", "wezterm"),
    "i3": ("i3-sensible-terminal", "alacritty", "kitty", "xterm"),
}
_ANY_TERMINAL = ("foot", "alacritty", "kitty", "wezterm", "gnome-terminal", "konsole", "xterm")


def launch_argv(terminal: str, command: list[str]) -> list[str]:
    """The argv that opens ``command`` in ``terminal`` (a known one sized 72×12; else ``-e``)."""
    name = Path(terminal).name
    if name in _TERMINALS:
        return [terminal, *_TERMINALS[name](command)[1:]]
    return [terminal, "-e", *command]


def _check_words(words: list[str], what: str) -> None:
    for word in words:
        if not word.isprintable():
            raise HotkeyError(f"{what} has a control character in {word!r}; it cannot be used")
        if not _PLAIN_WORD.fullmatch(word):
            raise HotkeyError(
                f"{what} has characters a shortcut's command line cannot hold safely ({word!r}); "
                "use a plain path (letters, digits, / . _ - +)"
            )


# -- what each target writes ----------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """A marked block to add to (or take out of) a config file."""

    path: Path
    block: str
    must_exist: bool = True
    """True where a new file would replace the program's defaults (sway, i3, Hyprland)."""


@dataclass(frozen=True)
class Plan:
    """What setting up one target does: files to edit or write, and commands to run."""

    target: str
    summary: str
    edits: tuple[Edit, ...] = ()
    writes: tuple[tuple[Path, str], ...] = ()
    commands: tuple[tuple[str, ...], ...] = ()
    """Run to set it up (for KDE and GNOME, the setting itself)."""
    undo: tuple[tuple[str, ...], ...] = ()
    """Run by ``--remove``, after the files are put back."""
    reload: tuple[tuple[str, ...], ...] = ()
    """Run after either, only while that window manager (or tmux) is running."""
    after: str = ""
    """A last line for the person (how it takes effect)."""


def block(lines: list[str]) -> str:
    """The lines between ground's markers, ending in a newline."""
    return "\n".join([BEGIN, *lines, END]) + "\n"


def display(command: tuple[str, ...] | list[str]) -> str:
    """A command as a person would type it (double quotes where that reads better)."""
    words = []
    for word in command:
        if _PLAIN_WORD.fullmatch(word) or not re.search(r'["$`\\!]', word):
            words.append(word if _PLAIN_WORD.fullmatch(word) else f'"{word}"')
        else:
            words.append(shlex.quote(word))
    return " ".join(words)


def _gnome_list_command(paths: list[str]) -> tuple[str, ...]:
    listing = "[" + ", ".join(gsettings_string(p) for p in paths) + "]" if paths else "@as []"
    return ("gsettings", "set", GNOME_SCHEMA, "custom-keybindings", listing)


def gsettings_string(text: str) -> str:
    """``text`` as a GVariant string literal for ``gsettings set``."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def desktop_exec(argv: list[str]) -> str:
    """An ``Exec=`` value (Desktop Entry spec: reserved characters quoted, ``%`` doubled)."""
    out = []
    for arg in argv:
        arg = arg.replace("%", "%%")
        if re.search(r"[\s\"'\\><~|&;$*?#()`]", arg):
            arg = '"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"'
        out.append(arg)
    return " ".join(out)


def kde_desktop_file(argv: list[str], key: Key) -> str:
    """``~/.local/share/applications/ground-now.desktop``: the launcher KDE's shortcut runs."""
    return (
        "[Desktop Entry]\n"
        "# Written by `ground hotkey`; `ground hotkey --remove` removes it.\n"
        "Type=Application\n"
        f"Name={NAME}\n"
        "Comment=A one-minute breathing reset\n"
        f"Exec={desktop_exec(argv)}\n"
        "NoDisplay=true\n"
        f"X-KDE-Shortcuts={key.kde()}\n"
    )


def tmux_key(key: Key) -> str:
    """tmux's key for the shortcut: ``prefix`` then the key's letter (``g``)."""
    return key.key


def tmux_line(key: Key, ground: list[str]) -> str:
    """The ``bind-key`` line: a popup sized for the pacer, closed when the session ends."""
    popup = shlex.quote(shlex.join([*ground, "now"]))
    return f"bind-key {tmux_key(key)} display-popup -E -w 74 -h 14 {popup}"


def plan_for(
    target: str, key: Key, launch: list[str], ground: list[str], home: Path, env: Mapping[str, str]
) -> Plan:
    """What ``ground hotkey`` does for ``target`` (pure: no file is read)."""
    line = shlex.join(launch)
    config = _config_home(home, env)
    if target == "gnome":
        custom = f"{GNOME_ENTRY}:{GNOME_PATH}"
        return Plan(
            target,
            f"GNOME: {key.label()} opens `ground now` ({line})",
            commands=(
                ("gsettings", "set", custom, "name", gsettings_string(NAME)),
                ("gsettings", "set", custom, "command", gsettings_string(line)),
                ("gsettings", "set", custom, "binding", gsettings_string(key.gnome())),
            ),
            after="It works at once; Settings → Keyboard → Custom Shortcuts lists it.",
        )
    if target == "kde":
        desktop = _data_home(home, env) / "applications" / KDE_DESKTOP
        return Plan(
            target,
            f"KDE Plasma: {key.label()} opens `ground now` ({line})",
            writes=((desktop, kde_desktop_file(launch, key)),),
            commands=((*_KDE_KEY, key.kde()),),
            undo=((*_KDE_KEY, "--delete"),),
            after="Plasma takes it up when you next log in; System Settings → Shortcuts lists it.",
        )
    if target in ("sway", "i3"):
        path = config / target / "config"
        # i3 shows a busy cursor until a launched program says it started; terminals rarely do.
        startup = " --no-startup-id" if target == "i3" else ""
        exec_line = f"bindsym {key.xkb()} exec{startup} {line}"
        return Plan(
            target,
            f"{target}: {key.label()} opens `ground now`",
            edits=(Edit(path, block([exec_line])),),
            reload=(("swaymsg" if target == "sway" else "i3-msg", "reload"),),
        )
    if target == "hyprland":
        path = config / "hypr" / "hyprland.conf"
        return Plan(
            target,
            f"Hyprland: {key.label()} opens `ground now`",
            edits=(Edit(path, block([f"bind = {key.hyprland()}, exec, {line}"])),),
            reload=(("hyprctl", "reload"),),
        )
    if target == "tmux":
        bind = tmux_line(key, ground)
        return Plan(
            target,
            f"tmux: prefix then {tmux_key(key)} opens `ground now` in a popup",
            edits=(Edit(tmux_conf(home, env), block([bind]), must_exist=False),),
            commands=(("tmux", *shlex.split(bind)),),
            undo=(("tmux", "unbind-key", tmux_key(key)),),
        )
    # macOS: nothing is written; the recipe is the plan.
    shell = shlex.join([*ground, "now"])
    return Plan(
        target,
        "macOS: ground does not change macOS shortcuts itself; either of these adds one:",
        after=(
            "Shortcuts app → New Shortcut → Run Shell Script: "
            f'osascript -e \'tell application "Terminal" to do script "{shell}; exit"\', '
            f"then Shortcut Details → Add Keyboard Shortcut.\n"
            f"skhd (~/.skhdrc): {key.skhd()} : open -na Terminal --args {shell}"
        ),
    )


def _config_home(home: Path, env: Mapping[str, str]) -> Path:
    xdg = env.get("XDG_CONFIG_HOME", "")
    return Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".config"


def _data_home(home: Path, env: Mapping[str, str]) -> Path:
    xdg = env.get("XDG_DATA_HOME", "")
    return Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".local" / "share"


def tmux_conf(home: Path, env: Mapping[str, str]) -> Path:
    """``~/.tmux.conf``, or the XDG one where that is the file in use."""
    xdg = _config_home(home, env) / "tmux" / "tmux.conf"
    classic = home / ".tmux.conf"
    return xdg if xdg.exists() and not classic.exists() else classic


# -- finding a key already taken ----------------------------------------------------------------


def _combo(mods: list[str], key: str) -> Key | None:
    try:
        return Key(frozenset(_MODS[m.lower()] for m in mods if m), key.lower())
    except KeyError:
        return None


def _bound_in_xkb_config(text: str, key: Key) -> str | None:
    """The first ``bindsym`` line of a sway/i3 config on ``key`` (``$variables`` resolved)."""
    variables = dict(re.findall(r"^\s*set\s+(\$\S+)\s+(\S+)", text, re.M))
    for line in _outside_block(text):
        words = line.split()
        if not words or words[0] != "bindsym":
            continue
        combo = next((w for w in words[1:] if not w.startswith("--")), "")
        for name, value in variables.items():
            combo = combo.replace(name, value)
        *mods, last = combo.split("+")
        if _combo(mods, last) == key:
            return line.strip()
    return None


def _bound_in_hyprland(text: str, key: Key) -> str | None:
    variables = dict(re.findall(r"^\s*(\$\w+)\s*=\s*(.+?)\s*$", text, re.M))
    for line in _outside_block(text):
        match = re.match(r"\s*bind[a-z]*\s*=\s*([^,]*),\s*([^,]+),", line)
        if not match:
            continue
        mods = match[1]
        for name, value in variables.items():
            mods = mods.replace(name, value)
        if _combo(re.split(r"[\s_]+", mods.strip()), match[2].strip()) == key:
            return line.strip()
    return None


def _bound_in_tmux_config(text: str, key: Key) -> str | None:
    for line in _outside_block(text):
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
        if table == "prefix" and rest and rest[0] == tmux_key(key):
            return line.strip()
    return None


def _outside_block(text: str) -> list[str]:
    """The lines of a config file, leaving out ground's own block (re-adding it is no conflict)."""
    out, inside = [], False
    for line in text.splitlines():
        if line.strip() == BEGIN:
            inside = True
        elif line.strip() == END:
            inside = False
        elif not inside and not line.lstrip().startswith("#"):
            out.append(line)
    return out


def _gnome_accels(value: str) -> list[Key]:
    keys = []
    for accel in re.findall(r"'([^']*)'", value):
        mods = re.findall(r"<(\w+)>", accel)
        last = re.sub(r"<\w+>", "", accel)
        found = _combo(mods, last) if last else None
        if found is not None:
            keys.append(found)
    return keys


def _kde_bound(text: str, key: Key) -> str | None:
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
            if last and _combo(mods, last) == key:
                return f"{group} {name.strip()}"
    return None


# -- applying it ----------------------------------------------------------------------------------


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
        if self.platform == "darwin":
            found = ["macos"]
        elif self.env.get("HYPRLAND_INSTANCE_SIGNATURE"):
            found = ["hyprland"]
        elif self.env.get("SWAYSOCK"):
            found = ["sway"]
        elif self.env.get("I3SOCK"):
            found = ["i3"]
        else:
            desktops = self.env.get("XDG_CURRENT_DESKTOP", "").lower().split(":")
            if "kde" in desktops:
                found = ["kde"]
            elif set(desktops) & {"gnome", "unity", "budgie", "pantheon", "ubuntu"}:
                found = ["gnome"]
            elif "sway" in desktops or "i3" in desktops or "hyprland" in desktops:
                found = [next(d for d in desktops if d in ("sway", "i3", "hyprland"))]
            else:
                found = []
        if self.env.get("TMUX"):
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
        for name in (*_DESKTOP_TERMINALS.get(target, ()), *_ANY_TERMINAL):
            if self.which(name):
                return name
        return "x-terminal-emulator"

    def plan(self, target: str, key: Key, terminal: str | None) -> Plan:
        """The plan for ``target``, its words checked (raises :class:`HotkeyError`)."""
        ground = self.ground()
        _check_words(ground, f"the path to ground ({shlex.join(ground)})")
        command = [*ground, "now"]
        if target in ("tmux", "macos"):
            launch = command
        else:
            term = self.terminal(target, terminal)
            if not term.isprintable():
                raise HotkeyError(
                    f"the terminal {term!r} has a control character; it cannot be used"
                )
            try:
                terminal_words = shlex.split(term)
            except ValueError:
                raise HotkeyError(
                    f"the terminal {term!r} cannot be used: unbalanced quotes"
                ) from None
            if not terminal_words:
                raise HotkeyError("--terminal needs a program, e.g. --terminal foot")
            _check_words(terminal_words, f"the terminal {term!r}")
            launch = (
                launch_argv(terminal_words[0], command)
                if len(terminal_words) == 1
                else [*terminal_words, *command]
            )
        return plan_for(target, key, launch, ground, self.home, self.env)

    # -- the three actions

    def preview(self, plan: Plan) -> Outcome:
        """What ``install`` would do: the lines it adds, the files it writes, the commands."""
        lines = [f"# {plan.summary}"]
        for edit in plan.edits:
            lines += [f"# add to {edit.path}:", edit.block.rstrip("\n")]
        for path, content in plan.writes:
            lines += [f"# write {path}:", content.rstrip("\n")]
        commands = self._commands(plan)
        if plan.target == "gnome":
            current = [p for p in self._gnome_custom() or [] if p != GNOME_PATH]
            commands.append(_gnome_list_command([*current, GNOME_PATH]))
        heading = {"tmux": "# and in the tmux that is running:", "gnome": "# run:", "kde": "# run:"}
        if commands:
            lines.append(heading.get(plan.target, f"# then, while {plan.target} runs:"))
            lines += [display(command) for command in commands]
        if plan.after:
            lines += [f"# {line}" for line in plan.after.splitlines()]
        return Outcome(EXIT_OK, out=(*lines, ""))

    def install(self, plan: Plan, key: Key) -> Outcome:
        """Set the shortcut up, unless its key is already taken."""
        if plan.target == "macos":
            return Outcome(EXIT_OK, out=(plan.summary, *plan.after.splitlines()))
        taken = self._taken(plan, key)
        if taken is not None:
            return Outcome(
                EXIT_FAILURE,
                err=(
                    f"{key.label()} is already in use ({taken}); nothing was changed. "
                    "Pick another with --key, e.g. --key super+alt+b",
                ),
            )
        if plan.target == "gnome":
            return self._gnome_install(plan, key)
        for edit in plan.edits:
            problem = self._add_block(edit)
            if problem is not None:
                return problem
        for path, content in plan.writes:
            problem = self._write_new(path, content)
            if problem is not None:
                return problem
        if plan.target == "kde":
            tool = self._kde_tool()
            refusal = "not found" if tool is None else self._call([tool, *plan.commands[0][1:]])
            if refusal is not None:
                return Outcome(
                    EXIT_FAILURE,
                    err=(
                        f"kwriteconfig6 (or 5): {refusal}, so {plan.writes[0][0]} is written but "
                        f"has no key yet; System Settings → Shortcuts → Add Application → "
                        f"'{NAME}' gives it {key.kde()}",
                    ),
                )
        elif self._running(plan.target):
            for command in plan.commands:  # tmux: bind the key in the running server too
                self._call(list(command))
        self._reload(plan)
        done = f"Shortcut set: {plan.summary.split(': ', 1)[1]}."
        return Outcome(
            EXIT_OK, out=(done, *plan.after.splitlines(), "`ground hotkey --remove` takes it away.")
        )

    def remove(self, plan: Plan) -> Outcome:
        """Take out exactly what ``install`` added (and nothing if it added nothing)."""
        if plan.target == "macos":
            return Outcome(
                EXIT_OK,
                out=(
                    "ground set nothing up on macOS; remove the Shortcut or skhd line you added.",
                ),
            )
        if plan.target == "gnome":
            return self._gnome_remove()
        removed: list[str] = []
        for edit in plan.edits:
            result = self._remove_block(edit.path)
            if isinstance(result, Outcome):
                return result
            if result:
                removed.append(str(edit.path))
        for path, _ in plan.writes:
            if path.is_file() and not path.is_symlink() and _ours(path):
                path.unlink()
                removed.append(str(path))
        if plan.target == "kde":
            tool = self._kde_tool()
            if tool is not None:
                self._call([tool, *plan.undo[0][1:]])
        elif removed and self._running(plan.target):
            for command in plan.undo:
                self._call(list(command))
        if not removed:
            return Outcome(EXIT_OK, out=(f"No {plan.target} shortcut from ground was set.",))
        self._reload(plan)
        return Outcome(EXIT_OK, out=(f"Shortcut removed from {', '.join(removed)}.",))

    # -- helpers

    def _commands(self, plan: Plan) -> list[tuple[str, ...]]:
        if plan.target != "kde":
            return [*plan.commands, *plan.reload]
        tool = self._kde_tool() or "kwriteconfig6"
        return [(tool, *command[1:]) for command in plan.commands]

    def _reload(self, plan: Plan) -> None:
        if self._running(plan.target):
            for command in plan.reload:
                if self.which(command[0]) is not None:
                    self._call(list(command))

    def _kde_tool(self) -> str | None:
        return next((t for t in ("kwriteconfig6", "kwriteconfig5") if self.which(t)), None)

    def _running(self, target: str) -> bool:
        """Whether we are inside that window manager or tmux now (so telling it makes sense)."""
        marker = {
            "sway": "SWAYSOCK",
            "i3": "I3SOCK",
            "hyprland": "HYPRLAND_INSTANCE_SIGNATURE",
            "tmux": "TMUX",
        }
        return (
            target in marker
            and bool(self.env.get(marker[target]))
            and bool(self.which("tmux" if target == "tmux" else _RELOADERS[target]))
        )

    def _taken(self, plan: Plan, key: Key) -> str | None:
        if plan.target == "gnome":
            return self._gnome_taken(key)
        if plan.target == "kde":
            rc = _config_home(self.home, self.env) / "kglobalshortcutsrc"
            found = _kde_bound(_read(rc), key) if rc.is_file() else None
            return f"{rc}: {found}" if found else None
        path = plan.edits[0].path
        text = _read(path) if path.is_file() else ""
        finder = {
            "sway": _bound_in_xkb_config,
            "i3": _bound_in_xkb_config,
            "hyprland": _bound_in_hyprland,
            "tmux": _bound_in_tmux_config,
        }[plan.target]
        found = finder(text, key)
        if found:
            return f"{path}: {found}"
        if plan.target == "tmux" and self.which("tmux"):
            live = self._output(["tmux", "list-keys", "-T", "prefix", tmux_key(key)])
            if live and live.strip() and "ground" not in live:
                return f"tmux already binds prefix {tmux_key(key)}: {live.splitlines()[0].strip()}"
        return None

    def _gnome_custom(self) -> list[str] | None:
        value = self._output(["gsettings", "get", GNOME_SCHEMA, "custom-keybindings"])
        return None if value is None else re.findall(r"'([^']*)'", value)

    def _gnome_taken(self, key: Key) -> str | None:
        for schema in GNOME_SEARCH:
            listing = self._output(["gsettings", "list-recursively", schema]) or ""
            for line in listing.splitlines():
                parts = line.split(" ", 2)
                if len(parts) == 3 and key in _gnome_accels(parts[2]):
                    return f"GNOME {parts[0]} {parts[1]}"
        for path in self._gnome_custom() or []:
            if path == GNOME_PATH:
                continue
            value = self._output(["gsettings", "get", f"{GNOME_ENTRY}:{path}", "binding"]) or ""
            if key in _gnome_accels(value):
                return f"GNOME custom shortcut {path}"
        return None

    def _gnome_install(self, plan: Plan, key: Key) -> Outcome:
        current = self._gnome_custom()
        if current is None:
            return Outcome(
                EXIT_FAILURE,
                err=(
                    f"gsettings could not read {GNOME_SCHEMA}; nothing was changed. "
                    "Settings → Keyboard → Custom Shortcuts can add it by hand: "
                    f"{plan.commands[1][-1]}",
                ),
            )
        for command in plan.commands:
            refusal = self._call(list(command))
            if refusal is not None:
                return Outcome(EXIT_FAILURE, err=(f"gsettings refused: {refusal}",))
        if GNOME_PATH not in current:
            refusal = self._call(list(_gnome_list_command([*current, GNOME_PATH])))
            if refusal is not None:
                return Outcome(EXIT_FAILURE, err=(f"gsettings refused: {refusal}",))
        return Outcome(
            EXIT_OK,
            out=(
                f"Shortcut set: {key.label()} opens `ground now`.",
                plan.after,
                "`ground hotkey --remove` takes it away.",
            ),
        )

    def _gnome_remove(self) -> Outcome:
        current = self._gnome_custom()
        if current is None or GNOME_PATH not in current:
            return Outcome(EXIT_OK, out=("No GNOME shortcut from ground was set.",))
        refusal = self._call(list(_gnome_list_command([p for p in current if p != GNOME_PATH])))
        if refusal is not None:
            return Outcome(EXIT_FAILURE, err=(f"gsettings refused: {refusal}",))
        for name in ("name", "command", "binding"):
            self._call(["gsettings", "reset", f"{GNOME_ENTRY}:{GNOME_PATH}", name])
        return Outcome(EXIT_OK, out=("Shortcut removed from GNOME's custom shortcuts.",))

    def _add_block(self, edit: Edit) -> Outcome | None:
        path = edit.path
        if path.is_symlink() or (path.exists() and not path.is_file()):
            return _by_hand(path, "is a symlink or not a regular file", edit.block)
        if not path.exists():
            if edit.must_exist:
                return _by_hand(
                    path,
                    "does not exist (the defaults are in use; copy them there first)",
                    edit.block,
                )
            text = ""
        else:
            text = _read(path)
        text = _without_block(text)
        if text and not text.endswith("\n"):
            text += "\n"
        return _replace(path, text + edit.block, edit.block)

    def _remove_block(self, path: Path) -> Outcome | bool:
        if not path.is_file() or path.is_symlink():
            return False
        text = _read(path)
        kept = _without_block(text)
        if kept == text:
            return False
        problem = _replace(path, kept, None)
        return problem if problem is not None else True

    def _write_new(self, path: Path, content: str) -> Outcome | None:
        if path.is_symlink() or (path.exists() and not _ours(path)):
            return _by_hand(path, "already exists and is not ground's", content)
        return _replace(path, content, content)

    def _output(self, command: list[str]) -> str | None:
        """What ``command`` printed, or None if it could not run or failed."""
        import subprocess

        if self.which(command[0]) is None:
            return None
        try:
            done = (self.run or default_run)(command)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout if done.returncode == 0 else None

    def _call(self, command: list[str]) -> str | None:
        """Run ``command``; None if it worked, else the last line it said (or why)."""
        import subprocess

        try:
            done = (self.run or default_run)(command)
        except (OSError, subprocess.SubprocessError) as exc:
            return str(exc)
        if done.returncode == 0:
            return None
        lines = [ln.strip() for ln in (done.stderr or "").splitlines() if ln.strip()]
        return lines[-1] if lines else f"exit status {done.returncode}"


def _ours(path: Path) -> bool:
    """Whether a whole file was written by ``ground hotkey`` (its header says so)."""
    return "# Written by `ground hotkey`" in _read(path)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _without_block(text: str) -> str:
    """``text`` with ground's marked block (and only it) taken out."""
    lines = text.splitlines(keepends=True)
    out, inside = [], False
    for line in lines:
        if line.strip() == BEGIN:
            inside = True
        elif inside and line.strip() == END:
            inside = False
        elif not inside:
            out.append(line)
    return "".join(out) if not inside else text  # an unclosed block: touch nothing


def _replace(path: Path, text: str, shown: str | None) -> Outcome | None:
    """Write ``text`` over ``path`` through a temporary file and a rename (mode kept)."""
    import secrets

    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.ground")
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(
            temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode
        )
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            temp.chmod(mode)  # the umask must not narrow a config file's mode
            temp.replace(path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        if shown is None:
            return Outcome(EXIT_FAILURE, err=(f"could not change {path}: {exc.strerror}",))
        return _by_hand(path, f"could not be written ({exc.strerror})", shown)
    return None


def _by_hand(path: Path, why: str, content: str) -> Outcome:
    lines = [
        f"{path} {why}, so ground left it alone. To add the shortcut yourself, put this in it:"
    ]
    return Outcome(EXIT_FAILURE, out=tuple(content.rstrip("\n").splitlines()), err=tuple(lines))


def hotkey_command(args: argparse.Namespace, *, machine: Hotkey | None = None) -> int:
    """Run ``ground hotkey`` (``args``: desktop, key, terminal, print_only, remove)."""
    machine = Hotkey() if machine is None else machine
    outcomes: list[Outcome] = []
    try:
        key = parse_key(getattr(args, "key", None) or DEFAULT_KEY)
        chosen = getattr(args, "desktop", None)
        targets = [chosen] if chosen else machine.targets()
        if not targets:
            raise HotkeyError(
                "could not tell which desktop this is (XDG_CURRENT_DESKTOP is "
                f"{machine.env.get('XDG_CURRENT_DESKTOP', '')!r}); name it: --desktop "
                + "|".join(TARGETS)
            )
        print_only = bool(getattr(args, "print_only", False))
        shown = list(targets)
        if print_only and not chosen and "tmux" not in shown and machine.which("tmux"):
            shown.append("tmux")  # a preview costs nothing: show the tmux line as well
        for target in shown:
            plan = machine.plan(target, key, getattr(args, "terminal", None))
            if print_only:
                outcomes.append(machine.preview(plan))
            elif getattr(args, "remove", False):
                outcomes.append(machine.remove(plan))
            else:
                outcomes.append(machine.install(plan, key))
    except HotkeyError as exc:
        outcomes.append(Outcome(EXIT_USAGE, err=(str(exc),)))
    for outcome in outcomes:
        for line in outcome.err:  # before the lines: "… put this in it:" then the block
            print(f"ground: {line}", file=sys.stderr)
        sys.stderr.flush()
        for line in outcome.out:
            print(line)
        sys.stdout.flush()
    return max((o.code for o in outcomes), default=EXIT_OK)
