"""User settings, stored as TOML in the config dir; a corrupt file is moved aside, never lost."""

from __future__ import annotations

import dataclasses
import re
import stat
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from assistant.core.files import UnsafeTarget, atomic_write, check_target, set_aside
from assistant.core.i18n import _
from assistant.core.model import ENGINE_NAMES, value_type
from assistant.core.safe import UnsafeFile, one_line, read_regular_text
from assistant.core.sounds import AMBIENTS, BELL_CHOICES, TONE_SETS
from assistant.core.support import MAX_CONTACTS, Contact, contact_problem
from assistant.storage.paths import private_dir, settings_file
from assistant.storage.writable import cannot_write


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class Settings:
    """Everything a person can set. Defaults suit someone who has never opened settings."""

    engine: str = "auto"
    """Speech engine: ``auto`` (the most natural voice installed: Piper, else the system voice),
    ``system`` (pyttsx3), ``espeak``, ``piper`` or ``none`` (tones and captions only)."""
    voice: str | None = None
    """Voice id for the engine (``ground doctor`` lists them); None is the engine's default."""
    rate: int | None = 150
    """Speaking rate in words per minute: slower than usual speech (175), for slow guidance
    (for Piper, a length scale of 175/150 ≈ 1.17)."""
    sentence_pause: float = 0.6
    """Seconds of quiet between the sentences of one cue (Piper voices; 0.2 is Piper's own)."""
    volume: float = 0.8
    """Master volume, 0–1."""
    voice_on: bool = True
    """Speak the words; off leaves an eyes-closed, tones-only session."""
    tones_on: bool = True
    """Play the soft rising/falling phase tones."""
    holds: bool | None = None
    """Breath holds, chosen once for every script: on, off, or None (not chosen yet: none are
    played until the person chooses). An older file's ``no_holds = true`` reads as off."""
    pace: float = 1.0
    """Scales breathing phases: 1.25 is slower, 0.8 quicker."""
    device: str | None = None
    """Output device name or number; None is the system default."""
    reduced_motion: bool = False
    """Show a filling bar and counts instead of the growing pacer."""
    theme: str = "dark"
    """``dark`` or ``light``."""
    ask_before: bool = True
    """Ask "how tense do you feel" before a session as well as after."""
    meter_on: bool = False
    """Show the microphone breath meter during sessions (opt-in)."""
    input_device: str | None = None
    """Microphone name or number for the meter; None is the system default."""
    gate_voice: bool = True
    """Ignore the microphone while the voice speaks (turn off with headphones)."""
    ladder_on: bool = True
    """Show the exposure ladder (F5) and its small wins; off hides it entirely."""
    speak_feedback: bool = False
    """Say the meter's pacing remark aloud too (at most once a minute, between cues)."""
    tones: str = "soft-sine"
    """The tone set of the breathing tones: ``soft-sine`` (ground's own), ``hum`` or ``wood``."""
    bell: str = "bell"
    """The bell that opens and closes a session and rings the timer: ``bell``, ``chime``,
    ``woodblock`` or ``none``."""
    ambient: str = "none"
    """An ambient sound under the session: ``none`` (off by default), ``waves`` (swelling with
    the breath), ``rain`` or ``brown`` (brown noise)."""
    voice_volume: float = 1.0
    """The voice's level, 0–1, under the master volume."""
    tones_volume: float = 1.0
    """The tones' and bells' level, 0–1, under the master volume."""
    ambient_volume: float = 1.0
    """The ambient sound's level, 0–1, under the master volume."""
    timer_minutes: float = 10.0
    """The timer's length in minutes, as last chosen in the app."""
    timer_open: bool = False
    """The timer sits until ended rather than for ``timer_minutes``."""
    timer_every: float = 0.0
    """Minutes between the timer's interval bells; 0 for none."""
    timer_delay: float = 10.0
    """Seconds of quiet before the timer's start bell."""
    timer_bell: str = "bell"
    """The timer's bell (one of ``bell``'s choices)."""
    timer_ambient: str = "none"
    """The ambient sound under the timer (one of ``ambient``'s choices)."""
    keys: tuple[tuple[str, str], ...] = ()
    """Remapped keys, binding id → keys (``[keys]`` table, e.g. ``"session.pause" = "p"``)."""
    language: str | None = None
    """The language to show and speak (``en``, ``es``, ``de``); None follows the environment
    (``LANG``…). ``--lang`` overrides it; any other language is English."""
    contacts: tuple[Contact, ...] = ()
    """People to reach when things are hard (``[[contacts]]`` tables of ``name`` and
    ``number``), shown with where to get help (F1, ``ground help``)."""

    @property
    def no_holds(self) -> bool:
        """Whether sessions leave the holds out: unless the person chose them, they do."""
        return self.holds is not True


_LIMITS = {
    "volume": (0.0, 1.0),
    "pace": (0.8, 1.25),
    "rate": (80, 300),
    "sentence_pause": (0.0, 2.0),
    "voice_volume": (0.0, 1.0),
    "tones_volume": (0.0, 1.0),
    "ambient_volume": (0.0, 1.0),
    "timer_minutes": (0.25, 120.0),
    "timer_every": (0.0, 120.0),
    "timer_delay": (0.0, 600.0),
}
#: Settings chosen from a list of names (``core.sounds``): name → the choices.
_CHOICES = {
    "tones": TONE_SETS,
    "bell": BELL_CHOICES,
    "ambient": AMBIENTS,
    "timer_bell": BELL_CHOICES,
    "timer_ambient": AMBIENTS,
}


class SettingsError(ValueError):
    """A settings value is invalid."""


class SettingsNotSaved(OSError):
    """The settings file cannot be written; the message says where and what to do."""


def validate(settings: Settings) -> Settings:
    """Check ranges and choices.

    Raises:
        SettingsError: naming the field and the allowed values.
    """
    # Text settings are shown (doctor, notices): control characters would reach the terminal.
    texts = [(f.name, getattr(settings, f.name)) for f in fields(Settings)]
    texts += [(f"keys.{k}", v) for k, v in settings.keys] + [("keys", k) for k, _ in settings.keys]
    for name, value in texts:
        if isinstance(value, str) and not value.isprintable():
            # TRANSLATORS: {setting} is a setting's name in the settings file (engine, voice).
            raise SettingsError(
                _("{setting} holds control characters; write it as plain text").format(setting=name)
            )
    if len(settings.contacts) > MAX_CONTACTS:
        raise SettingsError(
            _("contacts: at most {most}, not {count}").format(
                most=MAX_CONTACTS, count=len(settings.contacts)
            )
        )
    for contact in settings.contacts:
        problem = contact_problem(contact.name, contact.number)
        if problem is not None:
            raise SettingsError(f"contacts: {problem}")  # the settings file's key, then why
    if settings.engine not in ENGINE_NAMES:
        engine = one_line(settings.engine)
        raise SettingsError(
            _("{setting} '{value}' is not one of: {choices}").format(
                setting="engine", value=engine, choices=", ".join(ENGINE_NAMES)
            )
        )
    if settings.theme not in ("dark", "light"):
        raise SettingsError(
            _("{setting} '{value}' is not one of: {choices}").format(
                setting="theme", value=settings.theme, choices="dark, light"
            )
        )
    for name, choices in _CHOICES.items():
        value = getattr(settings, name)
        if value not in choices:
            raise SettingsError(
                _("{setting} '{value}' is not one of: {choices}").format(
                    setting=name, value=one_line(value), choices=", ".join(choices)
                )
            )
    for name, (low, high) in _LIMITS.items():
        value = getattr(settings, name)
        if value is not None and not low <= value <= high:
            # TRANSLATORS: "rate = 400 is outside 80–300", numbers as the settings file writes
            # them (with a point); keep "{setting} = {value}" as it is.
            raise SettingsError(
                _("{setting} = {value} is outside {low}–{high}").format(
                    setting=name,
                    value=value,
                    low=low,
                    high=high,
                )
            )
    return settings


#: Settings files are a few hundred bytes.
SETTINGS_LIMIT = 64 * 1024


def read_language(path: Path | None = None) -> str | None:
    """The ``language`` setting alone, read quietly at start-up (before the command's own
    :func:`load_settings`, which reports a broken file): None when unset or unreadable."""
    try:
        data = tomllib.loads(read_regular_text(path or settings_file(), SETTINGS_LIMIT))
    except (OSError, UnicodeDecodeError, *_INVALID):
        return None
    value = data.get("language")
    return value if isinstance(value, str) and value.isprintable() else None


def load_settings(path: Path | None = None) -> tuple[Settings, str | None]:
    """Read settings; returns them with a one-line notice if the file could not be used.

    A missing file gives the defaults. A regular file that cannot be read (not UTF-8, too
    large, no permission), is not valid TOML, or holds values of the wrong type, is renamed to
    ``settings.toml.broken-<time>`` (never over an earlier one, so nothing is lost) and the
    defaults are used. Anything else there (a FIFO, a device, a link to one) is left alone.
    """
    path = path or settings_file()
    try:
        raw = read_regular_text(path, SETTINGS_LIMIT)  # a FIFO or device never blocks start-up
    except FileNotFoundError:
        return Settings(), None
    except (OSError, UnicodeDecodeError) as exc:
        return _unreadable(path, _why_unreadable(exc))
    try:
        return _parse(raw), None
    except _INVALID as exc:
        return _set_aside(path, _why_invalid(exc))


#: What a settings text that cannot be used raises from :func:`_parse`.
_INVALID = (tomllib.TOMLDecodeError, SettingsError, TypeError, RecursionError)


def _parse(text: str) -> Settings:
    return validate(_from_dict(tomllib.loads(text)))


def _why_unreadable(exc: OSError | UnicodeDecodeError) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return _("it is not UTF-8 text")
    return one_line(str(exc) if isinstance(exc, UnsafeFile) else exc.strerror or str(exc))


def _why_invalid(exc: Exception) -> str:
    return _("it nests too deeply") if isinstance(exc, RecursionError) else one_line(str(exc))


def _unreadable(path: Path, why: str) -> tuple[Settings, str]:
    """Defaults: a regular file is set aside (a later save must not replace what could not be
    read); a FIFO, device or link stays where it is, and saving refuses to write over it."""
    try:
        regular = stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        regular = False
    if regular:
        return _set_aside(path, why, readable=False)
    return Settings(), _("Could not read {path} ({why}); using default settings.").format(
        path=path, why=why
    )


def _set_aside(path: Path, why: str, *, readable: bool = True) -> tuple[Settings, str]:
    """Defaults, with the file kept beside (never over an earlier one) and a notice: it was
    invalid, or (``readable`` False) it could not be read."""
    try:
        aside = set_aside(path)
    except OSError:
        notice = (
            _("{path} was invalid ({why}); using default settings.")
            if readable
            else _("{path} could not be read ({why}); using default settings.")
        )
        return Settings(), notice.format(path=path, why=why)
    # TRANSLATORS: {kept} is the name the file now has, beside the new one.
    notice = (
        _("{path} was invalid ({why}); moved it to {kept}, using defaults.")
        if readable
        else _("{path} could not be read ({why}); moved it to {kept}, using defaults.")
    )
    return Settings(), notice.format(path=path, why=why, kept=aside.name)


def _from_dict(data: dict[str, Any]) -> Settings:
    known = {f.name: f for f in fields(Settings)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key == OLD_NO_HOLDS:
            if not isinstance(value, bool):
                raise TypeError(
                    _("{setting} should be {expected}, not {found}").format(
                        setting=key, expected="bool", found=type(value).__name__
                    )
                )
            if value and "holds" not in data:
                values["holds"] = False  # chosen before holds were asked about: off stays off
            continue
        if key not in known:
            continue  # a newer version's setting: keep reading, ignore it
        if key == "contacts":
            values["contacts"] = _contacts(value)
            continue
        if key == "holds":
            if not isinstance(value, bool):
                raise TypeError(
                    _("holds should be true or false, not {found}").format(
                        found=type(value).__name__
                    )
                )
            values["holds"] = value
            continue
        if key == "keys":
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                raise TypeError(
                    _('[keys] must map binding ids to keys, e.g. "session.pause" = "p"')
                )
            values["keys"] = tuple(sorted(value.items()))
            continue
        default = getattr(Settings(), key)
        expected = type(default) if default is not None else (int if key == "rate" else str)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            # TRANSLATORS: {expected} and {found} are Python's type names (int, str, bool).
            raise TypeError(
                _("{setting} should be {expected}, not {found}").format(
                    setting=key, expected=expected.__name__, found=type(value).__name__
                )
            )
        values[key] = value
    return Settings(**values)


#: The setting before holds were a choice: ``no_holds = true`` reads as holds off; false, or no
#: line, as not chosen yet (it was the default, never a choice). A save that changes the holds
#: replaces it with ``holds``.
OLD_NO_HOLDS = "no_holds"


def _contacts(value: Any) -> tuple[Contact, ...]:
    """``[[contacts]]`` as read: a list of tables with a ``name`` and a ``number`` each."""
    if not isinstance(value, list) or not all(isinstance(c, dict) for c in value):
        raise TypeError(_('contacts must be [[contacts]] tables, each with name = "…" and number'))
    contacts = []
    for table in value:
        unknown = set(table) - {"name", "number"}
        if unknown:
            raise TypeError(
                _("a contact has only a name and a number, not {key}").format(
                    key=sorted(unknown)[0]
                )
            )
        name, number = table.get("name"), table.get("number")
        problem = contact_problem(name, number)
        if problem is not None:
            raise SettingsError(f"contacts: {problem}")
        contacts.append(Contact(str(name), str(number)))
    return tuple(contacts)


def save_settings(settings: Settings, path: Path | None = None) -> str | None:
    """Write settings atomically, readable by this user only, keeping the person's own lines.

    An existing file is updated in place: only the lines of settings that changed are
    rewritten, so comments, keys this version does not know, order and formatting stay. A file
    there that cannot be read or parsed is set aside first, never replaced.

    Returns:
        A one-line notice when the file there had to be set aside, else None.

    Raises:
        SettingsError: a value is invalid (nothing is written).
        UnsafeTarget: the path is a link, a FIFO or a device (nothing is written).
        SettingsNotSaved: the folder cannot be written (an ``OSError``: one line, what to do).
    """
    path = path or settings_file()
    validate(settings)
    try:
        private_dir(path.parent)
    except OSError as exc:
        raise SettingsNotSaved(cannot_write(path.parent, exc)) from None
    check_target(path)
    notice = None
    text = None
    try:
        text = read_regular_text(path, SETTINGS_LIMIT)
        _parse(text)
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as exc:
        text, notice = None, _unreadable(path, _why_unreadable(exc))[1]
    except _INVALID as exc:
        text, notice = None, _set_aside(path, _why_invalid(exc))[1]
    fresh = _fresh_text(settings)
    updated = None if text is None else _updated_text(text, settings, _parse(fresh))
    if text is not None and updated is None:
        # The person's file is valid but its layout defeats an in-place update: keep it beside.
        notice = _set_aside(path, _("its layout could not be updated in place"))[1]
    try:
        atomic_write(path, (updated or fresh).encode("utf-8"))
    except UnsafeTarget:
        raise
    except OSError as exc:
        raise SettingsNotSaved(cannot_write(path, exc, "write")) from None
    return notice


def _fresh_text(settings: Settings) -> str:
    """The file ground writes when there is none: every setting, one a line."""
    lines = ["# ground settings (see `ground doctor` for voices and devices)"]
    for key, value in dataclasses.asdict(settings).items():
        if value is None or key in ("keys", "contacts"):
            continue
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, int | float):
            text = repr(value)
        else:
            text = _quote(str(value))
        lines.append(f"{key} = {text}")
    if settings.keys:
        lines.append("\n[keys]")
        lines.extend(f"{_quote(k)} = {_quote(v)}" for k, v in settings.keys)
    for contact in settings.contacts:
        lines.append(f"\n[[contacts]]\nname = {_quote(contact.name)}")
        lines.append(f"number = {_quote(contact.number)}")
    return "\n".join(lines) + "\n"


def _updated_text(text: str, settings: Settings, expected: Settings) -> str | None:
    """``text`` with the settings that differ from it changed, every other byte kept; None if
    the result would not read back as ``expected`` (what a fresh file would give)."""
    import tomlkit  # only when saving: tomllib reads, tomlkit keeps the person's layout
    from tomlkit.exceptions import TOMLKitError

    try:
        doc = tomlkit.parse(text)
        old = _parse(text)
        for name in (f.name for f in fields(Settings) if f.name not in ("keys", "contacts")):
            value = getattr(settings, name)
            if value == getattr(old, name):
                continue
            if name == "holds":
                doc.pop(OLD_NO_HOLDS, None)  # the choice is written as ``holds`` from now on
            if value is None:
                doc.pop(name, None)
            else:
                doc[name] = value
        _update_keys(doc, dict(old.keys), dict(settings.keys))
        if settings.contacts != old.contacts:
            _update_contacts(doc, settings.contacts)
        result = tomlkit.dumps(doc)
        if "\r\n" in text and "\n" not in text.replace("\r\n", ""):
            result = re.sub(r"(?<!\r)\n", "\r\n", result)  # new lines end as the others do
        return result if _parse(result) == expected else None
    except (TOMLKitError, *_INVALID):
        return None


def _update_keys(doc: Any, had: dict[str, str], wanted: dict[str, str]) -> None:
    """Change only the ``[keys]`` entries that differ (the table and its comments stay)."""
    if had == wanted:
        return
    if "keys" not in doc:
        import tomlkit

        doc["keys"] = tomlkit.table()
    table = doc["keys"]
    for binding in had.keys() - wanted.keys():
        del table[binding]
    for binding, keys in wanted.items():
        if had.get(binding) != keys:
            table[binding] = keys


def _update_contacts(doc: Any, contacts: tuple[Contact, ...]) -> None:
    """Write the contacts again as ``[[contacts]]`` tables (none: no ``contacts`` at all)."""
    import tomlkit

    doc.pop("contacts", None)
    if not contacts:
        return
    tables = tomlkit.aot()
    for contact in contacts:
        table = tomlkit.table()
        table["name"] = contact.name
        table["number"] = contact.number
        tables.append(table)
    doc["contacts"] = tables


def _quote(text: str) -> str:
    """A TOML basic string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
