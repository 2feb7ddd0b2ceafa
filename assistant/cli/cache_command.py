"""``ground cache``: how big the voice cache is and where, and ``--clear`` to empty it.

Nothing heavy at module scope: the parser is built on every ``ground`` run, ``ground now`` too.
"""

from __future__ import annotations

import argparse

from assistant.core.i18n import _, ngettext


def cache_command(args: argparse.Namespace) -> int:
    """Show the voice cache's size (or empty it with ``args.clear``)."""
    from assistant.cli.errors import EXIT_OK
    from assistant.cli.wording import one_decimal, whole
    from assistant.speech.cache_limit import LIMIT_BYTES, clear, usage
    from assistant.storage.paths import cache_dir

    root = cache_dir() / "clips"
    if args.clear:
        removed = clear(root)
        said = ngettext(
            "Removed {count} clip ({size} MB) from {folder}. "
            "They are made again when next needed (`ground warm` makes them all now).",
            "Removed {count} clips ({size} MB) from {folder}. "
            "They are made again when next needed (`ground warm` makes them all now).",
            removed.clips,
        )
        print(
            said.format(
                count=whole(removed.clips), size=one_decimal(removed.megabytes), folder=root
            )
        )
        return EXIT_OK
    held = usage(root)
    print(_("Voice cache: {folder}").format(folder=root))
    size = ngettext(
        "{count} clip, {size} MB (kept under {limit} MB: the clips used least recently go first)",
        "{count} clips, {size} MB (kept under {limit} MB: the clips used least recently go first)",
        held.clips,
    )
    limit = LIMIT_BYTES // (1024 * 1024)
    print(
        "  " + size.format(count=whole(held.clips), size=one_decimal(held.megabytes), limit=limit)
    )
    print(_("Spoken words are kept here so sessions start at once. Emptying it is safe:"))
    print("  ground cache --clear")
    return EXIT_OK


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``ground cache [--clear]``."""
    cache = sub.add_parser(
        "cache",
        help=_("the voice cache: where it is and its size; --clear empties it"),
        description=_(
            "Spoken words are cached as small WAV clips so sessions start at once. "
            "The cache has a size limit, the clips used least recently going first; emptying it "
            "is safe (clips are made again when needed)."
        ),
    )
    cache.add_argument("--clear", action="store_true", help=_("delete every cached clip"))
