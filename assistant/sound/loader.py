"""sounddevice's import (PortAudio's start) on its own thread, bounded: stdlib only, so the
hotkey can start it before anything else of ground is imported.
"""

from __future__ import annotations

import atexit
import importlib
import threading
import time
from collections.abc import Callable
from types import ModuleType

from assistant.core.i18n import _, decimal_sign
from assistant.sound.quiet import quiet_stderr


class SoundSystemStuck(OSError):
    """PortAudio did not finish starting within :data:`START_TIMEOUT`."""


#: Seconds PortAudio may take to start (usually 35–100 ms) before we carry on without sound.
#: It can hang for good: JACK, which Debian's PortAudio loads, waits forever on a lock in
#: /dev/shm/jack_db-UID left by any program killed while it held it.
START_TIMEOUT = 4.0


class _Loader:
    """Imports sounddevice (which initialises PortAudio) once, on its own thread.

    A caller waits a bounded time, interruptibly: PortAudio's start-up is C code that may
    never return, and a main thread stuck in it could not even be stopped with Ctrl-C.
    """

    def __init__(self) -> None:
        self.thread: threading.Thread | None = None
        self.done = threading.Event()
        self.module: ModuleType | None = None
        self.error: BaseException | None = None
        self.stuck = False
        self.started_at = 0.0
        self._lock = threading.Lock()
        self._then: list[Callable[[ModuleType], None]] | None = []

    def start(self) -> None:
        with self._lock:
            if self.thread is None:
                self.started_at = time.monotonic()
                self.thread = threading.Thread(
                    target=self._load, name="sounddevice-import", daemon=True
                )
                self.thread.start()
                # Leaving while PortAudio initialises crashed the process (SIGSEGV), and an
                # exit in the middle of JACK's start-up can leave its lock held for good.
                atexit.register(settle_sounddevice)

    def _load(self) -> None:
        try:
            self.module = importlib.import_module("sounddevice")
            with self._lock:
                hooks, self._then = self._then or [], None
            for hook in hooks:
                hook(self.module)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting caller
            self.error = exc
        finally:
            self._then = None
            self.done.set()

    def then(self, hook: Callable[[ModuleType], None]) -> bool:
        with self._lock:
            if self._then is None:
                return False
            self._then.append(hook)
            return True

    def wait(self, timeout: float) -> ModuleType:
        self.start()
        # Once it has failed to start in time, later callers (the device list, the meter)
        # do not each wait again: it will not have recovered.
        if not self.done.wait(0.0 if self.stuck else timeout):
            self.stuck = True
            raise SoundSystemStuck(
                _("PortAudio did not start within {seconds} s").format(
                    seconds=decimal_sign(f"{START_TIMEOUT:g}")
                )
            )
        if self.error is not None:
            if isinstance(self.error, (OSError, ImportError)):
                raise OSError(str(self.error)) from self.error
            raise self.error
        assert self.module is not None
        return self.module


_LOADER = _Loader()


def import_sounddevice(timeout: float | None = None) -> ModuleType:
    """Import sounddevice with fd 2 silenced (PortAudio probes ALSA on import, noisily).

    Args:
        timeout: seconds to wait for PortAudio to start; :data:`START_TIMEOUT` if None.

    Raises:
        SoundSystemStuck: PortAudio is still starting after ``timeout`` (an ``OSError``).
        OSError: the PortAudio library is not installed.
    """
    with quiet_stderr():
        return _LOADER.wait(START_TIMEOUT if timeout is None else timeout)


def prefetch_sounddevice() -> None:
    """Start importing sounddevice on its thread, so PortAudio initialises (≈ 35 ms of C, with
    the GIL released) while the main thread reads settings and the cached clips.

    Note:
        Call it inside :func:`~assistant.sound.quiet.quiet_c_stderr`, and call
        :func:`settle_sounddevice` before leaving it: the import probes ALSA, which prints to
        fd 2, and exiting while PortAudio is still initialising crashed the process (SIGSEGV).
    """
    _LOADER.start()


def when_imported(hook: Callable[[ModuleType], None]) -> bool:
    """Run ``hook(sounddevice)`` on the loading thread as soon as the import is done, before
    anyone waiting for it is woken (the hotkey's pre-roll opens its stream there: no thread
    hand-over on the way to the first sound). ``hook`` must not raise.

    Returns:
        False when the import has already finished (or failed): call it yourself then.
    """
    _LOADER.start()
    return _LOADER.then(hook)


def settle_sounddevice() -> None:
    """Wait (boundedly) for a prefetch still under way; see :func:`prefetch_sounddevice`.

    PortAudio gets :data:`START_TIMEOUT` in all, counted from its start: a start that hung
    for good (a stale JACK lock) was waited out once already and is not waited for again at
    exit (that added 4 s to every session's end).
    """
    if _LOADER.thread is not None:
        _LOADER.done.wait(max(0.0, START_TIMEOUT - (time.monotonic() - _LOADER.started_at)))
