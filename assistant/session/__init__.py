"""The one door to playback: front ends start a practice here, draw it, and steer it.

A :class:`Practice` is the whole of one: the session, its follower, its practice-log row, the
breath meter and its coach. The command line and the TUI import this package only; they never
reach the player, the mixer, a speech engine, the microphone meter or the coach themselves
(import-linter contracts say so; ARCHITECTURE.md has the map). What the hotkey's first sound
does not need is imported from its own module (``session.ladder``, ``session.preview``, and
``session.reading`` for the meter's types), so ``ground now`` never loads it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.session.build import (
        build_offline,
        estimate_timeline,
        listed_seconds,
        listed_seconds_key,
        listed_timeline,
        planned_timeline,
        render_session,
        sounds_used,
        wav_bytes,
    )
    from assistant.session.follow import Follower, Moment, events_between
    from assistant.session.live import (
        LEVELS,
        REMARK_LEAD,
        REMARK_MARGIN,
        SWITCHABLE,
        Session,
        remark_onset,
        session_target,
    )
    from assistant.session.practice import (
        MICROPHONE_LOST,
        Look,
        MeterSettings,
        Practice,
        PracticeResult,
    )
    from assistant.session.record import OPEN_LOG
    from assistant.session.request import (
        TIMER_SCRIPT,
        SessionRequest,
        request_for,
        timer_request,
        unattended,
    )
    from assistant.session.timer import TimerLook
    from assistant.session.voice import (
        PREVIEW,
        UnknownVoiceChoice,
        automatic_voice,
        check_voice,
        make_renderer,
        preview_script,
        silence_for,
        speech_frames,
        voice_library,
        voices_of,
    )
    from assistant.session.warm import (
        Warmed,
        WarmTurn,
        phrases_to_warm,
        warm_in_background,
        warm_texts,
    )
    from assistant.sound.devices import Device, device_names, list_devices
    from assistant.sound.player import DeviceNotFound, prefetch_sounddevice, settle_sounddevice

#: Where each name lives: a name is imported from its module when first asked for, so the
#: TUI's first frame (which needs only ``session.build``) does not import the session's live
#: parts, the practice log, warming and the timer (PEP 562).
_HOME = {
    "build_offline": "assistant.session.build",
    "estimate_timeline": "assistant.session.build",
    "listed_seconds": "assistant.session.build",
    "listed_seconds_key": "assistant.session.build",
    "listed_timeline": "assistant.session.build",
    "planned_timeline": "assistant.session.build",
    "render_session": "assistant.session.build",
    "sounds_used": "assistant.session.build",
    "wav_bytes": "assistant.session.build",
    "Follower": "assistant.session.follow",
    "Moment": "assistant.session.follow",
    "events_between": "assistant.session.follow",
    "LEVELS": "assistant.session.live",
    "REMARK_LEAD": "assistant.session.live",
    "REMARK_MARGIN": "assistant.session.live",
    "SWITCHABLE": "assistant.session.live",
    "Session": "assistant.session.live",
    "remark_onset": "assistant.session.live",
    "session_target": "assistant.session.live",
    "MICROPHONE_LOST": "assistant.session.practice",
    "Look": "assistant.session.practice",
    "MeterSettings": "assistant.session.practice",
    "Practice": "assistant.session.practice",
    "PracticeResult": "assistant.session.practice",
    "OPEN_LOG": "assistant.session.record",
    "TIMER_SCRIPT": "assistant.session.request",
    "SessionRequest": "assistant.session.request",
    "request_for": "assistant.session.request",
    "timer_request": "assistant.session.request",
    "unattended": "assistant.session.request",
    "TimerLook": "assistant.session.timer",
    "PREVIEW": "assistant.session.voice",
    "UnknownVoiceChoice": "assistant.session.voice",
    "automatic_voice": "assistant.session.voice",
    "check_voice": "assistant.session.voice",
    "make_renderer": "assistant.session.voice",
    "preview_script": "assistant.session.voice",
    "silence_for": "assistant.session.voice",
    "speech_frames": "assistant.session.voice",
    "voice_library": "assistant.session.voice",
    "voices_of": "assistant.session.voice",
    "Warmed": "assistant.session.warm",
    "WarmTurn": "assistant.session.warm",
    "phrases_to_warm": "assistant.session.warm",
    "warm_in_background": "assistant.session.warm",
    "warm_texts": "assistant.session.warm",
    "Device": "assistant.sound.devices",
    "device_names": "assistant.sound.devices",
    "list_devices": "assistant.sound.devices",
    "DeviceNotFound": "assistant.sound.player",
    "prefetch_sounddevice": "assistant.sound.player",
    "settle_sounddevice": "assistant.sound.player",
}


def __getattr__(name: str) -> Any:
    """Import ``name`` from the module that defines it, once."""
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "LEVELS",
    "MICROPHONE_LOST",
    "OPEN_LOG",
    "PREVIEW",
    "REMARK_LEAD",
    "REMARK_MARGIN",
    "SWITCHABLE",
    "TIMER_SCRIPT",
    "Device",
    "DeviceNotFound",
    "Follower",
    "Look",
    "MeterSettings",
    "Moment",
    "Practice",
    "PracticeResult",
    "Session",
    "SessionRequest",
    "TimerLook",
    "UnknownVoiceChoice",
    "WarmTurn",
    "Warmed",
    "automatic_voice",
    "build_offline",
    "check_voice",
    "device_names",
    "estimate_timeline",
    "events_between",
    "list_devices",
    "listed_seconds",
    "listed_seconds_key",
    "listed_timeline",
    "make_renderer",
    "phrases_to_warm",
    "planned_timeline",
    "prefetch_sounddevice",
    "preview_script",
    "remark_onset",
    "render_session",
    "request_for",
    "session_target",
    "settle_sounddevice",
    "silence_for",
    "sounds_used",
    "speech_frames",
    "timer_request",
    "unattended",
    "voice_library",
    "voices_of",
    "warm_in_background",
    "warm_texts",
    "wav_bytes",
]
