"""The committed sound cues in audio/ (every tone set and bell) are reproducible and fit for
purpose."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import wave
from pathlib import Path
from types import ModuleType

import numpy as np
import numpy.typing as npt
import pytest

from assistant.core.sounds import BELLS, TONE_KINDS, TONE_SETS, all_files, bell_file, tone_file

AUDIO_DIR = Path(__file__).resolve().parent.parent / "audio"
SAMPLE_RATE = 48_000
FULL_SCALE = 32768.0

# Allowed duration in seconds for each file, by its path under audio/.
DURATIONS = {
    "bell.wav": (2.0, 3.0),
    "inhale.wav": (0.5, 0.7),
    "exhale.wav": (0.7, 0.9),
    "hold.wav": (0.2, 0.3),
    "top_up.wav": (0.25, 0.35),
    "bells/chime.wav": (2.0, 3.5),
    "bells/woodblock.wav": (0.8, 1.5),
    "tones/hum/inhale.wav": (0.5, 1.0),
    "tones/hum/exhale.wav": (0.7, 1.2),
    "tones/hum/hold.wav": (0.2, 0.4),
    "tones/hum/top_up.wav": (0.25, 0.45),
    "tones/wood/inhale.wav": (0.5, 0.8),
    "tones/wood/exhale.wav": (0.6, 0.9),
    "tones/wood/hold.wav": (0.2, 0.45),
    "tones/wood/top_up.wav": (0.25, 0.45),
}
NAMES = sorted(DURATIONS)
#: Today's files keep their exact bytes (SHA-256): the default set is the one ground always had.
TODAYS_BYTES = {
    "bell.wav": "b38646494c25cb72a4b931abff157e92eb8fcec4bc555fa3d3fe8b1315725b2e",
    "inhale.wav": "81ce39aa9d2b10a338e82c390ae275e426d4d62952142dc6c80efe932fb04e29",
    "exhale.wav": "2ab5db01c5bcd2f82792eba356bddbbf3f8f33649611ba68bacfb03d9731e008",
    "hold.wav": "25c8c61b4e48c7b8aa38a8c35cd56d7287058c048da69829ac2d5d1f55264a2a",
    "top_up.wav": "9be015fa3d40402784525325e39abd8b9ec8afaa19cb42f8b9e70f8d35008f11",
}
#: New sounds stay small: short tones, no long recordings.
NEW_ASSETS_BUDGET_BYTES = 2 * 1024 * 1024


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


def _committed() -> list[str]:
    return sorted(p.relative_to(AUDIO_DIR).as_posix() for p in AUDIO_DIR.rglob("*.wav"))


def test_generator_reproduces_committed_files_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # keep audio/ free of __pycache__
    generator = _load_generator()
    assert generator.main([str(tmp_path)]) == 0
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.wav"))
    assert written == NAMES
    assert _committed() == NAMES
    for name in NAMES:
        regenerated = (tmp_path / name).read_bytes()
        committed = (AUDIO_DIR / name).read_bytes()
        assert regenerated == committed, f"{name} differs; rerun python audio/make_sounds.py"


def test_two_runs_write_identical_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    generator = _load_generator()
    assert generator.main([str(tmp_path / "a")]) == 0
    assert generator.main([str(tmp_path / "b")]) == 0
    for name in NAMES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize("name", sorted(TODAYS_BYTES))
def test_the_default_set_keeps_todays_bytes(name: str) -> None:
    digest = hashlib.sha256((AUDIO_DIR / name).read_bytes()).hexdigest()
    assert digest == TODAYS_BYTES[name]


def test_every_choice_has_its_file_and_every_file_is_a_choice() -> None:
    assert sorted(all_files()) == NAMES
    assert sorted(_load_generator().SOUNDS) == NAMES
    for tone_set in TONE_SETS:
        for tone in TONE_KINDS:
            assert (AUDIO_DIR / tone_file(tone_set, tone)).is_file()
    for bell in BELLS:
        assert (AUDIO_DIR / bell_file(bell)).is_file()


def test_new_sounds_are_small() -> None:
    new = [AUDIO_DIR / n for n in NAMES if n not in TODAYS_BYTES]
    assert sum(p.stat().st_size for p in new) < NEW_ASSETS_BUDGET_BYTES


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
def test_no_click_at_the_start(name: str) -> None:
    """Sample 0 starts the raised-cosine attack: it is (near) silent, not a jump."""
    samples = _samples(name)
    assert abs(samples[0]) <= 0.001 * FULL_SCALE


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


@pytest.mark.parametrize("tone_set", TONE_SETS)
def test_inhale_rises(tone_set: str) -> None:
    start, end = _first_and_last_third_hz(tone_file(tone_set, "inhale"))
    assert end > start * 1.15


@pytest.mark.parametrize("tone_set", TONE_SETS)
def test_exhale_falls(tone_set: str) -> None:
    start, end = _first_and_last_third_hz(tone_file(tone_set, "exhale"))
    assert end < start / 1.15


@pytest.mark.parametrize("tone_set", TONE_SETS)
def test_hold_is_steady(tone_set: str) -> None:
    start, end = _first_and_last_third_hz(tone_file(tone_set, "hold"))
    assert end == pytest.approx(start, rel=0.02)


@pytest.mark.parametrize("tone_set", TONE_SETS)
def test_top_up_rises_above_the_inhale(tone_set: str) -> None:
    start, end = _first_and_last_third_hz(tone_file(tone_set, "top_up"))
    _, inhale_end = _first_and_last_third_hz(tone_file(tone_set, "inhale"))
    assert end > start
    assert start >= inhale_end * 0.95
    assert end > inhale_end


@pytest.mark.parametrize("tone_set", TONE_SETS)
def test_sets_differ_from_each_other(tone_set: str) -> None:
    """A set is its own sound, not a copy of another's files."""
    others = [s for s in TONE_SETS if s != tone_set]
    for other in others:
        for tone in TONE_KINDS:
            mine = (AUDIO_DIR / tone_file(tone_set, tone)).read_bytes()
            assert mine != (AUDIO_DIR / tone_file(other, tone)).read_bytes()


def test_the_softer_set_is_darker_than_the_default() -> None:
    """``hum`` is the softer choice: less energy up high than ``soft-sine`` (lower centroid)."""

    def centroid(name: str) -> float:
        samples = _samples(name)
        spectrum = np.abs(np.fft.rfft(samples))
        freqs = np.fft.rfftfreq(samples.size, d=1.0 / SAMPLE_RATE)
        return float((spectrum * freqs).sum() / spectrum.sum())

    for tone in TONE_KINDS:
        assert centroid(tone_file("hum", tone)) < 0.85 * centroid(tone_file("soft-sine", tone))
