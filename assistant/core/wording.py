"""Words that follow the settings: placeholders filled from the seconds played, and the checks.

A ``say`` may name a phase of the breathing block it introduces, as ``{inhale}``; the session
says the seconds that phase really lasts after ``--pace``, as words in the script's language
("five and a half", "cinco y medio", "fünfeinhalb"). The set of placeholders is fixed; nothing
in a text is ever evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from assistant.core.i18n import _
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
# Spanish: one word up to twenty-nine ("veintidós"), then "treinta y uno".
_ONES_ES = [
    "cero",
    "uno",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "once",
    "doce",
    "trece",
    "catorce",
    "quince",
    "dieciséis",
    "diecisiete",
    "dieciocho",
    "diecinueve",
    "veinte",
    "veintiuno",
    "veintidós",
    "veintitrés",
    "veinticuatro",
    "veinticinco",
    "veintiséis",
    "veintisiete",
    "veintiocho",
    "veintinueve",
]
_TENS_ES = {30: "treinta", 40: "cuarenta"}
# German: the ones before the tens, in one word ("einundzwanzig").
_ONES_DE = [
    "null",
    "eins",
    "zwei",
    "drei",
    "vier",
    "fünf",
    "sechs",
    "sieben",
    "acht",
    "neun",
    "zehn",
    "elf",
    "zwölf",
    "dreizehn",
    "vierzehn",
    "fünfzehn",
    "sechzehn",
    "siebzehn",
    "achtzehn",
    "neunzehn",
]
_TENS_DE = {20: "zwanzig", 30: "dreißig", 40: "vierzig"}


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


def spell(seconds: float, lang: str = "en") -> str:
    """Seconds as spoken words in ``lang``, to the nearest half.

    5 → "five", "cinco", "fünf"; 5.5 → "five and a half", "cinco y medio", "fünfeinhalb".
    A language without words of its own here is spelled in English.
    """
    halves = int(seconds * 2 + 0.5)
    whole, half = divmod(halves, 2)
    if lang == "es":
        if whole == 0:
            return "medio" if half else "cero"
        words = _number_es(whole)
        return f"{words} y medio" if half else words
    if lang == "de":
        if whole == 0:
            return "eine halbe" if half else "null"
        words = _number_de(whole)
        # "eineinhalb", "einundzwanzigeinhalb": the one before a half is "ein", not "eins".
        return f"{words.removesuffix('s') if whole % 10 == 1 else words}einhalb" if half else words
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


def _number_es(value: int) -> str:
    if value < 30:
        return _ONES_ES[value]
    tens, ones = divmod(value, 10)
    name = _TENS_ES.get(tens * 10, str(tens * 10))
    return f"{name} y {_ONES_ES[ones]}" if ones else name


def _number_de(value: int) -> str:
    if value < 20:
        return _ONES_DE[value]
    tens, ones = divmod(value, 10)
    name = _TENS_DE.get(tens * 10, str(tens * 10))
    if not ones:
        return name
    return f"{'ein' if ones == 1 else _ONES_DE[ones]}und{name}"


def fill(text: str, seconds: Mapping[PhaseKind, float], lang: str = "en") -> str:
    """``text`` with each ``{phase}`` replaced by the spelled seconds of that phase, in
    ``lang`` (the script's language).

    A name with no seconds here (not a phase, or a phase not played) is left as written; the
    loader refuses such files, so only a text built in code can reach this.
    """

    def one(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        if name in PLACEHOLDERS and seconds.get(PhaseKind(name), 0) > 0:
            return spell(seconds[PhaseKind(name)], lang)
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


def _count(numbers: str, half: str, before: str, after: str, units: str) -> re.Pattern[str]:
    """ "for four.", "four seconds" in one language: a count of seconds that --pace changes.

    Args:
        numbers: the number words (and figures), as alternatives.
        half: what follows a number for "and a half".
        before: the words a count follows ("for").
        after: the words a count is followed by, besides punctuation ("and", "then").
        units: the words for seconds and counts.
    """
    return re.compile(
        rf"\b(?:(?:{before})\s+(?P<a>{numbers})(?:{half})?"
        rf"(?=\s*(?:[.,;:!?]|$|\s+(?:{after}|{units})\b))"
        rf"|(?P<b>{numbers})(?:{half})?\s+(?:{units})\b)",
        re.IGNORECASE,
    )


_FIGURES = r"\d+(?:[.,]\d+)?"
# What `ground check` looks for, by the script's language: talk of holding the breath, a count
# of seconds written out, and minutes. Compiled on first use, not at import: the counts' big
# alternations took ~7 ms of every start that imports this module (the TUI's first frame, the
# hotkey), and only `ground check` and the editor use them.
_HOLD_WORDS = {
    "en": r"\bhold(s|ing)?\b",
    "es": (
        r"\b(sost[eé]n|sosten(er|iendo|go|gas?)|sostienes?|ret[eé]n|reten(er|iendo|go|gas?)"
        r"|retienes?|aguant(a|ar|as|ando|es?))\b"
    ),
    "de": r"\b(halte|halten|hältst|haltet|anhalten|anhältst|angehalten)\b",
}
_COUNT_WORDS = {
    "en": (
        "|".join([*_ONES[1:], *(_TENS[t] for t in sorted(_TENS)), _FIGURES, "a half"]),
        r"\s+and\s+a\s+half",
        "for|of",
        "and|then",
        "seconds?|counts?",
    ),
    "es": (
        "|".join([*_ONES_ES[1:], *_TENS_ES.values(), _FIGURES, "medio", "un"]),
        r"\s+y\s+medio",
        "hasta|durante",
        "y|luego",
        "segundos?|tiempos?",
    ),
    "de": (
        "|".join([*_ONES_DE[1:], "ein", *_TENS_DE.values(), _FIGURES]),
        "einhalb",
        "bis|für",
        "und|dann",
        "Sekunden?",
    ),
}
_MINUTE_WORDS = {"en": r"\bminutes?\b", "es": r"\bminutos?\b", "de": r"\bminuten?\b"}
_COMPILED: dict[tuple[str, str], re.Pattern[str]] = {}


def _pattern(kind: str, lang: str) -> re.Pattern[str]:
    """``ground check``'s pattern ``kind`` (``hold``, ``count``, ``minutes``) for ``lang``
    (English for a language it has none for), compiled once."""
    if lang not in _HOLD_WORDS:
        lang = "en"
    compiled = _COMPILED.get((kind, lang))
    if compiled is None:
        if kind == "count":
            compiled = _count(*_COUNT_WORDS[lang])
        else:
            words = _HOLD_WORDS if kind == "hold" else _MINUTE_WORDS
            compiled = re.compile(words[lang], re.IGNORECASE)
        _COMPILED[(kind, lang)] = compiled
    return compiled


def talks_about_holding(text: str, lang: str = "en") -> bool:
    """Whether ``text`` (in ``lang``) talks about holding the breath."""
    return bool(_pattern("hold", lang).search(_TOKEN.sub("", text)))


def setting_warnings(
    text: str,
    when: When | None,
    *,
    holds: bool,
    breathing: bool,
    stretchable: bool,
    lang: str = "en",
) -> list[str]:
    """What a ``say`` says that a setting can make untrue, as warnings for ``ground check``.

    Args:
        text: the words as written (placeholders are left out of the check).
        when: the step's condition, if any.
        holds: the script's breathing holds the breath somewhere (``--no-holds`` removes it).
        breathing: the script has a breathing block (``--pace`` changes its seconds).
        stretchable: ``--minutes`` and ``--breaths`` change the script's length.
        lang: the script's language (the words looked for are that language's).
    """
    plain = _TOKEN.sub("", text)
    out = []
    if holds and when is None and talks_about_holding(plain, lang):
        out.append(
            _(
                "this talks about holding the breath, but --no-holds leaves the holds out; "
                'put it in a step with when = "holds" (and a when = "no-holds" step for the rest)'
            )
        )
    found = _pattern("count", lang).search(plain) if breathing else None
    if found:
        # TRANSLATORS: {words} are the script's words that sound like a count ("for four");
        # {example} is a placeholder written in braces, "{inhale}", kept as it is.
        out.append(
            _(
                "'{words}' sounds like a count of seconds, but --pace changes them; write the "
                "phase in braces instead, e.g. for {example}"
            ).format(words=found.group(0).strip(), example="{inhale}")
        )
    if stretchable and _pattern("minutes", lang).search(plain):
        out.append(
            _(
                "this script's length can change (--minutes, --breaths), so a number of minutes "
                "can be wrong; say it without the length"
            )
        )
    return out
