"""Clocks: the one source of wall time for players that have no sound card to pace them."""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    """Monotonic time in seconds, and a way to wait on it."""

    def now(self) -> float:
        """Seconds on a monotonic scale."""
        ...

    def wait(self, event: threading.Event, seconds: float) -> bool:
        """Wait until ``event`` is set or ``seconds`` pass; True if the event was set."""
        ...


class MonotonicClock:
    """The real clock (``time.monotonic``)."""

    def now(self) -> float:
        """Seconds since an arbitrary point, never going backwards."""
        return time.monotonic()

    def wait(self, event: threading.Event, seconds: float) -> bool:
        """Block on the event with a timeout."""
        return event.wait(max(0.0, seconds))


class FakeClock:
    """A clock that only moves when a test moves it; ``wait`` advances it instantly."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start

    def now(self) -> float:
        """The current fake time."""
        return self._now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self._now += seconds

    def wait(self, event: threading.Event, seconds: float) -> bool:
        """Return at once, as though ``seconds`` passed (unless the event is already set)."""
        if event.is_set():
            return True
        self._now += max(0.0, seconds)
        return event.is_set()
