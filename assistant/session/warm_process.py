"""The detached warm's process: ``python -m assistant.session.warm_process [SCRIPT…] [--engine E]``.

Started by :func:`assistant.session.warm.warm_in_background`; it runs at low priority, prints
nothing (its output goes nowhere), and gives way to a newer warm.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Fill the cache for the scripts (all by default); returns the exit code, never raises."""
    parser = argparse.ArgumentParser(prog="python -m assistant.session.warm_process")
    parser.add_argument("scripts", nargs="*")
    parser.add_argument("--engine")
    parser.add_argument("--voice")
    parser.add_argument("--rate", type=int)
    args = parser.parse_args(argv)
    with contextlib.suppress(OSError):
        os.nice(10)  # never compete with a session that is playing
    try:
        return _warm(args)
    except Exception:  # noqa: BLE001 - a background warm that fails costs only a cold cache
        return 1


def _warm(args: argparse.Namespace) -> int:
    from assistant.core.i18n import install
    from assistant.core.library import load_library
    from assistant.session.request import request_for
    from assistant.session.voice import check_voice, preview_script
    from assistant.session.warm import phrases_to_warm, warm_texts
    from assistant.speech.worker import worker_language
    from assistant.storage.paths import user_scripts_dir
    from assistant.storage.settings import load_settings

    # The language of the process that started this one: its scripts, spoken by its voices.
    install(worker_language())
    settings, _notice = load_settings()
    library = load_library(user_scripts_dir())
    scripts = [library.get(ref) for ref in args.scripts] or list(library.scripts.values())
    engine, voice = args.engine, args.voice
    if voice is not None:
        engine, voice = check_voice(engine, voice, settings.engine)
    request = request_for(
        settings,
        scripts[0] if scripts else preview_script(),
        engine=engine,
        voice=voice,
        rate=args.rate,
    )
    done = warm_texts(request, phrases_to_warm(scripts, request), detached=True)
    return 0 if done is None or not done.failed else 1


if __name__ == "__main__":
    raise SystemExit(main())
