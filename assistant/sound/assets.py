"""Load the shipped sound assets (``audio/*.wav``) as mono int16 PCM, without numpy."""

from __future__ import annotations

import functools
import io
import wave

from assistant.core.compiler import SAMPLE_RATE
from assistant.core.loader import SOUNDS
from assistant.core.resources import shipped_dir


class AssetError(Exception):
    """A shipped sound is missing or in the wrong format (a broken install)."""


@functools.cache
def load_sound(name: str) -> bytes:
    """The PCM of ``audio/<name>.wav`` (mono, 16-bit, 48 kHz).

    Raises:
        AssetError: the file is missing or not in the session format.
    """
    if name not in SOUNDS:
        raise AssetError(f"unknown sound '{name}'")
    resource = shipped_dir("audio") / f"{name}.wav"
    try:
        data = resource.read_bytes()
        with wave.open(io.BytesIO(data), "rb") as wav:
            shape = (wav.getnchannels(), wav.getsampwidth(), wav.getframerate())
            if shape != (1, 2, SAMPLE_RATE):
                raise AssetError(f"audio/{name}.wav must be mono 16-bit {SAMPLE_RATE} Hz")
            return wav.readframes(wav.getnframes())
    except (OSError, wave.Error, EOFError) as exc:
        raise AssetError(f"audio/{name}.wav cannot be read ({exc}); reinstall ground") from None
