"""``ground cache``: how big the voice cache is and where, and ``--clear`` to empty it.

Nothing heavy at module scope: the parser is built on every ``ground`` run, ``ground now`` too.
"""

from __future__ import annotations

import argparse

from assistant.core.i18n import _


def cache_command(args: argparse.Namespace) -> int:
    """Show the voice cache's size (or empty it with ``args.clear``)."""
    from assistant.cli.errors import EXIT_OK
    from assistant.core.model import counted
    from assistant.speech.cache_limit import LIMIT_BYTES, clear, usage
    from assistant.storage.paths import cache_dir

    root = cache_dir() / "clips"
    if args.clear:
        removed = clear(root)
        print(
            f"Removed {counted(removed.clips, 'clip')} ({removed.megabytes:.1f} MB) from {root}. "
            "They are made again when next needed (`ground warm` makes them all now)."
        )
        return EXIT_OK
    held = usage(root)
    print(f"Voice cache: {root}")
    print(
        f"  {counted(held.clips, 'clip')}, {held.megabytes:.1f} MB "
        f"(kept under {LIMIT_BYTES // (1024 * 1024)} MB: the clips used least recently go first)"
    )
    print("Spoken words are kept here so sessions start at once. Emptying it is safe:")
    print("  ground cache --clear")
    return EXIT_OK


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``ground cache [--clear]``."""
    cache = sub.add_parser(
        "cache",
        help=_("the voice cache: where it is and its size; --clear empties it"),
        description="Spoken words are cached as small WAV clips so sessions start at once. "
        "The cache has a size limit, the clips used least recently going first; emptying it "
        "is safe (clips are made again when needed).",
    )
    cache.add_argument("--clear", action="store_true", help="delete every cached clip")
