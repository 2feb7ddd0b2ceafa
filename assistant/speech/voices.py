"""Every engine's voices in one list, for ``ground voices``, ``ground doctor`` and Settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.core.i18n import _

from .base import EngineUnavailable, Voice
from .factory import ENGINES, make_engine

if TYPE_CHECKING:
    from .piper_voices import VoiceLibrary


@dataclass(frozen=True)
class EngineVoices:
    """One engine's voices, or why it has none here.

    Attributes:
        engine: the engine's name (``system``, ``espeak``, ``piper``).
        voices: its voices, English ones first.
        problem: one plain line when the engine cannot run or list voices here, else None.
    """

    engine: str
    voices: tuple[Voice, ...] = ()
    problem: str | None = None


def english_first(voices: list[Voice]) -> list[Voice]:
    """English voices first, each group in the engine's own order."""
    english = [v for v in voices if any(lang.startswith("en") for lang in v.languages)]
    return english + [v for v in voices if v not in english]


def engine_voices(name: str, library: VoiceLibrary | None = None) -> EngineVoices:
    """The voices of the engine called ``name`` (starting it if it must be asked)."""
    try:
        engine = make_engine(name, library)
    except EngineUnavailable as exc:
        return EngineVoices(name, problem=str(exc))
    try:
        voices = engine.voices()
    except Exception as exc:  # noqa: BLE001 - a listing reports every failure, never crashes
        return EngineVoices(name, problem=_("could not list voices ({why})").format(why=exc))
    finally:
        engine.close()
    if not voices and name == "piper":
        from .piper_voices import NO_VOICE_INSTALLED

        return EngineVoices(name, problem=_(NO_VOICE_INSTALLED))
    return EngineVoices(name, tuple(english_first(voices)))


def all_voices(
    library: VoiceLibrary | None = None, engines: tuple[str, ...] | None = None
) -> list[EngineVoices]:
    """Each engine's voices (every engine that speaks, unless ``engines`` names some)."""
    names = engines or tuple(name for name in ENGINES if name not in ("auto", "none"))
    return [engine_voices(name, library) for name in names]
