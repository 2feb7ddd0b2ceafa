"""Transport: position, pause, resume, skip and finish over a timeline, shared by every player.

The sound-card player advances it by the frames the device consumes; the silent player
advances it from a wall clock. Either way the frame count is the session clock.
"""

from __future__ import annotations

import threading
from typing import Protocol

from assistant.core.clock import Clock
from assistant.core.model import Timeline


class Player(Protocol):
    """Plays one timeline and is the session's clock.

    Note:
        ``position`` is the frame the listener hears now (frames delivered minus output
        latency), so everything drawn from it lines up with the sound.
    """

    @property
    def timeline(self) -> Timeline:
        """The timeline being played."""
        ...

    def start(self) -> None:
        """Begin playing from frame 0."""
        ...

    def position(self) -> int:
        """The timeline frame being heard now."""
        ...

    @property
    def paused(self) -> bool:
        """Whether the clock is frozen."""
        ...

    def pause(self) -> None:
        """Freeze the clock; sound stops, nothing is lost."""
        ...

    def resume(self) -> None:
        """Continue from the frame where pause froze the clock."""
        ...

    def skip(self, target: int | None = None) -> None:
        """Jump to ``target`` (a step's first frame), or to the start of the next step.

        A target the clock has already passed moves nothing: a skip never jumps further.
        """
        ...

    def set_gain(self, group: str, gain: float) -> None:
        """Set a mixer gain: ``voice``, ``tones`` or ``master`` (0 mutes)."""
        ...

    def wait(self, seconds: float) -> bool:
        """Block until the session is finished or ``seconds`` pass; True if finished."""
        ...

    def stop(self) -> None:
        """End the session now and release the device."""
        ...

    @property
    def finished(self) -> bool:
        """True once the whole timeline has been heard (or stop was called)."""
        ...

    @property
    def underruns(self) -> int:
        """Output underflows reported by the device so far."""
        ...

    @property
    def played(self) -> int:
        """Frames actually played (skipped stretches and pauses not counted)."""
        ...


class Transport:
    """Frame position with pause and skip; the core of every player.

    Note:
        Thread-safe for one writer (the audio callback or clock) and any number of readers:
        commands from the UI are stored as plain values and applied by ``advance``.
    """

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.frame = 0
        self.paused = False
        # One assignment per request, so the single writer never sees half of one: None, or
        # (target,) with None for "the next step boundary".
        self._skip: tuple[int | None] | None = None
        self.done = threading.Event()
        self.played = 0
        """Frames played so far, not counting what skips jumped over."""
        self.provisional = False
        """True while only a prefix of the session is compiled (cold cache): at its end the
        clock waits, like a pause, for the full timeline instead of finishing."""

    def request_skip(self, target: int | None = None) -> None:
        """Ask to jump at the next advance: to ``target``, or (None) to the next step boundary.

        Args:
            target: the first frame of the step to go to, worked out from the frame being
                heard. The sound card mixes ahead of what is heard (its latency), and a cold
                cache holds the clock at its prefix's end: counting from the mixed frame could
                jump past a whole step that has not been heard yet.
        """
        self._skip = (target,)

    def take_skip(self) -> None:
        """Apply a pending skip (called by the single writer); never moves backwards."""
        pending, self._skip = self._skip, None
        if pending is None:
            return
        target = pending[0]
        if target is None:
            target = self.timeline.next_boundary(self.frame)
        self.frame = max(self.frame, min(target, self.timeline.total_frames))

    def advance(self, frames: int) -> int:
        """Move forward by up to ``frames`` unless paused; returns the frames actually moved."""
        self.take_skip()
        if self.paused or self.done.is_set():
            return 0
        moved = max(0, min(frames, self.timeline.total_frames - self.frame))
        self.frame += moved
        self.played += moved
        return moved

    @property
    def at_end(self) -> bool:
        """True when the position has reached the end of the timeline."""
        return self.frame >= self.timeline.total_frames

    @property
    def finishing(self) -> bool:
        """True when the end reached is the real end (not a provisional prefix's)."""
        return self.at_end and not self.provisional


class SilentPlayer:
    """Plays nothing and keeps time from a clock: the last rung of the failure ladder.

    Captions and the pacer still follow it exactly, so a session with no sound card works.
    """

    def __init__(self, timeline: Timeline, clock: Clock, start_frame: int = 0) -> None:
        self.timeline = timeline
        self._clock = clock
        self._transport = Transport(timeline)
        self._transport.frame = start_frame
        self._anchor = clock.now()
        self._anchor_frame = start_frame
        self._stopped = threading.Event()

    def _sync(self) -> None:
        """Bring the transport up to the clock's time."""
        t = self._transport
        t.take_skip()
        if t.paused:
            self._anchor, self._anchor_frame = self._clock.now(), t.frame
            return
        elapsed = self._clock.now() - self._anchor
        target = self._anchor_frame + round(elapsed * self.timeline.sample_rate)
        before = t.frame
        t.frame = min(self.timeline.total_frames, max(t.frame, target))
        t.played += t.frame - before
        if t.at_end:
            t.done.set()

    def carry_played(self, frames: int) -> None:
        """Continue the played count of the player this one replaces."""
        self._transport.played = frames

    def replace_timeline(self, timeline: Timeline) -> None:
        """Swap in the full compile of the same session (it agrees on every earlier frame)."""
        self.timeline = timeline
        self._transport.timeline = timeline

    def start(self) -> None:
        """Start the clock at the current frame."""
        self._anchor, self._anchor_frame = self._clock.now(), self._transport.frame

    def position(self) -> int:
        """Frames since the start, from the clock."""
        self._sync()
        return self._transport.frame

    @property
    def paused(self) -> bool:
        """Whether the clock is frozen."""
        return self._transport.paused

    def pause(self) -> None:
        """Freeze at the current frame."""
        self._sync()
        self._transport.paused = True

    def resume(self) -> None:
        """Continue from the frozen frame."""
        self._transport.paused = False
        self._anchor, self._anchor_frame = self._clock.now(), self._transport.frame

    def skip(self, target: int | None = None) -> None:
        """Jump to ``target`` (a step's first frame), or to the next step."""
        self._sync()
        self._transport.request_skip(target)
        self._sync()
        self._anchor, self._anchor_frame = self._clock.now(), self._transport.frame

    def set_gain(self, group: str, gain: float) -> None:
        """Nothing to mute."""

    def wait(self, seconds: float) -> bool:
        """Let the clock run for up to ``seconds``; True once finished."""
        self._sync()
        if self.finished:
            return True
        remaining = (self.timeline.total_frames - self._transport.frame) / self.timeline.sample_rate
        step = seconds if self._transport.paused else min(seconds, remaining)
        self._clock.wait(self._stopped, step)
        self._sync()
        return self.finished

    def stop(self) -> None:
        """End now."""
        self._stopped.set()
        self._transport.done.set()

    @property
    def finished(self) -> bool:
        """True at the end or after stop."""
        return self._transport.done.is_set()

    @property
    def underruns(self) -> int:
        """A silent player never underruns."""
        return 0

    @property
    def played(self) -> int:
        """Frames of the session that have passed, not counting skips and pauses."""
        return self._transport.played
