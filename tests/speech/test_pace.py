"""A rate becomes a Piper voice's length_scale through the voice's own pace; the pace and the
mapping are in the clip's cache key; a measured pace is kept beside the voice, safely."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from assistant.core.files import UnsafeTarget
from assistant.speech import pace as pace_module
from assistant.speech.base import Rendered
from assistant.speech.pace import (
    ASSUMED_PACE,
    PASSAGES,
    SHIPPED_PACES,
    Pace,
    measure,
    pace_of,
    pace_path,
    speech_seconds,
    store_pace,
    stored_pace,
    word_count,
    words_per_minute,
)
from assistant.speech.piper_voices import PiperVoiceFile, VoiceLibrary, voice_file
from tests.helpers.voices import piper_voice

RATE = 22050
JOE = SHIPPED_PACES["en_US-joe-medium"]


def clip(seconds_of_sound: float, quiet_before: float = 0.2, quiet_after: float = 0.3) -> Rendered:
    """A tone of ``seconds_of_sound`` with quiet either side (a little hiss, as Piper leaves)."""
    rng = np.random.default_rng(1)
    quiet = [rng.normal(0, 3, round(s * RATE)) for s in (quiet_before, quiet_after)]
    t = np.arange(round(seconds_of_sound * RATE)) / RATE
    tone = 8000 * np.sin(2 * np.pi * 220 * t)
    samples = np.concatenate([quiet[0], tone, quiet[1]]).astype("<i2")
    return Rendered(samples.tobytes(), RATE)


class LinearVoice:
    """A stand-in Piper voice: a word takes ``fixed + stretched * length_scale`` seconds."""

    def __init__(self, fixed: float, stretched: float) -> None:
        self.fixed, self.stretched = fixed, stretched
        self.scales: list[float | None] = []

    def render_scaled(self, text: str, found: PiperVoiceFile, scale: float | None) -> Rendered:
        self.scales.append(scale)
        words = word_count([text])
        return clip(words * (self.fixed + self.stretched * (scale or 1.0)))

    def words_per_minute(self, scale: float) -> float:
        return 60.0 / (self.fixed + self.stretched * scale)


def test_only_the_seconds_of_speech_count() -> None:
    assert speech_seconds(clip(1.5)) == pytest.approx(1.5, abs=0.02)
    assert speech_seconds(clip(1.5, quiet_before=2.0, quiet_after=0.0)) == pytest.approx(
        1.5, abs=0.02
    )
    # Ten words in two clips of 2 s of speech each: 150 words a minute, whatever the quiet.
    sentences = ["one two three four five", "six seven eight nine ten"]
    assert words_per_minute(sentences, [clip(2.0), clip(2.0, 1.0, 1.0)]) == pytest.approx(
        150, rel=0.01
    )
    with pytest.raises(ValueError, match="no speech"):
        words_per_minute(sentences, [Rendered(b"\x00\x00" * RATE, RATE)])


def test_every_language_with_scripts_has_a_passage() -> None:
    assert set(PASSAGES) == {"en", "es", "de"}
    assert all(word_count(sentences) >= 50 for sentences in PASSAGES.values())


def test_the_rate_is_the_pace_heard_on_the_line_through_the_two_measurements() -> None:
    voice = LinearVoice(fixed=0.06, stretched=0.18)  # Joe's shape: a quarter does not stretch
    pace = Pace(voice.words_per_minute(1.0), voice.words_per_minute(2.0))
    for rate in (80, 120, 150, 175, 220, 300):
        assert voice.words_per_minute(pace.length_scale(rate)) == pytest.approx(rate, rel=1e-9)
    # The old mapping, own pace / rate, spoke this voice too fast at the rates Settings uses.
    assert voice.words_per_minute(pace.at_1 / 150) > 150 * 1.1


def test_joes_pace_maps_the_usual_rates_slower_as_the_rate_falls() -> None:
    assert JOE.length_scale(JOE.at_1) == pytest.approx(1.0)
    assert JOE.length_scale(JOE.at_2) == pytest.approx(2.0)
    scales = [JOE.length_scale(rate) for rate in range(80, 301, 10)]
    assert scales == sorted(scales, reverse=True)
    assert JOE.length_scale(5) == 5.0 and JOE.length_scale(10_000) == 0.25  # kept within bounds


@pytest.mark.parametrize(
    "pace", [Pace(200, 200), Pace(200, 250), Pace(200, 10), Pace(900, 300), Pace(200, 195)]
)
def test_a_pace_that_is_no_line_is_not_usable(pace: Pace) -> None:
    assert not pace.usable()
    assert JOE.usable() and ASSUMED_PACE.usable()


def test_the_cache_key_part_names_the_mapping_and_the_pace(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert JOE.key() == f"{pace_module.MAPPING_VERSION}:248.0/142.9"
    assert Pace(230, 130).key() != JOE.key()
    monkeypatch.setattr(pace_module, "MAPPING_VERSION", pace_module.MAPPING_VERSION + 1)
    assert JOE.key().startswith(f"{pace_module.MAPPING_VERSION}:")


def test_measure_says_the_passage_at_length_scale_1_and_2(tmp_path: Path) -> None:
    voice = LinearVoice(fixed=0.08, stretched=0.2)
    found = voice_file(piper_voice(tmp_path, "de_DE-zum-medium", "de_DE"), "file")
    measured = measure(voice, found)
    assert measured is not None
    assert measured.at_1 == pytest.approx(voice.words_per_minute(1.0), rel=0.02)
    assert measured.at_2 == pytest.approx(voice.words_per_minute(2.0), rel=0.02)
    assert voice.scales == [1.0] * len(PASSAGES["de"]) + [2.0] * len(PASSAGES["de"])
    french = voice_file(piper_voice(tmp_path, "fr_FR-x-medium", "fr_FR"), "file")
    assert measure(voice, french) is None


def test_a_voice_that_does_not_slow_down_is_not_measured_as_one(tmp_path: Path) -> None:
    found = voice_file(piper_voice(tmp_path, "en_US-x-medium", "en_US"), "file")
    with pytest.raises(ValueError, match="not a voice's pace"):
        measure(LinearVoice(fixed=0.25, stretched=0.0), found)


def test_the_pace_used_is_the_stored_then_the_shipped_then_the_assumed(tmp_path: Path) -> None:
    mine = voice_file(piper_voice(tmp_path, "es_ES-prueba-medium", "es_ES"), "voices folder")
    assert pace_of(mine) == ASSUMED_PACE
    joe = voice_file(piper_voice(tmp_path, "en_US-joe-medium", "en_US"), "voices folder")
    assert pace_of(joe) == JOE
    store_pace(mine.model, Pace(201.26, 120.04))
    assert pace_of(mine) == Pace(201.3, 120.0)
    store_pace(joe.model, Pace(250.0, 150.0))  # measured for this very file: it wins
    assert pace_of(joe) == Pace(250.0, 150.0)


def test_a_stored_pace_is_written_whole_for_the_person_only(tmp_path: Path) -> None:
    model = piper_voice(tmp_path, "es_ES-prueba-medium", "es_ES")
    store_pace(model, Pace(201.26, 120.04))
    path = tmp_path / "es_ES-prueba-medium.onnx.pace.json"
    assert pace_path(model) == path
    assert path.read_bytes() == (
        b'{"version": 1, "at_length_scale_1": 201.3, "at_length_scale_2": 120.0}\n'
    )
    assert path.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "es_ES-prueba-medium.onnx",
        "es_ES-prueba-medium.onnx.json",
        "es_ES-prueba-medium.onnx.pace.json",
    ]  # no temporary file left


def test_a_stored_pace_is_never_written_through_a_link(tmp_path: Path) -> None:
    model = piper_voice(tmp_path / "voices", "es_ES-prueba-medium", "es_ES")
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"mine")
    pace_path(model).symlink_to(elsewhere)
    with pytest.raises(UnsafeTarget):
        store_pace(model, Pace(200, 120))
    assert elsewhere.read_bytes() == b"mine"
    assert pace_path(model).is_symlink()


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b"[]",
        b'{"version": 2, "at_length_scale_1": 200, "at_length_scale_2": 120}',
        b'{"version": 1, "at_length_scale_1": true, "at_length_scale_2": 120}',
        b'{"version": 1, "at_length_scale_1": "200", "at_length_scale_2": 120}',
        b'{"version": 1, "at_length_scale_1": 5000, "at_length_scale_2": 120}',
        b'{"version": 1, "at_length_scale_1": 120, "at_length_scale_2": 200}',
        b'{"version": 1, "at_length_scale_1": 200}',
        b"[" * 100_000,
    ],
)
def test_a_damaged_pace_file_is_ignored(tmp_path: Path, content: bytes) -> None:
    model = piper_voice(tmp_path, "es_ES-prueba-medium", "es_ES")
    pace_path(model).write_bytes(content)
    assert stored_pace(model) is None
    assert pace_of(voice_file(model, "voices folder")) == ASSUMED_PACE


def test_a_fifo_at_the_pace_path_never_blocks(tmp_path: Path) -> None:
    model = piper_voice(tmp_path, "es_ES-prueba-medium", "es_ES")
    os.mkfifo(pace_path(model))
    assert stored_pace(model) is None


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    """A Piper engine over fake voice files (nothing is loaded or rendered)."""
    from assistant.speech import piper_engine

    monkeypatch.setattr(piper_engine, "piper_installed", lambda: True)
    piper_voice(tmp_path / "voices", "es_ES-prueba-medium", "es_ES")
    library = VoiceLibrary(tmp_path / "voices", tmp_path / "cache" / "piper-voices.json")
    return piper_engine.PiperEngine(library)


def test_piper_maps_a_rate_through_the_voice_s_pace(engine: object, tmp_path: Path) -> None:
    from assistant.speech.piper_engine import PiperEngine

    assert isinstance(engine, PiperEngine)
    found = engine.voice_file("es_ES-prueba-medium")
    assert engine.length_scale(found, 150) == pytest.approx(ASSUMED_PACE.length_scale(150))
    assert engine.length_scale(found, None) is None  # the voice's own pace
    store_pace(found.model, Pace(180.0, 100.0))
    fresh = PiperEngine(engine.library)
    assert fresh.length_scale(found, 150) == pytest.approx(Pace(180, 100).length_scale(150))


def test_the_piper_cache_key_changes_with_the_pace_and_the_mapping(
    engine: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.speech import ClipCache, SpeechRenderer
    from assistant.speech.piper_engine import PiperEngine

    assert isinstance(engine, PiperEngine)
    cache = ClipCache(tmp_path / "clips", 48000)

    def key(eng: PiperEngine) -> str:
        return SpeechRenderer(eng, cache, "es_ES-prueba-medium", 150, 48000).key("Respira.")

    assumed = key(engine)
    assert engine.voice_digest(None).endswith(f"+pace {ASSUMED_PACE.key()}")
    assert key(PiperEngine(engine.library)) == assumed  # the same voice, pace and mapping
    version = pace_module.MAPPING_VERSION
    monkeypatch.setattr(pace_module, "MAPPING_VERSION", version + 1)
    assert key(PiperEngine(engine.library)) != assumed
    monkeypatch.setattr(pace_module, "MAPPING_VERSION", version)
    store_pace(engine.voice_file("es_ES-prueba-medium").model, Pace(180.0, 100.0))
    measured = key(PiperEngine(engine.library))
    assert measured != assumed
    assert json.loads(pace_path(engine.voice_file(None).model).read_text())["version"] == 1
