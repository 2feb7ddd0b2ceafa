"""The breath meter through a real PulseAudio source: breathing at 8/min is heard as faster
than a 5.5/min target, and nothing is written to disk while the microphone is open."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.audio.pulse import PulseServer
from tests.conftest import REPO
from tests.data.make_breathing import breathing, write_wav

pytestmark = pytest.mark.audio


def files_under(*folders: Path) -> set[Path]:
    return {p for folder in folders for p in folder.rglob("*")}


def test_meter_hears_breathing_faster_than_the_target(pulse: PulseServer, tmp_path: Path) -> None:
    samples, _ = breathing(8.0, 60.0, 15.0, "fan", seed=3)
    wav = tmp_path / "breathing.wav"
    write_wav(wav, samples, 48000)
    home = tmp_path / "home"
    work = tmp_path / "work"
    home.mkdir()
    work.mkdir()
    env = pulse.env
    env["GROUND_HOME"] = str(home)
    before = files_under(home, work)
    ground = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "assistant",
            "play",
            str(REPO / "tests/data/meter.toml"),
            "--engine",
            "none",
            "--meter",
        ],
        env=env,
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert ground.stdout is not None
    ground.stdout.readline()  # the first caption: the session (and the meter) are running
    player = subprocess.run(["paplay", str(wav)], env=env, timeout=120, check=False)
    out, err = ground.communicate(timeout=120)
    assert player.returncode == 0
    assert ground.returncode == 0, err
    assert "breath meter is off" not in out + err
    advice = [line for line in out.splitlines() if "breaths/min" in line]
    assert advice, out
    assert "let the exhale run a little longer" in advice[0]
    rate = float(advice[0].split("about ")[1].split(" ")[0])
    assert 7 <= rate <= 9
    assert files_under(home, work) == before  # microphone audio never reaches the disk
