"""With the real Joe voice: the rate asked for is the words a minute of speech heard, and the
pace ground ships for Joe is what Joe measures; a voice added is measured when it is added."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.speech.pace import PASSAGES, SHIPPED_PACES, measure, stored_pace, words_per_minute
from assistant.speech.piper_engine import PiperEngine
from assistant.speech.piper_voices import VoiceLibrary

JOE = "en_US-joe-medium"

pytestmark = [pytest.mark.usefixtures("piper_installed"), pytest.mark.slow]


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[PiperEngine]:
    eng = PiperEngine(VoiceLibrary(tmp_path / "voices", tmp_path / "cache" / "voices.json"))
    yield eng
    eng.close()


@pytest.mark.parametrize("rate", [150, 120])
def test_joe_speaks_the_rate_asked_for(engine: PiperEngine, rate: int) -> None:
    sentences = PASSAGES["en"]
    heard = words_per_minute(sentences, [engine.render(s, JOE, rate) for s in sentences])
    assert heard == pytest.approx(rate, rel=0.10)


def test_the_shipped_paces_are_what_the_voices_measure(engine: PiperEngine) -> None:
    for voice, shipped in SHIPPED_PACES.items():
        found = engine.voice_file(voice)
        fresh = measure(engine, found)
        assert fresh is not None
        assert fresh.at_1 == pytest.approx(shipped.at_1, rel=0.05), voice
        assert fresh.at_2 == pytest.approx(shipped.at_2, rel=0.05), voice


def test_a_voice_added_is_measured_and_speaks_the_rate_asked_for(
    tmp_path: Path, ground_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Joe's model under another name stands in for a downloaded voice: its measured pace is
    Joe's, and it speaks the rate asked for through it."""
    from assistant.cli.main import main

    joe = next(v for v in VoiceLibrary().discover() if v.id == JOE)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    model = downloads / "en_GB-prueba-medium.onnx"
    shutil.copyfile(joe.model, model)
    config = json.loads(joe.config.read_text(encoding="utf-8"))
    (downloads / "en_GB-prueba-medium.onnx.json").write_text(json.dumps(config), encoding="utf-8")
    assert main(["voices", "add", str(model)]) == 0
    assert "Measuring how fast it speaks" in capsys.readouterr().out
    installed = ground_home / "data" / "voices" / "en_GB-prueba-medium.onnx"
    kept = stored_pace(installed)
    assert kept is not None
    assert kept.at_1 == pytest.approx(SHIPPED_PACES[JOE].at_1, rel=0.05)
    library = VoiceLibrary(installed.parent, tmp_path / "cache" / "voices.json")
    added = PiperEngine(library)
    try:
        sentences = PASSAGES["en"]
        clips = [added.render(s, "en_GB-prueba-medium", 120) for s in sentences]
        assert words_per_minute(sentences, clips) == pytest.approx(120, rel=0.10)
    finally:
        added.close()
