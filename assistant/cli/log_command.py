"""``ground log``: the practice log, newest first, in words that celebrate showing up.

The wording is deliberate: no streaks, nothing "missed", no "should". An anxious person opening
their log should find a record of the times they showed up, not a scorecard.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from typing import TYPE_CHECKING

from assistant.cli.errors import EXIT_FAILURE, EXIT_OK, EXIT_USAGE
from assistant.cli.wording import whole
from assistant.core.i18n import N_, _, ngettext
from assistant.core.pacing import elapsed_text
from assistant.core.safe import one_line
from assistant.storage.log import Ending, Entry, LogError, PracticeLog, entries_json, log_file

if TYPE_CHECKING:
    from pathlib import Path

HEADER_DAYS = 28
"""The header counts the days practised in the last four weeks, today included."""
_TITLE_WIDTH = 28

EMPTY_MESSAGE = N_(
    "Nothing here yet. Whenever you like, `ground now` is a quick reset of about two minutes."
)
#: How the log has always written a session's start in English (other languages: CLDR's).
WHEN_ENGLISH = "%a %Y-%m-%d %H:%M"

PAGE = 50
"""Sessions shown by default: a long-time user's 100,000 would take seconds and scroll away."""


def log_command(args: argparse.Namespace) -> int:
    """Print the practice log (``args.json``: as a JSON array; ``args.limit``: at most N sessions).

    Without ``--limit`` the newest :data:`PAGE` sessions are shown, with a line saying how to
    see more (``--all``); ``--json`` gives every session unless limited.

    Returns:
        0, or 2 if the log cannot be read (the reason goes to stderr as one line).
    """
    if getattr(args, "export", None) or getattr(args, "import_file", None):
        return _move_data(args)
    if getattr(args, "csv", None):
        return _csv(args.csv, getattr(args, "limit", None), bool(getattr(args, "json", False)))
    limit: int | None = getattr(args, "limit", None)
    as_json: bool = bool(getattr(args, "json", False))
    paged = limit is None and not as_json and not getattr(args, "all", False)
    if paged:
        limit = PAGE
    if not log_file().exists():  # reading the log should not create one
        print("[]" if as_json else _(EMPTY_MESSAGE))
        return EXIT_OK
    try:
        with PracticeLog.open() as log:
            if log.notice:
                print(f"ground: {log.notice}", file=sys.stderr)
            entries = log.entries(limit)
            total = log.count() if paged and len(entries) == PAGE else len(entries)
            today = date.today()
            days = log.days_practised(today - timedelta(days=HEADER_DAYS - 1))
    except LogError as exc:
        print(f"ground: {_plain(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    if as_json:
        print(json.dumps(entries_json(entries), indent=2, ensure_ascii=False))
        return EXIT_OK
    if not entries:
        print(_(EMPTY_MESSAGE))
        return EXIT_OK
    print(header(len(days)))
    print()
    width = min(max(len(_plain(entry.script_title)) for entry in entries), _TITLE_WIDTH)
    whens = [when_text(entry) for entry in entries]
    when_width = max(map(len, whens))  # one width: a date's length differs by language
    for entry, when in zip(entries, whens, strict=True):
        print(format_entry(entry, title_width=width, when=when.ljust(when_width)))
    if total > len(entries):
        print()
        print(more_line(len(entries), total))
    return EXIT_OK


def more_line(shown: int, total: int) -> str:
    """Below a page of the log: how many there are, and how to see them."""
    latest = ngettext(
        "These are your latest {shown} of {total} sessions.",
        "These are your latest {shown} of {total} sessions.",
        total,
    ).format(shown=shown, total=whole(total))
    return (
        latest
        + "\n"
        + _("`ground log --all` shows every one; `ground log --limit N` the latest N.")
    )


def _move_data(args: argparse.Namespace) -> int:
    """``--export FILE`` or ``--import FILE``: the log and the ladder, together."""
    from pathlib import Path

    if args.export:
        return _export(Path(args.export).expanduser())
    return _import(Path(args.import_file).expanduser())


def _export(target: Path) -> int:
    """Write the log, the ladder and the contacts to ``target`` (``-``: standard output)."""
    from assistant.storage.export import STDOUT, ExportError, write_export
    from assistant.storage.settings import load_settings

    try:
        settings, notice = load_settings()
        if notice:
            print(f"ground: {one_line(notice)}", file=sys.stderr)
        contacts = settings.contacts
        if not log_file().exists():  # reading the log should not create one
            if not contacts:
                print(_("Nothing to export yet: there are no sessions or ladder steps."))
                return EXIT_OK
            counts = write_export(None, target, contacts)
        else:
            with PracticeLog.open() as log:
                counts = write_export(log, target, contacts)
        if target != STDOUT:  # standard output holds the export itself
            # TRANSLATORS: {what} counts what was written, e.g. "12 sessions and 3 steps".
            wrote = _("Wrote {what} to {file} (readable only by you).")
            print(wrote.format(what=counts.describe(), file=target))
        return EXIT_OK
    except (ExportError, LogError) as exc:
        print(f"ground: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _import(source: Path) -> int:
    """Add what an export at ``source`` holds to the log, the ladder and the contacts."""
    from dataclasses import replace

    from assistant.core.files import UnsafeTarget
    from assistant.core.support import MAX_CONTACTS
    from assistant.storage.export import ExportError, import_contacts, import_data, read_export
    from assistant.storage.paths import settings_file

    try:
        data = read_export(source)  # check the whole file before opening (or creating) the log
        with PracticeLog.open() as log:
            counts = import_data(log, data)
    except (ExportError, LogError) as exc:
        print(f"ground: {exc}", file=sys.stderr)
        return EXIT_USAGE
    problem = None
    try:
        added, left_out, there = import_contacts(data)
    except UnsafeTarget as exc:  # a link, a FIFO, … where the settings file should be
        added, left_out, there, problem = 0, 0, 0, one_line(f"{settings_file()} {exc}")
    except OSError as exc:  # the settings file cannot be written
        added, left_out, there, problem = 0, 0, 0, one_line(str(exc))
    counts = replace(counts, contacts=added, already=counts.already + there)
    if counts.already:
        imported = ngettext(
            "Imported {what} from {file}; {count} were already here.",
            "Imported {what} from {file}; {count} were already here.",
            counts.already,
        )
    else:
        imported = _("Imported {what} from {file}.")
    print(imported.format(what=counts.describe(), file=source, count=counts.already))
    if left_out:
        fit = ngettext(
            "{count} contact did not fit: ground keeps at most {most}.",
            "{count} contacts did not fit: ground keeps at most {most}.",
            left_out,
        )
        print(fit.format(count=left_out, most=MAX_CONTACTS))
    if problem:
        print(
            "ground: " + _("the contacts were not added: {problem}").format(problem=problem),
            file=sys.stderr,
        )
        return EXIT_FAILURE
    return EXIT_OK


def _csv(target: str, limit: int | None, as_json: bool) -> int:
    """``--csv`` (to stdout) or ``--csv FILE`` (written 0600): the sessions for a spreadsheet."""
    from pathlib import Path

    from assistant.storage.csv_log import CsvError, sessions_csv, write_private

    if as_json:
        print("ground: " + _("--csv and --json do not go together; pick one"), file=sys.stderr)
        return EXIT_USAGE
    try:
        if log_file().exists():  # reading the log should not create one
            with PracticeLog.open() as log:
                entries = log.entries(limit)
        else:
            entries = []
        text = sessions_csv(entries)
        if target == "-":
            sys.stdout.write(text)
            return EXIT_OK
        path = Path(target).expanduser()
        write_private(path, text)
    except (CsvError, LogError) as exc:
        print(f"ground: {exc}", file=sys.stderr)
        return EXIT_USAGE
    wrote = ngettext(
        "Wrote {count} session to {file} (readable only by you).",
        "Wrote {count} sessions to {file} (readable only by you).",
        len(entries),
    )
    print(wrote.format(count=len(entries), file=path))
    return EXIT_OK


def header(days: int) -> str:
    """The line above the sessions: how many days the person showed up lately."""
    if days == 0:  # older sessions only: welcome them back, count nothing
        return _("Welcome back. Here are your sessions, newest first.")
    return ngettext(
        "You practised on {count} day in the last 4 weeks.",
        "You practised on {count} days in the last 4 weeks.",
        days,
    ).format(count=days)


def when_text(entry: Entry) -> str:
    """When a session started, in local time, as the language writes a date and time."""
    from assistant.session.local_format import WEEKDAY_DATE, format_when

    return format_when(entry.started_at, WEEKDAY_DATE, time=True, english=WHEN_ENGLISH)


def format_entry(entry: Entry, *, title_width: int = 0, when: str | None = None) -> str:
    """One session as a line: local time, title, time practised, breaths, tension, note.

    Args:
        entry: the session.
        title_width: the width its title is padded to.
        when: its start as shown (default: :func:`when_text`), padded to the others'.
    """
    when = when_text(entry) if when is None else when
    title = _plain(entry.script_title)
    if len(title) > _TITLE_WIDTH:
        title = title[: _TITLE_WIDTH - 1] + "…"
    parts = [when, title.ljust(title_width)]
    if entry.outcome is Ending.INTERRUPTED:
        parts.append(_("(interrupted)"))  # nothing was recorded after the start; say only that
    else:
        parts.append(elapsed_text(entry.practised_seconds).rjust(6))
        if entry.breaths:
            breaths = ngettext("{count} breath", "{count} breaths", entry.breaths)
            parts.append(breaths.format(count=entry.breaths))
        parts.extend(_tension(entry.tension_before, entry.tension_after))
        if entry.outcome is Ending.STOPPED_EARLY:
            parts.append(_("(stopped early)"))
    if entry.note:
        parts.append(f'"{_plain(entry.note)}"')
    return "  ".join(parts).rstrip()


def _tension(before: int | None, after: int | None) -> list[str]:
    """How tense, as given: both, or only the one that was answered."""
    if before is not None and after is not None:
        return [_("tension {before} → {after}").format(before=before, after=after)]
    if before is not None:
        return [_("tension before {before}").format(before=before)]
    if after is not None:
        return [_("tension after {after}").format(after=after)]
    return []


def _plain(text: str) -> str:
    """One printable line: a note may hold newlines, and nothing should reach the terminal raw."""
    return one_line(text)
