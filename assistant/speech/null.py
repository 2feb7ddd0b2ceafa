"""The null engine: silence as long as the words would take, for when no voice can run."""

from __future__ import annotations

from .base import DEFAULT_RATE, Rendered, Voice

#: Speaking speed at the default rate: 2.5 words a second is 150 words a minute, a calm pace a
#: little slower than the nominal 175 wpm because engines pause at punctuation.
WORDS_PER_SECOND = 2.5
#: The shortest clip: even a one-word cue keeps its caption up long enough to read.
MIN_SECONDS = 0.4
#: The sample rate of the silence it returns (a session resamples it to its own).
NULL_RATE = 22050


def speaking_seconds(text: str, rate: int | None = None) -> float:
    """How long saying ``text`` takes at ``rate`` words per minute (None: the normal 175).

    Raises:
        ValueError: a rate that is not positive.
    """
    if rate is not None and rate <= 0:
        msg = f"speech rate must be a positive number of words per minute, not {rate}"
        raise ValueError(msg)
    speed = WORDS_PER_SECOND * (rate if rate is not None else DEFAULT_RATE) / DEFAULT_RATE
    return max(MIN_SECONDS, len(text.split()) / speed)


class NullEngine:
    """Renders silence whose length estimates speaking time, so captions still time correctly."""

    name = "none"

    def version(self) -> str:
        """Bump when the duration estimate changes."""
        return "1"

    def voices(self) -> list[Voice]:
        """No voices: there is nothing to choose."""
        return []

    def render(self, text: str, voice: str | None, rate: int | None) -> Rendered:
        """Silence for as long as saying ``text`` would take.

        Args:
            text: the words (only their count matters).
            voice: ignored, so a configured voice never stops the fallback from working.
            rate: words per minute; None means the normal 175.

        Returns:
            Zeros at 22050 Hz, at least 0.4 s long.
        """
        seconds = speaking_seconds(text, rate)
        return Rendered(bytes(2 * round(seconds * NULL_RATE)), NULL_RATE)

    def close(self) -> None:
        """Nothing to release."""
