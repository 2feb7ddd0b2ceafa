"""``ground now``, ``ground play`` and ``ground render``: sessions from the command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.cli.errors import EXIT_OK, UsageError
from assistant.cli.shared import find_script, load_scripts, request_from_args
from assistant.core.compiler import LengthError
from assistant.core.library import shipped_script
from assistant.core.model import Script, Timeline
from assistant.storage.settings import Settings, load_settings

if TYPE_CHECKING:
    from assistant.session import SessionRequest
    from assistant.sound.meter import InputMeter


def _notices(lines: list[str]) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def _meter(args: argparse.Namespace, settings: Settings, notices: list[str]) -> InputMeter | None:
    """The microphone meter if ``--meter`` was given (None, with a notice, if unavailable)."""
    if not getattr(args, "meter", False) or getattr(args, "no_audio", False):
        return None
    from assistant.sound.meter import open_meter

    meter, notice = open_meter(getattr(args, "input_device", None) or settings.input_device)
    if notice:
        notices.append(notice)
    return meter


def _run(
    request: SessionRequest,
    notices: list[str],
    args: argparse.Namespace,
    settings: Settings,
    *,
    hotkey: bool = False,
) -> int:
    from assistant.cli.run import run_session, stdin_keys, summary
    from assistant.session import DeviceNotFound, Session, SessionRecord, unattended
    from assistant.sound.quiet import quiet_c_stderr

    keys = stdin_keys()
    if not hotkey and keys is None and not _isatty(sys.stdout) and not getattr(args, "meter", 0):
        # Nobody can pause, skip or turn it down: buffer more, wake less. (Not the hotkey:
        # its kept opening was made for the usual stream.)
        request = unattended(request)

    with quiet_c_stderr():
        try:
            session = Session.open(request, vectorise=not hotkey)
        except LengthError as exc:
            raise UsageError(str(exc)) from None
        except DeviceNotFound as exc:
            raise UsageError(f"{exc}; `ground doctor` lists devices") from None
        session.notices[:0] = notices
        if hotkey and sys.argv[1:2] == ["now"]:
            # The next `ground now` plays this opening before it has read anything else.
            session.keep_opening(sys.argv[1:])
        meter = _meter(args, settings, session.notices)
        # Opened once the sound has started: the hotkey's first cue never waits for sqlite.
        record = SessionRecord.open(session)
        try:
            outcome = run_session(
                session,
                sys.stdout,
                keys,
                meter,
                gate_voice=settings.gate_voice,
                speak_feedback=settings.speak_feedback,
            )
        except KeyboardInterrupt:
            session.stop()
            _saved(record.interrupted(session.practised_seconds))
            raise
        finally:
            session.close()
    rate = session.timeline.sample_rate
    _saved(record.finish(outcome.frames / rate, outcome.breaths, completed=outcome.completed))
    print(summary(outcome, session.timeline))
    if os.environ.get(REPORT_UNDERRUNS):  # for the benchmarks and the audio tests only
        print(f"underruns: {outcome.underruns}")
    return EXIT_OK


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


def _saved(problem: str | None) -> None:
    if problem:
        print(f"ground: {problem}", file=sys.stderr)


def now(args: argparse.Namespace) -> int:
    """The hotkey path: the shipped ``now`` script, settings only, no Textual."""
    from assistant.session import prefetch_sounddevice, settle_sounddevice
    from assistant.sound.quiet import quiet_c_stderr

    with quiet_c_stderr():
        if not args.no_audio:
            prefetch_sounddevice()
        try:
            settings, notice = load_settings()
            script = shipped_script("now")
            return _run(
                request_from_args(script, args, settings),
                [notice] if notice else [],
                args,
                settings,
                hotkey=not args.no_audio,
            )
        finally:
            settle_sounddevice()


#: Set (to anything) for ``ground play`` to end with ``underruns: N``, a line for measuring tools.
REPORT_UNDERRUNS = "GROUND_REPORT_UNDERRUNS"


def play(args: argparse.Namespace) -> int:
    """Play any script with the inline pacer."""
    return play_script(find_script(load_scripts(), args.script), args)


def play_script(script: Script, args: argparse.Namespace) -> int:
    """Play ``script`` with the inline pacer, with the session options in ``args``."""
    settings, notice = load_settings()
    return _run(
        request_from_args(script, args, settings), [notice] if notice else [], args, settings
    )


def render(args: argparse.Namespace) -> int:
    """Write the session to an audio file by its suffix (and its events to JSON), sample-exact."""
    from assistant.cli.encode import EncodeError, compressed, encode_audio
    from assistant.session import render_session, wav_bytes

    settings, notice = load_settings()
    script = find_script(load_scripts(), args.script)
    request = request_from_args(script, args, settings)
    output = Path(args.output)
    try:
        encode = compressed(output)  # before the render, so a typo costs no time
    except EncodeError as exc:
        raise UsageError(str(exc)) from None
    targets = [output, *([Path(args.timeline)] if args.timeline else [])]
    for target in targets:
        _check_output(target)
    try:
        pcm, timeline, notices = render_session(request)
    except LengthError as exc:
        raise UsageError(str(exc)) from None
    _notices(([notice] if notice else []) + notices)
    try:
        audio = (
            encode_audio(output, pcm, timeline.sample_rate, title=timeline.title)
            if encode
            else wav_bytes(pcm, timeline.sample_rate)
        )
    except EncodeError as exc:
        raise UsageError(str(exc)) from None
    contents = [audio]
    if args.timeline:
        text = json.dumps(timeline_json(timeline), indent=1, ensure_ascii=False) + "\n"
        contents.append(text.encode("utf-8"))
    for target, data in zip(targets, contents, strict=True):
        _write_output(target, data)
    seconds = timeline.total_frames / timeline.sample_rate
    print(
        f"Wrote {output} ({int(seconds // 60)}:{int(seconds % 60):02d}, "
        f"{timeline.breaths} breaths)" + (f" and {args.timeline}" if args.timeline else "")
    )
    return EXIT_OK


def _check_output(target: Path) -> None:
    """Refuse, before any work, an output that cannot be a new or replaced regular file."""
    from assistant.core.files import UnsafeTarget, check_target

    if not str(target) or str(target) == ".":
        raise UsageError("give a file name to write, e.g. -o session.wav")
    if not target.parent.is_dir():
        raise UsageError(f"{target}: folder {target.parent} does not exist")
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
            f"cannot write {target} ({why}); check the folder and free space"
        ) from None


def timeline_json(timeline: Timeline) -> dict[str, Any]:
    """Every event of a timeline, as written by ``ground render --timeline``."""
    rate = timeline.sample_rate
    return {
        "script": timeline.script_id,
        "title": timeline.title,
        "sample_rate": rate,
        "total_frames": timeline.total_frames,
        "seconds": timeline.total_frames / rate,
        "breaths": timeline.breaths,
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
                "audible": e.clip is not None,
            }
            for e in timeline.events
        ],
    }
