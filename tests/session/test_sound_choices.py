"""The sounds a person chose reach the session: tone sets and bells as clips, the ambient bed
under the mix, a level per group (remembered by the front ends), and the breath meter's calm sea."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from assistant.core.clock import FakeClock
from assistant.core.compiler import sound_ref
from assistant.core.library import shipped_script
from assistant.session import (
    Practice,
    SessionRequest,
    estimate_timeline,
    listed_timeline,
    request_for,
)
from assistant.session.build import add_ambient, build_offline, gains, gather, listed_seconds_key
from assistant.sound.palette import sound_pcm
from assistant.storage.settings import Settings
from tests.helpers import FakeMeter, script_from

SCRIPT = """
[[step]]
chime = "bell"
[[step]]
breathe = "Slow"
inhale = 4
exhale = 6
cycles = 6
[[step]]
chime = "bell"
"""


def test_the_request_takes_the_settings_sounds_and_levels_with_the_flags_on_top() -> None:
    settings = replace(
        Settings(),
        tones="hum",
        bell="chime",
        ambient="rain",
        voice_volume=0.5,
        tones_volume=0.4,
        ambient_volume=0.3,
    )
    script = script_from(SCRIPT)
    asked = request_for(settings, script)
    assert (asked.tones, asked.bell, asked.ambient) == ("hum", "chime", "rain")
    assert (asked.voice_volume, asked.tones_volume, asked.ambient_volume) == (0.5, 0.4, 0.3)
    flags = request_for(settings, script, tones="wood", bell="none", ambient="waves")
    assert (flags.tones, flags.bell, flags.ambient) == ("wood", "none", "waves")
    plain = request_for(Settings(), script)
    assert (plain.tones, plain.bell, plain.ambient) == ("soft-sine", "bell", "none")


def test_the_chosen_tone_set_and_bell_are_the_clips_the_session_plays() -> None:
    script = script_from(SCRIPT.replace("cycles = 6", "cycles = 6\ntones = true"))
    parts = gather(SessionRequest(script, engine="none", tones="wood", bell="woodblock"))
    assert parts.sounds[sound_ref("inhale")] == sound_pcm("inhale", tones="wood")
    assert parts.sounds[sound_ref("inhale")] != sound_pcm("inhale")
    assert parts.sounds[sound_ref("bell")] == sound_pcm("bell", bell="woodblock")
    silent = gather(SessionRequest(script, engine="none", bell="none")).sounds[sound_ref("bell")]
    assert silent == bytes(len(sound_pcm("bell")))  # as long as the bell: the same timing


def test_each_bell_rings_its_own_length_and_the_listed_length_knows_it() -> None:
    script = script_from(SCRIPT)
    lengths = {b: estimate_timeline(script, bell=b).total_frames for b in ("bell", "chime")}
    chime_longer = (len(sound_pcm("bell", bell="chime")) - len(sound_pcm("bell"))) // 2
    assert lengths["chime"] - lengths["bell"] == 2 * chime_longer  # two chime steps
    assert estimate_timeline(script, bell="none").total_frames == lengths["bell"]
    keys = {listed_seconds_key(replace(Settings(), bell=b)) for b in ("bell", "chime", "none")}
    assert len(keys) == 3
    # The one length every listing and the countdown show follows the bell too.
    quiet = replace(Settings(), engine="none")
    listed = {b: listed_timeline(replace(quiet, bell=b), script).total_frames for b in lengths}
    assert listed == lengths


def test_gains_are_each_groups_level_and_off_is_zero() -> None:
    script = script_from(SCRIPT)
    request = SessionRequest(
        script, volume=0.8, voice_volume=0.5, tones_volume=0.4, ambient_volume=0.3, tones_on=False
    )
    assert gains(request) == {
        "master": 0.8,
        "voice": 0.5,
        "tones": 0.0,  # turned off
        "bells": 0.4,  # the bells follow the tones' level, not their switch
        "ambient": 0.3,
    }


def test_a_render_with_ambient_has_the_bed_under_it() -> None:
    script = shipped_script("resonance")
    request = request_for(Settings(), script, minutes=1.0, engine="none", ambient="brown")
    mixer, _ = build_offline(request)
    assert mixer.ambient is not None and mixer.ambient.name == "brown"
    none, _ = build_offline(replace(request, ambient="none"))
    assert none.ambient is None


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(100.0)


def started(clock: FakeClock, **choices: object) -> Practice:
    request = SessionRequest(script_from(SCRIPT), sound=False, engine="none", **choices)
    return Practice.start(request, clock=clock)


def test_each_level_moves_on_its_own_and_the_switches_keep_it(clock: FakeClock) -> None:
    practice = started(clock, voice_volume=0.6, ambient="waves", ambient_volume=0.5)
    session = practice.session
    assert practice.change_volume(0.1, "voice") == 0.7
    assert practice.change_volume(-0.2, "ambient") == 0.3
    assert practice.change_volume(-0.1) == 0.9  # the master
    assert practice.change_volume(0.5, "tones") == 1.0  # kept within 0–1
    assert practice.toggle("voice") is False
    assert session.gain("voice") == 0.0 and practice.level("voice") == 0.7
    assert practice.change_volume(0.1, "voice") == 0.8  # a level changes while off, too
    assert practice.toggle("voice") is True and session.gain("voice") == 0.8
    assert practice.toggle("ambient") is False and session.gain("ambient") == 0.0
    assert practice.levels() == {
        "volume": 0.9,
        "voice_volume": 0.8,
        "tones_volume": 1.0,
        "ambient_volume": 0.3,
    }
    with pytest.raises(ValueError, match="unknown"):
        practice.change_volume(0.1, "bells")
    with pytest.raises(ValueError, match="unknown"):
        practice.toggle("master")
    practice.close()


def test_the_levels_reach_the_mixer(clock: FakeClock) -> None:
    practice = started(clock, tones_volume=0.5)
    mixer = practice.session.mixer
    assert (mixer.gain("tones"), mixer.gain("bells")) == (0.5, 0.5)
    practice.change_volume(-0.2, "tones")
    practice.toggle("tones")
    assert (mixer.gain("tones"), mixer.gain("bells")) == (0.0, 0.3)
    practice.close()


def test_no_ambient_chosen_is_said_plainly(clock: FakeClock) -> None:
    practice = started(clock)
    assert not practice.has_ambient and not practice.is_on("ambient")
    assert started(clock, ambient="rain").has_ambient


def test_with_the_breath_meter_on_the_waves_stop_swelling_and_come_back_after(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeMeter()
    monkeypatch.setattr("assistant.sound.meter.open_meter", lambda device=None: (fake, None))
    practice = started(clock, ambient="waves")
    mixer = practice.session.mixer
    mixer.enable_numpy(np)
    add_ambient(mixer, "waves")  # a silent player makes no bed: put one under it as sound would
    bed = mixer.ambient
    assert bed is not None and not bed.steady
    inhale = next(e for e in mixer.timeline.events if e.phase is not None)
    swelling = {round(bed.swell_at(inhale.frame + k * 4800), 3) for k in range(40)}
    assert practice.open_meter() is None
    assert bed.steady
    later = inhale.frame + 6 * 48_000  # the glide to the steady level takes 3 s
    steady = {round(bed.swell_at(later + k * 4800), 3) for k in range(40)}
    assert len(swelling) > 10 and len(steady) == 1
    practice.close_meter()
    assert not bed.steady
    practice.close()


def test_a_bed_made_after_the_meter_came_on_is_steady_from_the_start(clock: FakeClock) -> None:
    practice = started(clock, ambient="waves")
    session = practice.session
    session.set_ambient_steady(True)  # the meter came on before numpy had loaded
    session.mixer.enable_numpy(np)
    session._add_bed()
    bed = session.mixer.ambient
    assert bed is not None and bed.steady
    practice.close()


def test_a_voice_preview_is_the_voice_alone() -> None:
    from assistant.session import preview_script
    from assistant.session.preview import VoicePreview

    preview = VoicePreview(clock=FakeClock(0.0))
    try:
        asked = SessionRequest(preview_script(), engine="none", sound=False, ambient="waves")
        assert preview.prepare(asked).request.ambient == "none"
    finally:
        preview.close()
