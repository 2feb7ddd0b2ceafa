"""`ground voices add` measures the added voice's pace (saying so) and keeps it beside the voice:
whole, for the person only, never through a link; a pace it cannot keep is said, not hidden."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.cli.main import main
from assistant.speech import pace as pace_module
from assistant.speech.pace import Pace, pace_path, store_pace, stored_pace
from assistant.speech.piper_voices import PiperVoiceFile
from tests.helpers.voices import piper_voice

MEASURED = Pace(201.0, 117.5)


@pytest.fixture
def voices(ground_home: Path) -> Path:
    return ground_home / "data" / "voices"


@pytest.fixture
def measured(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Piper "installed", loading and measuring faked (these models are not real): the ids of
    the voices measured."""
    from assistant.speech import piper_engine

    ids: list[str] = []

    def measure(engine: object, found: PiperVoiceFile) -> Pace:
        ids.append(found.id)
        return MEASURED

    monkeypatch.setattr(piper_engine, "piper_installed", lambda: True)
    monkeypatch.setattr(piper_engine.PiperEngine, "check_files", lambda self, found: None)
    monkeypatch.setattr(pace_module, "measure", measure)
    return ids


def test_an_added_voice_is_measured_and_its_pace_kept_beside_it(
    tmp_path: Path, voices: Path, measured: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    model = piper_voice(tmp_path / "downloads", "es_ES-prueba-medium", "es_ES")
    assert main(["voices", "add", str(model)]) == 0
    out = capsys.readouterr().out
    assert out.index("Measuring how fast it speaks") < out.index("Installed the Piper voice")
    assert measured == ["es_ES-prueba-medium"]
    kept = voices / "es_ES-prueba-medium.onnx.pace.json"
    assert kept.read_bytes() == (
        b'{"version": 1, "at_length_scale_1": 201.0, "at_length_scale_2": 117.5}\n'
    )
    assert kept.stat().st_mode & 0o777 == 0o600
    assert stored_pace(voices / "es_ES-prueba-medium.onnx") == MEASURED


def test_a_voice_in_a_language_without_a_passage_is_not_measured_nor_given_an_old_pace(
    tmp_path: Path, voices: Path, measured: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    model = piper_voice(tmp_path / "downloads", "fr_FR-essai-medium", "fr_FR")
    voices.mkdir(parents=True)
    store_pace(voices / "fr_FR-essai-medium.onnx", Pace(300, 170))  # the voice it replaces
    assert main(["voices", "add", "--replace", str(model)]) == 0
    assert "Measuring" not in capsys.readouterr().out
    assert measured == []
    assert not pace_path(voices / "fr_FR-essai-medium.onnx").exists()  # assumed, not stale


def test_a_pace_that_cannot_be_kept_is_said_and_the_voice_still_installed(
    tmp_path: Path, voices: Path, measured: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    model = piper_voice(tmp_path / "downloads", "de_DE-zum-medium", "de_DE")
    voices.mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"mine")
    (voices / "de_DE-zum-medium.onnx.pace.json").symlink_to(elsewhere)
    assert main(["voices", "add", str(model)]) == 0
    captured = capsys.readouterr()
    assert "Installed the Piper voice de_DE-zum-medium" in captured.out
    [line] = captured.err.splitlines()
    assert "Its pace could not be kept in" in line and "symbolic link" in line
    assert "assumed pace" in line
    assert elsewhere.read_bytes() == b"mine"  # never written through the link
    assert (voices / "de_DE-zum-medium.onnx").read_bytes() == model.read_bytes()


def test_a_voice_that_cannot_be_measured_is_not_installed(
    tmp_path: Path, voices: Path, measured: list[str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    def silent(engine: object, found: PiperVoiceFile) -> Pace:
        raise ValueError("no speech in the rendered clips")

    monkeypatch.setattr(pace_module, "measure", silent)
    model = piper_voice(tmp_path / "downloads", "es_ES-mudo-medium", "es_ES")
    assert main(["voices", "add", str(model)]) == 2
    err = capsys.readouterr().err
    assert "Piper could not use" in err and "no speech" in err and "nothing was installed" in err
    assert "Traceback" not in err
    assert not voices.exists() or not list(voices.iterdir())
