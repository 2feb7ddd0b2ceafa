"""What a person asked for: one request from the settings, with a front end's choices on top."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from assistant.core.compiler import CompileOptions
from assistant.core.model import Script
from assistant.sound.player import DEFAULT_LATENCY, UNATTENDED_LATENCY

if TYPE_CHECKING:
    from assistant.storage.settings import Settings


@dataclass(frozen=True)
class SessionRequest:
    """What a person asked for.

    Attributes:
        script: the exercise.
        options: length, holds, pace.
        engine: speech engine name (``auto``, ``system``, ``espeak``, ``piper``, ``none``).
        voice: voice id, or None for the engine's default.
        rate: words per minute, or None for the engine's default.
        sentence_pause: seconds between a cue's sentences (Piper), or None for its default.
        sound: False for ``--no-audio``: captions and the pacer only, no speech rendering.
        device: output device name or number.
        strict_device: a missing ``device`` is a usage error rather than a notice.
        voice_on: play the voice (the timeline is the same either way).
        tones_on: play the phase tones.
        volume: master volume 0–1.
        latency: output latency hint for PortAudio (see ``sound.player.DEFAULT_LATENCY``).
    """

    script: Script
    options: CompileOptions = field(default_factory=CompileOptions)
    engine: str = "system"
    voice: str | None = None
    rate: int | None = None
    sentence_pause: float | None = None
    sound: bool = True
    device: str | None = None
    strict_device: bool = False
    voice_on: bool = True
    tones_on: bool = True
    volume: float = 1.0
    latency: str | float = DEFAULT_LATENCY


def request_for(
    settings: Settings,
    script: Script,
    *,
    minutes: float | None = None,
    breaths: int | None = None,
    no_holds: bool = False,
    pace: float | None = None,
    engine: str | None = None,
    voice: str | None = None,
    rate: int | None = None,
    sound: bool = True,
    device: str | None = None,
    no_voice: bool = False,
    no_tones: bool = False,
    volume: float | None = None,
) -> SessionRequest:
    """The request for ``script``: the settings, with what the person chose this time on top.

    Every choice left at None (or False) is the settings' own. A device named here is one the
    person typed: if it is missing that is their mistake to hear about (``strict_device``). With
    ``sound`` off no engine is started at all (captions keep the rhythm of estimated speech).
    """
    return SessionRequest(
        script=script,
        options=CompileOptions(
            minutes=minutes,
            breaths=breaths,
            no_holds=no_holds or settings.no_holds,
            pace=pace or settings.pace,
            voice=settings.voice_on and not no_voice,
        ),
        engine=(engine or settings.engine) if sound else "none",
        voice=voice if voice is not None else settings.voice,
        rate=rate or settings.rate,
        sentence_pause=settings.sentence_pause,
        sound=sound,
        device=device or settings.device,
        strict_device=device is not None,
        voice_on=settings.voice_on and not no_voice,
        tones_on=settings.tones_on and not no_tones,
        volume=settings.volume if volume is None else volume,
    )


def unattended(request: SessionRequest) -> SessionRequest:
    """The same request for a session nobody can steer while it plays (no keyboard, screen or
    microphone): it buffers more and wakes less (``sound.player.UNATTENDED_LATENCY``)."""
    return replace(request, latency=UNATTENDED_LATENCY)
