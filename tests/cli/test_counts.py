"""Counts the command line states read right: one voice, one clip, one phrase, never "1 voices"."""

from __future__ import annotations

import argparse
import re

import pytest

from assistant.core.model import counted, length_text, whole_seconds


def test_counted() -> None:
    assert counted(1, "voice") == "1 voice"
    assert counted(0, "voice") == "0 voices"
    assert counted(131, "voice") == "131 voices"
    assert counted(2, "try", "tries") == "2 tries"
    assert counted(1200, "clip") == "1,200 clips"


def test_halves_round_up_in_every_length() -> None:
    assert whole_seconds(78.5) == 79 and length_text(78.5) == "1:19"
    assert whole_seconds(78.49) == 78


def _one_clip() -> None:
    from assistant.speech.cache import ClipCache
    from assistant.storage.paths import cache_dir

    cache = ClipCache(cache_dir() / "clips")
    cache.put(ClipCache.key("espeak", "1", None, 150, 48000, "Hi."), b"\x00\x00" * 100)


def test_doctor_and_cache_say_one_clip(capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.cli.cache_command import cache_command
    from assistant.cli.doctor_command import report

    _one_clip()
    text = report()
    assert "(1 clip, " in text
    assert not re.search(r"\b1 (voices|clips|phrases)\b", text), text
    assert re.search(r"practice log  \S+practice\.db$", text, re.MULTILINE)  # the file itself
    cache_command(argparse.Namespace(clear=False))
    assert "  1 clip, " in capsys.readouterr().out
    cache_command(argparse.Namespace(clear=True))
    assert capsys.readouterr().out.startswith("Removed 1 clip (")


def test_breath_lines_agree_with_one_sound() -> None:
    from assistant.cli.breath_command import rate_line
    from assistant.sound.breath import Analysis, BreathEvent

    tone = BreathEvent("exhale", 1.0, 1.5, noisiness=0.01)
    hiss = BreathEvent("exhale", 3.0, 5.0, noisiness=0.6)
    one = rate_line(Analysis((tone,), None, 10.0, clear=0))
    assert "the 1 sound heard is a tone or a voice, not breath" in one
    two = rate_line(Analysis((tone, tone), None, 10.0, clear=0))
    assert "the 2 sounds heard are tones or a voice" in two
    some = rate_line(Analysis((tone, hiss, tone), None, 10.0, clear=1))
    assert "1 of the 3 sounds heard sounds like breath" in some
    more = rate_line(Analysis((hiss, hiss, tone), None, 10.0, clear=2))
    assert "2 of the 3 sounds heard sound like breath" in more
