"""Scripts carry their language: the loader's ``lang``, the library by (id, language), spelled
numbers and ``ground check``'s words in Spanish and German."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core import i18n
from assistant.core.compiler import CompileOptions, spoken_texts
from assistant.core.library import (
    UnknownScript,
    every_shipped_script,
    load_library,
    shipped_script,
    shipped_scripts,
)
from assistant.core.loader import ScriptError, check_script, load_script
from assistant.core.model import PhaseKind, When
from assistant.core.wording import fill, setting_warnings, spell, talks_about_holding

SCRIPT = """id = "{id}"
{lang}title = "{title}"
summary = "Mine."
category = "breathe"

[[step]]
say = "{say}"

[[step]]
breathe = "Slow"
inhale = 4
exhale = 5.5
cycles = 2
"""


def write(folder: Path, script_id: str, *, lang: str | None = None, title: str = "Mine") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{script_id}.toml"
    line = f'lang = "{lang}"\n' if lang else ""
    text = SCRIPT.format(id=script_id, lang=line, title=title, say="In {inhale}, out {exhale}.")
    path.write_text(text, encoding="utf-8")
    return path


# -- the loader --------------------------------------------------------------------------------


def test_lang_is_read_and_defaults_to_the_language_given(tmp_path: Path) -> None:
    assert load_script(write(tmp_path, "a", lang="de")).lang == "de"
    assert load_script(write(tmp_path, "b")).lang == "en"
    assert load_script(write(tmp_path, "c"), default_lang="es").lang == "es"
    # Its own lang wins over the default.
    assert load_script(write(tmp_path, "d", lang="en"), default_lang="es").lang == "en"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"fr"', "lang 'fr' is not one of: en, es, de"),
        ('"\\u001b[31mes"', "lang '[31mes' is not one of: en, es, de"),
        ("3", "'lang' must be text"),
    ],
)
def test_a_language_ground_has_no_scripts_in_is_named_with_its_line(
    tmp_path: Path, value: str, message: str
) -> None:
    path = tmp_path / "x.toml"
    text = SCRIPT.format(id="x", lang=f"lang = {value}\n", title="X", say="Hello.")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScriptError) as info:
        load_script(path)
    problem = str(info.value.problems[0])
    assert problem.startswith(f"{path}:2: {message}"), problem


# -- spelled numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "en", "es", "de"),
    [
        (0.5, "a half", "medio", "eine halbe"),
        (1, "one", "uno", "eins"),
        (1.5, "one and a half", "uno y medio", "eineinhalb"),
        (4, "four", "cuatro", "vier"),
        (5.5, "five and a half", "cinco y medio", "fünfeinhalb"),
        (7, "seven", "siete", "sieben"),
        (16, "sixteen", "dieciséis", "sechzehn"),
        (21, "twenty-one", "veintiuno", "einundzwanzig"),
        (22, "twenty-two", "veintidós", "zweiundzwanzig"),
        (21.5, "twenty-one and a half", "veintiuno y medio", "einundzwanzigeinhalb"),
        (30, "thirty", "treinta", "dreißig"),
        (37.5, "thirty-seven and a half", "treinta y siete y medio", "siebenunddreißigeinhalb"),
        (4.8, "five", "cinco", "fünf"),  # to the nearest half
    ],
)
def test_seconds_are_spelled_in_the_scripts_language(
    seconds: float, en: str, es: str, de: str
) -> None:
    assert (spell(seconds), spell(seconds, "es"), spell(seconds, "de")) == (en, es, de)


def test_fill_spells_in_the_language_given() -> None:
    seconds = {PhaseKind.INHALE: 4.0, PhaseKind.EXHALE: 5.5}
    assert fill("{inhale}/{exhale}", seconds) == "four/five and a half"
    assert fill("{inhale}/{exhale}", seconds, "es") == "cuatro/cinco y medio"
    assert fill("{inhale}/{exhale}", seconds, "de") == "vier/fünfeinhalb"


def test_a_session_speaks_the_counts_in_its_scripts_language(tmp_path: Path) -> None:
    for lang, said in (("en", "four"), ("es", "cuatro"), ("de", "vier")):
        script = load_script(write(tmp_path / lang, "x", lang=lang))
        assert f"In {said}, out " in spoken_texts(script)[0]
    slower = load_script(write(tmp_path / "slow", "x", lang="de"))
    assert spoken_texts(slower, CompileOptions(pace=1.25))[0] == "In fünf, out sieben."


# -- what `ground check` looks for, by language --------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "warned"),
    [
        ("es", "Inhala contando hasta cuatro.", "hasta cuatro"),
        ("es", "Exhala durante seis segundos.", "durante seis"),
        ("es", "Seis segundos, y luego suelta.", "Seis segundos"),
        ("es", "Inhala contando hasta {inhale}.", None),
        ("de", "Atme vier Sekunden ein.", "vier Sekunden"),
        ("de", "Zähl bis fünfeinhalb.", "bis fünfeinhalb"),
        ("de", "Atme {inhale} Sekunden ein.", None),
        ("en", "Breathe in for four.", "for four"),
    ],
)
def test_counts_written_out_are_found_in_each_language(
    lang: str, text: str, warned: str | None
) -> None:
    found = setting_warnings(text, None, holds=False, breathing=True, stretchable=False, lang=lang)
    if warned is None:
        assert found == []
    else:
        assert len(found) == 1 and f"'{warned}'" in found[0]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "Sostén el aire un momento."),
        ("es", "Retén la respiración."),
        ("de", "Halte den Atem sanft an."),
        ("de", "Du hältst kurz inne."),
        ("en", "Hold gently."),
    ],
)
def test_talk_of_holding_is_found_in_each_language(lang: str, text: str) -> None:
    assert talks_about_holding(text, lang)
    found = setting_warnings(text, None, holds=True, breathing=True, stretchable=False, lang=lang)
    assert found and "--no-holds" in found[0]
    assert not setting_warnings(
        text, When.HOLDS, holds=True, breathing=True, stretchable=False, lang=lang
    )


def test_minutes_are_found_in_each_language() -> None:
    for lang, text in (("es", "Durante unos minutos."), ("de", "Für ein paar Minuten.")):
        found = setting_warnings(
            text, None, holds=False, breathing=True, stretchable=True, lang=lang
        )
        assert found and "--minutes" in found[0]


def test_check_reads_a_spanish_script_with_spanish_eyes(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    text = SCRIPT.format(id="x", lang='lang = "es"\n', title="X", say="Inhala hasta cuatro.")
    path.write_text(text, encoding="utf-8")
    script, problems = check_script(path)
    assert script is not None and script.lang == "es"
    assert [p.line for p in problems if p.warning] == [8]
    # The same words in an English script are not a count of seconds.
    path.write_text(text.replace('lang = "es"\n', ""), encoding="utf-8")
    assert check_script(path)[1] == []


# -- the library ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", i18n.SUPPORTED)
def test_the_library_shows_every_shipped_script_in_the_persons_language(lang: str) -> None:
    english = load_library(None, lang="en")
    library = load_library(None, lang=lang)
    assert set(library.scripts) == set(english.scripts)
    assert len(library.scripts) == 16
    assert {s.lang for s in library.scripts.values()} == {lang}
    assert all(s.shipped for s in library.scripts.values())
    box = library.get("box")
    assert box.id == "box" and box.lang == lang
    # Another version by language, and English by its (id, language).
    assert library.get("box", "en").lang == "en"


def test_the_library_follows_the_language_in_use() -> None:
    i18n.install("de")
    assert load_library(None).get("now").lang == "de"
    assert shipped_script("now").lang == "de"
    assert {s.lang for s in shipped_scripts()} == {"de"}


def test_shipped_scripts_keep_their_ids_across_languages() -> None:
    by_lang: dict[str, set[str]] = {}
    for script in every_shipped_script():
        by_lang.setdefault(script.lang, set()).add(script.id)
    assert set(by_lang) == set(i18n.SUPPORTED)
    assert by_lang["es"] == by_lang["de"] == by_lang["en"]


def test_a_script_not_written_in_a_language_is_played_in_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = tmp_path / "scripts"
    write(shipped, "calm")
    write(shipped, "only-english")
    write(shipped / "es", "calm", lang="es", title="Calma")
    monkeypatch.setattr("assistant.core.library.shipped_dir", lambda name: tmp_path / name)
    library = load_library(None, lang="es")
    assert library.get("calm").title == "Calma"
    assert library.get("only-english").lang == "en"
    assert shipped_script("only-english", "es").lang == "en"
    assert shipped_script("calm", "es").lang == "es"
    assert shipped_script("calm", "de").lang == "en"  # no German one: English
    with pytest.raises(UnknownScript):
        shipped_script("../scripts/calm")  # an id, never a path


def test_own_scripts_in_any_language_and_without_one_in_the_interfaces(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    write(mine, "plain")  # no lang: the interface's language
    write(mine, "auf-deutsch", lang="de")
    write(mine, "twice", lang="en", title="Twice")
    write(mine, "twice-es", lang="es")
    (mine / "twice-es.toml").write_text(
        (mine / "twice-es.toml").read_text(encoding="utf-8").replace("twice-es", "twice"),
        encoding="utf-8",
    )
    library = load_library(mine, lang="es")
    assert library.get("plain").lang == "es"
    assert library.get("auf-deutsch").lang == "de"  # theirs: shown whatever its language
    assert library.get("twice").lang == "es"  # the person's language first
    assert library.get("twice", "en").title == "Twice"
    assert not library.problems
    assert load_library(mine, lang="en").get("plain").lang == "en"


def test_an_own_script_cannot_take_a_shipped_id_in_another_language(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    write(mine, "box", lang="de")
    library = load_library(mine, lang="es")
    assert library.get("box").shipped and library.get("box").lang == "es"
    assert [p.message for p in library.problems] == [
        "id 'box' is already used by a shipped script; give this script a different id"
    ]


def test_the_script_cache_keeps_a_script_without_lang_per_language(tmp_path: Path) -> None:
    from assistant.storage.script_cache import cached_library

    mine = tmp_path / "mine"
    write(mine, "plain")
    for lang in ("es", "en", "de", "es"):
        i18n.install(lang)
        library, _cache = cached_library(mine)
        assert library.get("plain").lang == lang
        assert library.get("box").lang == lang
