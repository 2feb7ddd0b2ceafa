"""The hotkey's pre-roll through a real sink: a second ``ground now`` opens with the opening
the first one kept, and what is heard is sample for sample the offline render, across the
moment the session takes the stream over."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from tests.helpers.imports import RECORD_IMPORTS
from tests.helpers.onsets import read_raw, read_wav
from tests.helpers.pulse import (
    PulseServer,
    grows,
    interrupted_before_ground_ran,
    run_ground,
    stop_recording,
)

pytestmark = [pytest.mark.audio, pytest.mark.tts, pytest.mark.slow]
#: Long enough to hold the opening step (≈ 4.5 s) and what the session plays after it.
COMPARED = 6.0


def _now(pulse: PulseServer, home: Path, *, captions: bool = False) -> subprocess.Popen[str]:
    env = pulse.env
    env["GROUND_HOME"] = str(home)
    return subprocess.Popen(
        [sys.executable, "-m", "assistant", "now"],
        env=env,
        stdout=subprocess.PIPE if captions else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen[str]) -> None:
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=30)
    # 130; about once in a hundred Ctrl-Cs (with or without a pre-roll) the process has said
    # "Stopped." and is then ended by the signal itself at exit (-SIGINT): Ctrl-C handling's.
    assert process.returncode in (130, -signal.SIGINT), err
    assert "Stopped." in err, (process.returncode, err)
    assert "Traceback" not in err


@pytest.fixture
def home(pulse: PulseServer, tmp_path: Path) -> tuple[Path, Path]:
    """A home with the now script's clips cached, its render, and a kept pre-roll."""
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.toml").write_text('volume = 1.0\nengine = "espeak"\n')
    render = tmp_path / "now.wav"
    done = run_ground(pulse, home, "render", "now", "-o", str(render))
    assert done.returncode == 0, done.stderr
    kept = home / "cache" / "now.preroll"
    first = _now(pulse, home, captions=True)
    pause = threading.Event()
    for _ in range(500):
        if kept.exists():
            break
        pause.wait(0.02)
    # Stopped once its first caption is out (the line after the one-line safety note, which
    # is printed before the session starts): the practice log is open by then.
    assert first.stdout is not None
    note = first.stdout.readline().strip()
    caption = first.stdout.readline().strip()
    assert note and caption, (note, caption)
    _stop(first)
    assert kept.exists(), "the first `ground now` kept no opening"
    return home, render


def _heard_matches_render(pulse: PulseServer, home: Path, render: Path, tmp_path: Path) -> None:
    recording = tmp_path / "monitor.raw"
    recorder = pulse.record(recording)
    try:
        grows(recording, 0.2)
        process = _now(pulse, home)
        grows(recording, COMPARED + 1.5)
        _stop(process)
    finally:
        stop_recording(recorder)
    heard, reference = read_raw(recording), read_wav(render)
    first_heard = int(np.flatnonzero(heard)[0])
    first_ref = int(np.flatnonzero(reference)[0])
    n = int(COMPARED * 48_000)
    got = heard[first_heard : first_heard + n]
    want = reference[first_ref : first_ref + n]
    differ = np.flatnonzero(got != want)
    assert len(got) == n and not differ.size, f"first difference at frame {differ[:1]}"


def test_a_second_now_opens_with_the_kept_frames_exactly(
    pulse: PulseServer, home: tuple[Path, Path], tmp_path: Path
) -> None:
    ground_home, render = home
    kept = ground_home / "cache" / "now.preroll"
    before = kept.stat()
    _heard_matches_render(pulse, ground_home, render, tmp_path)
    after = kept.stat()
    # Not written again: only a session that took over the kept frames exactly skips that.
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_an_opening_that_is_not_the_sessions_plays_out_then_the_session_follows(
    pulse: PulseServer, home: tuple[Path, Path], tmp_path: Path
) -> None:
    ground_home, render = home
    kept = ground_home / "cache" / "now.preroll"
    stale = re.sub(rb"( 0\.15 )[0-9a-f]{64}\n", rb"\g<1>" + b"0" * 64 + b"\n", kept.read_bytes())
    kept.write_bytes(stale)
    # The kept frames are this session's own here, so the step played to its end and the
    # session's second step after it must again be exactly the render.
    _heard_matches_render(pulse, ground_home, render, tmp_path)
    assert kept.read_bytes() != stale  # kept again, with the session's own fingerprint


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5])
def test_ctrl_c_at_any_moment_with_a_pre_roll_ends_cleanly(
    pulse: PulseServer, home: tuple[Path, Path], delay: float
) -> None:
    process = _now(pulse, home[0])
    threading.Event().wait(delay)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=30)
    if interrupted_before_ground_ran(process.returncode, err):
        return
    # As in test_live_audio: -SIGINT only when it lands before Python runs any of ground.
    assert process.returncode in (130, -signal.SIGINT), err
    assert "ALSA" not in err and "Traceback" not in err


def test_the_hotkey_plays_without_numpy_or_openssl(
    pulse: PulseServer, home: tuple[Path, Path], tmp_path: Path
) -> None:
    """numpy is ~11 MB of the hotkey's 60 MB: it mixes without it (``mixer.scaled``)."""
    record = tmp_path / "imports.txt"
    env = pulse.env
    env["GROUND_HOME"] = str(home[0])
    process = subprocess.Popen(
        [sys.executable, "-c", RECORD_IMPORTS, str(record), "now"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    threading.Event().wait(3.0)  # well past the hand-over (numpy used to load ~0.1 s after it)
    _stop(process)
    modules = set(record.read_text(encoding="utf-8").split())
    assert "assistant.session.live" in modules  # the session did open
    assert "numpy" not in modules
    assert "_hashlib" not in modules


def test_the_benchmarks_warm_up_now_keeps_its_pre_roll(pulse: PulseServer, tmp_path: Path) -> None:
    """``make bench``'s warm-up launch (stopped ``WARM_KEEP`` s in) leaves the pre-roll its
    timed "warm" launches are meant to open with: stopped at its first sound, as those are,
    the launch ended before keeping one and every "warm" row measured the path without it."""
    from bench.bench_floor import WARM_KEEP

    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.toml").write_text('volume = 1.0\nengine = "espeak"\n')
    done = run_ground(pulse, home, "render", "now", "-o", str(tmp_path / "now.wav"))
    assert done.returncode == 0, done.stderr
    process = _now(pulse, home)
    threading.Event().wait(WARM_KEEP)  # the bench's own wait, by the same clock
    _stop(process)
    assert (home / "cache" / "now.preroll").is_file()
