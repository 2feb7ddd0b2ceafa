"""SIGTERM, SIGHUP or SIGINT while the full-screen app runs: close it the way Ctrl-Q does."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

from assistant.cli import interrupt

_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name)
)
#: What undoes the modes Textual turns on (alternate screen, hidden cursor, mouse reporting,
#: bracketed paste, the kitty keyboard protocol), for when the app cannot close itself.
_RESET = (
    "\x1b[<u\x1b[?1004l\x1b[?7h\x1b[?2004l"
    "\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1000l\x1b[?25h\x1b[?1049l\r\n"
)


@contextlib.contextmanager
def closing_on_signals(exit_app: Callable[[int], None]) -> Iterator[None]:
    """While the block runs, a stop signal asks the app to exit (``exit_app(128 + signum)``,
    from a helper thread) instead of raising KeyboardInterrupt inside Textual's event loop,
    which printed tracebacks and left the terminal in raw mode.

    If the app cannot close in time (busy loading scripts), the watchdog in
    :mod:`assistant.cli.interrupt` puts the terminal back before it ends the process.
    """
    restore = _terminal_restorer()
    interrupt.before_forced_exit.append(restore)
    previous: dict[int, Any] = {}

    def on_signal(signum: int, frame: FrameType | None) -> None:
        interrupt.arm_watchdog(signum)
        threading.Thread(
            target=_ask, args=(exit_app, 128 + signum), name="stop-signal", daemon=True
        ).start()

    try:
        for number in _SIGNALS:
            previous[number] = signal.signal(number, on_signal)
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        with contextlib.suppress(ValueError):
            interrupt.before_forced_exit.remove(restore)


def _ask(exit_app: Callable[[int], None], code: int) -> None:
    with contextlib.suppress(Exception):  # the app already closing is fine
        exit_app(code)


def _terminal_restorer() -> Callable[[], None]:
    """A function that puts the terminal's modes back as they are now (a no-op off a tty)."""
    try:
        import termios

        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
    except (ImportError, OSError, ValueError, AttributeError):
        return lambda: None

    def restore() -> None:
        with contextlib.suppress(OSError, termios.error):
            termios.tcsetattr(fd, termios.TCSANOW, saved)
        with contextlib.suppress(OSError):
            os.write(sys.__stdout__.fileno() if sys.__stdout__ else 1, _RESET.encode())

    return restore
