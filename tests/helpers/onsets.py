"""Measure where each cue of a timeline landed in a recording, by local cross-correlation.

A cue's onset in the recording is found by sliding the reference render's first 60 ms of that
cue over a window of the recording; the global latency (first cue) is subtracted, so what is
left is timing error: jitter and drift.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

RATE = 48_000
PROBE = int(0.06 * RATE)


@dataclass(frozen=True)
class Onset:
    """One cue: where the timeline put it and how far off it was heard."""

    frame: int
    kind: str
    text: str
    error_frames: int
    score: float


def read_raw(path: Path) -> np.ndarray:
    """s16le mono samples as float."""
    return np.frombuffer(path.read_bytes(), dtype=np.int16).astype(np.float32)


def read_wav(path: Path) -> np.ndarray:
    """A mono 16-bit WAV's samples as float."""
    import wave

    with wave.open(str(path), "rb") as wav:
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16).astype(np.float32)


def isolated_cues(
    timeline: dict[str, Any], reference: np.ndarray, quiet: float = 0.15
) -> list[dict[str, Any]]:
    """Audible cues preceded by at least ``quiet`` seconds of silence in the reference."""
    gap = int(quiet * RATE)
    cues = []
    seen = set()
    for event in timeline["events"]:
        frame = event["frame"]
        if not event["audible"] or frame in seen or frame < gap:
            if event["audible"] and frame == 0:
                cues.append(event)
                seen.add(frame)
            continue
        before = reference[frame - gap : frame]
        if np.max(np.abs(before)) < 40 and np.max(np.abs(reference[frame : frame + PROBE])) > 300:
            cues.append(event)
            seen.add(frame)
    return cues


def normalized_xcorr(window: np.ndarray, probe: np.ndarray) -> np.ndarray:
    """Cosine similarity of ``probe`` with every same-length slice of ``window``."""
    # Through the FFT: np.correlate is direct, and a 10-minute file against a half-second probe
    # took minutes on a loaded machine. Circular correlation is exact for the first
    # len(window) - len(probe) + 1 lags once the size covers both.
    w = window.astype(np.float64)
    p = probe.astype(np.float64)
    size = 1 << (len(w) + len(p) - 1).bit_length()
    corr = np.fft.irfft(np.fft.rfft(w, size) * np.conj(np.fft.rfft(p, size)), size)
    corr = corr[: len(w) - len(p) + 1]
    power = np.concatenate(([0.0], np.cumsum(window.astype(np.float64) ** 2)))
    local = np.sqrt(power[len(probe) :] - power[: -len(probe)])
    score: np.ndarray = corr / np.maximum(local * np.linalg.norm(p), 1e-9)
    # Digital silence has no similarity to anything; the FFT's rounding (not zero there, as the
    # direct sum is) must not be divided by its near-zero power.
    score[local < max(1.0, 1e-4 * float(local.max(initial=0.0)))] = 0.0
    return score


def measure(recording: np.ndarray, reference: np.ndarray, timeline: dict[str, Any]) -> list[Onset]:
    """Error of every isolated cue relative to the first one's latency."""
    cues = isolated_cues(timeline, reference)
    first = cues[0]["frame"]
    # Global latency: where the first half second of the session sits in the recording.
    probe = reference[first : first + RATE // 2]
    score = normalized_xcorr(recording[: 10 * RATE + len(probe)], probe)
    latency = int(np.argmax(score)) - first
    out = []
    margin = int(0.1 * RATE)
    for cue in cues:
        frame = cue["frame"]
        probe = reference[frame : frame + PROBE]
        lo = max(0, frame + latency - margin)
        window = recording[lo : frame + latency + PROBE + margin]
        if len(window) < PROBE:
            out.append(Onset(frame, cue["kind"], cue["text"], 10**9, 0.0))
            continue
        score = normalized_xcorr(window, probe)
        best = int(np.argmax(score))
        heard = lo + best
        out.append(
            Onset(frame, cue["kind"], cue["text"], heard - (frame + latency), float(score[best]))
        )
    return out


def load_timeline(path: Path) -> dict[str, Any]:
    """The JSON written by ``ground render --timeline``."""
    timeline: dict[str, Any] = json.loads(path.read_text())
    return timeline
