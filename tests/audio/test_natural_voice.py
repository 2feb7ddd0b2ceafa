"""Out of the box, the first session speaks in the natural (Piper) voice, every sentence of it.

A fresh home with no settings (the engine is ``auto``) is prepared as ``make run`` prepares it
(``ground warm``, with its progress bar), then ``ground now`` plays on the null sink while
``parec`` records the monitor. Each sentence heard is compared, at the place the timeline puts
it, with the Piper voice's rendering and with the system voice's rendering of the same words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.helpers.onsets import (
    RATE,
    isolated_cues,
    load_timeline,
    measure,
    normalized_xcorr,
    read_raw,
    read_wav,
)
from tests.helpers.pulse import PulseServer, grows, run_ground, stop_recording

pytestmark = [pytest.mark.audio, pytest.mark.tts, pytest.mark.usefixtures("piper_installed")]
#: How much of each sentence is compared (its first half second).
PROBE = RATE // 2
#: How far from the timeline's place a sentence is looked for (jitter is < 5 ms, by test).
MARGIN = RATE // 10


def _render(
    pulse: PulseServer, home: Path, folder: Path, *engine: str
) -> tuple[np.ndarray, dict[str, Any]]:
    wav, timeline = folder / "ref.wav", folder / "ref.json"
    folder.mkdir(exist_ok=True)
    done = run_ground(
        pulse, home, "render", "now", *engine, "-o", str(wav), "--timeline", str(timeline)
    )
    assert done.returncode == 0, done.stderr
    return read_wav(wav), load_timeline(timeline)


def _sentences(timeline: dict[str, Any], reference: np.ndarray) -> list[dict[str, Any]]:
    return [cue for cue in isolated_cues(timeline, reference) if cue["kind"] == "say"]


def test_first_session_speaks_every_sentence_in_the_natural_voice(
    pulse: PulseServer, tmp_path: Path
) -> None:
    home = tmp_path / "home"  # nothing set: what a newcomer has
    warm = run_ground(pulse, home, "warm", "now", "--progress", timeout=600)
    assert warm.returncode == 0, warm.stderr
    assert "Preparing the Joe voice [" in warm.stderr  # the progress bar
    assert warm.stdout.startswith("piper (en_US-joe-medium): ")

    piper_ref, piper_timeline = _render(pulse, home, tmp_path / "piper")
    system_ref, system_timeline = _render(
        pulse, tmp_path / "system-home", tmp_path / "system", "--engine", "system"
    )

    recording = tmp_path / "monitor.raw"
    recorder = pulse.record(recording)
    try:
        grows(recording, 0.2)
        played = run_ground(pulse, home, "now", timeout=180)
        grows(recording, 0.5)
    finally:
        stop_recording(recorder)
    assert played.returncode == 0, played.stderr
    assert "instead" not in played.stderr and "too long" not in played.stderr
    heard = read_raw(recording)

    # Where the session sits in the recording: every Piper cue lands where its timeline says.
    onsets = measure(heard, piper_ref, piper_timeline)
    assert all(o.score > 0.8 for o in onsets), onsets
    latency = _latency(heard, piper_ref, piper_timeline)

    piper_says = _sentences(piper_timeline, piper_ref)
    system_says = {cue["text"]: cue for cue in _sentences(system_timeline, system_ref)}
    assert piper_says[0]["frame"] == min(c["frame"] for c in piper_says)  # the first word too
    compared = 0
    for cue in piper_says:
        other = system_says.get(cue["text"])
        if other is None:
            continue
        at = cue["frame"] + latency
        window = heard[max(0, at - MARGIN) : at + PROBE + MARGIN]
        piper = normalized_xcorr(window, piper_ref[cue["frame"] : cue["frame"] + PROBE]).max()
        system = normalized_xcorr(window, system_ref[other["frame"] : other["frame"] + PROBE]).max()
        assert piper > 0.8, (cue["text"], piper, system)
        # Not the system voice's words (a quiet tone under both renderings makes them share a
        # little: up to ~0.45 against each other here, against 1.0 for the same rendering).
        assert system < piper - 0.3, (cue["text"], piper, system)
        compared += 1
    assert compared >= 3, "too few sentences to compare"


def _latency(heard: np.ndarray, reference: np.ndarray, timeline: dict[str, Any]) -> int:
    """Frames from the timeline's frame 0 to where it is heard (as ``measure`` finds it)."""
    first: int = isolated_cues(timeline, reference)[0]["frame"]
    probe = reference[first : first + RATE // 2]
    score = normalized_xcorr(heard[: 10 * RATE + len(probe)], probe)
    return int(np.argmax(score)) - first
