"""Issue 22 through a real PulseAudio null sink: a live session with ambient waves is heard all
the way with its cues still on time, a live timer's bells land within 10 ms of their frames, and
on the hotkey path the bed is made off the main thread, once the sound plays."""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from tests.helpers.onsets import RATE, load_timeline, measure, read_raw, read_wav
from tests.helpers.pulse import PulseServer, grows, run_ground, stop_recording

pytestmark = pytest.mark.audio
FIVE_MS = int(0.005 * RATE)
TEN_MS = int(0.010 * RATE)


def recorded(pulse: PulseServer, home: Path, path: Path, *args: str) -> tuple[np.ndarray, str]:
    """Play ``ground ARGS`` on the sink while recording its monitor; the recording and stdout."""
    recorder = pulse.record(path)
    try:
        grows(path, 0.2)  # the recorder is live before anything plays
        played = run_ground(pulse, home, *args, timeout=240)
        grows(path, 0.5)  # and has the monitor's tail
    finally:
        stop_recording(recorder)
    assert played.returncode == 0, played.stderr
    assert "underruns: 0" in played.stdout
    return read_raw(path), played.stdout


def test_a_live_session_with_waves_is_heard_all_the_way_and_keeps_time(
    pulse: PulseServer, shared_home: Path, tmp_path: Path
) -> None:
    # Long enough for a dozen isolated cues (the intro alone takes about 40 s).
    session = ("resonance", "--minutes", "1.5", "--engine", "none")
    reference_wav, reference_json = tmp_path / "ref.wav", tmp_path / "ref.json"
    done = run_ground(
        pulse,
        shared_home,
        "render",
        *session,
        "-o",
        str(reference_wav),
        "--timeline",
        str(reference_json),
    )
    assert done.returncode == 0, done.stderr
    heard, _ = recorded(
        pulse, shared_home, tmp_path / "live.raw", "play", *session, "--ambient", "waves",
        "--volume", "0.8",
    )  # fmt: skip
    reference, timeline = read_wav(reference_wav), load_timeline(reference_json)
    start = int(np.flatnonzero(np.abs(heard) > 0)[0])
    end = start + timeline["total_frames"]
    x = heard / 32768.0
    window = 2 * RATE
    levels = [
        10 * np.log10(np.mean(x[i : i + window] ** 2) + 1e-30)
        for i in range(start + 4 * RATE, end - 4 * RATE - window, RATE // 2)
    ]
    assert len(levels) > 40
    assert min(levels) > -60.0, min(levels)  # the sea never falls silent
    # The tones are still where the timeline puts them, with the waves under them.
    onsets = measure(heard, reference, timeline)
    assert len(onsets) >= 8
    report = "\n".join(
        f"{o.frame:>8} {o.kind:<6} {o.error_frames:+5d} {o.score:.2f}" for o in onsets
    )
    for onset in onsets:
        assert onset.score > 0.8, f"cue not found under the waves:\n{report}"
        assert abs(onset.error_frames) <= FIVE_MS, f"cue off by more than 5 ms:\n{report}"


def test_a_live_timers_bells_land_within_10_ms_of_their_frames(
    pulse: PulseServer, shared_home: Path, tmp_path: Path
) -> None:
    timer = ("timer", "--minutes", "0.5", "--every", "0.25", "--delay", "2", "--volume", "1")
    reference_wav, reference_json = tmp_path / "ref.wav", tmp_path / "ref.json"
    done = run_ground(
        pulse, shared_home, *timer, "-o", str(reference_wav), "--timeline", str(reference_json)
    )
    assert done.returncode == 0, done.stderr
    heard, out = recorded(pulse, shared_home, tmp_path / "timer.raw", *timer)
    assert "Done. 0:30 sat." in out
    reference, timeline = read_wav(reference_wav), load_timeline(reference_json)
    bells = [e["frame"] for e in timeline["events"] if e["kind"] == "chime"]
    assert [b / RATE for b in bells] == [2.0, 17.0, 32.0]
    onsets = measure(heard, reference, timeline)
    assert [o.frame for o in onsets] == bells
    for onset in onsets:
        assert onset.score > 0.9
        assert abs(onset.error_frames) <= TEN_MS, onsets


#: Runs `ground` with a finder first on sys.meta_path that writes every module imported, with
#: the name of the thread importing it, to the file in argv[1] as it happens.
_RECORD_IMPORTS = """
import sys, threading
record = open(sys.argv.pop(1), "a", buffering=1, encoding="utf-8")
record.write("".join(f"{m} MainThread\\n" for m in sys.modules))
class Record:
    @staticmethod
    def find_spec(name, path=None, target=None):
        record.write(f"{name} {threading.current_thread().name}\\n")
        return None
sys.meta_path.insert(0, Record)
from assistant.cli.entry import run
sys.argv[0] = "ground"
raise SystemExit(run())
"""


def test_the_hotkey_makes_the_waves_off_the_main_thread_once_the_sound_plays(
    pulse: PulseServer, shared_home: Path, tmp_path: Path
) -> None:
    """``ground now --ambient waves``: numpy and the bed are loaded by the background thread
    that starts once the stream runs, never by the main thread before the first sound; and the
    waves are then heard under the session."""
    env = pulse.env
    env["GROUND_HOME"] = str(shared_home)
    recording = tmp_path / "now.raw"
    recorder = pulse.record(recording)
    with tempfile.TemporaryDirectory() as folder:
        imports = Path(folder) / "imports.txt"
        try:
            grows(recording, 0.2)
            process = subprocess.Popen(
                [sys.executable, "-c", _RECORD_IMPORTS, str(imports), "now", "--ambient", "waves"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                stdin=subprocess.DEVNULL,
            )
            assert process.stdout is not None
            assert process.stdout.readline().strip()  # the first caption: it is playing
            grows(recording, 8.0)  # the bed joins and fades in (3 s) meanwhile
            process.send_signal(signal.SIGINT)
            _, err = process.communicate(timeout=30)
        finally:
            stop_recording(recorder)
        lines = [line.split(" ", 1) for line in imports.read_text().splitlines()]
    assert process.returncode == 130 and "Traceback" not in err
    threads: dict[str, str] = {}
    for name, thread in lines:
        threads.setdefault(name, thread)
    assert "assistant.sound.ambient" in threads and "numpy" in threads
    assert threads["numpy"] != "MainThread", threads["numpy"]
    assert threads["assistant.sound.ambient"] != "MainThread"
    heard = read_raw(recording) / 32768.0
    start = int(np.flatnonzero(np.abs(heard) > 0)[0])
    later = heard[start + 5 * RATE : start + 7 * RATE]
    assert 10 * np.log10(np.mean(later**2)) > -60.0  # the sea is there by then
