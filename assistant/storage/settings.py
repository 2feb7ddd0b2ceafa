"""User settings, stored as TOML in the config dir; a corrupt file is moved aside, never lost."""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from assistant.core.files import atomic_write, set_aside
from assistant.core.model import ENGINE_NAMES
from assistant.core.safe import UnsafeFile, one_line, read_regular_text
from assistant.core.sounds import AMBIENTS, BELL_CHOICES, TONE_SETS
from assistant.storage.paths import private_dir, settings_file


@dataclass(frozen=True)
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
    no_holds: bool = False
    """Leave out every breath hold (for asthma, high blood pressure, or just comfort)."""
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
            raise SettingsError(f"{name} holds control characters; write it as plain text")
    if settings.engine not in ENGINE_NAMES:
        engine = one_line(settings.engine)
        raise SettingsError(f"engine '{engine}' is not one of: {', '.join(ENGINE_NAMES)}")
    if settings.theme not in ("dark", "light"):
        raise SettingsError(f"theme '{settings.theme}' is not one of: dark, light")
    for name, choices in _CHOICES.items():
        value = getattr(settings, name)
        if value not in choices:
            raise SettingsError(f"{name} '{one_line(value)}' is not one of: {', '.join(choices)}")
    for name, (low, high) in _LIMITS.items():
        value = getattr(settings, name)
        if value is not None and not low <= value <= high:
            raise SettingsError(f"{name} = {value} is outside {low}–{high}")
    return settings


#: Settings files are a few hundred bytes.
SETTINGS_LIMIT = 64 * 1024


def load_settings(path: Path | None = None) -> tuple[Settings, str | None]:
    """Read settings; returns them with a one-line notice if the file had to be set aside.

    A missing file gives the defaults. A file that is not valid TOML, or holds values of the
    wrong type, is renamed to ``settings.toml.broken-<time>`` (so nothing is lost) and the
    defaults are used.
    """
    path = path or settings_file()
    try:
        raw = read_regular_text(path, SETTINGS_LIMIT)  # a FIFO or device never blocks start-up
    except FileNotFoundError:
        return Settings(), None
    except UnicodeDecodeError:
        return Settings(), f"Could not read {path} (it is not UTF-8 text); using default settings."
    except OSError as exc:
        why = one_line(str(exc) if isinstance(exc, UnsafeFile) else exc.strerror or str(exc))
        return Settings(), f"Could not read {path} ({why}); using default settings."
    try:
        data = tomllib.loads(raw)
        return validate(_from_dict(data)), None
    except RecursionError:
        return _set_aside(path, "it nests too deeply")
    except (tomllib.TOMLDecodeError, SettingsError, TypeError) as exc:
        return _set_aside(path, one_line(str(exc)))


def _set_aside(path: Path, why: str) -> tuple[Settings, str]:
    """Defaults, with the broken file kept beside (never over an earlier one) and a notice."""
    try:
        aside = set_aside(path)
    except OSError:
        return Settings(), f"{path} is invalid ({why}); using default settings."
    return Settings(), f"{path} was invalid ({why}); moved it to {aside.name}, using defaults."


def _from_dict(data: dict[str, Any]) -> Settings:
    known = {f.name: f for f in fields(Settings)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            continue  # a newer version's setting: keep reading, ignore it
        if key == "keys":
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                raise TypeError('[keys] must map binding ids to keys, e.g. "session.pause" = "p"')
            values["keys"] = tuple(sorted(value.items()))
            continue
        default = getattr(Settings(), key)
        expected = type(default) if default is not None else (int if key == "rate" else str)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise TypeError(f"{key} should be {expected.__name__}, not {type(value).__name__}")
        values[key] = value
    return Settings(**values)


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write settings atomically, readable by this user only."""
    path = path or settings_file()
    private_dir(path.parent)
    lines = ["# ground settings (see `ground doctor` for voices and devices)"]
    for key, value in dataclasses.asdict(validate(settings)).items():
        if value is None or key == "keys":
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
    atomic_write(path, ("\n".join(lines) + "\n").encode("utf-8"))


def _quote(text: str) -> str:
    """A TOML basic string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
