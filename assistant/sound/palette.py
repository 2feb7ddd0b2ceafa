"""The chosen tone set and bell as PCM, without numpy: what a clip named ``inhale`` or ``bell``
plays in a session where the person chose ``--tones wood --bell chime``.

The names a timeline's clips use stay the same (``sound_ref("inhale")``,
``sound_ref("bell")``); only the audio behind them changes, so the compiler, the mixer and
every script work unchanged.
"""

from __future__ import annotations

import functools
import io
import wave

from assistant.core.compiler import SAMPLE_RATE
from assistant.core.resources import shipped_dir
from assistant.core.sounds import (
    DEFAULT_BELL,
    DEFAULT_TONES,
    NO_BELL,
    TONE_KINDS,
    bell_file,
    tone_file,
)
from assistant.sound.assets import AssetError

#: Seconds of quiet between the tones of a preview.
PREVIEW_GAP_SECONDS = 0.35


@functools.cache
def load_file(relative: str) -> bytes:
    """The PCM of ``audio/<relative>`` (mono, 16-bit, 48 kHz).

    Raises:
        AssetError: the file is missing, not a regular file, or not in the session format.
    """
    resource = shipped_dir("audio") / relative
    try:
        if not resource.is_file():
            raise AssetError(f"audio/{relative} is missing; reinstall ground")
        data = resource.read_bytes()
        with wave.open(io.BytesIO(data), "rb") as wav:
            shape = (wav.getnchannels(), wav.getsampwidth(), wav.getframerate())
            if shape != (1, 2, SAMPLE_RATE):
                raise AssetError(f"audio/{relative} must be mono 16-bit {SAMPLE_RATE} Hz")
            return wav.readframes(wav.getnframes())
    except (OSError, wave.Error, EOFError) as exc:
        raise AssetError(f"audio/{relative} cannot be read ({exc}); reinstall ground") from None


def tone_pcm(tone_set: str, tone: str) -> bytes:
    """One breathing tone of a set.

    Raises:
        ValueError: an unknown set or tone.
        AssetError: its file is missing or damaged.
    """
    return load_file(tone_file(tone_set, tone))


def bell_pcm(bell: str) -> bytes | None:
    """A bell's PCM, or None for ``none``.

    Raises:
        ValueError: an unknown bell.
        AssetError: its file is missing or damaged.
    """
    if bell == NO_BELL:
        return None
    return load_file(bell_file(bell))


def sound_pcm(name: str, *, tones: str = DEFAULT_TONES, bell: str = DEFAULT_BELL) -> bytes:
    """What the sound asset ``name`` (a clip's key: ``bell`` or a tone) plays with these choices.

    With no bell, ``bell`` is silence as long as the default bell: a script's chime step keeps
    its length, so the session's timing (and its captions) are the same with or without it,
    as a silent voice keeps speech's rhythm.

    Raises:
        ValueError: an unknown name, set or bell.
        AssetError: a file is missing or damaged.
    """
    if name == "bell":
        pcm = bell_pcm(bell)
        return pcm if pcm is not None else bytes(len(load_file(bell_file(DEFAULT_BELL))))
    if name in TONE_KINDS:
        return tone_pcm(tones, name)
    raise ValueError(f"unknown sound '{name}'")


def preview_pcm(tone_set: str) -> bytes:
    """A tone set heard once through: inhale, hold, exhale, hold, top-up, with short gaps.

    Raises:
        ValueError: an unknown set.
        AssetError: a file is missing or damaged.
    """
    gap = bytes(2 * round(PREVIEW_GAP_SECONDS * SAMPLE_RATE))
    order = ("inhale", "hold", "exhale", "hold", "top_up")
    return gap.join(tone_pcm(tone_set, tone) for tone in order)
