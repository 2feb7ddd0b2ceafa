"""The mixer: copies every clip that overlaps a block into it, at the clip's exact frame.

It is driven by whoever consumes audio (the sound card's callback, or the offline renderer),
so the frames it has handed out are the session clock. It works on raw int16 bytes until
numpy has been imported, because importing numpy costs ~90 ms that the hotkey path must not
spend before the first cue is heard; both paths give bit-identical output at unity gain.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from assistant.core.model import ClipRef, EventKind, Timeline
from assistant.core.transport import Transport

#: Mixer groups: the voice can be muted separately from the phase tones.
GROUPS = ("master", "voice", "tones")
_Span = tuple[int, int, int, ClipRef, float]
"""A clip sounding in a block: (out offset, clip offset, length, clip, gain)."""
_GROUP_OF = {EventKind.SAY: "voice", EventKind.WORD: "voice", EventKind.TONE: "tones"}
_MAX_BLOCK = 16_384


class Mixer:
    """Mixes a timeline's clips into output blocks and advances its transport.

    Args:
        timeline: what to play.
        clips: PCM (mono int16 little-endian bytes at the timeline's rate) by clip; more can be
            added later with :meth:`add_clip` while playing.

    Note:
        :meth:`fill` runs on the audio thread: it takes no locks, does no I/O and, once numpy
        is enabled, allocates no arrays. Other threads only store plain values.
    """

    def __init__(self, timeline: Timeline, clips: Mapping[ClipRef, bytes] | None = None) -> None:
        self.timeline = timeline
        self.transport = Transport(timeline)
        # (onsets, clips, groups) of every cue, swapped as one tuple so the audio thread
        # never pairs one compile's onsets with another's clips.
        self._extras: list[tuple[int, ClipRef, str]] = []
        self._cues = _index_cues(timeline, self._extras)
        self._pcm: dict[ClipRef, bytes] = {}
        self._arrays: dict[ClipRef, Any] = {}
        self._max_len = 0
        self._gain = dict.fromkeys(GROUPS, 1.0)
        self._np: ModuleType | None = None
        self._acc: Any = None
        self._tmp: Any = None
        self._zeros = bytes(_MAX_BLOCK * 2)
        self._lock = threading.Lock()  # guards add_clip/enable_numpy, never taken by fill
        self.missing = 0
        for ref, pcm in (clips or {}).items():
            self.add_clip(ref, pcm)

    # -- setup, from any thread -------------------------------------------------------------

    def replace_timeline(self, timeline: Timeline, *, provisional: bool = False) -> None:
        """Swap in a longer compile of the same session (it must agree on what was played).

        Note:
            The audio thread may be between reads; it sees either the old cue lists or the new
            ones for a block, and both agree on every frame it can be playing.
        """
        with self._lock:
            self._cues = _index_cues(timeline, self._extras)
            self.timeline = timeline
            self.transport.timeline = timeline
            self.transport.provisional = provisional

    def add_clip(self, ref: ClipRef, pcm: bytes) -> None:
        """Make ``ref``'s audio available to cues that have not started yet."""
        with self._lock:
            if self._np is not None:
                self._arrays[ref] = self._np.frombuffer(pcm, dtype=self._np.int16)
            self._pcm[ref] = pcm
            self._max_len = max(self._max_len, len(pcm) // 2)

    def add_cue(self, frame: int, ref: ClipRef, pcm: bytes, group: str = "voice") -> None:
        """Play ``pcm`` at ``frame`` as well as the timeline's own cues (a spoken remark).

        Only frames the audio thread has not mixed yet can be heard: schedule ahead of
        ``transport.frame``.
        """
        if group not in self._gain:
            raise ValueError(f"unknown mixer group '{group}'; use one of {', '.join(GROUPS)}")
        self.add_clip(ref, pcm)
        with self._lock:
            self._extras.append((frame, ref, group))
            self._cues = _index_cues(self.timeline, self._extras)

    def enable_numpy(self, np: ModuleType) -> None:
        """Switch to vectorised mixing (call once numpy has been imported)."""
        with self._lock:
            self._acc = np.zeros(_MAX_BLOCK, dtype=np.float32)
            self._tmp = np.zeros(_MAX_BLOCK, dtype=np.float32)
            self._arrays = {r: np.frombuffer(p, dtype=np.int16) for r, p in self._pcm.items()}
            self._np = np

    def set_gain(self, group: str, gain: float) -> None:
        """Set a group's gain (``master``, ``voice``, ``tones``); 0 mutes it."""
        if group not in self._gain:
            raise ValueError(f"unknown mixer group '{group}'; use one of {', '.join(GROUPS)}")
        self._gain[group] = max(0.0, min(2.0, float(gain)))

    def gain(self, group: str) -> float:
        """A group's current gain."""
        return self._gain[group]

    def fingerprint(self, count: int) -> str:
        """What the first ``count`` frames are mixed from, as a digest: every clip sounding in
        them (where, which part, at what gain) and its samples. Two mixers with the same
        fingerprint play the same first ``count`` frames."""
        from assistant.core.digest import sha256  # not hashlib: OpenSSL is ~3.5 MB resident

        missing = self.missing
        active = self._active(0, count)
        self.missing = missing  # looking is not playing: nothing was missed
        digest = sha256()
        digest.update(f"{self.timeline.sample_rate}:{count}".encode())
        for out_from, clip_from, span, ref, gain in active:
            digest.update(f"|{out_from}:{clip_from}:{span}:{gain!r}".encode())
            digest.update(self._pcm[ref][clip_from * 2 : (clip_from + span) * 2])
        return digest.hexdigest()

    def render_start(self, count: int) -> bytes:
        """The first ``count`` frames as this mixer plays them from the start (on a twin: this
        one's transport does not move)."""
        twin = Mixer(self.timeline, self._pcm)
        twin._gain = dict(self._gain)
        if self._np is not None:
            twin.enable_numpy(self._np)
        buffer = bytearray(count * 2)
        view = memoryview(buffer)
        frame = 0
        while frame < count:
            frames = min(4096, count - frame)
            played = twin.fill(view[frame * 2 : (frame + frames) * 2], frames)
            if played == 0:
                break
            frame += played
        return bytes(buffer[: frame * 2])

    # -- the audio thread ---------------------------------------------------------------------

    def fill(self, out: memoryview, frames: int) -> int:
        """Write the next ``frames`` of the session into ``out`` (``frames * 2`` bytes).

        Returns:
            How many timeline frames were played (0 while paused or after the end); the rest
            of the block is silence.
        """
        transport = self.transport
        transport.take_skip()
        start = transport.frame
        count = transport.advance(frames)
        nbytes = frames * 2
        if count == 0:
            out[:nbytes] = self._zeros[:nbytes] if nbytes <= len(self._zeros) else bytes(nbytes)
            return 0
        active = self._active(start, count)
        # Silence or one clip at full gain is a copy; numpy only when something is mixed.
        simple = not active or (len(active) == 1 and active[0][4] == 1.0)
        if self._np is not None and frames <= _MAX_BLOCK and not simple:
            self._fill_numpy(out, frames, active)
        else:
            self._fill_bytes(out, frames, active)
        return count

    def _active(self, start: int, count: int) -> list[_Span]:
        """(out offset, clip offset, length, clip, gain) of every clip sounding in the block."""
        end = start + count
        found = []
        onsets, refs, groups = self._cues
        hi = bisect.bisect_left(onsets, end)
        index = hi - 1
        master = self._gain["master"]
        while index >= 0 and onsets[index] > start - self._max_len - 1:
            onset = onsets[index]
            ref = refs[index]
            pcm = self._pcm.get(ref)
            if pcm is None:
                if start <= onset < end:
                    self.missing += 1
            else:
                length = len(pcm) // 2
                if onset + length > start:
                    clip_from = max(0, start - onset)
                    out_from = max(0, onset - start)
                    span = min(count - out_from, length - clip_from)
                    group = groups[index]
                    gain = master if group == "master" else master * self._gain[group]
                    if span > 0 and gain > 0:
                        found.append((out_from, clip_from, span, ref, gain))
            index -= 1
        found.reverse()
        return found

    def _fill_bytes(self, out: memoryview, frames: int, active: list[_Span]) -> None:
        nbytes = frames * 2
        out[:nbytes] = self._zeros[:nbytes] if nbytes <= len(self._zeros) else bytes(nbytes)
        first = True
        for out_from, clip_from, span, ref, gain in active:
            pcm = self._pcm[ref]
            if first and gain == 1.0:
                out[out_from * 2 : (out_from + span) * 2] = pcm[
                    clip_from * 2 : (clip_from + span) * 2
                ]
            elif first and 0.0 <= gain < 1.0:
                out[out_from * 2 : (out_from + span) * 2] = scaled(
                    pcm[clip_from * 2 : (clip_from + span) * 2], gain
                )
            else:
                dst = out.cast("h")
                src = memoryview(pcm).cast("h")
                for i in range(span):
                    value = dst[out_from + i] + round(src[clip_from + i] * gain)
                    dst[out_from + i] = -32768 if value < -32768 else min(value, 32767)
            first = False

    def _fill_numpy(self, out: memoryview, frames: int, active: list[_Span]) -> None:
        np = self._np
        assert np is not None
        acc = self._acc[:frames]
        acc.fill(0.0)
        for out_from, clip_from, span, ref, gain in active:
            source = self._arrays.get(ref)
            if source is None:
                continue
            tmp = self._tmp[:span]
            np.multiply(source[clip_from : clip_from + span], gain, out=tmp, casting="unsafe")
            acc[out_from : out_from + span] += tmp
        np.rint(acc, out=acc)  # round, not truncate: truncation would bias quiet passages
        np.clip(acc, -32768.0, 32767.0, out=acc)
        np.copyto(np.frombuffer(out, dtype=np.int16, count=frames), acc, casting="unsafe")


#: Flips a byte's top bit: int16 ↔ offset binary, applied to the high bytes.
_FLIP = bytes(range(128, 256)) + bytes(range(128))


def scaled(pcm: bytes, gain: float) -> bytes:
    """16-bit little-endian samples times ``gain`` (0 ≤ gain < 1), without numpy.

    Every sample, made non-negative (offset binary), gets a 32-bit lane of one big integer;
    a single multiplication by the gain in 1/65536ths scales all lanes at once (no lane can
    carry into the next), a constant per lane removes the offset and rounds, and each result
    is the upper half of its lane. C speed throughout: ~20 µs a 2048-frame block here, the
    per-sample loop ~800 µs. Within one step of ``round(sample * gain)`` (the gain is rounded
    to 1/65536, halves round up).
    """
    count = len(pcm) // 2
    factor = round(gain * 65536)
    wide = bytearray(4 * count)
    wide[0::4] = pcm[0::2]
    wide[1::4] = pcm[1::2].translate(_FLIP)
    bias = 32768 * 65536 + 32768 - 32768 * factor  # per lane; never negative
    lanes = int.from_bytes(wide, "little") * factor
    lanes += int.from_bytes(bias.to_bytes(4, "little") * count, "little")
    done = lanes.to_bytes(4 * count, "little")
    out = bytearray(2 * count)
    out[0::2] = done[2::4]
    out[1::2] = done[3::4].translate(_FLIP)
    return bytes(out)


def _index_cues(
    timeline: Timeline, extras: list[tuple[int, ClipRef, str]]
) -> tuple[list[int], list[ClipRef], list[str]]:
    onsets, refs, groups = [], [], []
    for cue in timeline.cues():
        if cue.clip is not None:
            onsets.append(cue.frame)
            refs.append(cue.clip)
            groups.append(_GROUP_OF.get(cue.kind, "master"))
    for frame, ref, group in extras:  # few: a remark a minute at most
        at = bisect.bisect_right(onsets, frame)
        onsets.insert(at, frame)
        refs.insert(at, ref)
        groups.insert(at, group)
    return onsets, refs, groups


def render_offline(mixer: Mixer, block: int = 4096) -> bytes:
    """Play the whole timeline as fast as possible and return its PCM (for ``ground render``).

    The same :meth:`Mixer.fill` that feeds the sound card makes this, so a rendered file is
    exactly what a live session plays.
    """
    total = mixer.timeline.total_frames
    buffer = bytearray(total * 2)
    view = memoryview(buffer)
    frame = 0
    while frame < total:
        frames = min(block, total - frame)
        played = mixer.fill(view[frame * 2 : (frame + frames) * 2], frames)
        if played == 0:
            break
        frame += played
    return bytes(buffer)
