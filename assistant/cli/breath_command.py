"""``ground breath FILE.wav``: the breaths heard in a recording, and the breathing rate.

With ``--script`` it adds one gentle line comparing the rate with the script's target. The
wording never scolds: the rate is "about" a number, and the advice is a single invitation.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.cli.errors import EXIT_OK, UsageError
from assistant.core.model import counted

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from assistant.sound.breath import Analysis

CLOSE_ENOUGH = 1.0
"""Within this many breaths/min of the target counts as "close to the target"."""


def breath_command(args: argparse.Namespace) -> int:
    """Analyse ``args.file``; print events and rate (``args.json``: one JSON object).

    Raises:
        UsageError: the file is missing or not a PCM WAV, or ``args.script`` is unknown.
    """
    from assistant.sound.breath import MIN_CLEAR_SHARE, analyse, breath_like

    target = _target_rate(args.script) if getattr(args, "script", None) else None
    samples, rate = _read_wav(Path(args.file))
    result = analyse(samples, rate)
    trusted = result.rate_per_min if result.confident else None
    advice = None
    if target is not None:
        mostly_breath = result.clear >= MIN_CLEAR_SHARE * len(result.events)
        unclear = result.rate_per_min is not None or not mostly_breath
        advice = advice_line(trusted, target, unclear=unclear)
    if getattr(args, "json", False):
        print(json.dumps(_as_json(result, target, advice), indent=2, ensure_ascii=False))
        return EXIT_OK
    for event in result.events:
        length = "…" if event.duration is None else f"{event.duration:4.1f} s"
        unlike = "" if breath_like(event) else "  (a tone or a voice, not breath)"
        print(f"{_clock(event.start)}  {event.kind:<6}  {length}{unlike}")
    print(rate_line(result))
    if advice:
        print(advice)
    return EXIT_OK


def rate_line(result: Analysis) -> str:
    """What the recording says about the rate: a number only when it can be trusted."""
    heard = len(result.events)
    if not heard:
        return "No breaths heard. Try the mic closer to your mouth, in a quieter room."
    if result.confident and result.rate_per_min is not None:
        return (
            f"Rate: about {result.rate_per_min:.1f} breaths/min "
            f"(from {counted(result.clear, 'clear breath sound')})."
        )
    if not result.clear:
        what = "is a tone or a voice" if heard == 1 else "are tones or a voice"
        return (
            f"No breaths: the {counted(heard, 'sound')} heard {what}, not breath. "
            "Record only your breathing, the mic close to your mouth."
        )
    clear = f"{result.clear} of the {counted(heard, 'sound')} heard"
    sound = "sounds" if result.clear == 1 else "sound"  # the verb: "1 of the 3 … sounds"
    if result.rate_per_min is None:
        return (
            f"No rate yet: {clear} {sound} like breath; three clear breaths out are needed, "
            "so a longer recording would show your rate."
        )
    return (
        f"No rate: {clear} {sound} like breath, and they come at uneven times (tones or a "
        "voice in the recording?), so a rate would be a guess. Record only your breathing."
    )


def advice_line(rate: float | None, target: float, *, unclear: bool = False) -> str:
    """One gentle line comparing the measured ``rate`` with the script's ``target``.

    Args:
        rate: the rate, when there is one to trust.
        target: the script's breaths a minute.
        unclear: there were breaths, but not a rate to trust.
    """
    goal = f"{target:.1f}".removesuffix(".0")
    if rate is None and unclear:
        return f"The target is {goal} breaths/min; this recording shows no clear rate to compare."
    if rate is None:
        return f"The target is {goal} breaths/min; a longer recording would show your rate."
    from assistant.core.feedback import advice  # one wording for the meter and this command

    return advice(rate, target)


def _target_rate(ref: str) -> float:
    from assistant.core.library import UnknownScript, load_library
    from assistant.core.loader import ScriptError
    from assistant.storage.paths import user_scripts_dir

    try:
        script = load_library(user_scripts_dir()).get(ref)
    except UnknownScript as exc:
        raise UsageError(str(exc)) from None
    except ScriptError as exc:
        raise UsageError(str(exc.problems[0]) if exc.problems else str(exc)) from None
    if not script.breathing:
        raise UsageError(f"script '{ref}' has no breathing block to compare with; pick another")
    return 60.0 / script.breathing[0].pattern.cycle_seconds


def _read_wav(path: Path) -> tuple[npt.NDArray[np.float32], int]:
    """Mono float samples and the sample rate of a PCM WAV, 8–32 bits (stereo is averaged)."""
    from assistant.core.safe import UnsafeFile, one_line, read_regular
    from assistant.sound.wavfile import MAX_BYTES, WavError, decode_mono

    shown = one_line(str(path))
    try:
        raw = read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file; give the path of a .wav recording") from None
    except UnsafeFile as exc:
        raise UsageError(f"{shown}: {exc}") from None
    except OSError as exc:
        raise UsageError(f"{shown}: cannot be read ({exc.strerror or exc})") from None
    try:
        pcm, rate = decode_mono(raw)
    except WavError as exc:
        raise UsageError(
            f"{shown}: not a WAV file this can read ({exc}); record or export as PCM WAV"
        ) from None
    if rate < 8000:
        raise UsageError(f"{shown}: sample rate {rate} Hz is too low; record at 16 kHz or more")
    return pcm, rate


def _as_json(result: Analysis, target: float | None, advice: str | None) -> dict[str, object]:
    return {
        "duration": round(result.duration, 3),
        "rate_per_min": None if result.rate_per_min is None else round(result.rate_per_min, 2),
        "confident": result.confident,
        "clear_breaths": result.clear,
        "target_per_min": None if target is None else round(target, 2),
        "advice": advice,
        "events": [
            {
                "kind": e.kind,
                "start": e.start,
                "end": e.end,
                "duration": None if e.duration is None else round(e.duration, 3),
                "noisiness": e.noisiness,
            }
            for e in result.events
        ],
    }


def _clock(seconds: float) -> str:
    minutes, secs = divmod(seconds, 60)
    return f"{int(minutes):02d}:{secs:04.1f}"
