"""``ground log``: the practice log, newest first, in words that celebrate showing up.

The wording is deliberate: no streaks, nothing "missed", no "should". An anxious person opening
their log should find a record of the times they showed up, not a scorecard.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta

from assistant.cli.errors import EXIT_FAILURE, EXIT_OK, EXIT_USAGE
from assistant.core.pacing import elapsed_text
from assistant.core.safe import one_line
from assistant.storage.log import Ending, Entry, LogError, PracticeLog, entries_json, log_file

HEADER_DAYS = 28
"""The header counts the days practised in the last four weeks, today included."""
_TITLE_WIDTH = 28

EMPTY_MESSAGE = "Nothing here yet. Whenever you like, `ground now` is a reset of about 80 seconds."

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
        print("[]" if as_json else EMPTY_MESSAGE)
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
        print(EMPTY_MESSAGE)
        return EXIT_OK
    print(header(len(days)))
    print()
    width = min(max(len(_plain(entry.script_title)) for entry in entries), _TITLE_WIDTH)
    for entry in entries:
        print(format_entry(entry, title_width=width))
    if total > len(entries):
        print()
        print(more_line(len(entries), total))
    return EXIT_OK


def more_line(shown: int, total: int) -> str:
    """Below a page of the log: how many there are, and how to see them."""
    return (
        f"These are your latest {shown} of {total:,} sessions.\n"
        "`ground log --all` shows every one; `ground log --limit N` the latest N."
    )


def _move_data(args: argparse.Namespace) -> int:
    """``--export FILE`` or ``--import FILE``: the log and the ladder, together."""
    from dataclasses import replace
    from pathlib import Path

    from assistant.core.files import UnsafeTarget
    from assistant.core.support import MAX_CONTACTS
    from assistant.storage.export import (
        STDOUT,
        ExportError,
        import_contacts,
        import_data,
        read_export,
        write_export,
    )
    from assistant.storage.paths import settings_file
    from assistant.storage.settings import load_settings

    try:
        if args.export:
            target = Path(args.export).expanduser()
            settings, notice = load_settings()
            if notice:
                print(f"ground: {one_line(notice)}", file=sys.stderr)
            contacts = settings.contacts
            if not log_file().exists():  # reading the log should not create one
                if not contacts:
                    print("Nothing to export yet: there are no sessions or ladder steps.")
                    return EXIT_OK
                counts = write_export(None, target, contacts)
            else:
                with PracticeLog.open() as log:
                    counts = write_export(log, target, contacts)
            if target != STDOUT:  # standard output holds the export itself
                print(f"Wrote {counts.describe()} to {target} (readable only by you).")
            return EXIT_OK
        source = Path(args.import_file).expanduser()
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
    already = f"; {counts.already} were already here" if counts.already else ""
    print(f"Imported {counts.describe()} from {source}{already}.")
    if left_out:
        print(f"{_count(left_out, 'contact')} did not fit: ground keeps at most {MAX_CONTACTS}.")
    if problem:
        print(f"ground: the contacts were not added: {problem}", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_OK


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _csv(target: str, limit: int | None, as_json: bool) -> int:
    """``--csv`` (to stdout) or ``--csv FILE`` (written 0600): the sessions for a spreadsheet."""
    from pathlib import Path

    from assistant.storage.csv_log import CsvError, sessions_csv, write_private

    if as_json:
        print("ground: --csv and --json do not go together; pick one", file=sys.stderr)
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
    sessions = "1 session" if len(entries) == 1 else f"{len(entries)} sessions"
    print(f"Wrote {sessions} to {path} (readable only by you).")
    return EXIT_OK


def header(days: int) -> str:
    """The line above the sessions: how many days the person showed up lately."""
    if days == 0:  # older sessions only: welcome them back, count nothing
        return "Welcome back. Here are your sessions, newest first."
    plural = "day" if days == 1 else "days"
    return f"You practised on {days} {plural} in the last 4 weeks."


def format_entry(entry: Entry, *, title_width: int = 0) -> str:
    """One session as a line: local time, title, time practised, breaths, tension, note."""
    when = entry.started_at.astimezone().strftime("%a %Y-%m-%d %H:%M")
    title = _plain(entry.script_title)
    if len(title) > _TITLE_WIDTH:
        title = title[: _TITLE_WIDTH - 1] + "…"
    parts = [when, title.ljust(title_width)]
    if entry.outcome is Ending.INTERRUPTED:
        parts.append("(interrupted)")  # nothing was recorded after the start; say only that
    else:
        parts.append(elapsed_text(entry.practised_seconds).rjust(6))
        if entry.breaths:
            parts.append(f"{entry.breaths} breath" + ("" if entry.breaths == 1 else "s"))
        parts.extend(_tension(entry.tension_before, entry.tension_after))
        if entry.outcome is Ending.STOPPED_EARLY:
            parts.append("(stopped early)")
    if entry.note:
        parts.append(f'"{_plain(entry.note)}"')
    return "  ".join(parts).rstrip()


def _tension(before: int | None, after: int | None) -> list[str]:
    """How tense, as given: both, or only the one that was answered."""
    if before is not None and after is not None:
        return [f"tension {before} → {after}"]
    if before is not None:
        return [f"tension before {before}"]
    if after is not None:
        return [f"tension after {after}"]
    return []


def _plain(text: str) -> str:
    """One printable line: a note may hold newlines, and nothing should reach the terminal raw."""
    return one_line(text)
