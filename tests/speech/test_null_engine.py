"""The null engine: silence that lasts as long as the words would."""

from __future__ import annotations

import pytest

from assistant.speech import NullEngine


def test_identity() -> None:
    engine = NullEngine()
    assert engine.name == "none"
    assert engine.voices() == []
    assert engine.version() == engine.version()


def test_length_follows_word_count() -> None:
    rendered = NullEngine().render("Breathe in slowly.", None, None)
    assert rendered.sample_rate == 22050
    assert rendered.seconds == pytest.approx(3 / 2.5, abs=1e-4)
    assert not any(rendered.pcm)


def test_short_texts_get_the_minimum() -> None:
    assert NullEngine().render("In.", None, None).seconds == pytest.approx(0.4, abs=1e-4)
    assert NullEngine().render("", None, None).seconds == pytest.approx(0.4, abs=1e-4)


def test_rate_scales_the_length() -> None:
    engine = NullEngine()
    text = "Let your shoulders drop and your jaw soften."
    normal = engine.render(text, None, None).seconds
    assert engine.render(text, None, 175).seconds == pytest.approx(normal)
    assert engine.render(text, None, 350).seconds == pytest.approx(normal / 2, abs=1e-4)
    with pytest.raises(ValueError):
        engine.render(text, None, 0)


def test_any_voice_is_accepted() -> None:
    # The null engine is the last fallback: a voice set for another engine must not break it.
    assert NullEngine().render("Breathe.", "en-us", None).seconds > 0
