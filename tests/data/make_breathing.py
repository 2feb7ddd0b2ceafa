"""Deterministic synthetic breathing audio for the breath-detector tests.

Breaths are band-limited noise bursts (150–1000 Hz) with raised-cosine edges; the exhale is
6 dB louder than the inhale, as at a mouth-facing microphone. Cycle lengths jitter by ±8 %
and the inhale:exhale ratio is about 1:1.5. Backgrounds: 50 Hz mains hum, fan noise (steady
pink-ish noise), keyboard clicks, and speech-like babble. Everything is seeded, so the same
arguments always give the same samples: the tests generate what they need in a temp folder and
no WAV is committed.

Run ``python tests/data/make_breathing.py OUT_DIR`` to write a few example WAVs to listen to.
"""

from __future__ import annotations

import sys
import wave
from pathlib import Path

import numpy as np

NOISES = ("none", "fan", "hum", "keyboard", "babble")
EXHALE_RMS = 0.05
"""Exhale loudness (about -26 dBFS): a quiet breath a few centimetres from a laptop mic."""
INHALE_GAIN = 10 ** (-6 / 20)
"""Inhales are 6 dB quieter than exhales."""
GAP_SECONDS = 0.3
"""Quiet turn-around between the inhale and the exhale sounds."""


def breathing(
    rate: float,
    seconds: float,
    snr_db: float | None,
    noise: str,
    seed: int,
    sample_rate: int = 48000,
    *,
    lead_in: float = 2.0,
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Breathing at ``rate`` breaths/min for ``seconds``, over an optional background.

    Args:
        rate: breaths per minute (4–20 is the useful range).
        seconds: total length.
        snr_db: exhale power over background power (both full band), or None for no background.
        noise: one of ``NOISES``.
        seed: random seed; the same seed gives the same audio.
        sample_rate: samples per second.
        lead_in: seconds of background alone before the first breath.

    Returns:
        float32 mono samples in -1..1, and the true exhale (start, end) times in seconds.
    """
    if noise not in NOISES:
        raise ValueError(f"noise must be one of {NOISES}")
    rng = np.random.default_rng(seed)
    total = round(seconds * sample_rate)
    breath = _band_noise(rng, total, sample_rate, 150.0, 1000.0)
    envelope = np.zeros(total)
    exhales: list[tuple[float, float]] = []
    exhale_mask = np.zeros(total, dtype=bool)
    t = lead_in
    while True:
        cycle = 60.0 / rate * (1 + rng.uniform(-0.08, 0.08))
        inhale = cycle / 2.5
        exhale = cycle - inhale
        in_start, in_end = t, t + inhale - GAP_SECONDS
        ex_start, ex_end = t + inhale, t + inhale + 0.85 * exhale  # then a rest before the inhale
        if ex_end > seconds:
            break
        _add_burst(envelope, in_start, in_end, INHALE_GAIN, sample_rate)
        _add_burst(envelope, ex_start, ex_end, 1.0, sample_rate)
        exhale_mask[int(ex_start * sample_rate) : int(ex_end * sample_rate)] = True
        exhales.append((ex_start, ex_end))
        t += cycle
    signal = breath * envelope
    # Scale so exhales sit at EXHALE_RMS whatever the random noise happened to be.
    if exhale_mask.any():
        signal *= EXHALE_RMS / float(np.sqrt(np.mean(signal[exhale_mask] ** 2)))
    if snr_db is not None and noise != "none":
        level = EXHALE_RMS * 10 ** (-snr_db / 20)
        signal = signal + background(noise, seconds, level, seed + 1, sample_rate)
    return np.clip(signal, -1, 1).astype(np.float32), exhales


def background(
    kind: str, seconds: float, rms: float, seed: int, sample_rate: int = 48000
) -> np.ndarray:
    """``seconds`` of one background sound at ``rms`` (keyboard and babble: RMS while active)."""
    rng = np.random.default_rng(seed)
    total = round(seconds * sample_rate)
    t = np.arange(total) / sample_rate
    if kind == "none":
        return np.zeros(total)
    if kind == "hum":
        # Mains hum: 50 Hz plus the weaker odd/even harmonics a cheap supply adds.
        out = np.zeros(total)
        for harmonic, gain_db in ((1, 0), (2, -6), (3, -10), (5, -16)):
            out += 10 ** (gain_db / 20) * np.sin(2 * np.pi * 50 * harmonic * t + rng.uniform(0, 6))
    elif kind == "fan":
        out = _pink(rng, total, sample_rate)
    elif kind == "keyboard":
        return _keyboard(rng, total, sample_rate, rms)
    elif kind == "babble":
        return _babble(rng, total, sample_rate, rms)
    else:
        raise ValueError(f"unknown background '{kind}'")
    return out * (rms / float(np.sqrt(np.mean(out**2))))


def write_wav(path: str | Path, samples: np.ndarray, rate: int) -> None:
    """Write mono float samples in -1..1 as a 16-bit PCM WAV."""
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())


def _band_noise(rng: np.random.Generator, n: int, rate: int, low: float, high: float) -> np.ndarray:
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / rate)
    spectrum[(freqs < low) | (freqs > high)] = 0
    out = np.fft.irfft(spectrum, n)
    return out / float(np.sqrt(np.mean(out**2)))


def _pink(rng: np.random.Generator, n: int, rate: int) -> np.ndarray:
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / rate)
    shape = 1 / np.sqrt(np.maximum(freqs, 20.0))
    shape[freqs > 8000] *= 0.3  # a fan's hiss falls off at the top
    return np.fft.irfft(spectrum * shape, n)


def _add_burst(envelope: np.ndarray, start: float, end: float, gain: float, rate: int) -> None:
    """A flat burst with raised-cosine edges: quick attack, slower fade."""
    i0, i1 = int(start * rate), min(int(end * rate), len(envelope))
    n = i1 - i0
    if n <= 0:
        return
    attack = min(int(0.12 * rate), n // 4)
    release = min(int(0.35 * rate), n // 3)
    shape = np.ones(n)
    shape[:attack] = 0.5 - 0.5 * np.cos(np.pi * np.arange(attack) / attack)
    shape[n - release :] = 0.5 + 0.5 * np.cos(np.pi * np.arange(release) / release)
    envelope[i0:i1] += gain * shape


def _keyboard(rng: np.random.Generator, n: int, rate: int, rms: float) -> np.ndarray:
    """Typing: bursts of clicks (about 6 a second), each a few ms of decaying noise."""
    out = np.zeros(n)
    click_len = int(0.012 * rate)
    decay = np.exp(-np.arange(click_len) / (0.002 * rate))
    pos = 0.2 * rate
    while pos < n - click_len:
        i = int(pos)
        out[i : i + click_len] += rng.uniform(0.4, 1.0) * decay * rng.standard_normal(click_len)
        pos += rate * (rng.exponential(0.15) + 0.05)
        if rng.random() < 0.05:  # a pause to think between words
            pos += rate * rng.uniform(0.5, 2.0)
    active = out != 0
    return out * (rms / float(np.sqrt(np.mean(out[active] ** 2))))


def _babble(rng: np.random.Generator, n: int, rate: int, rms: float) -> np.ndarray:
    """Speech-like sound: harmonic tone complexes (f0 100–300 Hz) in syllables of ~4 Hz."""
    t = np.arange(n) / rate
    f0 = rng.uniform(100, 300) * (1 + 0.1 * np.sin(2 * np.pi * 0.7 * t + rng.uniform(0, 6)))
    phase = 2 * np.pi * np.cumsum(f0) / rate
    tone = sum(np.sin(k * phase) / k for k in range(1, 11))
    syllables = np.zeros(n)
    pos = 0
    while pos < n:
        length = int(rate * rng.uniform(0.12, 0.3))
        end = min(pos + length, n)
        syllables[pos:end] = np.sin(np.pi * np.arange(end - pos) / length) ** 2
        pos = end + int(rate * rng.uniform(0.02, 0.12))
    out = np.asarray(tone) * syllables
    return out * (rms / float(np.sqrt(np.mean(out**2))))


def main() -> None:
    """Write a few example WAVs to the folder given as the first argument."""
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    folder.mkdir(parents=True, exist_ok=True)
    rate = 48000
    for breaths, noise, snr in ((6, "none", None), (8, "fan", 10.0), (12, "hum", 10.0)):
        samples, _ = breathing(breaths, 60, snr, noise, seed=breaths, sample_rate=rate)
        write_wav(folder / f"breathing-{breaths}pm-{noise}.wav", samples, rate)
    for noise in ("fan", "keyboard", "babble"):
        samples = background(noise, 20, 0.02, seed=1, sample_rate=rate)
        write_wav(folder / f"background-{noise}.wav", samples.astype(np.float32), rate)


if __name__ == "__main__":
    main()
