"""The voice follows the script's language: Automatic picks a Piper voice of that language, else
the system voice of it with one line on adding a natural one; the settings' voice speaks only
its own language; the timeline records the voice that spoke."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.core.library import shipped_script
from assistant.core.model import SpokenVoice
from assistant.session.request import SessionRequest, request_for
from assistant.session.voice import choose_voice, spoken_voice, voice_language
from assistant.speech.languages import base, tagged_language, tagged_voice
from assistant.speech.piper_voices import VoiceLibrary
from assistant.storage.settings import Settings
from tests.helpers.voices import piper_voice


#: The first bytes of an ONNX model (what `ground voices add` looks for); nothing loads these.
@pytest.fixture
def library(tmp_path: Path) -> VoiceLibrary:
    return VoiceLibrary(tmp_path / "voices", tmp_path / "memo.json")


@pytest.mark.parametrize(
    ("tag", "lang"),
    [
        ("es", "es"),
        ("es_ES", "es"),
        ("es-419", "es"),
        ("roa/es", "es"),
        ("gmw/en-US", "en"),
        ("gmw/de+f3", "de"),
        ("mb/mb-de4", "de"),
        ("English (America)", None),
        ("", None),
        (None, None),
    ],
)
def test_the_language_a_tag_or_voice_id_names(tag: str | None, lang: str | None) -> None:
    assert base(tag) == lang


def test_espeak_and_the_system_voice_speak_a_language_by_its_tag() -> None:
    assert tagged_voice("en") is None  # English: their default voice, as it always was
    assert tagged_voice("es") == "es"
    assert tagged_language("espeak", None) == "en"
    assert tagged_language("system", "roa/es") == "es"
    assert tagged_language("piper", "es_ES-x-medium") is None  # Piper's config says, not its id


def request(lang: str, **fields: object) -> SessionRequest:
    return SessionRequest(shipped_script("box", lang), **fields)


def test_automatic_speaks_a_spanish_script_with_a_spanish_piper_voice(
    library: VoiceLibrary, tmp_path: Path
) -> None:
    piper_voice(tmp_path / "voices", "de_DE-zum-medium", "de_DE")
    piper_voice(tmp_path / "voices", "es_ES-prueba-medium", "es_ES")
    assert choose_voice(request("es", engine="auto"), library) == (
        "piper",
        "es_ES-prueba-medium",
        None,
    )
    assert choose_voice(request("de", engine="auto"), library)[:2] == ("piper", "de_DE-zum-medium")
    # A second run finds it through the memo, as the hotkey path does.
    assert library.for_language("es") is not None
    assert "@es" in json.loads((tmp_path / "memo.json").read_text())["locations"]


def test_without_a_natural_voice_the_system_voice_speaks_it_and_says_how_to_add_one(
    library: VoiceLibrary,
) -> None:
    engine, voice, notice = choose_voice(request("es", engine="auto"), library)
    assert (engine, voice) == ("system", "es")
    assert notice is not None
    assert "No natural Spanish voice" in notice and "ground voices add NAME.onnx" in notice
    # The same line in the person's language.
    from assistant.core import i18n

    i18n.install("es")
    assert "ground voices add NOMBRE.onnx" in str(
        choose_voice(request("es", engine="auto"), library)[2]
    )


def test_piper_chosen_but_none_of_that_language_gives_the_system_voice(
    library: VoiceLibrary,
) -> None:
    engine, voice, notice = choose_voice(request("de", engine="piper"), library)
    assert (engine, voice) == ("system", "de")
    assert notice and "German" in notice


@pytest.mark.parametrize("engine", ["espeak", "system"])
def test_espeak_and_the_system_voice_take_the_scripts_language(engine: str) -> None:
    assert choose_voice(request("de", engine=engine), None) == (engine, "de", None)
    assert choose_voice(request("en", engine=engine), None) == (engine, None, None)


def test_the_settings_voice_speaks_only_scripts_of_its_own_language() -> None:
    settings = replace(Settings(), engine="espeak", voice="gmw/en-us")
    spanish = request_for(settings, shipped_script("box", "es"))
    english = request_for(settings, shipped_script("box", "en"))
    assert spanish.voice_from_settings
    assert choose_voice(spanish, None) == ("espeak", "es", None)
    assert choose_voice(english, None) == ("espeak", "gmw/en-us", None)
    spanish_voice = replace(settings, voice="roa/es-419")
    assert choose_voice(request_for(spanish_voice, shipped_script("box", "es")), None)[1] == (
        "roa/es-419"
    )
    assert choose_voice(request_for(spanish_voice, shipped_script("box", "en")), None)[1] is None


def test_a_voice_chosen_for_this_session_always_speaks() -> None:
    typed = request_for(Settings(engine="espeak"), shipped_script("box", "es"), voice="gmw/en-us")
    assert not typed.voice_from_settings
    assert choose_voice(typed, None) == ("espeak", "gmw/en-us", None)


def test_a_settings_piper_voice_of_another_language_gives_way(
    library: VoiceLibrary, tmp_path: Path
) -> None:
    piper_voice(tmp_path / "voices", "es_ES-prueba-medium", "es_ES")
    settings = replace(Settings(), engine="auto", voice="es_ES-prueba-medium")
    assert voice_language("auto", "es_ES-prueba-medium", library) == "es"
    spanish = request_for(settings, shipped_script("now", "es"))
    assert choose_voice(spanish, library)[:2] == ("auto", "es_ES-prueba-medium")
    english = request_for(settings, shipped_script("now", "en"))
    engine, voice, _ = choose_voice(english, library)
    assert voice != "es_ES-prueba-medium"
    assert engine in ("piper", "system")


def test_no_voice_is_no_voice() -> None:
    assert choose_voice(request("es", engine="none"), None) == ("none", None, None)


def test_the_voice_that_spoke_is_recorded() -> None:
    from assistant.speech.null import NullEngine
    from assistant.speech.renderer import SpeechRenderer

    assert spoken_voice(None, "es") == SpokenVoice("none", None, None)
    assert spoken_voice(SpeechRenderer(NullEngine(), None), "en") == SpokenVoice("none", None, None)


@pytest.mark.tts
def test_a_spanish_render_with_espeak_records_its_voice(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.session.build import build_offline

    mixer, notices = build_offline(request("es", engine="espeak"))
    assert mixer.timeline.voice == SpokenVoice("espeak", "es", "es")
    assert notices == []


@pytest.mark.tts
def test_a_stand_in_engine_speaks_the_scripts_language() -> None:
    from assistant.session.voice import next_renderer

    renderer, notice = next_renderer(request("de", engine="piper"), "piper", "it broke")
    assert renderer is not None and notice is not None
    assert renderer.voice == "de"
    renderer.engine.close()


def test_a_preview_is_of_the_chosen_voice_whatever_its_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from assistant.session import voice

    made: list[SessionRequest] = []

    def spy(request: SessionRequest) -> tuple[None, None]:
        made.append(request)
        return None, None

    monkeypatch.setattr(voice, "make_renderer", spy)
    settings = replace(Settings(), engine="espeak", voice="roa/es")
    request = request_for(settings, voice.preview_script())
    assert request.voice_from_settings  # an English sentence, a Spanish voice
    voice.prepare_preview(request, "Hola.")
    assert made[0].voice == "roa/es" and not made[0].voice_from_settings
    assert choose_voice(made[0], None) == ("espeak", "roa/es", None)
