"""`ground voices add FILE.onnx`: a downloaded Piper voice checked, then copied whole, or not at
all; names are data; nothing is fetched."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from assistant.cli.main import main
from assistant.speech.piper_voices import (
    VoiceRefused,
    check_voice_to_add,
    install_voice,
)
from tests.helpers.voices import ONNX_HEAD, piper_voice


@pytest.fixture
def voices(ground_home: Path) -> Path:
    return ground_home / "data" / "voices"


@pytest.fixture
def no_piper(monkeypatch: pytest.MonkeyPatch) -> None:
    """Piper not installed: the files are checked, not loaded (these models are not real)."""
    monkeypatch.setattr("assistant.speech.piper_engine.piper_installed", lambda: False)


def add(*args: str) -> int:
    return main(["voices", "add", *args])


@pytest.mark.usefixtures("no_piper")
def test_a_voice_is_copied_into_the_voices_folder(
    tmp_path: Path, voices: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = piper_voice(tmp_path / "downloads", "es_ES-prueba-medium", "es_ES")
    assert add(str(model)) == 0
    out = capsys.readouterr().out
    assert "Installed the Piper voice es_ES-prueba-medium (Spanish)" in out
    assert "Piper is not installed" in out
    assert (voices / "es_ES-prueba-medium.onnx").read_bytes() == model.read_bytes()
    config = voices / "es_ES-prueba-medium.onnx.json"
    assert config.read_bytes() == model.with_name(model.name + ".json").read_bytes()
    assert sorted(p.name for p in voices.iterdir()) == [
        "es_ES-prueba-medium.onnx",
        "es_ES-prueba-medium.onnx.json",
    ]  # no temporary file left behind
    assert (voices.stat().st_mode & 0o777) == 0o700


@pytest.mark.usefixtures("no_piper")
def test_an_installed_voice_is_replaced_only_when_asked(
    tmp_path: Path, voices: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = piper_voice(tmp_path / "a", "de_DE-zum-medium", "de_DE")
    assert add(str(model)) == 0
    newer = piper_voice(tmp_path / "b", "de_DE-zum-medium", "de_AT")
    capsys.readouterr()
    assert add(str(newer)) == 2
    err = capsys.readouterr().err
    assert "already installed" in err and "--replace" in err and err.count("\n") == 1
    assert json.loads((voices / "de_DE-zum-medium.onnx.json").read_text())["language"] == {
        "code": "de_DE"
    }
    assert add(str(newer), "--replace") == 0
    assert "de_AT" in (voices / "de_DE-zum-medium.onnx.json").read_text()


def refusal(tmp_path: Path, case: str) -> Path:
    folder = tmp_path / "downloads"
    model = piper_voice(folder, "es_ES-prueba-medium", "es_ES")
    config = model.with_name(model.name + ".json")
    if case == "not onnx":
        model.write_bytes(b"<html>404 not found</html>")
    elif case == "no config":
        config.unlink()
    elif case == "config not json":
        config.write_text("{ nope", encoding="utf-8")
    elif case == "config a list":
        config.write_text("[]", encoding="utf-8")
    elif case == "no language":
        config.write_text(json.dumps({"audio": {"sample_rate": 22050}}), encoding="utf-8")
    elif case == "no sample rate":
        config.write_text(json.dumps({"language": {"code": "es_ES"}}), encoding="utf-8")
    elif case == "wrong suffix":
        model = model.rename(folder / "voice.bin")
    elif case == "hostile name":
        model = model.rename(folder / "\x1b[31mred.onnx")
        config.rename(folder / "\x1b[31mred.onnx.json")
    elif case == "a fifo":
        model.unlink()
        os.mkfifo(model)
    elif case == "missing":
        model.unlink()
    return model


@pytest.mark.usefixtures("no_piper")
@pytest.mark.parametrize(
    ("case", "says"),
    [
        ("not onnx", "is not an ONNX model"),
        ("no config", "is missing: a Piper voice comes as NAME.onnx with NAME.onnx.json"),
        ("config not json", "not valid JSON"),
        ("config a list", "not valid JSON"),
        ("no language", "names no language"),
        ("no sample rate", "names no usable sample rate"),
        ("wrong suffix", "is not a Piper voice: give the NAME.onnx file"),
        ("hostile name", "rename the file"),
        ("a fifo", "is not a regular file"),
        ("missing", "no such file"),
    ],
)
def test_a_file_that_is_not_a_piper_voice_is_refused_with_one_line(
    tmp_path: Path, voices: Path, capsys: pytest.CaptureFixture[str], case: str, says: str
) -> None:
    model = refusal(tmp_path, case)
    assert add(str(model)) == 2
    err = capsys.readouterr().err
    assert says in err, err
    assert err.count("\n") == 1 and "\x1b" not in err
    assert not voices.exists() or not list(voices.iterdir())  # nothing copied


def test_nothing_is_left_when_a_copy_cannot_be_put_in_place(tmp_path: Path) -> None:
    model = piper_voice(tmp_path / "downloads", "es_ES-prueba-medium", "es_ES")
    folder = tmp_path / "voices"
    folder.mkdir()
    (folder / "es_ES-prueba-medium.onnx").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(VoiceRefused, match="symbolic link"):
        install_voice(check_voice_to_add(model), folder, replace=True)
    assert [p.name for p in folder.iterdir()] == ["es_ES-prueba-medium.onnx"]
    assert not (tmp_path / "elsewhere").exists()


def test_a_big_model_head_is_read_not_the_model(tmp_path: Path) -> None:
    model = piper_voice(tmp_path, "de_DE-gross-high", "de_DE")
    with model.open("ab") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB that cost nothing to check
    found = check_voice_to_add(model)
    assert (found.id, found.language, found.sample_rate) == ("de_DE-gross-high", "de_DE", 22050)
    assert model.read_bytes()[: len(ONNX_HEAD)] == ONNX_HEAD


@pytest.mark.slow
@pytest.mark.usefixtures("piper_installed")
def test_a_model_piper_cannot_load_is_refused(
    tmp_path: Path, voices: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = piper_voice(tmp_path / "downloads", "es_ES-roto-medium", "es_ES")
    assert add(str(model)) == 2
    err = capsys.readouterr().err
    assert "Piper could not use" in err and "nothing was installed" in err
    assert not voices.exists() or not list(voices.iterdir())


@pytest.mark.slow
@pytest.mark.usefixtures("piper_installed")
def test_a_real_voice_added_speaks_the_scripts_of_its_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Joe's model, labelled Spanish, stands in for a downloaded Spanish voice."""
    from assistant.speech.piper_voices import VoiceLibrary

    joe = next(v for v in VoiceLibrary().discover() if v.id == "en_US-joe-medium")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    model = downloads / "es_ES-prueba-medium.onnx"
    shutil.copyfile(joe.model, model)
    config = json.loads(joe.config.read_text(encoding="utf-8"))
    config["language"] = {"code": "es_ES"}
    (downloads / "es_ES-prueba-medium.onnx.json").write_text(json.dumps(config), encoding="utf-8")
    assert add(str(model)) == 0
    assert "Scripts in Spanish now speak with it" in capsys.readouterr().out
    timeline = tmp_path / "now.json"
    assert (
        main(
            [
                "--lang", "es", "render", "thirty-seconds", "--engine", "auto",
                "-o", str(tmp_path / "now.wav"), "--timeline", str(timeline),
            ]
        )
        == 0
    )  # fmt: skip
    voice = json.loads(timeline.read_text(encoding="utf-8"))["voice"]
    assert voice == {"engine": "piper", "id": "es_ES-prueba-medium", "language": "es"}
