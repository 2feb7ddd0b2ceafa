"""``ground breath FILE.wav``: the breaths heard in a recording, and the breathing rate.

With ``--script`` it adds one gentle line comparing the rate with the script's target. The
wording never scolds: the rate is "about" a number, and the advice is a single invitation.
"""

from __future__ import annotations

import argparse
import json
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.cli.errors import EXIT_OK, UsageError
from assistant.cli.wording import in_english, one_decimal
from assistant.core.i18n import _, ngettext

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
    as_json = bool(getattr(args, "json", False))
    if target is not None:
        mostly_breath = result.clear >= MIN_CLEAR_SHARE * len(result.events)
        unclear = result.rate_per_min is not None or not mostly_breath
        with in_english() if as_json else nullcontext():  # --json: the same in every language
            advice = advice_line(trusted, target, unclear=unclear)
    if as_json:
        print(json.dumps(_as_json(result, target, advice), indent=2, ensure_ascii=False))
        return EXIT_OK
    for event in result.events:
        length = "…" if event.duration is None else f"{event.duration:4.1f} s"
        unlike = "" if breath_like(event) else "  " + _("(a tone or a voice, not breath)")
        print(f"{_clock(event.start)}  {event.kind:<6}  {length}{unlike}")
    print(rate_line(result))
    if advice:
        print(advice)
    return EXIT_OK


def rate_line(result: Analysis) -> str:
    """What the recording says about the rate: a number only when it can be trusted."""
    heard = len(result.events)
    if not heard:
        return _("No breaths heard. Try the mic closer to your mouth, in a quieter room.")
    if result.confident and result.rate_per_min is not None:
        rate = ngettext(
            "Rate: about {rate} breaths/min (from {count} clear breath sound).",
            "Rate: about {rate} breaths/min (from {count} clear breath sounds).",
            result.clear,
        )
        return rate.format(rate=one_decimal(result.rate_per_min), count=result.clear)
    if not result.clear:
        none = ngettext(
            "No breaths: the {count} sound heard is a tone or a voice, not breath. "
            "Record only your breathing, the mic close to your mouth.",
            "No breaths: the {count} sounds heard are tones or a voice, not breath. "
            "Record only your breathing, the mic close to your mouth.",
            heard,
        )
        return none.format(count=heard)
    # The verb agrees with the clear ones: "1 of the 3 sounds heard sounds like breath".
    if result.rate_per_min is None:
        return _no_rate_yet(result.clear, heard)
    return _uneven(result.clear, heard)


def _no_rate_yet(clear: int, heard: int) -> str:
    """Too few clear breaths for a rate: how many of the sounds heard were breath."""
    if clear == 1:
        unsure = ngettext(
            "No rate yet: {clear} of the {count} sound heard sounds like breath; three "
            "clear breaths out are needed, so a longer recording would show your rate.",
            "No rate yet: {clear} of the {count} sounds heard sounds like breath; three "
            "clear breaths out are needed, so a longer recording would show your rate.",
            heard,
        )
    else:
        unsure = ngettext(
            "No rate yet: {clear} of the {count} sound heard sound like breath; three "
            "clear breaths out are needed, so a longer recording would show your rate.",
            "No rate yet: {clear} of the {count} sounds heard sound like breath; three "
            "clear breaths out are needed, so a longer recording would show your rate.",
            heard,
        )
    return unsure.format(clear=clear, count=heard)


def _uneven(clear: int, heard: int) -> str:
    """Clear breaths at uneven times: no rate, and why."""
    if clear == 1:
        uneven = ngettext(
            "No rate: {clear} of the {count} sound heard sounds like breath, and they come at "
            "uneven times (tones or a voice in the recording?), so a rate would be a guess. "
            "Record only your breathing.",
            "No rate: {clear} of the {count} sounds heard sounds like breath, and they come at "
            "uneven times (tones or a voice in the recording?), so a rate would be a guess. "
            "Record only your breathing.",
            heard,
        )
    else:
        uneven = ngettext(
            "No rate: {clear} of the {count} sound heard sound like breath, and they come at "
            "uneven times (tones or a voice in the recording?), so a rate would be a guess. "
            "Record only your breathing.",
            "No rate: {clear} of the {count} sounds heard sound like breath, and they come at "
            "uneven times (tones or a voice in the recording?), so a rate would be a guess. "
            "Record only your breathing.",
            heard,
        )
    return uneven.format(clear=clear, count=heard)


def advice_line(rate: float | None, target: float, *, unclear: bool = False) -> str:
    """One gentle line comparing the measured ``rate`` with the script's ``target``.

    Args:
        rate: the rate, when there is one to trust.
        target: the script's breaths a minute.
        unclear: there were breaths, but not a rate to trust.
    """
    goal = one_decimal(target).removesuffix(".0").removesuffix(",0")
    if rate is None and unclear:
        return _(
            "The target is {goal} breaths/min; this recording shows no clear rate to compare."
        ).format(goal=goal)
    if rate is None:
        return _(
            "The target is {goal} breaths/min; a longer recording would show your rate."
        ).format(goal=goal)
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
        raise UsageError(
            _("script '{id}' has no breathing block to compare with; pick another").format(id=ref)
        )
    return 60.0 / script.breathing[0].pattern.cycle_seconds


def _read_wav(path: Path) -> tuple[npt.NDArray[np.float32], int]:
    """Mono float samples and the sample rate of a PCM WAV, 8–32 bits (stereo is averaged)."""
    from assistant.core.safe import UnsafeFile, one_line, read_regular
    from assistant.sound.wavfile import MAX_BYTES, WavError, decode_mono

    shown = one_line(str(path))
    try:
        raw = read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        raise UsageError(
            _("{file}: no such file; give the path of a .wav recording").format(file=shown)
        ) from None
    except UnsafeFile as exc:
        raise UsageError(f"{shown}: {exc}") from None
    except OSError as exc:
        why = exc.strerror or exc
        raise UsageError(_("{file}: cannot be read ({why})").format(file=shown, why=why)) from None
    try:
        pcm, rate = decode_mono(raw)
    except WavError as exc:
        raise UsageError(
            _("{file}: not a WAV file this can read ({why}); record or export as PCM WAV").format(
                file=shown, why=exc
            )
        ) from None
    if rate < 8000:
        raise UsageError(
            _("{file}: sample rate {rate} Hz is too low; record at 16 kHz or more").format(
                file=shown, rate=rate
            )
        )
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
