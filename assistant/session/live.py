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
from assistant.core.compiler import compile_timeline, speech, step_texts
from assistant.core.model import Breathe, Timeline
from assistant.core.transport import Player, SilentPlayer
from assistant.session.build import (
    Parts,
    estimate_timeline,
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
from assistant.sound.player import BLOCKSIZE, SoundDevicePlayer, open_player
from assistant.sound.preroll import cache_file, encode
from assistant.sound.preroll import take as take_preroll

if TYPE_CHECKING:
    from assistant.speech.renderer import SpeechRenderer

#: Volume steps are rounded to this many decimals (0.1 steps never drift to 0.30000000000000004).
_GAIN_DIGITS = 2


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
        # The gains last asked for: the mixer takes a change at its next block, and two quick
        # presses of "louder" must count twice.
        self._gains: dict[str, float] = {}

    # -- building ------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        request: SessionRequest,
        *,
        clock: Clock | None = None,
        renderer: SpeechRenderer | None = None,
        vectorise: bool = True,
    ) -> Session:
        """Prepare clips, compile, open the best player and start playing.

        Args:
            request: what to play and how.
            clock: the clock for a silent player (tests pass a FakeClock).
            renderer: a ready ``SpeechRenderer`` (tests, TUI); built from ``request`` if None.
            vectorise: import numpy once playing, for mixing overlapping clips (~11 MB
                resident: the hotkey, whose budget is 60 MB, mixes without it).

        Raises:
            LengthError: the options do not fit the script.
            DeviceNotFound: ``request.device`` is missing and ``strict_device`` is set.
        """
        clock = clock or MonotonicClock()
        script = request.script
        parts = gather(request, renderer)
        speech_pcm = parts.speech

        # Render what the first spoken step needs before anything else (cold cache).
        said = step_texts(script, request.options)
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

        cut = first_unready_step(said, speech_pcm)
        if cut is not None and any(isinstance(s, Breathe) and s.fills for s in script.steps[:cut]):
            cut = None  # a filling block's length depends on everything: render it all now
            parts.render([t for t in parts.texts if t not in speech_pcm])

        timeline = compile_timeline(script, parts.length, request.options)
        provisional = cut is not None
        if cut is not None:
            timeline = prefix(timeline, cut)
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
        voice = session.voice = parts.voice
        try:
            rest = [t for t in parts.texts if t not in speech_pcm]
            if provisional and voice is not None and isinstance(opened.player, SilentPlayer):
                # No sound card: nothing is playing yet worth protecting; finish the compile.
                session._complete(voice, rest, parts)
            elif provisional and voice is not None:
                session._background.append(in_background(session._complete, voice, rest, parts))
            if warm_later is not None:
                # The voice that was too slow this time prepares every cue for next time.
                session._background.append(
                    in_background(session._warm, warm_later, list(parts.texts), True)
                )
            if vectorise and isinstance(opened.player, SoundDevicePlayer):
                session._background.append(in_background(load_numpy, mixer))
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
        parts: Parts,
    ) -> None:
        """Render the rest in order, then swap in the full timeline (background thread).

        An engine that cannot run hands over to the next one down the ladder (with a notice).
        """
        request = self.request
        current: SpeechRenderer | None = voice
        for text in texts:
            with self._voice_lock:
                current = render_into(current, [text], parts.speech, request, self.notices)
            if current is not self.voice:
                self.voice = current  # remarks said later use the voice that works
            self.mixer.add_clip(speech(text), parts.speech[text])
        full = compile_timeline(request.script, parts.length, request.options)
        self.mixer.replace_timeline(full)
        if isinstance(self.player, SilentPlayer):
            self.player.replace_timeline(full)

    def keep_opening(self, args: list[str]) -> None:
        """Keep this session's opening step as the pre-roll of the command line ``args`` (in
        the background), unless the pre-roll it started from was exactly that already."""
        player = self.player
        if (
            not isinstance(player, SoundDevicePlayer)
            or player.exact
            or self.request.device not in (None, "")
            or not self.complete
            or not isinstance(self.request.latency, float)
        ):
            return
        self._background.append(in_background(self._keep_opening, args))

    def _keep_opening(self, args: list[str]) -> None:
        from pathlib import Path

        from assistant.core.files import atomic_write
        from assistant.sound.preroll import settings_file as preroll_settings
        from assistant.storage.paths import cache_dir, private_dir, settings_file

        path = cache_file()
        if path is None or preroll_settings() != str(settings_file()):
            return  # it would depend on another settings file than the one read
        timeline, mixer = self.timeline, self.mixer
        count = timeline.next_boundary(0)
        latency = self.request.latency
        assert isinstance(latency, float)
        data = encode(
            mixer.render_start(count),
            timeline.sample_rate,
            latency,
            BLOCKSIZE,
            mixer.fingerprint(count),
            args,
        )
        if data is None:
            return
        with contextlib.suppress(OSError):  # only the next start misses out
            private_dir(cache_dir())
            atomic_write(Path(path), data)

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

    def skip(self) -> None:
        """Jump to the start of the next step."""
        self.player.skip()

    def gain(self, group: str) -> float:
        """The level of ``master``, ``voice`` or ``tones``, 0–1 (the last asked for)."""
        return self._gains.get(group, self.mixer.gain(group))

    def _set_gain(self, group: str, gain: float) -> None:
        self._gains[group] = gain
        self.player.set_gain(group, gain)

    def change_volume(self, delta: float) -> float:
        """Louder or softer by ``delta`` (kept within 0–1); returns the new volume."""
        volume = round(min(1.0, max(0.0, self.gain("master") + delta)), _GAIN_DIGITS)
        self._set_gain("master", volume)
        return volume

    def toggle(self, group: str) -> bool:
        """Turn the voice or the tones on or off (the timing stays the same); True when on."""
        on = self.gain(group) == 0
        self._set_gain(group, 1.0 if on else 0.0)
        return on

    # -- running -------------------------------------------------------------------------------

    @property
    def timeline(self) -> Timeline:
        """The (possibly still growing) timeline being played."""
        return self.mixer.timeline

    @property
    def complete(self) -> bool:
        """False while the cold-cache prefix is being extended."""
        return not self.mixer.transport.provisional

    def planned_seconds(self) -> float:
        """The whole session's length: the timeline's once complete, estimated before (with a
        cold cache the timeline first holds only the opening step)."""
        if self.complete:
            return self.timeline.seconds
        return estimate_timeline(self.request.script, self.request.options).seconds

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
