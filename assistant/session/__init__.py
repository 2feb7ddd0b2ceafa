"""The one door to playback: front ends start a practice here, draw it, and steer it.

A :class:`Practice` is the whole of one: the session, its follower, its practice-log row, the
breath meter and its coach. The command line and the TUI import this package only; they never
reach the player, the mixer, a speech engine, the microphone meter or the coach themselves
(import-linter contracts say so; ARCHITECTURE.md has the map). What the hotkey's first sound
does not need is imported from its own module (``session.ladder``, ``session.preview``, and
``session.reading`` for the meter's types), so ``ground now`` never loads it.
"""

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
