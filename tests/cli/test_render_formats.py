"""`ground render -o x.ogg|.opus|.mp3|.flac`: by suffix, titled, cues where the WAV has them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile

from assistant.cli import encode
from tests.helpers.cli import ground
from tests.helpers.onsets import isolated_cues, measure, normalized_xcorr, read_wav

RATE = 48_000


@pytest.mark.parametrize("suffix", [".ogg", ".opus", ".mp3", ".flac"])
def test_each_suffix_writes_its_format_with_the_title(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"box{suffix}"
    done = ground("render", "box", "--breaths", "2", "--engine", "none", "-o", str(out))
    assert done.returncode == 0, done.stderr
    expected = {".ogg": "OGG", ".opus": "OGG", ".mp3": "MP3", ".flac": "FLAC"}[suffix]
    with soundfile.SoundFile(out) as f:
        assert f.format == expected
        assert f.title == "Box breathing"
        assert (f.samplerate, f.channels) == (RATE, 1)
        assert f.frames > 10 * RATE
    assert not list(tmp_path.glob(".*part"))  # the temporary file was renamed into place


def test_flac_is_the_wav_sample_for_sample(tmp_path: Path) -> None:
    wav, flac = tmp_path / "b.wav", tmp_path / "b.flac"
    for out in (wav, flac):
        done = ground("render", "box", "--breaths", "2", "--engine", "none", "-o", str(out))
        assert done.returncode == 0, done.stderr
    decoded, _ = soundfile.read(flac, dtype="int16")
    assert np.array_equal(decoded, read_wav(wav).astype(np.int16))


@pytest.mark.tts
def test_ten_minute_opus_keeps_the_wav_cue_timing(tmp_path: Path) -> None:
    wav, opus, timeline_path = tmp_path / "r.wav", tmp_path / "r.opus", tmp_path / "r.json"
    common = ("render", "resonance", "--minutes", "10", "--engine", "espeak")
    done = ground(*common, "-o", str(wav), "--timeline", str(timeline_path), timeout=300)
    assert done.returncode == 0, done.stderr
    done = ground(*common, "-o", str(opus), timeout=300)
    assert done.returncode == 0, done.stderr
    reference = read_wav(wav)
    decoded, rate = soundfile.read(opus, dtype="int16")
    assert rate == RATE
    assert len(decoded) == len(reference)  # the encoder's pre-skip is undone on decoding
    recording = decoded.astype(np.float32)
    timeline = json.loads(timeline_path.read_text())
    # No global shift: the first second of the decoded file lines up with the WAV at offset 0.
    probe = reference[: RATE // 2]
    offset = int(np.argmax(normalized_xcorr(recording[:RATE], probe)))
    assert offset == 0
    onsets = measure(recording, reference, timeline)
    assert len(onsets) >= len(isolated_cues(timeline, reference)) >= 40
    worst = max(abs(o.error_frames) for o in onsets)
    assert worst <= 48, f"a cue moved by {worst} frames (1 ms = 48)"
    assert min(o.score for o in onsets) > 0.9
    assert opus.stat().st_size < 3_000_000  # a 10-minute session fits on a phone


def test_unknown_suffix_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = ground("render", "box", "--engine", "none", "-o", str(tmp_path / "box.aac"))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"ground: {tmp_path / 'box.aac'}: ground writes .flac, .mp3, .ogg, .opus, .wav files, "
        "not .aac"
    ]
    assert not list(tmp_path.iterdir())


def test_a_format_this_libsndfile_lacks_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(soundfile, "check_format", lambda *_: False)
    monkeypatch.setattr(soundfile, "__libsndfile_version__", "1.0.31")
    out = tmp_path / "box.mp3"
    with pytest.raises(encode.EncodeError) as caught:
        encode.encode_audio(out, bytes(4800), RATE, title="t")
    assert str(caught.value) == (
        f"{out}: this machine's libsndfile 1.0.31 cannot write .mp3 files (MP3 needs libsndfile "
        "1.1 or later); write a .wav, .flac or .ogg instead"
    )
    assert not out.exists()


def test_without_soundfile_the_line_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "soundfile", None)  # import raises ImportError
    with pytest.raises(encode.EncodeError, match=r"needs the soundfile package .*pip install"):
        encode.encode_audio(tmp_path / "x.ogg", bytes(4800), RATE)


def test_a_failed_encode_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_write(self: soundfile.SoundFile, data: np.ndarray) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(soundfile.SoundFile, "write", broken_write)
    out = tmp_path / "x.ogg"
    out.write_bytes(b"an older good file")
    with pytest.raises(OSError, match="No space"):
        encode.encode_audio(out, bytes(48000), RATE)
    assert out.read_bytes() == b"an older good file"
    assert [p.name for p in tmp_path.iterdir()] == ["x.ogg"]
