"""The language ground shows and speaks: chosen once at start-up, words through gettext catalogs.

The language is ``--lang``, else the ``language`` setting, else the environment (``LANGUAGE``,
``LC_ALL``, ``LC_MESSAGES``, ``LANG``, in gettext's order). Only :data:`SUPPORTED` languages
have catalogs and scripts; any other falls back to English, the language of every ``msgid``.

Code marks what it shows with :func:`_` (and :func:`ngettext` for plurals). A module-level
constant is marked with :func:`N_`, which only marks it for extraction, and translated where it
is used: ``_(NOW_HELP)``. Importing this module costs nothing on the hotkey path: ``gettext``
is already loaded by ``argparse``, and English loads no catalog at all.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence


def N_(message: str) -> str:  # noqa: N802 - the name every gettext tool knows
    """Mark ``message`` for translation without translating it: for module-level constants,
    translated with :func:`_` where they are shown (the language is chosen after import)."""
    return message


#: Languages with a catalog and shipped scripts: English first (the source language).
SUPPORTED = ("en", "es", "de")
#: The language of every msgid, and the fallback for any language not in :data:`SUPPORTED`.
DEFAULT = "en"
#: The gettext domain: ``assistant/locale/<lang>/LC_MESSAGES/ground.mo``.
DOMAIN = "ground"
#: Where the language comes from, in the order gettext reads them.
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
#: Each language in its own words (a language chooser).
NAMES = {"en": "English", "es": "español", "de": "Deutsch"}
#: Each language's name in a sentence, translated where it is used (:func:`language_label`).
LABELS = {"en": N_("English"), "es": N_("Spanish"), "de": N_("German")}
#: The command-line option every command accepts, before or after the command's name.
OPTION = "--lang"

#: argparse's own words, exactly as it writes them: marked here so that extraction puts them
#: in our catalog (:func:`install` points argparse's lookups at it). Python has no catalog of
#: its own for them.
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("ignored explicit argument %r"),
)

_language = DEFAULT
_translation: gettext.NullTranslations = gettext.NullTranslations()


class UnknownLanguage(ValueError):
    """A language asked for by name (``--lang``) that ground has no catalog for."""


def locale_dir() -> Path:
    """The compiled catalogs: ``assistant/locale`` (the same in a wheel and a checkout)."""
    return Path(__file__).resolve().parents[1] / "locale"


def normalise(tag: str) -> str | None:
    """The supported language a locale name or tag names, or None.

    ``es_ES.UTF-8@euro``, ``es-MX`` and ``es`` are all ``es``; ``C`` and ``POSIX`` (no locale
    set) are English; ``fr_FR`` is None (not supported).
    """
    base = tag.strip().split(".", 1)[0].split("@", 1)[0].replace("-", "_").split("_", 1)[0]
    if base in ("C", "POSIX"):
        return DEFAULT
    base = base.lower()
    return base if base in SUPPORTED else None


def from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for (English when it names none we have).

    As gettext does: the first of :data:`ENVIRONMENT` that is set decides; ``LANGUAGE`` may
    list several (``fr:es``), and the first one ground has wins.
    """
    env = os.environ if environ is None else environ
    for name in ENVIRONMENT:
        value = env.get(name, "")
        if value:
            for entry in value.split(":"):
                found = normalise(entry) if entry else None
                if found is not None:
                    return found
            return DEFAULT
    return DEFAULT


def choose(
    option: str | None = None,
    setting: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The language to use: ``--lang`` over the ``language`` setting over the environment.

    Args:
        option: the ``--lang`` value, already checked by :func:`language_option`.
        setting: the ``language`` setting (None or ``""``: follow the environment); a language
            ground does not have is English.
        environ: the environment (default: this process's).
    """
    if option:
        return normalise(option) or DEFAULT
    if setting:
        return normalise(setting) or DEFAULT
    return from_environment(environ)


def language_option(value: str) -> str:
    """A ``--lang`` value as a supported language.

    Raises:
        UnknownLanguage: not one ground has (the message lists them).
    """
    found = normalise(value)
    if found is None:
        safe = "".join(ch if ch.isprintable() else " " for ch in value)[:40]
        raise UnknownLanguage(f"unknown language '{safe}'; choose one of: {', '.join(SUPPORTED)}")
    return found


def split_option(args: Sequence[str]) -> tuple[str | None, list[str]]:
    """``--lang X`` (or ``--lang=X``) taken out of a command line, wherever it stands.

    Everything after ``--`` is left alone (it is an argument, not an option).

    Returns:
        The last value given (None: not given), and the other arguments in order.

    Raises:
        UnknownLanguage: ``--lang`` with no value.
    """
    value: str | None = None
    rest: list[str] = []
    items = list(args)
    index = 0
    while index < len(items):
        item = items[index]
        if item == "--":
            rest.extend(items[index:])
            break
        if item == OPTION:
            if index + 1 >= len(items):
                raise UnknownLanguage(
                    f"{OPTION} needs a language: {', '.join(SUPPORTED)}, e.g. {OPTION} es"
                )
            value = items[index + 1]
            index += 2
            continue
        if item.startswith(OPTION + "="):
            value = item.split("=", 1)[1]
        else:
            rest.append(item)
        index += 1
    return value, rest


def install(lang: str) -> None:
    """Use ``lang`` from now on for every :func:`_`, and for argparse's own words.

    A language without a compiled catalog (or English) shows the msgids: English. argparse
    binds gettext's functions when it is imported, so its module's ``_`` and ``ngettext`` are
    pointed at these (its "usage:", "options:" and errors are in our catalog).
    """
    global _language, _translation
    _language = lang if lang in SUPPORTED else DEFAULT
    _translation = gettext.NullTranslations()
    catalog = locale_dir() / _language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if _language != DEFAULT:
        # Read directly, not through gettext.translation(): that imports locale and copy
        # (≈ 1.5 ms on the hotkey path) to find a file whose path is known.
        try:
            with catalog.open("rb") as handle:
                _translation = gettext.GNUTranslations(handle)
        except (OSError, ValueError):  # missing or damaged: the words stay English
            pass
    import argparse  # already loaded by every command line; bound once, read on each call

    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def language() -> str:
    """The language in use (``en`` until :func:`install` chose another)."""
    return _language


def translated() -> bool:
    """Whether a catalog for the language in use was found (False for English)."""
    return type(_translation) is not gettext.NullTranslations


def _(message: str) -> str:
    """``message`` in the language in use."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` for ``n``, in the language in use."""
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the language in use, told apart from the same words elsewhere by
    ``context`` (a short label that translates differently in two places)."""
    return _translation.pgettext(context, message)


def language_label(lang: str) -> str:
    """A language's name in the language in use ("Spanish", "Spanisch"); unknown: the tag."""
    return _(LABELS[lang]) if lang in LABELS else lang
