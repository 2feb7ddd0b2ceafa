"""Ctrl-C handling in ``ground``: always an orderly "Stopped.", never a traceback."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.slow

# A Ctrl-C that arrives while the garbage collector runs a weakref callback (for example the
# import system's module-lock clean-up during start-up) cannot be raised there: Python prints
# "Exception ignored in ..." with a traceback and drops it. This raises it from such a callback
# directly, which is what the signal handler does when it lands there.
_CALLBACK_INTERRUPT = textwrap.dedent(
    """
    import threading, weakref
    from assistant.cli.interrupt import install

    install()

    class Thing:
        pass

    def callback(_ref):
        raise KeyboardInterrupt

    thing = Thing()
    ref = weakref.ref(thing, callback)
    try:
        del thing
        threading.Event().wait(20)
        print("not interrupted")
    except KeyboardInterrupt:
        print("interrupted")
    """
)


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=False
    )


def test_interrupt_inside_a_callback_is_delivered_not_printed() -> None:
    done = _python(_CALLBACK_INTERRUPT)
    assert done.stdout.strip() == "interrupted"
    assert done.stderr == ""


def test_other_unraisable_errors_are_still_reported() -> None:
    script = _CALLBACK_INTERRUPT.replace("raise KeyboardInterrupt", "raise ValueError('boom')")
    script = script.replace("threading.Event().wait(20)", "pass")
    done = _python(script)
    assert done.stdout.strip() == "not interrupted"
    assert "ValueError: boom" in done.stderr


_STUCK_CLEANUP = textwrap.dedent(
    """
    import os, signal, threading
    from assistant.cli import interrupt as entry

    entry.install()
    entry.INTERRUPT_GRACE = 1.5
    try:
        os.kill(os.getpid(), signal.SIGINT)
        threading.Event().wait(20)
    except KeyboardInterrupt:
        print("cleaning", flush=True)
        threading.Event().wait(0.3)
        print("still cleaning", flush=True)
        threading.Event().wait()  # a library stuck while closing
    """
)


def test_a_stuck_clean_up_ends_after_the_grace_period_not_before() -> None:
    done = _python(_STUCK_CLEANUP)
    assert done.returncode == 130
    assert done.stdout.split() == ["cleaning", "still", "cleaning"]


_AFTER_STOPPED = textwrap.dedent(
    """
    import os, signal, sys, threading
    from assistant.cli import interrupt

    interrupt.install()
    interrupt.settled()  # "Stopped." has been said: the process is on its way out
    interrupt._interrupt_main_later(0.0)  # a Ctrl-C lost in a callback, delivered again
    threading.Event().wait(0.2)
    print("exiting with its code", flush=True)
    sys.exit(130)
    """
)


def test_a_ctrl_c_after_stopped_does_not_replace_the_exit() -> None:
    """Once "Stopped." is said, a Ctrl-C lost in a callback is not delivered again, so it
    cannot kill the process by the signal while Python shuts down (it was ~1 in 100 Ctrl-Cs:
    exit by SIGINT, not 130)."""
    done = _python(_AFTER_STOPPED)
    assert done.stdout.strip() == "exiting with its code"
    assert done.returncode == 130 and done.stderr == ""
