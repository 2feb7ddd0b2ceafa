"""One assembly for every session: sounds and speech become clips, a timeline and a mixer.

Live sessions (:mod:`assistant.session.live`) and ``ground render`` (:func:`build_offline`) both
start from :func:`gather` and end in :func:`mix`; a live session only renders less up front.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from assistant.core.compiler import (
    CompileOptions,
    compile_timeline,
    sound_ref,
    speech_ref,
    spoken_texts,
)
from assistant.core.model import Chime, ClipKind, ClipRef, Script, Timeline
from assistant.core.sounds import DEFAULT_BELL, DEFAULT_TONES, NO_AMBIENT
from assistant.session.request import SessionRequest
from assistant.session.voice import (
    make_renderer,
    render_into,
    silence_for,
    speech_frames,
    spoken_voice,
)
from assistant.sound.mixer import Mixer, render_offline
from assistant.sound.palette import bell_pcm, sound_pcm

if TYPE_CHECKING:
    from assistant.speech.renderer import SpeechRenderer
    from assistant.storage.settings import Settings


@dataclass
class Parts:
    """What a session is made of before it plays.

    Attributes:
        request: what was asked for.
        sounds: every sound asset the script can play.
        texts: every text the script speaks, in order.
        speech: the speech clips ready so far, by text (silent stand-ins without a voice).
        voice: the renderer still in use (None: captions only).
        notices: lines to show once.
    """

    request: SessionRequest
    sounds: dict[ClipRef, bytes]
    texts: tuple[str, ...]
    speech: dict[str, bytes] = field(default_factory=dict)
    voice: SpeechRenderer | None = None
    notices: list[str] = field(default_factory=list)

    def length(self, ref: ClipRef) -> int:
        """A clip's length in frames (speech not yet rendered: the null engine's estimate)."""
        if ref.kind is ClipKind.SOUND:
            return len(self.sounds[ref]) // 2
        pcm = self.speech.get(ref.key)
        return len(pcm) // 2 if pcm is not None else speech_frames(ref.key, self.request.rate)

    def render(self, texts: Iterable[str]) -> None:
        """Render ``texts`` now (down the engine ladder if need be)."""
        if self.voice is not None:
            self.voice = render_into(self.voice, texts, self.speech, self.request, self.notices)


def gather(request: SessionRequest, renderer: SpeechRenderer | None = None) -> Parts:
    """Load the sounds and choose the voice; speech already in the cache is taken as it is.

    Args:
        request: what to play.
        renderer: a ready renderer (tests, a voice preview); built from ``request`` if None.
    """
    script = request.script
    parts = Parts(
        request,
        sounds_for(script, tones=request.tones, bell=request.bell),
        spoken_texts(script, request.options),
        voice=renderer,
    )
    if parts.voice is None and request.sound and request.engine != "none" and parts.texts:
        parts.voice, notice = make_renderer(request)
        if notice:
            parts.notices.append(notice)
    if parts.voice is None:
        parts.speech = {t: silence_for(t, request.rate) for t in parts.texts}
    else:
        for text in parts.texts:
            cached = parts.voice.cached(text)
            if cached is not None:
                parts.speech[text] = cached
    return parts


def mix(parts: Parts, timeline: Timeline) -> Mixer:
    """A mixer for ``timeline`` holding every clip ready so far, at the request's levels."""
    request = parts.request
    clips: dict[ClipRef, bytes] = dict(parts.sounds)
    clips.update({speech_ref(t): pcm for t, pcm in parts.speech.items()})
    mixer = Mixer(timeline, clips)
    for group, gain in gains(request).items():
        mixer.set_gain(group, gain)
    return mixer


def gains(request: SessionRequest) -> dict[str, float]:
    """Every mixer group's gain for ``request``: its level, 0 for a group turned off."""
    return {
        "master": request.volume,
        "voice": request.voice_volume if request.voice_on else 0.0,
        "tones": request.tones_volume if request.tones_on else 0.0,
        # The bells follow the tones' level; turning the tones off leaves them ringing.
        "bells": request.tones_volume,
        "ambient": request.ambient_volume,
    }


def add_ambient(
    mixer: Mixer, name: str, *, begin: int = 0, open_ended: bool = False, steady: bool = False
) -> None:
    """Put the ambient bed ``name`` under ``mixer`` (nothing for ``none``).

    Imports numpy (through ``sound.ambient``): on the hotkey path, call it only once the first
    sound plays. Building a bed costs 30–250 ms of CPU: never on the audio thread.

    Args:
        mixer: the session's mixer, numpy enabled.
        name: the bed (``core.sounds.AMBIENTS``).
        begin: the frame it fades in from (a bed that joins a session already playing).
        open_ended: it plays on past the timeline's end (a cold cache's prefix, an open sitting).
        steady: ``waves`` rests at its steady level instead of swelling with the breath.
    """
    if name == NO_AMBIENT:
        return
    from assistant.sound.ambient import make_bed

    bed = make_bed(name, mixer.timeline, begin=begin, open_ended=open_ended, steady=steady)
    mixer.set_ambient(bed, open_ended=open_ended)


def build_offline(
    request: SessionRequest, renderer: SpeechRenderer | None = None
) -> tuple[Mixer, list[str]]:
    """Render every clip now and compile the whole timeline, for ``ground render``.

    Returns:
        A mixer holding the full timeline and every clip (numpy enabled), and any notices.
    """
    if request.timer is not None:
        timeline, clips = timer_parts(request)
        parts = Parts(request, clips, ())
    else:
        parts = gather(request, renderer)
        if request.voice_on:  # muted from the start, no word would be heard
            parts.render(parts.texts)
        timeline = compile_timeline(request.script, parts.length, request.options)
        timeline = replace(timeline, voice=spoken_voice(parts.voice, request.script.lang))
    mixer = mix(parts, timeline)
    mixer.enable_numpy(importlib.import_module("numpy"))
    add_ambient(mixer, request.ambient)
    return mixer, parts.notices


def timer_parts(request: SessionRequest) -> tuple[Timeline, dict[ClipRef, bytes]]:
    """A plain timer's timeline and its one clip, the chosen bell (none: the bells are silent
    marks on the timeline).

    Raises:
        TimerError: the timer's options do not make a sitting (a ``LengthError``).
    """
    from assistant.core.timer import BELL, timer_timeline

    assert request.timer is not None
    pcm = bell_pcm(request.bell)
    timeline = timer_timeline(request.timer, len(pcm) // 2 if pcm else 0)
    return timeline, ({BELL: pcm} if pcm else {})


def render_session(request: SessionRequest) -> tuple[bytes, Timeline, list[str]]:
    """The whole session as 16-bit mono PCM, sample-exact, with its timeline and notices.

    Raises:
        LengthError: the options do not fit the script (a timer's: ``TimerError``).
    """
    mixer, notices = build_offline(request)
    return render_offline(mixer), mixer.timeline, notices


def wav_bytes(pcm: bytes, rate: int) -> bytes:
    """16-bit mono PCM as the bytes of a WAV file (``ground render`` writes them atomically)."""
    from assistant.speech.clips import wav_bytes as encode

    return encode(pcm, rate)


def sounds_for(
    script: Script, *, tones: str = DEFAULT_TONES, bell: str = DEFAULT_BELL
) -> dict[ClipRef, bytes]:
    """The PCM of every sound asset ``script`` can play, in the chosen tone set and bell."""
    return {
        sound_ref(name): sound_pcm(name, tones=tones, bell=bell) for name in sounds_used(script)
    }


def sounds_used(script: Script) -> set[str]:
    """Names of the sound assets a script can play."""
    names = {s.sound for s in script.steps if isinstance(s, Chime)}
    for block in script.breathing:
        if block.tones:
            names.update(kind.tone for kind, _ in block.pattern.phases())
    return names


def estimate_timeline(
    script: Script,
    options: CompileOptions | None = None,
    rate: int | None = None,
    bell: str = DEFAULT_BELL,
) -> Timeline:
    """The timeline with speech lengths estimated at ``rate`` (no engine): for listings, checks.

    Args:
        script: the script.
        options: length, holds, pace.
        rate: words per minute (None: the engine's default).
        bell: the bell chosen (each bell rings its own length; tone sets do not move a frame).
    """
    parts = Parts(SessionRequest(script, rate=rate), sounds_for(script, bell=bell), ())
    return compile_timeline(script, parts.length, options)


def planned_timeline(request: SessionRequest, renderer: SpeechRenderer | None = None) -> Timeline:
    """The whole timeline ``request`` will play, worked out now without speaking a word.

    Speech is measured as the session measures it: the clips of the voice in use that are in
    the cache, the null engine's estimate at the request's rate for the rest (and with the voice
    off, no speech at all). No engine is started and nothing is rendered. This is the one
    length of a session: listings, ``ground check``, the countdown's start and the log's plan.

    Args:
        request: what would be played.
        renderer: the voice to measure with (None: the request's, built once per voice for
            every listing, never started).

    Raises:
        LengthError: the options do not fit the script (a timer's: ``TimerError``).
    """
    if request.timer is not None:
        return timer_parts(request)[0]
    voice = renderer if renderer is not None else _listing_voice(request)
    rate = request.rate

    def length(ref: ClipRef) -> int:
        if ref.kind is ClipKind.SOUND:
            # Each bell rings its own length (tone sets do not move a frame).
            return len(sound_pcm(ref.key, tones=request.tones, bell=request.bell)) // 2
        frames = None if voice is None else cached_frames(voice, ref.key)
        return frames if frames is not None else speech_frames(ref.key, rate)

    return compile_timeline(request.script, length, request.options)


#: The voices listings measured with, by what shapes their clips: built once (never started).
_LISTING_VOICES: dict[tuple[object, ...], SpeechRenderer | None] = {}


def _listing_voice(request: SessionRequest) -> SpeechRenderer | None:
    """The renderer whose cached clips a listing measures (None: estimates only)."""
    if not (request.sound and request.options.voice) or request.engine == "none":
        return None  # no voice, or with the voice off no word sets the timing
    from assistant.storage.paths import cache_dir, data_dir

    # The folders too: a renderer is bound to the clip cache (and voices) of its GROUND_HOME.
    key: tuple[object, ...] = (request.engine, request.voice, request.rate, request.sentence_pause)
    key += (cache_dir(), data_dir())
    if key not in _LISTING_VOICES:
        _LISTING_VOICES[key] = make_renderer(request)[0]
    return _LISTING_VOICES[key]


def cached_frames(voice: SpeechRenderer, text: str) -> int | None:
    """The length of ``voice``'s clip of ``text`` if the cache has it (read from its header)."""
    from assistant.speech.base import EngineUnavailable, UnknownVoice

    if voice.cache is None:
        return None
    try:
        key = voice.key(text)
    except (UnknownVoice, EngineUnavailable):
        return None  # the voice's files are gone: rendering will say why
    return voice.cache.frames(key)


def listed_timeline(
    settings: Settings,
    script: Script,
    *,
    minutes: float | None = None,
    breaths: int | None = None,
) -> Timeline:
    """:func:`planned_timeline` of ``script`` with ``settings`` (engine, voice, rate, pace,
    holds, voice on or off) and, if chosen, a length in minutes or breaths.

    Raises:
        LengthError: the script cannot be compiled with these settings and this length.
    """
    from assistant.session.request import request_for

    return planned_timeline(request_for(settings, script, minutes=minutes, breaths=breaths))


def listed_seconds(
    settings: Settings,
    script: Script,
    *,
    minutes: float | None = None,
    breaths: int | None = None,
) -> float:
    """How long ``script`` plays with ``settings`` (and a chosen length): the one length every
    listing, the length chooser, ``ground check`` and a session's countdown show.

    Raises:
        LengthError: the script cannot be compiled with these settings and this length.
    """
    return listed_timeline(settings, script, minutes=minutes, breaths=breaths).seconds


def listed_seconds_key(settings: Settings) -> str:
    """What a cached :func:`listed_seconds` depends on, besides the script itself: the settings
    that shape a session and the state of the voice cache (a clip rendered since changes it)."""
    fields = (
        settings.pace,
        settings.no_holds,
        settings.voice_on,
        settings.rate,
        settings.engine,
        settings.voice,
        settings.sentence_pause,
        settings.bell,
        clip_cache_stamp(),
    )
    return "seconds:" + ":".join(str(f) for f in fields)


def clip_cache_stamp() -> str:
    """A short token that changes whenever a clip is added to or removed from the voice cache.

    Every clip lives in one of at most 256 folders, whose times change when a file in them is
    added or removed: reading them costs a folder listing, never a clip.
    """
    import os

    from assistant.core.digest import sha256
    from assistant.storage.paths import cache_dir

    root = cache_dir() / "clips"
    stamps: list[str] = []
    try:
        stamps.append(str(root.stat().st_mtime_ns))
        with os.scandir(root) as entries:
            stamps.extend(
                f"{entry.name}={entry.stat(follow_symlinks=False).st_mtime_ns}"
                for entry in entries
                if entry.is_dir(follow_symlinks=False)
            )
    except OSError:
        return "none" if not stamps else stamps[0]
    return sha256("|".join(sorted(stamps)).encode()).hexdigest()[:16]


def prefix(timeline: Timeline, step_index: int) -> Timeline:
    """The part of ``timeline`` before step ``step_index`` starts (cold-cache start)."""
    spans = [s for s in timeline.steps if s.index < step_index]
    cut = spans[-1].end if spans else 0
    return replace(
        timeline,
        total_frames=cut,
        events=tuple(e for e in timeline.events if e.frame < cut and e.step < step_index),
        steps=tuple(spans),
    )


def first_unready_step(
    said: tuple[tuple[str, ...], ...], speech_pcm: dict[str, bytes]
) -> int | None:
    """The first step whose speech (``said``, by step) is not ready yet, or None when all is."""
    for index, texts in enumerate(said):
        if any(text not in speech_pcm for text in texts):
            return index
    return None
