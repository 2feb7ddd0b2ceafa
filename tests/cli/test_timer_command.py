"""`ground timer`: the issue's render (every bell on its frame and heard within 10 ms), the
usage errors, a silent sitting logged with the time sat, and the ambient sound under it."""

from __future__ import annotations

import json
import sqlite3
import wave
from pathlib import Path

import numpy as np
import pytest

from assistant.sound.palette import sound_pcm
from tests.helpers.cli import complete, ground

pytestmark = pytest.mark.slow
RATE = 48_000
#: A sample this loud (of 32767, about -50 dBFS) is heard; the silence between bells is exact 0.
HEARD = 100
TEN_MS = RATE // 100


def read(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, RATE)
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)


def onsets(samples: np.ndarray, quiet: float = 0.5) -> list[int]:
    """Frames where sound begins after at least ``quiet`` seconds below :data:`HEARD`."""
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > HEARD)
    if loud.size == 0:
        return []
    gaps = np.diff(loud) > quiet * RATE
    return [int(loud[0]), *(int(f) for f in loud[1:][gaps])]


def test_the_issues_timer_has_every_bell_on_its_frame_and_heard_within_10_ms(
    tmp_path: Path,
) -> None:
    wav, timeline_file = tmp_path / "t.wav", tmp_path / "t.json"
    done = ground(
        "timer",
        "--minutes",
        "5",
        "--every",
        "1",
        "--delay",
        "10",
        "-o",
        str(wav),
        "--timeline",
        str(timeline_file),
        "--volume",
        "1",
    )
    assert done.returncode == 0, done.stderr
    assert "6 bells" in done.stdout
    timeline = json.loads(timeline_file.read_text())
    bells = [e["frame"] for e in timeline["events"] if e["kind"] == "chime"]
    assert bells == [s * RATE for s in (10, 70, 130, 190, 250, 310)]  # exact frames
    assert all(e["audible"] for e in timeline["events"] if e["kind"] == "chime")
    samples = read(wav)
    assert len(samples) == timeline["total_frames"] == 310 * RATE + len(sound_pcm("bell")) // 2
    heard = onsets(samples)
    assert len(heard) == len(bells), heard
    for frame, at in zip(bells, heard, strict=True):
        assert abs(at - frame) <= TEN_MS, f"bell at {frame} heard at {at}"
    assert np.abs(samples[: bells[0]]).max() == 0  # the delay is silent


def test_an_open_sitting_cannot_be_written_to_a_file(tmp_path: Path) -> None:
    done = ground("timer", "--open", "-o", str(tmp_path / "t.wav"))
    assert done.returncode == 2
    assert done.stderr.strip() == "ground: a file needs a length: give --minutes instead of --open"
    assert not (tmp_path / "t.wav").exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--minutes", "1", "--every", "3"], "the interval must be between 0.25 and 1 minutes"),
        (["--minutes", "5", "--timeline", "t.json"], "--timeline goes with -o FILE"),
        (["--minutes", "5", "--delay", "-1"], "seconds must be between 0 and 600"),
        (["--minutes", "5", "--ambient", "thunder"], "invalid choice: 'thunder'"),
        (["--every", "1"], "one of the arguments --minutes --open is required"),
        (["--minutes", "5", "--open"], "not allowed with argument"),
    ],
)
def test_a_timer_that_makes_no_sitting_is_a_usage_error(args: list[str], says: str) -> None:
    done = ground("timer", *args)
    assert done.returncode == 2
    assert says in done.stderr
    assert len(done.stderr.strip().splitlines()) <= 5  # a line (argparse: usage, then the line)


def test_a_silent_sitting_is_logged_with_the_time_sat(ground_home: Path) -> None:
    done = ground("timer", "--minutes", "0.25", "--delay", "1", "--no-audio", timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "Done. 0:15 sat."
    with sqlite3.connect(ground_home / "data" / "practice.db") as db:
        rows = db.execute(
            "SELECT script_id, script_title, practised_seconds, completed FROM sessions"
        ).fetchall()
    assert len(rows) == 1
    script_id, title, seconds, completed = rows[0]
    assert (script_id, title, completed) == ("timer", "Timer", 1)
    assert seconds == pytest.approx(15.0, abs=0.2)


def test_an_ambient_sound_plays_under_the_timer(tmp_path: Path) -> None:
    wav = tmp_path / "t.wav"
    done = ground(
        "timer", "--minutes", "1", "--ambient", "rain", "--bell", "woodblock", "-o", str(wav)
    )
    assert done.returncode == 0, done.stderr
    samples = read(wav).astype(np.float64) / 32768
    rate = RATE
    middle = samples[10 * rate : 50 * rate]  # between the bells: only the rain
    level = 10 * np.log10(np.mean(middle**2))
    assert -40 < level < -25
    assert np.abs(samples[-rate // 100 :]).max() < 0.01  # faded out by the end


def test_the_new_options_and_their_choices_complete_in_bash() -> None:
    assert "timer" in complete("ground ")
    assert complete("ground timer --am") == ["--ambient"]
    assert complete("ground timer --ambient ") == ["none", "waves", "rain", "brown"]
    assert complete("ground play box --bell ") == ["bell", "chime", "woodblock", "none"]
    assert complete("ground now --tones ") == ["soft-sine", "hum", "wood"]


def test_the_man_page_has_the_timer() -> None:
    from assistant import __version__
    from assistant.cli.main import build_parser
    from assistant.cli.manpage import manpage

    page = manpage(build_parser(), __version__)
    assert ".SS ground timer\n" in page
    assert "\\fB\\-\\-every\\fR" in page and "\\fB\\-\\-ambient\\fR" in page
