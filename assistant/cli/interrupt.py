"""Ctrl-C handling, installed before anything else is imported (see ``assistant.cli.entry``).

A person may press Ctrl-C in the first milliseconds, while Python is still importing. This
module installs the handler before anything else is imported, and it uses built-in modules
only (``_signal``, ``_thread``, plus ``os`` and ``sys``, which the interpreter has already
loaded): the signal can land while any other module, even ``threading``, is half-imported.
"""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # signal without its enum wrappers
import _thread
import os
import sys

from assistant.cli.errors import EXIT_INTERRUPTED  # constants only: safe this early

#: Seconds a Ctrl-C may take to clean up before the process exits regardless.
INTERRUPT_GRACE = 5.0

_main_thread_ident = 0
_watchdog_armed = False
_settled = False
#: 128 + the signal that stopped us (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP).
exit_code = EXIT_INTERRUPTED


def on_interrupt(signum: int, frame: object) -> None:
    """Ctrl-C (or the terminal closing, or a polite kill): unwind normally, but never let a
    stuck library keep the process alive.

    Unwinding matters: a process killed outright while PortAudio starts can leave a lock that
    hangs every later audio program (see ``sound.player.START_TIMEOUT``). A watchdog ends the
    process 5 s later if cleaning up (closing the stream, stopping the speech worker) has not
    finished by then; in the usual case the process is gone long before.
    """
    arm_watchdog(signum)
    raise KeyboardInterrupt


def arm_watchdog(signum: int) -> None:
    """Remember the signal's exit code and end the process :data:`INTERRUPT_GRACE` seconds
    from now if it has not ended by itself (once, however many signals arrive)."""
    global _watchdog_armed, exit_code
    if not _watchdog_armed:
        _watchdog_armed = True
        exit_code = 128 + signum
        _thread.start_new_thread(_exit_after, (INTERRUPT_GRACE,))


#: Run (in order, errors ignored) just before the watchdog ends the process: the full-screen
#: app puts the terminal back the way it found it here.
before_forced_exit: list[object] = []


def _sleep(seconds: float) -> None:
    """``time.sleep`` without importing ``time``: wait on a lock that is already held."""
    lock = _thread.allocate_lock()
    lock.acquire()
    lock.acquire(True, seconds)


def _exit_after(seconds: float) -> None:
    _sleep(seconds)
    for hook in before_forced_exit:
        try:  # noqa: SIM105 - contextlib is not imported here (see the module's docstring)
            hook()  # type: ignore[operator]
        except BaseException:  # noqa: BLE001 - exiting regardless
            pass
    os._exit(exit_code)


def on_unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """A Ctrl-C that lands inside a callback Python cannot raise from (a weakref callback or a
    ``__del__`` run by the garbage collector, an import lock's clean-up) would be printed as
    "Exception ignored in ..." with a traceback, and then lost. Deliver it again instead,
    silently: a moment later, from another thread, so that it lands after this hook has
    returned (an exception raised inside the hook would be lost as well)."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        _thread.start_new_thread(_interrupt_main_later, (0.02,))
        return
    sys.__unraisablehook__(unraisable)


def settled() -> None:
    """The stop has been acted on ("Stopped." said) and the process is ending: a Ctrl-C lost in
    a callback is no longer delivered again by :func:`on_unraisable`. Delivered while Python
    shuts down (it restores the default handlers), it killed the process by the signal instead
    of letting it exit with its code. (The handler itself stays: ignoring SIGINT from here let
    an exit during a background import crash the interpreter on Debian's Python 3.11.2.)"""
    global _settled
    _settled = True


def _interrupt_main_later(seconds: float) -> None:
    _sleep(seconds)
    if _settled:
        return
    if hasattr(_signal, "pthread_kill"):
        # A real signal: _thread.interrupt_main() would not wake a blocking wait.
        _signal.pthread_kill(_main_thread_ident, _signal.SIGINT)
    else:  # pragma: no cover - Windows
        _thread.interrupt_main()


def install() -> None:
    """Route Ctrl-C through :func:`on_interrupt` (unless someone else already handles it).

    Raises:
        KeyboardInterrupt: a Ctrl-C the launcher held back while Python started arrives now.
    """
    global _main_thread_ident
    # ground's launcher starts Python with Ctrl-C blocked (pending, not lost) or, where `env`
    # cannot block it, ignored: Python's own start-up cannot take one. The variable says that
    # was the launcher, not a caller that wants Ctrl-C ignored.
    held = os.environ.pop("GROUND_SIGINT_HELD", None) == "1"
    current = _signal.getsignal(_signal.SIGINT)
    if current is _signal.default_int_handler or (held and current == _signal.SIG_IGN):
        _main_thread_ident = _thread.get_ident()
        _signal.signal(_signal.SIGINT, on_interrupt)
        for name in ("SIGTERM", "SIGHUP"):
            number = getattr(_signal, name, None)
            if number is not None and _signal.getsignal(number) == _signal.SIG_DFL:
                _signal.signal(number, on_interrupt)
        sys.unraisablehook = on_unraisable
    if held and hasattr(_signal, "pthread_sigmask"):
        # Unblocked only now that the handler is in place: a Ctrl-C pressed meanwhile is
        # delivered here, as a KeyboardInterrupt, and ends the session like any other.
        _signal.pthread_sigmask(_signal.SIG_UNBLOCK, (_signal.SIGINT,))


def caused_by_interrupt(exc: BaseException) -> bool:
    """Whether ``exc`` is a Ctrl-C (or stop signal) that Python wrapped in another error.

    A KeyboardInterrupt raised while a class body is set up comes out as a RuntimeError
    ("Error calling __set_name__"), and one in an import's clean-up may be chained the same
    way: after a stop signal, such an error is the signal, not a fault of ground's.
    """
    if not _watchdog_armed:
        return False
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(seen) < 20 and all(current is not s for s in seen):
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.append(current)
        current = current.__cause__ or current.__context__
    return False
