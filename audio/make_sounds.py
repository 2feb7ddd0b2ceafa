"""Generate the sound cues used by ``ground``.

Run ``python audio/make_sounds.py`` to (re)write the WAV files next to this
script, or ``python audio/make_sounds.py OUT_DIR`` to write them elsewhere.
Only numpy and the standard library are used and nothing is random, so two
runs give byte-identical files.

Every file is mono, 48000 Hz, 16-bit PCM. Every sound starts at sample 0 with
a short raised-cosine attack (3-5 ms: fast enough that the cue is heard the
instant it is scheduled, slow enough not to click) and ends with a raised-cosine
release whose last sample is exactly 0, so nothing clicks at either end.

The sounds
----------
``bell.wav`` (2.5 s)
    A soft singing bowl that opens and closes a session. Four inharmonic
    partials on a 392 Hz (G4) fundamental, at the bowl-like ratios
    1, 2.76, 5.40 and 8.93, each quieter and shorter-lived than the one below,
    so the strike is bright for a moment and then settles into a warm hum.
    Each partial is paired with a weaker twin a fraction of a hertz away; the
    pair beats slowly, which gives the gentle "wah" of a real bowl.
    Exponential decay, then a 0.4 s fade to silence.

``inhale.wav`` (0.6 s)
    A rising glide from 220 Hz to 330 Hz (A3 to E4, a fifth up), swelling
    slightly as it rises: it sounds like breathing in.

``exhale.wav`` (0.8 s)
    A falling glide from 330 Hz to 196 Hz (E4 to G3), fading as it falls and
    a little longer than the inhale: it sounds like letting go.

``hold.wav`` (0.25 s)
    A short, steady, neutral 262 Hz (C4) tone, pure sine, that just marks the
    start of a hold without suggesting a direction.

``top_up.wav`` (0.3 s)
    A quick little rising "sip" from 330 Hz to 392 Hz (E4 to G4), above where
    the inhale ends: the second, topping-up inhale of a cyclic sigh.

The glides move evenly in pitch (exponentially in frequency) and share one warm
timbre: a sine with a little second and a trace of third harmonic. The phase
is the running integral of the instantaneous frequency, so the glide has no
discontinuities. Every sound has the same loudness, 8 dB under the spoken
voice (``LOUDNESS_DBFS``), so the voice is always the loudest thing heard.
"""

from __future__ import annotations

import sys
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

SAMPLE_RATE = 48_000
SAMPLE_WIDTH_BYTES = 2
FULL_SCALE = 32767

#: Loudness of every sound (see ``voiced_rms_dbfs``): 8 dB under the spoken voice, whose clips
#: are normalised to -20 dBFS, so the voice is always the loudest thing in the mix.
LOUDNESS_DBFS = -28.0

#: Warm timbre shared by the breathing tones: relative level of harmonics 2 and 3.
SECOND_HARMONIC = 0.12
THIRD_HARMONIC = 0.03


def _n_samples(seconds: float) -> int:
    return round(seconds * SAMPLE_RATE)


def _envelope(n: int, attack_s: float, release_s: float) -> FloatArray:
    """Unit envelope: raised-cosine rise from sample 0, raised-cosine fall to exactly 0."""
    env = np.ones(n)
    n_attack = _n_samples(attack_s)
    n_release = _n_samples(release_s)
    rise = np.arange(n_attack) / n_attack
    env[:n_attack] = 0.5 * (1.0 - np.cos(np.pi * rise))
    fall = np.arange(n_release) / (n_release - 1)
    env[n - n_release :] *= 0.5 * (1.0 + np.cos(np.pi * fall))
    return env


def _glide_phase(f_start: float, f_end: float, n: int) -> FloatArray:
    """Phase (radians) of a glide moving evenly in pitch from f_start to f_end."""
    position = np.arange(n) / (n - 1)
    frequency = f_start * (f_end / f_start) ** position
    cycles = np.concatenate(([0.0], np.cumsum(frequency[:-1]))) / SAMPLE_RATE
    return 2.0 * np.pi * cycles


def _warm(phase: FloatArray) -> FloatArray:
    return (
        np.sin(phase) + SECOND_HARMONIC * np.sin(2.0 * phase) + THIRD_HARMONIC * np.sin(3.0 * phase)
    )


def voiced_rms_dbfs(signal: FloatArray, full_scale: float = 1.0) -> float:
    """Loudness as ground measures every clip: RMS of the 10 ms frames within 30 dB of the
    loudest one (the same measure that normalises the spoken clips), in dBFS."""
    frame = SAMPLE_RATE // 100
    frames = -(-signal.size // frame)
    padded = np.zeros(frames * frame)
    padded[: signal.size] = signal / full_scale
    power = (padded.reshape(frames, frame) ** 2).mean(axis=1)
    voiced = power >= power.max() * 10.0 ** (-30.0 / 10.0)
    return float(10.0 * np.log10(power[voiced].mean()))


def _to_int16(signal: FloatArray, loudness_dbfs: float = LOUDNESS_DBFS) -> npt.NDArray[np.int16]:
    """Scale so the sound's loudness is ``loudness_dbfs``, then round to 16-bit PCM."""
    gain = 10.0 ** ((loudness_dbfs - voiced_rms_dbfs(signal)) / 20.0)
    scaled: FloatArray = np.round(signal * gain * FULL_SCALE)
    return scaled.astype(np.int16)


def bell() -> npt.NDArray[np.int16]:
    """Singing bowl for the start and end of a session."""
    fundamental = 392.0
    n = _n_samples(2.5)
    t = np.arange(n) / SAMPLE_RATE
    # (frequency ratio, amplitude, decay time constant in s, beat rate in Hz)
    partials = (
        (1.00, 1.00, 1.10, 0.6),
        (2.76, 0.40, 0.55, 1.1),
        (5.40, 0.15, 0.30, 1.7),
        (8.93, 0.05, 0.15, 2.3),
    )
    twin_level = 0.3
    signal = np.zeros(n)
    for ratio, amplitude, tau, beat in partials:
        frequency = fundamental * ratio
        pair = np.sin(2.0 * np.pi * frequency * t) + twin_level * np.sin(
            2.0 * np.pi * (frequency + beat) * t
        )
        signal += amplitude * np.exp(-t / tau) * pair
    signal *= _envelope(n, attack_s=0.003, release_s=0.4)
    return _to_int16(signal)


def _glide(
    f_start: float,
    f_end: float,
    seconds: float,
    level_start: float,
    level_end: float,
    release_s: float,
) -> npt.NDArray[np.int16]:
    n = _n_samples(seconds)
    level = np.linspace(level_start, level_end, n)
    envelope = _envelope(n, attack_s=0.004, release_s=release_s)
    signal = _warm(_glide_phase(f_start, f_end, n)) * level * envelope
    return _to_int16(signal)


def inhale() -> npt.NDArray[np.int16]:
    """Rising glide for breathing in."""
    return _glide(220.0, 330.0, 0.6, level_start=0.75, level_end=1.0, release_s=0.2)


def exhale() -> npt.NDArray[np.int16]:
    """Falling glide for breathing out."""
    return _glide(330.0, 196.0, 0.8, level_start=1.0, level_end=0.7, release_s=0.35)


def top_up() -> npt.NDArray[np.int16]:
    """Short rising sip for the top-up inhale of a cyclic sigh."""
    return _glide(330.0, 392.0, 0.3, level_start=0.85, level_end=1.0, release_s=0.12)


def hold() -> npt.NDArray[np.int16]:
    """Short, steady, neutral tone marking a hold."""
    n = _n_samples(0.25)
    phase = 2.0 * np.pi * 262.0 * np.arange(n) / SAMPLE_RATE
    signal = np.sin(phase) * _envelope(n, attack_s=0.005, release_s=0.12)
    return _to_int16(signal)


SOUNDS: dict[str, Callable[[], npt.NDArray[np.int16]]] = {
    "bell.wav": bell,
    "inhale.wav": inhale,
    "exhale.wav": exhale,
    "hold.wav": hold,
    "top_up.wav": top_up,
}


def write_wav(path: Path, samples: npt.NDArray[np.int16]) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(SAMPLE_WIDTH_BYTES)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(samples.astype("<i2").tobytes())


def generate_all(out_dir: Path) -> list[Path]:
    """Write every sound into out_dir and return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in SOUNDS.items():
        path = out_dir / name
        write_wav(path, make())
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0]) if args else Path(__file__).resolve().parent
    for path in generate_all(out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
