"""Words that follow the settings: placeholders filled from the seconds played, and the checks.

A ``say`` may name a phase of the breathing block it introduces, as ``{inhale}``; the session
says the seconds that phase really lasts after ``--pace``, as words ("five and a half"). The
set of placeholders is fixed; nothing in a text is ever evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from assistant.core.model import Breathe, PhaseKind, Step, When

#: Every placeholder a ``say`` may use: the phases of a breath, by their script names.
PLACEHOLDERS = tuple(kind.value for kind in PhaseKind)

#: Placeholders a ladder step fills in (its name, and the first safety behaviour listed on it);
#: a ``say`` naming one has an ``otherwise`` to say when no step fills it.
LADDER_PLACEHOLDERS = ("step", "safety_behaviour")

_TOKEN = re.compile(r"\{([^{}]*)\}")
_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = {20: "twenty", 30: "thirty", 40: "forty"}


def placeholders(text: str) -> list[str]:
    """The names written in braces in ``text``, in order (known or not)."""
    return [match.strip() for match in _TOKEN.findall(text)]


def ladder_names(text: str) -> list[str]:
    """The ladder placeholders ``text`` names (``step``, ``safety_behaviour``), in order."""
    return [name for name in placeholders(text) if name in LADDER_PLACEHOLDERS]


def fill_ladder(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each ladder placeholder in ``values`` replaced by its value, as written.

    A value never brings in a placeholder of its own: its braces become parentheses.
    """

    def one(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        if name in LADDER_PLACEHOLDERS and name in values:
            return values[name].replace("{", "(").replace("}", ")")
        return match.group(0)

    return _TOKEN.sub(one, text)


def stray_brace(text: str) -> bool:
    """True when a ``{`` or ``}`` in ``text`` is not part of a ``{name}``."""
    rest = _TOKEN.sub("", text)
    return "{" in rest or "}" in rest


def spell(seconds: float) -> str:
    """Seconds as spoken words, to the nearest half: 5 → "five", 5.5 → "five and a half"."""
    halves = int(seconds * 2 + 0.5)
    whole, half = divmod(halves, 2)
    if whole == 0:
        return "a half" if half else "zero"
    words = _number(whole)
    return f"{words} and a half" if half else words


def _number(value: int) -> str:
    if value < 20:
        return _ONES[value]
    tens, ones = divmod(value, 10)
    name = _TENS.get(tens * 10, str(tens * 10))
    return f"{name}-{_ONES[ones]}" if ones else name


def fill(text: str, seconds: Mapping[PhaseKind, float]) -> str:
    """``text`` with each ``{phase}`` replaced by the spelled seconds of that phase.

    A name with no seconds here (not a phase, or a phase not played) is left as written; the
    loader refuses such files, so only a text built in code can reach this.
    """

    def one(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        if name in PLACEHOLDERS and seconds.get(PhaseKind(name), 0) > 0:
            return spell(seconds[PhaseKind(name)])
        return match.group(0)

    return _TOKEN.sub(one, text)


def block_for(steps: Sequence[Step], index: int) -> Breathe | None:
    """The breathing block whose seconds step ``index``'s placeholders name.

    It is the next block after the step; for a step after the last block, that last block.
    """
    after = next((s for s in steps[index + 1 :] if isinstance(s, Breathe)), None)
    if after is not None:
        return after
    return next((s for s in reversed(steps[:index]) if isinstance(s, Breathe)), None)


# -- what `ground check` warns about -----------------------------------------------------------

_HOLD = re.compile(r"\bhold(s|ing)?\b", re.IGNORECASE)
_NUMBER_WORDS = "|".join(
    [*_ONES[1:], *(_TENS[t] for t in sorted(_TENS)), r"\d+(?:\.\d+)?", "a half"]
)
# "for four.", "for a count of six,", "four seconds": a count of seconds that --pace changes.
_COUNT = re.compile(
    rf"\b(?:(?:for|of)\s+(?P<a>{_NUMBER_WORDS})(?:\s+and\s+a\s+half)?"
    rf"(?=\s*(?:[.,;:!?]|$|\s+(?:and|then|seconds?|counts?)\b))"
    rf"|(?P<b>{_NUMBER_WORDS})(?:\s+and\s+a\s+half)?\s+(?:seconds?|counts?)\b)",
    re.IGNORECASE,
)
_MINUTES = re.compile(r"\bminutes?\b", re.IGNORECASE)


def setting_warnings(
    text: str, when: When | None, *, holds: bool, breathing: bool, stretchable: bool
) -> list[str]:
    """What a ``say`` says that a setting can make untrue, as warnings for ``ground check``.

    Args:
        text: the words as written (placeholders are left out of the check).
        when: the step's condition, if any.
        holds: the script's breathing holds the breath somewhere (``--no-holds`` removes it).
        breathing: the script has a breathing block (``--pace`` changes its seconds).
        stretchable: ``--minutes`` and ``--breaths`` change the script's length.
    """
    plain = _TOKEN.sub("", text)
    out = []
    if holds and when is None and _HOLD.search(plain):
        out.append(
            "this talks about holding the breath, but --no-holds leaves the holds out; "
            'put it in a step with when = "holds" (and a when = "no-holds" step for the rest)'
        )
    found = _COUNT.search(plain) if breathing else None
    if found:
        out.append(
            f"'{found.group(0).strip()}' sounds like a count of seconds, but --pace changes "
            "them; write the phase in braces instead, e.g. for {inhale}"
        )
    if stretchable and _MINUTES.search(plain):
        out.append(
            "this script's length can change (--minutes, --breaths), so a number of minutes "
            "can be wrong; say it without the length"
        )
    return out
