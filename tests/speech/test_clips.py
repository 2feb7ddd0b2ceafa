"""Clip preparation: FFT resampling, onset trimming, loudness, and the WAV/AIFF readers."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from assistant.speech import Rendered, prepare_clip, read_aiff, read_audio, read_wav, write_wav
from assistant.speech.clips import (
    AUDIBLE_BELOW_PEAK_DB,
    PEAK_CEILING_DBFS,
    TAIL_SECONDS,
    TARGET_RMS_DBFS,
    _resample,
)
from assistant.speech.null import NullEngine

Samples = npt.NDArray[np.float64]


def tone(freq: float, seconds: float, rate: int, amp: float = 0.5, fade: float = 0.0) -> Samples:
    """A sine, optionally with a linear fade-in over ``fade`` seconds."""
    t = np.arange(round(seconds * rate)) / rate
    y = amp * np.sin(2 * np.pi * freq * t)
    if fade:
        n = round(fade * rate)
        y[:n] *= np.linspace(0.0, 1.0, n)
    return y


def pcm(x: Samples) -> bytes:
    """Float samples in [-1, 1] as int16 little-endian bytes."""
    return np.clip(np.rint(x * 32767), -32768, 32767).astype("<i2").tobytes()


def samples(data: bytes) -> Samples:
    """int16 bytes back to floats in [-1, 1)."""
    return np.frombuffer(data, dtype="<i2").astype(np.float64) / 32768.0


def dominant_hz(x: Samples, rate: int) -> float:
    """Frequency of the strongest FFT bin (windowed to keep leakage down)."""
    spectrum = np.abs(np.fft.rfft(x * np.hanning(x.size)))
    return float(np.argmax(spectrum)) * rate / x.size


def db(x: float) -> float:
    return 20 * math.log10(x)


def rms(x: Samples) -> float:
    return float(np.sqrt(np.mean(x**2)))


def test_upsample_keeps_frequency_and_length() -> None:
    src = tone(440, 1.0, 22050)
    out = samples(prepare_clip(Rendered(pcm(src), 22050), 48000))
    # The tone is audible from (almost) its first sample to its last: nothing of it may be lost.
    assert abs(out.size - 48000) <= 10
    assert dominant_hz(out, 48000) == pytest.approx(440, abs=1.0)


def test_downsample_keeps_frequency() -> None:
    src = tone(1000, 0.5, 48000)
    out = samples(prepare_clip(Rendered(pcm(src), 48000), 16000))
    assert abs(out.size - 8000) <= 5
    assert dominant_hz(out, 16000) == pytest.approx(1000, abs=2.0)


def test_resample_is_band_limited_not_linear() -> None:
    # A 10 kHz tone at 22050 Hz has barely 2 samples per cycle; linear interpolation would add
    # strong images, a band-limited resampler adds (almost) nothing above the old Nyquist.
    x = tone(10_000, 0.5, 22050)
    y = _resample(x, 22050, 48000)
    spectrum = np.abs(np.fft.rfft(y * np.hanning(y.size)))
    freqs = np.fft.rfftfreq(y.size, 1 / 48000)
    assert db(spectrum[freqs > 11_500].max() / spectrum.max()) < -60


def test_resample_length_is_exact_and_ends_do_not_wrap() -> None:
    x = np.zeros(22050)
    x[-300:] = tone(3000, 300 / 22050, 22050, amp=0.9)  # loud burst right at the end
    y = _resample(x, 22050, 48000)
    assert y.size == 48000
    # Without padding the FFT's periodic repeat would ring the burst into the start.
    assert np.abs(y[:2000]).max() < 1e-4


def test_leading_silence_is_trimmed_so_sample_zero_is_the_onset() -> None:
    rate = 22050
    src = np.concatenate(
        [np.zeros(round(0.3 * rate)), tone(300, 0.5, rate, fade=0.005), np.zeros(round(0.4 * rate))]
    )
    out = samples(prepare_clip(Rendered(pcm(src), rate), 48000))
    threshold = np.abs(out).max() * 10 ** (-AUDIBLE_BELOW_PEAK_DB / 20)
    assert abs(out[0]) > threshold
    # 0.5 s of tone, 60 ms of kept tail; the fade-in's inaudible start may be cut by ~1 ms.
    expected = (0.5 + TAIL_SECONDS) * 48000
    assert abs(out.size - expected) < 0.003 * 48000
    assert out[-1] == 0.0  # ends faded out: no click


def test_trailing_silence_is_cut_to_the_tail() -> None:
    rate = 22050
    src = np.concatenate([tone(300, 0.4, rate), np.zeros(rate * 2)])
    out = samples(prepare_clip(Rendered(pcm(src), rate), 48000))
    assert out.size == pytest.approx((0.4 + TAIL_SECONDS) * 48000, abs=0.003 * 48000)


def test_loudness_is_normalised_across_levels_and_signals() -> None:
    rate = 22050
    quiet = tone(220, 1.0, rate, amp=0.03) * (
        1 + 0.5 * np.sin(2 * np.pi * 3 * np.arange(rate) / rate)
    )
    loud = tone(660, 0.8, rate, amp=0.7) + tone(1320, 0.8, rate, amp=0.2)
    a = samples(prepare_clip(Rendered(pcm(quiet / 1.5), rate)))
    b = samples(prepare_clip(Rendered(pcm(loud / 1.0), rate)))
    assert abs(db(rms(a)) - db(rms(b))) < 1.0
    assert db(rms(b)) == pytest.approx(TARGET_RMS_DBFS, abs=1.0)


def test_peak_never_exceeds_ceiling() -> None:
    rate = 22050
    x = tone(200, 1.0, rate, amp=0.02)
    x[:: rate // 10] = 0.9  # sharp clicks: a huge crest factor forces the peak limit
    out = np.frombuffer(prepare_clip(Rendered(pcm(x), rate)), dtype="<i2")
    ceiling = 10 ** (PEAK_CEILING_DBFS / 20) * 32768
    assert np.abs(out.astype(np.int32)).max() <= ceiling
    assert np.abs(out.astype(np.int32)).max() > ceiling * 0.97  # the limit, not something lower


def test_silence_keeps_its_duration() -> None:
    rendered = NullEngine().render("Breathe in slowly.", None, None)
    out = prepare_clip(rendered, 48000)
    assert len(out) // 2 == round(rendered.seconds * 48000)
    assert not any(out)


def test_empty_input_gives_empty_clip() -> None:
    assert prepare_clip(Rendered(b"", 22050)) == b""


def test_wav_round_trip(tmp_path: Path) -> None:
    data = pcm(tone(440, 0.1, 16000))
    write_wav(tmp_path / "a.wav", data, 16000)
    back = read_wav(tmp_path / "a.wav")
    assert back == Rendered(data, 16000)
    assert read_audio(tmp_path / "a.wav") == back


def test_read_wav_takes_first_channel_of_8bit_stereo(tmp_path: Path) -> None:
    path = tmp_path / "s8.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(1)
        w.setframerate(8000)
        w.writeframes(bytes([128, 0, 255, 0, 0, 0]))  # unsigned: 128 is silence
    back = read_wav(path)
    assert np.frombuffer(back.pcm, dtype="<i2").tolist() == [0, 127 * 256, -128 * 256]


def test_truncated_wav_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "t.wav"
    write_wav(path, pcm(tone(440, 0.2, 16000)), 16000)
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ValueError, match="truncated"):
        read_wav(path)


def test_empty_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "e.wav"
    path.write_bytes(b"")
    with pytest.raises(ValueError, match="empty"):
        read_audio(path)


# 22050 as an 80-bit IEEE extended float, the way AIFF stores it (exponent 16383+14, mantissa).
RATE_22050 = bytes.fromhex("400dac44000000000000")


def aiff(frames: list[tuple[int, ...]], *, aifc_type: bytes | None = None) -> bytes:
    """A minimal AIFF (or AIFF-C) file of 16-bit frames, written by hand."""
    channels = len(frames[0])
    little = aifc_type == b"sowt"
    fmt = "<" if little else ">"
    sound = b"".join(struct.pack(f"{fmt}{channels}h", *f) for f in frames)
    comm = struct.pack(">hIh", channels, len(frames), 16) + RATE_22050
    if aifc_type is not None:
        comm += aifc_type + b"\x00\x00"  # empty pascal-string name, padded to even
    ssnd = struct.pack(">II", 0, 0) + sound
    chunks = b"COMM" + struct.pack(">I", len(comm)) + comm
    chunks += b"SSND" + struct.pack(">I", len(ssnd)) + ssnd
    form = b"AIFC" if aifc_type is not None else b"AIFF"
    return b"FORM" + struct.pack(">I", 4 + len(chunks)) + form + chunks


def test_read_aiff_big_endian_stereo(tmp_path: Path) -> None:
    path = tmp_path / "a.aiff"
    path.write_bytes(aiff([(1000, -5), (-2000, 7), (32767, 0)]))
    back = read_aiff(path)
    assert back.sample_rate == 22050
    assert np.frombuffer(back.pcm, dtype="<i2").tolist() == [1000, -2000, 32767]
    assert read_audio(path) == back


def test_read_aifc_sowt_little_endian(tmp_path: Path) -> None:
    path = tmp_path / "a.aifc"
    path.write_bytes(aiff([(1234,), (-4321,)], aifc_type=b"sowt"))
    back = read_aiff(path)
    assert np.frombuffer(back.pcm, dtype="<i2").tolist() == [1234, -4321]


def test_truncated_aiff_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "t.aiff"
    path.write_bytes(aiff([(1,), (2,), (3,), (4,)])[:-4])
    with pytest.raises(ValueError, match="truncated"):
        read_aiff(path)
