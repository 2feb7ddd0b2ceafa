"""Reading a recording: PCM WAV of 8, 16, 24 or 32 bits, or 32-bit float, plain or EXTENSIBLE.

Python 3.11's ``wave`` refuses ``WAVE_FORMAT_EXTENSIBLE``, which many recorders write for 24-bit
audio; this reads the RIFF chunks itself. A file is data: only a regular file is read, and at
most :data:`MAX_BYTES` of it.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.core.i18n import _

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

#: The largest recording read (about 45 minutes of 48 kHz 24-bit stereo).
MAX_BYTES = 800 * 1024 * 1024
PCM, FLOAT, EXTENSIBLE = 0x0001, 0x0003, 0xFFFE


class WavError(ValueError):
    """Not a WAV this can read; the message says why, in a few words."""


def read_mono(path: Path) -> tuple[npt.NDArray[np.float32], int]:
    """The recording as mono float samples in -1…1 (channels averaged) and its sample rate.

    Raises:
        WavError: not a regular file, too large, not RIFF/WAVE, or an encoding not read here.
        OSError: the file cannot be read.
    """
    from assistant.core.safe import UnsafeFile, read_regular

    try:
        blob = read_regular(path, MAX_BYTES)
    except UnsafeFile as exc:
        raise WavError(str(exc)) from None
    return decode_mono(blob)


def decode_mono(blob: bytes) -> tuple[npt.NDArray[np.float32], int]:
    """A WAV file's bytes as mono float samples in -1…1 (channels averaged) and its rate.

    Raises:
        WavError: not RIFF/WAVE, or an encoding not read here.
    """
    import numpy as np

    if len(blob) < 12 or blob[:4] != b"RIFF" or blob[8:12] != b"WAVE":
        # TRANSLATORS: why a file is not a WAV recording this can read; RIFF/WAVE is a name.
        raise WavError(_("no RIFF/WAVE header"))
    fmt, data = _chunks(blob)
    if fmt is None or len(fmt) < 16:
        raise WavError(_("no format chunk"))
    if data is None:
        raise WavError(_("no data chunk"))
    tag, channels, rate, _rate, _align, bits = struct.unpack_from("<HHIIHH", fmt)
    if tag == EXTENSIBLE and len(fmt) >= 40:
        tag = struct.unpack_from("<H", fmt, 24)[0]  # the sub-format GUID starts with the tag
    if channels < 1 or rate < 1:
        raise WavError(_("no channels or no sample rate"))
    width = bits // 8
    if tag == PCM and width in (1, 2, 3, 4):
        samples = _pcm(data, width)
    elif tag == FLOAT and width == 4:
        usable = len(data) - len(data) % 4
        samples = np.frombuffer(data[:usable], dtype="<f4").astype(np.float32)
    else:
        # TRANSLATORS: {bits} is a number of bits, {tag} a format's code (0x0055).
        raise WavError(
            _("{bits}-bit encoding {tag} is not PCM").format(bits=bits, tag=f"{tag:#06x}")
        )
    samples = samples[: samples.size - samples.size % channels]
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1)
    return samples.astype(np.float32), rate


def _chunks(blob: bytes) -> tuple[bytes | None, bytes | None]:
    """The ``fmt `` and ``data`` chunks (a data chunk cut short is used as far as it goes)."""
    fmt = data = None
    at = 12
    while at + 8 <= len(blob) and (fmt is None or data is None):
        ident, size = blob[at : at + 4], struct.unpack_from("<I", blob, at + 4)[0]
        body = blob[at + 8 : at + 8 + size]
        if ident == b"fmt ":
            fmt = body
        elif ident == b"data":
            data = body
        at += 8 + size + (size & 1)  # chunks are word-aligned
    return fmt, data


def _pcm(data: bytes, width: int) -> npt.NDArray[np.float32]:
    import numpy as np

    usable = len(data) - len(data) % width
    raw = np.frombuffer(data[:usable], dtype=np.uint8)
    if width == 1:  # 8-bit WAV is unsigned
        return (raw.astype(np.float32) - 128.0) / 128.0
    if width == 3:  # little-endian 24-bit: widen to 32 bits, keeping the sign
        triples = raw.reshape(-1, 3).astype(np.int32)
        values = triples[:, 0] | (triples[:, 1] << 8) | (triples[:, 2] << 16)
        values = np.where(values >= 1 << 23, values - (1 << 24), values)
        return values.astype(np.float32) / float(1 << 23)
    kind = "<i2" if width == 2 else "<i4"
    return np.frombuffer(data[:usable], dtype=kind).astype(np.float32) / float(1 << (8 * width - 1))
