"""``ground hotkey`` on the person's real config files, under a private HOME: an unclosed block of
ground's, a latin-1 byte and CRLF line ends, symlinks and FIFOs where a config should be.

Each test runs the real ``ground hotkey`` in a subprocess on real files. Nothing depends on the
machine: no window manager is running (no socket variables), the terminal is named, and tmux (if
installed) is pointed at an empty private socket folder.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

BEGIN = b"# >>> ground hotkey (`ground hotkey --remove` takes this block out) >>>"
END = b"# <<< ground hotkey <<<"

# Where each desktop keeps its config under HOME, and how its line from ground starts.
CONFIGS = {
    "sway": (".config/sway/config", b"bindsym Mod4+Mod1+g exec foot "),
    "i3": (".config/i3/config", b"bindsym Mod4+Mod1+g exec --no-startup-id foot "),
    "hyprland": (".config/hypr/hyprland.conf", b"bind = SUPER ALT, G, exec, foot "),
    "tmux": (".tmux.conf", b"bind-key g display-popup -E -w 74 -h 14 "),
}


def hotkey(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``ground hotkey ARGS`` with HOME at ``home`` and nothing of the machine's desktop."""
    keep = ("PATH", "LANG", "LC_ALL", "GROUND_HOME")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env.update(HOME=str(home), TMUX_TMPDIR=str(home / "tmux-sockets"))
    (home / "tmux-sockets").mkdir(exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-P", "-m", "assistant", "hotkey", "--terminal", "foot", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=home,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert "Traceback" not in done.stderr + done.stdout
    return done


def config(home: Path, desktop: str, data: bytes, mode: int = 0o640) -> Path:
    path = home / CONFIGS[desktop][0]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(mode)
    return path


@pytest.mark.parametrize("desktop", ["i3", "sway"])
def test_an_unclosed_begin_marker_leaves_the_config_byte_for_byte(
    tmp_path: Path, desktop: str
) -> None:
    """The fault: `hotkey` appended a second block after the unclosed one, then `--remove` cut
    from the first begin marker to ground's end marker: 162 bytes of i3 config became 0."""
    original = (
        BEGIN + b"\n"
        b"# my own settings, kept since 2019\n"
        b"set $mod Mod4\n"
        b"font pango:monospace 8\n"
        b"bindsym $mod+Return exec i3-sensible-terminal\n"
        b"bindsym $mod+d exec dmenu_run\n"
    )
    path = config(tmp_path, desktop, original)
    for args in ((), ("--remove",), ()):
        done = hotkey(tmp_path, "--desktop", desktop, *args)
        assert done.returncode == 2, done.stderr
        assert done.stdout == ""
        lines = done.stderr.splitlines()
        assert len(lines) == 1
        assert lines[0].startswith(f"ground: {path}:1: ground's begin marker has no end marker")
        assert "left the file alone" in lines[0]
        assert path.read_bytes() == original
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["config"]  # no temporary file


def test_an_end_marker_alone_or_a_block_holding_the_persons_lines_is_left_alone(
    tmp_path: Path,
) -> None:
    stray = b"set $mod Mod4\n" + END + b"\nbindsym $mod+d exec dmenu_run\n"
    path = config(tmp_path, "i3", stray)
    for args in ((), ("--remove",)):
        done = hotkey(tmp_path, "--desktop", "i3", *args)
        assert done.returncode == 2
        assert done.stderr.startswith(f"ground: {path}:2: ground's end marker has no begin")
        assert path.read_bytes() == stray
    # A complete block of ground's that the person has put a line of their own into.
    mixed = (
        b"set $mod Mod4\n" + BEGIN + b"\n"
        b"bindsym Mod4+Mod1+g exec foot /opt/ground/bin/ground now\n"
        b"bindsym $mod+b exec firefox\n" + END + b"\n"
    )
    path.write_bytes(mixed)
    for args in ((), ("--remove",)):
        done = hotkey(tmp_path, "--desktop", "i3", *args)
        assert done.returncode == 2
        assert len(done.stderr.splitlines()) == 1
        assert "'bindsym $mod+b exec firefox'" in done.stderr
        assert path.read_bytes() == mixed


@pytest.mark.parametrize("desktop", sorted(CONFIGS))
def test_latin1_bytes_and_crlf_survive_hotkey_and_remove(tmp_path: Path, desktop: str) -> None:
    """The fault: the file was rewritten as text, é (0xE9) became U+FFFD and CRLF became LF."""
    original = (
        b"# caf\xe9 \xab config \xbb, written on Windows\r\n"
        b"set $term foot\r\n"
        b"# a lone \r inside a line stays too\r\n"
        b"exec_always mako\r\n"
    )
    path = config(tmp_path, desktop, original)
    done = hotkey(tmp_path, "--desktop", desktop)
    assert done.returncode == 0, done.stderr
    added = path.read_bytes()
    assert added.startswith(original)  # every byte of the person's kept, in place
    block = added[len(original) :].split(b"\r\n")
    assert block[0] == BEGIN
    assert block[1].startswith(CONFIGS[desktop][1])
    assert block[1].endswith(b"now'" if desktop == "tmux" else b"now")
    assert block[2:] == [END, b""]  # the block's lines end in CRLF, as the file's do
    assert b"\n" not in added[len(original) :].replace(b"\r\n", b"")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    again = hotkey(tmp_path, "--desktop", desktop)  # once more: still one block
    assert again.returncode == 0, again.stderr
    assert path.read_bytes() == added
    done = hotkey(tmp_path, "--desktop", desktop, "--remove")
    assert done.returncode == 0, done.stderr
    assert path.read_bytes() == original
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert not [p for p in path.parent.iterdir() if p.name.startswith(f".{path.name}.")]


def test_a_symlinked_config_is_never_replaced_nor_written_through(tmp_path: Path) -> None:
    """Decided: a link (dotfiles kept elsewhere) is left alone, with one line and the lines to
    add by hand; `--remove` of a block in the link's target says so and changes nothing."""
    dotfiles = tmp_path / "dotfiles" / "sway"
    dotfiles.parent.mkdir()
    original = b"set $mod Mod4\nbindsym $mod+Return exec foot\n"
    dotfiles.write_bytes(original)
    link = tmp_path / ".config" / "sway" / "config"
    link.parent.mkdir(parents=True)
    link.symlink_to(dotfiles)
    done = hotkey(tmp_path, "--desktop", "sway")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert f"{link} is a symlink or not a regular file, so ground left it alone" in done.stderr
    assert done.stdout.startswith(BEGIN.decode())  # what to add by hand
    assert link.is_symlink() and dotfiles.read_bytes() == original
    by_hand = original + done.stdout.encode()
    dotfiles.write_bytes(by_hand)  # the person added it themselves
    done = hotkey(tmp_path, "--desktop", "sway", "--remove")
    assert done.returncode == 1
    assert (
        done.stderr.count("\n") == 1 and "take the lines from ground's begin marker" in done.stderr
    )
    assert link.is_symlink() and dotfiles.read_bytes() == by_hand


def test_a_hard_linked_config_keeps_both_names(tmp_path: Path) -> None:
    """A rename over one name would leave the other with the old text: left alone instead."""
    original = b"set $mod Mod4\n"
    path = config(tmp_path, "i3", original)
    other = tmp_path / "dotfiles-i3-config"
    os.link(path, other)
    done = hotkey(tmp_path, "--desktop", "i3")
    assert done.returncode == 1
    assert "has other names (hard links)" in done.stderr and done.stderr.count("\n") == 1
    assert path.read_bytes() == original and path.samefile(other)


def test_a_fifo_where_the_config_should_be_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / ".config" / "i3" / "config"
    fifo.parent.mkdir(parents=True)
    os.mkfifo(fifo)
    results: list[subprocess.CompletedProcess[str]] = []
    worker = threading.Thread(target=lambda: results.append(hotkey(tmp_path, "--desktop", "i3")))
    worker.start()
    worker.join(60)
    assert results, "ground hotkey waited on a FIFO"
    assert results[0].returncode == 1
    assert "is a symlink or not a regular file" in results[0].stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    done = hotkey(tmp_path, "--desktop", "i3", "--remove")
    assert done.returncode == 0 and "No i3 shortcut from ground was set." in done.stdout
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_kde_launcher_path_that_is_a_link_is_left_alone(tmp_path: Path) -> None:
    victim = tmp_path / "victim.desktop"
    victim.write_bytes(b"[Desktop Entry]\nName=mine\n")
    launcher = tmp_path / ".local" / "share" / "applications" / "ground-now.desktop"
    launcher.parent.mkdir(parents=True)
    launcher.symlink_to(victim)
    done = hotkey(tmp_path, "--desktop", "kde")
    assert done.returncode == 1
    assert "already exists and is not ground's" in done.stderr
    done = hotkey(tmp_path, "--desktop", "kde", "--remove")
    assert done.returncode == 0
    assert launcher.is_symlink() and victim.read_bytes() == b"[Desktop Entry]\nName=mine\n"
