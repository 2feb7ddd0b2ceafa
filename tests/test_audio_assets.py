"""The committed sound cues in audio/ are reproducible and fit for purpose."""

from __future__ import annotations

import importlib.util
import sys
import wave
from pathlib import Path
from types import ModuleType

import numpy as np
import numpy.typing as npt
import pytest

AUDIO_DIR = Path(__file__).resolve().parent.parent / "audio"
SAMPLE_RATE = 48_000
FULL_SCALE = 32768.0

# Allowed duration in seconds for each file.
DURATIONS = {
    "bell.wav": (2.0, 3.0),
    "inhale.wav": (0.5, 0.7),
    "exhale.wav": (0.7, 0.9),
    "hold.wav": (0.2, 0.3),
    "top_up.wav": (0.25, 0.35),
}
NAMES = sorted(DURATIONS)


def _load_generator() -> ModuleType:
    """Import audio/make_sounds.py (not a package) straight from its path."""
    spec = importlib.util.spec_from_file_location("make_sounds", AUDIO_DIR / "make_sounds.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _samples(name: str) -> npt.NDArray[np.float64]:
    with wave.open(str(AUDIO_DIR / name), "rb") as wav:
        frames = wav.readframes(wav.getnframes())
    return np.frombuffer(frames, dtype="<i2").astype(np.float64)


def _dominant_hz(segment: npt.NDArray[np.float64]) -> float:
    """Frequency of the strongest FFT bin, zero-padded to ~1 Hz resolution."""
    n_fft = 1 << 16
    spectrum = np.abs(np.fft.rfft(segment * np.hanning(len(segment)), n=n_fft))
    return float(np.fft.rfftfreq(n_fft, d=1.0 / SAMPLE_RATE)[np.argmax(spectrum)])


def _first_and_last_third_hz(name: str) -> tuple[float, float]:
    samples = _samples(name)
    third = len(samples) // 3
    return _dominant_hz(samples[:third]), _dominant_hz(samples[-third:])


def test_generator_reproduces_committed_files_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # keep audio/ free of __pycache__
    generator = _load_generator()
    assert generator.main([str(tmp_path)]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == NAMES
    assert sorted(path.name for path in AUDIO_DIR.glob("*.wav")) == NAMES
    for name in NAMES:
        regenerated = (tmp_path / name).read_bytes()
        committed = (AUDIO_DIR / name).read_bytes()
        assert regenerated == committed, f"{name} differs; rerun python audio/make_sounds.py"


@pytest.mark.parametrize("name", NAMES)
def test_format_is_mono_48k_16bit(name: str) -> None:
    with wave.open(str(AUDIO_DIR / name), "rb") as wav:
        params = wav.getparams()
    assert params.nchannels == 1
    assert params.framerate == SAMPLE_RATE
    assert params.sampwidth == 2
    assert params.comptype == "NONE"


@pytest.mark.parametrize("name", NAMES)
def test_onset_is_audible_within_first_millisecond(name: str) -> None:
    samples = _samples(name)
    first_ms = samples[: SAMPLE_RATE // 1000]
    assert np.max(np.abs(first_ms)) >= 0.05 * np.max(np.abs(samples))  # within 26 dB of its peak


@pytest.mark.parametrize("name", NAMES)
def test_loudness_under_the_voice_and_silent_end(name: str) -> None:
    from assistant.speech.clips import TARGET_RMS_DBFS

    samples = _samples(name)
    loudness = _load_generator().voiced_rms_dbfs(samples, FULL_SCALE)
    assert loudness == pytest.approx(TARGET_RMS_DBFS - 8.0, abs=0.1)  # 8 dB under the voice
    peak_dbfs = 20.0 * np.log10(np.max(np.abs(samples)) / FULL_SCALE)
    assert peak_dbfs <= -12.0  # room for a voice peaking at -3 dBFS on top
    assert abs(samples[-1]) <= 0.001 * FULL_SCALE


@pytest.mark.parametrize("name", NAMES)
def test_duration_in_range(name: str) -> None:
    low, high = DURATIONS[name]
    assert low <= len(_samples(name)) / SAMPLE_RATE <= high


def test_inhale_rises() -> None:
    start, end = _first_and_last_third_hz("inhale.wav")
    assert end > start * 1.15


def test_exhale_falls() -> None:
    start, end = _first_and_last_third_hz("exhale.wav")
    assert end < start / 1.15


def test_top_up_rises_above_the_inhale() -> None:
    start, end = _first_and_last_third_hz("top_up.wav")
    _, inhale_end = _first_and_last_third_hz("inhale.wav")
    assert end > start
    assert start >= inhale_end * 0.95
    assert end > inhale_end
