"""Small builders shared by tests: scripts from text, fixed clip lengths."""

from __future__ import annotations

from assistant.core.loader import parse_script
from assistant.core.model import ClipKind, ClipRef, Script

RATE = 48_000


def script_from(text: str, script_id: str = "test") -> Script:
    """Parse a script written inline in a test."""
    header = (
        f'id = "{script_id}"\ntitle = "Test"\nsummary = "A test script."\ncategory = "breathe"\n'
    )
    return parse_script(header + text, f"{script_id}.toml", default_id=script_id)


def fixed_lengths(speech_seconds: float = 1.0, sound_seconds: float = 0.5):  # type: ignore[no-untyped-def]
    """A ClipLengths giving every speech clip and every sound the same length."""

    def lengths(ref: ClipRef) -> int:
        seconds = speech_seconds if ref.kind is ClipKind.SPEECH else sound_seconds
        return round(seconds * RATE)

    return lengths


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
