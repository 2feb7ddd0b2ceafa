"""Dates and numbers as the person's language writes them (History, the log, the Ladder).

Babel carries each language's calendar words and number rules (CLDR), so a machine without the
system locales generated (a minimal Debian has only ``C.UTF-8``) still says "lun 1 dic" in
Spanish. It is imported on first use: never on the hotkey path, never before a first frame
that shows no date. Machine-readable output (``--json``, ``--csv``, exports) never comes
through here: it keeps ISO dates and plain numbers.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from assistant.core.i18n import language

#: Date skeletons (CLDR: each language orders and spells them its own way).
DAY_MONTH = "MMMd"  # "1 Dec", "1 dic", "1. Dez."
WEEKDAY_DAY_MONTH = "MMMEd"  # "Tue 1 Dec", "mar, 1 dic", "Di., 1. Dez."
WEEKDAY_DATE = "yMMMEd"  # with the year: the CLI log, which can go back years


@lru_cache(maxsize=8)
def _locale(lang: str) -> Any:
    from babel import Locale

    return Locale.parse(lang)


def format_when(
    moment: date | datetime, skeleton: str = DAY_MONTH, *, time: bool = False, english: str
) -> str:
    """``moment`` in the language in use, by a CLDR date skeleton (:data:`DAY_MONTH`, …), with
    the time of day (as the language writes it) when ``time`` is set.

    Args:
        moment: a date, or a datetime (shown in local time).
        skeleton: which parts to show, in CLDR's notation.
        time: add the hour and minute.
        english: the ``strftime`` pattern English has always used here, kept exactly.
    """
    if isinstance(moment, datetime):
        moment = moment.astimezone()
    lang = language()
    if lang == "en":
        return moment.strftime(english)
    from babel.dates import format_skeleton

    locale = _locale(lang)
    day = str(format_skeleton(skeleton, moment, locale=locale, fuzzy=True))
    if not time or not isinstance(moment, datetime):
        return day
    clock = str(format_skeleton("Hm", moment, locale=locale, fuzzy=True))
    return str(locale.datetime_formats["medium"]).replace("{1}", day).replace("{0}", clock)


def format_decimal(number: float, digits: int = 1) -> str:
    """``number`` with at most ``digits`` decimals, with the language's decimal sign."""
    if language() == "en":
        return f"{number:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{number:,.0f}"
    from babel.numbers import format_decimal as babel_decimal

    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return str(babel_decimal(number, format=pattern, locale=_locale(language())))
