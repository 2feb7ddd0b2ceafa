"""The espeak-ng command engine, against the real espeak-ng."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from assistant.speech import (
    EngineUnavailable,
    EspeakEngine,
    UnknownVoice,
    prepare_clip,
)
from assistant.speech.clips import AUDIBLE_BELOW_PEAK_DB, TARGET_RMS_DBFS
from assistant.speech.espeak import parse_voices

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng missing")

LISTING = """\
Pty Language       Age/Gender VoiceName          File                 Other Languages
 5  af              --/M      Afrikaans          gmw/af
 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)
 5  en-gb-x-rp      --/F      English_(Received_Pronunciation) gmw/en-GB-x-rp       (en-gb 4)(en 5)
"""


def test_parse_voices() -> None:
    voices = parse_voices(LISTING)
    assert [v.id for v in voices] == ["gmw/af", "gmw/en-US", "gmw/en-GB-x-rp"]
    assert voices[1].name == "English (America)"
    assert voices[1].languages == ("en-us", "en")
    assert voices[2].languages == ("en-gb-x-rp", "en-gb", "en")
    assert voices[2].gender == "female"
    assert voices[0].gender == "male"


def test_missing_binary_is_unavailable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(EngineUnavailable, match=r"espeak-ng is not installed: .*install espeak-ng"):
        EspeakEngine()


@pytest.fixture
def engine() -> EspeakEngine:
    return EspeakEngine()


@pytest.mark.tts
@needs_espeak
def test_renders_a_sentence(engine: EspeakEngine) -> None:
    start = time.perf_counter()
    rendered = engine.render("Breathe in slowly.", None, None)
    elapsed = time.perf_counter() - start
    assert rendered.sample_rate > 0
    assert len(rendered.pcm) % 2 == 0
    assert rendered.seconds > 0.3
    samples = np.frombuffer(rendered.pcm, dtype="<i2")
    assert np.abs(samples.astype(np.int32)).max() > 1000  # speech, not silence
    assert elapsed < 2.0  # ≈ 15 ms here; generous for a loaded machine


@pytest.mark.tts
@needs_espeak
def test_real_speech_prepares_to_an_onset_clip(engine: EspeakEngine) -> None:
    clip = np.frombuffer(
        prepare_clip(engine.render("Breathe in slowly.", None, None), 48000), dtype="<i2"
    ).astype(np.float64)
    assert abs(clip[0]) > np.abs(clip).max() * 10 ** (-AUDIBLE_BELOW_PEAK_DB / 20)
    assert clip[-1] == 0
    frames = clip[: clip.size // 480 * 480].reshape(-1, 480) / 32768
    power = (frames**2).mean(axis=1)
    voiced = power >= power.max() * 10 ** (-30 / 10)
    level = 10 * np.log10(power[voiced].mean())
    assert level == pytest.approx(TARGET_RMS_DBFS, abs=1.0)


@pytest.mark.tts
@needs_espeak
def test_rate_changes_length(engine: EspeakEngine) -> None:
    slow = engine.render("Breathe in slowly.", None, 100)
    fast = engine.render("Breathe in slowly.", None, 300)
    assert slow.seconds > 1.8 * fast.seconds


@pytest.mark.tts
@needs_espeak
def test_voices_include_english(engine: EspeakEngine) -> None:
    voices = engine.voices()
    assert len(voices) > 10
    assert any(lang.startswith("en") for v in voices for lang in v.languages)
    english = next(v for v in voices if "en-us" in v.languages)
    assert engine.render("Breathe out.", english.id, None).seconds > 0.3
    assert engine.render("Breathe out.", "en-us", None).seconds > 0.3


@pytest.mark.tts
@needs_espeak
def test_unknown_voice(engine: EspeakEngine) -> None:
    with pytest.raises(UnknownVoice, match=r"no-such-voice.*ground voices"):
        engine.render("Breathe in.", "no-such-voice", None)


@pytest.mark.tts
@needs_espeak
def test_text_that_looks_like_an_option_is_spoken(engine: EspeakEngine) -> None:
    assert engine.render("-v nonsense --help", None, None).seconds > 0.3


@pytest.mark.tts
@needs_espeak
def test_blank_text_is_no_audio(engine: EspeakEngine) -> None:
    assert engine.render("   ", None, None).pcm == b""


@pytest.mark.tts
@needs_espeak
def test_version(engine: EspeakEngine) -> None:
    assert engine.version()[0].isdigit()
    assert engine.version() == engine.version()
