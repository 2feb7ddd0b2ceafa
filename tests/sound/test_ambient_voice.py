"""With a real voice (espeak-ng), speech stays at least 6 dB above every ambient bed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from assistant.core.compiler import (
    CompileOptions,
    compile_timeline,
    sound_ref,
    speech_ref,
    spoken_texts,
)
from assistant.core.library import shipped_script
from assistant.core.model import ClipRef, EventKind, Timeline
from assistant.sound.ambient import AmbientBed
from assistant.sound.assets import load_sound
from assistant.sound.mixer import Mixer, render_offline
from assistant.speech.factory import make_engine
from assistant.speech.piper_voices import VoiceLibrary
from assistant.speech.renderer import SpeechRenderer

#: The issue's bar: speech at least this far above the ambient, median over the spoken spans.
MARGIN_DB = 6.0


def rms_db(x: np.ndarray) -> float:
    return 10.0 * math.log10(float(np.mean(np.square(x, dtype=np.float64))) + 1e-30)


@pytest.fixture(scope="module")
def spoken() -> tuple[Timeline, np.ndarray, list[tuple[int, int]]]:
    """``ground render resonance --minutes 2`` with espeak and no tones: the voice alone."""
    script = shipped_script("resonance")
    options = CompileOptions(minutes=2)
    engine = make_engine("espeak", VoiceLibrary())
    try:
        renderer = SpeechRenderer(engine, cache=None)
        clips: dict[ClipRef, bytes] = {
            speech_ref(t): renderer.clip(t) for t in spoken_texts(script, options)
        }
    finally:
        engine.close()
    clips.update({sound_ref(n): load_sound(n) for n in ("bell", "inhale", "exhale")})

    def length(ref: ClipRef) -> int:
        return len(clips[ref]) // 2

    timeline = compile_timeline(script, length, options)
    mixer = Mixer(timeline, clips)
    mixer.set_gain("tones", 0.0)
    mixer.set_gain("master", 1.0)
    mixer.enable_numpy(np)
    pcm = render_offline(mixer)
    voice = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0
    # The spoken spans: each say and each cue word, for as long as its clip lasts.
    spans = [
        (e.frame, e.frame + length(e.clip))
        for e in timeline.events
        if e.kind in (EventKind.SAY, EventKind.WORD) and e.clip is not None
    ]
    return timeline, voice, spans


@pytest.mark.tts
@pytest.mark.parametrize("name", ("waves", "rain", "brown"))
def test_speech_stays_6_db_above_the_ambient(
    spoken: tuple[Timeline, np.ndarray, list[tuple[int, int]]], name: str
) -> None:
    """Median RMS over the spoken spans, against the ambient alone over the same spans."""
    timeline, voice, spans = spoken
    ambient = AmbientBed(name, timeline).render_all().astype(np.float64) / 32768.0
    assert len(spans) >= 6
    bell_spans = [
        (e.frame, e.frame + e.duration) for e in timeline.events if e.kind is EventKind.CHIME
    ]
    assert not any(a < d and c < b for a, b in spans for c, d in bell_spans)  # voice alone
    voice_db = [rms_db(voice[a:b]) for a, b in spans]
    ambient_db = [rms_db(ambient[a:b]) for a, b in spans]
    margin = float(np.median(voice_db) - np.median(ambient_db))
    assert margin >= MARGIN_DB, (name, margin)
