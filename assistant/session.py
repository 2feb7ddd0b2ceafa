"""Composition root: a script and settings become a running session (timeline, mixer, player).

Shared by the headless CLI (``ground play``/``ground now``) and the TUI. The order of work is
chosen for a fast first cue: load (or render) only what the first step needs, open the
stream, and let everything else arrive in the background while the first words play.
"""

from __future__ import annotations

import bisect
import contextlib
import importlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from assistant.core.clock import Clock, MonotonicClock
from assistant.core.compiler import (
    SAMPLE_RATE,
    CompileOptions,
    compile_timeline,
    sound,
    speech,
)
from assistant.core.model import (
    Breathe,
    Category,
    Chime,
    ClipKind,
    ClipRef,
    Event,
    Say,
    Script,
    Timeline,
)
from assistant.core.transport import Player, SilentPlayer
from assistant.sound.assets import load_sound
from assistant.sound.mixer import Mixer
from assistant.sound.player import DEFAULT_LATENCY, SoundDevicePlayer, open_player

if TYPE_CHECKING:
    from assistant.speech.base import SpeechEngine
    from assistant.speech.piper_voices import VoiceLibrary
    from assistant.speech.renderer import SpeechRenderer


@dataclass(frozen=True)
class SessionRequest:
    """What a person asked for.

    Attributes:
        script: the exercise.
        options: length, holds, pace.
        engine: speech engine name (``system``, ``espeak``, ``none``).
        voice: voice id, or None for the engine's default.
        rate: words per minute, or None for the engine's default.
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
    sound: bool = True
    device: str | None = None
    strict_device: bool = False
    voice_on: bool = True
    tones_on: bool = True
    volume: float = 1.0
    latency: str | float = DEFAULT_LATENCY


def speech_frames(text: str, rate: int | None = None, sample_rate: int = SAMPLE_RATE) -> int:
    """Frames the null engine estimates ``text`` takes to say (no audio is made).

    Rounded at the null engine's own rate first, so it equals the length of its rendered clip.
    """
    from assistant.speech.null import SAMPLE_RATE as NULL_RATE
    from assistant.speech.null import speaking_seconds

    frames = round(speaking_seconds(text, rate) * NULL_RATE)
    return round(frames * sample_rate / NULL_RATE)


def silence_for(text: str, rate: int | None = None, sample_rate: int = SAMPLE_RATE) -> bytes:
    """Silent PCM as long as :func:`speech_frames` (captions without a voice keep its rhythm)."""
    return bytes(speech_frames(text, rate, sample_rate) * 2)


def sounds_used(script: Script) -> set[str]:
    """Names of the sound assets a script can play."""
    names = {s.sound for s in script.steps if isinstance(s, Chime)}
    for block in script.breathing:
        if block.tones:
            names.update(kind.tone for kind, _ in block.pattern.phases())
    return names


def _step_texts(step: object) -> tuple[str, ...]:
    if isinstance(step, Say):
        return (step.text,)
    if isinstance(step, Breathe):
        return tuple(word for _, word in step.words)
    return ()


class Session:
    """One running session: its timeline, mixer, player, and the notices to show once.

    Use :meth:`open` to build and start one.
    """

    def __init__(
        self,
        request: SessionRequest,
        mixer: Mixer,
        player: Player,
        clock: Clock,
        notices: list[str],
    ) -> None:
        self.request = request
        self.mixer = mixer
        self.player = player
        self.notices = notices
        self._clock = clock
        self._background: list[threading.Thread] = []
        self.voice: SpeechRenderer | None = None
        """The speech renderer, once the session is open (None: captions only)."""
        # The renderer is used by one thread at a time: the background compile and the
        # remarks spoken between cues both render through it.
        self._voice_lock = threading.Lock()
        self._remarks: dict[str, bytes | None] = {}
        self._spans: tuple[Timeline, list[tuple[int, int]]] | None = None

    # -- building ------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        request: SessionRequest,
        *,
        clock: Clock | None = None,
        renderer: SpeechRenderer | None = None,
    ) -> Session:
        """Prepare clips, compile, open the best player and start playing.

        Args:
            request: what to play and how.
            clock: the clock for a silent player (tests pass a FakeClock).
            renderer: a ready ``SpeechRenderer`` (tests, TUI); built from ``request`` if None.

        Raises:
            LengthError: the options do not fit the script.
            DeviceNotFound: ``request.device`` is missing and ``strict_device`` is set.
        """
        clock = clock or MonotonicClock()
        notices: list[str] = []
        script = request.script
        sounds = {sound(name): load_sound(name) for name in sounds_used(script)}
        texts = script.spoken_texts()

        voice = renderer
        if voice is None and request.sound and request.engine != "none" and texts:
            voice, notice = make_renderer(request)
            if notice:
                notices.append(notice)
        speech_pcm: dict[str, bytes] = {}
        if voice is None:
            speech_pcm = {t: silence_for(t, request.rate) for t in texts}
        else:
            for text in texts:
                cached = voice.cached(text)
                if cached is not None:
                    speech_pcm[text] = cached

        # Render what the first spoken step needs before anything else (cold cache).
        first_texts = next((t for t in map(_step_texts, script.steps) if t), ())
        missing_first = [t for t in first_texts if t not in speech_pcm]
        stood_in: list[str] = []
        if voice is not None and missing_first and _slow_to_start(voice):
            # Piper needs ~0.5–0.9 s to load its model: the system voice says the first cue
            # meanwhile, and Piper renders the rest (and the first cue, for next time).
            stood_in = _stand_in(missing_first, speech_pcm, request)
            # Loading the model after the stand-in rendered keeps the two off the same 2 cores
            # at once; the first cue still plays for seconds while the model loads.
            voice.engine.start_in_background(voice.voice)  # type: ignore[attr-defined]
            missing_first = [t for t in missing_first if t not in speech_pcm]
        if voice is not None and missing_first:
            voice = _render_into(voice, missing_first, speech_pcm, request, notices)
            if voice is None:  # speech fell back to captions: every text is silent now
                speech_pcm.update((t, silence_for(t, request.rate)) for t in texts)

        cut = _first_unready_step(script, speech_pcm)
        if cut is not None and any(isinstance(s, Breathe) and s.fills for s in script.steps[:cut]):
            cut = None  # a filling block's length depends on everything: render it all now
            if voice is not None:
                rest = [t for t in texts if t not in speech_pcm]
                voice = _render_into(voice, rest, speech_pcm, request, notices)

        def lengths_frames(ref: ClipRef) -> int:
            if ref.kind is ClipKind.SOUND:
                return len(sounds[ref]) // 2
            pcm = speech_pcm.get(ref.key)
            return len(pcm) // 2 if pcm is not None else speech_frames(ref.key, request.rate)

        timeline = compile_timeline(script, lengths_frames, request.options)
        provisional = cut is not None
        if cut is not None:
            timeline = _prefix(timeline, cut)
        clips: dict[ClipRef, bytes] = dict(sounds)
        clips.update({speech(t): pcm for t, pcm in speech_pcm.items()})
        mixer = Mixer(timeline, clips)
        mixer.transport.provisional = provisional
        mixer.set_gain("master", request.volume)
        mixer.set_gain("voice", 1.0 if request.voice_on else 0.0)
        mixer.set_gain("tones", 1.0 if request.tones_on else 0.0)

        opened = open_player(
            mixer,
            device=request.device,
            want_sound=request.sound,
            clock=clock,
            strict_device=request.strict_device,
            latency=request.latency,
        )
        if opened.notice:
            notices.append(opened.notice)
        session = cls(request, mixer, opened.player, clock, notices)
        session.voice = voice
        try:
            rest = [t for t in texts if t not in speech_pcm]
            if provisional and voice is not None and isinstance(opened.player, SilentPlayer):
                # No sound card: nothing is playing yet worth protecting; finish the compile.
                session._complete(voice, rest, speech_pcm, lengths_frames, stood_in)
            elif provisional and voice is not None:
                session._background.append(
                    _spawn(session._complete, voice, rest, speech_pcm, lengths_frames, stood_in)
                )
            elif voice is not None and stood_in:
                session._background.append(_spawn(session._warm, voice, stood_in))
            if isinstance(opened.player, SoundDevicePlayer):
                session._background.append(_spawn(_load_numpy, mixer))
        except BaseException:
            # Ctrl-C while the stream already runs: stop it and the threads before the
            # interpreter exits under them (that ended in SIGSEGV).
            session.stop()
            session.close()
            raise
        return session

    def _complete(
        self,
        voice: SpeechRenderer,
        texts: list[str],
        speech_pcm: dict[str, bytes],
        lengths: Callable[[ClipRef], int],
        stood_in: list[str] | None = None,
    ) -> None:
        """Render the rest in order, then swap in the full timeline (background thread).

        An engine that cannot run hands over to the next one down the ladder (with a notice);
        ``stood_in`` texts, spoken by a stand-in voice, are then rendered for the cache.
        """
        request = self.request
        current: SpeechRenderer | None = voice
        for text in texts:
            with self._voice_lock:
                current = _render_into(current, [text], speech_pcm, request, self.notices)
            if current is not self.voice:
                self.voice = current  # remarks said later use the voice that works
            self.mixer.add_clip(speech(text), speech_pcm[text])
        full = compile_timeline(request.script, lengths, request.options)
        self.mixer.replace_timeline(full)
        if isinstance(self.player, SilentPlayer):
            self.player.replace_timeline(full)
        if current is voice and stood_in:
            self._warm(voice, stood_in)

    def _warm(self, voice: SpeechRenderer, texts: list[str]) -> None:
        """Render ``texts`` into the cache only (what a stand-in voice said this time)."""
        for text in texts:
            try:
                with self._voice_lock:
                    voice.clip(text)
            except Exception:  # noqa: BLE001 - only the cache misses out; next time renders it
                return

    # -- running -------------------------------------------------------------------------------

    @property
    def timeline(self) -> Timeline:
        """The (possibly still growing) timeline being played."""
        return self.mixer.timeline

    @property
    def complete(self) -> bool:
        """False while the cold-cache prefix is being extended."""
        return not self.mixer.transport.provisional

    def _check_device(self) -> bool:
        """Switch to a silent player if the device was lost; True when it just switched."""
        player = self.player
        if not isinstance(player, SoundDevicePlayer) or not (player.lost or player.stalled):
            return False
        frame = player.position()
        paused = player.paused
        player.stop()
        silent = SilentPlayer(self.timeline, self._clock, start_frame=frame)
        silent.carry_played(player.played)
        silent.start()
        if paused:
            silent.pause()
        self.player = silent
        self.notices.append("The sound device went away; carrying on quietly with captions.")
        return True

    def position(self) -> int:
        """The frame being heard now; switches to a silent player if the device was lost."""
        self._check_device()
        return self.player.position()

    def wait(self, seconds: float) -> bool:
        """Wait for the end or ``seconds``; True when the session is over."""
        self._check_device()
        if not self.complete and self.mixer.transport.at_end:
            # The clock is held at the prefix's end: keep waiting for the full timeline.
            for thread in self._background:
                thread.join(seconds)
            return False
        finished = self.player.wait(seconds)
        if self._check_device():
            return False
        return finished

    def say_in_a_gap(self, text: str) -> bool | None:
        """Speak ``text`` now, if it fits between the guide's own words (a pacing remark).

        The first call renders it in the background; call again on later ticks.

        Returns:
            True once it is scheduled; False when not yet (still rendering, paused, or the
            guide is about to speak); None when it never can be heard (no sound card, no
            voice, or the voice muted), so the caller can stop trying.
        """
        mixer = self.mixer
        voice = self.voice
        if (
            voice is None
            or not isinstance(self.player, SoundDevicePlayer)
            or mixer.gain("voice") == 0
            or mixer.gain("master") == 0
        ):
            return None
        if text not in self._remarks:
            self._remarks[text] = None
            self._background.append(_spawn(self._render_remark, voice, text))
            return False
        pcm = self._remarks[text]
        if pcm == b"":  # it could not be rendered
            return None
        if pcm is None or self.player.paused:
            return False
        timeline = self.timeline
        onset = remark_onset(
            mixer.transport.frame, len(pcm) // 2, self._voice_spans(timeline), timeline
        )
        if onset is None:
            return False
        mixer.add_cue(onset, speech(text), pcm)
        return True

    def _render_remark(self, voice: SpeechRenderer, text: str) -> None:
        try:
            with self._voice_lock:
                self._remarks[text] = voice.clip(text)
        except Exception:  # noqa: BLE001 - an unspoken remark is still shown
            self._remarks[text] = b""

    def _voice_spans(self, timeline: Timeline) -> list[tuple[int, int]]:
        from assistant.core.feedback import voice_intervals

        if self._spans is None or self._spans[0] is not timeline:
            self._spans = (timeline, voice_intervals(timeline))
        return self._spans[1]

    def stop(self) -> None:
        """Stop at once and release the device."""
        self.player.stop()

    def close(self) -> None:
        """Release everything after the end."""
        self.player.stop()
        for thread in self._background:
            thread.join(5)


#: A remark starts this long after the frames already mixed (output latency is ~0.15 s).
REMARK_LEAD = 0.3
#: ...and keeps this far from the guide's own words on either side.
REMARK_MARGIN = 0.5


def remark_onset(
    mixed: int, length: int, spans: list[tuple[int, int]], timeline: Timeline
) -> int | None:
    """Where a remark of ``length`` frames can start now, or None if not now.

    Args:
        mixed: the frame the audio thread has mixed up to (nothing before it can change).
        length: the remark's length in frames.
        spans: the frames where the guide's own voice plays, sorted by start.
        timeline: the session (a remark must end before it does).
    """
    rate = timeline.sample_rate
    onset = mixed + round(REMARK_LEAD * rate)
    margin = round(REMARK_MARGIN * rate)
    start, end = onset - margin, onset + length + margin
    if end > timeline.total_frames:
        return None
    index = bisect.bisect_left(spans, (end, -1))
    if any(span_end > start for _, span_end in spans[:index]):
        return None
    return onset


def build_offline(
    request: SessionRequest, renderer: SpeechRenderer | None = None
) -> tuple[Mixer, list[str]]:
    """Render every clip now and compile the whole timeline, for ``ground render``.

    Returns:
        A mixer holding the full timeline and every clip (numpy enabled), and any notices.
    """
    notices: list[str] = []
    script = request.script
    sounds = {sound(name): load_sound(name) for name in sounds_used(script)}
    texts = script.spoken_texts()
    voice = renderer
    if voice is None and request.engine != "none" and texts:
        voice, notice = make_renderer(request)
        if notice:
            notices.append(notice)
    speech_pcm: dict[str, bytes] = {}
    if voice is None:
        speech_pcm = {t: silence_for(t, request.rate) for t in texts}
    else:
        _render_into(voice, texts, speech_pcm, request, notices)

    def lengths(ref: ClipRef) -> int:
        pcm = sounds[ref] if ref.kind is ClipKind.SOUND else speech_pcm[ref.key]
        return len(pcm) // 2

    timeline = compile_timeline(script, lengths, request.options)
    clips: dict[ClipRef, bytes] = dict(sounds)
    clips.update({speech(t): pcm for t, pcm in speech_pcm.items()})
    mixer = Mixer(timeline, clips)
    mixer.set_gain("master", request.volume)
    mixer.set_gain("voice", 1.0 if request.voice_on else 0.0)
    mixer.set_gain("tones", 1.0 if request.tones_on else 0.0)
    mixer.enable_numpy(importlib.import_module("numpy"))
    return mixer, notices


def estimate_timeline(script: Script, options: CompileOptions | None = None) -> Timeline:
    """The timeline with speech lengths estimated (no engine): for listings and checks."""
    sounds = {sound(name): load_sound(name) for name in sounds_used(script)}

    def lengths(ref: ClipRef) -> int:
        if ref.kind is ClipKind.SOUND:
            return len(sounds[ref]) // 2
        return speech_frames(ref.key)

    return compile_timeline(script, lengths, options)


def events_between(timeline: Timeline, start: int, end: int) -> list[Event]:
    """Events with ``start <= frame < end``, in order (for captions and the pacer)."""
    frames = [event.frame for event in timeline.events]
    lo = bisect.bisect_left(frames, start)
    hi = bisect.bisect_left(frames, end)
    return list(timeline.events[lo:hi])


def _prefix(timeline: Timeline, step_index: int) -> Timeline:
    """The part of ``timeline`` before step ``step_index`` starts (cold-cache start)."""
    spans = [s for s in timeline.steps if s.index < step_index]
    cut = spans[-1].end if spans else 0
    return replace(
        timeline,
        total_frames=cut,
        events=tuple(e for e in timeline.events if e.frame < cut and e.step < step_index),
        steps=tuple(spans),
    )


def _first_unready_step(script: Script, speech_pcm: dict[str, bytes]) -> int | None:
    for index, step in enumerate(script.steps):
        if any(text not in speech_pcm for text in _step_texts(step)):
            return index
    return None


def _spawn(target: Callable[..., None], *args: object) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, daemon=True)
    thread.start()
    return thread


def _load_numpy(mixer: Mixer) -> None:
    """Import numpy while the first cue plays, then let the mixer vectorise."""
    with contextlib.suppress(ImportError):
        mixer.enable_numpy(importlib.import_module("numpy"))


def warm_in_background(
    engine: str | None = None,
    voice: str | None = None,
    rate: int | None = None,
    scripts: Iterable[str] = (),
) -> None:
    """Start ``ground warm`` detached: it fills the cache for a voice, even after we exit.

    Args:
        engine, voice, rate: what to render with (None: the settings').
        scripts: script ids or paths (none: every script).
    """
    import subprocess
    import sys
    import threading

    argv = [sys.executable, "-m", "assistant", "warm", "--detached", *scripts]
    for flag, value in (("engine", engine), ("voice", voice), ("rate", rate)):
        if value is not None:
            argv += [f"--{flag}", str(value)]
    child = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # Reap it when it ends, so no defunct process lingers while the app stays open.
    threading.Thread(target=child.wait, name="warm-reaper", daemon=True).start()


def voice_library() -> VoiceLibrary:
    """The user's Piper voices: the data dir's ``voices/`` and installed voice packages."""
    from assistant.speech.piper_voices import VoiceLibrary
    from assistant.storage.paths import cache_dir, data_dir

    return VoiceLibrary(data_dir() / "voices", cache_dir() / "piper-voices.json")


def make_renderer(request: SessionRequest) -> tuple[SpeechRenderer | None, str | None]:
    """A renderer for the request's engine, built lazily (a warm cache never starts it).

    Returns None with a notice when no speech engine exists here at all.
    """
    from assistant.speech.base import EngineUnavailable
    from assistant.speech.factory import make_engine

    try:
        # Only Piper looks for voice files (the system voice's path imports none of that).
        library = voice_library() if request.engine == "piper" else None
        engine = make_engine(request.engine, library)
    except EngineUnavailable as exc:
        return _next_renderer(request, request.engine, str(exc))
    return _renderer(request, engine), None


def _renderer(request: SessionRequest, engine: SpeechEngine) -> SpeechRenderer:
    from assistant.speech.cache import ClipCache
    from assistant.speech.renderer import SpeechRenderer
    from assistant.storage.paths import cache_dir

    return SpeechRenderer(engine, ClipCache(cache_dir() / "clips"), request.voice, request.rate)


def _slow_to_start(voice: SpeechRenderer) -> bool:
    """Whether the first render would wait for a model to load (Piper, not loaded yet)."""
    from assistant.speech.base import SlowToStart

    engine = voice.engine
    return isinstance(engine, SlowToStart) and not engine.ready(voice.voice)


def _stand_in(texts: list[str], speech_pcm: dict[str, bytes], request: SessionRequest) -> list[str]:
    """Say ``texts`` with the system voice (or the next that runs) while Piper loads.

    Returns:
        The texts the stand-in voice rendered into ``speech_pcm`` (none if no voice runs).
    """
    from assistant.speech.factory import first_available

    engine, _ = first_available("system")
    if engine.name == "none":
        return []
    stand_in = _renderer(replace(request, voice=None), engine)
    done: dict[str, bytes] = {}
    # Its notices would speak of a voice that says one sentence: keep them to itself.
    _render_into(stand_in, texts, done, replace(request, voice=None), [])
    speech_pcm.update(done)
    # Ending the worker waits for it to quit: off the path to the first sound.
    _spawn(engine.close)
    return list(done)


def _next_renderer(
    request: SessionRequest, failed: str, reason: str
) -> tuple[SpeechRenderer | None, str | None]:
    """The next engine down the ladder after ``failed`` could not run, with one notice line."""
    from assistant.speech.factory import LADDER, first_available, label

    rest = [name for name in LADDER if name != failed]
    engine, _ = first_available(rest[0])
    if engine.name == "none":
        return None, (
            f"No speech engine could start ({reason}); carrying on with tones and captions."
        )
    # Voice ids belong to one engine: the next one speaks with its own default voice.
    renderer = _renderer(replace(request, voice=None), engine)
    return renderer, f"Speaking with {label(engine.name)} instead ({reason})."


#: What a voice preview says (Settings, ``ground voices --say ""``).
PREVIEW = "This is how I sound. Let's take one slow breath together."


def preview_script(text: str = PREVIEW) -> Script:
    """A one-sentence script that says ``text``: for hearing a voice."""
    return Script(
        id="preview", title="Preview", summary="", category=Category.BREATHE, steps=(Say(text),)
    )


def prepare_preview(request: SessionRequest, text: str) -> tuple[SpeechRenderer | None, list[str]]:
    """A renderer with ``text`` already rendered in the request's very voice, for a preview.

    A session would let a stand-in voice say its first words while Piper loads; a preview is of
    this voice, so it waits for it instead.

    Returns:
        The renderer that works (down the engine ladder if needed; None for no voice), and the
        notices to show.
    """
    notices: list[str] = []
    if not request.sound or request.engine == "none":
        return None, notices
    renderer, why = make_renderer(request)
    if why:
        notices.append(why)
    return _render_into(renderer, [text], {}, request, notices), notices


def _render_into(
    voice: SpeechRenderer | None,
    texts: Iterable[str],
    speech_pcm: dict[str, bytes],
    request: SessionRequest,
    notices: list[str],
) -> SpeechRenderer | None:
    """Render ``texts`` now, walking down the engine ladder if the engine cannot run.

    Returns:
        The renderer still in use (None once speech has fallen back to silent captions).
    """
    from assistant.speech.base import EngineUnavailable, UnknownVoice

    pending = [t for t in texts if t not in speech_pcm]
    while pending and voice is not None:
        text = pending[0]
        try:
            speech_pcm[text] = voice.clip(text)
        except EngineUnavailable as exc:
            voice.engine.close()
            voice, notice = _next_renderer(request, voice.engine.name, str(exc))
            if notice:
                notices.append(notice)
            continue
        except UnknownVoice:
            if voice.voice is None:  # even the default voice is unknown: nothing to fall to
                speech_pcm[text] = silence_for(text, request.rate)
                pending.pop(0)
                continue
            notices.append(f"The voice '{voice.voice}' is not available; using the default voice.")
            voice.voice = None
            continue
        except Exception:  # noqa: BLE001 - one failed cue becomes a caption, not a crash
            speech_pcm[text] = silence_for(text, request.rate)
            if not any("could not be spoken" in n for n in notices):
                notices.append("Some words could not be spoken; they are shown instead.")
        pending.pop(0)
    for text in pending:
        speech_pcm[text] = silence_for(text, request.rate)
    return voice


def session_target(session: Session, step: int) -> float | None:
    """Breaths per minute the session asks for at ``step`` (its pace and holds applied)."""
    from assistant.core.feedback import target_rate

    request = session.request
    return target_rate(
        request.script, step, pace=request.options.pace, no_holds=request.options.no_holds
    )
