"""The es and de catalogs translate every word the code marks, and the shipped .mo files are them.

The words are extracted from the code here, as ``make catalogs`` does, so a word marked with
``_()`` and not yet translated (or still fuzzy) fails this test until a translator has filled it
in and ``make mo`` compiled it (assistant/locale/README.md).
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from assistant.core import i18n
from tests.helpers.paths import REPO

LOCALE = REPO / "assistant" / "locale"
TRANSLATED = [lang for lang in i18n.SUPPORTED if lang != i18n.DEFAULT]
#: The keywords `make catalogs` extracts with (the Makefile's -k options).
KEYWORDS: dict[str, Any] = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def _key(message: str | tuple[str, ...]) -> str:
    return message if isinstance(message, str) else message[0]


@pytest.fixture(scope="module")
def marked() -> dict[str, str]:
    """Every word the code marks, with the first place that marks it."""
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(REPO / "assistant"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.setdefault(_key(message), f"assistant/{filename}:{lineno}")
    return found


def _catalog(lang: str) -> Catalog:
    with (LOCALE / lang / "LC_MESSAGES" / "ground.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def test_the_code_marks_words_to_translate(marked: dict[str, str]) -> None:
    assert len(marked) > 50
    assert "Settings" in marked and "usage: " in marked


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_marked_word_is_translated_and_not_fuzzy(lang: str, marked: dict[str, str]) -> None:
    catalog = _catalog(lang)
    missing = []
    for msgid, where in sorted(marked.items()):
        entry = catalog.get(msgid)
        strings = [] if entry is None else entry.string
        strings = [strings] if isinstance(strings, str) else list(strings)
        if entry is None or entry.fuzzy or not all(strings):
            state = "missing" if entry is None else "fuzzy" if entry.fuzzy else "untranslated"
            missing.append(f"{where}: {state}: {msgid!r}")
    assert not missing, f"{lang}: run `make catalogs`, translate, `make mo`:\n" + "\n".join(missing)


_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdr]|%[sdr]|\{[a-z_]*\}")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_every_placeholder(lang: str) -> None:
    for entry in _catalog(lang):
        if not entry.id:
            continue
        ids = [entry.id] if isinstance(entry.id, str) else list(entry.id)
        strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        wanted = sorted(_PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert sorted(_PLACEHOLDER.findall(string)) == wanted, (lang, entry.id, string)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_compiled_catalog_is_the_po_file(lang: str) -> None:
    """The .mo ground reads says exactly what the .po says (`make mo` after every edit)."""
    with (LOCALE / lang / "LC_MESSAGES" / "ground.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = _catalog(lang)
    expected: dict[Any, Any] = {}
    for entry in catalog:
        if not entry.id or entry.fuzzy:
            continue
        if isinstance(entry.id, str):
            expected[entry.id] = entry.string
        else:
            for form, string in enumerate(entry.string):
                expected[(entry.id[0], form)] = string
    shipped = {key: value for key, value in compiled._catalog.items() if key != ""}
    assert shipped == expected


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_catalog_keeps_words_the_code_no_longer_has(lang: str, marked: dict[str, str]) -> None:
    stale = [entry.id for entry in _catalog(lang) if entry.id and _key(entry.id) not in marked]
    assert not stale, f"{lang}: run `make catalogs` (then `make mo`) to drop {stale}"


def test_the_template_is_where_make_catalogs_writes_it() -> None:
    assert (LOCALE / "ground.pot").is_file()
    assert "LOCALES := es de" in (REPO / "Makefile").read_text(encoding="utf-8")
    assert set(TRANSLATED) == {"es", "de"}
    assert all(Path(LOCALE / lang).is_dir() for lang in TRANSLATED)
