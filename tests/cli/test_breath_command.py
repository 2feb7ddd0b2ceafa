"""``ground breath``: events and rate from a WAV, the target comparison, JSON, bad input."""

from __future__ import annotations

import argparse
import json
import re
import wave
from pathlib import Path

import numpy as np
import pytest

from assistant.cli.breath_command import advice_line, breath_command
from assistant.cli.errors import UsageError
from tests.data.make_breathing import breathing, write_wav

SR = 48000


def _args(
    file: Path | str, *, as_json: bool = False, script: str | None = None
) -> argparse.Namespace:
    return argparse.Namespace(file=str(file), json=as_json, script=script)


@pytest.fixture(scope="module")
def eight_per_min(tmp_path_factory: pytest.TempPathFactory) -> Path:
    samples, _ = breathing(8, 60, 10.0, "fan", seed=21)
    path = tmp_path_factory.mktemp("wav") / "eight.wav"
    write_wav(path, samples, SR)
    return path


def test_prints_events_rate_and_gentle_advice(
    eight_per_min: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert breath_command(_args(eight_per_min, script="resonance")) == 0
    out = capsys.readouterr().out
    assert "exhale" in out
    rate = float(re.search(r"Rate: about ([\d.]+) breaths/min", out).group(1))  # type: ignore[union-attr]
    assert abs(rate - 8) <= 1
    assert "the target is 5.5; let the exhale run a little longer" in out


def test_stereo_is_averaged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    samples, _ = breathing(12, 60, 10.0, "hum", seed=22)
    pcm = (np.repeat(samples[:, None], 2, axis=1) * 32767).astype("<i2")
    path = tmp_path / "stereo.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(SR)
        out.writeframes(pcm.tobytes())
    assert breath_command(_args(path, as_json=True)) == 0
    data = json.loads(capsys.readouterr().out)
    assert abs(data["rate_per_min"] - 12) <= 1


def test_json_shape(eight_per_min: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert breath_command(_args(eight_per_min, as_json=True, script="resonance")) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "duration",
        "rate_per_min",
        "confident",
        "clear_breaths",
        "target_per_min",
        "advice",
        "events",
    }
    assert data["confident"] is True and data["clear_breaths"] == len(data["events"])
    assert data["duration"] == pytest.approx(60.0)
    assert abs(data["rate_per_min"] - 8) <= 1
    assert data["target_per_min"] == pytest.approx(60 / 11, abs=0.01)
    assert "longer" in data["advice"]
    assert data["events"]
    for event in data["events"]:
        assert set(event) == {"kind", "start", "end", "duration", "noisiness"}
        assert event["noisiness"] >= 0.1  # a hiss
        assert event["kind"] in ("exhale", "inhale")


def test_silence_says_no_breaths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "quiet.wav"
    write_wav(path, np.zeros(SR * 10, dtype=np.float32), SR)
    assert breath_command(_args(path)) == 0
    out = capsys.readouterr().out
    assert "No breaths heard" in out


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"missing\.wav: no such file"):
        breath_command(_args(tmp_path / "missing.wav"))


def test_not_a_wav_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.wav"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(UsageError, match=r"notes\.wav: not a WAV file") as info:
        breath_command(_args(path))
    assert "\n" not in str(info.value)


def test_unknown_script_is_a_usage_error(eight_per_min: Path) -> None:
    with pytest.raises(UsageError, match="unknown script 'nope'"):
        breath_command(_args(eight_per_min, script="nope"))


@pytest.mark.parametrize(
    ("rate", "target", "words"),
    [
        (8.0, 5.5, "let the exhale run a little longer"),
        (6.2, 5.5, "close to the target"),
        (3.0, 5.5, "breathe a little sooner"),
        (None, 5.5, "a longer recording"),
    ],
)
def test_advice_is_one_gentle_line(rate: float | None, target: float, words: str) -> None:
    line = advice_line(rate, target)
    assert words in line
    assert "\n" not in line


@pytest.mark.slow
@pytest.mark.tts
def test_a_rendered_session_gives_no_confident_rate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Box rendered for real (espeak's voice and the tones, no breathing in it): the tones come
    every four seconds, which once read as a confident "15 breaths/min". Now: no rate."""
    from assistant.core.library import shipped_script
    from assistant.session import render_session, request_for, wav_bytes
    from assistant.storage.settings import Settings

    request = request_for(Settings(engine="espeak"), shipped_script("box"))
    pcm, timeline, _ = render_session(request)
    path = tmp_path / "box.wav"
    path.write_bytes(wav_bytes(pcm, timeline.sample_rate))
    assert breath_command(_args(path, script="box")) == 0
    out = capsys.readouterr().out
    assert "Rate: about" not in out
    assert "No rate" in out or "No breaths" in out
    assert "(a tone or a voice, not breath)" in out
    assert "no clear rate to compare" in out
    assert breath_command(_args(path, as_json=True)) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["confident"] is False
    tones = [e for e in data["events"] if e["noisiness"] is not None and e["noisiness"] < 0.01]
    assert len(tones) >= 10  # the tones are heard, and known for what they are
