"""The built wheel carries scripts/ and audio/, and the installed layout finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (found,) = out.glob("grounding_assistant-*.whl")
    return found


def test_wheel_contains_the_data_folders(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    scripts = [n for n in names if n.startswith("assistant/_data/scripts/") and n.endswith(".toml")]
    sounds = [n for n in names if n.startswith("assistant/_data/audio/") and n.endswith(".wav")]
    assert len(scripts) >= 12
    assert {Path(n).stem for n in sounds} >= {"bell", "inhale", "exhale", "hold", "top_up"}
    assert "assistant/py.typed" in names
    assert any(n.endswith("entry_points.txt") for n in names)
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "ground = assistant.cli.entry:run" in zipfile.ZipFile(wheel).read(entry).decode()
    assert not any("__pycache__" in n for n in names)


def test_installed_layout_reads_scripts_and_sounds(wheel: Path, tmp_path: Path) -> None:
    """Unpacked alone (no source tree beside it), the package still finds its data."""
    zipfile.ZipFile(wheel).extractall(tmp_path)
    probe = (
        "import assistant.core.resources as r, pathlib;"
        "from assistant.core.library import shipped_scripts;"
        "from assistant.sound.assets import load_sound;"
        "scripts = shipped_scripts();"
        f"assert str(r.data_dir('scripts')).startswith({str(tmp_path)!r});"
        "print(len(scripts), len(load_sound('bell')))"
    )
    done = subprocess.run(
        [sys.executable, "-S", "-c", probe],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path)},
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    count, bell_bytes = map(int, done.stdout.split())
    assert count >= 12
    assert bell_bytes > 48000
