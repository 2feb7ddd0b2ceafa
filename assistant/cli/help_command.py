"""``ground help``, ``ground contacts`` and ``ground holds``: where to get help, the person's own
people to reach, and the breath-holds choice.

Calm and offline: nothing here looks anything up, and no country's numbers are written in.
Contacts are the person's own words, shown as text only (never as terminal codes).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap
from dataclasses import replace

from assistant.cli.before import CHANGE_LINE, save_problem
from assistant.cli.errors import EXIT_FAILURE, EXIT_OK, UsageError
from assistant.core.safe import one_line
from assistant.core.support import (
    CONTACTS_TITLE,
    HELP_PARAGRAPHS,
    HELP_TITLE,
    HOLDS_INTRO,
    HOLDS_OFF,
    HOLDS_ON,
    HOLDS_REASONS,
    HOLDS_REASONS_INTRO,
    HOLDS_WITHOUT,
    MAX_CONTACTS,
    NO_CONTACTS,
    Contact,
    holds_state,
    make_contact,
)
from assistant.storage.settings import Settings, load_settings

COMMANDS_LINE = "For ground's commands: ground --help. For one of them: ground help COMMAND."
HOLDS_ASK = (
    "Not chosen: no holds are played until you choose, and you'll be asked the next time a "
    "script with holds starts on a terminal."
)


# -- parsers --------------------------------------------------------------------------------------


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``ground help [COMMAND …]``."""
    helping = sub.add_parser(
        "help",
        help="where to get help when things are hard (and `ground help COMMAND`)",
        description="Where to get help, calm and offline, with the people you added "
        "(`ground contacts`). With a command, shows that command's help instead.",
    )
    helping.add_argument(
        "topic", nargs="*", metavar="COMMAND", help="a command, e.g. play or ladder rehearse"
    )


def add_contacts_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``ground contacts [add NAME NUMBER | remove NAME]``."""
    contacts = sub.add_parser(
        "contacts",
        help="people you'd like to reach when things are hard (shown by `ground help` and F1)",
        description="The names and numbers of people you'd like to reach when things are hard. "
        "They are kept in your settings file (readable only by you), shown with where to get "
        "help, and carried by `ground log --export`. With no action, lists them.",
    )
    actions = contacts.add_subparsers(dest="contacts_command", metavar="ACTION")
    add = actions.add_parser("add", help="add someone")
    add.add_argument("name", metavar="NAME", help='how you call them, e.g. "Sam"')
    add.add_argument("number", metavar="NUMBER", help="how to reach them, e.g. a phone number")
    remove = actions.add_parser("remove", help="remove someone")
    remove.add_argument("who", metavar="NAME", help="their name (or number, or place in the list)")


# -- ground help ----------------------------------------------------------------------------------


def help_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Where to get help (no topic), or the help of the command named."""
    if args.topic:
        _parser_for(parser, args.topic).print_help()
        return EXIT_OK
    settings = _settings()
    out = _Out()
    out.heading(HELP_TITLE)
    for paragraph in HELP_PARAGRAPHS:
        out.paragraph(paragraph)
    _show_contacts(out, settings.contacts)
    out.paragraph(COMMANDS_LINE, dim=True)
    return EXIT_OK


def _parser_for(parser: argparse.ArgumentParser, words: list[str]) -> argparse.ArgumentParser:
    """The parser of ``ground WORDS…`` (``ladder rehearse``); a usage error if there is none."""
    current = parser
    for depth, word in enumerate(words):
        choices = _subcommands(current)
        if word not in choices:
            named = " ".join(words[: depth + 1])
            where = f"ground {' '.join(words[:depth])} --help" if depth else "ground --help"
            raise UsageError(f"there is no command '{one_line(named)}'; `{where}` lists them")
        current = choices[word]
    return current


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


# -- ground contacts ------------------------------------------------------------------------------


def contacts_command(args: argparse.Namespace) -> int:
    """List, add or remove the person's contacts."""
    action = getattr(args, "contacts_command", None)
    settings = _settings()
    out = _Out()
    if action is None:
        _show_contacts(out, settings.contacts)
        if settings.contacts:
            out.paragraph(
                'Add someone: ground contacts add "Name" "number". '
                'Remove someone: ground contacts remove "Name".',
                dim=True,
            )
        return EXIT_OK
    if action == "add":
        return _add(settings, args.name, args.number)
    return _remove(settings, args.who)


def _add(settings: Settings, name: str, number: str) -> int:
    try:
        contact = make_contact(name, number)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if contact in settings.contacts:
        print(f"{contact.line()} is already there.")
        return EXIT_OK
    if len(settings.contacts) >= MAX_CONTACTS:
        raise UsageError(
            f"you have {MAX_CONTACTS} contacts, as many as ground keeps; remove one first "
            "(ground contacts remove NAME)"
        )
    problem = save_problem(replace(settings, contacts=(*settings.contacts, contact)))
    if problem:
        print(f"ground: could not add {contact.name}: {problem}", file=sys.stderr)
        return EXIT_FAILURE
    print(f"Added {contact.line()}. `ground help` and F1 show it.")
    return EXIT_OK


def _remove(settings: Settings, who: str) -> int:
    contact = _find(settings.contacts, who)
    kept = tuple(c for c in settings.contacts if c != contact)
    problem = save_problem(replace(settings, contacts=kept))
    if problem:
        print(f"ground: could not remove {contact.name}: {problem}", file=sys.stderr)
        return EXIT_FAILURE
    print(f"Removed {contact.line()}.")
    return EXIT_OK


def _find(contacts: tuple[Contact, ...], who: str) -> Contact:
    """The contact ``who`` names: by name or number (any case), or by its place in the list."""
    wanted = " ".join(who.split())
    if not contacts:
        raise UsageError("you have no contacts yet; ground contacts add NAME NUMBER adds one")
    place = wanted.isascii() and wanted.isdigit() and len(wanted) <= 3
    if place and 1 <= int(wanted) <= len(contacts) and all(c.number != wanted for c in contacts):
        return contacts[int(wanted) - 1]
    folded = wanted.casefold()
    found = [c for c in contacts if folded in (c.name.casefold(), c.number.casefold())]
    if len(found) == 1:
        return found[0]
    if found:
        raise UsageError(
            f"more than one contact is called '{one_line(wanted)}'; use their place in "
            "`ground contacts` (1, 2, …)"
        )
    raise UsageError(f"no contact called '{one_line(wanted)}'; `ground contacts` lists them")


def _show_contacts(out: _Out, contacts: tuple[Contact, ...]) -> None:
    out.heading(CONTACTS_TITLE)
    if not contacts:
        out.paragraph(NO_CONTACTS)
        return
    numbered = len(contacts) > 1
    for place, contact in enumerate(contacts, 1):
        # one_line again: a contact is data even if it got into the file some other way.
        line = one_line(contact.line())
        out.line(f"  {place}. {line}" if numbered else f"  {line}")
    out.line("")


# -- ground holds ---------------------------------------------------------------------------------


def holds_command(args: argparse.Namespace) -> int:
    """Show the holds choice and its reasons, or make it."""
    settings = _settings()
    out = _Out()
    if args.choice is None:
        out.paragraph(f"Breath holds: {holds_state(settings.holds)}.")
        out.paragraph(HOLDS_INTRO)
        out.line(HOLDS_REASONS_INTRO)
        for reason in HOLDS_REASONS:
            out.line(f"  - {reason}")
        out.line("")
        out.paragraph(HOLDS_WITHOUT)
        out.paragraph(
            "Choose: ground holds on, or ground holds off. For one session: --holds or --no-holds.",
            dim=True,
        )
        return EXIT_OK
    holds = {"on": True, "off": False, "ask": None}[args.choice]
    problem = save_problem(replace(settings, holds=holds))
    if problem:
        print(f"ground: could not save the choice: {problem}", file=sys.stderr)
        return EXIT_FAILURE
    out.paragraph({True: HOLDS_ON, False: HOLDS_OFF, None: HOLDS_ASK}[holds])
    if holds is not None:
        out.paragraph(CHANGE_LINE, dim=True)
    return EXIT_OK


# -- shared ---------------------------------------------------------------------------------------


def _settings() -> Settings:
    settings, notice = load_settings()
    if notice:
        print(f"ground: {one_line(notice)}", file=sys.stderr)
    return settings


class _Out:
    """Paragraphs wrapped to the terminal, headings in bold there; plain text elsewhere."""

    def __init__(self) -> None:
        self.tty = sys.stdout.isatty()
        self.color = self.tty and not _no_color()
        self.width = min(88, max(30, shutil.get_terminal_size().columns - 1))

    def heading(self, text: str) -> None:
        self.line(f"\x1b[1m{text}\x1b[0m" if self.color else text)
        self.line("")

    def paragraph(self, text: str, *, dim: bool = False) -> None:
        wrapped = textwrap.fill(text, self.width) if self.tty else text
        self.line(f"\x1b[2m{wrapped}\x1b[0m" if dim and self.color else wrapped)
        self.line("")

    def line(self, text: str) -> None:
        print(text)


def _no_color() -> bool:
    import os

    return "NO_COLOR" in os.environ
