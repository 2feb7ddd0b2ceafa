"""The sound-card player (one sounddevice output stream) and the failure ladder that opens it.

Failure ladder (ARCHITECTURE.md §4): PortAudio missing, no device, a named device missing, or the
stream dying mid-session each end in the same place: one plain line, then a silent
wall-clock player so captions and the pacer carry on.
"""

from __future__ import annotations

import atexit
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from assistant.core.clock import Clock, MonotonicClock
from assistant.core.i18n import N_, _, pgettext
from assistant.core.model import Timeline, value_type
from assistant.core.transport import Player, SilentPlayer

# Re-exported: the loader moved to its own stdlib-only module (the hotkey starts it first).
from assistant.sound.loader import (
    START_TIMEOUT as START_TIMEOUT,
)
from assistant.sound.loader import (
    SoundSystemStuck as SoundSystemStuck,
)
from assistant.sound.loader import (
    import_sounddevice as import_sounddevice,
)
from assistant.sound.loader import (
    prefetch_sounddevice as prefetch_sounddevice,
)
from assistant.sound.loader import (
    settle_sounddevice as settle_sounddevice,
)
from assistant.sound.mixer import Mixer
from assistant.sound.preroll import PreRoll
from assistant.sound.quiet import close_stream, quiet_stderr

#: How long the callback may go quiet (while not paused) before the device counts as lost.
STALL_SECONDS = 2.0
#: The most one look at the player adds to that quiet: a longer gap between two looks may be
#: the process stopped (Ctrl-Z, a suspended machine), when no callback can come either.
LOOK_GAP = 0.5

INSTALL_PORTAUDIO = "sudo apt-get install libportaudio2"

#: Output buffering. Measured on 2 shared cores through PulseAudio (process CPU, steady state):
#: "low" (≈9 ms, 104-frame callbacks) 6.4 %, "high" (≈35 ms) 3.9 %, 0.1 s 1.7 %, and 0.15 s
#: with 2048-frame callbacks (23 a second) under 1 %; none underran at 0.1 s or more, while
#: "low" underran under the TUI. Timing is unaffected: cues are placed by frame and the clock
#: subtracts the latency. The cost is that pause and skip are heard ~0.15 s later.
DEFAULT_LATENCY = 0.15
BLOCKSIZE = 2048
#: With nobody to pause, skip or turn it down (no keyboard, no screen, no meter), a session
#: buffers half a second in 8192-frame callbacks: PortAudio's ALSA thread and PulseAudio's
#: client thread then wake about half as often (steady CPU of `ground play box` headless
#: 0.33 % → 0.19 % of a core here; a minimal sounddevice player at 0.15 s costs 0.23 %).
UNATTENDED_LATENCY = 0.5
UNATTENDED_BLOCKSIZE = 8192


#: Silence played after a session's last frame, beyond the device's reported latency, before
#: the stream stops (seconds): stopping drops what the device and the sound server still hold,
#: and the end was cut (the closing bell's last 0.2–0.6 s were never heard).
DRAIN_SECONDS = 0.25


def blocksize_for(latency: str | float) -> int:
    """Frames per callback for a latency hint (larger blocks when buffering longer)."""
    if isinstance(latency, float) and latency >= UNATTENDED_LATENCY:
        return UNATTENDED_BLOCKSIZE
    return BLOCKSIZE


class DeviceNotFound(ValueError):
    """A device asked for by name or number does not exist."""


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class Opened:
    """The result of trying to open sound.

    Attributes:
        player: a player that is ready to start (a silent one if sound failed).
        notice: one plain line explaining why there is no sound, or None.
    """

    player: Player
    notice: str | None


STUCK_NOTICE = N_(
    "There is no sound because the sound system did not start (PortAudio is not answering); "
    "carrying on with captions. `ground doctor` says why."
)


def resolve_device(sd: ModuleType, device: str | int | None, kind: str = "output") -> int | None:
    """Find an ``output`` or ``input`` device by number or by (part of) its name.

    Raises:
        DeviceNotFound: nothing matches; the message lists what exists.
    """
    if device is None or device == "":
        return None
    devices = list(sd.query_devices())
    channels = "max_output_channels" if kind == "output" else "max_input_channels"
    outputs = [(i, d) for i, d in enumerate(devices) if d[channels] > 0]
    if isinstance(device, int) or str(device).isdigit():
        number = int(device)
        if any(i == number for i, _ in outputs):
            return number
    else:
        wanted = str(device).lower()
        for i, info in outputs:
            if info["name"].lower() == wanted:
                return i
        for i, info in outputs:
            if wanted in info["name"].lower():
                return i
    names = ", ".join(f"{i}: {d['name']}" for i, d in outputs) or pgettext("devices", "none")
    # TRANSLATORS: {names} lists the devices ("0: HDA Intel, 3: USB headset").
    problem = (
        _("no output device matches '{device}' (available: {names})")
        if kind == "output"
        else _("no input device matches '{device}' (available: {names})")
    )
    raise DeviceNotFound(problem.format(device=device, names=names))


class SoundDevicePlayer:
    """Plays a timeline through one ``sounddevice.RawOutputStream``.

    Args:
        mixer: the timeline's mixer, with at least the first clip loaded.
        sd: the imported sounddevice module.
        device: PortAudio device index, or None for the default.
        latency: PortAudio latency hint ("low", "high" or seconds).
        blocksize: frames per callback.

    Note:
        The stream callback only calls :meth:`Mixer.fill` and stores plain numbers.
    """

    def __init__(
        self,
        mixer: Mixer,
        sd: ModuleType,
        device: int | None = None,
        latency: str | float = DEFAULT_LATENCY,
        blocksize: int = BLOCKSIZE,
    ) -> None:
        self.mixer = mixer
        self._sd = sd
        self._device = device
        self._latency_hint = latency
        self._blocksize = blocksize
        self._stream: Any = None
        self._latency_frames = 0
        self._drain_left = 0
        self._underruns = 0
        self._done = threading.Event()
        self._end_reached = False
        self._stopped = False
        self._last_callback = 0.0
        self._looked = 0.0
        self._quiet = 0.0  # seconds without a callback, counted only while we were running
        self.lost = False
        self.first_callback: float | None = None
        self.exact = False
        """True when it took over a pre-roll whose frames are exactly this session's."""
        self._playing = threading.Event()  # its own frames are being mixed (or it stopped)

    @property
    def timeline(self) -> Timeline:
        """The timeline being played (it can grow once while a cold cache fills)."""
        return self.mixer.timeline

    def start(self) -> None:
        """Open and start the stream (and make sure it is stopped at interpreter exit).

        Raises:
            sounddevice.PortAudioError: there is no usable output device.
        """
        rate = self.timeline.sample_rate
        with quiet_stderr():
            self._stream = self._sd.RawOutputStream(
                samplerate=rate,
                channels=1,
                dtype="int16",
                device=self._device,
                latency=self._latency_hint,
                blocksize=self._blocksize,
                callback=self._callback,
                finished_callback=self._finished,
            )
            self._latency_frames = round(float(self._stream.latency) * rate)
            self._watch_afresh()
            _hook_exit()
            _LIVE.add(self)
            self._stream.start()

    def adopt(self, preroll: PreRoll) -> None:
        """Take over the stream a pre-roll is playing (it was opened with this player's
        parameters), carrying on at the frame it has reached.

        When this mixer's opening frames are the pre-roll's (same fingerprint), the session
        goes on from wherever the pre-roll is at the next block. Otherwise (the voice or the
        settings changed since it was kept) the pre-roll plays its opening step to the end and
        the session carries on at its own second step.
        """
        timeline = self.timeline
        self.exact = self.mixer.fingerprint(preroll.frames) == preroll.fingerprint
        resume_at = None if self.exact else timeline.next_boundary(0)
        transport = self.mixer.transport

        def begin(position: int) -> None:  # on the audio thread, before the first block
            transport.frame = position if resume_at is None else resume_at
            transport.played = position
            self._underruns += preroll.underruns

        self._stream = preroll.stream
        self._latency_frames = round(float(self._stream.latency) * timeline.sample_rate)
        self._watch_afresh()
        _hook_exit()
        _LIVE.add(self)

        def alive() -> None:
            self._last_callback = time.monotonic()

        preroll.hand_over(self._callback, self._finished, begin, alive, at_end=not self.exact)

    def _callback(self, outdata: Any, frames: int, _time: Any, status: Any) -> None:
        if status.output_underflow:
            self._underruns += 1
        now = time.monotonic()
        if self.first_callback is None:
            self.first_callback = now
            self._playing.set()
        self._last_callback = now
        self.mixer.fill(memoryview(outdata), frames)
        if self.mixer.transport.finishing:
            # Silence after the end, until what was played has left the buffers.
            if not self._end_reached:
                self._end_reached = True
                rate = self.mixer.timeline.sample_rate
                self._drain_left = self._latency_frames + round(DRAIN_SECONDS * rate)
            else:
                self._drain_left -= frames
            if self._drain_left <= 0:
                raise self._sd.CallbackStop

    def wait_until_playing(self, timeout: float) -> bool:
        """Block until the session's own frames are being mixed (a pre-roll it adopted may
        play its opening first), or the player stopped; True when playing."""
        return self._playing.wait(timeout) and not self._done.is_set()

    def _finished(self) -> None:
        if not self._end_reached and not self._stopped:
            self.lost = True
        self._done.set()

    @property
    def latency_frames(self) -> int:
        """Output latency in frames, as PortAudio reports it."""
        return self._latency_frames

    def position(self) -> int:
        """The frame heard now: frames handed to the device minus its latency."""
        if self._done.is_set() and self._end_reached:
            return self.timeline.total_frames
        return max(0, self.mixer.transport.frame - self._latency_frames)

    @property
    def paused(self) -> bool:
        """Whether the clock is frozen."""
        return self.mixer.transport.paused

    def pause(self) -> None:
        """Freeze the clock; the stream keeps running, emitting silence."""
        self.mixer.transport.paused = True

    def resume(self) -> None:
        """Continue from the same frame."""
        self._watch_afresh()
        self.mixer.transport.paused = False

    def skip(self, target: int | None = None) -> None:
        """Jump to ``target`` (a step's first frame), or to the next step boundary."""
        self.mixer.transport.request_skip(target)

    def set_gain(self, group: str, gain: float) -> None:
        """Set a mixer group's gain."""
        self.mixer.set_gain(group, gain)

    def _watch_afresh(self) -> None:
        self._last_callback = self._looked = time.monotonic()
        self._quiet = 0.0

    @property
    def stalled(self) -> bool:
        """True when the device stopped asking for audio (unplugged, server gone).

        The quiet is counted from the looks at the player (many a second while a session
        plays), each adding at most :data:`LOOK_GAP`: a process stopped by Ctrl-Z, or a machine
        asleep, gets no callbacks either, and after ``fg`` its device is not lost.
        """
        now = time.monotonic()
        since, self._looked = self._looked, now
        if self._done.is_set() or self.paused:
            return False
        last = self._last_callback
        if last >= since:  # a callback since the last look: the quiet starts there
            self._quiet = min(now - last, LOOK_GAP)
        else:
            self._quiet += min(now - since, LOOK_GAP)
        return self._quiet > STALL_SECONDS

    def wait(self, seconds: float) -> bool:
        """Block until the session has been heard to the end, or ``seconds`` pass.

        A long wait looks at the stall watch every :data:`LOOK_GAP` (a headless session waits
        up to 2 s between events): a device that goes quiet is noticed as soon as with short
        waits, and a process stopped meanwhile is still not counted as one.
        """
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if self._done.wait(max(0.0, min(left, LOOK_GAP))):
                return True
            if self.stalled:
                self.lost = True
                self._done.set()
                return True
            if left <= LOOK_GAP:
                return self._done.is_set()

    def stop(self) -> None:
        """Stop at once (no draining) and release the device."""
        self._stopped = True
        _LIVE.discard(self)
        stream, self._stream = self._stream, None
        close_stream(stream)
        self._done.set()
        self._playing.set()

    def close(self) -> None:
        """Release the device after a finished session."""
        self.stop()

    @property
    def finished(self) -> bool:
        """True once the end has been played out (or the player was stopped or lost)."""
        return self._done.is_set()

    @property
    def underruns(self) -> int:
        """Output underflows the device reported."""
        return self._underruns

    @property
    def played(self) -> int:
        """Frames heard so far (skips and pauses not counted)."""
        played = self.mixer.transport.played
        if self._done.is_set() and self._end_reached:
            return played
        return max(0, played - self._latency_frames)


#: Players whose stream is open. Stopped at exit before sounddevice terminates PortAudio:
#: terminating under a running callback crashed the interpreter.
_LIVE: weakref.WeakSet[SoundDevicePlayer] = weakref.WeakSet()
_HOOKED: list[bool] = []


def _stop_live_players() -> None:
    for player in list(_LIVE):
        player.stop()


def _hook_exit() -> None:
    """Register the exit hook after sounddevice's own, so it runs first (atexit is LIFO)."""
    if not _HOOKED:
        _HOOKED.append(True)
        atexit.register(_stop_live_players)


#: Said when no output device could be opened (translated where it is said).
NO_DEVICE_NOTICE = N_(
    "There is no sound here (no output device could be opened); carrying on with "
    "captions. `ground doctor` says more."
)


def _adopt(
    preroll: PreRoll,
    mixer: Mixer,
    *,
    want_sound: bool,
    device: str | int | None,
    latency: str | float,
) -> Opened | None:
    """A player that takes over ``preroll``'s stream when it fits the request (default device,
    same rate and latency, still playing); else None, with the pre-roll stopped."""
    fits = (
        want_sound
        and device in (None, "")
        and preroll.rate == mixer.timeline.sample_rate
        and preroll.latency == latency
    )
    if fits and preroll.stream is not None and not preroll.ended.is_set():
        player = SoundDevicePlayer(mixer, import_sounddevice(), None, latency=latency)
        player.adopt(preroll)
        return Opened(player, None)
    preroll.stop()
    return None


def _no_portaudio() -> str:
    """The line said when the PortAudio library is missing."""
    # TRANSLATORS: {command} installs the library: keep it as it is.
    return _(
        "There is no sound because the PortAudio library is missing (install it with: "
        "{command}); carrying on with captions."
    ).format(command=INSTALL_PORTAUDIO)


def _open_device(
    sd: ModuleType,
    mixer: Mixer,
    device: str | int | None,
    strict_device: bool,
    latency: str | float,
    silent: Callable[[str | None], Opened],
) -> Opened:
    """A started player on ``device`` (None: the default), or ``silent``'s with one plain line
    saying why there is no sound."""
    try:
        index = resolve_device(sd, device)
    except DeviceNotFound as exc:
        if strict_device:
            raise
        # TRANSLATORS: {why} says which device was not found.
        return silent(_("There is no sound: {why}; carrying on with captions.").format(why=exc))
    except sd.PortAudioError:
        index = None
    player = SoundDevicePlayer(mixer, sd, index, latency=latency, blocksize=blocksize_for(latency))
    try:
        player.start()
    except (sd.PortAudioError, ValueError):
        player.stop()
        return silent(_(NO_DEVICE_NOTICE))
    return Opened(player, None)


def open_player(
    mixer: Mixer,
    *,
    device: str | int | None = None,
    want_sound: bool = True,
    clock: Clock | None = None,
    strict_device: bool = False,
    latency: str | float = DEFAULT_LATENCY,
    preroll: PreRoll | None = None,
) -> Opened:
    """Open the best player available, walking the failure ladder.

    Args:
        mixer: the session's mixer.
        device: an output device by number or name, or None for the default.
        want_sound: False for ``--no-audio``: go straight to the silent player.
        clock: clock for the silent player.
        strict_device: raise :class:`DeviceNotFound` instead of carrying on silently when
            ``device`` does not exist (a device typed on the command line is bad input).
        latency: PortAudio's latency hint.
        preroll: a pre-roll already playing the session's opening (``ground now``): its
            stream is taken over when it fits the request (default device, same rate and
            latency), and stopped otherwise.

    Returns:
        A started player and, when sound could not be had, one plain line saying why.
    """
    timeline = mixer.timeline
    silent_clock = clock or MonotonicClock()

    def silent(notice: str | None) -> Opened:
        player = SilentPlayer(timeline, silent_clock)
        player.start()
        return Opened(player, notice)

    if preroll is not None:
        adopted = _adopt(preroll, mixer, want_sound=want_sound, device=device, latency=latency)
        if adopted is not None:
            return adopted
    if not want_sound:
        return silent(None)
    try:
        sd = import_sounddevice()
    except SoundSystemStuck:
        return silent(_(STUCK_NOTICE))
    except OSError:
        return silent(_no_portaudio())
    return _open_device(sd, mixer, device, strict_device, latency, silent)
