"""Every shipped script in Spanish and German: the same exercise as the English, checked clean,
and spoken with a voice of its language.

The words are the translators' own (not word for word); what must match the English is what
the timing contract and the safety promises rest on: the steps, the breathing, the conditions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.core.compiler import CompileOptions, step_texts
from assistant.core.loader import check_script
from assistant.core.model import Breathe, Chime, Say, Script, Section, Silence, SpokenVoice, Step
from assistant.core.wording import LADDER_PLACEHOLDERS, placeholders
from tests.helpers.paths import REPO

SCRIPTS = REPO / "scripts"
ENGLISH = sorted(SCRIPTS.glob("*.toml"))
LANGS = ("es", "de")
TRANSLATED = [(lang, path) for lang in LANGS for path in ENGLISH]


def _id(value: Any) -> str:
    return value.stem if isinstance(value, Path) else str(value)


def load(path: Path) -> Script:
    script, problems = check_script(path)
    assert script is not None, [str(p) for p in problems]
    return script


def shape(step: Step) -> tuple[Any, ...]:
    """What a step must keep across languages (not its words, nor a say's pause)."""
    if isinstance(step, Say):
        names = sorted(placeholders(step.text))
        return ("say", step.when, step.optional, step.otherwise is not None, names)
    if isinstance(step, Chime):
        return ("chime", step.sound, step.when, step.optional)
    if isinstance(step, Silence):
        return ("pause", step.when, step.optional)
    if isinstance(step, Section):
        return ("section", step.when)
    assert isinstance(step, Breathe)
    return (
        "breathe",
        step.pattern,
        step.cycles,
        step.max_cycles,
        tuple(kind for kind, _ in step.words),
        step.words_for,
        step.tones,
        bool(step.notes),
        step.notes_every,
    )


def test_every_english_script_is_written_in_each_language() -> None:
    ids = {path.stem for path in ENGLISH}
    assert len(ids) == 16
    for lang in LANGS:
        assert {path.stem for path in (SCRIPTS / lang).glob("*.toml")} == ids, lang


@pytest.mark.parametrize(("lang", "english"), TRANSLATED, ids=_id)
def test_the_same_exercise_in_another_language(lang: str, english: Path) -> None:
    original = load(english)
    translated = load(SCRIPTS / lang / english.name)
    assert translated.id == original.id
    assert translated.lang == lang and original.lang == "en"
    assert translated.category is original.category
    assert translated.minutes == original.minutes
    assert bool(translated.safety) == bool(original.safety)
    assert [shape(s) for s in translated.steps] == [shape(s) for s in original.steps]
    assert translated.title != original.title or lang == "de"  # "Box-Atmung" may echo "Box"


@pytest.mark.parametrize(("lang", "english"), TRANSLATED, ids=_id)
def test_check_has_nothing_to_say_about_it(lang: str, english: Path) -> None:
    from assistant.core.loader import guidance_warnings
    from assistant.session import estimate_timeline

    path = SCRIPTS / lang / english.name
    script, problems = check_script(path)
    assert script is not None
    problems += guidance_warnings(script, lambda options: estimate_timeline(script, options))
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize(("lang", "english"), TRANSLATED, ids=_id)
def test_nothing_english_is_left_in_what_is_spoken(lang: str, english: Path) -> None:
    script = load(SCRIPTS / lang / english.name)
    english_words = {"breathe", "the", "and", "you", "your", "hold", "slowly"}
    for options in (CompileOptions(), CompileOptions(no_holds=True), CompileOptions(pace=1.25)):
        for texts in step_texts(script, options):
            for text in texts:
                assert not [n for n in placeholders(text) if n not in LADDER_PLACEHOLDERS], text
                words = {w.strip(".,;:!?¿¡\"'").lower() for w in text.split()}
                assert not words & english_words, text


# -- spoken with espeak-ng in its language --------------------------------------------------------


class Asked:
    """Records every voice espeak-ng was run with."""

    def __init__(self) -> None:
        self.voices: list[str | None] = []


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> Asked:
    from assistant.speech import espeak

    record = Asked()
    real = espeak.EspeakEngine._speak_into

    def spy(self: Any, tmp: str, text: str, voice: str | None, rate: int | None) -> Any:
        record.voices.append(voice)
        return real(self, tmp, text, voice, rate)

    monkeypatch.setattr(espeak.EspeakEngine, "_speak_into", spy)
    return record


@pytest.mark.tts
@pytest.mark.slow
@pytest.mark.parametrize(("lang", "english"), TRANSLATED, ids=_id)
def test_each_renders_with_espeak_in_its_language(lang: str, english: Path, asked: Asked) -> None:
    from assistant.core.compiler import spoken_texts
    from assistant.core.model import EventKind
    from assistant.session import SessionRequest
    from assistant.session.build import build_offline

    script = load(SCRIPTS / lang / english.name)
    # The settings' English voice is for English scripts: this one speaks in its own language.
    request = SessionRequest(script, engine="espeak", voice="gmw/en-us", voice_from_settings=True)
    mixer, notices = build_offline(request)
    timeline = mixer.timeline
    assert notices == []
    assert timeline.voice == SpokenVoice("espeak", lang, lang)
    assert asked.voices and set(asked.voices) == {lang}  # every phrase rendered in it
    said = [e.text for e in timeline.events if e.kind is EventKind.SAY]
    assert said and set(said) <= set(spoken_texts(script))
    assert timeline.total_frames > 0
