"""The mixer, driven by a virtual frame clock: every clip lands at its exact onset frame."""

from __future__ import annotations

import random

import numpy as np
import pytest

from assistant.core.compiler import (
    CompileOptions,
    compile_timeline,
    sound_ref,
    speech_ref,
    spoken_texts,
)
from assistant.core.model import ClipKind, ClipRef, EventKind, Timeline
from assistant.sound.mixer import Mixer, render_offline
from tests.helpers import RATE, script_from

SCRIPT = """
[[step]]
say = "Hello there."
pause = 0.25
[[step]]
chime = "bell"
[[step]]
breathe = "Sigh"
inhale = 0.5
top_up = 0.25
hold = 0.1
exhale = 0.75
hold_after_exhale = 0.2
cycles = 3
words = { inhale = "in", exhale = "out" }
[[step]]
say = "Bye."
"""


def make_clips(timeline_refs: set[ClipRef]) -> dict[ClipRef, bytes]:
    """Deterministic clips: a ramp per clip so misplacement by even one frame shows."""
    rng = np.random.default_rng(7)
    clips = {}
    for ref in sorted(timeline_refs, key=lambda r: (r.kind, r.key)):
        length = int(rng.integers(RATE // 10, RATE // 2))
        samples = rng.integers(-8000, 8000, size=length, dtype=np.int16)
        samples[0] = 1234  # the first sample is audible, as trimmed clips are
        clips[ref] = samples.tobytes()
    return clips


@pytest.fixture
def session() -> tuple[Timeline, dict[ClipRef, bytes]]:
    script = script_from(SCRIPT)
    refs = {speech_ref(t) for t in spoken_texts(script)} | {
        sound_ref(n) for n in ("bell", "inhale", "exhale", "hold", "top_up")
    }
    clips = make_clips(refs)
    timeline = compile_timeline(script, lambda ref: len(clips[ref]) // 2, CompileOptions())
    return timeline, clips


def expected_mix(
    timeline: Timeline, clips: dict[ClipRef, bytes], gains: dict[str, float] | None = None
) -> np.ndarray:
    """Built independently of the mixer: each clip added at its event frame."""
    gains = gains or {}
    out = np.zeros(timeline.total_frames + RATE, dtype=np.float64)
    for cue in timeline.cues():
        assert cue.clip is not None
        data = np.frombuffer(clips[cue.clip], dtype=np.int16).astype(np.float64)
        group = {EventKind.SAY: "voice", EventKind.WORD: "voice", EventKind.TONE: "tones"}.get(
            cue.kind, "master"
        )
        gain = gains.get("master", 1.0) * (gains.get(group, 1.0) if group != "master" else 1.0)
        out[cue.frame : cue.frame + len(data)] += data * np.float32(gain)
    out = out[: timeline.total_frames]
    return np.clip(out, -32768, 32767).astype(np.int16)


def drive(mixer: Mixer, sizes: list[int] | None = None, seed: int = 0) -> np.ndarray:
    """Pull blocks like a sound card would, with varying block sizes."""
    rng = random.Random(seed)
    chunks = []
    while not mixer.transport.at_end:
        frames = rng.choice(sizes or [1, 7, 64, 441, 512, 1024, 4096])
        buf = bytearray(frames * 2)
        played = mixer.fill(memoryview(buf), frames)
        chunks.append(np.frombuffer(bytes(buf), dtype=np.int16)[:played])
    return np.concatenate(chunks)


@pytest.mark.parametrize("vectorised", [False, True])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_clip_starts_at_its_exact_frame(session, vectorised: bool, seed: int) -> None:  # type: ignore[no-untyped-def]
    timeline, clips = session
    mixer = Mixer(timeline, clips)
    if vectorised:
        mixer.enable_numpy(np)
    got = drive(mixer, seed=seed)
    want = expected_mix(timeline, clips)
    assert len(got) == timeline.total_frames
    np.testing.assert_array_equal(got, want)
    for cue in timeline.cues():  # and, spelled out: the first sample of every cue is in place
        assert cue.clip is not None
        first = np.frombuffer(clips[cue.clip], dtype=np.int16)[0]
        if cue.kind is EventKind.SAY:  # nothing else overlaps narration onsets here
            assert got[cue.frame] == first
            assert got[cue.frame - 1] == want[cue.frame - 1]


def test_bytes_and_numpy_paths_agree_with_gains(session) -> None:  # type: ignore[no-untyped-def]
    timeline, clips = session
    outputs = []
    for vectorised in (False, True):
        mixer = Mixer(timeline, clips)
        mixer.set_gain("master", 0.5)
        mixer.set_gain("tones", 0.0)
        if vectorised:
            mixer.enable_numpy(np)
        outputs.append(drive(mixer, sizes=[1024]))
    want = expected_mix(timeline, clips, {"master": 0.5, "tones": 0.0})
    np.testing.assert_allclose(outputs[0], want, atol=1)
    np.testing.assert_allclose(outputs[1], want, atol=1)


def test_pause_freezes_the_clock_and_resume_continues(session) -> None:  # type: ignore[no-untyped-def]
    timeline, clips = session
    mixer = Mixer(timeline, clips)
    mixer.enable_numpy(np)
    played = []
    buf = bytearray(512 * 2)
    for block in range(1000):
        if block == 20:
            mixer.transport.paused = True
        if block == 30:
            mixer.transport.paused = False
        frame_before = mixer.transport.frame
        count = mixer.fill(memoryview(buf), 512)
        if mixer.transport.paused:
            assert count == 0
            assert mixer.transport.frame == frame_before
            assert bytes(buf) == bytes(len(buf))  # silence while paused
        played.append(np.frombuffer(bytes(buf), dtype=np.int16)[:count])
        if mixer.transport.at_end:
            break
    np.testing.assert_array_equal(np.concatenate(played), expected_mix(timeline, clips))


def test_skip_jumps_to_the_next_step_boundary(session) -> None:  # type: ignore[no-untyped-def]
    timeline, clips = session
    mixer = Mixer(timeline, clips)
    buf = bytearray(256 * 2)
    mixer.fill(memoryview(buf), 256)
    mixer.transport.request_skip()
    mixer.fill(memoryview(buf), 256)
    assert mixer.transport.frame == timeline.steps[1].start + 256
    bell = np.frombuffer(clips[sound_ref("bell")], dtype=np.int16)
    np.testing.assert_array_equal(np.frombuffer(bytes(buf), dtype=np.int16), bell[:256])


def test_missing_clip_is_silent_and_counted(session) -> None:  # type: ignore[no-untyped-def]
    timeline, clips = session
    partial = {ref: pcm for ref, pcm in clips.items() if ref.kind is ClipKind.SOUND}
    mixer = Mixer(timeline, partial)
    out = drive(mixer, sizes=[1024])
    assert len(out) == timeline.total_frames
    assert not out[: timeline.steps[1].start].any()  # the unrendered greeting is silence
    assert mixer.missing >= 1


def test_offline_render_equals_the_mix(session) -> None:  # type: ignore[no-untyped-def]
    timeline, clips = session
    mixer = Mixer(timeline, clips)
    mixer.enable_numpy(np)
    pcm = np.frombuffer(render_offline(mixer), dtype=np.int16)
    np.testing.assert_array_equal(pcm, expected_mix(timeline, clips))


def test_replace_timeline_keeps_what_was_played(session) -> None:  # type: ignore[no-untyped-def]
    timeline, clips = session
    cut = timeline.steps[1].start
    from dataclasses import replace

    prefix = replace(
        timeline,
        total_frames=cut,
        events=tuple(e for e in timeline.events if e.frame < cut and e.step < 1),
        steps=timeline.steps[:1],
    )
    mixer = Mixer(prefix, clips)
    mixer.transport.provisional = True
    buf = bytearray(1000 * 2)
    chunks = []
    for _ in range(200):  # runs past the prefix: the clock waits there instead of finishing
        count = mixer.fill(memoryview(buf), 1000)
        chunks.append(np.frombuffer(bytes(buf), dtype=np.int16)[:count])
    assert mixer.transport.frame == cut
    assert not mixer.transport.finishing
    mixer.replace_timeline(timeline)
    chunks.append(drive(mixer, sizes=[333]))
    np.testing.assert_array_equal(np.concatenate(chunks), expected_mix(timeline, clips))


@pytest.mark.parametrize("gain", [0.0, 0.001, 0.25, 0.5, 0.8, 0.9999, 0.99999])
def test_scaled_without_numpy_is_within_a_step_of_the_exact_product(gain: float) -> None:
    from assistant.sound.mixer import scaled

    rng = np.random.default_rng(3)
    samples = np.concatenate(
        [np.array([-32768, 32767, 0, -1, 1], dtype=np.int16), rng.integers(-32768, 32768, 4000)]
    ).astype(np.int16)
    got = np.frombuffer(scaled(samples.tobytes(), gain), dtype=np.int16).astype(int)
    exact = np.rint(samples.astype(float) * gain).astype(int)
    assert len(got) == len(samples)
    assert np.abs(got - exact).max() <= 1
    assert scaled(b"", gain) == b""
