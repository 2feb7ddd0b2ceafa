"""The language in use: --lang over the setting over the environment, catalogs, argparse's words."""

from __future__ import annotations

import argparse
import gettext
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.core import i18n


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "es_ES.UTF-8"}, "es"),
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LANG": "de_AT@euro"}, "de"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),  # no French: English
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        # gettext's order: LANGUAGE, LC_ALL, LC_MESSAGES, LANG; the first one set decides.
        ({"LANGUAGE": "de", "LC_ALL": "es_ES.UTF-8"}, "de"),
        ({"LC_ALL": "es_ES.UTF-8", "LC_MESSAGES": "de_DE", "LANG": "en_GB"}, "es"),
        ({"LC_MESSAGES": "de_DE.UTF-8", "LANG": "es_ES.UTF-8"}, "de"),
        ({"LANGUAGE": "", "LC_ALL": "", "LANG": "es_MX.UTF-8"}, "es"),  # empty is not set
        # LANGUAGE lists preferences: the first one ground has wins.
        ({"LANGUAGE": "fr:it:es:de"}, "es"),
        ({"LANGUAGE": "fr:it", "LANG": "de_DE.UTF-8"}, "en"),
        ({"LANGUAGE": "en_GB:es"}, "en"),
    ],
)
def test_the_environment_in_gettexts_order(environ: dict[str, str], expected: str) -> None:
    assert i18n.from_environment(environ) == expected


def test_lang_option_over_the_setting_over_the_environment() -> None:
    env = {"LANG": "de_DE.UTF-8"}
    assert i18n.choose(None, None, env) == "de"
    assert i18n.choose(None, "es", env) == "es"
    assert i18n.choose("en", "es", env) == "en"
    assert i18n.choose(None, "", env) == "de"  # an empty setting follows the environment
    assert i18n.choose(None, "klingon", env) == "en"  # a setting ground cannot speak: English


def test_the_lang_option_anywhere_on_the_command_line() -> None:
    assert i18n.split_option(["--lang", "es", "list"]) == ("es", ["list"])
    assert i18n.split_option(["list", "--lang=de", "--json"]) == ("de", ["list", "--json"])
    assert i18n.split_option(["now", "--lang", "de", "--lang", "es"]) == ("es", ["now"])
    assert i18n.split_option(["list"]) == (None, ["list"])
    # After `--` it is an argument, not an option: left alone.
    assert i18n.split_option(["ladder", "add", "--", "--lang"]) == (
        None,
        ["ladder", "add", "--", "--lang"],
    )
    with pytest.raises(i18n.UnknownLanguage, match="needs a language"):
        i18n.split_option(["list", "--lang"])


def test_an_unknown_language_is_named_with_the_choices() -> None:
    assert i18n.language_option("es_ES") == "es"
    with pytest.raises(i18n.UnknownLanguage, match="'fr'; choose one of: en, es, de"):
        i18n.language_option("fr")
    with pytest.raises(i18n.UnknownLanguage) as caught:
        i18n.language_option("\x1b[31mred")
    assert "\x1b" not in str(caught.value)


@pytest.mark.parametrize(
    ("lang", "settings", "start"),
    [("es", "Ajustes", "Empezar"), ("de", "Optionen", "Starten")],
)
def test_installed_catalogs_translate(lang: str, settings: str, start: str) -> None:
    i18n.install(lang)
    assert i18n.language() == lang
    assert i18n.translated()
    assert i18n._("Settings") == settings
    assert i18n._(i18n.N_("Start")) == start
    assert i18n._("a sentence no catalog has") == "a sentence no catalog has"
    i18n.install("en")
    assert i18n._("Settings") == "Settings"
    assert not i18n.translated()


def test_n_marks_without_translating() -> None:
    i18n.install("es")
    assert i18n.N_("Settings") == "Settings"  # translated only where it is shown


def test_every_language_but_english_has_a_compiled_catalog() -> None:
    for lang in i18n.SUPPORTED:
        mo = i18n.locale_dir() / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
        assert mo.is_file() == (lang != i18n.DEFAULT), mo
        if lang != i18n.DEFAULT:
            with mo.open("rb") as handle:
                assert gettext.GNUTranslations(handle).info()["language"] == lang


def test_language_names_follow_the_interface() -> None:
    assert i18n.language_label("es") == "Spanish"
    i18n.install("de")
    assert i18n.language_label("es") == "Spanisch"
    assert i18n.language_label("xx") == "xx"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ground")
    parser.add_argument("script")
    parser.add_argument("--pace", choices=("slow", "fast"))
    return parser


@pytest.mark.parametrize(
    ("lang", "usage", "options", "helps", "error"),
    [
        ("en", "usage: ", "options:", "show this help message and exit", "error:"),
        ("es", "uso: ", "opciones:", "muestra esta ayuda y sale", "error:"),
        ("de", "Aufruf: ", "Optionen:", "diese Hilfe anzeigen und beenden", "Fehler:"),
    ],
)
def test_argparses_own_words(
    lang: str, usage: str, options: str, helps: str, error: str, capsys: pytest.CaptureFixture[str]
) -> None:
    i18n.install(lang)
    text = _parser().format_help()
    assert text.startswith(usage)
    assert f"\n{options}\n" in text
    assert helps in text
    with pytest.raises(SystemExit):
        _parser().parse_args(["box", "--pace", "medium"])
    message = capsys.readouterr().err.splitlines()[-1]
    assert message.startswith(f"ground: {error}")
    assert "'medium'" in message


def test_argparses_words_in_our_catalog_are_the_ones_this_python_uses() -> None:
    """A Python that renamed one would leave it in English: the main ones are checked here."""
    source = Path(argparse.__file__).read_text(encoding="utf-8")
    for word in i18n.ARGPARSE_WORDS[:6]:  # usage, the groups, -h, the error line, required
        assert word.replace("\n", "\\n") in source, word


@pytest.mark.parametrize(("lang", "more"), [("en", set()), ("es", {"struct", "_struct"})])
def test_it_loads_nothing_the_hotkey_path_has_not_loaded_already(lang: str, more: set[str]) -> None:
    """gettext comes with argparse, the rest with what ``cli.main`` imports before it; a
    language's catalog is one small file read (struct: the clip cache's WAVs need it too), and
    neither Babel nor gettext's locale lookup is ever imported."""
    probe = (
        "import sys, argparse, contextlib, importlib, typing, collections.abc, pathlib;"
        "import assistant.core.safe; before = set(sys.modules);"
        f"from assistant.core import i18n; i18n.install({lang!r});"
        "print(' '.join(sorted(set(sys.modules) - before)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert set(done.stdout.split()) == {"assistant.core.i18n", *more}, done.stdout
