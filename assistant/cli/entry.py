"""The very first code ``ground`` runs: the Ctrl-C handler, then the command line.

The handler (:mod:`assistant.cli.interrupt`) is in place before :mod:`assistant.cli.main` and
everything it imports start loading. For ``ground now`` and ``ground panic`` (the hotkey)
PortAudio starts next, on its own thread, so its ≈ 50 ms of C overlap the ≈ 100 ms of importing
and reading the rest; a kept pre-roll (:mod:`assistant.sound.preroll`) plays as soon as it is up.
"""

# No `from __future__` here: importing it is a window before the guard below.
import sys  # built in: loaded before any code of ground's

try:
    from assistant.cli import interrupt
except KeyboardInterrupt:
    # A Ctrl-C while the handler's own module loads: nothing has started, end quietly.
    print("\nStopped.", file=sys.stderr)
    raise SystemExit(130) from None


def run() -> int:
    """The ``ground`` console script and ``python -m assistant``."""
    try:
        interrupt.install()
        if not hotkey(sys.argv[1:]):
            return _main()
        return _hotkey()
    except BaseException as exc:
        # A Ctrl-C before main() has its own handler: one the launcher held back (delivered
        # by install()), or one during the imports, raw or wrapped by Python.
        if isinstance(exc, KeyboardInterrupt) or interrupt.caused_by_interrupt(exc):
            return _stopped()
        raise


def _hotkey() -> int:
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
            # The opening words an earlier `ground now` kept, before anything else is read.
            preroll.start(sys.argv[1:], import_sounddevice, when_imported)
            return _main()
        finally:
            preroll.stop_unadopted()
            settle_sounddevice()


def hotkey(args: list[str]) -> bool:
    """Whether the command line is ``ground now`` or ``ground panic`` with sound (``--lang``
    may stand before the command)."""
    index = 0
    while index < len(args) and (args[index] == "--lang" or args[index].startswith("--lang=")):
        index += 2 if args[index] == "--lang" else 1
    return args[index : index + 1] in (["now"], ["panic"]) and "--no-audio" not in args


def _main() -> int:
    from assistant.cli.main import main

    return main()


def _stopped() -> int:
    try:  # noqa: SIM105 - contextlib is not imported yet on this path
        print("\nStopped.", file=sys.stderr)
    except OSError:  # the terminal may be gone (SIGHUP)
        pass
    interrupt.settled()
    return interrupt.exit_code
