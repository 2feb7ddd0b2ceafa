"""The chosen tone set and bell behind the clip names a timeline plays."""

from __future__ import annotations

import os
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.core.sounds import BELLS, TONE_KINDS, TONE_SETS, bell_file, tone_file
from assistant.sound import palette
from assistant.sound.assets import AssetError, load_sound
from assistant.sound.palette import (
    PREVIEW_GAP_SECONDS,
    bell_pcm,
    load_file,
    preview_pcm,
    sound_pcm,
    tone_pcm,
)

RATE = 48_000


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    load_file.cache_clear()
    yield
    load_file.cache_clear()


def test_the_defaults_are_exactly_todays_sounds() -> None:
    for name in ("bell", *TONE_KINDS):
        assert sound_pcm(name) == load_sound(name)


@pytest.mark.parametrize("tone_set", TONE_SETS)
def test_every_set_gives_every_tone(tone_set: str) -> None:
    for tone in TONE_KINDS:
        pcm = sound_pcm(tone, tones=tone_set)
        assert pcm == tone_pcm(tone_set, tone)
        assert len(pcm) > 2000 and len(pcm) % 2 == 0  # whole 16-bit samples
    if tone_set != "soft-sine":
        assert sound_pcm("inhale", tones=tone_set) != load_sound("inhale")


@pytest.mark.parametrize("bell", BELLS)
def test_every_bell_plays_as_the_bell(bell: str) -> None:
    assert sound_pcm("bell", bell=bell) == bell_pcm(bell)
    assert sound_pcm("inhale", bell=bell) == load_sound("inhale")  # tones unaffected


def test_no_bell_is_silence_as_long_as_the_bell() -> None:
    assert bell_pcm("none") is None
    silent = sound_pcm("bell", bell="none")
    assert len(silent) == len(load_sound("bell"))
    assert not any(silent)


def test_unknown_choices_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown tone set"):
        sound_pcm("inhale", tones="loud")
    with pytest.raises(ValueError, match="unknown bell"):
        sound_pcm("bell", bell="gong")
    with pytest.raises(ValueError, match="unknown sound"):
        sound_pcm("whistle")


@pytest.mark.parametrize("tone_set", TONE_SETS)
def test_a_preview_plays_each_tone_with_gaps(tone_set: str) -> None:
    pcm = preview_pcm(tone_set)
    tones = sum(len(tone_pcm(tone_set, t)) for t in ("inhale", "hold", "exhale", "hold", "top_up"))
    gaps = 4 * 2 * round(PREVIEW_GAP_SECONDS * RATE)
    assert len(pcm) == tones + gaps
    assert pcm.startswith(tone_pcm(tone_set, "inhale"))
    assert pcm.endswith(tone_pcm(tone_set, "top_up"))


def write(path: Path, channels: int = 1, rate: int = RATE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(400 * channels))


def test_a_broken_install_is_one_plain_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_cache: None
) -> None:
    monkeypatch.setattr(palette, "shipped_dir", lambda name: tmp_path / name)
    audio = tmp_path / "audio"
    write(audio / tone_file("wood", "inhale"), channels=2)
    write(audio / bell_file("chime"), rate=44_100)
    (audio / tone_file("hum", "hold")).parent.mkdir(parents=True, exist_ok=True)
    (audio / tone_file("hum", "hold")).write_bytes(b"RIFF nonsense")
    os.mkfifo(audio / tone_file("wood", "exhale"))  # never waited on
    cases = {
        ("wood", "inhale"): "must be mono 16-bit 48000 Hz",
        ("hum", "hold"): "cannot be read",
        ("hum", "inhale"): "is missing",
        ("wood", "exhale"): "is missing",
    }
    for (tone_set, tone), says in cases.items():
        with pytest.raises(AssetError, match=says) as caught:
            tone_pcm(tone_set, tone)
        assert tone_file(tone_set, tone) in str(caught.value)
    with pytest.raises(AssetError, match=r"bells/chime\.wav must be mono"):
        bell_pcm("chime")
