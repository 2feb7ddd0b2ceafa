"""Scripts written inline in a test, and clip lengths fixed in advance."""

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
