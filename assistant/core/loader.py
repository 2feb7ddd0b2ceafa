"""Load and validate guided scripts from TOML, reporting problems as ``file:line: message``.

Scripts are data: nothing in them is executed. Every problem names the line and says how to
fix it, so a person editing a script in a text editor can act on it directly.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.core.i18n import DEFAULT, N_, SUPPORTED, _, decimal_sign, pgettext
from assistant.core.model import (
    MINUTES_RANGE,
    QUIET_LIMIT,
    Breathe,
    Category,
    Chime,
    Pattern,
    PhaseKind,
    Say,
    Script,
    Section,
    Silence,
    Step,
    Timeline,
    When,
    value_type,
)
from assistant.core.safe import UnsafeFile, one_line, read_regular_text
from assistant.core.wording import (
    LADDER_PLACEHOLDERS,
    PLACEHOLDERS,
    block_for,
    ladder_names,
    placeholders,
    setting_warnings,
    stray_brace,
    talks_about_holding,
)

if TYPE_CHECKING:
    from assistant.core.compiler import CompileOptions

#: Sound assets a ``chime`` step may name (files in ``audio/``).
SOUNDS = ("bell", "inhale", "exhale", "hold", "top_up")

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_TOP_KEYS = {"id", "lang", "title", "summary", "category", "minutes", "about", "safety", "step"}
_ACTION_KEYS = ("say", "chime", "breathe", "section", "pause")
_STEP_KEYS = {
    "say": {"say", "pause", "when", "optional", "otherwise"},
    "chime": {"chime", "pause", "when", "optional"},
    "section": {"section", "when"},
    "pause": {"pause", "when", "optional"},
    "breathe": {
        "breathe",
        "inhale",
        "top_up",
        "hold",
        "exhale",
        "hold_after_exhale",
        "cycles",
        "fill",
        "max_cycles",
        "words",
        "words_for",
        "tones",
        "notes",
        "notes_every",
    },
}
# (low, high) seconds per phase; outside this a script is almost certainly a typo.
_PHASE_LIMITS = {
    "inhale": (0.5, 20.0),
    "top_up": (0.0, 5.0),
    "hold": (0.0, 30.0),
    "exhale": (0.5, 30.0),
    "hold_after_exhale": (0.0, 30.0),
}
_MAX_PAUSE = 120.0
_MAX_CYCLES = 600
_MAX_TEXT = 400
_MINUTES_RANGE = MINUTES_RANGE
#: Examples of a script file's lines in messages (kept out of the words: they hold braces).
_WORDS_EXAMPLE = 'words = { inhale = "in", exhale = "out" }'
_NOTES_EXAMPLE = 'notes = ["If your mind has wandered, that\'s fine."]'


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class Problem:
    """One thing wrong with a script file.

    Attributes:
        path: the file.
        line: 1-based line number (0 when the problem is the file as a whole).
        message: what is wrong and how to fix it.
        warning: True for things that work but are probably not what the author meant.
    """

    path: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        if self.warning:
            # TRANSLATORS: how `ground check` marks a warning: "file:line: warning: message";
            # translate "warning" as compilers do in your language.
            return one_line(
                _("{where}: warning: {message}").format(where=where, message=self.message)
            )
        return one_line(f"{where}: {self.message}")


class ScriptError(Exception):
    """A script file could not be loaded; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(str(problems[0]) if problems else _("invalid script"))


#: Owner of keys under a table header that is not ``[[step]]`` (never asked for by name).
_OTHER_TABLE = -2


def _unknown(key: str, allowed: set[str], form: str = "'{}'") -> str:
    """``did you mean 'steps'?`` for a near miss, or the list of allowed keys.

    ``form`` writes one name (``"{{{}}}"`` writes a placeholder as ``{inhale}``).
    """
    import difflib

    close = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
    if close:
        # TRANSLATORS: {name} is a key or placeholder of a script file, as written there.
        return _("did you mean {name}?").format(name=form.format(close[0]))
    return _("allowed: {names}").format(
        names=", ".join(form.format(name) for name in sorted(allowed))
    )


class _Lines:
    """Finds the line of a table header or key, since ``tomllib`` does not report positions."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]?\s*(#.*)?$")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\"'-]+)(\s*\.\s*[A-Za-z0-9_\"'-]+)*\s*=")

    def __init__(self, text: str) -> None:
        self.steps: list[int] = []  # line of each [[step]] header
        self.keys: list[tuple[int, int, str]] = []  # (step index or -1, line, key)
        self._first: dict[tuple[int, str], int] = {}  # (owner, key) → its first line
        current = -1
        in_multiline: str | None = None
        for number, raw in enumerate(text.splitlines(), start=1):
            if in_multiline:
                if raw.count(in_multiline) % 2 == 1:
                    in_multiline = None
                continue
            header = self._HEADER.match(raw)
            if header:
                name = header.group(2).strip()
                if header.group(1) == "[[" and name == "step":
                    self.steps.append(number)
                    current = len(self.steps) - 1
                else:
                    # Any other table ([meta], [[steps]]) is a top-level key of its own; the
                    # keys under it belong to it, not to the top level.
                    table = name.split(".")[0].strip("\"'")
                    self.keys.append((-1, number, table))
                    self._first.setdefault((-1, table), number)
                    current = _OTHER_TABLE
                continue
            key = self._KEY.match(raw)
            if key:
                name = key.group(1).strip("\"'")
                self.keys.append((current, number, name))
                self._first.setdefault((current, name), number)
            for quote in ('"""', "'''"):
                if raw.count(quote) % 2 == 1:
                    in_multiline = quote

    def step(self, index: int) -> int:
        """Line of the ``[[step]]`` header of step ``index``."""
        return self.steps[index] if 0 <= index < len(self.steps) else 0

    def key(self, name: str, step: int = -1) -> int:
        """Line where ``name`` is set (in step ``step``, or at top level when -1)."""
        found = self._first.get((step, name))
        if found is not None:
            return found
        return self.step(step) if step >= 0 else 0


class _Collector:
    """Accumulates problems for one file."""

    def __init__(self, path: str, lines: _Lines) -> None:
        self.path = path
        self.lines = lines
        self.problems: list[Problem] = []

    def add(self, line: int, message: str, *, warning: bool = False) -> None:
        self.problems.append(Problem(self.path, line, message, warning))

    @property
    def failed(self) -> bool:
        return any(not p.warning for p in self.problems)


def load_script(path: Path, *, shipped: bool = False, default_lang: str = DEFAULT) -> Script:
    """Read and validate one script file.

    Args:
        path: the ``.toml`` file.
        shipped: whether it comes with the program (not a user's own).
        default_lang: its language when it names none (a person's own script is in the
            interface's language).

    Returns:
        The validated script.

    Raises:
        ScriptError: the file is unreadable, not TOML, or not a valid script; the error lists
            every problem found, each with its line.
    """
    try:
        text = read_regular_text(path)
    except UnsafeFile as exc:
        raise ScriptError([Problem(str(path), 0, str(exc))]) from None
    except UnicodeDecodeError:
        # TRANSLATORS: this and the next few follow a file's path: "<path>: is not UTF-8 text".
        problem = _("is not UTF-8 text; save it as UTF-8")
        raise ScriptError([Problem(str(path), 0, problem)]) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        problem = _("cannot be read ({why})").format(why=reason)
        raise ScriptError([Problem(str(path), 0, problem)]) from None
    return parse_script(
        text, str(path), default_id=path.stem, shipped=shipped, default_lang=default_lang
    )


def parse_script(
    text: str, path: str, *, default_id: str, shipped: bool = False, default_lang: str = DEFAULT
) -> Script:
    """Validate script ``text`` read from ``path``; see :func:`load_script`."""
    data = _parse_toml(text, path)
    script, problems = _validate(data, text, path, default_id, shipped, default_lang)
    if script is None:
        raise ScriptError([p for p in problems if not p.warning])
    return script


def check_script(path: Path, default_lang: str = DEFAULT) -> tuple[Script | None, list[Problem]]:
    """Validate ``path`` and return the script (None if invalid) with every problem and warning.

    Never raises for bad input: an unreadable or malformed file is reported as a problem.

    Args:
        path: the ``.toml`` file.
        default_lang: its language when it names none.
    """
    try:
        text = read_regular_text(path)
        data = _parse_toml(text, str(path))
    except (OSError, UnicodeDecodeError, ScriptError):
        try:
            return load_script(path, default_lang=default_lang), []
        except ScriptError as exc:
            return None, exc.problems
    return _validate(data, text, str(path), path.stem, False, default_lang)


def _parse_toml(text: str, path: str) -> dict[str, Any]:
    """``tomllib.loads``, with every way it can fail on a hostile file as a :class:`ScriptError`.

    ``tomllib`` parses nested arrays by recursion: a few hundred ``[`` in a small file exhaust
    the stack, and one bad script must never affect the others.
    """
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, message = _toml_error(exc)
        # TRANSLATORS: {why} is the TOML reader's own words, in English.
        problem = _("is not valid TOML: {why}; check quotes and brackets").format(why=message)
    except RecursionError:
        line, problem = 0, _("nests lists or tables too deeply to read; flatten it")
    raise ScriptError([Problem(path, line, problem)])


def _validate(
    data: Mapping[str, Any],
    text: str,
    path: str,
    default_id: str,
    shipped: bool,
    default_lang: str = DEFAULT,
) -> tuple[Script | None, list[Problem]]:
    out = _Collector(path, _Lines(text))
    script = _build(data, out, default_id, path, shipped, default_lang)
    return (None if out.failed else script), out.problems


def _toml_error(exc: tomllib.TOMLDecodeError) -> tuple[int, str]:
    """Split tomllib's message into (line, text); Python 3.11 only has the message."""
    message = str(exc)
    found = re.search(r"\(at line (\d+), column \d+\)", message)
    if found:
        return int(found.group(1)), message[: found.start()].strip()
    return 0, message


def _build(
    data: Mapping[str, Any],
    out: _Collector,
    default_id: str,
    path: str,
    shipped: bool,
    default_lang: str = DEFAULT,
) -> Script | None:
    _top_level_keys(data, out)
    script_id, title, summary, about, safety = _header(data, out, default_id)
    lang = _lang(data, out, default_lang)
    category = _category(data, out)
    minutes = None
    broken_minutes = False  # reported once, where it is read
    if "minutes" in data:
        minutes = _number(data["minutes"], "minutes", out.lines.key("minutes"), out, _MINUTES_RANGE)
        broken_minutes = minutes is None
    raw_steps = data.get("step")
    steps = _steps(raw_steps, out)
    _minutes_fit(raw_steps, steps, minutes, broken_minutes, out)
    if steps and not any(not isinstance(s, Section) for s in steps):
        out.add(0, _("has only section headings; add something to say, play or breathe"))
    # A broken step would make its neighbours' placeholders look wrong too; and a warning
    # about words that are already wrong would say the same thing twice.
    if not out.failed:
        _longest_session(steps, out)
    if not out.failed:
        _placeholders_fit(steps, out)
    if not out.failed:
        _setting_warnings(steps, out, lang)

    if out.failed or category is None or title is None or summary is None:
        return None
    return Script(
        id=script_id,
        title=title,
        summary=summary,
        category=category,
        steps=tuple(steps),
        minutes=minutes,
        about=about or "",
        safety=safety or "",
        source=path,
        shipped=shipped,
        lang=lang,
    )


def _top_level_keys(data: Mapping[str, Any], out: _Collector) -> None:
    """Report every top-level key a script does not have (a table that should not be one)."""
    for key in data:
        if key not in _TOP_KEYS:
            value = data[key]
            if isinstance(value, dict) and value.keys() & _TOP_KEYS:
                named = ", ".join(sorted(value.keys() & _TOP_KEYS))
                # TRANSLATORS: {keys} are a script file's keys (title, summary), kept as written.
                message = _(
                    "there is no [{table}] table; write {keys} at the top of the file, "
                    "before the first [[step]], with no header"
                ).format(table=key, keys=named)
            else:
                # TRANSLATORS: {hint} is "did you mean 'title'?" or "allowed: …".
                message = _("unknown key '{key}'; {hint}").format(
                    key=key, hint=_unknown(key, _TOP_KEYS)
                )
            out.add(out.lines.key(key), message)


def _header(
    data: Mapping[str, Any], out: _Collector, default_id: str
) -> tuple[str, str | None, str | None, str | None, str | None]:
    """The id (the file's name when it has none), title, summary, about and safety texts."""
    script_id = _text(data, "id", out, required=False) or default_id
    if not _ID_RE.match(script_id):
        out.add(
            out.lines.key("id"),
            _("id '{id}' must be 1-40 lowercase letters, digits or dashes, e.g. 'box-4'").format(
                id=script_id
            ),
        )
    title = _text(data, "title", out, required=True)
    summary = _text(data, "summary", out, required=True)
    about = _text(data, "about", out, required=False)
    safety = _text(data, "safety", out, required=False)
    return script_id, title, summary, about, safety


def _lang(data: Mapping[str, Any], out: _Collector, default: str) -> str:
    """The script's ``lang`` (``default`` when it has none, or a bad one, reported)."""
    if "lang" not in data:
        return default
    value = data["lang"]
    if not isinstance(value, str):
        # TRANSLATORS: {kind} is what was written instead: "true/false", "a list", …
        out.add(
            out.lines.key("lang"),
            _("'lang' must be text, e.g. lang = \"es\", not {kind}").format(kind=_kind(value)),
        )
        return default
    if value not in SUPPORTED:
        out.add(
            out.lines.key("lang"),
            _(
                "lang '{lang}' is not one of: {choices} "
                '(the language the script is written in, e.g. lang = "es")'
            ).format(lang=one_line(value), choices=", ".join(SUPPORTED)),
        )
        return default
    return str(value)


def _category(data: Mapping[str, Any], out: _Collector) -> Category | None:
    raw_category = data.get("category")
    if raw_category is None:
        out.add(0, _("missing 'category'; add e.g. category = \"breathe\""))
    elif raw_category not in {c.value for c in Category}:
        choices = ", ".join(c.value for c in Category)
        out.add(
            out.lines.key("category"),
            _("category '{category}' is not one of: {choices}").format(
                category=raw_category, choices=choices
            ),
        )
    else:
        return Category(raw_category)
    return None


def _steps(raw_steps: Any, out: _Collector) -> list[Step]:
    """Every step that is valid (the others are reported)."""
    steps: list[Step] = []
    if raw_steps is None:
        out.add(0, _("has no steps; add at least one [[step]] table (see scripts/README.md)"))
    elif not isinstance(raw_steps, list) or not all(isinstance(s, dict) for s in raw_steps):
        out.add(out.lines.key("step"), _("'step' must be written as [[step]] tables"))
    else:
        for index, raw in enumerate(raw_steps):
            step = _step(raw, index, out)
            if step is not None:
                steps.append(step)
    return steps


def _minutes_fit(
    raw_steps: Any, steps: list[Step], minutes: float | None, broken: bool, out: _Collector
) -> None:
    """``minutes`` is there exactly when a breathing block fills the session."""
    fills = [s for s in steps if isinstance(s, Breathe) and s.fills]
    if fills and minutes is None and not broken:
        out.add(
            fills[0].line,
            _(
                "a breathing block with fill = true needs the session length: add e.g. "
                "minutes = 5 at the top of the file"
            ),
        )
    # A filling block that is broken is reported already; minutes are not wrong because of it.
    meant_to_fill = isinstance(raw_steps, list) and any(
        isinstance(raw, dict) and raw.get("fill") is True for raw in raw_steps
    )
    if minutes is not None and not meant_to_fill:
        out.add(
            out.lines.key("minutes"),
            _(
                "'minutes' only applies to scripts with a breathing block that has fill = true; "
                "remove it or add fill = true to a block"
            ),
        )


#: The fastest speech a setting allows (300 words a minute): words can take no less.
_WORDS_PER_SECOND = 5.0


def _longest_session(steps: list[Step], out: _Collector) -> None:
    """Refuse a script that plays longer than the longest session, with or without holds.

    Counted as written (pace 1): pauses, fixed breathing blocks, one breath of each filling
    block, and its words at the fastest rate, so what is refused is surely too long; caught
    here, before a compile or render holds hours of audio in memory.
    """
    high = _MINUTES_RANGE[1] * 60
    for no_holds in (False, True):
        seconds = 0.0
        for step in steps:
            if isinstance(step, Breathe):
                pattern = step.pattern.without_holds() if no_holds else step.pattern
                seconds += pattern.cycle_seconds * (step.cycles or 1)
            elif step.when is None or step.when.applies(no_holds=no_holds):
                if isinstance(step, Silence):
                    seconds += step.seconds
                elif isinstance(step, Say | Chime):
                    seconds += step.pause
                if isinstance(step, Say):
                    seconds += len(step.text.split()) / _WORDS_PER_SECOND
            if seconds > high:
                too_long = (
                    _(
                        "by this step the script is already longer without the holds than "
                        "{minutes} minutes, the longest session; shorten its pauses or breaths, "
                        "or split it into two scripts"
                    )
                    if no_holds
                    else _(
                        "by this step the script is already longer than {minutes} minutes, the "
                        "longest session; shorten its pauses or breaths, or split it into two "
                        "scripts"
                    )
                )
                out.add(
                    step.line or out.lines.step(0),
                    too_long.format(minutes=_plain(_MINUTES_RANGE[1])),
                )
                return


def _setting_warnings(steps: list[Step], out: _Collector, lang: str = DEFAULT) -> None:
    """Warn where a step says something a setting can make untrue (holds, counts, minutes)."""
    blocks = [s for s in steps if isinstance(s, Breathe)]
    holds = any(b.pattern.has_holds for b in blocks)
    for step in steps:
        if isinstance(step, Say):
            for message in setting_warnings(
                step.text,
                step.when,
                holds=holds,
                breathing=bool(blocks),
                stretchable=any(b.fills for b in blocks),
                lang=lang,
            ):
                out.add(step.line, message, warning=True)
        _more_setting_warnings(
            step, out, holds=holds, stretchable=any(b.fills for b in blocks), lang=lang
        )
        if not holds and not isinstance(step, Breathe) and step.when is not None:
            out.add(
                step.line or out.lines.step(0),
                _(
                    'when = "{when}" makes no difference here: no breathing block in this '
                    "script holds the breath"
                ).format(when=step.when.value),
                warning=True,
            )


def _text(data: Mapping[str, Any], key: str, out: _Collector, *, required: bool) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            out.add(
                0,
                _("missing '{key}'; add e.g. {key} = \"...\" at the top of the file").format(
                    key=key
                ),
            )
        return None
    if not isinstance(value, str) or not one_line(value):
        out.add(out.lines.key(key), _("'{key}' must be non-empty text in quotes").format(key=key))
        return None
    return one_line(value)


def _number(
    value: Any, name: str, line: int, out: _Collector, limits: tuple[float, float]
) -> float | None:
    low, high = limits
    if isinstance(value, bool) or not isinstance(value, int | float):
        out.add(
            line,
            _("'{key}' must be a number of seconds or minutes, not {kind}").format(
                key=name, kind=_kind(value)
            ),
        )
        return None
    if not low <= value <= high:
        # TRANSLATORS: numbers as the script file writes them (with a point).
        out.add(
            line,
            _("'{key}' = {value} is outside {low}–{high}").format(
                key=name, value=value, low=_plain(low), high=_plain(high)
            ),
        )
        return None
    return float(value)


def _whole(value: Any, name: str, line: int, out: _Collector, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        out.add(
            line,
            _("'{key}' must be a whole number, not {kind}").format(key=name, kind=_kind(value)),
        )
        return None
    if not 1 <= value <= high:
        out.add(
            line,
            _("'{key}' = {value} is outside {low}–{high}").format(
                key=name, value=value, low=1, high=high
            ),
        )
        return None
    return value


def _and(items: list[str]) -> str:
    """``'say' and 'chime'``: names joined with the language's "and"."""
    joined = items[0]
    for item in items[1:]:
        # TRANSLATORS: the end of a list: "12 sessions, 5 ladder steps and 9 attempts";
        # {items} is the first ones, joined by ", ".
        joined = _("{items} and {last}").format(items=joined, last=item)
    return joined


def _plain(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _kind(value: Any) -> str:
    """What a value in a script file is, in words ("a list"), in the interface's language."""
    names = {str: _KINDS[0], bool: _KINDS[1], list: _KINDS[2], dict: _KINDS[3]}
    kind = names.get(type(value))
    return _(kind) if kind is not None else type(value).__name__


# TRANSLATORS: what was written in a script file where something else was wanted: "'lang' must
# be text, not a list".
_KINDS = (N_("text"), N_("true/false"), N_("a list"), N_("a table"))


def _step(raw: Mapping[str, Any], index: int, out: _Collector) -> Step | None:
    action = _action(raw, index, out)
    if action is None:
        return None
    allowed = _STEP_KEYS[action]
    for key in raw:
        if key not in allowed:
            out.add(
                out.lines.key(key, index),
                # TRANSLATORS: {action} is a kind of step as written: say, chime, breathe, …
                _("'{key}' does not belong in a {action} step; {hint}").format(
                    key=key, action=action, hint=_unknown(key, allowed)
                ),
            )
    if action == "breathe":
        return _breathe(raw, index, out)
    common = _common(raw, index, out, allowed)
    return {"say": _say, "chime": _chime, "section": _section, "pause": _silence}[action](
        raw, index, out, common
    )


def _action(raw: Mapping[str, Any], index: int, out: _Collector) -> str | None:
    """The one thing a step does (say, chime, breathe, section or pause), or None, reported."""
    actions = [key for key in _ACTION_KEYS if key in raw and key != "pause"]
    if not actions and "pause" in raw:
        actions = ["pause"]
    if len(actions) != 1:
        what = _and([f"'{a}'" for a in actions]) if actions else pgettext("found", "none")
        out.add(
            out.lines.step(index),
            _(
                "each [[step]] needs exactly one of say, chime, breathe, section or pause "
                "(found {found}); split it into separate steps"
            ).format(found=what),
        )
        return None
    return actions[0]


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class _Common:
    """What every step but a breathing block may have; ``ok`` is False once one is reported."""

    pause: float
    when: When | None
    optional: bool
    ok: bool


def _common(raw: Mapping[str, Any], index: int, out: _Collector, allowed: set[str]) -> _Common:
    # Each key is checked once: one that does not belong here is reported by the caller, and
    # a key reported broken is not reported again as missing or zero.
    lines = out.lines
    pause, ok = 0.0, True
    if "pause" in raw and "pause" in allowed:
        checked = _number(raw["pause"], "pause", lines.key("pause", index), out, (0.0, _MAX_PAUSE))
        ok = checked is not None
        pause = checked or 0.0
    when, when_ok = _when(raw, index, out) if "when" in allowed else (None, True)
    optional = raw.get("optional", False) if "optional" in allowed else False
    if not isinstance(optional, bool):
        out.add(
            lines.key("optional", index), _("'{key}' must be true or false").format(key="optional")
        )
        ok = False
    return _Common(pause, when, bool(optional), ok and when_ok)


def _say(raw: Mapping[str, Any], index: int, out: _Collector, common: _Common) -> Step | None:
    text = raw["say"]
    line = out.lines.key("say", index)
    if not isinstance(text, str) or not one_line(text):
        out.add(line, _("'{key}' must be non-empty text in quotes").format(key="say"))
        return None
    if len(text) > _MAX_TEXT:
        out.add(
            line,
            _("'say' text is {length} characters; split it into steps of at most {most}").format(
                length=len(text), most=_MAX_TEXT
            ),
        )
        return None
    if not _placeholders_known(text, line, out) or not common.ok:
        return None
    otherwise, ok = _otherwise(raw, index, text, out)
    return (
        Say(one_line(text), common.pause, line, common.when, common.optional, otherwise)
        if ok
        else None
    )


def _chime(raw: Mapping[str, Any], index: int, out: _Collector, common: _Common) -> Step | None:
    sound = raw["chime"]
    line = out.lines.key("chime", index)
    if sound not in SOUNDS:
        out.add(
            line,
            _("chime '{sound}' is not a known sound; use one of: {choices}").format(
                sound=sound, choices=", ".join(SOUNDS)
            ),
        )
        return None
    return Chime(sound, common.pause, line, common.when, common.optional) if common.ok else None


def _section(raw: Mapping[str, Any], index: int, out: _Collector, common: _Common) -> Step | None:
    title = raw["section"]
    line = out.lines.key("section", index)
    if not isinstance(title, str) or not one_line(title):
        out.add(line, _("'{key}' must be non-empty text in quotes").format(key="section"))
        return None
    return Section(title=one_line(title), line=line, when=common.when) if common.ok else None


def _silence(raw: Mapping[str, Any], index: int, out: _Collector, common: _Common) -> Step | None:
    line = out.lines.key("pause", index)
    if common.ok and common.pause <= 0:
        out.add(line, _("a pause step needs pause greater than 0"))
        return None
    return Silence(common.pause, line, common.when, common.optional) if common.ok else None


def _when(raw: Mapping[str, Any], index: int, out: _Collector) -> tuple[When | None, bool]:
    """The step's ``when`` (None if it has none), and False once a bad value is reported."""
    if "when" not in raw:
        return None, True
    value = raw["when"]
    if value not in {w.value for w in When}:
        out.add(
            out.lines.key("when", index),
            _(
                '\'when\' must be "holds" (only with the breath holds) or "no-holds" (only '
                "without them), not {value}"
            ).format(value=repr(value)),
        )
        return None, False
    return When(value), True


def _placeholders_known(text: str, line: int, out: _Collector) -> bool:
    """Report a ``{name}`` that is not a placeholder, or a brace that opens none."""
    for name in placeholders(text):
        if name not in PLACEHOLDERS and name not in LADDER_PLACEHOLDERS:
            hint = _unknown(name, {*PLACEHOLDERS, *LADDER_PLACEHOLDERS}, "{{{}}}")
            out.add(
                line,
                _("'{placeholder}' is not a placeholder; {hint}").format(
                    placeholder="{" + name + "}", hint=hint
                ),
            )
            return False
    if stray_brace(text):
        known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        out.add(
            line,
            _("a brace in 'say' must enclose a placeholder ({known}); remove the others").format(
                known=known
            ),
        )
        return False
    return True


def _placeholders_fit(steps: list[Step], out: _Collector) -> None:
    """Each placeholder names a phase its breathing block has, in every session it plays in."""
    for index, step in enumerate(steps):
        names = _phase_names(step) if isinstance(step, Say) else []
        if not names:
            continue
        assert isinstance(step, Say)
        block = block_for(steps, index)
        if block is None:
            out.add(
                step.line, _("placeholders name a breathing block's seconds, but there is none")
            )
            continue
        for name in dict.fromkeys(names):
            kind = PhaseKind(name)
            if getattr(block.pattern, name) <= 0:
                out.add(
                    step.line,
                    # TRANSLATORS: {phase} is a phase's name as written in a script (inhale,
                    # hold); {placeholder} the same in braces; {block} a breathing block's name.
                    _(
                        "{placeholder} names the {phase} of '{block}' (line {line}), which has "
                        "no {phase}"
                    ).format(
                        placeholder="{" + name + "}", phase=name, block=block.label, line=block.line
                    ),
                )
            elif kind.is_hold and step.when is not When.HOLDS:
                out.add(
                    step.line,
                    _(
                        "{placeholder} is a hold, which --no-holds leaves out; "
                        'add when = "holds" to this step'
                    ).format(placeholder="{" + name + "}"),
                )


def _breathe(raw: Mapping[str, Any], index: int, out: _Collector) -> Breathe | None:
    header = out.lines.key("breathe", index)
    label = raw["breathe"]
    ok = True
    if not isinstance(label, str) or not one_line(label):
        out.add(header, _("'breathe' must be a short name in quotes, e.g. breathe = \"Box\""))
        ok = False
    seconds, broken = _phase_seconds(raw, index, out)
    counts = _counts(raw, index, out)
    tones = raw.get("tones", True)
    if not isinstance(tones, bool):
        out.add(
            out.lines.key("tones", index), _("'{key}' must be true or false").format(key="tones")
        )
        ok = False
    words, words_ok = _words(raw, index, out, seconds, broken)
    if not words and tones is False:
        out.add(
            header,
            _(
                "this block has no words and tones = false, so it would be silent; "
                "add words or turn tones on"
            ),
            warning=True,
        )
    notes, notes_every, notes_ok = _notes(raw, index, out)
    if not (ok and not broken and counts.ok and words_ok and notes_ok):
        return None
    pattern = Pattern(
        inhale=seconds["inhale"],
        exhale=seconds["exhale"],
        top_up=seconds.get("top_up", 0.0),
        hold=seconds.get("hold", 0.0),
        hold_after_exhale=seconds.get("hold_after_exhale", 0.0),
    )
    order = {kind: n for n, kind in enumerate(PhaseKind)}
    return Breathe(
        label=one_line(label),
        pattern=pattern,
        cycles=counts.cycles,
        max_cycles=counts.max_cycles,
        words=tuple(sorted(words, key=lambda item: order[item[0]])),
        words_for=counts.words_for,
        tones=tones,
        line=header,
        notes=notes,
        notes_every=notes_every,
    )


def _phase_seconds(
    raw: Mapping[str, Any], index: int, out: _Collector
) -> tuple[dict[str, float], set[str]]:
    """Each phase's seconds, and the phases reported broken or missing (not to report again)."""
    lines = out.lines
    seconds: dict[str, float] = {}
    broken: set[str] = set()
    for name, limits in _PHASE_LIMITS.items():
        if name in raw:
            value = _number(raw[name], name, lines.key(name, index), out, limits)
            if value is None:
                broken.add(name)
            else:
                seconds[name] = value
    for name in ("inhale", "exhale"):
        if name not in raw:
            out.add(
                lines.key("breathe", index),
                _("a breathing block needs '{key}' (seconds), e.g. {key} = 4").format(key=name),
            )
            broken.add(name)
    return seconds, broken


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class _Counts:
    """A breathing block's numbers of breaths; ``ok`` is False once one is reported."""

    cycles: int | None
    max_cycles: int | None
    words_for: int | None
    ok: bool


def _counts(raw: Mapping[str, Any], index: int, out: _Collector) -> _Counts:
    lines = out.lines
    ok = True
    cycles = max_cycles = words_for = None
    fill = raw.get("fill", False)
    if not isinstance(fill, bool):
        out.add(lines.key("fill", index), _("'{key}' must be true or false").format(key="fill"))
        ok = False
    if "cycles" in raw:
        cycles = _whole(raw["cycles"], "cycles", lines.key("cycles", index), out, _MAX_CYCLES)
        ok = ok and cycles is not None
    if isinstance(fill, bool) and ("cycles" in raw) == fill:
        out.add(
            lines.key("breathe", index),
            _(
                "a breathing block needs either cycles = N (a fixed number of breaths) or "
                "fill = true (fill the session length), not both or neither"
            ),
        )
        ok = False
    if "max_cycles" in raw:
        max_cycles = _whole(
            raw["max_cycles"], "max_cycles", lines.key("max_cycles", index), out, _MAX_CYCLES
        )
        ok = ok and max_cycles is not None
        if cycles and max_cycles and cycles > max_cycles:
            out.add(
                lines.key("cycles", index),
                _("cycles = {cycles} exceeds max_cycles = {most}").format(
                    cycles=cycles, most=max_cycles
                ),
            )
            ok = False
    if "words_for" in raw:
        words_for = _whole(
            raw["words_for"], "words_for", lines.key("words_for", index), out, _MAX_CYCLES
        )
        ok = ok and words_for is not None
    return _Counts(cycles, max_cycles, words_for, ok)


def _words(
    raw: Mapping[str, Any],
    index: int,
    out: _Collector,
    seconds: dict[str, float],
    broken: set[str],
) -> tuple[list[tuple[PhaseKind, str]], bool]:
    """The block's words per phase, and False once one is reported."""
    line = out.lines.key("words", index)
    raw_words = raw.get("words", {})
    if not isinstance(raw_words, dict):
        # TRANSLATORS: the example is a line of a script file: keep it as it is.
        out.add(line, _("'words' must be a table, e.g. {example}").format(example=_WORDS_EXAMPLE))
        return [], False
    words: list[tuple[PhaseKind, str]] = []
    ok = True
    for phase_name, word in raw_words.items():
        if phase_name not in _PHASE_LIMITS:
            out.add(
                line,
                _("words has unknown phase '{phase}'; use: {choices}").format(
                    phase=phase_name, choices=", ".join(_PHASE_LIMITS)
                ),
            )
            ok = False
        elif not isinstance(word, str) or not one_line(word):
            out.add(line, _("the word for '{phase}' must be text").format(phase=phase_name))
            ok = False
        elif phase_name in broken:
            pass  # its seconds are reported already
        elif seconds.get(phase_name, 0) <= 0:
            out.add(
                line,
                _(
                    "words names '{phase}', but the pattern has no {phase}; "
                    "set {phase} = seconds or remove the word"
                ).format(phase=phase_name),
            )
            ok = False
        else:
            words.append((PhaseKind(phase_name), one_line(word)))
    return words, ok


# -- what a ladder step fills in, and notes said during a breathing block -----------------------

_MAX_NOTES = 20
_MAX_NOTE_TEXT = 200


def _phase_names(step: Say) -> list[str]:
    """The phase placeholders of a ``say`` and of its ``otherwise`` (ladder ones left out)."""
    texts = [step.text, step.otherwise or ""]
    return [n for text in texts for n in placeholders(text) if n not in LADDER_PLACEHOLDERS]


def _otherwise(
    raw: Mapping[str, Any], index: int, text: str, out: _Collector
) -> tuple[str | None, bool]:
    """The ``otherwise`` of a ``say`` that names a ladder placeholder, and False once reported.

    ``{step}`` and ``{safety_behaviour}`` are known only when the ladder plays a step, so such a
    line needs the words to say without one; and ``otherwise`` on any other line would never
    be heard.
    """
    names = ladder_names(text)
    line = out.lines.key("otherwise", index)
    if "otherwise" not in raw:
        if names:
            out.add(
                out.lines.key("say", index),
                _(
                    "{placeholder} is filled in only when a ladder step is played; add "
                    'otherwise = "..." with the words to say without one'
                ).format(placeholder="{" + names[0] + "}"),
            )
            return None, False
        return None, True
    value = raw["otherwise"]
    if not names:
        out.add(
            line,
            _(
                "'otherwise' is said only in place of a line that names {step} or "
                "{safety_behaviour}; remove it, or name one in 'say'"
            ).format(step="{step}", safety_behaviour="{safety_behaviour}"),
        )
        return None, False
    if not isinstance(value, str) or not one_line(value):
        out.add(line, _("'{key}' must be non-empty text in quotes").format(key="otherwise"))
        return None, False
    if len(value) > _MAX_TEXT:
        out.add(
            line,
            _("'otherwise' text is {length} characters; keep it to at most {most}").format(
                length=len(value), most=_MAX_TEXT
            ),
        )
        return None, False
    if ladder_names(value):
        out.add(
            line,
            _(
                "'otherwise' is said when there is no ladder step, so it cannot name "
                "{placeholder}; write it without"
            ).format(placeholder="{" + ladder_names(value)[0] + "}"),
        )
        return None, False
    if not _placeholders_known(value, line, out):
        return None, False
    return one_line(value), True


def _notes(
    raw: Mapping[str, Any], index: int, out: _Collector
) -> tuple[tuple[str, ...], int | None, bool]:
    """A block's ``notes`` and ``notes_every``, and False once a problem is reported."""
    lines = out.lines
    notes: list[str] = []
    ok = True
    if "notes" in raw:
        line = lines.key("notes", index)
        value = raw["notes"]
        if not isinstance(value, list) or not value or len(value) > _MAX_NOTES:
            out.add(
                line,
                # TRANSLATORS: the example is a line of a script file: keep it as it is.
                _("'notes' must be a list of 1 to {most} sentences, e.g. {example}").format(
                    most=_MAX_NOTES, example=_NOTES_EXAMPLE
                ),
            )
            return (), None, False
        for note in value:
            if not isinstance(note, str) or not one_line(note):
                out.add(line, _("each note must be non-empty text in quotes"))
                ok = False
            elif len(note) > _MAX_NOTE_TEXT:
                out.add(
                    line,
                    _(
                        "a note is {length} characters; it is said in one breath out, so keep "
                        "it to at most {most} (a short sentence is best)"
                    ).format(length=len(note), most=_MAX_NOTE_TEXT),
                )
                ok = False
            elif "{" in note or "}" in note:
                out.add(line, _("a note is said as written: remove the braces (no placeholders)"))
                ok = False
            else:
                notes.append(one_line(note))
    every = None
    if "notes_every" in raw:
        every = _whole(
            raw["notes_every"], "notes_every", lines.key("notes_every", index), out, _MAX_CYCLES
        )
        ok = ok and every is not None
        if "notes" not in raw:
            out.add(
                lines.key("notes_every", index),
                _("'notes_every' says how often the notes are said, but this block has no notes"),
            )
            ok = False
    return tuple(notes), every, ok


def _more_setting_warnings(
    step: Step, out: _Collector, *, holds: bool, stretchable: bool, lang: str = DEFAULT
) -> None:
    """:func:`setting_warnings` for the words :func:`_setting_warnings` does not see: an
    ``otherwise``, and a block's notes (said with and without the holds, at every length)."""
    if isinstance(step, Say) and step.otherwise:
        for message in setting_warnings(
            step.otherwise,
            step.when,
            holds=holds,
            breathing=True,
            stretchable=stretchable,
            lang=lang,
        ):
            out.add(step.line, message, warning=True)
    if isinstance(step, Breathe):
        for note in step.notes:
            messages = setting_warnings(
                note, None, holds=False, breathing=True, stretchable=stretchable, lang=lang
            )
            if holds and talks_about_holding(note, lang):
                messages.insert(
                    0,
                    _(
                        "a note is said with and without the holds (--no-holds); "
                        "leave holding out of notes"
                    ),
                )
            for message in messages:
                # TRANSLATORS: {note} is the note as written; {problem} what is wrong with it.
                out.add(
                    step.line,
                    _("note '{note}': {problem}").format(note=note, problem=message),
                    warning=True,
                )


# -- what `ground check` says about time without a sentence --------------------------------------


def guidance_warnings(
    script: Script, compile: Callable[[CompileOptions], Timeline]
) -> list[Problem]:
    """Warnings for ``ground check``: a breathing block that would run longer than
    :data:`QUIET_LIMIT` without a spoken sentence (breath words do not count), at the usual
    length, or at ``--minutes 1``, ``10`` and ``120`` for a script whose length can change, at
    the normal and the slowest pace; and a note longer than the breath out it is said in, at
    those lengths, with and without the holds.

    Args:
        script: a validated script.
        compile: compiles ``script`` with the given :class:`CompileOptions`, speech measured
            as listings measure it (the voice's clips already said, estimates for the rest).

    Returns:
        At most one warning per block for each kind, at the block's line.
    """
    return _quiet_warnings(script, compile) + _long_note_warnings(script, compile)


def _checked_lengths(script: Script) -> list[tuple[float | None, str]]:
    """The lengths ``ground check`` tries, each with how a warning names it: the usual length,
    and ``--minutes 1``, ``10`` and ``120`` for a script whose length can change."""
    # TRANSLATORS: when the quiet happens: "… without a spoken sentence at its usual length",
    # "… with --minutes 10".
    lengths: list[tuple[float | None, str]] = [(None, _("at its usual length"))]
    if script.stretchable:
        lengths += [
            (m, _("with --minutes {minutes}").format(minutes=f"{m:g}")) for m in (1.0, 10.0, 120.0)
        ]
    return lengths


def _quiet_warnings(script: Script, compile: Callable[[CompileOptions], Timeline]) -> list[Problem]:
    """A block that runs longer than :data:`QUIET_LIMIT` without a sentence, at each length
    and pace :func:`guidance_warnings` tries (one warning per block)."""
    from assistant.core.compiler import PACE_RANGE, CompileOptions, quiet_stretches

    out: list[Problem] = []
    quiet: set[int] = set()
    for minutes, where in _checked_lengths(script):
        for pace in (1.0, PACE_RANGE[1]):
            timeline = compile(CompileOptions(minutes=minutes, pace=pace))
            said = where if pace == 1.0 else f"{where}, --pace {pace:g}"
            for start, end in quiet_stretches(timeline):
                index = _block_in(timeline, start, end)
                if index in quiet:
                    continue
                quiet.add(index)
                out.append(
                    _quiet_problem(script, index, (end - start) / timeline.sample_rate, said)
                )
    return out


def _long_note_warnings(
    script: Script, compile: Callable[[CompileOptions], Timeline]
) -> list[Problem]:
    """A note longer than the breath out it is said in, with and without the holds (one
    warning per note)."""
    from assistant.core.compiler import CompileOptions, note_overruns

    out: list[Problem] = []
    long_notes: set[tuple[int, str]] = set()
    # Every length checked above: a longer session reaches notes a short one never says.
    for options in (
        CompileOptions(minutes=minutes, no_holds=no_holds)
        for minutes, _where in _checked_lengths(script)
        for no_holds in (False, True)
    ):
        timeline = compile(options)
        rate = timeline.sample_rate
        for note, room in note_overruns(timeline):
            if (note.step, note.text) in long_notes:
                continue
            long_notes.add((note.step, note.text))
            step = script.steps[note.step]
            out.append(
                Problem(
                    script.source,
                    getattr(step, "line", 0),
                    (
                        _(
                            "the note '{note}' takes about {seconds} s to say, but the breath out "
                            "it is said in leaves {room} s without the holds; shorten it"
                        )
                        if options.no_holds
                        else _(
                            "the note '{note}' takes about {seconds} s to say, but the breath out "
                            "it is said in leaves {room} s; shorten it"
                        )
                    ).format(
                        note=note.text,
                        seconds=decimal_sign(f"{note.duration / rate:.1f}"),
                        room=decimal_sign(f"{room / rate:.1f}"),
                    ),
                    warning=True,
                )
            )
    return out


def _block_in(timeline: Timeline, start: int, end: int) -> int:
    """The step that takes up most of the frames from ``start`` to ``end``."""
    best, most = -1, 0
    for span in timeline.steps:
        overlap = min(end, span.end) - max(start, span.start)
        if overlap > most:
            best, most = span.index, overlap
    return best


def _quiet_problem(script: Script, index: int, seconds: float, where: str) -> Problem:
    limit = f"{QUIET_LIMIT:g}"
    step = script.steps[index] if 0 <= index < len(script.steps) else None
    if isinstance(step, Breathe):
        quiet = (
            _(
                "'{block}' runs {seconds} s without a spoken sentence {when} (more than "
                "{limit} s; breath words do not count); add a smaller notes_every (see "
                "scripts/README.md)"
            )
            if step.notes
            else _(
                "'{block}' runs {seconds} s without a spoken sentence {when} (more than "
                '{limit} s; breath words do not count); add notes = ["..."] with a short '
                "sentence to say every so often (see scripts/README.md)"
            )
        )
        return Problem(
            script.source,
            step.line,
            quiet.format(block=step.label, seconds=f"{seconds:.0f}", when=where, limit=limit),
            warning=True,
        )
    return Problem(
        script.source,
        getattr(step, "line", 0),
        _(
            "{seconds} s pass without a spoken sentence {when} (more than {limit} s); "
            "add a short sentence here"
        ).format(seconds=f"{seconds:.0f}", when=where, limit=limit),
        warning=True,
    )
