"""A live session: the door the front ends use to play, steer and read the clock.

The order of work is chosen for a fast first cue: load (or render) only what the first step
needs, open the stream, and let everything else arrive in the background while the first words
play. Front ends never touch the player or the mixer: they pause, skip and change levels here.
"""

from __future__ import annotations

import bisect
import contextlib
import importlib
import threading
from typing import TYPE_CHECKING

from assistant.core.clock import Clock, MonotonicClock
from assistant.core.compiler import compile_timeline, speech_ref, step_texts
from assistant.core.i18n import _
from assistant.core.model import Breathe, Timeline
from assistant.core.sounds import NO_AMBIENT
from assistant.core.transport import Player, SilentPlayer
from assistant.session.build import (
    Parts,
    add_ambient,
    first_unready_step,
    gather,
    mix,
    prefix,
)
from assistant.session.request import SessionRequest
from assistant.session.voice import (
    first_cue,
    in_background,
    render_into,
    silence_for,
    slow_to_start,
)
from assistant.sound.mixer import Mixer
from assistant.sound.player import BLOCKSIZE, SoundDevicePlayer, blocksize_for, open_player
from assistant.sound.preroll import cache_file, encode
from assistant.sound.preroll import take as take_preroll

if TYPE_CHECKING:
    from assistant.speech.renderer import SpeechRenderer

#: Volume steps are rounded to this many decimals (0.1 steps never drift to 0.30000000000000004).
_GAIN_DIGITS = 2
#: How long an ambient bed waits for the session's own frames: a pre-roll the session took
#: over may play its opening step (a few seconds) before them, and the session's clock starts
#: there (a bed fading in from an earlier frame would come in at once).
BED_WAIT = 30.0
#: What a person can turn up or down in a session: everything, or one group under it.
LEVELS = ("master", "voice", "tones", "ambient")
#: What a person can turn on and off (the timing stays the same).
SWITCHABLE = ("voice", "tones", "ambient")


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
        # The levels and switches last asked for: the mixer takes a change at its next block,
        # and two quick presses of "louder" must count twice.
        self._levels = {
            "master": request.volume,
            "voice": request.voice_volume,
            "tones": request.tones_volume,
            "ambient": request.ambient_volume,
        }
        self._on = {
            "voice": request.voice_on,
            "tones": request.tones_on,
            "ambient": request.ambient != NO_AMBIENT,
        }
        # The ambient bed is made on a background thread; the breath meter may be turned on
        # or off meanwhile (the bed then stops or starts following the breath).
        self._ambient_lock = threading.Lock()
        self._steady = False
        self.open_ended = False
        """The session plays until stopped (an open sitting): the bed never fades by itself."""
        self.planned_frames = mixer.timeline.total_frames
        """The whole session's length as planned when it opened (a cold cache's estimate)."""
        self._unspoken: tuple[Parts, list[str]] | None = None  # voice off: not rendered yet
        self._heard = 0  # the latest frame position() gave: the clock never goes back
        self._resume_at: int | None = None  # where a held cold-cache clock carries on

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
        parts = gather(request, renderer)
        said = step_texts(request.script, request.options)
        # With the voice off no word is heard and none sets the timing: nothing to wait for.
        warm_later = _first_cue_first(parts, said) if request.options.voice else None
        timeline, provisional, planned = _first_timeline(parts, said)
        mixer = mix(parts, timeline)
        mixer.transport.provisional = provisional

        opened = open_player(
            mixer,
            device=request.device,
            want_sound=request.sound,
            clock=clock,
            strict_device=request.strict_device,
            latency=request.latency,
            preroll=take_preroll(),
        )
        if opened.notice:
            parts.notices.append(opened.notice)
        session = cls(request, mixer, opened.player, clock, parts.notices)
        session.voice = parts.voice
        session.planned_frames = planned
        try:
            session._carry_on(parts, provisional, warm_later)
        except BaseException:
            # Ctrl-C while the stream already runs: stop it and the threads before the
            # interpreter exits under them (that ended in SIGSEGV).
            session.stop()
            session.close()
            raise
        return session

    def _carry_on(self, parts: Parts, provisional: bool, warm_later: SpeechRenderer | None) -> None:
        """The work left once the first cue plays: the rest of the speech and the numpy import.

        Args:
            parts: what was gathered (the speech rendered so far).
            provisional: the timeline is the cold cache's prefix, to be completed.
            warm_later: a voice too slow to start this time, to fill the cache for next time.
        """
        voice = self.voice
        rest = [t for t in parts.texts if t not in parts.speech]
        if not self.request.options.voice and voice is not None and rest:
            # Rendered only if the voice is turned on (``toggle``): no engine works for words
            # nobody hears.
            self._unspoken = (parts, rest)
        if provisional and voice is not None and isinstance(self.player, SilentPlayer):
            # No sound card: nothing is playing yet worth protecting; finish the compile.
            self._complete(voice, rest, parts)
        elif provisional and voice is not None:
            self._background.append(in_background(self._complete, voice, rest, parts))
        if warm_later is not None:
            # The voice that was too slow this time prepares every cue for next time.
            self._background.append(in_background(self._warm, warm_later, list(parts.texts), True))
        if isinstance(self.player, SoundDevicePlayer) and (
            self.request.vectorise or self.has_ambient
        ):
            self._background.append(in_background(self._load_numpy))

    def _load_numpy(self) -> None:
        """Import numpy once the first cue plays, then make the ambient bed (background)."""
        load_numpy(self.mixer)
        if self.request.ambient != NO_AMBIENT and self.mixer.vectorised:
            self._add_bed()

    def _add_bed(self) -> None:
        """Make the ambient bed and put it under the mix, fading in from a frame not mixed yet
        (it joins a session already playing: numpy waits for the first sound)."""
        mixer, player = self.mixer, self.player
        if isinstance(player, SoundDevicePlayer) and not player.wait_until_playing(BED_WAIT):
            return  # stopped (or a pre-roll still playing long after): no bed to join
        steady = self._steady
        add_ambient(
            mixer,
            self.request.ambient,
            begin=mixer.transport.frame + 2 * BLOCKSIZE,
            open_ended=self.open_ended,
            steady=steady,
        )
        with self._ambient_lock:
            bed = mixer.ambient
            if bed is not None and self._steady != steady:
                bed.set_steady(self._steady, mixer.transport.frame + 2 * BLOCKSIZE)

    def _complete(
        self,
        voice: SpeechRenderer,
        texts: list[str],
        parts: Parts,
        swap: bool = True,
    ) -> None:
        """Render the rest in order, then swap in the full timeline (background thread).

        An engine that cannot run hands over to the next one down the ladder (with a notice).

        Args:
            voice: the renderer to start with.
            texts: what is left to render, in order.
            parts: the session's parts (the speech rendered so far).
            swap: compile and swap in the full timeline once done (False: the timeline is
                whole already, only the clips were missing).
        """
        request = self.request
        current: SpeechRenderer | None = voice
        for text in texts:
            with self._voice_lock:
                current = render_into(current, [text], parts.speech, request, self.notices)
            if current is not self.voice:
                self.voice = current  # remarks said later use the voice that works
            self.mixer.add_clip(speech_ref(text), parts.speech[text])
        if not swap:
            return
        full = compile_timeline(request.script, parts.length, request.options)
        self.mixer.replace_timeline(full)
        if isinstance(self.player, SilentPlayer):
            self.player.replace_timeline(full)

    def keep_opening(self, args: list[str], note: str) -> None:
        """Keep this session's opening step and ``note`` (its one-line safety note) as the
        pre-roll of the command line ``args`` (in the background), unless the pre-roll it
        started from was exactly that already."""
        player = self.player
        if (
            not isinstance(player, SoundDevicePlayer)
            or player.exact
            or self.request.device not in (None, "")
            or not self.complete
        ):
            return
        self._background.append(in_background(self._keep_opening, args, note))

    def _keep_opening(self, args: list[str], note: str) -> None:
        keep_opening(self.mixer, self.request, args, note)

    def _warm(self, voice: SpeechRenderer, texts: list[str], close: bool = False) -> None:
        """Render ``texts`` into the cache only (the voice that was too slow to start this time)."""
        try:
            for text in texts:
                with self._voice_lock:
                    voice.clip(text)
        except Exception:  # noqa: BLE001 - only the cache misses out; next time renders it
            return
        finally:
            if close:
                voice.engine.close()

    # -- steering ------------------------------------------------------------------------------

    @property
    def paused(self) -> bool:
        """Whether the clock is held."""
        return self.player.paused

    @property
    def played(self) -> int:
        """Frames heard so far (skipped stretches not counted)."""
        return self.player.played

    @property
    def practised_seconds(self) -> float:
        """Seconds heard so far (skipped stretches and pauses not counted)."""
        return self.player.played / self.timeline.sample_rate

    @property
    def underruns(self) -> int:
        """Audio dropouts the device reported."""
        return self.player.underruns

    @property
    def finished(self) -> bool:
        """Whether the player has played the last frame."""
        return self.player.finished

    def pause(self) -> None:
        """Hold the clock; the place is kept."""
        self.player.pause()

    def resume(self) -> None:
        """Carry on from the same place."""
        self.player.resume()

    def skip(self) -> int:
        """Jump to the start of the step after the one being heard.

        Counted from the frame being heard, never from the frames already mixed ahead of it:
        one press moves one step, whether the sound card is a moment ahead or a cold cache
        holds the clock at its prefix's end (then the next step is where it resumes).

        Returns:
            The frame skipped to (the rest of the step before it is not announced).
        """
        heard = self.position()
        # Held at ``_resume_at``: the step starting there is not heard yet, skip to it.
        target = heard if heard == self._resume_at else self.timeline.next_boundary(heard)
        self.player.skip(target)
        return target

    def gain(self, group: str) -> float:
        """What ``group`` plays at now, 0–1: its level, or 0 when it is off."""
        return self.level(group) if self.is_on(group) else 0.0

    def level(self, group: str) -> float:
        """The level of a group of :data:`LEVELS`, 0–1 (the last asked for), on or off."""
        return self._levels[group]

    def is_on(self, group: str) -> bool:
        """Whether a group is on (``master`` always is)."""
        return self._on.get(group, True)

    @property
    def has_ambient(self) -> bool:
        """Whether an ambient sound was chosen for this session."""
        return self.request.ambient != NO_AMBIENT

    def _apply(self, group: str) -> None:
        # The mixer itself, not the player: a silent player has nothing to set, and the mixer
        # must hold the levels if the sound comes back through it.
        self.mixer.set_gain(group, self.gain(group))
        if group == "tones":  # the bells follow the tones' level, not their switch
            self.mixer.set_gain("bells", self.level("tones"))

    def change_volume(self, delta: float, group: str = "master") -> float:
        """Louder or softer by ``delta`` (kept within 0–1); returns the new level.

        Args:
            delta: the change, e.g. 0.1.
            group: ``master`` (everything) or one group of :data:`LEVELS`.
        """
        if group not in self._levels:
            raise ValueError(f"unknown level '{group}'; use one of {', '.join(LEVELS)}")
        level = round(min(1.0, max(0.0, self._levels[group] + delta)), _GAIN_DIGITS)
        self._levels[group] = level
        self._apply(group)
        return level

    def toggle(self, group: str) -> bool:
        """Turn the voice, the tones or the ambient sound on or off (the timing stays the same;
        the ambient sound fades); True when on.

        A session started with the voice off renders its words the first time the voice is
        turned on (each is heard from the next time it is due; the timing is the captions').
        """
        if group not in SWITCHABLE:
            raise ValueError(f"unknown switch '{group}'; use one of {', '.join(SWITCHABLE)}")
        on = not self.is_on(group)
        self._on[group] = on
        self._apply(group)
        unspoken, self._unspoken = self._unspoken, None
        if on and group == "voice" and unspoken is not None and self.voice is not None:
            parts, texts = unspoken
            self._background.append(in_background(self._complete, self.voice, texts, parts, False))
        elif unspoken is not None:
            self._unspoken = unspoken
        return on

    def set_ambient_steady(self, steady: bool) -> None:
        """Hold ``waves`` at its steady level (the breath meter is on: the surf swells in the
        band it listens to) or let it follow the breath again; the swell glides, never jumps."""
        with self._ambient_lock:
            self._steady = steady
            bed = self.mixer.ambient
            if bed is not None:
                bed.set_steady(steady, self.mixer.transport.frame + 2 * BLOCKSIZE)

    # -- running -------------------------------------------------------------------------------

    @property
    def timeline(self) -> Timeline:
        """The (possibly still growing) timeline being played."""
        return self.mixer.timeline

    @property
    def complete(self) -> bool:
        """False while the cold-cache prefix is being extended."""
        return not self.mixer.transport.provisional

    def planned(self) -> int:
        """The whole session's length in frames: the timeline's once complete; before, with a
        cold cache, the plan it opened with (cached clips, the rest estimated: what
        :func:`~assistant.session.build.planned_timeline` gave)."""
        return self.timeline.total_frames if self.complete else self.planned_frames

    def planned_seconds(self) -> float:
        """:meth:`planned` in seconds."""
        return self.planned() / self.timeline.sample_rate

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
        self.notices.append(_("The sound device went away; carrying on quietly with captions."))
        return True

    def position(self) -> int:
        """The frame being heard now (never earlier than one said before); switches to a
        silent player if the device was lost."""
        self._check_device()
        frame = self.player.position()
        transport = self.mixer.transport
        if (
            transport.provisional
            and transport.at_end
            and isinstance(self.player, SoundDevicePlayer)
        ):
            # Held at the cold cache's prefix end: the device plays silence, every frame of
            # the prefix has been heard (its last step is over, its caption goes), and the
            # next step starts there once the rest has rendered.
            self._resume_at = transport.frame
            frame = max(frame, transport.frame)
        elif self._resume_at is not None and frame > self._resume_at:
            self._resume_at = None
        self._heard = max(self._heard, frame)
        return self._heard

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
            self._background.append(in_background(self._render_remark, voice, text))
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
        mixer.add_cue(onset, speech_ref(text), pcm)
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


def _first_cue_first(parts: Parts, said: tuple[tuple[str, ...], ...]) -> SpeechRenderer | None:
    """Render what the first spoken step needs before anything else (a cold cache).

    Returns:
        A slow-to-start voice that was passed over for this session (it should still fill the
        cache for next time), else None.
    """
    request, speech_pcm = parts.request, parts.speech
    first_texts = next((t for t in said if t), ())
    missing_first = [t for t in first_texts if t not in speech_pcm]
    warm_later: SpeechRenderer | None = None
    if parts.voice is not None and missing_first and slow_to_start(parts.voice):
        # One voice a session: Piper loads its model (~0.5–0.9 s) and says the first cue
        # itself; a stand-in speaks the whole session only if Piper is not ready in time.
        parts.voice, warm_later = first_cue(
            parts.voice, missing_first, speech_pcm, request, parts.notices, parts.texts
        )
        missing_first = [t for t in first_texts if t not in speech_pcm]
    if parts.voice is not None and missing_first:
        parts.render(missing_first)
        if parts.voice is None:  # speech fell back to captions: every text is silent now
            speech_pcm.update((t, silence_for(t, request.rate)) for t in parts.texts)
    return warm_later


def keep_opening(mixer: Mixer, request: SessionRequest, args: list[str], note: str) -> bool:
    """Keep the opening step ``mixer`` plays (from its first frame, without an ambient bed:
    that joins after the first sound) and ``note`` as the pre-roll of the command line
    ``args`` (``sound.preroll``); False when none could be kept.

    Args:
        mixer: a mixer holding the whole timeline and the opening step's clips.
        request: what it plays (a latency in seconds, the default device).
        args: the command line after ``ground`` (``now``, ``panic``, with their options).
        note: the one-line safety note said before the session.
    """
    from pathlib import Path

    from assistant.core.files import atomic_write
    from assistant.sound.preroll import command_of
    from assistant.sound.preroll import settings_file as preroll_settings
    from assistant.storage.paths import cache_dir, private_dir, settings_file

    command = command_of(args)
    latency = request.latency
    path = None if command is None else cache_file(command)
    if path is None or not isinstance(latency, float) or request.device not in (None, ""):
        return False
    if preroll_settings() != str(settings_file()):
        return False  # it would depend on another settings file than the one read
    timeline = mixer.timeline
    count = timeline.next_boundary(0)
    data = encode(
        mixer.render_start(count),
        timeline.sample_rate,
        latency,
        blocksize_for(latency),
        mixer.fingerprint(count),
        args,
        note,
    )
    if data is None:
        return False
    try:
        private_dir(cache_dir())
        atomic_write(Path(path), data)
    except OSError:  # only the next start misses out
        return False
    return True


def _first_timeline(parts: Parts, said: tuple[tuple[str, ...], ...]) -> tuple[Timeline, bool, int]:
    """The timeline to start on: the whole one, or (cold cache) the prefix whose speech is
    ready; True when it is that prefix; and the whole session's planned length in frames
    (with the rest of the speech estimated)."""
    request, speech_pcm = parts.request, parts.speech
    script = request.script
    # With the voice off the timing needs no speech: the whole timeline is known now.
    cut = first_unready_step(said, speech_pcm) if request.options.voice else None
    if cut is not None and any(isinstance(s, Breathe) and s.fills for s in script.steps[:cut]):
        cut = None  # a filling block's length depends on everything: render it all now
        parts.render([t for t in parts.texts if t not in speech_pcm])
    timeline = compile_timeline(script, parts.length, request.options)
    if cut is None:
        return timeline, False, timeline.total_frames
    return prefix(timeline, cut), True, timeline.total_frames


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


def load_numpy(mixer: Mixer) -> None:
    """Import numpy while the first cue plays, then let the mixer vectorise."""
    with contextlib.suppress(ImportError):
        mixer.enable_numpy(importlib.import_module("numpy"))


def session_target(session: Session, step: int) -> float | None:
    """Breaths per minute the session asks for at ``step`` (its pace and holds applied)."""
    from assistant.core.feedback import target_rate

    request = session.request
    return target_rate(
        request.script, step, pace=request.options.pace, no_holds=request.options.no_holds
    )
