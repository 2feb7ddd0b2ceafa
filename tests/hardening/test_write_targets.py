"""Files ground writes where the person pointed, or in its cache: never onto a link, a FIFO or a
device (``ground log --csv``), and never opened through a link planted at a temporary name (the
script cache, ``core.files.atomic_write``)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.core.files import atomic_write


def ground(*args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-P", "-m", "assistant", *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert "Traceback" not in done.stderr + done.stdout
    return done


def a_session() -> None:
    from assistant.storage.log import PracticeLog

    with PracticeLog.open() as log:
        one = log.start_session("box", "Box", 60)
        log.finish_session(one, 60, 4, True)


def test_log_csv_onto_the_persons_symlink_exits_2_and_leaves_it(tmp_path: Path) -> None:
    a_session()
    victim = tmp_path / "notes.txt"
    victim.write_bytes(b"my notes\n")
    link = tmp_path / "log.csv"
    link.symlink_to(victim)
    done = ground("log", "--csv", str(link))
    assert done.returncode == 2
    assert done.stdout == "" and done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"ground: {link} is a symbolic link")
    assert link.is_symlink() and link.readlink() == victim
    assert victim.read_bytes() == b"my notes\n"


def test_log_csv_onto_a_fifo_exits_2_at_once_and_leaves_it(tmp_path: Path) -> None:
    a_session()
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    done = ground("log", "--csv", str(fifo))  # a write through it would block: the timeout
    assert done.returncode == 2
    assert "is a device or special file" in done.stderr and done.stderr.count("\n") == 1
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.fixture
def device(tmp_path: Path) -> Iterator[Path]:
    """A character device: a private copy of /dev/null as root (so a fault here can never
    replace the system's node), else /dev/null itself (which no one else could replace)."""
    if os.geteuid() == 0:
        node = tmp_path / "null"
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        yield node
    else:
        yield Path("/dev/null")


def test_log_csv_onto_a_device_exits_2_and_leaves_it(device: Path) -> None:
    a_session()
    before = device.lstat()
    done = ground("log", "--csv", str(device))
    assert done.returncode == 2
    # The check refused it, not a permission error on the way.
    assert done.stderr == (
        f"ground: {device} is a device or special file, not a regular file; give a file name; "
        "`--csv` alone prints to the screen\n"
    )
    after = device.lstat()
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert after.st_ino == before.st_ino


def test_log_csv_onto_a_link_to_standard_output_exits_2(tmp_path: Path) -> None:
    """/dev/stdout is a link to /proc/self/fd/1: a stand-in with the same target is refused
    the same way (so as root the system's /dev/stdout is never replaced)."""
    a_session()
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")
    done = ground("log", "--csv", str(stdout))
    assert done.returncode == 2 and "is a symbolic link" in done.stderr
    assert stdout.is_symlink() and stdout.readlink() == Path("/proc/self/fd/1")


def test_the_script_cache_never_opens_a_link_planted_at_its_temporary_name(
    tmp_path: Path,
) -> None:
    """The fault: the cache was written to ``.scripts.cache.<pid>`` opened with O_TRUNC and no
    O_NOFOLLOW, so a link planted there truncated and filled its target."""
    from assistant.core.loader import load_script
    from assistant.core.model import Script
    from assistant.storage.paths import cache_dir, private_dir, user_scripts_dir
    from assistant.storage.script_cache import CACHE_NAME, ScriptCache, cached_library

    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    cache = private_dir(cache_dir()) / CACHE_NAME
    planted = cache.with_name(f".{CACHE_NAME}.{os.getpid()}")
    planted.symlink_to(victim)
    folder = user_scripts_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mine.toml").write_text(
        'id = "mine"\ntitle = "Mine"\nsummary = "A test."\ncategory = "breathe"\n\n'
        '[[step]]\nsay = "Hello."\npause = 1\n',
        encoding="utf-8",
    )
    library, _ = cached_library()
    assert "mine" in library.scripts
    assert victim.read_bytes() == b"precious"
    assert planted.is_symlink()
    assert stat.S_ISREG(cache.lstat().st_mode) and stat.S_IMODE(cache.stat().st_mode) == 0o600
    parsed: list[Path] = []

    def parse(path: Path) -> Script:
        parsed.append(path)
        return load_script(path)

    ScriptCache.open().load(folder / "mine.toml", parse)
    assert parsed == []  # the cache written beside the link is the one read back


def test_atomic_write_steps_past_a_link_at_its_temporary_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever name the temporary file draws, a link already there is never opened: the
    first name drawn here is the planted link's, and the write goes to the next one."""
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    target = tmp_path / "settings.toml"
    (tmp_path / ".settings.toml.planted.tmp").symlink_to(victim)
    names = iter(["planted", "fresh"])
    monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: names)
    atomic_write(target, b"new = 1\n")
    assert victim.read_bytes() == b"precious"
    assert target.read_bytes() == b"new = 1\n"
    assert (tmp_path / ".settings.toml.planted.tmp").is_symlink()
    assert not (tmp_path / ".settings.toml.fresh.tmp").exists()
