"""One recipe per desktop: what ``ground hotkey`` writes or runs there, how it finds a key
already taken, and how ``--remove`` undoes exactly that.

Each recipe is a small class behind :class:`Desktop`; :data:`DESKTOPS` is the table the command
picks from. Plans are pure (no file is read); ``install`` and ``remove`` act through a
:class:`System` (the environment, the home folder and the commands, which tests fake).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from assistant.cli.errors import EXIT_FAILURE, EXIT_OK
from assistant.cli.hotkey import edits, finders
from assistant.cli.hotkey.blocks import outside_lines
from assistant.cli.hotkey.edits import Edit, Refused
from assistant.cli.hotkey.finders import KDE_DESKTOP
from assistant.cli.hotkey.keys import Key
from assistant.cli.hotkey.launch import desktop_exec, gsettings_string
from assistant.cli.system import Report, Which

NAME = "ground: quick reset"
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
_KDE_TOOLS = ("kwriteconfig6", "kwriteconfig5")
_REMOVE_HINT = "`ground hotkey --remove` takes it away."


class System(Protocol):
    """The machine a recipe acts on (``cli.hotkey.machine.Hotkey``)."""

    @property
    def env(self) -> Mapping[str, str]:
        """The environment (``XDG_CONFIG_HOME``, the sockets of running window managers)."""

    @property
    def home(self) -> Path:
        """The home folder."""

    @property
    def which(self) -> Which:
        """Finds a program on PATH."""

    def call(self, command: list[str]) -> str | None:
        """Run ``command``; None if it worked, else the last line it said (or why)."""

    def output(self, command: list[str]) -> str | None:
        """What ``command`` printed, or None if it is missing, could not run or failed."""


@dataclass(frozen=True)
class Plan:
    """What setting up one desktop does: files to edit or write, and commands to run."""

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


class Desktop(Protocol):
    """A desktop's recipe."""

    name: str
    needs_terminal: bool
    """Whether the shortcut opens a terminal (not tmux's popup, nor macOS's own recipe)."""
    terminals: tuple[str, ...]
    """Its usual terminals, tried first."""
    running_env: str
    """The variable set inside it (its socket), or ``""``."""
    desktop_names: frozenset[str]
    """Its names in ``XDG_CURRENT_DESKTOP`` (lower case)."""

    def plan(self, key: Key, launch: list[str], ground: list[str], system: System) -> Plan:
        """What setting it up does (pure: no file is read)."""

    def preview(self, system: System, plan: Plan) -> tuple[str, list[tuple[str, ...]]]:
        """The heading and the commands ``--print`` shows."""

    def install(self, system: System, plan: Plan, key: Key) -> Report:
        """Set the shortcut up, unless its key is already taken (raises :class:`Refused`)."""

    def remove(self, system: System, plan: Plan) -> Report:
        """Take out exactly what ``install`` added (raises :class:`Refused`)."""


def config_home(system: System) -> Path:
    """``$XDG_CONFIG_HOME``, else ``~/.config``."""
    xdg = system.env.get("XDG_CONFIG_HOME", "")
    return Path(xdg) if xdg and Path(xdg).is_absolute() else system.home / ".config"


def data_home(system: System) -> Path:
    """``$XDG_DATA_HOME``, else ``~/.local/share``."""
    xdg = system.env.get("XDG_DATA_HOME", "")
    return Path(xdg) if xdg and Path(xdg).is_absolute() else system.home / ".local" / "share"


def running(system: System, desktop: Desktop, tool: str) -> bool:
    """Whether we are inside ``desktop`` now and its ``tool`` is here (so it can be told)."""
    return bool(desktop.running_env and system.env.get(desktop.running_env)) and bool(
        system.which(tool)
    )


def taken(key: Key, where: str) -> Refused:
    """The refusal for a key already in use (``where`` names the binding)."""
    return Refused(
        Report(
            EXIT_FAILURE,
            err=(
                f"{key.label()} is already in use ({where}); nothing was changed. "
                "Pick another with --key, e.g. --key super+alt+b",
            ),
        )
    )


def _done(plan: Plan) -> Report:
    done = f"Shortcut set: {plan.summary.split(': ', 1)[1]}."
    return Report(EXIT_OK, out=(done, *plan.after.splitlines(), _REMOVE_HINT))


def _nothing(name: str) -> Report:
    return Report(EXIT_OK, out=(f"No {name} shortcut from ground was set.",))


# -- window managers and tmux: ground's block in their config file --------------------------------


class ConfigFileDesktop:
    """A window manager (or tmux) whose config gets ground's marked block."""

    name = ""
    needs_terminal = True
    terminals: tuple[str, ...] = ()
    running_env = ""
    desktop_names: frozenset[str] = frozenset()
    tool = ""
    """Its command-line tool (``swaymsg``): present and running means it can be told."""
    directive = ""
    """How ground's line in the block starts."""

    def plan(self, key: Key, launch: list[str], ground: list[str], system: System) -> Plan:
        raise NotImplementedError

    def find(self, text: str, lines: list[str], key: Key) -> str | None:
        """The line of the config that already binds ``key`` (None if none does)."""
        raise NotImplementedError

    def preview(self, system: System, plan: Plan) -> tuple[str, list[tuple[str, ...]]]:
        return f"# then, while {self.name} runs:", [*plan.commands, *plan.reload]

    def live_binding(self, system: System, key: Key) -> str | None:
        """A binding of ``key`` in the running program, not in its file (tmux's key table)."""
        del system, key
        return None

    def install(self, system: System, plan: Plan, key: Key) -> Report:
        edit = plan.edits[0]
        config = edits.load(edit, adding=True)
        text = config.data.decode("utf-8", errors="replace")
        found = self.find(text, outside_lines(config.data, config.found), key)
        if found:
            raise taken(key, f"{edit.path}: {found}")
        live = self.live_binding(system, key)
        if live:
            raise taken(key, live)
        edits.add_block(edit, config)
        if running(system, self, self.tool):
            for command in plan.commands:  # tmux: bind the key in the running server too
                system.call(list(command))
        self._reload(system, plan)
        return _done(plan)

    def remove(self, system: System, plan: Plan) -> Report:
        edit = plan.edits[0]
        if not edits.remove_block(edits.load(edit, adding=False)):
            return _nothing(self.name)
        if running(system, self, self.tool):
            for command in plan.undo:
                system.call(list(command))
        self._reload(system, plan)
        return Report(EXIT_OK, out=(f"Shortcut removed from {edit.path}.",))

    def _reload(self, system: System, plan: Plan) -> None:
        if running(system, self, self.tool):
            for command in plan.reload:
                if system.which(command[0]) is not None:
                    system.call(list(command))


class Sway(ConfigFileDesktop):
    name = "sway"
    terminals: tuple[str, ...] = ("foot", "alacritty", "kitty", "wezterm")
    running_env = "SWAYSOCK"
    desktop_names: frozenset[str] = frozenset({"sway"})
    tool = "swaymsg"
    directive = "bindsym"
    exec_word = "exec"

    def plan(self, key: Key, launch: list[str], ground: list[str], system: System) -> Plan:
        line = f"bindsym {key.spelled('xkb')} {self.exec_word} {shlex.join(launch)}"
        path = config_home(system) / self.name / "config"
        return Plan(
            self.name,
            f"{self.name}: {key.label()} opens `ground now`",
            edits=(Edit(path, (line,), self.directive),),
            reload=((self.tool, "reload"),),
        )

    def find(self, text: str, lines: list[str], key: Key) -> str | None:
        return finders.bound_in_xkb_config(text, lines, key)


class I3(Sway):
    name = "i3"
    terminals: tuple[str, ...] = ("i3-sensible-terminal", "alacritty", "kitty", "xterm")
    running_env = "I3SOCK"
    desktop_names: frozenset[str] = frozenset({"i3"})
    tool = "i3-msg"
    # i3 shows a busy cursor until a launched program says it started; terminals rarely do.
    exec_word = "exec --no-startup-id"


class Hyprland(ConfigFileDesktop):
    name = "hyprland"
    terminals: tuple[str, ...] = ("kitty", "foot", "alacritty", "wezterm")
    running_env = "HYPRLAND_INSTANCE_SIGNATURE"
    desktop_names: frozenset[str] = frozenset({"hyprland"})
    tool = "hyprctl"
    directive = "bind"

    def plan(self, key: Key, launch: list[str], ground: list[str], system: System) -> Plan:
        path = config_home(system) / "hypr" / "hyprland.conf"
        line = f"bind = {key.spelled('hyprland')}, exec, {shlex.join(launch)}"
        return Plan(
            self.name,
            f"Hyprland: {key.label()} opens `ground now`",
            edits=(Edit(path, (line,), self.directive),),
            reload=((self.tool, "reload"),),
        )

    def find(self, text: str, lines: list[str], key: Key) -> str | None:
        return finders.bound_in_hyprland(text, lines, key)


def tmux_line(key: Key, ground: list[str]) -> str:
    """The ``bind-key`` line: a popup sized for the pacer, closed when the session ends."""
    popup = shlex.quote(shlex.join([*ground, "now"]))
    return f"bind-key {key.key} display-popup -E -w 74 -h 14 {popup}"


def tmux_conf(system: System) -> Path:
    """``~/.tmux.conf``, or the XDG one where that is the file in use."""
    xdg = config_home(system) / "tmux" / "tmux.conf"
    classic = system.home / ".tmux.conf"
    return xdg if xdg.exists() and not classic.exists() else classic


class Tmux(ConfigFileDesktop):
    """tmux: prefix then the key's letter opens a popup (no terminal needed)."""

    name = "tmux"
    needs_terminal = False
    running_env = "TMUX"
    tool = "tmux"
    directive = "bind-key"

    def plan(self, key: Key, launch: list[str], ground: list[str], system: System) -> Plan:
        bind = tmux_line(key, ground)
        return Plan(
            self.name,
            f"tmux: prefix then {key.key} opens `ground now` in a popup",
            edits=(Edit(tmux_conf(system), (bind,), self.directive, must_exist=False),),
            commands=(("tmux", *shlex.split(bind)),),
            undo=(("tmux", "unbind-key", key.key),),
        )

    def preview(self, system: System, plan: Plan) -> tuple[str, list[tuple[str, ...]]]:
        return "# and in the tmux that is running:", [*plan.commands, *plan.reload]

    def find(self, text: str, lines: list[str], key: Key) -> str | None:
        return finders.bound_in_tmux_config(text, lines, key)

    def live_binding(self, system: System, key: Key) -> str | None:
        if not system.which("tmux"):
            return None
        live = system.output(["tmux", "list-keys", "-T", "prefix", key.key])
        if live and live.strip() and "ground" not in live:
            return f"tmux already binds prefix {key.key}: {live.splitlines()[0].strip()}"
        return None


# -- GNOME: a custom shortcut at ground's own path -----------------------------------------------


def gnome_list_command(paths: list[str]) -> tuple[str, ...]:
    """``gsettings set`` of GNOME's list of custom shortcuts."""
    listing = "[" + ", ".join(gsettings_string(p) for p in paths) + "]" if paths else "@as []"
    return ("gsettings", "set", GNOME_SCHEMA, "custom-keybindings", listing)


class Gnome:
    name = "gnome"
    needs_terminal = True
    terminals: tuple[str, ...] = ("ptyxis", "kgx", "gnome-terminal")
    running_env = ""
    desktop_names: frozenset[str] = frozenset({"gnome", "unity", "budgie", "pantheon", "ubuntu"})

    def plan(self, key: Key, launch: list[str], ground: list[str], system: System) -> Plan:
        line = shlex.join(launch)
        custom = f"{GNOME_ENTRY}:{GNOME_PATH}"
        return Plan(
            self.name,
            f"GNOME: {key.label()} opens `ground now` ({line})",
            commands=(
                ("gsettings", "set", custom, "name", gsettings_string(NAME)),
                ("gsettings", "set", custom, "command", gsettings_string(line)),
                ("gsettings", "set", custom, "binding", gsettings_string(key.spelled("gnome"))),
            ),
            after="It works at once; Settings → Keyboard → Custom Shortcuts lists it.",
        )

    def preview(self, system: System, plan: Plan) -> tuple[str, list[tuple[str, ...]]]:
        current = [p for p in self._custom(system) or [] if p != GNOME_PATH]
        return "# run:", [*plan.commands, gnome_list_command([*current, GNOME_PATH])]

    def install(self, system: System, plan: Plan, key: Key) -> Report:
        where = self._taken(system, key)
        if where is not None:
            raise taken(key, where)
        current = self._custom(system)
        if current is None:
            raise Refused(
                Report(
                    EXIT_FAILURE,
                    err=(
                        f"gsettings could not read {GNOME_SCHEMA}; nothing was changed. "
                        "Settings → Keyboard → Custom Shortcuts can add it by hand: "
                        f"{plan.commands[1][-1]}",
                    ),
                )
            )
        commands = list(plan.commands)
        if GNOME_PATH not in current:
            commands.append(gnome_list_command([*current, GNOME_PATH]))
        for command in commands:
            refusal = system.call(list(command))
            if refusal is not None:
                raise Refused(Report(EXIT_FAILURE, err=(f"gsettings refused: {refusal}",)))
        done = f"Shortcut set: {key.label()} opens `ground now`."
        return Report(EXIT_OK, out=(done, plan.after, _REMOVE_HINT))

    def remove(self, system: System, plan: Plan) -> Report:
        current = self._custom(system)
        if current is None or GNOME_PATH not in current:
            return Report(EXIT_OK, out=("No GNOME shortcut from ground was set.",))
        refusal = system.call(list(gnome_list_command([p for p in current if p != GNOME_PATH])))
        if refusal is not None:
            raise Refused(Report(EXIT_FAILURE, err=(f"gsettings refused: {refusal}",)))
        for name in ("name", "command", "binding"):
            system.call(["gsettings", "reset", f"{GNOME_ENTRY}:{GNOME_PATH}", name])
        return Report(EXIT_OK, out=("Shortcut removed from GNOME's custom shortcuts.",))

    @staticmethod
    def _custom(system: System) -> list[str] | None:
        value = system.output(["gsettings", "get", GNOME_SCHEMA, "custom-keybindings"])
        return None if value is None else re.findall(r"'([^']*)'", value)

    def _taken(self, system: System, key: Key) -> str | None:
        for schema in GNOME_SEARCH:
            listing = system.output(["gsettings", "list-recursively", schema]) or ""
            for line in listing.splitlines():
                parts = line.split(" ", 2)
                if len(parts) == 3 and key in finders.gnome_accels(parts[2]):
                    return f"GNOME {parts[0]} {parts[1]}"
        for path in self._custom(system) or []:
            if path == GNOME_PATH:
                continue
            value = system.output(["gsettings", "get", f"{GNOME_ENTRY}:{path}", "binding"]) or ""
            if key in finders.gnome_accels(value):
                return f"GNOME custom shortcut {path}"
        return None


# -- KDE Plasma: a launcher and its shortcut ------------------------------------------------------


def kde_desktop_file(argv: list[str], key: Key) -> str:
    """``~/.local/share/applications/ground-now.desktop``: the launcher KDE's shortcut runs."""
    return (
        "[Desktop Entry]\n"
        f"{edits.HEADER}\n"
        "Type=Application\n"
        f"Name={NAME}\n"
        "Comment=A quick breathing reset\n"
        f"Exec={desktop_exec(argv)}\n"
        "NoDisplay=true\n"
        f"X-KDE-Shortcuts={key.spelled('kde')}\n"
    )


class Kde:
    name = "kde"
    needs_terminal = True
    terminals: tuple[str, ...] = ("konsole",)
    running_env = ""
    desktop_names: frozenset[str] = frozenset({"kde"})

    def plan(self, key: Key, launch: list[str], ground: list[str], system: System) -> Plan:
        desktop = data_home(system) / "applications" / KDE_DESKTOP
        return Plan(
            self.name,
            f"KDE Plasma: {key.label()} opens `ground now` ({shlex.join(launch)})",
            writes=((desktop, kde_desktop_file(launch, key)),),
            commands=((*_KDE_KEY, key.spelled("kde")),),
            undo=((*_KDE_KEY, "--delete"),),
            after="Plasma takes it up when you next log in; System Settings → Shortcuts lists it.",
        )

    def preview(self, system: System, plan: Plan) -> tuple[str, list[tuple[str, ...]]]:
        tool = self._tool(system) or _KDE_TOOLS[0]
        return "# run:", [(tool, *command[1:]) for command in plan.commands]

    def install(self, system: System, plan: Plan, key: Key) -> Report:
        rc = config_home(system) / "kglobalshortcutsrc"
        found = finders.kde_bound(_read_text(rc), key)
        if found:
            raise taken(key, f"{rc}: {found}")
        ((path, content),) = plan.writes
        edits.write_own(path, content)
        tool = self._tool(system)
        refusal = "not found" if tool is None else system.call([tool, *plan.commands[0][1:]])
        if refusal is not None:
            raise Refused(
                Report(
                    EXIT_FAILURE,
                    err=(
                        f"kwriteconfig6 (or 5): {refusal}, so {path} is written but has no key "
                        f"yet; System Settings → Shortcuts → Add Application → '{NAME}' gives it "
                        f"{key.spelled('kde')}",
                    ),
                )
            )
        return _done(plan)

    def remove(self, system: System, plan: Plan) -> Report:
        ((path, _),) = plan.writes
        removed = edits.remove_own(path)
        tool = self._tool(system)
        if tool is not None:
            system.call([tool, *plan.undo[0][1:]])
        if not removed:
            return _nothing(self.name)
        return Report(EXIT_OK, out=(f"Shortcut removed from {path}.",))

    @staticmethod
    def _tool(system: System) -> str | None:
        return next((t for t in _KDE_TOOLS if system.which(t)), None)


def _read_text(path: Path) -> str:
    """A settings file of the desktop's, read only to look for a key (empty if unreadable)."""
    from assistant.core.safe import read_regular

    try:
        return read_regular(path, edits.LIMIT).decode("utf-8", errors="replace")
    except OSError:
        return ""


# -- macOS: nothing is written; the recipe is the plan --------------------------------------------


class MacOS:
    name = "macos"
    needs_terminal = False
    terminals: tuple[str, ...] = ()
    running_env = ""
    desktop_names: frozenset[str] = frozenset()

    def plan(self, key: Key, launch: list[str], ground: list[str], system: System) -> Plan:
        shell = shlex.join([*ground, "now"])
        return Plan(
            self.name,
            "macOS: ground does not change macOS shortcuts itself; either of these adds one:",
            after=(
                "Shortcuts app → New Shortcut → Run Shell Script: "
                f'osascript -e \'tell application "Terminal" to do script "{shell}; exit"\', '
                f"then Shortcut Details → Add Keyboard Shortcut.\n"
                f"skhd (~/.skhdrc): {key.spelled('skhd')} : open -na Terminal --args {shell}"
            ),
        )

    def preview(self, system: System, plan: Plan) -> tuple[str, list[tuple[str, ...]]]:
        return "", []

    def install(self, system: System, plan: Plan, key: Key) -> Report:
        return Report(EXIT_OK, out=(plan.summary, *plan.after.splitlines()))

    def remove(self, system: System, plan: Plan) -> Report:
        line = "ground set nothing up on macOS; remove the Shortcut or skhd line you added."
        return Report(EXIT_OK, out=(line,))


#: Every desktop, in the order ``XDG_CURRENT_DESKTOP`` is matched against them.
_ALL: tuple[Desktop, ...] = (Gnome(), Kde(), Sway(), I3(), Hyprland(), Tmux(), MacOS())
DESKTOPS: dict[str, Desktop] = {d.name: d for d in _ALL}
