"""The ``ground(1)`` man page, written from the argument parser (``make man``), in each language.

``man/ground.1`` in the repository is this module's output, and ``man/<lang>/ground.1`` its output
with ``--lang <lang>`` (``make man`` rewrites them all, and a test says when one is out of date);
the wheel installs them as ``share/man/man1/ground.1`` and ``share/man/<lang>/man1/ground.1``,
where ``man`` finds the page in the person's language.
"""

from __future__ import annotations

import argparse
import sys

from assistant.core import i18n
from assistant.core.i18n import N_, _, pgettext
from assistant.core.support import HELP_PARAGRAPHS

_EXIT_STATUS = (
    ("0", N_("done, or stopped by you")),
    ("1", N_("something broke (details are saved in the cache folder's last-error.txt)")),
    ("2", N_("bad input: an unknown script, a bad option, an invalid file")),
    ("130", N_("interrupted (Ctrl-C); 143 and 129 when stopped by SIGTERM or a closed terminal")),
)
_FILES = (
    ("~/.config/ground/settings.toml", N_("your settings")),
    ("~/.config/ground/scripts/", N_("your own scripts (.toml)")),
    ("~/.local/share/ground/practice.db", N_("your practice log (readable only by you)")),
    ("~/.local/share/ground/voices/", N_("your own Piper voices (NAME.onnx and NAME.onnx.json)")),
    ("~/.cache/ground/", N_("rendered speech, so sessions start at once")),
)
#: Where ``make man`` writes each language's page (English: the one ``man ground`` falls back to).
PAGES = {
    lang: f"man/{lang}/ground.1" if lang != i18n.DEFAULT else "man/ground.1"
    for lang in i18n.SUPPORTED
}


def _section(name: str) -> str:
    """A section heading, already in the language in use (man pages write them in capitals)."""
    return ".SH " + escape(name)


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
    # TRANSLATORS: the man page's keys; {space}, {s}, {right}, {v}, {t} and {q} are the keys.
    keys = _(
        "While a session plays: {space} pause or resume, {s} or {right} skip "
        "to the next step, {v} voice on or off, {t} tones on or off, {q} stop."
    )
    bold = {key: f"\\fB{key}\\fR" for key in ("space", "s", "v", "t", "q")}
    # TRANSLATORS: the man page's title line: the manual this page belongs to.
    manual = _("User Commands")
    lines = [
        '.\\" Generated from the argument parser by `make man`; do not edit.',
        f'.TH GROUND 1 "" "ground {escape(version)}" "{escape(manual)}"',
        _section(pgettext("man page section", "NAME")),
        "ground \\- " + escape(_("voice-guided breathing and grounding in your terminal")),
        _section(pgettext("man page section", "SYNOPSIS")),
        ".B ground",
        _synopsis(parser),
        _section(pgettext("man page section", "DESCRIPTION")),
        escape(parser.description or ""),
        ".PP",
        escape(keys).format(right="\\fB\\(->\\fR", **bold),
        ".PP",
        escape(parser.epilog or ""),
        _section(pgettext("man page section", "OPTIONS")),
        *_options(parser),
        _section(pgettext("man page section", "COMMANDS")),
        *_commands(parser, "ground"),
        _section(pgettext("man page section", "EXIT STATUS")),
    ]
    for code, meaning in _EXIT_STATUS:
        lines += [".TP", f".B {code}", escape(_(meaning))]
    # As `ground help` says it, offline; unhyphenated, so findahelpline.com reads whole.
    lines += [_section(pgettext("man page section", "GETTING HELP")), ".nh"]
    for paragraph in HELP_PARAGRAPHS:
        lines += [escape(_(paragraph)), ".PP"]
    # TRANSLATORS: {add} is the command `ground contacts add NAME NUMBER`, {help} `ground help`.
    people = _("Your own people to reach, with their numbers: {add}; {help} shows them.")
    lines.append(
        escape(people).format(
            add="\\fBground contacts add\\fR \\fINAME NUMBER\\fR", help="\\fBground help\\fR"
        )
    )
    lines += [".hy", _section(pgettext("man page section", "FILES"))]
    for path, meaning in _FILES:
        lines += [".TP", f".I {escape(path)}", escape(_(meaning))]
    # TRANSLATORS: {variable} is GROUND_HOME, the environment variable.
    home = _("With {variable} set, all of these live under that folder instead.")
    lines += [
        escape(home).format(variable="\\fBGROUND_HOME\\fR"),
        _section(pgettext("man page section", "SEE ALSO")),
        "\\fBespeak\\-ng\\fR(1), \\fBtmux\\fR(1)",
    ]
    return "\n".join(lines) + "\n"


def page(lang: str) -> str:
    """The whole page in ``lang`` (the language in use is put back after)."""
    from assistant import __version__
    from assistant.cli.main import build_parser

    before = i18n.language()
    i18n.install(lang)
    try:
        return manpage(build_parser(), __version__)
    finally:
        i18n.install(before)


def main(argv: list[str] | None = None) -> int:
    """Print the page in English, or in the language of ``--lang LANG`` (``make man`` writes
    each to its place in :data:`PAGES`)."""
    args = sys.argv[1:] if argv is None else argv
    lang = i18n.DEFAULT
    if args[:1] == ["--lang"] and len(args) == 2 and args[1] in PAGES:
        lang = args[1]
    elif args:
        sys.stderr.write(f"usage: python -m assistant.cli.manpage [--lang {'|'.join(PAGES)}]\n")
        return 2
    sys.stdout.write(page(lang))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
