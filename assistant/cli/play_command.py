"""``ground now``, ``ground play`` and ``ground render``: sessions from the command line."""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.cli.errors import EXIT_OK, UsageError
from assistant.cli.shared import find_script, load_scripts, request_from_args
from assistant.core.compiler import LengthError
from assistant.core.i18n import _, ngettext
from assistant.core.library import shipped_script
from assistant.core.model import Script, Timeline, length_text
from assistant.storage.settings import Settings, load_settings

if TYPE_CHECKING:
    from assistant.session import Practice, SessionRequest


def _notices(lines: list[str]) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def _start(
    request: SessionRequest, notices: list[str], args: argparse.Namespace, settings: Settings
) -> Practice:
    """Start the practice: the sound, the breath meter if ``--meter`` (not with ``--no-audio``),
    and its own row in the practice log."""
    from assistant.session import OPEN_LOG, DeviceNotFound, MeterSettings, Practice

    try:
        return Practice.start(
            request,
            log=OPEN_LOG,
            meter=MeterSettings.of(settings, getattr(args, "input_device", None)),
            meter_on=getattr(args, "meter", False),
            notices=notices,
        )
    except LengthError as exc:
        raise UsageError(str(exc)) from None
    except DeviceNotFound as exc:
        raise UsageError(
            # TRANSLATORS: {problem} says which device was not found.
            _("{problem}; `ground doctor` lists devices").format(problem=exc)
        ) from None


def run_request(
    request: SessionRequest, notices: list[str], args: argparse.Namespace, settings: Settings
) -> int:
    """Play ``request`` with the inline view, log it, and say how it went (exit code)."""
    return _run(request, notices, args, settings)


def _run(
    request: SessionRequest,
    notices: list[str],
    args: argparse.Namespace,
    settings: Settings,
    *,
    opening: str | None = None,
) -> int:
    """Play ``request`` (see :func:`run_request`); ``opening``: the hotkey's one-line safety
    note, kept with this session's opening as the next start's pre-roll."""
    from assistant.cli.run import run_session, stdin_keys, summary
    from assistant.session import unattended
    from assistant.sound.quiet import quiet_c_stderr

    keys = stdin_keys()
    if opening is None and keys is None and not _isatty(sys.stdout) and not _meter_asked(args):
        # Nobody can pause, skip or turn it down: buffer more, wake less. (Not the hotkey:
        # its kept opening was made for the usual stream.)
        request = unattended(request)
    with quiet_c_stderr():
        practice = _start(request, notices, args, settings)
        if opening is not None:
            # The next `ground now` plays this opening before it has read anything else.
            practice.session.keep_opening(sys.argv[1:], opening)
        try:
            result = run_session(practice, sys.stdout, keys)
        except KeyboardInterrupt:  # Ctrl-C, or the terminal closed (SIGHUP)
            _saved(practice.interrupted())
            raise
        finally:
            practice.close()
    _saved(practice.save())
    remember_levels(practice.levels(), request)
    print(summary(result))
    if os.environ.get(REPORT_UNDERRUNS):  # for the benchmarks and the audio tests only
        print(f"underruns: {result.underruns}")
    return EXIT_OK


def _meter_asked(args: argparse.Namespace) -> bool:
    """Whether the command line asked for the breath meter (with sound)."""
    return bool(getattr(args, "meter", False)) and not getattr(args, "no_audio", False)


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


def remember_levels(levels: dict[str, float], request: SessionRequest) -> None:
    """Keep the levels the person changed with ↑ and ↓ for next time (the settings file as it
    is now, with only those changed; one line if it cannot be saved)."""
    from dataclasses import replace

    from assistant.storage.settings import SettingsError, save_settings

    started = {
        "volume": request.volume,
        "voice_volume": request.voice_volume,
        "tones_volume": request.tones_volume,
        "ambient_volume": request.ambient_volume,
    }
    changed: dict[str, Any] = {n: v for n, v in levels.items() if v != started[n]}
    if not changed:
        return
    settings, notice = load_settings()
    if notice:
        return  # the file could not be read: never write over it
    try:
        save_settings(replace(settings, **changed))
    except (SettingsError, OSError) as exc:
        print(
            "ground: " + _("the new volume was not kept ({problem})").format(problem=exc),
            file=sys.stderr,
        )


def _saved(problem: str | None) -> None:
    if problem:
        print(f"ground: {problem}", file=sys.stderr)


def now(args: argparse.Namespace) -> int:
    """The hotkey path: the shipped ``now`` script, settings only, no Textual."""
    return quick(args, "now")


def panic(args: argparse.Namespace) -> int:
    """``ground panic``: the shipped ``panic`` script, as light and quick as ``ground now``."""
    from assistant.core.support import PANIC_SCRIPT

    return quick(args, PANIC_SCRIPT)


def quick(args: argparse.Namespace, script_id: str) -> int:
    """A shipped script from a hotkey: settings only, no Textual, one line of safety first
    (said already if a kept pre-roll is playing: see ``sound.preroll``)."""
    from assistant.cli.before import before_session, brief_note, settle_holds
    from assistant.session import prefetch_sounddevice, settle_sounddevice
    from assistant.sound import preroll
    from assistant.sound.quiet import quiet_c_stderr

    with quiet_c_stderr():
        if not args.no_audio:
            prefetch_sounddevice()
        try:
            settings, notice = load_settings()
            script = shipped_script(script_id)
            if preroll.note_said():
                settings = settle_holds(script, args, settings, out=sys.stdout, ask=True)
            else:
                settings = before_session(script, args, settings, brief=True)
            return _run(
                hotkey_request(request_from_args(script, args, settings)),
                [notice] if notice else [],
                args,
                settings,
                opening=None if args.no_audio else brief_note(script),
            )
        finally:
            settle_sounddevice()


def hotkey_request(request: SessionRequest) -> SessionRequest:
    """The hotkey's request: mixed without numpy (its 60 MB budget), unless an ambient bed
    needs it."""
    from dataclasses import replace

    return replace(request, vectorise=False)


#: Set (to anything) for ``ground play`` to end with ``underruns: N``, a line for measuring tools.
REPORT_UNDERRUNS = "GROUND_REPORT_UNDERRUNS"


def play(args: argparse.Namespace) -> int:
    """Play any script with the inline pacer."""
    return play_script(find_script(load_scripts(), args.script), args)


def play_script(script: Script, args: argparse.Namespace) -> int:
    """Play ``script`` with the inline pacer, with the session options in ``args``."""
    from assistant.cli.before import before_session

    settings, notice = load_settings()
    request = request_from_args(script, args, settings)  # a bad --voice: before anything is said
    chosen = before_session(script, args, settings)  # its safety note; holds asked or said
    if chosen != settings:
        settings, request = chosen, request_from_args(script, args, chosen)
    return _run(request, [notice] if notice else [], args, settings)


def render(args: argparse.Namespace) -> int:
    """Write the session to an audio file by its suffix (and its events to JSON), sample-exact."""
    from assistant.cli.before import settle_holds

    settings, notice = load_settings()
    script = find_script(load_scripts(), args.script)
    said = io.StringIO()  # "no holds this time", said with the other notices once it is done
    settings = settle_holds(script, args, settings, out=said, ask=False)
    request = request_from_args(script, args, settings)
    timeline = render_to(request, args.output, args.timeline, [notice] if notice else [])
    _notices(said.getvalue().splitlines())  # once written: a failure stays one line
    breaths = timeline.breaths
    length = length_text(timeline.seconds)
    if args.timeline:
        wrote = ngettext(
            "Wrote {file} ({length}, {count} breath) and {timeline}",
            "Wrote {file} ({length}, {count} breaths) and {timeline}",
            breaths,
        )
    else:
        wrote = ngettext(
            "Wrote {file} ({length}, {count} breath)",
            "Wrote {file} ({length}, {count} breaths)",
            breaths,
        )
    print(wrote.format(file=args.output, length=length, count=breaths, timeline=args.timeline))
    return EXIT_OK


def render_to(
    request: SessionRequest, output_name: str, timeline_name: str | None, notices: list[str]
) -> Timeline:
    """Render ``request`` into the audio file ``output_name`` (its suffix picks the format)
    and, if named, its events into ``timeline_name`` as JSON; whole files or none.

    Returns:
        The timeline written.

    Raises:
        UsageError: a name that cannot be written, or options that do not fit.
    """
    from assistant.cli.encode import EncodeError, compressed, encode_audio
    from assistant.session import render_session, wav_bytes

    output = Path(output_name)
    try:
        encode = compressed(output)  # before the render, so a typo costs no time
    except EncodeError as exc:
        raise UsageError(str(exc)) from None
    targets = [output, *([Path(timeline_name)] if timeline_name else [])]
    for target in targets:
        _check_output(target)
    try:
        pcm, timeline, rendered = render_session(request)
    except LengthError as exc:
        raise UsageError(str(exc)) from None
    _notices(notices + rendered)
    try:
        audio = (
            encode_audio(output, pcm, timeline.sample_rate, title=timeline.title)
            if encode
            else wav_bytes(pcm, timeline.sample_rate)
        )
    except EncodeError as exc:
        raise UsageError(str(exc)) from None
    contents = [audio]
    if timeline_name:
        from assistant.session.build import silent_groups

        heard = timeline_json(timeline, silent=silent_groups(request))
        text = json.dumps(heard, indent=1, ensure_ascii=False) + "\n"
        contents.append(text.encode("utf-8"))
    for target, data in zip(targets, contents, strict=True):
        _write_output(target, data)
    return timeline


def _check_output(target: Path) -> None:
    """Refuse, before any work, an output that cannot be a new or replaced regular file."""
    from assistant.core.files import UnsafeTarget, check_target

    if not str(target) or str(target) == ".":
        raise UsageError(_("give a file name to write, e.g. -o session.wav"))
    if not target.parent.is_dir():
        raise UsageError(
            _("{file}: folder {folder} does not exist").format(file=target, folder=target.parent)
        )
    try:
        check_target(target)
    except UnsafeTarget as exc:
        raise UsageError(f"{target} {exc}") from None


def _write_output(target: Path, data: bytes) -> None:
    """Write one output file whole (atomically) with the person's usual mode, or say why not."""
    from assistant.core.files import UnsafeTarget, atomic_write, shared_mode

    try:
        atomic_write(target, data, mode=shared_mode())
    except UnsafeTarget as exc:
        raise UsageError(f"{target} {exc}") from None
    except OSError as exc:
        why = exc.strerror or str(exc)
        raise UsageError(
            _("cannot write {file} ({why}); check the folder and free space").format(
                file=target, why=why
            )
        ) from None


def timeline_json(timeline: Timeline, silent: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Every event of a timeline, as written by ``ground render --timeline``.

    Args:
        timeline: the session's events.
        silent: mixer groups played at no level (``--no-voice``, ``--no-tones``, volume 0):
            their events are not ``audible``, and with the voice silent no voice is named.
    """
    from assistant.session.build import heard

    rate = timeline.sample_rate
    return {
        "script": timeline.script_id,
        "title": timeline.title,
        "sample_rate": rate,
        "total_frames": timeline.total_frames,
        "seconds": timeline.total_frames / rate,
        "breaths": timeline.breaths,
        "voice": None if {"voice", "master"} & silent else _voice_json(timeline),
        "events": [
            {
                "frame": e.frame,
                "seconds": round(e.frame / rate, 6),
                "kind": e.kind.value,
                "text": e.text,
                "phase": e.phase.value if e.phase else None,
                "duration_frames": e.duration,
                "step": e.step,
                "cycle": e.cycle,
                "audible": heard(e, silent),
            }
            for e in timeline.events
        ],
    }


def _voice_json(timeline: Timeline) -> dict[str, str | None] | None:
    """The voice that spoke the session: its engine, voice id and language (None: not known)."""
    voice = timeline.voice
    if voice is None:
        return None
    return {"engine": voice.engine, "id": voice.voice, "language": voice.language}
