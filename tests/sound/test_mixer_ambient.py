"""The ambient bed in the mixer: added under the clips sample for sample, paused and skipped
without a click, its own gain, a soft knee instead of clipping, and nothing changed without it."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from assistant.core.compiler import CompileOptions, compile_timeline, sound_ref
from assistant.core.library import shipped_script
from assistant.core.model import ClipKind, ClipRef, Event, EventKind, StepSpan, Timeline
from assistant.sound.ambient import AmbientBed
from assistant.sound.mixer import KNEE, Mixer, render_offline
from assistant.sound.palette import sound_pcm
from tests.helpers import RATE

BLOCK = 2048


def tones_session(minutes: float = 1.0) -> tuple[Timeline, dict[ClipRef, bytes]]:
    """Resonance with its tones and bell, the voice off (speech keeps its rhythm as silence)."""
    script = shipped_script("resonance")
    clips = {sound_ref(n): sound_pcm(n) for n in ("bell", "inhale", "exhale", "hold", "top_up")}

    def length(ref: ClipRef) -> int:
        return len(clips[ref]) // 2 if ref.kind is ClipKind.SOUND else 2 * RATE

    timeline = compile_timeline(script, length, CompileOptions(minutes=minutes, voice=False))
    return timeline, clips


def mixed(timeline: Timeline, clips: dict[ClipRef, bytes], bed: AmbientBed | None) -> np.ndarray:
    mixer = Mixer(timeline, clips)
    mixer.enable_numpy(np)
    mixer.set_ambient(bed)
    return np.frombuffer(render_offline(mixer, BLOCK), dtype=np.int16).astype(np.float64)


def test_the_bed_is_added_under_the_clips_sample_for_sample() -> None:
    timeline, clips = tones_session()
    without = mixed(timeline, clips, None)
    with_bed = mixed(timeline, clips, AmbientBed("waves", timeline))
    alone = AmbientBed("waves", timeline).render_all().astype(np.float64)
    assert np.abs(with_bed - (without + alone)).max() <= 1.0  # rounding once, not twice
    assert np.sqrt(np.mean((with_bed - without) ** 2)) > 100  # the bed is really there


def test_without_a_bed_the_mix_is_what_it_always_was() -> None:
    timeline, clips = tones_session()
    plain = Mixer(timeline, clips)
    plain.enable_numpy(np)
    before = render_offline(plain, BLOCK)
    cleared = Mixer(timeline, clips)
    cleared.enable_numpy(np)
    cleared.set_ambient(AmbientBed("rain", timeline))
    cleared.set_ambient(None)  # chosen, then turned off again: nothing of it is left
    assert render_offline(cleared, BLOCK) == before


def test_the_ambient_gain_scales_the_bed_and_the_master_scales_both() -> None:
    timeline, clips = tones_session(0.5)
    silent = {ref: bytes(len(pcm)) for ref, pcm in clips.items()}
    full = mixed(timeline, silent, AmbientBed("brown", timeline))
    mixer = Mixer(timeline, silent)
    mixer.enable_numpy(np)
    mixer.set_ambient(AmbientBed("brown", timeline))
    mixer.set_gain("ambient", 0.5)
    mixer.set_gain("master", 0.5)
    quarter = np.frombuffer(render_offline(mixer, BLOCK), dtype=np.int16).astype(np.float64)
    assert np.abs(quarter - full * 0.25).max() <= 1.0


def test_the_bell_group_follows_its_own_gain_and_the_tones_theirs() -> None:
    timeline, clips = tones_session(0.5)
    mixer = Mixer(timeline, clips)
    mixer.enable_numpy(np)
    mixer.set_gain("tones", 0.0)
    out = np.frombuffer(render_offline(mixer, BLOCK), dtype=np.int16)
    bells = [e for e in timeline.cues() if e.kind is EventKind.CHIME]
    tones = [e for e in timeline.cues() if e.kind is EventKind.TONE]
    assert bells and tones
    assert all(np.abs(out[e.frame : e.frame + 4800]).max() > 500 for e in bells)
    assert all(np.abs(out[e.frame : e.frame + 4800]).max() == 0 for e in tones)


def pull(mixer: Mixer, blocks: int, block: int = BLOCK) -> np.ndarray:
    out = bytearray(block * 2)
    chunks = []
    for _ in range(blocks):
        mixer.fill(memoryview(out), block)
        chunks.append(np.frombuffer(bytes(out), dtype=np.int16).astype(np.float64))
    return np.concatenate(chunks)


def test_a_pause_fades_the_bed_out_and_the_resume_back_in_without_a_click() -> None:
    timeline, _ = tones_session()
    mixer = Mixer(timeline, {})
    mixer.enable_numpy(np)
    mixer.set_ambient(AmbientBed("brown", timeline))
    playing = pull(mixer, 100)  # past the fade-in
    mixer.transport.paused = True
    paused = pull(mixer, 10)
    mixer.transport.paused = False
    resumed = pull(mixer, 10)
    own_step = np.abs(np.diff(playing[-50 * BLOCK :])).max()
    joined = np.concatenate([playing[-BLOCK:], paused, resumed])
    assert np.abs(np.diff(joined)).max() <= own_step * 1.5
    assert np.abs(paused[480:]).max() == 0  # silent after its 10 ms fade
    assert np.abs(resumed[BLOCK:]).mean() > 10 * np.abs(paused[480:]).mean() + 50


def test_a_skip_crossfades_the_bed() -> None:
    timeline, _ = tones_session()
    mixer = Mixer(timeline, {})
    mixer.enable_numpy(np)
    mixer.set_ambient(AmbientBed("rain", timeline))
    before = pull(mixer, 100)
    mixer.transport.request_skip()
    after = pull(mixer, 5)
    assert mixer.transport.frame > 105 * BLOCK  # it did jump
    own_step = np.abs(np.diff(before[-50 * BLOCK :])).max()
    assert np.abs(np.diff(np.concatenate([before[-BLOCK:], after]))).max() <= own_step * 1.5


def test_a_cold_cache_prefix_keeps_the_bed_playing_until_the_whole_timeline_comes() -> None:
    timeline, clips = tones_session()
    cut = timeline.steps[1].end
    prefix = Timeline(
        timeline.script_id,
        timeline.title,
        RATE,
        cut,
        tuple(e for e in timeline.events if e.frame < cut),
        timeline.steps[:2],
    )
    mixer = Mixer(prefix, clips)
    mixer.transport.provisional = True
    mixer.enable_numpy(np)
    mixer.set_ambient(AmbientBed("brown", prefix))
    bed = mixer.ambient
    assert bed is not None and bed.end is None  # no fade-out at the prefix's end
    mixer.replace_timeline(timeline)
    assert bed.end == timeline.total_frames  # the whole session's end fades it


def test_a_timer_stopped_early_fades_the_bed_out_under_the_end_bell() -> None:
    from assistant.core.timer import TimerOptions, close_open, timer_timeline

    bell = sound_pcm("bell")
    frames = len(bell) // 2
    open_timeline = timer_timeline(TimerOptions(open=True), frames)
    mixer = Mixer(open_timeline, {sound_ref("bell"): bell})
    mixer.enable_numpy(np)
    mixer.set_ambient(AmbientBed("waves", open_timeline, open_ended=True), open_ended=True)
    playing = pull(mixer, 200)
    at = mixer.transport.frame + 2 * BLOCK
    closed = close_open(open_timeline, at, frames)
    mixer.replace_timeline(closed, open_ended=True)
    assert mixer.ambient is not None
    mixer.ambient.set_end(closed.total_frames, fade_from=at)
    rest = pull(mixer, (closed.total_frames - mixer.transport.frame) // BLOCK + 3)
    assert mixer.transport.finishing
    whole = np.concatenate([playing, rest])
    assert np.abs(np.diff(whole[-len(rest) - BLOCK :])).max() < 3000  # no jump at the stop
    end = closed.total_frames
    assert np.abs(whole[end:]).max() == 0
    bell_at = next(e.frame for e in closed.events if e.kind is EventKind.CHIME and e.frame >= at)
    assert bell_at == at


def loud_timeline(frames: int) -> tuple[Timeline, dict[ClipRef, bytes]]:
    """Two loud clips on top of each other: a voice peak meeting a bell, 1.1× full scale."""
    a, b = ClipRef(ClipKind.SOUND, "a"), ClipRef(ClipKind.SOUND, "b")
    t = np.arange(frames) / RATE
    tone = (np.sin(2 * np.pi * 220 * t) * 18_000).astype(np.int16).tobytes()
    events = (
        Event(0, EventKind.SAY, "a", frames, step=0, clip=a),
        Event(0, EventKind.CHIME, "b", frames, step=0, clip=b),
    )
    timeline = Timeline("loud", "Loud", RATE, frames, events, (StepSpan(0, 0, frames, "say", ""),))
    return timeline, {a: tone, b: tone}


def test_with_a_bed_peaks_are_rounded_off_not_clipped() -> None:
    timeline, clips = loud_timeline(RATE)
    with_bed = mixed(timeline, clips, AmbientBed("brown", timeline))
    without = mixed(timeline, clips, None)
    assert np.sum(np.abs(without) >= 32767) > 1000  # without a bed: hard clipping, as ever
    assert np.abs(with_bed).max() < 32767  # with one: under full scale, never flat-topped
    assert np.abs(with_bed).max() > KNEE  # (the knee was reached)
    # Rounded off smoothly: no sample-to-sample step larger than the sine's own steepest.
    assert np.abs(np.diff(with_bed)).max() <= 2 * np.pi * 220 * 36_000 / RATE + 200


def test_the_knee_leaves_every_block_under_it_exactly_as_it_was() -> None:
    timeline, clips = tones_session()
    bed = AmbientBed("waves", timeline)
    mixer = Mixer(timeline, clips)
    mixer.enable_numpy(np)
    mixer.set_ambient(bed)
    out = np.frombuffer(render_offline(mixer, BLOCK), dtype=np.int16).astype(np.float64)
    assert np.abs(out).max() < KNEE  # a real session never reaches the knee
    plain = mixed(timeline, clips, None) + AmbientBed("waves", timeline).render_all()
    assert np.abs(out - np.rint(plain)).max() <= 1.0


@pytest.mark.parametrize("name", ["waves", "rain", "brown"])
def test_mixing_with_a_bed_allocates_no_arrays(name: str) -> None:
    timeline, clips = tones_session()
    mixer = Mixer(timeline, clips)
    mixer.enable_numpy(np)
    mixer.set_ambient(AmbientBed(name, timeline))
    out = bytearray(BLOCK * 2)
    view = memoryview(out)
    for _ in range(20):  # warm: the first blocks may cache lookups
        mixer.fill(view, BLOCK)
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for _ in range(200):
            mixer.fill(view, BLOCK)
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    grown = sum(s.size_diff for s in after.compare_to(before, "filename") if s.size_diff > 0)
    assert grown < 16 * 1024  # no block-sized buffers (4 KiB+) made per block


def test_the_bed_waits_for_numpy() -> None:
    timeline, clips = tones_session(0.5)
    mixer = Mixer(timeline, clips)
    plain = Mixer(timeline, clips)
    mixer.set_ambient(AmbientBed("brown", timeline))  # numpy not enabled: the bytes path
    assert not mixer.vectorised
    assert render_offline(mixer, BLOCK) == render_offline(plain, BLOCK)


@pytest.mark.parametrize("gain", [1.0, 0.37])
def test_a_block_of_bed_alone_is_the_same_bytes_as_mixing_it(gain: float) -> None:
    """The fast path (bytes rounded ahead) and the mixing path give the very same samples,
    and a block that does not carry on from the last one is left to the mixing path."""
    timeline, _ = tones_session()
    fast, slow = AmbientBed("waves", timeline), AmbientBed("waves", timeline)
    acc = np.zeros(BLOCK, dtype=np.float32)
    for k in range(40):  # across several stretches rendered ahead (8 blocks each)
        start = 5 * RATE + k * BLOCK
        pcm = fast.pcm_block(start, BLOCK, gain)
        assert pcm is not None
        acc.fill(0.0)
        slow.fill(acc, start, BLOCK, gain)
        want = np.rint(acc).astype(np.int16)
        assert np.array_equal(np.frombuffer(pcm, dtype=np.int16), want)
    assert fast.pcm_block(10 * RATE, BLOCK, gain) is None  # a jump: cross-faded by fill
    assert fast.pcm_block(5 * RATE + 40 * BLOCK, BLOCK, 0.0) is None  # muted
