"""What several commands share: the script library, a script by name, a request from flags."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from assistant.cli.errors import UsageError
from assistant.core.library import Library, UnknownScript
from assistant.core.loader import ScriptError
from assistant.core.model import Script
from assistant.storage.settings import Settings

if TYPE_CHECKING:
    from assistant.session.request import SessionRequest


def load_scripts() -> Library:
    """Shipped and user scripts (parsed ones are kept in the cache folder between runs)."""
    from assistant.storage.script_cache import cached_library

    return cached_library()[0]


def find_script(library: Library, ref: str) -> Script:
    """The script ``ref`` names (an id or a .toml path); a usage error if there is none."""
    try:
        return library.get(ref)
    except UnknownScript as exc:
        raise UsageError(str(exc)) from None
    except ScriptError as exc:
        raise UsageError(str(exc.problems[0]) if exc.problems else str(exc)) from None


def request_from_args(
    script: Script, args: argparse.Namespace, settings: Settings
) -> SessionRequest:
    """A session request: the command line's flags over the settings."""
    from assistant.session import UnknownVoiceChoice, check_voice, request_for

    engine = getattr(args, "engine", None)
    voice = getattr(args, "voice", None)
    if voice is not None:
        try:
            engine, voice = check_voice(engine, voice, settings.engine)
        except UnknownVoiceChoice as exc:
            raise UsageError(str(exc)) from None
    return request_for(
        settings,
        script,
        minutes=getattr(args, "minutes", None),
        breaths=getattr(args, "breaths", None),
        no_holds=getattr(args, "no_holds", False),
        pace=getattr(args, "pace", None),
        engine=engine,
        voice=voice,
        rate=getattr(args, "rate", None),
        sound=not getattr(args, "no_audio", False),
        device=getattr(args, "device", None),
        no_voice=getattr(args, "no_voice", False),
        no_tones=getattr(args, "no_tones", False),
        volume=getattr(args, "volume", None),
        tones=getattr(args, "tones", None),
        bell=getattr(args, "bell", None),
        ambient=getattr(args, "ambient", None),
    )
