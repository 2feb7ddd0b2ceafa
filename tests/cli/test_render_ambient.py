"""`ground render … --ambient`: the issue's "done when" through the command itself. The waves
are heard all the way and swell with the breath the timeline says; with the voice on, speech
stays at least 6 dB above them; and without ambient a render is what it always was."""

from __future__ import annotations

import json
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.helpers.cli import ground

pytestmark = pytest.mark.slow
RATE = 48_000
#: The issue's bars.
AUDIBLE_DBFS = -60.0
CORRELATION = 0.6
MARGIN_DB = 6.0


def read(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as wav:
        pcm = wav.readframes(wav.getnframes())
    return np.frombuffer(pcm, dtype=np.int16).astype(np.float64) / 32768.0


def render(tmp_path: Path, name: str, *args: str) -> tuple[np.ndarray, dict[str, Any]]:
    wav, timeline = tmp_path / f"{name}.wav", tmp_path / f"{name}.json"
    done = ground(
        "render", "resonance", "--minutes", "2", "-o", str(wav), "--timeline", str(timeline), *args
    )
    assert done.returncode == 0, done.stderr
    return read(wav), json.loads(timeline.read_text())


def db(x: np.ndarray) -> float:
    return 10.0 * float(np.log10(np.mean(np.square(x)) + 1e-30))


def breath_ramp(timeline: dict[str, Any], hop: int) -> np.ndarray:
    """0→1 over each in-breath, 1 through a hold after it, 1→0 over each out-breath, 0 through
    the rest after it; NaN outside breathing (from the timeline JSON's phase events)."""
    count = timeline["total_frames"] // hop
    ramp = np.full(count, np.nan)
    for event in timeline["events"]:
        if event["kind"] != "phase":
            continue
        start, length = event["frame"], event["duration_frames"]
        for i in range(start // hop, min(count, (start + length) // hop)):
            x = (i * hop + hop / 2 - start) / length
            ramp[i] = {
                "inhale": x,
                "top_up": 1.0,
                "hold": 1.0,
                "exhale": 1.0 - x,
                "hold_after_exhale": 0.0,
            }[event["phase"]]
    return ramp


def test_waves_are_heard_all_the_way_and_swell_with_the_breath(tmp_path: Path) -> None:
    x, timeline = render(tmp_path, "waves", "--ambient", "waves", "--no-voice", "--no-tones")
    assert len(x) == timeline["total_frames"]
    window, edge = 2 * RATE, 4 * RATE
    quietest = min(db(x[i : i + window]) for i in range(edge, len(x) - edge - window + 1, RATE))
    assert quietest > AUDIBLE_DBFS
    hop = RATE // 4
    envelope = 10 * np.log10(np.mean(x[: len(x) // hop * hop].reshape(-1, hop) ** 2, axis=1))
    ramp = breath_ramp(timeline, hop)
    breathing = ~np.isnan(ramp)
    assert breathing.sum() > 300
    r = float(np.corrcoef(envelope[breathing], ramp[breathing])[0, 1])
    assert r >= CORRELATION, r


@pytest.mark.tts
def test_the_voice_stays_6_db_above_the_waves(tmp_path: Path) -> None:
    """Median RMS over the spoken spans, against the ambient alone over the same spans: the
    ambient alone is the render with it less the same render without it (the mix is a sum)."""
    common = ("--engine", "espeak", "--no-tones")
    with_bed, timeline = render(tmp_path, "with", "--ambient", "waves", *common)
    voice, same = render(tmp_path, "without", *common)
    assert same["events"] == timeline["events"]
    ambient = with_bed - voice
    assert db(ambient) > -50  # the bed is really there
    # Each sentence and each cue word, for as long as it is spoken (a word's length is not in
    # the JSON: it lasts until the voice alone falls silent).
    spans = [
        (e["frame"], e["frame"] + (e["duration_frames"] or spoken_for(voice, e["frame"])))
        for e in timeline["events"]
        if e["kind"] in ("say", "word") and e["audible"]
    ]
    assert len(spans) >= 6
    voice_db = np.median([db(voice[a:b]) for a, b in spans])
    ambient_db = np.median([db(ambient[a:b]) for a, b in spans])
    assert voice_db - ambient_db >= MARGIN_DB, (voice_db, ambient_db)


def spoken_for(voice: np.ndarray, start: int) -> int:
    """Frames from ``start`` until the voice alone is silent for 20 ms (it is exact zeros
    between words with the tones off)."""
    quiet = RATE // 50
    loud = np.flatnonzero(np.abs(voice[start : start + 5 * RATE]) > 0)
    if loud.size == 0:
        return quiet
    gaps = np.flatnonzero(np.diff(loud) > quiet)
    return int(loud[gaps[0]] if gaps.size else loud[-1]) + 1


def test_without_ambient_the_render_is_the_same_bytes_as_before(tmp_path: Path) -> None:
    """``--ambient none`` and no option at all (the default) write the very same file."""
    plain, _ = render(tmp_path, "plain", "--engine", "none")
    none, _ = render(tmp_path, "none", "--engine", "none", "--ambient", "none")
    assert np.array_equal(plain, none)
    brown, _ = render(tmp_path, "brown", "--engine", "none", "--ambient", "brown")
    assert not np.array_equal(plain, brown)
