"""The mixer: copies every clip that overlaps a block into it, at the clip's exact frame.

It is driven by whoever consumes audio (the sound card's callback, or the offline renderer),
so the frames it has handed out are the session clock. It works on raw int16 bytes until
numpy has been imported, because importing numpy costs ~90 ms that the hotkey path must not
spend before the first cue is heard; both paths give bit-identical output at unity gain.

An ambient bed (``sound.ambient``, made off the audio thread) can play under the clips: then
every block is mixed in float, and a soft knee above :data:`KNEE` rounds off the rare peak
where voice, bell and bed meet instead of clipping. Without a bed the output is what it always
was, sample for sample.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any

from assistant.core.model import ClipRef, EventKind, Timeline
from assistant.core.transport import Transport

if TYPE_CHECKING:  # numpy is imported only once the first sound plays (the hotkey path)
    from assistant.sound.ambient import AmbientBed

#: Mixer groups, each with its own gain under ``master``: the voice, the phase tones, the bells
#: (a script's chime and the timer's bells: their level follows the tones' level, but turning
#: the tones off leaves them ringing), and the ambient bed.
GROUPS = ("master", "voice", "tones", "bells", "ambient")
_Span = tuple[int, int, int, ClipRef, float]
"""A clip sounding in a block: (out offset, clip offset, length, clip, gain)."""
#: The group each kind of cue plays in (any other kind: ``master`` alone).
GROUP_OF = {
    EventKind.SAY: "voice",
    EventKind.WORD: "voice",
    EventKind.TONE: "tones",
    EventKind.CHIME: "bells",
}
_MAX_BLOCK = 16_384
#: With a bed, samples above this (int16 scale: -1 dBFS) are rounded off softly towards full
#: scale instead of clipped. The bed's peaks are around -18 dBFS and a voice peak is -3 dBFS, so
#: it engages only where a voice peak, a bell and a bed peak land on one sample.
KNEE = 29_204.0
_CEILING = 32_767.0


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
        self._ambient: AmbientBed | None = None
        self._bed_open = False
        self._lock = threading.Lock()  # guards add_clip/enable_numpy, never taken by fill
        self.missing = 0
        for ref, pcm in (clips or {}).items():
            self.add_clip(ref, pcm)

    # -- setup, from any thread -------------------------------------------------------------

    def replace_timeline(
        self, timeline: Timeline, *, provisional: bool = False, open_ended: bool = False
    ) -> None:
        """Swap in a longer compile of the same session (it must agree on what was played).

        Args:
            timeline: the new compile.
            provisional: it is a cold cache's prefix: the clock waits at its end.
            open_ended: the ambient bed plays on past its end (an open sitting: ended with the
                bed's own ``set_end``); a provisional prefix's end never fades it either.

        Note:
            The audio thread may be between reads; it sees either the old cue lists or the new
            ones for a block, and both agree on every frame it can be playing.
        """
        with self._lock:
            self._cues = _index_cues(timeline, self._extras)
            self.timeline = timeline
            self.transport.timeline = timeline
            self.transport.provisional = provisional
            bed = self._ambient
            if bed is not None:
                # A prefix's end is not the session's: the bed must not fade out there.
                bed.replace_timeline(
                    timeline, open_ended=provisional or open_ended or self._bed_open
                )

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

    def set_ambient(self, bed: AmbientBed | None, *, open_ended: bool = False) -> None:
        """Play ``bed`` under the clips from the next block (None: no bed); any thread.

        The bed follows the timeline playing now (a cold cache's full compile may have come
        while it was made), and is mixed only once numpy is enabled.

        Args:
            bed: the bed, or None.
            open_ended: it plays on past the timeline's end (an open sitting).
        """
        with self._lock:
            if bed is not None:
                bed.replace_timeline(
                    self.timeline, open_ended=open_ended or self.transport.provisional
                )
            self._bed_open = open_ended
            self._ambient = bed

    @property
    def vectorised(self) -> bool:
        """Whether numpy is enabled (the bed can play)."""
        return self._np is not None

    @property
    def ambient(self) -> AmbientBed | None:
        """The bed playing under the clips, if any."""
        return self._ambient

    def set_gain(self, group: str, gain: float) -> None:
        """Set a group's gain (one of :data:`GROUPS`); 0 mutes it."""
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
        bed = self._ambient
        if bed is not None and self._np is not None and frames <= _MAX_BLOCK:
            self._fill_with_bed(out, frames, start, count, bed)
            return count
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
        self._add_clips(acc, active)
        np.rint(acc, out=acc)  # round, not truncate: truncation would bias quiet passages
        np.clip(acc, -32768.0, 32767.0, out=acc)
        np.copyto(np.frombuffer(out, dtype=np.int16, count=frames), acc, casting="unsafe")

    def _add_clips(self, acc: Any, active: list[_Span]) -> None:
        np = self._np
        assert np is not None
        for out_from, clip_from, span, ref, gain in active:
            source = self._arrays.get(ref)
            if source is None:
                continue
            tmp = self._tmp[:span]
            np.multiply(source[clip_from : clip_from + span], gain, out=tmp, casting="unsafe")
            acc[out_from : out_from + span] += tmp

    def _fill_with_bed(
        self, out: memoryview, frames: int, start: int, count: int, bed: AmbientBed
    ) -> None:
        """The clips and the bed, in float: a pause's first block fades the bed out (10 ms),
        a skip crossfades it, and the bed is silent past the session's end."""
        np = self._np
        assert np is not None
        gain = self._gain["master"] * self._gain["ambient"]
        active = self._active(start, count) if count else []
        if count and not active:
            # Nothing but the bed in this block (most blocks): its bytes, rounded ahead.
            pcm = bed.pcm_block(start, count, gain)
            if pcm is not None:
                out[: count * 2] = pcm
                if count < frames:
                    out[count * 2 : frames * 2] = self._zeros[: (frames - count) * 2]
                return
        acc = self._acc[:frames]
        acc.fill(0.0)
        if count == 0:
            bed.release(acc, frames, gain)
        else:
            self._add_clips(acc, active)
            bed.fill(acc[:count], start, count, gain)
        if active or gain > 1.0:
            # (A bed alone at gain 1 peaks near -16 dBFS: far under the knee.)
            self._soft_knee(acc, frames)
        # No clip needed: under the knee the block is under full scale, and the knee's output
        # stays under it.
        np.rint(acc, out=acc)
        np.copyto(np.frombuffer(out, dtype=np.int16, count=frames), acc, casting="unsafe")

    def _soft_knee(self, acc: Any, frames: int) -> None:
        """Round off samples above :data:`KNEE` towards full scale (tanh), in place; a block
        whose peak is under the knee is left exactly as it is."""
        np = self._np
        assert np is not None
        tmp = self._tmp[:frames]
        np.abs(acc, out=tmp)
        if frames == 0 or float(tmp.max()) <= KNEE:
            return
        span = _CEILING - KNEE
        # |y| = min(|x|, knee) + span·tanh(max(0, |x| - knee) / span), with the sign of x.
        np.subtract(tmp, KNEE, out=tmp)
        np.maximum(tmp, 0.0, out=tmp)
        np.multiply(tmp, 1.0 / span, out=tmp)
        np.tanh(tmp, out=tmp)
        np.multiply(tmp, span, out=tmp)
        np.clip(acc, -KNEE, KNEE, out=acc)
        np.copysign(tmp, acc, out=tmp)
        np.add(acc, tmp, out=acc)


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
            groups.append(GROUP_OF.get(cue.kind, "master"))
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
