"""The person's files: nothing set aside is overwritten, nothing is written through a symlink
or onto a device, and everything ground keeps is the user's alone whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.core.files import UnsafeTarget, atomic_write, private_dirs, set_aside
from assistant.storage.settings import Settings, load_settings, save_settings
from tests.helpers.cli import ground
from tests.helpers.paths import DATA


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_broken_settings_set_aside_in_the_same_second_are_all_kept(ground_home: Path) -> None:
    path = ground_home / "config" / "settings.toml"
    path.parent.mkdir(parents=True)
    originals = [f"volume = 0.{n}\nrate = [\n" for n in range(3)]  # each one broken
    for text in originals:
        path.write_text(text)
        _, notice = load_settings(path)
        assert notice is not None and "moved it to" in notice
    kept = sorted(p.read_text() for p in path.parent.glob("settings.toml.broken-*"))
    assert kept == sorted(originals)  # before the fix: one file, the last one
    for aside in path.parent.glob("settings.toml.broken-*"):
        assert mode(aside) == 0o600


def test_a_fifo_as_settings_file_never_blocks(ground_home: Path) -> None:
    path = ground_home / "config" / "settings.toml"
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    settings, notice = load_settings(path)
    assert settings == Settings()
    assert notice is not None and "not a regular file" in notice


def test_deeply_nested_settings_are_set_aside(ground_home: Path) -> None:
    path = ground_home / "config" / "settings.toml"
    path.parent.mkdir(parents=True)
    path.write_text("x = " + "[" * 600 + "]" * 600 + "\n")
    _, notice = load_settings(path)
    assert notice is not None and "too deeply" in notice


def test_set_aside_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "f"
    names = set()
    for n in range(4):
        path.write_text(str(n))
        names.add(set_aside(path).name)
    assert len(names) == 4
    assert sorted(p.read_text() for p in tmp_path.iterdir()) == ["0", "1", "2", "3"]


def test_atomic_write_refuses_symlinks_and_devices(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("mine")
    link = tmp_path / "link"
    link.symlink_to(secret)
    with pytest.raises(UnsafeTarget, match="symbolic link"):
        atomic_write(link, b"x")
    assert secret.read_text() == "mine" and link.is_symlink()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeTarget, match="device or special file"):
        atomic_write(fifo, b"x")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_saving_settings_over_a_symlink_leaves_its_target_alone(ground_home: Path) -> None:
    path = ground_home / "config" / "settings.toml"
    path.parent.mkdir(parents=True)
    victim = ground_home / "victim.txt"
    victim.write_text("precious")
    path.symlink_to(victim)
    with pytest.raises(UnsafeTarget):
        save_settings(Settings(), path)
    assert victim.read_text() == "precious"


def test_private_dirs_makes_every_level_0700(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        private_dirs(tmp_path / "a" / "b" / "c")
    finally:
        os.umask(old)
    for level in ("a", "a/b", "a/b/c"):
        assert mode(tmp_path / level) == 0o700, level


def everything_under(home: Path) -> list[Path]:
    return [home, *home.rglob("*")]


def test_every_file_and_folder_ground_makes_is_private(ground_home: Path) -> None:
    """Under the usual umask, after a session, a crash report and a background warm."""
    env = {"GROUND_HOME": str(ground_home)}
    ground_home.chmod(0o700)
    out = ground_home / "out"
    out.mkdir(mode=0o700)
    done = ground("render", "now", "--engine", "espeak", "-o", str(out / "now.wav"), env=env)
    assert done.returncode == 0, done.stderr
    assert ground("ladder", "add", "say hello", "--suds", "20", env=env).returncode == 0
    done = ground("warm", "now", "--engine", "espeak", "--background", env=env)
    assert done.returncode == 0, done.stderr
    bad = [
        (str(p.relative_to(ground_home)), oct(mode(p)))
        for p in everything_under(ground_home)
        if not p.is_symlink() and mode(p) & 0o077
    ]
    assert bad == [("out/now.wav", "0o644")], bad  # the person's own render keeps the umask


def test_control_characters_in_settings_are_refused_not_shown(ground_home: Path) -> None:
    path = ground_home / "config" / "settings.toml"
    path.parent.mkdir(parents=True)
    path.write_text('voice = "\\u001b]2;pwned\\u0007x"\ndevice = "\\u001b[2Jdev"\n')
    done = ground("doctor")
    assert "\x1b" not in done.stdout + done.stderr and "\x07" not in done.stdout + done.stderr
    assert "control characters" in done.stdout + done.stderr
    assert list(path.parent.glob("settings.toml.broken-*"))  # kept, not lost


@pytest.fixture
def read_only_home(tmp_path: Path) -> Iterator[Path]:
    """A GROUND_HOME that cannot be written: a read-only file system as root (who may write
    any folder whatever its mode), a folder without write permission otherwise. The file system
    is mounted with the mount(2) call itself: a bare Debian root has no `mount` program."""
    import ctypes
    import ctypes.util

    home = tmp_path / "ro-home"
    home.mkdir()
    if os.geteuid() != 0:
        home.chmod(0o555)
        yield home
        home.chmod(0o755)
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    ms_rdonly = 1
    target = os.fsencode(home)
    if libc.mount(b"tmpfs", target, b"tmpfs", ms_rdonly, b"size=64k") != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"mount(2) of a read-only tmpfs: {os.strerror(error)}", str(home))
    try:
        yield home
    finally:
        libc.umount2(target, 0)


HINT = "make it writable, or set GROUND_HOME to a folder you can write to"


def test_a_read_only_home_says_what_to_do_in_one_line(read_only_home: Path) -> None:
    env = {"GROUND_HOME": str(read_only_home)}
    done = ground("play", str(DATA / "short.toml"), "--no-audio", env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    # Before: "… could not create …/data (Read-only file system); check it."
    (line,) = [s for s in (done.stdout + done.stderr).splitlines() if "not being saved" in s]
    assert f"could not create {read_only_home / 'data'}" in line and HINT in line, line
    added = ground("ladder", "add", "say hello", "--suds", "20", env=env)
    assert added.returncode != 0
    assert added.stderr.count("\n") == 1 and HINT in added.stderr, added.stderr


def test_settings_that_cannot_be_saved_say_where_and_what_to_do(
    read_only_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from assistant.storage.settings import SettingsNotSaved

    monkeypatch.setenv("GROUND_HOME", str(read_only_home))
    with pytest.raises(SettingsNotSaved) as raised:
        save_settings(replace(Settings(), volume=0.5))
    # The Settings screen shows "Could not save: " and this (before: "[Errno 30] …").
    message = str(raised.value)
    assert message.startswith(f"could not create {read_only_home / 'config'} ("), message
    assert message.endswith(HINT) and "Errno" not in message, message
