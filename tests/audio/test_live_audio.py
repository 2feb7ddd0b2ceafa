"""End to end through a real PulseAudio null sink: what was played is what the timeline says.

Plays a session with ``ground play`` (real espeak-ng, real PortAudio via ALSA's pulse plugin),
records the sink's monitor with ``parec``, and compares every cue onset with the offline render
of the same timeline (same clips from the same cache).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.helpers.onsets import RATE, load_timeline, measure, read_raw, read_wav
from tests.helpers.paths import REPO
from tests.helpers.pulse import (
    PulseServer,
    grows,
    interrupted_before_ground_ran,
    run_ground,
    stop_recording,
)

pytestmark = [pytest.mark.audio, pytest.mark.tts]
SCRIPT = REPO / "tests" / "data" / "e2e.toml"
TOLERANCE = int(0.005 * RATE)


def test_every_cue_lands_within_5_ms_with_no_underruns(
    pulse: PulseServer, shared_home: Path, tmp_path: Path
) -> None:
    reference_wav, reference_json = tmp_path / "ref.wav", tmp_path / "ref.json"
    done = run_ground(
        pulse,
        shared_home,
        "render",
        str(SCRIPT),
        "--engine",
        "espeak",
        "-o",
        str(reference_wav),
        "--timeline",
        str(reference_json),
    )
    assert done.returncode == 0, done.stderr
    recording = tmp_path / "monitor.raw"
    recorder = pulse.record(recording)
    try:
        grows(recording, 0.2)  # the recorder is live before the session starts
        played = run_ground(
            pulse, shared_home, "play", str(SCRIPT), "--engine", "espeak", "--volume", "1"
        )
        grows(recording, 0.5)  # and has received the monitor's tail after it ends
    finally:
        stop_recording(recorder)
    assert played.returncode == 0, played.stderr
    assert "underruns: 0" in played.stdout
    assert "no sound" not in (played.stdout + played.stderr).lower()

    heard = read_raw(recording)
    reference = read_wav(reference_wav)
    timeline = load_timeline(reference_json)
    assert len(heard) > len(reference), "the recording is shorter than the session"
    # (A recorder that joined late, or was stopped before the tail arrived, once made this
    # fail by 20 ms: hence the waits for data above.)
    onsets = measure(heard, reference, timeline)
    kinds = {o.kind for o in onsets}
    assert {"say", "tone", "word", "chime"} <= kinds, kinds
    assert len(onsets) >= 10
    report = "\n".join(
        f"{o.frame:>8} {o.kind:<6} {o.text:<12} {o.error_frames:+5d} {o.score:.2f}" for o in onsets
    )
    for onset in onsets:
        assert onset.score > 0.8, f"cue not found in the recording:\n{report}"
        assert abs(onset.error_frames) <= TOLERANCE, f"cue off by more than 5 ms:\n{report}"
    # No drift: the last cue is as close as the first.
    assert abs(onsets[-1].error_frames - onsets[0].error_frames) <= TOLERANCE
    # The closing bell is heard to its end: its last quarter second, against its first, is as
    # loud in the recording as in the render (the stream was once closed before the sound
    # server had played it).
    bell = max((o for o in onsets if o.kind == "chime"), key=lambda o: o.frame)
    first = min(o.frame for o in onsets)
    latency = _latency(heard, reference, first)
    shift = latency + bell.error_frames
    quarter = RATE // 4
    tail = slice(len(reference) - quarter, len(reference))
    start = slice(bell.frame, bell.frame + quarter)

    def rms(x: Any) -> float:
        return float(np.sqrt(np.mean(np.square(x.astype(np.float64))))) + 1e-9

    rendered = rms(reference[tail]) / rms(reference[start])
    live = rms(heard[tail.start + shift : tail.stop + shift]) / rms(
        heard[start.start + shift : start.stop + shift]
    )
    assert live >= 0.5 * rendered, (live, rendered)


def _latency(heard: Any, reference: Any, first: int) -> int:
    """Where the session's first cue sits in the recording, minus its frame."""
    from tests.helpers.onsets import normalized_xcorr

    probe = reference[first : first + RATE // 2]
    score = normalized_xcorr(heard[: 10 * RATE + len(probe)], probe)
    return int(np.argmax(score)) - first


def test_losing_the_device_mid_session_carries_on_silently(
    tmp_path: Path, shared_home: Path
) -> None:
    server = PulseServer(tmp_path / "pulse-lost")
    server.start()
    env = server.env
    env["GROUND_HOME"] = str(shared_home)
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "play", str(SCRIPT), "--engine", "none"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    first = process.stdout.readline()  # the first caption: the session is playing
    assert first.strip()
    pid = int((server.runtime / "pulse" / "pid").read_text().split()[0])
    os.kill(pid, signal.SIGKILL)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "Traceback" not in out + err
    assert "sound device went away" in out + err
    assert "Done." in out


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.1, 0.12, 0.14, 0.17, 0.2, 0.5])
def test_ctrl_c_at_any_moment_ends_cleanly(
    pulse: PulseServer, shared_home: Path, delay: float
) -> None:
    """Interrupting while PortAudio is still starting once crashed the process (SIGSEGV)."""
    env = pulse.env
    env["GROUND_HOME"] = str(shared_home)
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "now"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    threading.Event().wait(delay)
    os.killpg(process.pid, signal.SIGINT)
    _out, err = process.communicate(timeout=30)
    if interrupted_before_ground_ran(process.returncode, err):
        return
    # 130 from our handler; -SIGINT when it lands before Python has installed its handler at
    # all (the first few ms of interpreter start-up). Never a crash (-SIGSEGV).
    assert process.returncode in (130, -signal.SIGINT), err
    assert "ALSA" not in err and "Traceback" not in err
