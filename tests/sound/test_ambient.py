"""Ambient beds made in code: seamless, faded, under the voice, breathing with the timeline,
deterministic, small, and cheap on the audio thread."""

from __future__ import annotations

import math
import tracemalloc

import numpy as np
import numpy.typing as npt
import pytest

from assistant.core.compiler import CompileOptions, compile_timeline
from assistant.core.library import shipped_script
from assistant.core.model import EventKind, PhaseKind, Timeline
from assistant.core.timer import TimerOptions, timer_timeline
from assistant.sound.ambient import (
    AMBIENT_LEVEL_DBFS,
    DECLICK_FRAMES,
    LOOP_A,
    LOOP_B,
    LOOP_C,
    STEADY,
    TOP_UP_FROM,
    AmbientBed,
    make_bed,
    swell_points,
)
from tests.helpers import RATE, fixed_lengths, script_from

BEDS = ("waves", "rain", "brown")
FULL_SCALE = 32768.0
Floats = npt.NDArray[np.float64]


def resonance(minutes: float = 2.0) -> Timeline:
    """``ground render resonance --minutes M`` with the voice off (speech keeps its rhythm)."""
    script = shipped_script("resonance")
    return compile_timeline(
        script, fixed_lengths(2.0, 2.5), CompileOptions(minutes=minutes, voice=False)
    )


def quiet(seconds: float) -> Timeline:
    """A timeline with no breathing: a plain stretch of ``seconds``."""
    return compile_timeline(script_from(f"[[step]]\npause = {seconds}\n"), fixed_lengths())


def db(x: Floats) -> float:
    return 10.0 * math.log10(float(np.mean(np.square(x, dtype=np.float64))) + 1e-30)


def render(bed: AmbientBed, total: int | None = None, block: int = 4096) -> Floats:
    return bed.render_all(total, block).astype(np.float64) / FULL_SCALE


@pytest.fixture(scope="module")
def waves_2min() -> tuple[Timeline, Floats]:
    timeline = resonance(2.0)
    return timeline, render(AmbientBed("waves", timeline))


# -- the "done when", on a render of resonance ---------------------------------------------


def breath_ramp(timeline: Timeline, hop: int) -> Floats:
    """0→1 over each in-breath, 1 through the hold, 1→0 over each out-breath, 0 through the
    rest after it (NaN outside breathing): the reference the swell is compared with."""
    count = timeline.total_frames // hop
    ramp = np.full(count, np.nan)
    for event in timeline.events:
        if event.kind is not EventKind.PHASE:
            continue
        for i in range(event.frame // hop, min(count, (event.frame + event.duration) // hop)):
            x = (i * hop + hop / 2 - event.frame) / event.duration
            ramp[i] = {
                PhaseKind.INHALE: x,
                PhaseKind.TOP_UP: 1.0,
                PhaseKind.HOLD: 1.0,
                PhaseKind.EXHALE: 1.0 - x,
                PhaseKind.HOLD_AFTER_EXHALE: 0.0,
            }[event.phase]  # type: ignore[index]
    return ramp


def rms_envelope_db(x: Floats, hop: int) -> Floats:
    frames = x[: x.size // hop * hop].reshape(-1, hop)
    envelope: Floats = 10.0 * np.log10(np.mean(frames**2, axis=1) + 1e-30)
    return envelope


def test_waves_are_audible_all_the_way(waves_2min: tuple[Timeline, Floats]) -> None:
    _, x = waves_2min
    window, edge = 2 * RATE, 4 * RATE
    levels = [db(x[i : i + window]) for i in range(edge, x.size - edge - window + 1, RATE // 10)]
    assert len(levels) > 1000
    assert min(levels) > -60.0
    assert min(levels) > -45.0  # and not merely above the floor: a quiet sea, never silence


def test_waves_loudness_follows_the_breath(waves_2min: tuple[Timeline, Floats]) -> None:
    timeline, x = waves_2min
    hop = RATE // 4
    envelope = rms_envelope_db(x, hop)
    ramp = breath_ramp(timeline, hop)
    breathing = ~np.isnan(ramp)
    assert breathing.sum() > 300  # most of the two minutes is breathing
    r = float(np.corrcoef(envelope[breathing], ramp[breathing])[0, 1])
    assert r >= 0.6  # the bar (measured here: 0.95)
    # It follows this breath, not just any slow rhythm: half a breath later, it is opposed.
    cycle = round(11.0 * RATE / hop)  # resonance: 5.5 s in, 5.5 s out
    shifted = np.roll(ramp, cycle // 2)
    both = breathing & ~np.isnan(shifted)
    assert float(np.corrcoef(envelope[both], shifted[both])[0, 1]) < -0.5


def test_the_swell_spans_a_clear_but_calm_range(waves_2min: tuple[Timeline, Floats]) -> None:
    timeline, x = waves_2min
    hop = RATE // 4
    envelope = rms_envelope_db(x, hop)
    ramp = breath_ramp(timeline, hop)
    crest = np.median(envelope[ramp > 0.95])
    trough = np.median(envelope[ramp < 0.05])
    assert crest == pytest.approx(AMBIENT_LEVEL_DBFS, abs=1.5)
    assert 6.0 <= crest - trough <= 15.0


# -- levels and the voice --------------------------------------------------------------------------


@pytest.mark.parametrize("name", BEDS)
def test_every_bed_sits_well_under_the_voice(name: str) -> None:
    """The voice is normalised to -20 dBFS: the loudest 2 s of any bed is 9 dB or more under it,
    and a voice peak (-3 dBFS) on top of the bed's loudest sample stays under full scale."""
    from assistant.speech.clips import PEAK_CEILING_DBFS, TARGET_RMS_DBFS

    x = render(AmbientBed(name, resonance(2.0)))
    loudest = max(db(x[i : i + 2 * RATE]) for i in range(0, x.size - 2 * RATE, RATE // 2))
    assert loudest <= TARGET_RMS_DBFS - 9.0
    peak = float(np.abs(x).max())
    assert peak <= 10 ** (-15.0 / 20)
    assert peak + 10 ** (PEAK_CEILING_DBFS / 20) < 0.9


@pytest.mark.parametrize("name", ("rain", "brown"))
def test_steady_beds_play_at_their_level(name: str) -> None:
    x = render(AmbientBed(name, quiet(30)))
    assert db(x[5 * RATE : 25 * RATE]) == pytest.approx(AMBIENT_LEVEL_DBFS, abs=0.5)


def test_the_level_can_be_set() -> None:
    x = render(AmbientBed("brown", quiet(20), level_dbfs=-40.0))
    assert db(x[5 * RATE : 15 * RATE]) == pytest.approx(-40.0, abs=0.5)


# -- seamless, faded, never harsh ------------------------------------------------------------------


def second_difference(x: Floats) -> Floats:
    return x[2:] - 2.0 * x[1:-1] + x[:-2]


@pytest.mark.parametrize("name", BEDS)
def test_no_click_where_a_loop_starts_over(name: str) -> None:
    """At every frame where a loop wraps, the signal's curvature is no larger than anywhere.

    A seam (a jump between a loop's last and first sample) shows as a spike in the second
    difference many times its usual size.
    """
    seconds = 40  # every loop wraps several times
    x = render(AmbientBed(name, quiet(seconds)))
    d2 = np.abs(second_difference(x))
    middle = d2[4 * RATE : -4 * RATE]
    typical = float(np.sqrt(np.mean(middle**2)))
    largest = float(middle.max())
    wraps = [
        k * length
        for length in (LOOP_A, LOOP_B, LOOP_C)
        for k in range(1, seconds * RATE // length + 1)
        if 4 * RATE < k * length < (seconds - 4) * RATE
    ]
    assert len(wraps) >= 10
    for frame in wraps:
        around = d2[frame - 4 : frame + 3]  # d2[i] is centred on sample i + 1
        assert float(around.max()) <= max(8.0 * typical, largest * 0.999), (name, frame)


@pytest.mark.parametrize("name", BEDS)
def test_a_looped_buffer_runs_into_its_own_start_as_into_any_next_sample(name: str) -> None:
    bed = AmbientBed(name, quiet(10))
    for layer in bed._layers:
        for loop in layer.loops:
            steps = np.abs(np.diff(loop.astype(np.float64)))
            seam = abs(float(loop[0]) - float(loop[-1]))
            assert seam <= np.percentile(steps, 99.9), name


@pytest.mark.parametrize("name", BEDS)
def test_faded_in_and_out(name: str) -> None:
    timeline = quiet(30)
    x = render(AmbientBed(name, timeline))
    steady = db(x[10 * RATE : 20 * RATE])
    assert abs(x[0]) < 1e-6
    assert db(x[: RATE // 10]) < steady - 25.0
    assert db(x[-RATE // 10 :]) < steady - 25.0
    assert abs(x[-1]) < 1e-4
    # The fade rises without a step: each quarter second louder than the one before.
    quarters = [db(x[i : i + RATE // 4]) for i in range(0, 2 * RATE, RATE // 4)]
    assert quarters == sorted(quarters)


@pytest.mark.parametrize("name", BEDS)
def test_nothing_harsh(name: str) -> None:
    """Low-passed: little energy up high, a dark centroid, no drop much louder than the bed."""
    x = render(AmbientBed(name, quiet(30)))[5 * RATE : 25 * RATE]
    spectrum = np.abs(np.fft.rfft(x)) ** 2
    freqs = np.fft.rfftfreq(x.size, d=1.0 / RATE)
    centroid = float((spectrum * freqs).sum() / spectrum.sum())
    assert centroid < {"waves": 700.0, "rain": 2000.0, "brown": 300.0}[name]
    above_6k = float(spectrum[freqs > 6000].sum() / spectrum.sum())
    assert above_6k < 10 ** (-30 / 10)
    if name == "rain":  # its drops are the only short sounds: soft ones
        short = rms_envelope_db(x, RATE // 200)  # 5 ms
        assert float(short.max() - np.median(short)) < 9.0


def test_rain_has_drops_on_its_bed() -> None:
    """Soft drops: short bumps a few dB over the bed, a few a second."""
    x = render(AmbientBed("rain", quiet(30)))[5 * RATE : 25 * RATE]
    short = rms_envelope_db(x, RATE // 200)
    bumps = short > np.median(short) + 4.0
    onsets = int(np.sum(bumps[1:] & ~bumps[:-1]))
    assert 8 <= onsets <= 150  # over 20 s


# -- deterministic ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", BEDS)
def test_renders_are_the_same_bytes_every_time(name: str) -> None:
    timeline = resonance(1.0)
    first = AmbientBed(name, timeline).render_all().tobytes()
    again = AmbientBed(name, timeline).render_all().tobytes()
    assert first == again
    other = AmbientBed(name, timeline, seed=23).render_all().tobytes()
    assert other != first


@pytest.mark.parametrize("name", BEDS)
def test_the_block_size_does_not_change_the_sound(name: str) -> None:
    """A live session asks for blocks of whatever size the device wants: same sound."""
    timeline = resonance(1.0)
    a = AmbientBed(name, timeline).render_all(block=4096)
    b = AmbientBed(name, timeline).render_all(block=997)
    assert np.max(np.abs(a - b)) < 0.01  # int16 units: float rounding only


# -- the swell's shape -----------------------------------------------------------------------------

BOX = """
[[step]]
pause = 10
[[step]]
breathe = "Box"
inhale = 4
hold = 4
exhale = 4
hold_after_exhale = 4
cycles = 2
[[step]]
pause = 1
[[step]]
breathe = "Sigh"
inhale = 2
top_up = 1
exhale = 5
cycles = 1
[[step]]
pause = 10
"""


def test_the_swell_rises_holds_falls_and_rests_with_each_phase() -> None:
    timeline = compile_timeline(script_from(BOX), fixed_lengths())
    bed = AmbientBed("waves", timeline)
    phases = [e for e in timeline.events if e.kind is EventKind.PHASE]
    for event in phases:
        start, end = event.frame, event.frame + event.duration
        middle = (start + end) // 2
        at = bed.swell_at
        if event.phase is PhaseKind.INHALE:
            top = TOP_UP_FROM if event.step == 3 else 1.0
            assert at(start) == pytest.approx(0.0, abs=1e-9)
            assert at(end) == pytest.approx(top)
            assert 0.0 < at(middle) < top
        elif event.phase is PhaseKind.TOP_UP:
            assert (at(start), at(end)) == pytest.approx((TOP_UP_FROM, 1.0))
        elif event.phase is PhaseKind.HOLD:
            assert at(start) == at(middle) == at(end - 1) == pytest.approx(1.0)
        elif event.phase is PhaseKind.EXHALE:
            assert (at(start), at(end)) == pytest.approx((1.0, 0.0), abs=1e-9)
            assert at(start + 1000) > at(middle) > at(end - 1000)
        else:
            assert at(start) == at(middle) == at(end - 1) == pytest.approx(0.0, abs=1e-9)
    # Outside breathing it rests at the steady level, and glides there without a jump.
    assert bed.swell_at(RATE) == STEADY
    assert bed.swell_at(timeline.total_frames - RATE) == STEADY
    frames, values = swell_points(timeline)
    assert list(frames) == sorted(set(frames))
    steps = np.abs(np.diff(np.array(values))) / np.maximum(np.diff(np.array(frames)), 1)
    assert float(steps.max()) * RATE < 1.0  # never faster than the whole range in one second


def test_without_breathing_the_swell_is_steady() -> None:
    bed = AmbientBed("waves", quiet(20))
    assert {bed.swell_at(f) for f in range(0, 20 * RATE, RATE)} == {STEADY}
    assert len(swell_points(quiet(20))[0]) == 0


def test_a_new_compile_is_followed() -> None:
    short, full = resonance(1.0), resonance(2.0)
    bed = AmbientBed("waves", short)
    assert bed.end == short.total_frames
    bed.replace_timeline(full)
    assert bed.end == full.total_frames
    later = [e for e in full.events if e.kind is EventKind.PHASE][-1]
    assert later.frame > short.total_frames
    assert bed.swell_at(later.frame) == pytest.approx(1.0)
    assert bed.swell_at(later.frame + later.duration) == pytest.approx(0.0, abs=1e-9)


# -- skip, pause, open-ended -----------------------------------------------------------------------


@pytest.mark.parametrize("name", BEDS)
def test_a_skip_crossfades_instead_of_clicking(name: str) -> None:
    bed = AmbientBed(name, quiet(60))
    out = np.zeros(4096 * 2, dtype=np.float32)
    bed.fill(out[:4096], 10 * RATE, 4096)
    bed.fill(out[4096:], 40 * RATE, 4096)  # jumped 30 s on
    x = out.astype(np.float64)
    steady = AmbientBed(name, quiet(60))
    ref = render(steady, 12 * RATE)[10 * RATE : 12 * RATE] * FULL_SCALE
    # A jump shows as a spike in the second difference, many times its usual size.
    usual = float(np.sqrt(np.mean(second_difference(ref) ** 2)))
    assert float(np.abs(second_difference(x[4000:4200])).max()) <= 8.0 * usual
    assert np.allclose(
        x[4096 + DECLICK_FRAMES :],
        render(bed, None)[40 * RATE + DECLICK_FRAMES : 40 * RATE + 4096] * FULL_SCALE,
        atol=0.01,
    )


@pytest.mark.parametrize("name", BEDS)
def test_a_pause_fades_out_and_the_resume_fades_in(name: str) -> None:
    bed = AmbientBed(name, quiet(60))
    block = np.zeros(2048, dtype=np.float32)
    bed.fill(block, 10 * RATE, 2048)
    tail = np.zeros(2048, dtype=np.float32)
    assert bed.release(tail, 2048) == DECLICK_FRAMES
    # The fade-out carries on from the very sample after the block, as if it had played on.
    on = AmbientBed(name, quiet(60)).render_all(10 * RATE + 4096)[10 * RATE + 2048 :]
    assert float(tail[0]) == pytest.approx(float(on[0]), rel=1e-3, abs=0.01)
    assert np.all(np.abs(tail[:DECLICK_FRAMES]) <= np.abs(on[:DECLICK_FRAMES]) + 0.01)
    assert np.all(tail[DECLICK_FRAMES:] == 0.0)
    assert bed.release(tail, 2048) == 0  # only once per pause
    resumed = np.zeros(2048, dtype=np.float32)
    bed.fill(resumed, 10 * RATE + 2048, 2048)
    assert abs(float(resumed[0])) < 1.0  # from silence, not mid-wave
    assert np.any(resumed[DECLICK_FRAMES:] != 0.0)


def test_before_anything_played_there_is_nothing_to_release() -> None:
    bed = AmbientBed("brown", quiet(10))
    out = np.zeros(1024, dtype=np.float32)
    assert bed.release(out, 1024) == 0
    assert not out.any()


def test_open_ended_plays_on_until_given_an_end() -> None:
    timeline = timer_timeline(TimerOptions(open=True), 0)
    bed = AmbientBed("rain", timeline, open_ended=True)
    assert bed.end is None
    with pytest.raises(ValueError, match="needs a length"):
        bed.render_all()
    stop = 40 * RATE
    bed.set_end(stop)
    x = render(bed, stop + RATE)
    assert db(x[20 * RATE : 30 * RATE]) == pytest.approx(AMBIENT_LEVEL_DBFS, abs=0.5)
    assert db(x[stop - RATE // 10 : stop]) < AMBIENT_LEVEL_DBFS - 25
    assert not x[stop:].any()  # after the end: nothing


def test_a_bed_made_late_fades_in_from_where_it_joins() -> None:
    """On the hotkey path the bed is made once numpy is loaded, after the first sound."""
    timeline = quiet(30)
    join = 4 * RATE + 123
    x = render(AmbientBed("rain", timeline, begin=join))
    assert not x[:join].any()
    assert abs(x[join]) < 1e-6
    assert db(x[join : join + RATE // 10]) < AMBIENT_LEVEL_DBFS - 25
    assert db(x[join + 4 * RATE : join + 10 * RATE]) == pytest.approx(AMBIENT_LEVEL_DBFS, abs=0.5)


def test_steady_waves_do_not_swell() -> None:
    timeline = resonance(2.0)
    bed = AmbientBed("waves", timeline, steady=True)
    phases = [e for e in timeline.events if e.kind is EventKind.PHASE]
    assert {bed.swell_at(e.frame + e.duration // 2) for e in phases} == {STEADY}
    x = render(bed)
    hop = RATE // 4
    envelope = rms_envelope_db(x, hop)[20:-20]
    assert float(envelope.max() - envelope.min()) < 4.0  # noise only, no swell


def test_a_stopped_sitting_fades_out_from_the_stop_without_a_jump() -> None:
    """An open timer stopped at a frame: the bed fades from there over the end bell."""
    timeline = timer_timeline(TimerOptions(open=True), 0)
    bed = AmbientBed("brown", timeline, open_ended=True)
    stop, end = 30 * RATE, 32 * RATE + RATE // 2
    bed.set_end(end, fade_from=stop)
    x = render(bed, end + RATE)
    on = render(AmbientBed("brown", timeline, open_ended=True), end + RATE)
    before = db(x[stop - RATE : stop])
    # No drop at the stop: the first 100 ms are as loud as the same bed playing on.
    assert db(x[stop : stop + RATE // 10]) == pytest.approx(
        db(on[stop : stop + RATE // 10]), abs=0.2
    )
    assert db(x[end - RATE // 10 : end]) < before - 25
    assert not x[end:].any()
    # Against the same bed playing on, the level only falls, quarter second by quarter second.
    assert np.array_equal(x[:stop], on[:stop])
    quarters = [
        db(x[i : i + RATE // 4]) - db(on[i : i + RATE // 4])
        for i in range(stop, end - RATE // 4, RATE // 4)
    ]
    assert quarters == sorted(quarters, reverse=True)
    assert quarters[0] > -0.5


def test_the_mixers_gain_scales_the_bed_and_zero_mutes_it_without_a_click() -> None:
    timeline = quiet(20)
    full = AmbientBed("rain", timeline)
    half = AmbientBed("rain", timeline)
    a = np.zeros(2048, dtype=np.float32)
    b = np.zeros(2048, dtype=np.float32)
    full.fill(a, 5 * RATE, 2048)
    half.fill(b, 5 * RATE, 2048, gain=0.5)
    assert np.allclose(b, 0.5 * a, atol=0.01)
    muted = np.zeros(2048, dtype=np.float32)
    half.fill(muted, 5 * RATE + 2048, 2048, gain=0.0)
    assert not muted.any()
    back = np.zeros(2048, dtype=np.float32)
    half.fill(back, 5 * RATE + 4096, 2048, gain=1.0)
    assert abs(float(back[0])) < 1.0  # fades back in from silence
    assert np.any(back[DECLICK_FRAMES:] != 0.0)


def test_frames_past_the_end_are_silent() -> None:
    timeline = quiet(10)
    bed = AmbientBed("brown", timeline)
    out = np.zeros(4096, dtype=np.float32)
    bed.fill(out, timeline.total_frames - 1000, 4096)
    assert not out[1000:].any()


def test_a_block_larger_than_the_buffers_is_done_in_parts() -> None:
    timeline = quiet(10)
    big = AmbientBed("waves", timeline).render_all(block=40_000)
    small = AmbientBed("waves", timeline).render_all(block=4096)
    assert np.max(np.abs(big - small)) < 0.01


# -- choices, memory, the audio thread -------------------------------------------------------------


def test_none_is_no_bed_and_unknown_names_are_refused() -> None:
    assert make_bed("none", quiet(10)) is None
    bed = make_bed("rain", quiet(10), level_dbfs=-35.0, begin=RATE, steady=True)
    assert isinstance(bed, AmbientBed)
    assert bed.level_dbfs == -35.0
    assert not bed.render_all(RATE).any()
    with pytest.raises(ValueError, match="unknown ambient sound 'sea'; use one of: waves"):
        make_bed("sea", quiet(10))
    with pytest.raises(ValueError, match="unknown ambient"):
        AmbientBed("none", quiet(10))


@pytest.mark.parametrize("name", BEDS)
def test_a_long_session_holds_seconds_of_audio_not_minutes(name: str) -> None:
    short = AmbientBed(name, resonance(2.0))
    long = AmbientBed(name, resonance(60.0))
    assert long.nbytes < 4_000_000  # ten minutes of float32 would be 115 MB
    assert long.nbytes - short.nbytes < 500_000  # the swell's breakpoints only


@pytest.mark.parametrize("name", BEDS)
def test_fill_allocates_no_arrays(name: str) -> None:
    """The audio thread's part only writes into buffers made in advance."""
    bed = AmbientBed(name, resonance(2.0))
    acc = np.zeros(2048, dtype=np.float32)
    frame = 0
    for _ in range(20):  # warm up (first calls may cache ufunc loops)
        bed.fill(acc, frame, 2048)
        frame += 2048
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        for _ in range(200):
            bed.fill(acc, frame, 2048)
            frame += 2048
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - before < 4096  # one block's temporary array would be 8192 bytes
