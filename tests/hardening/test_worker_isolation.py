"""Speech workers import nothing from the folder ground runs in, and the shipped worker has no
test hook a person's environment could turn on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.speech import Pyttsx3Engine
from assistant.speech import _pyttsx3_worker as worker_module

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the system voice drives espeak-ng here"
)


def plant(folder: Path, marker: Path) -> None:
    """Modules that announce themselves if anything imports them from ``folder``."""
    body = f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\n"
    for name in ("json", "pyttsx3", "wave", "assistant"):
        (folder / f"{name}.py").write_text(body)


@pytest.mark.tts
def test_a_planted_module_in_the_working_folder_never_runs_in_the_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    planted = tmp_path / "here"
    planted.mkdir()
    marker = tmp_path / "ran.txt"
    plant(planted, marker)
    monkeypatch.chdir(planted)
    engine = Pyttsx3Engine(timeout=10.0)
    try:
        assert engine.render("Breathe in.", None, None).seconds > 0.2
    finally:
        engine.close()
    assert not marker.exists(), marker.read_text()


@pytest.mark.tts
def test_the_real_command_in_a_folder_with_planted_modules(tmp_path: Path) -> None:
    """The ``ground`` console script (not ``python -m``, which puts the folder first itself)."""
    marker = tmp_path / "ran.txt"
    plant(tmp_path, marker)
    script = Path(sys.executable).with_name("ground")
    done = subprocess.run(
        [str(script), "warm", "now", "--engine", "system"],
        env={**os.environ, "PULSE_SERVER": "unix:/nonexistent"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert not marker.exists(), marker.read_text()


def test_the_shipped_worker_has_no_fault_hook(tmp_path: Path) -> None:
    """The old GROUND_PYTTSX3_FAULTS deleted lines from any file it named, in normal use."""
    victim = tmp_path / "precious.txt"
    victim.write_text("hang\ncrash\nkeep me\n")
    source = Path(worker_module.__file__).read_text()
    assert "FAULTS" not in source and "environ" not in source
    env = {**os.environ, "GROUND_PYTTSX3_FAULTS": str(victim)}
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "warm", "now", "--engine", "system"],
        env={**env, "PULSE_SERVER": "unix:/nonexistent"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert victim.read_text() == "hang\ncrash\nkeep me\n"
