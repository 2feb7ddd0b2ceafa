"""A calm mix: the voice is the loudest thing, every engine speaks equally loud, nothing clips."""

from __future__ import annotations

import math

import numpy as np
import pytest

from assistant.core.compiler import sound_ref, speech_ref
from assistant.core.loader import SOUNDS
from assistant.session import SessionRequest, build_offline
from assistant.sound.assets import load_sound
from assistant.sound.mixer import Mixer, render_offline
from assistant.speech.clips import TARGET_RMS_DBFS, _voiced_rms
from assistant.speech.factory import make_engine
from assistant.speech.piper_voices import VoiceLibrary
from assistant.speech.renderer import SpeechRenderer
from tests.helpers import script_from

#: Tones and the bell sit at least this far under the spoken voice (README, audio/README.md).
MARGIN_DB = 8.0
TEXT = "Let your shoulders drop, and breathe out slowly."
#: Every engine that speaks here (the test set-up installs Piper and the Joe voice).
ENGINES = ("system", "espeak", "piper")


def loudness_db(pcm: bytes) -> float:
    """The loudness every clip is normalised by: RMS over the voiced 10 ms frames, in dBFS."""
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0
    return 20.0 * math.log10(_voiced_rms(x, 480))


@pytest.fixture(scope="module")
def voices() -> dict[str, bytes]:
    """The same sentence from every engine, as the session plays it (prepared clips)."""
    clips = {}
    for name in ENGINES:
        engine = make_engine(name, VoiceLibrary())
        try:
            clips[name] = SpeechRenderer(engine, cache=None).clip(TEXT)  # rendered, never cached
        finally:
            engine.close()
    return clips


@pytest.mark.tts
@pytest.mark.usefixtures("piper_installed")
def test_every_engine_speaks_at_one_loudness(voices: dict[str, bytes]) -> None:
    levels = {engine: loudness_db(pcm) for engine, pcm in voices.items()}
    for engine, level in levels.items():
        # A clip whose peaks hit the ceiling can come out a little quieter, never louder.
        assert TARGET_RMS_DBFS - 1.5 <= level <= TARGET_RMS_DBFS + 0.1, (engine, level)
    assert max(levels.values()) - min(levels.values()) <= 1.5


@pytest.mark.tts
@pytest.mark.usefixtures("piper_installed")
@pytest.mark.parametrize("name", sorted(SOUNDS))
def test_tones_and_bell_sit_under_the_voice(voices: dict[str, bytes], name: str) -> None:
    tone = loudness_db(load_sound(name))
    for engine, pcm in voices.items():
        assert loudness_db(pcm) - tone >= MARGIN_DB - 0.1, (engine, name)


@pytest.mark.tts
@pytest.mark.usefixtures("piper_installed")
@pytest.mark.parametrize("name", sorted(SOUNDS))
def test_voice_and_a_sound_at_their_peaks_together_never_clip(
    voices: dict[str, bytes], name: str
) -> None:
    """The worst case: each voice's largest sample lands on the sound's, with the same sign."""
    other = np.frombuffer(load_sound(name), dtype="<i2")
    other_peak = int(np.argmax(np.abs(other)))
    for engine, pcm in voices.items():
        voice = np.frombuffer(pcm, dtype="<i2").astype(np.int32)
        voice_peak = int(np.argmax(np.abs(voice)))
        if np.sign(voice[voice_peak]) != np.sign(other[other_peak]):
            voice = -voice
        voice_bytes = voice.astype("<i2").tobytes()
        lead = max(voice_peak, other_peak) + 100
        length = lead + max(voice.size, other.size) + 100
        mixer = Mixer(build_offline(_silence(length))[0].timeline, {})
        mixer.set_gain("master", 1.0)  # the loudest volume a person can choose
        mixer.add_cue(lead - voice_peak, speech_ref(TEXT), voice_bytes, "voice")
        mixer.add_cue(lead - other_peak, sound_ref(name), other.tobytes(), "tones")
        mixed = np.frombuffer(render_offline(mixer), dtype="<i2").astype(np.int32)
        exact = np.zeros(mixer.timeline.total_frames, dtype=np.int32)
        exact[lead - voice_peak : lead - voice_peak + voice.size] += voice
        exact[lead - other_peak : lead - other_peak + other.size] += other
        assert abs(int(exact[lead])) == abs(int(voice[voice_peak])) + abs(int(other[other_peak]))
        assert np.abs(exact).max() < 32767, (engine, name)  # the sum itself stays in range
        assert np.abs(mixed - exact).max() <= 1, (engine, name)  # and is what plays: no clamp


def _silence(frames: int) -> SessionRequest:
    """A session of nothing but ``frames`` of quiet, to place cues on."""
    seconds = frames / 48000
    return SessionRequest(
        script_from(f'[[step]]\nsay = "Quiet."\npause = {seconds:.3f}\n'), engine="none"
    )
