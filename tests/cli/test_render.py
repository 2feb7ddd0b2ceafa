"""`ground render`: the WAV is exactly the timeline's clips at the JSON's frames, to the sample."""

from __future__ import annotations

import json
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.sound.assets import load_sound
from assistant.speech.cache import ClipCache
from assistant.speech.espeak import EspeakEngine
from assistant.speech.renderer import SpeechRenderer
from tests.helpers.cli import ground

pytestmark = pytest.mark.slow


def read(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 48000)
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)


def rebuild(timeline: dict[str, Any], clip_for, volume: float) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Place every audible event's clip at its frame, independently of the mixer."""
    out = np.zeros(timeline["total_frames"], dtype=np.float64)
    for event in timeline["events"]:
        if not event["audible"]:
            continue
        data = np.frombuffer(clip_for(event), dtype=np.int16).astype(np.float32) * np.float32(
            volume
        )
        end = min(len(out), event["frame"] + len(data))
        out[event["frame"] : end] += data[: end - event["frame"]]
    return np.clip(np.rint(out), -32768, 32767).astype(np.int16)


def sound_or_speech(renderer: SpeechRenderer | None):  # type: ignore[no-untyped-def]
    def clip_for(event: dict[str, Any]) -> bytes:
        if event["kind"] in ("tone", "chime"):
            return load_sound(event["text"])
        if renderer is None:
            return bytes(2)
        cached = renderer.cached(event["text"])
        assert cached is not None, f"{event['text']!r} should have been cached by the render"
        return cached

    return clip_for


def test_render_box_onsets_are_exactly_the_json(tmp_path: Path) -> None:
    wav, timeline_path = tmp_path / "b.wav", tmp_path / "b.json"
    done = ground(
        "render", "box", "-o", str(wav), "--timeline", str(timeline_path), "--engine", "none"
    )
    assert done.returncode == 0, done.stderr
    timeline = json.loads(timeline_path.read_text())
    pcm = read(wav)
    assert len(pcm) == timeline["total_frames"]
    np.testing.assert_array_equal(pcm, rebuild(timeline, sound_or_speech(None), 0.8))
    # And the onsets, spelled out: silence before each tone, sound within 1 ms after it.
    for event in timeline["events"]:
        if event["kind"] == "tone":
            frame = event["frame"]
            assert not pcm[frame - 48 : frame].any() or event["phase"] != "inhale"
            assert np.abs(pcm[frame : frame + 48]).max() > 100


@pytest.mark.tts
def test_render_with_real_speech_is_sample_exact(tmp_path: Path, ground_home: Path) -> None:
    wav, timeline_path = tmp_path / "n.wav", tmp_path / "n.json"
    done = ground(
        "render", "now", "-o", str(wav), "--timeline", str(timeline_path), "--engine", "espeak"
    )
    assert done.returncode == 0, done.stderr
    timeline = json.loads(timeline_path.read_text())
    renderer = SpeechRenderer(EspeakEngine(), ClipCache(ground_home / "cache" / "clips"), None, 150)
    pcm = read(wav)
    # Exact placement; where clips overlap, float32 mixing may round 1 LSB differently from
    # this float64 model, which no misplaced sample could hide behind.
    np.testing.assert_allclose(pcm, rebuild(timeline, sound_or_speech(renderer), 0.8), atol=1)
    says = [e for e in timeline["events"] if e["kind"] == "say"]
    assert says[0]["frame"] == 0 and abs(int(pcm[0])) > 0  # speech starts on its first sample
    phases = [e for e in timeline["events"] if e["kind"] == "phase"]
    assert phases[-1]["phase"] == "exhale"
    assert 90 <= timeline["seconds"] <= 150  # about two minutes (#19)


def test_render_json_lists_every_event_kind(tmp_path: Path) -> None:
    timeline_path = tmp_path / "x.json"
    done = ground(
        "render",
        "daily-sigh",
        "-o",
        str(tmp_path / "x.wav"),
        "--timeline",
        str(timeline_path),
        "--engine",
        "none",
        "--minutes",
        "2",
    )
    assert done.returncode == 0, done.stderr
    timeline = json.loads(timeline_path.read_text())
    kinds = {e["kind"] for e in timeline["events"]}
    assert {"say", "word", "tone", "chime", "phase", "step", "section", "end"} <= kinds
    for event in timeline["events"]:
        assert event["seconds"] == pytest.approx(event["frame"] / 48000, abs=1e-6)
    assert abs(timeline["seconds"] - 120) < 8


def _timeline(tmp_path: Path, *args: str) -> dict:  # type: ignore[type-arg]
    wav, timeline_path = tmp_path / "s.wav", tmp_path / "s.json"
    done = ground(
        "render", *args, "-o", str(wav), "--timeline", str(timeline_path), "--engine", "none"
    )
    assert done.returncode == 0, done.stderr
    return json.loads(timeline_path.read_text())  # type: ignore[no-any-return]


def test_without_the_voice_the_first_tone_comes_soon(tmp_path: Path) -> None:
    """Eyes closed, tones only: no half minute of silent talk before the breathing starts."""
    for args in (("box",), ("box", "--no-voice")):
        timeline = _timeline(tmp_path, *args)
        rate = timeline["sample_rate"]
        first_tone = next(e["frame"] for e in timeline["events"] if e["kind"] == "tone") / rate
        if "--no-voice" in args:
            # The welcome with its way out, the pattern and its caution stay, as captions (#19).
            assert first_tone < 30, first_tone
        else:
            assert first_tone > 25, first_tone  # with the voice, the whole introduction


def test_a_one_minute_box_keeps_the_breathing_and_drops_optional_talk(tmp_path: Path) -> None:
    timeline = _timeline(tmp_path, "box", "--minutes", "1", "--holds")  # its caution: the holds
    rate = timeline["sample_rate"]
    assert 50 <= timeline["total_frames"] / rate <= 70
    inhales = [e for e in timeline["events"] if e["kind"] == "phase" and e["phase"] == "inhale"]
    assert len(inhales) >= 2
    said = [e["text"] for e in timeline["events"] if e["kind"] == "say"]
    assert not any("minutes" in text for text in said)
    # The welcome with its way out, the pattern, its caution and the goodbye (#19).
    assert len(said) == 4, said
