"""A shortcut (modifiers and one key), read from ``--key``, spelled as each desktop writes it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.i18n import _

DEFAULT_KEY = "super+alt+g"
_MODS = {
    "super": "super",
    "mod4": "super",
    "logo": "super",
    "meta": "super",
    "win": "super",
    "cmd": "super",
    "alt": "alt",
    "mod1": "alt",
    "option": "alt",
    "ctrl": "ctrl",
    "control": "ctrl",
    "primary": "ctrl",
    "shift": "shift",
}
_MOD_ORDER = ("super", "ctrl", "alt", "shift")
_KEY = re.compile(r"[a-z0-9]|f[1-9]|f1[0-2]", re.ASCII)


class HotkeyError(ValueError):
    """Bad input: one line saying what cannot be used and what to do instead (exit 2)."""


@dataclass(frozen=True)
class Spelling:
    """How one desktop writes a shortcut: its modifier names (in ``super, ctrl, alt, shift``
    order), what goes between them, between them and the key, and the key's case."""

    mods: tuple[str, str, str, str]
    between: str
    before_key: str
    upper: bool


SPELLINGS = {
    "label": Spelling(("Super", "Ctrl", "Alt", "Shift"), "+", "+", upper=True),  # for people
    "gnome": Spelling(("<Super>", "<Control>", "<Alt>", "<Shift>"), "", "", upper=False),
    "kde": Spelling(("Meta", "Ctrl", "Alt", "Shift"), "+", "+", upper=True),
    "xkb": Spelling(("Mod4", "Control", "Mod1", "Shift"), "+", "+", upper=False),  # sway, i3
    "hyprland": Spelling(("SUPER", "CTRL", "ALT", "SHIFT"), " ", ", ", upper=True),
    "skhd": Spelling(("cmd", "ctrl", "alt", "shift"), " + ", " - ", upper=False),  # macOS
}


@dataclass(frozen=True)
class Key:
    """A shortcut: modifiers (``super``, ``ctrl``, ``alt``, ``shift``) and one key."""

    mods: frozenset[str]
    key: str

    def spelled(self, style: str) -> str:
        """The shortcut as :data:`SPELLINGS` ``[style]`` writes it (``xkb``: ``Mod4+Mod1+g``)."""
        spelling = SPELLINGS[style]
        names = dict(zip(_MOD_ORDER, spelling.mods, strict=True))
        mods = spelling.between.join(names[m] for m in _MOD_ORDER if m in self.mods)
        key = self.key.upper() if spelling.upper else self.key
        return f"{mods}{spelling.before_key}{key}" if mods else key

    def label(self) -> str:
        """``Super+Alt+G``, for people."""
        return self.spelled("label")


def parse_key(text: str) -> Key:
    """``super+alt+g`` (any case; ``mod4``, ``meta``, ``ctrl``/``control`` … accepted) as a Key.

    Raises:
        HotkeyError: not a modifier+key combination this can set up.
    """
    parts = [part.strip().lower() for part in text.split("+")]
    if not text.isprintable() or not all(parts):
        raise HotkeyError(
            _("--key needs a shortcut like {example}, not {text}").format(
                example=DEFAULT_KEY, text=repr(text)
            )
        )
    *mods, key = parts
    unknown = [m for m in mods if m not in _MODS]
    if unknown or not _KEY.fullmatch(key):
        raise HotkeyError(
            _(
                "--key needs modifiers (super, ctrl, alt, shift) and one letter, digit or F1–F12, "
                "like {example}; {text} is not one"
            ).format(example=DEFAULT_KEY, text=repr(text))
        )
    chosen = frozenset(_MODS[m] for m in mods)
    if not chosen & {"super", "ctrl", "alt"}:
        raise HotkeyError(
            _("--key {text} would fire while you type; add super, ctrl or alt ({example})").format(
                text=text, example=DEFAULT_KEY
            )
        )
    return Key(chosen, key)


def combo(mods: list[str], key: str) -> Key | None:
    """The Key a desktop's own binding names (``["Mod4", "Mod1"]``, ``"g"``), if it is one."""
    try:
        return Key(frozenset(_MODS[m.lower()] for m in mods if m), key.lower())
    except KeyError:
        return None
