"""The breath meter through a real PulseAudio source: breathing at 8/min is heard as faster
than a 5.5/min target, and nothing is written to disk while the microphone is open."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.data.make_breathing import breathing, write_wav
from tests.helpers.paths import REPO
from tests.helpers.pulse import PulseServer

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
    # Microphone audio never reaches the disk: the only new files are the practice log's,
    # which records that a session happened, its "checked" stamp, and the parsed-script cache
    # (together far too small to hold a minute of audio).
    written = files_under(home, work) - before
    names = {p.name for p in written if p.is_file()}
    log_files = {"practice.db", "practice.db-wal", "practice.db-shm", "practice.db.checked"}
    assert names <= log_files | {"scripts.cache"}, names
    assert sum(p.stat().st_size for p in written if p.is_file()) < 200_000  # 1 min ≈ 5.8 MB


@pytest.mark.parametrize("speak", [True, False])
def test_the_pacing_remark_is_said_aloud_only_when_asked(
    pulse: PulseServer, tmp_path: Path, speak: bool
) -> None:
    """The breathing goes to a second sink whose monitor is the microphone; the session's
    own sink is recorded, so anything heard there after "Breathe along." is the remark (the
    breathing block itself has no words and no tones)."""
    import numpy as np

    from tests.helpers.onsets import read_raw
    from tests.helpers.pulse import stop_recording

    samples, _ = breathing(8.0, 60.0, 15.0, "fan", seed=5)
    wav = tmp_path / "breathing.wav"
    write_wav(wav, samples, 48000)
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.toml").write_text(
        f'speak_feedback = {"true" if speak else "false"}\nengine = "espeak"\n'
    )
    env = pulse.env
    env["GROUND_HOME"] = str(home)
    module = pulse.pactl(
        "load-module", "module-null-sink", "sink_name=breath_sink", "rate=48000"
    ).stdout.strip()
    pulse.pactl("set-default-source", "breath_sink.monitor")
    recording = tmp_path / "session.raw"
    recorder = pulse.record(recording)
    try:
        ground = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "assistant",
                "play",
                str(REPO / "tests/data/meter.toml"),
                "--meter",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        assert ground.stdout is not None
        ground.stdout.readline()
        player = subprocess.run(
            ["paplay", "--device=breath_sink", str(wav)], env=env, timeout=120, check=False
        )
        out, err = ground.communicate(timeout=120)
    finally:
        stop_recording(recorder)
        pulse.pactl("set-default-source", "test_sink.monitor", check=False)
        pulse.pactl("unload-module", module, check=False)
    assert player.returncode == 0 and ground.returncode == 0, err
    assert "let the exhale run a little longer" in out  # the remark is shown either way
    audio = read_raw(recording)
    level = np.abs(audio)
    loud = np.flatnonzero(level > 300)
    assert loud.size, "nothing was played at all"
    first = loud[0]
    # "Breathe along." lasts about a second; after it, anything loud is the remark.
    after = loud[loud > first + 4 * 48000]
    if speak:
        assert after.size, "the remark was not heard"
        spoken = (after[-1] - after[0]) / 48000
        assert 1.0 < spoken < 8.0
    else:
        assert after.size == 0
