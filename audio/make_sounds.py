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

The files above are the default tone set, ``soft-sine``, and the default bell;
they keep their paths and their exact bytes. The other choices live in folders:

``tones/hum/`` (the softer set)
    Pure sines (no harmonics), a fourth lower than ``soft-sine``, longer and
    rounder: the inhale swells up from 165 Hz to 247 Hz (E3 to B3), the exhale
    sinks from 247 Hz to 147 Hz (B3 to D3) and fades, the hold is a short 196 Hz
    (G3) hum, and the top-up a quick 247-294 Hz sip.

``tones/wood/`` (struck wooden bars, like a soft marimba)
    Each note is a bar struck once: a fundamental with faint inharmonic modes
    at 3.93 and 9.2 times it, the higher ones dying away sooner. The inhale is
    two notes going up (C4 then G4), the exhale two going down (G4 then C4,
    more slowly), the hold one E4, and the top-up a quick G4 then C5.

``bells/chime.wav`` (3 s)
    A small bright chime, like a pair of tingsha cymbals: two partials near
    1319 Hz (E6) a few hertz apart that beat gently, and a faint one at 2.32
    times, ringing out over three seconds.

``bells/woodblock.wav`` (1.2 s)
    Two soft knocks on a temple block, "tock ... tock", 0.45 s apart.
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


# -- the softer set: pure sines, lower, rounder --------------------------------------------------


def _pure_glide(
    f_start: float,
    f_end: float,
    seconds: float,
    level_start: float,
    level_end: float,
    release_s: float,
) -> npt.NDArray[np.int16]:
    n = _n_samples(seconds)
    # An eased level (raised-cosine between the two) swells or sinks without a corner.
    ease = 0.5 * (1.0 - np.cos(np.pi * np.arange(n) / (n - 1)))
    level = level_start + (level_end - level_start) * ease
    envelope = _envelope(n, attack_s=0.004, release_s=release_s)
    signal = np.sin(_glide_phase(f_start, f_end, n)) * level * envelope
    return _to_int16(signal)


def hum_inhale() -> npt.NDArray[np.int16]:
    """Softer set: a pure tone swelling up, E3 to B3."""
    return _pure_glide(165.0, 247.0, 0.8, level_start=0.6, level_end=1.0, release_s=0.3)


def hum_exhale() -> npt.NDArray[np.int16]:
    """Softer set: a pure tone sinking and fading, B3 to D3."""
    return _pure_glide(247.0, 147.0, 1.0, level_start=1.0, level_end=0.5, release_s=0.45)


def hum_hold() -> npt.NDArray[np.int16]:
    """Softer set: a short steady G3 hum."""
    return _pure_glide(196.0, 196.0, 0.3, level_start=1.0, level_end=1.0, release_s=0.15)


def hum_top_up() -> npt.NDArray[np.int16]:
    """Softer set: a quick sip above where the inhale ends, B3 to D4."""
    return _pure_glide(247.0, 294.0, 0.35, level_start=0.8, level_end=1.0, release_s=0.15)


# -- the wood set: struck bars --------------------------------------------------------------------

#: A wooden bar's modes: (frequency ratio, amplitude, decay time constant in s).
WOOD_MODES = ((1.0, 1.0, 0.20), (3.93, 0.22, 0.05), (9.2, 0.05, 0.015))


def _strike(
    frequency: float, n: int, at: int, modes: tuple[tuple[float, float, float], ...]
) -> FloatArray:
    """One strike of a bar at sample ``at`` (silent before it), a few ms raised-cosine onset."""
    out = np.zeros(n)
    t = np.arange(n - at) / SAMPLE_RATE
    note = np.zeros(n - at)
    for ratio, amplitude, tau in modes:
        note += amplitude * np.exp(-t / tau) * np.sin(2.0 * np.pi * frequency * ratio * t)
    onset = min(note.size, _n_samples(0.003))
    note[:onset] *= 0.5 * (1.0 - np.cos(np.pi * np.arange(onset) / onset))
    out[at:] = note
    return out


def _wood(notes: tuple[tuple[float, float, float], ...], seconds: float) -> npt.NDArray[np.int16]:
    """Wooden notes ``(Hz, start s, level)`` in one sound that fades to exactly 0."""
    n = _n_samples(seconds)
    signal = np.zeros(n)
    for frequency, start, level in notes:
        signal += level * _strike(frequency, n, _n_samples(start), WOOD_MODES)
    # The first strike has its own 3 ms onset; this only closes the tail without a click.
    signal *= _envelope(n, attack_s=0.001, release_s=0.08)
    return _to_int16(signal)


def wood_inhale() -> npt.NDArray[np.int16]:
    """Wood set: two notes going up, C4 then G4."""
    return _wood(((261.6, 0.0, 0.8), (392.0, 0.16, 1.0)), 0.6)


def wood_exhale() -> npt.NDArray[np.int16]:
    """Wood set: two notes going down, more slowly, G4 then C4."""
    return _wood(((392.0, 0.0, 1.0), (261.6, 0.22, 0.9)), 0.75)


def wood_hold() -> npt.NDArray[np.int16]:
    """Wood set: one E4."""
    return _wood(((329.6, 0.0, 1.0),), 0.35)


def wood_top_up() -> npt.NDArray[np.int16]:
    """Wood set: a quick G4 then C5, above where the inhale ends."""
    return _wood(((392.0, 0.0, 0.8), (523.3, 0.09, 1.0)), 0.35)


# -- other bells ----------------------------------------------------------------------------------


def chime() -> npt.NDArray[np.int16]:
    """Small bright chime: two beating partials near E6 and a faint upper one."""
    fundamental = 1318.5
    n = _n_samples(3.0)
    t = np.arange(n) / SAMPLE_RATE
    # (frequency in Hz, amplitude, decay time constant in s)
    partials = (
        (fundamental, 1.0, 1.0),
        (fundamental + 3.1, 0.7, 0.9),
        (fundamental * 2.32, 0.12, 0.35),
    )
    signal = np.zeros(n)
    for frequency, amplitude, tau in partials:
        signal += amplitude * np.exp(-t / tau) * np.sin(2.0 * np.pi * frequency * t)
    signal *= _envelope(n, attack_s=0.003, release_s=0.5)
    return _to_int16(signal)


def woodblock() -> npt.NDArray[np.int16]:
    """Two soft knocks on a temple block, 0.45 s apart."""
    modes = ((1.0, 1.0, 0.12), (2.57, 0.3, 0.05), (4.2, 0.08, 0.02))
    n = _n_samples(1.2)
    signal = _strike(440.0, n, 0, modes) + 0.85 * _strike(440.0, n, _n_samples(0.45), modes)
    signal *= _envelope(n, attack_s=0.001, release_s=0.2)
    return _to_int16(signal)


#: Every file, by its path under ``audio/`` (``assistant.core.sounds`` names the same paths).
SOUNDS: dict[str, Callable[[], npt.NDArray[np.int16]]] = {
    "bell.wav": bell,
    "inhale.wav": inhale,
    "exhale.wav": exhale,
    "hold.wav": hold,
    "top_up.wav": top_up,
    "bells/chime.wav": chime,
    "bells/woodblock.wav": woodblock,
    "tones/hum/inhale.wav": hum_inhale,
    "tones/hum/exhale.wav": hum_exhale,
    "tones/hum/hold.wav": hum_hold,
    "tones/hum/top_up.wav": hum_top_up,
    "tones/wood/inhale.wav": wood_inhale,
    "tones/wood/exhale.wav": wood_exhale,
    "tones/wood/hold.wav": wood_hold,
    "tones/wood/top_up.wav": wood_top_up,
}


def write_wav(path: Path, samples: npt.NDArray[np.int16]) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(SAMPLE_WIDTH_BYTES)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(samples.astype("<i2").tobytes())


def generate_all(out_dir: Path) -> list[Path]:
    """Write every sound into out_dir and return the paths written."""
    written = []
    for name, make in SOUNDS.items():
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
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
