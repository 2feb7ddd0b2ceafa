"""Reading recordings: every PCM width, float, and WAVE_FORMAT_EXTENSIBLE (24-bit recorders)."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import numpy as np
import pytest

from assistant.sound.wavfile import EXTENSIBLE, WavError, read_mono

RATE = 16_000
SINE = np.sin(2 * np.pi * 220 * np.arange(RATE // 4) / RATE) * 0.5


def riff(fmt: bytes, data: bytes) -> bytes:
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data"
    body += struct.pack("<I", len(data)) + data + b"\0" * (len(data) & 1)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def fmt_chunk(tag: int, channels: int, bits: int, *, extensible: bool = False) -> bytes:
    block = channels * bits // 8
    head = struct.pack(
        "<HHIIHH", EXTENSIBLE if extensible else tag, channels, RATE, RATE * block, block, bits
    )
    if not extensible:
        return head
    guid_tail = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
    return head + struct.pack("<HHI", 22, bits, 0) + struct.pack("<H", tag) + guid_tail


def ints(values: np.ndarray, bits: int) -> bytes:
    scaled = np.round(values * (2 ** (bits - 1) - 1)).astype(np.int64)
    if bits == 8:
        data: bytes = (scaled + 128).astype(np.uint8).tobytes()
        return data
    if bits == 24:
        return b"".join(int(v).to_bytes(3, "little", signed=True) for v in scaled)
    wide: bytes = scaled.astype("<i2" if bits == 16 else "<i4").tobytes()
    return wide


@pytest.mark.parametrize("bits", [8, 16, 24, 32])
@pytest.mark.parametrize("extensible", [False, True])
def test_pcm_of_every_width_reads_back(tmp_path: Path, bits: int, extensible: bool) -> None:
    path = tmp_path / "r.wav"
    path.write_bytes(riff(fmt_chunk(1, 1, bits, extensible=extensible), ints(SINE, bits)))
    samples, rate = read_mono(path)
    assert rate == RATE
    assert samples.shape == SINE.shape
    assert np.max(np.abs(samples - SINE)) < (0.02 if bits == 8 else 1e-3)


def test_float_stereo_is_averaged(tmp_path: Path) -> None:
    stereo = np.stack([SINE, -SINE * 0.5], axis=1).astype("<f4")
    path = tmp_path / "f.wav"
    path.write_bytes(riff(fmt_chunk(3, 2, 32, extensible=True), stereo.tobytes()))
    samples, _ = read_mono(path)
    assert np.allclose(samples, SINE * 0.25, atol=1e-6)


def test_the_stdlib_writer_agrees(tmp_path: Path) -> None:
    path = tmp_path / "w.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(ints(SINE, 16))
    samples, rate = read_mono(path)
    assert rate == RATE and np.max(np.abs(samples - SINE)) < 1e-3


@pytest.mark.parametrize(
    ("blob", "why"),
    [
        (b"hello", "RIFF"),
        (riff(b"", b""), "format"),
        (riff(fmt_chunk(2, 1, 4), b"\0" * 8), "not PCM"),
    ],
)
def test_what_is_not_a_readable_wav_says_why(tmp_path: Path, blob: bytes, why: str) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(blob)
    with pytest.raises(WavError, match=why):
        read_mono(path)
