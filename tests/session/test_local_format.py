"""Dates and numbers in the person's language; English exactly as it has always been shown."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from assistant.core import i18n
from assistant.session.local_format import (
    DAY_MONTH,
    WEEKDAY_DAY_MONTH,
    format_decimal,
    format_when,
)

MOMENT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def speak() -> Iterator[object]:
    def use(lang: str) -> None:
        i18n.install(lang)

    yield use
    i18n.install("en")


def test_english_keeps_its_strftime_patterns(speak) -> None:  # type: ignore[no-untyped-def]
    speak("en")
    assert format_when(date(2026, 12, 1), DAY_MONTH, english="%d %b") == "01 Dec"
    local = MOMENT.astimezone()
    assert format_when(MOMENT, WEEKDAY_DAY_MONTH, time=True, english="%a %d %b %H:%M") == (
        local.strftime("%a %d %b %H:%M")
    )
    assert format_decimal(7.5) == "7.5"
    assert format_decimal(1234.0) == "1,234"


@pytest.mark.parametrize(
    ("lang", "day", "number"),
    [("es", "1 dic", "7,5"), ("de", "1. Dez.", "7,5")],
)
def test_other_languages_write_dates_and_numbers_their_way(  # type: ignore[no-untyped-def]
    speak, lang: str, day: str, number: str
) -> None:
    speak(lang)
    assert format_when(date(2026, 12, 1), DAY_MONTH, english="%d %b") == day
    assert format_decimal(7.5) == number
    with_time = format_when(MOMENT, WEEKDAY_DAY_MONTH, time=True, english="%a %d %b %H:%M")
    assert day in with_time and MOMENT.astimezone().strftime("%M") in with_time
