"""Choosing a speech engine by name, and falling back when the chosen one cannot run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import EngineUnavailable, SpeechEngine

if TYPE_CHECKING:
    from .piper_voices import VoiceLibrary

#: Engine names: the platform voice, the espeak-ng program, Piper (optional), silence.
ENGINES = ("system", "espeak", "piper", "none")
#: The fallback order when an engine cannot run: Piper is never a fallback (it is optional,
#: slow to start, and needs a voice chosen for it).
LADDER = ("system", "espeak", "none")

_LABELS = {
    "system": "the system voice",
    "espeak": "espeak-ng",
    "piper": "Piper",
    "none": "no voice",
}


def label(name: str) -> str:
    """How messages name an engine: ``system`` is "the system voice"."""
    return _LABELS.get(name, name)


def make_engine(name: str, library: VoiceLibrary | None = None) -> SpeechEngine:
    """Build the engine called ``name`` without starting it.

    The system voice and Piper start their workers on first use, so building them is cheap (a
    warm cache never starts them); espeak-ng is looked up on PATH here, and Piper's installation
    is checked (without importing it).

    Args:
        name: one of :data:`ENGINES`.
        library: where Piper finds voices and remembers their hashes (the session passes the
            user's; default: installed voice packages and explicit paths only).

    Returns:
        The engine.

    Raises:
        ValueError: an unknown name (the message lists the valid ones).
        EngineUnavailable: the espeak-ng program, or the Piper extra, is not installed.
    """
    if name == "system":
        from .pyttsx3_engine import Pyttsx3Engine

        return Pyttsx3Engine()
    if name == "espeak":
        from .espeak import EspeakEngine

        return EspeakEngine()
    if name == "piper":
        from .piper_engine import PiperEngine

        return PiperEngine(library)
    if name == "none":
        from .null import NullEngine

        return NullEngine()
    msg = f"unknown speech engine {name!r}; choose one of: {', '.join(ENGINES)}"
    raise ValueError(msg)


def _start(name: str) -> SpeechEngine:
    """Build an engine and prove it can run (the system voice starts its worker)."""
    engine = make_engine(name)
    from .pyttsx3_engine import Pyttsx3Engine

    if isinstance(engine, Pyttsx3Engine):
        try:
            engine.start()
        except EngineUnavailable:
            engine.close()
            raise
    return engine


def first_available(preferred: str) -> tuple[SpeechEngine, str | None]:
    """The preferred engine if it can run here, else the next one down the ladder.

    Tries ``preferred`` first, then the rest of system → espeak → none in that order (Piper is
    tried only when preferred). Starting
    the system voice means starting its worker (≈ 0.1–0.2 s); use :func:`make_engine` when a warm
    cache may make the engine unnecessary.

    Args:
        preferred: one of :data:`ENGINES`.

    Returns:
        The engine, and one plain line to show once when it is not the preferred one (None when
        it is).

    Raises:
        ValueError: an unknown name.
    """
    if preferred not in ENGINES:
        msg = f"unknown speech engine {preferred!r}; choose one of: {', '.join(ENGINES)}"
        raise ValueError(msg)
    ladder = [preferred, *(name for name in LADDER if name != preferred)]
    failures: list[str] = []
    for name in ladder:
        try:
            engine = _start(name)
        except EngineUnavailable as exc:
            failures.append(f"{label(name)}: {exc}")
            continue
        if not failures:
            return engine, None
        why = "; ".join(failures)
        if name == "none":
            return (
                engine,
                f"No speech engine could start ({why}); carrying on with tones and captions.",
            )
        return engine, f"Speaking with {label(name)} instead ({why})."
    raise AssertionError("the null engine always starts")  # pragma: no cover
