"""Silence file descriptor 2 while C libraries (ALSA, PortAudio) probe devices.

Textual and our inline pacer own the terminal; ALSA writes its complaints straight to fd 2,
past Python's ``sys.stderr``, and they would draw over the screen.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Point fd 2 at /dev/null for the duration; restore it afterwards, even on error."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no fd 2 at all (daemonised): nothing to protect
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


_depth = 0


@contextlib.contextmanager
def quiet_c_stderr(*, move_dunder: bool = False) -> Iterator[None]:
    """For a whole session: C libraries' fd-2 writes go to /dev/null, Python's still show.

    PortAudio's ALSA host API prints from its own thread when a device dies mid-stream or a
    buffer underruns; that must not land on the screen, while our own one-line notices
    (``sys.stderr``) still must.

    Args:
        move_dunder: also point ``sys.__stderr__`` at the private copy of the terminal.
            Textual's Linux driver draws on ``sys.__stderr__``, so the TUI keeps its screen
            while fd 2 itself goes nowhere.
    """
    global _depth
    if _depth:  # already inside: fd 2 is /dev/null and sys.stderr the terminal's copy
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    _depth = 1
    python_stderr, dunder = sys.stderr, sys.__stderr__
    own = os.fdopen(os.dup(saved), "w", buffering=1, encoding="utf-8", errors="replace")
    devnull = os.open(os.devnull, os.O_WRONLY)
    sys.stderr = own
    if move_dunder:
        setattr(sys, "__stderr__", own)  # noqa: B010 - the name is Final to type checkers
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        _depth = 0
        # The terminal may be gone (closed, SIGHUP): what could not be written is lost either
        # way, and an EIO here must not turn a quiet close into a traceback.
        with contextlib.suppress(OSError):
            own.flush()
        os.dup2(saved, 2)
        sys.stderr = python_stderr
        setattr(sys, "__stderr__", dunder)  # noqa: B010
        with contextlib.suppress(OSError):
            own.close()
        os.close(saved)
        os.close(devnull)


def close_stream(stream: object) -> None:
    """Abort and close a sounddevice stream quietly; a vanished device must not break stopping."""
    if stream is None:
        return
    with contextlib.suppress(Exception), quiet_stderr():
        stream.abort()  # type: ignore[attr-defined]
        stream.close()  # type: ignore[attr-defined]
