"""Hearing a sound choice before choosing it: a tone set, a bell, an ambient sound.

Settings plays its previews through one :class:`SoundPreview`: a few seconds of the choice at
the levels the person set, on the session's output device, through the same mixer and player
as a session. A front end never reaches the player itself.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from assistant.core.compiler import SAMPLE_RATE
from assistant.core.model import ClipKind, ClipRef, Event, EventKind, PhaseKind, StepSpan, Timeline
from assistant.core.sounds import AMBIENTS, BELL_CHOICES, NO_AMBIENT, NO_BELL, TONE_SETS
from assistant.sound.mixer import Mixer
from assistant.sound.palette import bell_pcm, preview_pcm
from assistant.sound.player import open_player

if TYPE_CHECKING:
    from assistant.core.clock import Clock
    from assistant.core.transport import Player
    from assistant.storage.settings import Settings

#: The clip a preview plays.
_CLIP = ClipRef(ClipKind.SOUND, "preview")
#: An ambient preview: one breath (in 4 s, out 6 s) between a second of rest either side, so
#: ``waves`` is heard rising and falling; fades of a second rather than a session's three.
AMBIENT_BREATH = ((1.0, None), (4.0, PhaseKind.INHALE), (6.0, PhaseKind.EXHALE), (1.0, None))
AMBIENT_FADE_SECONDS = 1.0


class SoundPreview:
    """Plays one preview at a time; a new one stops the one playing.

    Args:
        clock: the clock for a silent player (tests pass a FakeClock).
    """

    def __init__(self, *, clock: Clock | None = None) -> None:
        self._clock = clock
        self._player: Player | None = None
        self._closed = False
        # play() may run on a worker thread (an ambient sound takes a moment to make) while
        # stop() and close() come from the screen's.
        self._lock = threading.Lock()

    def play(self, kind: str, name: str, settings: Settings, *, sound: bool = True) -> list[str]:
        """Play a preview of ``name`` now, at the settings' levels.

        Args:
            kind: ``tones``, ``bell`` or ``ambient``.
            name: the choice (``core.sounds``); a bell or ambient sound of ``none`` plays
                nothing.
            settings: the volume, the group's level and the output device.
            sound: False plays nothing, silently (tests, ``--no-audio``).

        Returns:
            Lines to show (no sound card, …); empty when all is well.

        Raises:
            ValueError: an unknown kind or name.
        """
        self.stop()
        pcm = _pcm(kind, name)
        if not pcm:
            return []
        timeline = _timeline(len(pcm) // 2)
        mixer = Mixer(timeline, {_CLIP: pcm})
        mixer.set_gain("master", settings.volume)
        # The clip plays in the bells' group, at the level of the group it previews.
        level = settings.ambient_volume if kind == "ambient" else settings.tones_volume
        mixer.set_gain("bells", level)
        with self._lock:
            if self._closed:
                return []
            self._stop()
            opened = open_player(mixer, device=settings.device, want_sound=sound, clock=self._clock)
            self._player = opened.player
        return [opened.notice] if opened.notice else []

    @property
    def done(self) -> bool:
        """Whether nothing is playing (never started, heard to the end, or stopped)."""
        player = self._player
        return (
            player is None or player.finished or player.position() >= player.timeline.total_frames
        )

    def stop(self) -> None:
        """Stop the preview playing now."""
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        player, self._player = self._player, None
        if player is not None:
            player.stop()

    def close(self) -> None:
        """Stop, and play nothing more (again: nothing)."""
        with self._lock:
            self._closed = True
            self._stop()


def _pcm(kind: str, name: str) -> bytes:
    """The preview's PCM (empty: nothing to hear)."""
    if kind == "tones":
        if name not in TONE_SETS:
            raise ValueError(f"unknown tone set '{name}'")
        return preview_pcm(name)
    if kind == "bell":
        if name not in BELL_CHOICES:
            raise ValueError(f"unknown bell '{name}'")
        return bell_pcm(name) or b"" if name != NO_BELL else b""
    if kind == "ambient":
        if name not in AMBIENTS:
            raise ValueError(f"unknown ambient sound '{name}'")
        return _ambient_pcm(name) if name != NO_AMBIENT else b""
    raise ValueError(f"unknown kind of sound '{kind}'; use tones, bell or ambient")


def _ambient_pcm(name: str) -> bytes:
    """A few seconds of the ambient bed ``name`` over one breath (imports numpy)."""
    import numpy as np

    from assistant.sound.ambient import AmbientBed

    events, frame = [], 0
    for seconds, phase in AMBIENT_BREATH:
        length = round(seconds * SAMPLE_RATE)
        if phase is not None:
            events.append(Event(frame, EventKind.PHASE, phase.label, length, step=0, phase=phase))
        frame += length
    breath = Timeline("preview", "Preview", SAMPLE_RATE, frame, tuple(events), ())
    bed = AmbientBed(name, breath, fade_seconds=AMBIENT_FADE_SECONDS)
    samples = np.rint(bed.render_all())
    return np.clip(samples, -32768, 32767).astype("<i2").tobytes()


def _timeline(frames: int) -> Timeline:
    """One clip from frame 0, as a one-step session."""
    event = Event(0, EventKind.CHIME, "preview", frames, step=0, clip=_CLIP)
    return Timeline(
        "preview",
        "Preview",
        SAMPLE_RATE,
        frames,
        (event,),
        (StepSpan(0, 0, frames, "chime", "preview"),),
    )
