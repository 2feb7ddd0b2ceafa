"""Turning raw engine output into cue clips: reading audio files, resampling, trimming, loudness.

Everything except :func:`prepare_clip` uses the standard library only. ``prepare_clip`` imports
numpy inside the function, so a session whose clips all come from a warm cache never pays the
numpy import (≈ 100 ms) on the hotkey path.
"""

from __future__ import annotations

import io
import math
import os
import struct
import wave
from pathlib import Path
from typing import TYPE_CHECKING

from .base import Rendered

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]

#: Below this peak level (dBFS) a clip counts as silence and is only resampled, never trimmed.
SILENCE_DBFS = -60.0
#: A sample is "audible" when it is within this many dB of the clip's own peak. Measuring against
#: the clip's peak, not full scale, makes the onset point independent of how loud the engine
#: speaks; for typical engine output (peaks near -3 dBFS) this lands close to -45 dBFS.
AUDIBLE_BELOW_PEAK_DB = 42.0
#: A 10 ms frame is "voiced" (counts towards loudness) when its RMS is within this many dB of the
#: loudest frame; this leaves the gaps between words and the breathy tails out of the average.
VOICED_BELOW_LOUDEST_DB = 30.0
#: Loudness target: RMS of the voiced frames, in dBFS.
TARGET_RMS_DBFS = -20.0
#: No sample may exceed this level, in dBFS: headroom for a tone or the bell (loudness 8 dB
#: under this target, peaks at most -13.6 dBFS, ``audio/README.md``) sounding at the same time.
PEAK_CEILING_DBFS = -3.0
#: The limiter starts this many dB under the ceiling: only a clip's few loudest peaks (plosives)
#: are rounded off, so a voice with a high crest factor (Piper's) keeps the target loudness.
LIMITER_KNEE_DB = 6.0
#: Quiet kept after the last audible sample, so word endings decay naturally.
TAIL_SECONDS = 0.060
#: Length of the fade at the very end, so a clip never ends on a click.
FADE_SECONDS = 0.010
#: Frame length for measuring loudness.
FRAME_SECONDS = 0.010
#: Zero padding added on each side before the FFT resample: the FFT treats the signal as periodic,
#: so without a gap the end of a clip would ring into its start (and vice versa).
RESAMPLE_PAD_SECONDS = 0.050


def _db(level: float) -> float:
    """Amplitude ratio for ``level`` decibels."""
    return float(10.0 ** (level / 20.0))


# --- reading and writing files (stdlib only) ----------------------------------------------------


def _first_channel_16(
    data: bytes, width: int, channels: int, *, big_endian: bool, unsigned_8bit: bool
) -> bytes:
    """Reduce interleaved integer PCM to mono signed 16-bit little-endian.

    Takes the first channel (engines write the same speech on every channel, so nothing is lost)
    and keeps the top 16 bits of wider samples, using byte slicing so no numpy is needed.
    """
    if width not in (1, 2, 3, 4):
        msg = f"unsupported sample width: {width * 8} bits"
        raise ValueError(msg)
    frame = width * channels
    count = len(data) // frame
    data = data[: count * frame]
    if width == 2 and channels == 1 and not big_endian:
        return bytes(data)
    out = bytearray(count * 2)
    if width == 1:
        high = data[0::frame]
        if unsigned_8bit:
            # WAV stores 8-bit audio unsigned (128 is silence); flip the sign bit to make it signed.
            high = high.translate(bytes((b ^ 0x80) for b in range(256)))
        out[1::2] = high
    elif big_endian:
        out[1::2] = data[0::frame]
        out[0::2] = data[1::frame]
    else:
        out[1::2] = data[width - 1 :: frame]
        out[0::2] = data[width - 2 :: frame]
    return bytes(out)


def read_wav(path: str | os.PathLike[str]) -> Rendered:
    """Read a PCM WAV file as mono 16-bit audio.

    Args:
        path: the file.

    Returns:
        The first channel, as 16-bit samples, at the file's sample rate.

    Raises:
        ValueError: the file is not a complete integer-PCM WAV file.
        OSError: it cannot be read.
    """
    try:
        with wave.open(os.fspath(path), "rb") as w:
            channels, width, rate, nframes = (
                w.getnchannels(),
                w.getsampwidth(),
                w.getframerate(),
                w.getnframes(),
            )
            data = w.readframes(nframes)
    except (wave.Error, EOFError, struct.error) as exc:
        msg = f"not a usable WAV file ({exc})"
        raise ValueError(msg) from exc
    if channels < 1 or rate <= 0:
        msg = "WAV header has no channels or no sample rate"
        raise ValueError(msg)
    if len(data) < nframes * width * channels:
        msg = f"WAV file is truncated ({len(data)} of {nframes * width * channels} bytes)"
        raise ValueError(msg)
    pcm = _first_channel_16(data, width, channels, big_endian=False, unsigned_8bit=True)
    return Rendered(pcm, rate)


def write_wav(path: str | os.PathLike[str], pcm: bytes, rate: int) -> None:
    """Write mono 16-bit little-endian samples as a WAV file (not atomically).

    Args:
        path: where to write.
        pcm: the samples.
        rate: frames per second.
    """
    Path(path).write_bytes(wav_bytes(pcm, rate))


def wav_bytes(pcm: bytes, rate: int) -> bytes:
    """Mono 16-bit little-endian samples as the bytes of a WAV file."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)
    return out.getvalue()


def _extended_to_float(raw: bytes) -> float:
    """Decode the 80-bit IEEE 754 extended float AIFF uses for its sample rate."""
    exponent = ((raw[0] & 0x7F) << 8) | raw[1]
    mantissa = int.from_bytes(raw[2:10], "big")
    if exponent == 0 and mantissa == 0:
        return 0.0
    value = math.ldexp(mantissa, exponent - 16383 - 63)
    return -value if raw[0] & 0x80 else value


def read_aiff(path: str | os.PathLike[str]) -> Rendered:
    """Read an AIFF or AIFF-C file (what macOS speech writes) as mono 16-bit audio.

    A small chunk parser: the stdlib ``aifc`` module was removed in Python 3.13.

    Args:
        path: the file.

    Returns:
        The first channel, as 16-bit samples, at the file's sample rate.

    Raises:
        ValueError: not an AIFF file, a compressed or float one, or a truncated one.
        OSError: it cannot be read.
    """
    blob = Path(path).read_bytes()
    if len(blob) < 12 or blob[:4] != b"FORM" or blob[8:12] not in (b"AIFF", b"AIFC"):
        msg = "not an AIFF file"
        raise ValueError(msg)
    comm, samples = _aiff_chunks(blob, is_aifc=blob[8:12] == b"AIFC")
    channels, frames, bits, rate, compression = comm
    if compression not in (b"NONE", b"twos", b"sowt"):
        msg = f"unsupported AIFF-C compression {compression!r}"
        raise ValueError(msg)
    width = (bits + 7) // 8
    if channels < 1 or rate <= 0:
        msg = "AIFF header has no channels or no sample rate"
        raise ValueError(msg)
    needed = frames * width * channels
    if len(samples) < needed:
        msg = f"AIFF file is truncated ({len(samples)} of {needed} bytes)"
        raise ValueError(msg)
    pcm = _first_channel_16(
        samples[:needed],
        width,
        channels,
        big_endian=compression != b"sowt",  # "sowt" is little-endian ("twos" backwards)
        unsigned_8bit=False,
    )
    return Rendered(pcm, round(rate))


#: An AIFF COMM chunk: channels, frames, bits per sample, sample rate, compression.
_AiffFormat = tuple[int, int, int, float, bytes]


def _aiff_chunks(blob: bytes, *, is_aifc: bool) -> tuple[_AiffFormat, bytes]:
    """The format (COMM chunk) and the sample bytes (SSND chunk) of a whole AIFF file.

    Raises:
        ValueError: a chunk is too short, or one of the two is missing.
    """
    comm: _AiffFormat | None = None
    samples: bytes | None = None
    pos = 12
    while pos + 8 <= len(blob):
        chunk_id = blob[pos : pos + 4]
        (size,) = struct.unpack(">I", blob[pos + 4 : pos + 8])
        body = blob[pos + 8 : pos + 8 + size]
        if chunk_id == b"COMM":
            if len(body) < 18:
                msg = "AIFF COMM chunk is too short"
                raise ValueError(msg)
            channels, frames, bits = struct.unpack(">hIh", body[:8])
            rate = _extended_to_float(body[8:18])
            compression = body[18:22] if is_aifc else b"NONE"
            comm = (channels, frames, bits, rate, compression)
        elif chunk_id == b"SSND":
            if len(body) < 8:
                msg = "AIFF SSND chunk is too short"
                raise ValueError(msg)
            (offset,) = struct.unpack(">I", body[:4])
            samples = body[8 + offset :]
        pos += 8 + size + (size & 1)  # chunks are padded to an even length
    if comm is None or samples is None:
        msg = "AIFF file lacks its COMM or SSND chunk"
        raise ValueError(msg)
    return comm, samples


def read_audio(path: str | os.PathLike[str]) -> Rendered:
    """Read a WAV or AIFF file, whichever it is, judged by its header rather than its name.

    Args:
        path: the file.

    Returns:
        Mono 16-bit audio.

    Raises:
        ValueError: neither format, or unusable.
        OSError: it cannot be read.
    """
    with Path(path).open("rb") as f:
        head = f.read(12)
    if head[:4] == b"FORM":
        return read_aiff(path)
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return read_wav(path)
    msg = "not a WAV or AIFF file" if head else "the file is empty"
    raise ValueError(msg)


# --- processing (numpy, imported lazily) --------------------------------------------------------


def _smooth_235(n: int) -> int:
    """The smallest integer ≥ n with no prime factor above 5 (a fast FFT length)."""
    best = 1
    while best < n:
        best *= 2
    candidate = n
    while candidate < best:
        m = candidate
        for p in (2, 3, 5):
            while m % p == 0:
                m //= p
        if m == 1:
            return candidate
        candidate += 1
    return best


def _resample(x: FloatArray, rate_in: int, rate_out: int) -> FloatArray:
    """Band-limited resample by zero-padding or truncating the spectrum (not interpolation).

    The signal is padded with zeros on both sides so the FFT's implied periodic repeat cannot
    wrap the end into the start, and the padded length is chosen so that (a) the left pad maps
    to a whole number of output samples (sample positions stay exact) and (b) both FFT lengths
    have only small prime factors (fast).
    """
    import numpy as np

    g = math.gcd(rate_in, rate_out)
    up, down = rate_out // g, rate_in // g
    n = int(x.size)
    out_len = (n * up + down // 2) // down
    pad = max(1, math.ceil(RESAMPLE_PAD_SECONDS * rate_in))
    blocks_left = math.ceil(pad / down)
    left = blocks_left * down
    q = _smooth_235(math.ceil((left + n + pad) / down))
    n_in, n_out = down * q, up * q
    padded = np.zeros(n_in)
    padded[left : left + n] = x
    spectrum = np.fft.rfft(padded)
    out_spectrum = np.zeros(n_out // 2 + 1, dtype=np.complex128)
    keep = min(n_in, n_out) // 2 + 1
    out_spectrum[:keep] = spectrum[:keep]
    if min(n_in, n_out) % 2 == 0:
        edge = min(n_in, n_out) // 2
        if n_out > n_in:
            # The old Nyquist bin stands for +f and -f at once; in the wider spectrum it is split.
            out_spectrum[edge] *= 0.5
        elif n_out < n_in:
            # Content exactly at the new Nyquist frequency is ambiguous; drop it (anti-aliasing).
            out_spectrum[edge] = 0.0
    y = np.fft.irfft(out_spectrum, n_out) * (n_out / n_in)
    start = blocks_left * up
    result: FloatArray = y[start : start + out_len]
    return result


def _audible_span(x: FloatArray, threshold: float) -> tuple[int, int] | None:
    """First and last index whose magnitude exceeds ``threshold``, or None."""
    import numpy as np

    idx = np.flatnonzero(np.abs(x) > threshold)
    if idx.size == 0:
        return None
    return int(idx[0]), int(idx[-1])


def _voiced_rms(x: FloatArray, frame: int) -> float:
    """RMS over the frames within ``VOICED_BELOW_LOUDEST_DB`` of the loudest frame."""
    import numpy as np

    frames = math.ceil(x.size / frame)
    padded = np.zeros(frames * frame)
    padded[: x.size] = x
    power = (padded.reshape(frames, frame) ** 2).mean(axis=1)
    voiced = power >= power.max() * _db(-VOICED_BELOW_LOUDEST_DB) ** 2
    return float(math.sqrt(float(power[voiced].mean())))


def prepare_clip(rendered: Rendered, sample_rate: int = 48000) -> bytes:
    """Make engine output into a cue clip: resampled, trimmed, loudness-normalised.

    1. Resample to ``sample_rate`` with an FFT (band-limited) resampler, when the rates differ.
    2. Trim the leading silence so sample 0 is the first audible sample (the cue's onset, see
       ``AUDIBLE_BELOW_PEAK_DB``); keep ``TAIL_SECONDS`` after the last audible sample and fade
       out over the final ``FADE_SECONDS``.
    3. Scale so the voiced frames have an RMS of ``TARGET_RMS_DBFS``: every engine and voice
       then sounds equally loud. Peaks above ``PEAK_CEILING_DBFS - LIMITER_KNEE_DB`` are
       rounded off smoothly (a soft limiter) so no sample exceeds ``PEAK_CEILING_DBFS``.

    Silence (peak below ``SILENCE_DBFS``, e.g. from the null engine) is not trimmed: it keeps its
    duration, so captions still get the time the words would have taken.

    Args:
        rendered: mono 16-bit engine output.
        sample_rate: the session's sample rate.

    Returns:
        Mono signed 16-bit little-endian samples at ``sample_rate``.
    """
    import numpy as np

    if rendered.sample_rate <= 0 or sample_rate <= 0:
        msg = "sample rates must be positive"
        raise ValueError(msg)
    usable = len(rendered.pcm) - len(rendered.pcm) % 2
    x = np.frombuffer(rendered.pcm[:usable], dtype="<i2").astype(np.float64) / 32768.0
    if x.size == 0:
        return b""
    peak = float(np.abs(x).max())
    if peak <= _db(SILENCE_DBFS):
        silent_len = (x.size * sample_rate + rendered.sample_rate // 2) // rendered.sample_rate
        return bytes(2 * silent_len)
    y = _trimmed(x, peak, rendered.sample_rate, sample_rate)
    limited = _normalised(y, sample_rate)
    out = np.clip(np.rint(limited * 32768.0), -32768, 32767).astype("<i2")
    return out.tobytes()


def _trimmed(x: FloatArray, peak: float, rate_in: int, rate_out: int) -> FloatArray:
    """``x`` (not silent; its peak level is ``peak``) at ``rate_out``, from its first audible
    sample to ``TAIL_SECONDS`` after its last, faded out at the end."""
    import numpy as np

    # Cut most of the silence before resampling (less FFT work), keeping a margin so the fine
    # trim below still sees the onset and tail exactly as the resampler shapes them.
    threshold = peak * _db(-AUDIBLE_BELOW_PEAK_DB)
    span = _audible_span(x, threshold)
    assert span is not None  # peak > threshold, so at least one sample qualifies
    margin = math.ceil((TAIL_SECONDS + 0.02) * rate_in)
    x = x[max(0, span[0] - margin) : span[1] + 1 + margin]

    if rate_in != rate_out:
        x = _resample(x, rate_in, rate_out)

    peak = float(np.abs(x).max())
    threshold = peak * _db(-AUDIBLE_BELOW_PEAK_DB)
    span = _audible_span(x, threshold)
    assert span is not None
    tail = round(TAIL_SECONDS * rate_out)
    y = x[span[0] : span[1] + 1 + tail].copy()

    fade = min(y.size, max(1, round(FADE_SECONDS * rate_out)))
    # Raised-cosine ramp from 1 down to 0 (inclusive) so the last sample is exactly silent.
    y[-fade:] *= 0.5 + 0.5 * np.cos(np.linspace(0.0, math.pi, fade))
    return y


def _normalised(y: FloatArray, sample_rate: int) -> FloatArray:
    """``y`` scaled to the target loudness (``TARGET_RMS_DBFS``), its peaks soft-limited."""
    frame = max(1, round(FRAME_SECONDS * sample_rate))
    target = _db(TARGET_RMS_DBFS)
    rms = _voiced_rms(y, frame)
    gain = target / rms if rms > 0 else 1.0
    limited = _soft_limit(y * gain)
    # The limiter takes a little loudness off peaky speech (a neural voice's most of all): make
    # it up, so every engine lands on the target; two rounds bring it within 0.01 dB.
    for _ in range(2):
        rms = _voiced_rms(limited, frame)
        if rms <= 0 or abs(rms / target - 1.0) < 1e-3:
            break
        gain *= target / rms
        limited = _soft_limit(y * gain)
    return limited


def _soft_limit(y: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Round peaks above the knee off smoothly so that none exceeds ``PEAK_CEILING_DBFS``."""
    import numpy as np

    # One LSB below the ceiling, so rounding to int16 can never push a sample over it.
    ceiling = (_db(PEAK_CEILING_DBFS) * 32768.0 - 1.0) / 32768.0
    knee = ceiling * _db(-LIMITER_KNEE_DB)
    y = y.copy()
    loud = np.abs(y) > knee
    if loud.any():
        # tanh meets the straight line at the knee with the same slope: no kink, no click.
        over = (np.abs(y[loud]) - knee) / (ceiling - knee)
        y[loud] = np.sign(y[loud]) * (knee + (ceiling - knee) * np.tanh(over))
    return y
