"""Numbers in the CLI's sentences as the person's language writes them (English: as always),
and English for the sentences in machine-readable output."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from assistant.core.i18n import install, language


def one_decimal(value: float) -> str:
    """``value`` with one decimal: ``12.5`` in English (``12.0`` kept), ``12,5`` in German."""
    if language() == "en":
        return f"{value:.1f}"
    from assistant.session.local_format import format_decimal

    return format_decimal(value, 1)


def whole(count: int) -> str:
    """A count with the language's thousands separator: ``4,300``, ``4.300``."""
    if language() == "en":
        return f"{count:,}"
    from assistant.session.local_format import format_decimal

    return format_decimal(count, 0)


@contextmanager
def in_english() -> Iterator[None]:
    """English while inside: for the sentences machine-readable output carries (``--json``),
    which stay as they are whatever the language shown."""
    shown = language()
    if shown == "en":
        yield
        return
    install("en")
    try:
        yield
    finally:
        install(shown)
