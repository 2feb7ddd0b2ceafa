"""Writing what the person asked for: a folder, an empty name, a device, a read-only place or
a symlink gives one clear line and exit 2, never a traceback or a replaced device."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.helpers.cli import ground


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("/tmp", "is a folder"),
        ("", "give a file name"),
        ("/dev/full", "is a device or special file"),
        ("/dev/null", "is a device or special file"),
        ("/proc/ground-render.wav", "cannot write /proc/ground-render.wav"),
    ],
)
def test_render_to_a_bad_target_is_one_line(target: str, message: str) -> None:
    done = ground("render", "box", "--engine", "none", "-o", target)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert done.stderr.count("\n") == 1 and "Exception ignored" not in done.stderr
    assert "None" not in done.stderr
    if target.startswith("/dev/"):
        assert stat.S_ISCHR(Path(target).stat().st_mode)


def test_render_never_writes_through_a_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "out.wav").symlink_to(victim)
    done = ground("render", "box", "--engine", "none", "-o", str(tmp_path / "out.wav"))
    assert done.returncode == 2
    assert "symbolic link" in done.stderr
    assert victim.read_text() == "precious"


def test_render_writes_whole_files_with_the_usual_mode(tmp_path: Path) -> None:
    out = tmp_path / "box.wav"
    timeline = tmp_path / "box.json"
    done = ground("render", "box", "--engine", "none", "-o", str(out), "--timeline", str(timeline))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:4] == b"RIFF" and timeline.read_text().startswith("{")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
