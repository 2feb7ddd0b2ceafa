"""The command a shortcut runs (the person's terminal around ``ground now``), and its quoting."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path

from assistant.cli.hotkey.keys import HotkeyError
from assistant.core.i18n import _

# A word a window manager's exec line holds as it is: sh needs no quoting and i3/sway do not
# split on it (',' and ';' separate their commands).
PLAIN_WORD = re.compile(r"[A-Za-z0-9@%+=:./_-]+", re.ASCII)

#: How each known terminal opens a command in a small (72×12) window.
TERMINALS: dict[str, Callable[[list[str]], list[str]]] = {
    "gnome-terminal": lambda c: ["gnome-terminal", "--geometry=72x12", "--title=ground", "--", *c],
    "ptyxis": lambda c: ["ptyxis", "--new-window", "--", *c],
    "kgx": lambda c: ["kgx", "--", *c],
    "konsole": lambda c: [
        "konsole",
        "--hide-menubar",
        "--hide-tabbar",
        "-p",
        "TerminalColumns=72",
        "-p",
        "TerminalRows=12",
        "-e",
        *c,
    ],
    "foot": lambda c: ["foot", "--app-id=ground", "--window-size-chars=72x12", *c],
    "alacritty": lambda c: [
        "alacritty",
        "--class",
        "ground",
        "-o",
        "window.dimensions.columns=72",
        "-o",
        "window.dimensions.lines=12",
        "-e",
        *c,
    ],
    "kitty": lambda c: [
        "kitty",
        "--title",
        "ground",
        "-o",
        "initial_window_width=72c",
        "-o",
        "initial_window_height=12c",
        *c,
    ],
    "wezterm": lambda c: ["wezterm", "start", "--", *c],
    "xterm": lambda c: ["xterm", "-geometry", "72x12", "-title", "ground", "-e", *c],
}
#: Tried after the desktop's own terminals.
ANY_TERMINAL = ("foot", "alacritty", "kitty", "wezterm", "gnome-terminal", "konsole", "xterm")


def launch_argv(terminal: str, command: list[str]) -> list[str]:
    """The argv that opens ``command`` in ``terminal`` (a known one sized 72×12; else ``-e``)."""
    name = Path(terminal).name
    if name in TERMINALS:
        return [terminal, *TERMINALS[name](command)[1:]]
    return [terminal, "-e", *command]


def terminal_launch(terminal: str, command: list[str]) -> list[str]:
    """``command`` opened by ``terminal`` (a program, or a program with its own options).

    Raises:
        HotkeyError: the terminal has a control character, unbalanced quotes, or words a
            shortcut's command line cannot hold safely.
    """
    if not terminal.isprintable():
        raise HotkeyError(
            _("the terminal {name} has a control character; it cannot be used").format(
                name=repr(terminal)
            )
        )
    try:
        words = shlex.split(terminal)
    except ValueError:
        raise HotkeyError(
            _("the terminal {name} cannot be used: unbalanced quotes").format(name=repr(terminal))
        ) from None
    if not words:
        raise HotkeyError(_("--terminal needs a program, e.g. --terminal foot"))
    # TRANSLATORS: what a refusal names ("the terminal 'foot -x' has …").
    check_words(words, _("the terminal {name}").format(name=repr(terminal)))
    return launch_argv(words[0], command) if len(words) == 1 else [*words, *command]


def check_words(words: list[str], what: str) -> None:
    """Refuse words with control characters, or that a config line cannot hold unquoted.

    Args:
        words: the words of a command line.
        what: what they are, as a refusal names them ("the terminal 'foot'"), translated.

    Raises:
        HotkeyError: naming ``what`` and the word.
    """
    for word in words:
        if not word.isprintable():
            raise HotkeyError(
                # TRANSLATORS: {what} is e.g. "the terminal 'foot'" or "the path to ground (…)".
                _("{what} has a control character in {word}; it cannot be used").format(
                    what=what, word=repr(word)
                )
            )
        if not PLAIN_WORD.fullmatch(word):
            raise HotkeyError(
                _(
                    "{what} has characters a shortcut's command line cannot hold safely ({word}); "
                    "use a plain path (letters, digits, / . _ - +)"
                ).format(what=what, word=repr(word))
            )


def display(command: tuple[str, ...] | list[str]) -> str:
    """A command as a person would type it (double quotes where that reads better)."""
    words = []
    for word in command:
        if PLAIN_WORD.fullmatch(word) or not re.search(r'["$`\\!]', word):
            words.append(word if PLAIN_WORD.fullmatch(word) else f'"{word}"')
        else:
            words.append(shlex.quote(word))
    return " ".join(words)


def gsettings_string(text: str) -> str:
    """``text`` as a GVariant string literal for ``gsettings set``."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def desktop_exec(argv: list[str]) -> str:
    """An ``Exec=`` value (Desktop Entry spec: reserved characters quoted, ``%`` doubled)."""
    out = []
    for arg in argv:
        arg = arg.replace("%", "%%")
        if re.search(r"[\s\"'\\><~|&;$*?#()`]", arg):
            arg = '"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"'
        out.append(arg)
    return " ".join(out)
