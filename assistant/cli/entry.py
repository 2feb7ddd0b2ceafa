"""The very first code ``ground`` runs: the Ctrl-C handler, then the command line.

The handler (:mod:`assistant.cli.interrupt`) is in place before :mod:`assistant.cli.main` and
everything it imports start loading. For ``ground now`` (the hotkey) PortAudio starts next, on
its own thread, so its ≈ 50 ms of C overlap the ≈ 100 ms of importing and reading the rest.
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
    from assistant.sound.loader import prefetch_sounddevice, settle_sounddevice
    from assistant.sound.quiet import quiet_c_stderr

    # ALSA's probe writes to fd 2 from the loading thread: silenced from the start, and the
    # load settled before the process may exit (leaving during it crashed the interpreter).
    with quiet_c_stderr():
        prefetch_sounddevice()
        try:
            return _main()
        finally:
            settle_sounddevice()


def hotkey(args: list[str]) -> bool:
    """Whether the command line is ``ground now`` with sound."""
    return args[:1] == ["now"] and "--no-audio" not in args


def _main() -> int:
    from assistant.cli.main import main

    return main()


def _stopped() -> int:
    try:  # noqa: SIM105 - contextlib is not imported yet on this path
        print("\nStopped.", file=sys.stderr)
    except OSError:  # the terminal may be gone (SIGHUP)
        pass
    return interrupt.exit_code
