"""The one door to playback: front ends build, play, steer, follow and record sessions here.

The command line and the TUI import this package only; they never reach the player, the mixer
or a speech engine themselves (an import-linter contract says so; ARCHITECTURE.md has the map).
"""

from assistant.session.build import (
    build_offline,
    estimate_timeline,
    listed_seconds,
    listed_seconds_key,
    render_session,
    sounds_used,
    wav_bytes,
)
from assistant.session.follow import Follower, Moment, events_between
from assistant.session.live import (
    REMARK_LEAD,
    REMARK_MARGIN,
    Session,
    remark_onset,
    session_target,
)
from assistant.session.record import SessionRecord
from assistant.session.request import SessionRequest, request_for, unattended
from assistant.session.voice import (
    PREVIEW,
    UnknownVoiceChoice,
    automatic_voice,
    check_voice,
    make_renderer,
    prepare_preview,
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

__all__ = [
    "PREVIEW",
    "REMARK_LEAD",
    "REMARK_MARGIN",
    "Device",
    "DeviceNotFound",
    "Follower",
    "Moment",
    "Session",
    "SessionRecord",
    "SessionRequest",
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
    "make_renderer",
    "phrases_to_warm",
    "prefetch_sounddevice",
    "prepare_preview",
    "preview_script",
    "remark_onset",
    "render_session",
    "request_for",
    "session_target",
    "settle_sounddevice",
    "silence_for",
    "sounds_used",
    "speech_frames",
    "unattended",
    "voice_library",
    "voices_of",
    "warm_in_background",
    "warm_texts",
    "wav_bytes",
]
