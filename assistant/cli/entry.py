"""The very first code ``ground`` runs: the Ctrl-C handler, then the command line.

The handler (:mod:`assistant.cli.interrupt`) is in place before :mod:`assistant.cli.main` and
everything it imports start loading. For ``ground now`` (the hotkey) PortAudio starts next, on
its own thread, so its ≈ 50 ms of C overlap the ≈ 100 ms of importing and reading the rest.
"""

from __future__ import annotations

import sys

from assistant.cli import interrupt


def run() -> int:
    """The ``ground`` console script and ``python -m assistant``."""
    interrupt.install()
    if not hotkey(sys.argv[1:]):
        return _main()
    from assistant.sound import preroll
    from assistant.sound.loader import (
        import_sounddevice,
        prefetch_sounddevice,
        settle_sounddevice,
        when_imported,
    )
    from assistant.sound.quiet import quiet_c_stderr

    # ALSA's probe writes to fd 2 from the loading thread: silenced from the start, and the
    # load settled before the process may exit (leaving during it crashed the interpreter).
    with quiet_c_stderr():
        prefetch_sounddevice()
        try:
            try:
                # The opening words an earlier `ground now` kept, before anything else is read.
                preroll.start(sys.argv[1:], import_sounddevice, when_imported)
            except KeyboardInterrupt:
                print("\nStopped.", file=sys.stderr)
                return interrupt.exit_code
            return _main()
        finally:
            preroll.stop_unadopted()
            settle_sounddevice()


def hotkey(args: list[str]) -> bool:
    """Whether the command line is ``ground now`` with sound."""
    return args[:1] == ["now"] and "--no-audio" not in args


def _main() -> int:
    try:
        from assistant.cli.main import main
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return interrupt.exit_code
    return main()
