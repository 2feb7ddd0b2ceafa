"""What the command line says before a session: the script's safety note, and the holds choice.

Light on purpose (the hotkey path imports it): settings and words only, no sound, no Textual.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import select
import shutil
import sys
import textwrap
from dataclasses import replace
from typing import TextIO

from assistant.core.model import Script
from assistant.core.safe import one_line
from assistant.core.support import (
    HOLDS_INCLUDE,
    HOLDS_INTRO,
    HOLDS_LEAVE_OUT,
    HOLDS_NOT_NOW,
    HOLDS_NOT_NOW_MEANS,
    HOLDS_OFF,
    HOLDS_ON,
    HOLDS_REASONS,
    HOLDS_REASONS_INTRO,
    HOLDS_TITLE,
    HOLDS_UNCHOSEN,
    HOLDS_WITHOUT,
    has_holds,
    short_note,
)
from assistant.storage.settings import Settings

#: One line before the hotkey's sessions, where the script's own note would run longer.
BRIEF = {
    "panic": "New or chest symptoms? Seek medical care. You can stop at any time.",
}
#: The longest one-line note; past it, a note's first sentence is shown.
BRIEF_WIDTH = 80
#: Where the CLI question says the choice can be changed.
CHANGE_LINE = "You can change this at any time: ground holds on, or ground holds off."


def before_session(
    script: Script,
    args: argparse.Namespace,
    settings: Settings,
    *,
    brief: bool = False,
    out: TextIO | None = None,
) -> Settings:
    """Settle the holds for this session and show the safety note; returns the settings to
    play with (``--holds``, or the answer to the holds question, on top).

    The first time a script with holds plays before the person has chosen, the question is
    asked on a terminal (one key; Enter or Esc: not now); without one, one line says how to
    choose. ``--holds`` and ``--no-holds`` decide for this session only.

    Args:
        script: what is about to play.
        args: the command line (``holds``, ``no_holds``).
        settings: the person's settings.
        brief: one line of safety note (``ground now`` and ``ground panic``).
        out: where to write (standard output by default).
    """
    out = out or sys.stdout
    settings = settle_holds(script, args, settings, out=out, ask=True)
    note = brief_note(script) if brief else script.safety
    if note:
        _say(out, note, dim=True)
    return settings


def settle_holds(
    script: Script, args: argparse.Namespace, settings: Settings, *, out: TextIO, ask: bool
) -> Settings:
    """The settings with this session's holds decided (see :func:`before_session`); ``ask``
    False never asks (``ground render``): the unchosen line is said instead."""
    if getattr(args, "holds", False):
        return replace(settings, holds=True)  # this session only; nothing saved
    if getattr(args, "no_holds", False) or settings.holds is not None or not has_holds(script):
        return settings
    if not (ask and can_ask()):
        _say(out, HOLDS_UNCHOSEN, dim=True)
        return settings
    answer = ask_holds(out)
    if answer is None:
        _say(out, f"{HOLDS_NOT_NOW}: {HOLDS_NOT_NOW_MEANS}.", dim=True)
        return settings
    chosen = replace(settings, holds=answer)
    problem = save_problem(chosen)
    _say(out, HOLDS_ON if answer else HOLDS_OFF, dim=True)
    if problem:
        _say(out, f"(Not saved: {problem}. This session plays as you chose.)", dim=True)
    return chosen


def brief_note(script: Script) -> str:
    """The safety note as one line: the hotkey's own, else as much of the note as fits."""
    note = BRIEF.get(script.id) if script.shipped else None
    return note if note is not None else short_note(one_line(script.safety), BRIEF_WIDTH)


# -- the question ---------------------------------------------------------------------------------


def ask_holds(out: TextIO) -> bool | None:
    """Ask once about the holds on the terminal: True (include), False (leave out) or None (not
    now: Enter, Esc, or the end of input)."""
    lines = [
        HOLDS_TITLE,
        "",
        HOLDS_INTRO,
        "",
        HOLDS_REASONS_INTRO,
        *(f"  - {reason}" for reason in HOLDS_REASONS),
        "",
        HOLDS_WITHOUT,
        "",
        f"  y  {HOLDS_INCLUDE}",
        f"  n  {HOLDS_LEAVE_OUT}",
        f"  Enter or Esc  {HOLDS_NOT_NOW} ({HOLDS_NOT_NOW_MEANS})",
        CHANGE_LINE,
    ]
    from assistant.cli.run import cbreak

    # Single keys from before the question shows: a key pressed as soon as it appears is kept
    # (entering cbreak discards what was typed until then, and cooked mode would hold it back).
    with cbreak(sys.stdin) as interactive:
        for line in lines:
            _say(out, line, bold=line == HOLDS_TITLE)
        out.write("Your choice: ")
        out.flush()
        while True:
            key = _read_key() if interactive else ""
            if key in ("y", "Y"):
                out.write(f"{HOLDS_INCLUDE}\n")
                return True
            if key in ("n", "N"):
                out.write(f"{HOLDS_LEAVE_OUT}\n")
                return False
            if key in ("", "\n", "\r", "\x1b", "\x04"):
                out.write(f"{HOLDS_NOT_NOW}\n")
                return None


def _read_key() -> str:
    """One key from the terminal, in cbreak mode (waiting for it); "" at the end of input."""
    fd = sys.stdin.fileno()
    select.select([fd], [], [])
    data = os.read(fd, 8).decode("utf-8", "replace")
    if data.startswith("\x1b") and len(data) > 1:
        return "?"  # an arrow or function key: not an answer
    return data[:1]


def can_ask() -> bool:
    """Whether there is a person at a terminal to ask (keys in, words out)."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        return sys.stdin is not None and sys.stdin.isatty() and sys.stdout.isatty()
    return False


def save_problem(settings: Settings) -> str | None:
    """Save ``settings``; None when they were saved, else why not, in one line (nothing was
    written then). A settings file set aside on the way is said on standard error."""
    from assistant.core.files import UnsafeTarget
    from assistant.storage.paths import settings_file
    from assistant.storage.settings import SettingsError, save_settings

    try:
        notice = save_settings(settings)
    except UnsafeTarget as exc:
        return one_line(f"{settings_file()} {exc}")
    except (SettingsError, OSError) as exc:
        return one_line(str(exc))
    if notice:
        print(f"ground: {one_line(notice)}", file=sys.stderr)
    return None


def _say(out: TextIO, text: str, *, dim: bool = False, bold: bool = False) -> None:
    """One paragraph, wrapped to the terminal (plain text off a terminal)."""
    tty = _isatty(out)
    if tty and text:
        width = max(20, shutil.get_terminal_size().columns - 1)
        text = textwrap.fill(text, width, subsequent_indent="    " if text[:4] == "  - " else "")
    if tty and "NO_COLOR" not in os.environ and text and (dim or bold):
        text = f"\x1b[{'2' if dim else '1'}m{text}\x1b[0m"
    out.write(text + "\n")
    out.flush()


def _isatty(stream: TextIO) -> bool:
    with contextlib.suppress(AttributeError, OSError, ValueError):
        return stream.isatty()
    return False
