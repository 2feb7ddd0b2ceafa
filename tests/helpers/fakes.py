"""Test doubles used in addition to the real parts: a microphone meter with scripted readings."""

from __future__ import annotations


class FakeMeter:
    """Stands in for the microphone meter: a fixed level and rate, scripted breath strengths."""

    def __init__(self, rate: float | None = 8.0, breath: float | None = 0.5) -> None:
        from assistant.sound.meter import Level

        self.level = Level(-20.0, -12.0, -10.0, 50)
        self.settled_rate = rate
        self.calibrating = False
        self.lost = False
        self.gated = False
        self.stopped = False
        self.breath = breath
        self.taken = 0

    def take_breath(self) -> float | None:
        self.taken += 1
        return self.breath

    def stop(self) -> None:
        self.stopped = True
