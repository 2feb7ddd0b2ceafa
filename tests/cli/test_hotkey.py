"""``ground hotkey``: the lines, files and commands for each desktop, and exactly-undoing them.

Every test fakes the machine through :class:`Hotkey`'s ``env``, ``run``, ``which`` and ``home``
seams, so nothing here touches a real desktop's settings or the person's home. One test hands
the generated tmux line to a real, private tmux server.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.cli.hotkey_command import (
    BEGIN,
    END,
    GNOME_PATH,
    Hotkey,
    HotkeyError,
    Key,
    desktop_exec,
    hotkey_command,
    launch_argv,
    parse_key,
    tmux_line,
)

GROUND = "/opt/ground/bin/ground"
SCHEMA = "org.gnome.settings-daemon.plugins.media-keys"
ENTRY = f"{SCHEMA}.custom-keybinding:{GNOME_PATH}"


class FakeRunner:
    """Records commands; ``answers`` maps a command's joined words to (exit code, stdout)."""

    def __init__(self, answers: dict[str, tuple[int, str]] | None = None) -> None:
        self.commands: list[list[str]] = []
        self.answers = answers or {}

    def __call__(self, command: list[str]) -> subprocess.CompletedProcess[str]:
        self.commands.append(list(command))
        code, out = self.answers.get(" ".join(command), (0, ""))
        return subprocess.CompletedProcess(command, code, out, "refused" if code else "")


class FakeGsettings(FakeRunner):
    """A small gsettings: ``get``/``set``/``reset`` of keys, and ``list-recursively``."""

    def __init__(self, listing: dict[str, str] | None = None) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {(SCHEMA, "custom-keybindings"): "@as []"}
        self.listing = listing or {}

    def __call__(self, command: list[str]) -> subprocess.CompletedProcess[str]:
        self.commands.append(list(command))
        verb, *rest = command[1:]
        out = ""
        if verb == "get":
            out = self.values.get((rest[0], rest[1]), "''") + "\n"
        elif verb == "set":
            self.values[(rest[0], rest[1])] = rest[2]
        elif verb == "reset":
            self.values.pop((rest[0], rest[1]), None)
        elif verb == "list-recursively":
            out = self.listing.get(rest[0], "")
        return subprocess.CompletedProcess(command, 0, out, "")


def which_of(*names: str) -> Callable[[str], str | None]:
    found = {"ground": GROUND, **{n: f"/usr/bin/{n}" for n in names}}
    return found.get


def machine(
    home: Path,
    run: FakeRunner | None = None,
    *,
    env: dict[str, str] | None = None,
    tools: tuple[str, ...] = (),
) -> Hotkey:
    return Hotkey(
        env=env or {},
        platform="linux",
        run=run or FakeRunner(),
        which=which_of(*tools),
        home=home,
    )


def args(**options: object) -> argparse.Namespace:
    base: dict[str, object] = {
        "desktop": None,
        "key": None,
        "terminal": None,
        "print_only": False,
        "remove": False,
    }
    base.update(options)
    return argparse.Namespace(**base)


SUPER_ALT_G = Key(frozenset({"super", "alt"}), "g")


# -- keys and launch lines -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["super+alt+g", "Super+Alt+G", "mod4+mod1+g", "meta+alt+g", " alt + super + g "]
)
def test_keys_in_any_spelling(text: str) -> None:
    assert parse_key(text) == SUPER_ALT_G


def test_each_desktop_spells_the_key_its_own_way() -> None:
    key = parse_key("ctrl+alt+shift+f5")
    assert key.label() == "Ctrl+Alt+Shift+F5"
    assert key.spelled("gnome") == "<Control><Alt><Shift>f5"
    assert key.spelled("kde") == "Ctrl+Alt+Shift+F5"
    assert key.spelled("xkb") == "Control+Mod1+Shift+f5"
    assert key.spelled("hyprland") == "CTRL ALT SHIFT, F5"
    assert key.spelled("skhd") == "ctrl + alt + shift - f5"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("g", "would fire while you type"),
        ("shift+g", "would fire while you type"),
        ("hyper+g", "is not one"),
        ("super+alt+enter", "is not one"),
        ("super+\x1b[31mg", "like super+alt+g"),
        ("super++g", "like super+alt+g"),
    ],
)
def test_keys_that_cannot_be_set_up(text: str, why: str) -> None:
    with pytest.raises(HotkeyError, match=re.escape(why)):
        parse_key(text)


def test_known_terminals_open_a_small_window_others_get_dash_e() -> None:
    command = [GROUND, "now"]
    assert launch_argv("foot", command) == [
        "foot",
        "--app-id=ground",
        "--window-size-chars=72x12",
        GROUND,
        "now",
    ]
    assert launch_argv("/usr/bin/gnome-terminal", command) == [
        "/usr/bin/gnome-terminal",
        "--geometry=72x12",
        "--title=ground",
        "--",
        GROUND,
        "now",
    ]
    assert launch_argv("st", command) == ["st", "-e", GROUND, "now"]


def test_desktop_exec_quotes_and_doubles_percent() -> None:
    assert desktop_exec(["/a b/ground", "100%", 'say "hi" $x']) == (
        '"/a b/ground" 100%% "say \\"hi\\" \\$x"'
    )


# -- choosing where -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}, ["gnome"]),
        ({"XDG_CURRENT_DESKTOP": "KDE"}, ["kde"]),
        ({"XDG_CURRENT_DESKTOP": "sway", "SWAYSOCK": "/run/s"}, ["sway"]),
        ({"I3SOCK": "/run/i3"}, ["i3"]),
        ({"HYPRLAND_INSTANCE_SIGNATURE": "x", "XDG_CURRENT_DESKTOP": "Hyprland"}, ["hyprland"]),
        ({"XDG_CURRENT_DESKTOP": "GNOME", "TMUX": "/tmp/t,1,0"}, ["gnome", "tmux"]),
        ({"TMUX": "/tmp/t,1,0"}, ["tmux"]),
        ({"XDG_CURRENT_DESKTOP": "XFCE"}, []),
    ],
)
def test_the_desktop_comes_from_the_environment(
    tmp_path: Path, env: dict[str, str], expected: list[str]
) -> None:
    assert machine(tmp_path, env=env).targets() == expected


def test_unknown_desktop_is_one_line_naming_the_choices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = hotkey_command(args(), machine=machine(tmp_path, env={"XDG_CURRENT_DESKTOP": "XFCE"}))
    assert code == 2
    assert capsys.readouterr().err == (
        "ground: could not tell which desktop this is (XDG_CURRENT_DESKTOP is 'XFCE'); "
        "name it: --desktop gnome|kde|sway|i3|hyprland|tmux|macos\n"
    )


def test_print_shows_the_detected_desktop_and_tmux_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gs = FakeGsettings()
    env = {"XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}
    m = machine(tmp_path, gs, env=env, tools=("gsettings", "gnome-terminal", "tmux"))
    assert hotkey_command(args(print_only=True), machine=m) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "# GNOME: Super+Alt+G opens `ground now` "
        f"(gnome-terminal --geometry=72x12 --title=ground -- {GROUND} now)\n"
    )
    assert f"{BEGIN}\nbind-key g display-popup -E -w 74 -h 14 '{GROUND} now'\n{END}\n" in out
    assert not [c for c in gs.commands if c[1] != "get" and c[1] != "list-recursively"]
    assert not list(tmp_path.iterdir())


def test_the_terminal_is_the_persons_own(tmp_path: Path) -> None:
    m = machine(tmp_path, env={"TERMINAL": "alacritty"}, tools=("foot", "alacritty"))
    assert m.terminal("sway", None) == "alacritty"  # $TERMINAL first
    assert m.terminal("sway", "kitty") == "kitty"  # --terminal over everything
    m = machine(tmp_path, tools=("konsole", "foot"))
    assert m.terminal("kde", None) == "konsole"
    assert m.terminal("sway", None) == "foot"
    assert machine(tmp_path).terminal("i3", None) == "x-terminal-emulator"


@pytest.mark.parametrize(
    "terminal", ["foot\x07", "foot;rm -rf ~", "foot,exec", "fo'ot", "foot\nbindsym x"]
)
def test_terminals_a_config_line_cannot_hold_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], terminal: str
) -> None:
    code = hotkey_command(args(desktop="sway", terminal=terminal), machine=machine(tmp_path))
    assert code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert "cannot" in err
    assert not (tmp_path / ".config").exists()


# -- sway, i3, Hyprland: a marked block in the config ---------------------------------------------

SWAY_CONFIG = "set $mod Mod4\nbindsym $mod+Return exec foot\n"


def sway_home(tmp_path: Path, text: str = SWAY_CONFIG, mode: int = 0o640) -> Path:
    config = tmp_path / ".config" / "sway" / "config"
    config.parent.mkdir(parents=True)
    config.write_text(text)
    config.chmod(mode)
    return config


def test_sway_print_shows_the_block_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = sway_home(tmp_path)
    run = FakeRunner()
    code = hotkey_command(
        args(desktop="sway", terminal="foot", print_only=True), machine=machine(tmp_path, run)
    )
    assert code == 0
    assert capsys.readouterr().out == (
        "# sway: Super+Alt+G opens `ground now`\n"
        f"# add to {config}:\n"
        f"{BEGIN}\n"
        "bindsym Mod4+Mod1+g exec foot --app-id=ground --window-size-chars=72x12 "
        f"{GROUND} now\n"
        f"{END}\n"
        "# then, while sway runs:\n"
        "swaymsg reload\n"
        "\n"
    )
    assert config.read_text() == SWAY_CONFIG
    assert run.commands == []


def test_sway_install_appends_reloads_and_remove_restores_every_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = sway_home(tmp_path, SWAY_CONFIG.rstrip("\n"))  # no final newline: one is added
    run = FakeRunner()
    m = machine(tmp_path, run, env={"SWAYSOCK": "/run/sway"}, tools=("swaymsg", "foot"))
    assert hotkey_command(args(), machine=m) == 0
    text = config.read_text()
    assert text == (
        SWAY_CONFIG
        + f"{BEGIN}\nbindsym Mod4+Mod1+g exec foot --app-id=ground --window-size-chars=72x12 "
        f"{GROUND} now\n{END}\n"
    )
    assert stat.S_IMODE(config.stat().st_mode) == 0o640
    assert run.commands == [["swaymsg", "reload"]]
    assert "Shortcut set: Super+Alt+G opens `ground now`." in capsys.readouterr().out
    assert hotkey_command(args(), machine=m) == 0  # again: still one block, not a conflict
    assert config.read_text() == text
    assert hotkey_command(args(remove=True), machine=m) == 0
    assert config.read_text() == SWAY_CONFIG.rstrip("\n") + "\n"
    assert [p.name for p in config.parent.iterdir()] == ["config"]  # no temporary file left
    assert hotkey_command(args(remove=True), machine=m) == 0
    assert "No sway shortcut from ground was set." in capsys.readouterr().out


def test_a_key_already_bound_in_sway_is_never_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = SWAY_CONFIG + "bindsym --release $mod+Mod1+g exec my-thing\n"
    config = sway_home(tmp_path, original)
    run = FakeRunner()
    m = machine(tmp_path, run, env={"SWAYSOCK": "/run/sway"}, tools=("swaymsg",))
    assert hotkey_command(args(terminal="foot"), machine=m) == 1
    assert capsys.readouterr().err == (
        f"ground: Super+Alt+G is already in use ({config}: bindsym --release $mod+Mod1+g exec "
        "my-thing); nothing was changed. Pick another with --key, e.g. --key super+alt+b\n"
    )
    assert config.read_text() == original
    assert run.commands == []
    assert hotkey_command(args(terminal="foot", key="super+alt+b"), machine=m) == 0


def test_no_sway_config_means_the_defaults_are_in_use_so_nothing_is_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = hotkey_command(args(desktop="sway", terminal="foot"), machine=machine(tmp_path))
    assert code == 1
    out, err = capsys.readouterr()
    assert "does not exist (the defaults are in use; copy them there first)" in err
    assert out.startswith(BEGIN)  # the lines to add by hand
    assert not (tmp_path / ".config").exists()


def test_a_symlinked_config_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dotfiles = tmp_path / "dotfiles" / "i3"
    dotfiles.parent.mkdir()
    dotfiles.write_text("bindsym Mod4+Return exec xterm\n")
    link = tmp_path / ".config" / "i3" / "config"
    link.parent.mkdir(parents=True)
    link.symlink_to(dotfiles)
    code = hotkey_command(args(desktop="i3", terminal="xterm"), machine=machine(tmp_path))
    assert code == 1
    assert "is a symlink or not a regular file, so ground left it alone" in capsys.readouterr().err
    assert dotfiles.read_text() == "bindsym Mod4+Return exec xterm\n"
    assert link.is_symlink()


def test_i3_launches_without_a_startup_notification(tmp_path: Path) -> None:
    config = tmp_path / ".config" / "i3" / "config"
    config.parent.mkdir(parents=True)
    config.write_text("set $mod Mod1\nbindsym $mod+g exec rofi\n")  # Alt+G: not Super+Alt+G
    run = FakeRunner()
    m = machine(tmp_path, run, env={"I3SOCK": "/run/i3"}, tools=("i3-msg", "alacritty"))
    assert hotkey_command(args(), machine=m) == 0
    assert config.read_text().endswith(
        f"{BEGIN}\nbindsym Mod4+Mod1+g exec --no-startup-id alacritty --class ground "
        "-o window.dimensions.columns=72 -o window.dimensions.lines=12 "
        f"-e {GROUND} now\n{END}\n"
    )
    assert run.commands == [["i3-msg", "reload"]]


def test_hyprland_sees_a_key_bound_through_a_variable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / ".config" / "hypr" / "hyprland.conf"
    config.parent.mkdir(parents=True)
    config.write_text("$mainMod = SUPER\nbind = $mainMod ALT, G, exec, wofi\n")
    m = machine(tmp_path, env={"HYPRLAND_INSTANCE_SIGNATURE": "x"}, tools=("kitty",))
    assert hotkey_command(args(), machine=m) == 1
    assert "bind = $mainMod ALT, G, exec, wofi" in capsys.readouterr().err
    config.write_text("$mainMod = SUPER\nbind = $mainMod, G, exec, wofi\n")
    run = FakeRunner()
    m = machine(tmp_path, run, env={"HYPRLAND_INSTANCE_SIGNATURE": "x"}, tools=("kitty", "hyprctl"))
    assert hotkey_command(args(), machine=m) == 0
    assert (
        "bind = SUPER ALT, G, exec, kitty --title ground -o initial_window_width=72c "
        f"-o initial_window_height=12c {GROUND} now\n" in config.read_text()
    )
    assert run.commands == [["hyprctl", "reload"]]


# -- tmux -----------------------------------------------------------------------------------------


def test_tmux_creates_its_config_binds_live_and_unbinds_exactly(tmp_path: Path) -> None:
    run = FakeRunner()
    m = machine(tmp_path, run, env={"TMUX": "/tmp/tmux-1/default,1,0"}, tools=("tmux",))
    assert hotkey_command(args(desktop="tmux"), machine=m) == 0
    conf = tmp_path / ".tmux.conf"
    line = f"bind-key g display-popup -E -w 74 -h 14 '{GROUND} now'"
    assert conf.read_text() == f"{BEGIN}\n{line}\n{END}\n"
    assert run.commands == [
        ["tmux", "list-keys", "-T", "prefix", "g"],
        ["tmux", "bind-key", "g", "display-popup", "-E", "-w", "74", "-h", "14", f"{GROUND} now"],
    ]
    run.commands.clear()
    assert hotkey_command(args(desktop="tmux", remove=True), machine=m) == 0
    assert conf.read_text() == ""
    assert run.commands == [["tmux", "unbind-key", "g"]]


def test_tmux_key_taken_in_the_config_or_the_running_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conf = tmp_path / ".tmux.conf"
    conf.write_text('set -g mouse on\nbind-key -N "a note" -r g new-window htop\n')
    assert hotkey_command(args(desktop="tmux"), machine=machine(tmp_path)) == 1
    assert f'({conf}: bind-key -N "a note" -r g new-window htop)' in capsys.readouterr().err
    conf.write_text("bind -n g send-keys x\n")  # the root table: not prefix g
    live = FakeRunner({"tmux list-keys -T prefix g": (0, "bind-key -T prefix g choose-tree -Zw\n")})
    assert (
        hotkey_command(args(desktop="tmux"), machine=machine(tmp_path, live, tools=("tmux",))) == 1
    )
    assert "tmux already binds prefix g: bind-key -T prefix g choose-tree -Zw" in (
        capsys.readouterr().err
    )
    assert conf.read_text() == "bind -n g send-keys x\n"


@pytest.mark.skipif(shutil.which("tmux") is None and not os.environ.get("CI"), reason="no tmux")
def test_real_tmux_accepts_the_generated_line(tmp_path: Path) -> None:
    conf = tmp_path / "tmux.conf"
    conf.write_text(tmux_line(SUPER_ALT_G, [GROUND]) + "\n")
    socket = f"ground-test-{os.getpid()}"
    base = ["tmux", "-L", socket, "-f", str(conf)]
    try:
        started = subprocess.run(
            [*base, "new-session", "-d"], capture_output=True, text=True, timeout=30, check=False
        )
        assert started.returncode == 0, started.stderr
        listing = subprocess.run(
            [*base, "list-keys", "-T", "prefix", "g"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        words = listing.stdout.split()
        assert words[:5] == ["bind-key", "-T", "prefix", "g", "display-popup"], listing.stdout
        assert {"-E", "-w", "74", "-h", "14"} <= set(words[5:-2])
        assert words[-2:] == [f'"{GROUND}', 'now"']  # one argument: the popup's shell command
    finally:
        subprocess.run([*base, "kill-server"], capture_output=True, timeout=30, check=False)


# -- GNOME ----------------------------------------------------------------------------------------


def test_gnome_adds_a_custom_shortcut_at_its_own_path_and_removes_only_that(
    tmp_path: Path,
) -> None:
    other = "/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/custom0/"
    gs = FakeGsettings()
    gs.values[(SCHEMA, "custom-keybindings")] = f"['{other}']"
    gs.values[(f"{SCHEMA}.custom-keybinding:{other}", "binding")] = "'<Super>t'"
    m = machine(tmp_path, gs, env={"XDG_CURRENT_DESKTOP": "GNOME"}, tools=("gsettings", "kgx"))
    assert hotkey_command(args(), machine=m) == 0
    assert gs.values[(ENTRY, "command")] == f"'kgx -- {GROUND} now'"
    assert gs.values[(ENTRY, "binding")] == "'<Super><Alt>g'"
    assert gs.values[(ENTRY, "name")] == "'ground: quick reset'"
    assert gs.values[(SCHEMA, "custom-keybindings")] == f"['{other}', '{GNOME_PATH}']"
    assert hotkey_command(args(), machine=m) == 0  # again: the list keeps one entry for ground
    assert gs.values[(SCHEMA, "custom-keybindings")] == f"['{other}', '{GNOME_PATH}']"
    assert hotkey_command(args(remove=True), machine=m) == 0
    assert gs.values[(SCHEMA, "custom-keybindings")] == f"['{other}']"
    assert not [k for k in gs.values if k[0] == ENTRY]
    assert gs.values[(f"{SCHEMA}.custom-keybinding:{other}", "binding")] == "'<Super>t'"


def test_gnome_key_taken_by_the_window_manager_or_another_shortcut(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wm = "org.gnome.desktop.wm.keybindings"
    gs = FakeGsettings({wm: f"{wm} switch-group ['<Super>Above_Tab', '<Alt><Super>G']\n"})
    m = machine(tmp_path, gs, env={"XDG_CURRENT_DESKTOP": "GNOME"}, tools=("gsettings",))
    assert hotkey_command(args(), machine=m) == 1
    assert "(GNOME org.gnome.desktop.wm.keybindings switch-group)" in capsys.readouterr().err
    assert not [c for c in gs.commands if c[1] == "set"]
    other = "/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/custom3/"
    gs = FakeGsettings()
    gs.values[(SCHEMA, "custom-keybindings")] = f"['{other}']"
    gs.values[(f"{SCHEMA}.custom-keybinding:{other}", "binding")] = "'<Super><Alt>g'"
    m = machine(tmp_path, gs, env={"XDG_CURRENT_DESKTOP": "GNOME"}, tools=("gsettings",))
    assert hotkey_command(args(), machine=m) == 1
    assert f"(GNOME custom shortcut {other})" in capsys.readouterr().err


def test_gnome_print_quotes_for_gsettings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gs = FakeGsettings()
    m = machine(tmp_path, gs, env={"XDG_CURRENT_DESKTOP": "GNOME"}, tools=("gsettings", "kgx"))
    assert hotkey_command(args(print_only=True), machine=m) == 0
    out = capsys.readouterr().out
    assert f"gsettings set {ENTRY} command \"'kgx -- {GROUND} now'\"\n" in out
    assert f"gsettings set {SCHEMA} custom-keybindings \"['{GNOME_PATH}']\"\n" in out
    assert not [c for c in gs.commands if c[1] == "set"]


# -- KDE Plasma -----------------------------------------------------------------------------------


def test_kde_writes_a_launcher_and_its_shortcut_and_removes_both(tmp_path: Path) -> None:
    run = FakeRunner()
    m = machine(
        tmp_path, run, env={"XDG_CURRENT_DESKTOP": "KDE"}, tools=("konsole", "kwriteconfig6")
    )
    assert hotkey_command(args(), machine=m) == 0
    desktop = tmp_path / ".local" / "share" / "applications" / "ground-now.desktop"
    assert desktop.read_text() == (
        "[Desktop Entry]\n"
        "# Written by `ground hotkey`; `ground hotkey --remove` removes it.\n"
        "Type=Application\n"
        "Name=ground: quick reset\n"
        "Comment=A quick breathing reset\n"
        "Exec=konsole --hide-menubar --hide-tabbar -p TerminalColumns=72 -p TerminalRows=12 "
        f"-e {GROUND} now\n"
        "NoDisplay=true\n"
        "X-KDE-Shortcuts=Meta+Alt+G\n"
    )
    key = ["--file", "kglobalshortcutsrc", "--group", "services", "--group", "ground-now.desktop"]
    assert run.commands == [["kwriteconfig6", *key, "--key", "_launch", "Meta+Alt+G"]]
    run.commands.clear()
    assert hotkey_command(args(remove=True), machine=m) == 0
    assert not desktop.exists()
    assert run.commands == [["kwriteconfig6", *key, "--key", "_launch", "--delete"]]


def test_kde_key_taken_or_a_launcher_of_someone_elses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = tmp_path / ".config" / "kglobalshortcutsrc"
    rc.parent.mkdir(parents=True)
    rc.write_text("[kwin]\nExpose=Ctrl+F9\tMeta+Alt+G,Ctrl+F9,Toggle Present Windows\n")
    m = machine(tmp_path, env={"XDG_CURRENT_DESKTOP": "KDE"}, tools=("kwriteconfig6",))
    assert hotkey_command(args(), machine=m) == 1
    assert f"({rc}: [kwin] Expose)" in capsys.readouterr().err
    rc.write_text("")
    desktop = tmp_path / ".local" / "share" / "applications" / "ground-now.desktop"
    desktop.parent.mkdir(parents=True)
    desktop.write_text("[Desktop Entry]\nName=mine\n")
    assert hotkey_command(args(), machine=m) == 1
    assert "already exists and is not ground's" in capsys.readouterr().err
    assert desktop.read_text() == "[Desktop Entry]\nName=mine\n"
    assert hotkey_command(args(remove=True), machine=m) == 0
    assert desktop.exists()  # not ours: --remove leaves it


# -- macOS --------------------------------------------------------------------------------------


def test_macos_says_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    m = Hotkey(env={}, platform="darwin", run=FakeRunner(), which=which_of(), home=tmp_path)
    assert hotkey_command(args(), machine=m) == 0
    out = capsys.readouterr().out
    assert f"skhd (~/.skhdrc): cmd + alt - g : open -na Terminal --args {GROUND} now" in out
    assert "Shortcuts app" in out
    assert not list(tmp_path.iterdir())
