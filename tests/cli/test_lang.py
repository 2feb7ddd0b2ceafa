"""`ground` in the person's language: --lang over the setting over LANG, the help (argparse's own
words too), the scripts listed, the check, the voice in the timeline; machine output unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli.main import main
from assistant.storage.paths import settings_file, user_scripts_dir
from tests.helpers.cli import ground


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("C.UTF-8", ["usage: ground", "options:", "show this help message and exit", "Your files"]),
        (
            "es_ES.UTF-8",
            [
                "uso: ground",
                "argumentos posicionales:",
                "opciones:",
                "muestra esta ayuda y sale",
                "muestra la versión del programa y sale",
                "los ejercicios que puedes reproducir",
                "Tus archivos (solo tú puedes leerlos):",
            ],
        ),
        (
            "de_DE.UTF-8",
            [
                "Aufruf: ground",
                "Positionsargumente:",
                "Optionen:",
                "diese Hilfe anzeigen und beenden",
                "die Übungen, die du abspielen kannst",
                "Deine Dateien (nur für dich lesbar):",
            ],
        ),
    ],
)
def test_help_is_in_the_language_of_lang(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    locale: str,
    words: list[str],
) -> None:
    monkeypatch.setenv("LANG", locale)
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for word in words:
        assert word in out, word
    assert out.startswith(words[0])


def test_lang_over_the_setting_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    assert run(capsys, "--help")[1].startswith("uso:")
    settings_file().parent.mkdir(parents=True, exist_ok=True)
    settings_file().write_text('language = "de"\n', encoding="utf-8")
    assert run(capsys, "--help")[1].startswith("Aufruf:")
    assert run(capsys, "--lang", "en", "--help")[1].startswith("usage:")
    assert run(capsys, "--help", "--lang=es")[1].startswith("uso:")  # after it, too


def test_an_unknown_language_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list", "--lang", "fr")
    assert code == 2 and out == ""
    assert err == "ground: unknown language 'fr'; choose one of: en, es, de\n"
    code, _, err = run(capsys, "list", "--lang")
    assert code == 2 and err.count("\n") == 1 and "--lang needs a language" in err


def test_a_settings_language_ground_does_not_have_is_english(
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings_file().parent.mkdir(parents=True, exist_ok=True)
    settings_file().write_text('language = "fr"\n', encoding="utf-8")
    code, out, err = run(capsys, "--help")
    assert code == 0 and out.startswith("usage:") and err == ""


def test_argparses_errors_in_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--lang", "de", "play")
    assert code == 2
    assert err.splitlines()[-1] == "ground play: Fehler: diese Argumente fehlen: SCRIPT"


@pytest.mark.parametrize("lang", ["es", "de"])
def test_list_shows_as_many_scripts_in_each_language(
    lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "list", "--json")
    english = json.loads(out)["scripts"]
    code, out, _ = run(capsys, "--lang", lang, "list", "--json")
    assert code == 0
    scripts = json.loads(out)["scripts"]
    assert len(scripts) == len(english) == 16
    assert {s["id"] for s in scripts} == {s["id"] for s in english}
    assert {s["lang"] for s in scripts} == {lang}
    # Machine-readable output keeps its keys whatever the language.
    assert [sorted(s) for s in scripts] == [sorted(s) for s in english]
    assert {s["title"] for s in scripts}.isdisjoint({s["title"] for s in english} - {"Box"})
    code, text, _ = run(capsys, "--lang", lang, "list")
    titles = [s["title"] for s in scripts]
    assert all(title in text for title in titles)


def test_own_scripts_in_another_language_are_listed_and_marked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = user_scripts_dir()
    folder.mkdir(parents=True)
    text = (
        'id = "mein"\nlang = "de"\ntitle = "Meins"\nsummary = "Nur für mich."\n'
        'category = "breathe"\n\n[[step]]\nsay = "Hallo."\n'
    )
    (folder / "mein.toml").write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "--lang", "es", "list")
    assert code == 0
    assert "Meins (tuyo, de)" in out
    code, out, _ = run(capsys, "--lang", "de", "list")
    assert "Meins (deine)" in out


def test_check_warns_when_no_voice_speaks_the_scripts_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers.paths import REPO

    asked: list[str] = []

    def nobody(lang: str) -> bool:
        asked.append(lang)
        return False

    monkeypatch.setattr("assistant.session.voice.language_has_voice", nobody)
    es = REPO / "scripts" / "es"
    code, out, _ = run(capsys, "check", str(es / "box.toml"), str(es / "now.toml"))
    assert code == 0  # a warning, not an error
    warnings = [line for line in out.splitlines() if "warning:" in line]
    assert len(warnings) == 2
    assert warnings[0].startswith(f"{es / 'box.toml'}: warning: no voice installed here speaks")
    assert "Spanish" in warnings[0] and "ground voices add NAME.onnx" in warnings[0]
    assert asked == ["es"]  # asked once for every file in that language
    code, out, _ = run(capsys, "check", str(REPO / "scripts" / "box.toml"))
    assert "warning" not in out  # English always has the default voice


@pytest.mark.tts
def test_espeak_speaks_spanish_and_german_here() -> None:
    from assistant.session.voice import language_has_voice

    assert language_has_voice("es") and language_has_voice("de")
    assert not language_has_voice("qq")


@pytest.mark.tts
@pytest.mark.slow
@pytest.mark.parametrize("locale", ["es_ES.UTF-8", "de_DE.UTF-8"])
def test_the_timeline_records_the_voice_of_the_scripts_language(
    tmp_path: Path, locale: str
) -> None:
    """As a person would run it: LANG set, the automatic voice, no Piper voice of the language."""
    lang = locale[:2]
    out = tmp_path / "box.json"
    done = ground(
        "render", "box", "--engine", "espeak", "-o", str(tmp_path / "box.wav"),
        "--timeline", str(out), env={"LANG": locale},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    timeline = json.loads(out.read_text(encoding="utf-8"))
    assert timeline["voice"] == {"engine": "espeak", "id": lang, "language": lang}
    said = " ".join(e["text"] for e in timeline["events"] if e["kind"] == "say")
    assert {"es": "cuatro", "de": "vier"}[lang] in said  # the counts in its words
    assert "four" not in said


def test_the_timeline_says_when_no_voice_spoke(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "box.json"
    code, _, _ = run(
        capsys, "render", "box", "--engine", "none", "--breaths", "2",
        "-o", str(tmp_path / "box.wav"), "--timeline", str(out),
    )  # fmt: skip
    assert code == 0
    assert json.loads(out.read_text())["voice"] == {"engine": "none", "id": None, "language": None}


@pytest.mark.slow
def test_the_hotkey_parser_takes_lang_too() -> None:
    done = ground("--lang", "es", "now", "--help")
    assert done.returncode == 0 and done.stdout.startswith("uso: ground now")
    assert "--lang LANG" in done.stdout


@pytest.mark.parametrize(("lang", "automatic"), [("es", "Automática:"), ("de", "Automatisch:")])
def test_doctor_names_the_automatic_voice_of_the_persons_language(
    lang: str, automatic: str
) -> None:
    """A Spanish session speaks with a Spanish voice: doctor (and Settings, through the same
    call) must not name the English natural voice as the automatic one."""
    done = ground("--lang", lang, "doctor")
    assert done.returncode == 0, done.stderr
    [line] = [line for line in done.stdout.splitlines() if "auto:" in line]
    assert automatic in line and "Joe" not in line, line
