"""The ranges a stored value may take, for checking imports and reading rows defensively."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from assistant.core.i18n import _
from assistant.core.safe import one_line, printable

#: No session is longer than a day (sessions are at most two hours; this is generous).
MAX_SECONDS = 24 * 3600.0
#: Far more breaths than a day of practice.
MAX_BREATHS = 100_000
#: Years a practice session or ladder step can plausibly be stamped with.
YEARS = range(1970, 2201)
#: Longest title (script or ladder step) and longest note kept.
MAX_TITLE = 200
MAX_NOTE = 10_000


def problem_with_seconds(value: Any) -> str | None:
    """Why ``value`` is not a number of seconds of a session (None if it is)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        # TRANSLATORS: {value} is the value found in the file, as written.
        return _("{value} is not a number of seconds").format(value=_shown(value))
    if not math.isfinite(value) or not 0 <= value <= MAX_SECONDS:
        return _("{value} is not a number of seconds from 0 to {most}").format(
            value=_shown(value), most=f"{MAX_SECONDS:g}"
        )
    return None


def problem_with_count(value: Any, high: int) -> str | None:
    """Why ``value`` is not a whole number from 0 to ``high`` (None if it is)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        return _("{value} is not a whole number from 0 to {most}").format(
            value=_shown(value), most=high
        )
    return None


def problem_with_time(value: Any) -> str | None:
    """Why ``value`` is not an ISO-8601 time in a plausible year (None if it is)."""
    if not isinstance(value, str):
        return _("missing")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return _("{value} is not a date and time (ISO 8601)").format(value=_shown(value))
    if moment.year not in YEARS:
        # TRANSLATORS: {first} and {last} are years.
        return _("{value} is not between {first} and {last}").format(
            value=_shown(value), first=YEARS[0], last=YEARS[-1]
        )
    return None


def problem_with_text(value: Any, longest: int, *, required: bool = False) -> str | None:
    """Why ``value`` is not text of at most ``longest`` characters (None if it is)."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not one_line(value)):
        return _("missing") if required else _("not text")
    if len(value) > longest:
        # TRANSLATORS: follows the name of a value in a file: "sessions[3].note: is 12000 …".
        return _("is {length} characters; at most {most}").format(length=len(value), most=longest)
    return None


def seconds_or_zero(value: Any) -> float:
    """A stored number of seconds, or 0 for a value that should never have got in."""
    return float(value) if problem_with_seconds(value) is None else 0.0


def count_or_zero(value: Any, high: int) -> int:
    """A stored whole number, or 0 for a value that should never have got in."""
    return int(value) if problem_with_count(value, high) is None else 0


def rating_or_none(value: Any, high: int) -> int | None:
    """A stored rating from 0 to ``high``, or None for one that should never have got in."""
    return int(value) if problem_with_count(value, high) is None else None


def title_text(value: Any) -> str:
    """A stored title as one printable line (any stored type)."""
    return one_line(str(value))[:MAX_TITLE] if value is not None else ""


def note_text(value: Any) -> str | None:
    """A stored note as printable text (line breaks kept), or None."""
    return printable(str(value))[:MAX_NOTE] if value is not None else None


def _shown(value: Any) -> str:
    text = repr(value)
    return one_line(text if len(text) <= 40 else text[:40] + "…")
