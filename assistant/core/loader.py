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

from assistant.core.i18n import DEFAULT, SUPPORTED
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


@dataclass(frozen=True)
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
        tag = "warning: " if self.warning else ""
        return one_line(f"{where}: {tag}{self.message}")


class ScriptError(Exception):
    """A script file could not be loaded; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(str(problems[0]) if problems else "invalid script")


#: Owner of keys under a table header that is not ``[[step]]`` (never asked for by name).
_OTHER_TABLE = -2


def _unknown(key: str, allowed: set[str], form: str = "'{}'") -> str:
    """``did you mean 'steps'?`` for a near miss, or the list of allowed keys.

    ``form`` writes one name (``"{{{}}}"`` writes a placeholder as ``{inhale}``).
    """
    import difflib

    close = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
    if close:
        return f"did you mean {form.format(close[0])}?"
    return f"allowed: {', '.join(form.format(name) for name in sorted(allowed))}"


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
        raise ScriptError([Problem(str(path), 0, "is not UTF-8 text; save it as UTF-8")]) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ScriptError([Problem(str(path), 0, f"cannot be read ({reason})")]) from None
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
        problem = f"is not valid TOML: {message}; check quotes and brackets"
    except RecursionError:
        line, problem = 0, "nests lists or tables too deeply to read; flatten it"
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
        out.add(0, "has only section headings; add something to say, play or breathe")
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
                message = (
                    f"there is no [{key}] table; write {named} at the top of the file, "
                    "before the first [[step]], with no header"
                )
            else:
                message = f"unknown key '{key}'; {_unknown(key, _TOP_KEYS)}"
            out.add(out.lines.key(key), message)


def _header(
    data: Mapping[str, Any], out: _Collector, default_id: str
) -> tuple[str, str | None, str | None, str | None, str | None]:
    """The id (the file's name when it has none), title, summary, about and safety texts."""
    script_id = _text(data, "id", out, required=False) or default_id
    if not _ID_RE.match(script_id):
        out.add(
            out.lines.key("id"),
            f"id '{script_id}' must be 1-40 lowercase letters, digits or dashes, e.g. 'box-4'",
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
        out.add(
            out.lines.key("lang"), f"'lang' must be text, e.g. lang = \"es\", not {_kind(value)}"
        )
        return default
    if value not in SUPPORTED:
        out.add(
            out.lines.key("lang"),
            f"lang '{one_line(value)}' is not one of: {', '.join(SUPPORTED)} "
            '(the language the script is written in, e.g. lang = "es")',
        )
        return default
    return str(value)


def _category(data: Mapping[str, Any], out: _Collector) -> Category | None:
    raw_category = data.get("category")
    if raw_category is None:
        out.add(0, "missing 'category'; add e.g. category = \"breathe\"")
    elif raw_category not in {c.value for c in Category}:
        choices = ", ".join(c.value for c in Category)
        out.add(out.lines.key("category"), f"category '{raw_category}' is not one of: {choices}")
    else:
        return Category(raw_category)
    return None


def _steps(raw_steps: Any, out: _Collector) -> list[Step]:
    """Every step that is valid (the others are reported)."""
    steps: list[Step] = []
    if raw_steps is None:
        out.add(0, "has no steps; add at least one [[step]] table (see scripts/README.md)")
    elif not isinstance(raw_steps, list) or not all(isinstance(s, dict) for s in raw_steps):
        out.add(out.lines.key("step"), "'step' must be written as [[step]] tables")
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
            "a breathing block with fill = true needs the session length: add e.g. minutes = 5 "
            "at the top of the file",
        )
    # A filling block that is broken is reported already; minutes are not wrong because of it.
    meant_to_fill = isinstance(raw_steps, list) and any(
        isinstance(raw, dict) and raw.get("fill") is True for raw in raw_steps
    )
    if minutes is not None and not meant_to_fill:
        out.add(
            out.lines.key("minutes"),
            "'minutes' only applies to scripts with a breathing block that has fill = true; "
            "remove it or add fill = true to a block",
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
                variant = " without the holds" if no_holds else ""
                out.add(
                    step.line or out.lines.step(0),
                    f"by this step the script is already longer{variant} than "
                    f"{_plain(_MINUTES_RANGE[1])} minutes, the longest session; shorten its "
                    "pauses or breaths, or split it into two scripts",
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
                f'when = "{step.when.value}" makes no difference here: no breathing block in '
                "this script holds the breath",
                warning=True,
            )


def _text(data: Mapping[str, Any], key: str, out: _Collector, *, required: bool) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            out.add(0, f"missing '{key}'; add e.g. {key} = \"...\" at the top of the file")
        return None
    if not isinstance(value, str) or not one_line(value):
        out.add(out.lines.key(key), f"'{key}' must be non-empty text in quotes")
        return None
    return one_line(value)


def _number(
    value: Any, name: str, line: int, out: _Collector, limits: tuple[float, float]
) -> float | None:
    low, high = limits
    if isinstance(value, bool) or not isinstance(value, int | float):
        out.add(line, f"'{name}' must be a number of seconds or minutes, not {_kind(value)}")
        return None
    if not low <= value <= high:
        out.add(line, f"'{name}' = {value} is outside {_plain(low)}–{_plain(high)}")
        return None
    return float(value)


def _whole(value: Any, name: str, line: int, out: _Collector, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        out.add(line, f"'{name}' must be a whole number, not {_kind(value)}")
        return None
    if not 1 <= value <= high:
        out.add(line, f"'{name}' = {value} is outside 1–{high}")
        return None
    return value


def _plain(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _kind(value: Any) -> str:
    names = {str: "text", bool: "true/false", list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _step(raw: Mapping[str, Any], index: int, out: _Collector) -> Step | None:
    action = _action(raw, index, out)
    if action is None:
        return None
    allowed = _STEP_KEYS[action]
    for key in raw:
        if key not in allowed:
            out.add(
                out.lines.key(key, index),
                f"'{key}' does not belong in a {action} step; {_unknown(key, allowed)}",
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
        what = " and ".join(f"'{a}'" for a in actions) if actions else "none"
        out.add(
            out.lines.step(index),
            f"each [[step]] needs exactly one of say, chime, breathe, section or pause "
            f"(found {what}); split it into separate steps",
        )
        return None
    return actions[0]


@dataclass(frozen=True)
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
        out.add(lines.key("optional", index), "'optional' must be true or false")
        ok = False
    return _Common(pause, when, bool(optional), ok and when_ok)


def _say(raw: Mapping[str, Any], index: int, out: _Collector, common: _Common) -> Step | None:
    text = raw["say"]
    line = out.lines.key("say", index)
    if not isinstance(text, str) or not one_line(text):
        out.add(line, "'say' must be non-empty text in quotes")
        return None
    if len(text) > _MAX_TEXT:
        out.add(
            line,
            f"'say' text is {len(text)} characters; split it into steps of at most {_MAX_TEXT}",
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
        out.add(line, f"chime '{sound}' is not a known sound; use one of: {', '.join(SOUNDS)}")
        return None
    return Chime(sound, common.pause, line, common.when, common.optional) if common.ok else None


def _section(raw: Mapping[str, Any], index: int, out: _Collector, common: _Common) -> Step | None:
    title = raw["section"]
    line = out.lines.key("section", index)
    if not isinstance(title, str) or not one_line(title):
        out.add(line, "'section' must be non-empty text in quotes")
        return None
    return Section(title=one_line(title), line=line, when=common.when) if common.ok else None


def _silence(raw: Mapping[str, Any], index: int, out: _Collector, common: _Common) -> Step | None:
    line = out.lines.key("pause", index)
    if common.ok and common.pause <= 0:
        out.add(line, "a pause step needs pause greater than 0")
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
            f'\'when\' must be "holds" (only with the breath holds) or "no-holds" (only '
            f"without them), not {value!r}",
        )
        return None, False
    return When(value), True


def _placeholders_known(text: str, line: int, out: _Collector) -> bool:
    """Report a ``{name}`` that is not a placeholder, or a brace that opens none."""
    for name in placeholders(text):
        if name not in PLACEHOLDERS and name not in LADDER_PLACEHOLDERS:
            hint = _unknown(name, {*PLACEHOLDERS, *LADDER_PLACEHOLDERS}, "{{{}}}")
            out.add(line, f"'{{{name}}}' is not a placeholder; {hint}")
            return False
    if stray_brace(text):
        known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        out.add(line, f"a brace in 'say' must enclose a placeholder ({known}); remove the others")
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
            out.add(step.line, "placeholders name a breathing block's seconds, but there is none")
            continue
        for name in dict.fromkeys(names):
            kind = PhaseKind(name)
            if getattr(block.pattern, name) <= 0:
                out.add(
                    step.line,
                    f"{{{name}}} names the {name} of '{block.label}' (line {block.line}), "
                    f"which has no {name}",
                )
            elif kind.is_hold and step.when is not When.HOLDS:
                out.add(
                    step.line,
                    f"{{{name}}} is a hold, which --no-holds leaves out; "
                    'add when = "holds" to this step',
                )


def _breathe(raw: Mapping[str, Any], index: int, out: _Collector) -> Breathe | None:
    header = out.lines.key("breathe", index)
    label = raw["breathe"]
    ok = True
    if not isinstance(label, str) or not one_line(label):
        out.add(header, "'breathe' must be a short name in quotes, e.g. breathe = \"Box\"")
        ok = False
    seconds, broken = _phase_seconds(raw, index, out)
    counts = _counts(raw, index, out)
    tones = raw.get("tones", True)
    if not isinstance(tones, bool):
        out.add(out.lines.key("tones", index), "'tones' must be true or false")
        ok = False
    words, words_ok = _words(raw, index, out, seconds, broken)
    if not words and tones is False:
        out.add(
            header,
            "this block has no words and tones = false, so it would be silent; "
            "add words or turn tones on",
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
                f"a breathing block needs '{name}' (seconds), e.g. {name} = 4",
            )
            broken.add(name)
    return seconds, broken


@dataclass(frozen=True)
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
        out.add(lines.key("fill", index), "'fill' must be true or false")
        ok = False
    if "cycles" in raw:
        cycles = _whole(raw["cycles"], "cycles", lines.key("cycles", index), out, _MAX_CYCLES)
        ok = ok and cycles is not None
    if isinstance(fill, bool) and ("cycles" in raw) == fill:
        out.add(
            lines.key("breathe", index),
            "a breathing block needs either cycles = N (a fixed number of breaths) or fill = true "
            "(fill the session length), not both or neither",
        )
        ok = False
    if "max_cycles" in raw:
        max_cycles = _whole(
            raw["max_cycles"], "max_cycles", lines.key("max_cycles", index), out, _MAX_CYCLES
        )
        ok = ok and max_cycles is not None
        if cycles and max_cycles and cycles > max_cycles:
            out.add(
                lines.key("cycles", index), f"cycles = {cycles} exceeds max_cycles = {max_cycles}"
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
        out.add(line, '\'words\' must be a table, e.g. words = { inhale = "in", exhale = "out" }')
        return [], False
    words: list[tuple[PhaseKind, str]] = []
    ok = True
    for phase_name, word in raw_words.items():
        if phase_name not in _PHASE_LIMITS:
            out.add(
                line, f"words has unknown phase '{phase_name}'; use: {', '.join(_PHASE_LIMITS)}"
            )
            ok = False
        elif not isinstance(word, str) or not one_line(word):
            out.add(line, f"the word for '{phase_name}' must be text")
            ok = False
        elif phase_name in broken:
            pass  # its seconds are reported already
        elif seconds.get(phase_name, 0) <= 0:
            out.add(
                line,
                f"words names '{phase_name}', but the pattern has no {phase_name}; "
                f"set {phase_name} = seconds or remove the word",
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
                f"{{{names[0]}}} is filled in only when a ladder step is played; add "
                'otherwise = "..." with the words to say without one',
            )
            return None, False
        return None, True
    value = raw["otherwise"]
    if not names:
        out.add(
            line,
            "'otherwise' is said only in place of a line that names {step} or "
            "{safety_behaviour}; remove it, or name one in 'say'",
        )
        return None, False
    if not isinstance(value, str) or not one_line(value):
        out.add(line, "'otherwise' must be non-empty text in quotes")
        return None, False
    if len(value) > _MAX_TEXT:
        out.add(
            line,
            f"'otherwise' text is {len(value)} characters; keep it to at most {_MAX_TEXT}",
        )
        return None, False
    if ladder_names(value):
        out.add(
            line,
            f"'otherwise' is said when there is no ladder step, so it cannot name "
            f"{{{ladder_names(value)[0]}}}; write it without",
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
                f"'notes' must be a list of 1 to {_MAX_NOTES} sentences, e.g. "
                'notes = ["If your mind has wandered, that\'s fine."]',
            )
            return (), None, False
        for note in value:
            if not isinstance(note, str) or not one_line(note):
                out.add(line, "each note must be non-empty text in quotes")
                ok = False
            elif len(note) > _MAX_NOTE_TEXT:
                out.add(
                    line,
                    f"a note is {len(note)} characters; it is said in one breath out, so keep "
                    f"it to at most {_MAX_NOTE_TEXT} (a short sentence is best)",
                )
                ok = False
            elif "{" in note or "}" in note:
                out.add(line, "a note is said as written: remove the braces (no placeholders)")
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
                "'notes_every' says how often the notes are said, but this block has no notes",
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
                    "a note is said with and without the holds (--no-holds); "
                    "leave holding out of notes",
                )
            for message in messages:
                out.add(step.line, f"note '{note}': {message}", warning=True)


# -- what `ground check` says about time without a sentence --------------------------------------


def guidance_warnings(
    script: Script, compile: Callable[[CompileOptions], Timeline]
) -> list[Problem]:
    """Warnings for ``ground check``: a breathing block that would run longer than
    :data:`QUIET_LIMIT` without a spoken sentence (breath words do not count), at the usual
    length, or at ``--minutes 1``, ``10`` and ``120`` for a script whose length can change, at
    the normal and the slowest pace; and a note longer than the breath out it is said in.

    Args:
        script: a validated script.
        compile: compiles ``script`` with the given :class:`CompileOptions`, speech lengths
            estimated (``session.estimate_timeline``).

    Returns:
        At most one warning per block for each kind, at the block's line.
    """
    from assistant.core.compiler import PACE_RANGE, CompileOptions, note_overruns, quiet_stretches

    out: list[Problem] = []
    lengths: list[tuple[float | None, str]] = [(None, "at its usual length")]
    if script.stretchable:
        lengths += [(m, f"with --minutes {m:g}") for m in (1.0, 10.0, 120.0)]
    quiet: set[int] = set()
    for minutes, where in lengths:
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
    long_notes: set[tuple[int, str]] = set()
    for options in (CompileOptions(), CompileOptions(no_holds=True)):
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
                    f"the note '{note.text}' takes about {note.duration / rate:.1f} s to say, "
                    f"but the breath out it is said in leaves {room / rate:.1f} s"
                    f"{' without the holds' if options.no_holds else ''}; shorten it",
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
        hint = (
            "a smaller notes_every"
            if step.notes
            else 'notes = ["..."] with a short sentence to say every so often'
        )
        return Problem(
            script.source,
            step.line,
            f"'{step.label}' runs {seconds:.0f} s without a spoken sentence {where} (more than "
            f"{limit} s; breath words do not count); add {hint} (see scripts/README.md)",
            warning=True,
        )
    return Problem(
        script.source,
        getattr(step, "line", 0),
        f"{seconds:.0f} s pass without a spoken sentence {where} (more than {limit} s); "
        "add a short sentence here",
        warning=True,
    )
