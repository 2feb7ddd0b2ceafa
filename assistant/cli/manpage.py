"""The ``ground(1)`` man page, written from the argument parser (``make man``).

``man/ground.1`` in the repository is this module's output (``make man`` rewrites it, and a test
says when it is out of date); the wheel installs it as ``share/man/man1/ground.1``.
"""

from __future__ import annotations

import argparse
import sys

from assistant.core.support import HELP_PARAGRAPHS

_EXIT_STATUS = (
    ("0", "done, or stopped by you"),
    ("1", "something broke (details are saved in the cache folder's last-error.txt)"),
    ("2", "bad input: an unknown script, a bad option, an invalid file"),
    ("130", "interrupted (Ctrl-C); 143 and 129 when stopped by SIGTERM or a closed terminal"),
)
_FILES = (
    ("~/.config/ground/settings.toml", "your settings"),
    ("~/.config/ground/scripts/", "your own scripts (.toml)"),
    ("~/.local/share/ground/practice.db", "your practice log (readable only by you)"),
    ("~/.local/share/ground/voices/", "your own Piper voices (NAME.onnx and NAME.onnx.json)"),
    ("~/.cache/ground/", "rendered speech, so sessions start at once"),
)


def escape(text: str) -> str:
    """``text`` for roff: backslashes, hyphens, a leading dot or quote, and non-ASCII literal."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    text = "".join(ch if ord(ch) < 128 else f"\\[u{ord(ch):04X}]" for ch in text)
    return "\\&" + text if text[:1] in (".", "'") else text


def _synopsis(parser: argparse.ArgumentParser) -> str:
    words = []
    for action in parser._actions:
        if action.help == argparse.SUPPRESS or isinstance(action, argparse._HelpAction):
            continue
        if isinstance(action, argparse._SubParsersAction):
            words.append("\\fI" + escape(str(action.metavar or "COMMAND")) + "\\fR ...")
        elif action.option_strings:
            flag = "\\fB" + escape(action.option_strings[-1]) + "\\fR"
            if action.nargs != 0:
                flag += " \\fI" + escape(str(action.metavar or action.dest.upper())) + "\\fR"
            words.append(flag if action.required else f"[{flag}]")
        else:
            name = "\\fI" + escape(str(action.metavar or action.dest)) + "\\fR"
            words.append(name + (" ..." if action.nargs in ("+", "*") else ""))
    return " ".join(words)


def _options(parser: argparse.ArgumentParser) -> list[str]:
    lines = []
    for action in parser._actions:
        if (
            action.help == argparse.SUPPRESS
            or isinstance(action, (argparse._HelpAction, argparse._SubParsersAction))
            or not action.help
        ):
            continue
        if action.option_strings:
            names = ", ".join("\\fB" + escape(flag) + "\\fR" for flag in action.option_strings)
            if action.nargs != 0:
                names += " \\fI" + escape(str(action.metavar or action.dest.upper())) + "\\fR"
            if action.choices is not None:
                names += " {" + escape(",".join(map(str, action.choices))) + "}"
        else:
            names = "\\fI" + escape(str(action.metavar or action.dest)) + "\\fR"
        lines += [".TP", names, escape(action.help.replace("%%", "%"))]
    return lines


def _commands(parser: argparse.ArgumentParser, prefix: str) -> list[str]:
    lines: list[str] = []
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        shown = {a.dest: a.help or "" for a in action._choices_actions}
        for name, child in action.choices.items():
            if name not in shown:  # hidden helpers (no help=) stay out, as in --help
                continue
            full = f"{prefix} {name}"
            lines += [".SS " + escape(full), f".B {escape(full)}", _synopsis(child), ".PP"]
            about = child.description or shown[name]
            lines.append(escape(about[:1].upper() + about[1:]))
            lines += _options(child)
            lines += _commands(child, full)
    return lines


def manpage(parser: argparse.ArgumentParser, version: str) -> str:
    """The whole page, in roff (man macros), for ``parser`` at ``version``."""
    lines = [
        '.\\" Generated from the argument parser by `make man`; do not edit.',
        f'.TH GROUND 1 "" "ground {escape(version)}" "User Commands"',
        ".SH NAME",
        "ground \\- voice\\-guided breathing and grounding in your terminal",
        ".SH SYNOPSIS",
        ".B ground",
        _synopsis(parser),
        ".SH DESCRIPTION",
        escape(parser.description or ""),
        ".PP",
        "While a session plays: \\fBspace\\fR pause or resume, \\fBs\\fR or \\fB\\(->\\fR skip "
        "to the next step, \\fBv\\fR voice on or off, \\fBt\\fR tones on or off, \\fBq\\fR stop.",
        ".PP",
        escape(parser.epilog or ""),
        ".SH OPTIONS",
        *_options(parser),
        ".SH COMMANDS",
        *_commands(parser, "ground"),
        ".SH EXIT STATUS",
    ]
    for code, meaning in _EXIT_STATUS:
        lines += [".TP", f".B {code}", escape(meaning)]
    # As `ground help` says it, offline; unhyphenated, so findahelpline.com reads whole.
    lines += [".SH GETTING HELP", ".nh"]
    for paragraph in HELP_PARAGRAPHS:
        lines += [escape(paragraph), ".PP"]
    lines.append(
        "Your own people to reach, with their numbers: \\fBground contacts add\\fR "
        "\\fINAME NUMBER\\fR; \\fBground help\\fR shows them."
    )
    lines += [".hy", ".SH FILES"]
    for path, meaning in _FILES:
        lines += [".TP", f".I {escape(path)}", escape(meaning)]
    lines += [
        "With \\fBGROUND_HOME\\fR set, all of these live under that folder instead.",
        ".SH SEE ALSO",
        "\\fBespeak\\-ng\\fR(1), \\fBtmux\\fR(1)",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    """Print the page (``make man`` writes it to ``man/ground.1``)."""
    from assistant import __version__
    from assistant.cli.main import build_parser

    sys.stdout.write(manpage(build_parser(), __version__))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
