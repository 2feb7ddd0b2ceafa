"""What a person asked for: one request from the settings, with a front end's choices on top."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from assistant.core.compiler import CompileOptions
from assistant.core.i18n import N_, _
from assistant.core.model import Category, Script, value_type
from assistant.core.sounds import DEFAULT_AMBIENT, DEFAULT_BELL, DEFAULT_TONES
from assistant.core.timer import SCRIPT_ID, TITLE, TimerOptions
from assistant.sound.player import DEFAULT_LATENCY, UNATTENDED_LATENCY

if TYPE_CHECKING:
    from assistant.storage.settings import Settings


@value_type
@dataclass(frozen=True, eq=False, repr=False)
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
        tones: the tone set (``core.sounds.TONE_SETS``).
        bell: the bell (``core.sounds.BELL_CHOICES``; ``none`` is silence as long as a bell).
        ambient: the ambient bed under the session (``core.sounds.AMBIENTS``; ``none``: none).
        voice_volume: the voice's level 0–1, under ``volume``.
        tones_volume: the tones' and bells' level 0–1, under ``volume``.
        ambient_volume: the ambient bed's level 0–1, under ``volume``.
        timer: a plain timer's options (``ground timer``): ``script`` is then a stand-in
            (:data:`TIMER_SCRIPT`) and the timeline is the timer's, not a compile.
        voice_from_settings: ``voice`` is the settings' (not one chosen for this session): it
            speaks only scripts of its own language (``session.voice.choose_voice``).
        vectorise: import numpy once playing, to mix overlapping clips (False: the hotkey
            mixes without it, ~11 MB less resident; an ambient bed still needs it).
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
    tones: str = DEFAULT_TONES
    bell: str = DEFAULT_BELL
    ambient: str = DEFAULT_AMBIENT
    voice_volume: float = 1.0
    tones_volume: float = 1.0
    ambient_volume: float = 1.0
    timer: TimerOptions | None = None
    voice_from_settings: bool = False
    vectorise: bool = True


class _TimerScript(Script):
    """The timer's script: its words (title, summary, about) in the language in use each time
    they are read, so the one :data:`TIMER_SCRIPT` (views compare it by identity) is made at
    import, before the language is chosen, and still shows in the person's language."""

    def __getattribute__(self, name: str) -> object:
        value = super().__getattribute__(name)
        if name in _TIMER_WORDS and isinstance(value, str):
            return _(value)
        return value


_TIMER_WORDS = frozenset({"title", "summary", "about"})

#: The script a timer's request names, so logging and views treat a sitting like any session.
TIMER_SCRIPT: Script = _TimerScript(
    id=SCRIPT_ID,
    title=TITLE,
    summary=N_("Silent sitting between bells."),
    category=Category.GROUND,
    steps=(),
    about=N_(
        "Sit in silence, or with waves, rain or brown noise under you, for as long as you "
        "choose or until you end it. A bell starts the sitting after a short quiet, a bell every "
        "few minutes can mark the time if you like, and a bell ends it."
    ),
)


def timer_request(
    settings: Settings,
    options: TimerOptions,
    *,
    bell: str | None = None,
    ambient: str | None = None,
    sound: bool = True,
    device: str | None = None,
    volume: float | None = None,
) -> SessionRequest:
    """The request for a plain timer: the settings' sounds and levels, the choices on top."""
    return SessionRequest(
        script=TIMER_SCRIPT,
        engine="none",
        sound=sound,
        device=device or settings.device,
        strict_device=device is not None,
        voice_on=False,
        volume=settings.volume if volume is None else volume,
        bell=bell or settings.bell,
        ambient=ambient or settings.ambient,
        tones_volume=settings.tones_volume,
        ambient_volume=settings.ambient_volume,
        timer=options,
    )


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
    tones: str | None = None,
    bell: str | None = None,
    ambient: str | None = None,
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
        tones=tones or settings.tones,
        bell=bell or settings.bell,
        ambient=ambient or settings.ambient,
        voice_volume=settings.voice_volume,
        tones_volume=settings.tones_volume,
        ambient_volume=settings.ambient_volume,
        voice_from_settings=voice is None and settings.voice is not None,
    )


def unattended(request: SessionRequest) -> SessionRequest:
    """The same request for a session nobody can steer while it plays (no keyboard, screen or
    microphone): it buffers more and wakes less (``sound.player.UNATTENDED_LATENCY``)."""
    return replace(request, latency=UNATTENDED_LATENCY)
