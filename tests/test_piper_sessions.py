"""Piper through the whole program: shipped scripts, the cold-cache stand-in, the failure ladder."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.clock import FakeClock
from assistant.core.compiler import note_overruns, quiet_stretches, spoken_texts
from assistant.core.library import load_library, shipped_script, shipped_scripts
from assistant.core.model import ClipKind, EventKind
from assistant.session import (
    Session,
    SessionRequest,
    build_offline,
    make_renderer,
    planned_timeline,
    request_for,
)
from assistant.speech import piper_engine as piper_module
from assistant.storage.settings import Settings
from tests.helpers.cli import ground

pytestmark = pytest.mark.slow

JOE = "en_US-joe-medium"
ROOT = Path(__file__).resolve().parent.parent


def _loud(pcm: bytes) -> bool:
    return any(pcm[i : i + 2] not in (b"\x00\x00", b"") for i in range(0, min(len(pcm), 40000), 2))


@pytest.mark.usefixtures("piper_installed")
def test_every_shipped_script_renders_with_piper(tmp_path: Path) -> None:
    library = load_library(tmp_path / "no-user-scripts")
    assert len(library.scripts) >= 12
    for script in library.scripts.values():
        mixer, notices = build_offline(SessionRequest(script, engine="piper", voice=JOE))
        assert notices == [], script.id
        for event in mixer.timeline.events:
            if event.kind is EventKind.SAY and event.clip is not None:
                assert event.clip.kind is ClipKind.SPEECH
                assert _loud(mixer._pcm[event.clip]), (script.id, event.text)


def _spoken_clips(session: Session) -> list[bytes]:
    return [
        session.mixer._pcm[e.clip]
        for e in session.timeline.events
        if e.kind in (EventKind.SAY, EventKind.WORD) and e.clip is not None
    ]


@pytest.mark.usefixtures("piper_installed")
@pytest.mark.parametrize("engine", ["piper", "auto"])
def test_cold_cache_speaks_every_cue_in_piper(engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never two voices in one session: Piper loads, then says the first cue itself."""
    import assistant.session.voice as voice_module

    # Piper loads in ~0.5 s, but a test machine under heavy load can take longer than a
    # person would wait; the stand-in that then speaks has a test of its own (below).
    monkeypatch.setattr(voice_module, "FIRST_CUE_WAIT", 120.0)
    script = shipped_script("now")
    request = SessionRequest(script, engine=engine, device="no such device")
    session = Session.open(request, clock=FakeClock())
    try:
        session.wait(0)
        for thread in session._background:
            thread.join(60)
        assert session.complete
        assert session.voice is not None and session.voice.engine.name == "piper"
        assert not any("instead" in n or "too long" in n for n in session.notices)
        piper = {session.voice.cached(t) for t in spoken_texts(script)}
        assert None not in piper
        clips = _spoken_clips(session)
        assert clips and all(clip in piper for clip in clips)
    finally:
        session.close()
        if session.voice is not None:
            session.voice.engine.close()


@pytest.mark.usefixtures("piper_installed")
def test_piper_too_slow_hands_the_whole_session_to_the_system_voice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import assistant.session.voice as voice_module

    monkeypatch.setattr(voice_module, "FIRST_CUE_WAIT", 0.0)  # Piper cannot load in no time
    script = shipped_script("now")
    request = SessionRequest(script, engine="piper", voice=JOE, device="no such device")
    session = Session.open(request, clock=FakeClock())
    try:
        for thread in session._background:
            thread.join(120)
        assert session.voice is not None and session.voice.engine.name == "system"
        assert any("this session speaks with the system voice" in n for n in session.notices)
        system = {session.voice.cached(t) for t in spoken_texts(script)}
        clips = _spoken_clips(session)
        assert clips and all(clip in system for clip in clips)  # one voice, first to last
        session.voice.engine.close()
    finally:
        session.close()
    # Piper prepared every cue meanwhile: the next session is Piper's from its first word.
    piper, _ = make_renderer(request)
    assert piper is not None and piper.engine.name == "piper"
    assert all(piper.cached(t) is not None for t in spoken_texts(script))


def test_without_the_extra_the_system_voice_speaks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(piper_module, "installed_version", lambda name: "missing")
    script = shipped_script("now")
    request = SessionRequest(script, engine="piper", voice=JOE, device="no such device")
    session = Session.open(request, clock=FakeClock())
    try:
        assert session.voice is not None and session.voice.engine.name == "system"
        speech_notices = [n for n in session.notices if "Piper" in n]
        assert speech_notices == [
            "Speaking with the system voice instead (Piper is not installed: "
            "pip install 'grounding-assistant[piper]')."
        ]
    finally:
        session.close()
        if session.voice is not None:
            session.voice.engine.close()


def test_missing_voice_file_exits_2_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "alba.onnx"
    done = ground("render", "box", "-o", str(tmp_path / "out.wav"), "--voice", str(missing))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert str(missing) in done.stderr and "NAME.onnx.json" in done.stderr


def test_unknown_piper_voice_exits_2() -> None:
    done = ground("play", "box", "--engine", "piper", "--voice", "en_XX-nobody", "--no-audio")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "unknown Piper voice 'en_XX-nobody'" in done.stderr
    assert "ground voices" in done.stderr


@pytest.mark.usefixtures("piper_installed")
def test_render_with_joe_by_voice_alone(tmp_path: Path) -> None:
    out = tmp_path / "now.wav"
    done = ground("render", "now", "-o", str(out), "--voice", JOE)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert out.stat().st_size > 100_000


@pytest.mark.usefixtures("piper_installed")
def test_one_voice_one_set_of_clips_however_it_is_asked_for(ground_home: Path) -> None:
    """Warmed as the automatic voice, Joe is not rendered again for `engine = "piper"` with no
    voice set (nor for "joe", nor for the path to its model): the key names the voice heard."""
    settings = ground_home / "config" / "settings.toml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text('engine = "auto"\n')
    warm = ground("warm", "now")
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout.startswith("piper (en_US-joe-medium): "), warm.stdout
    assert "rendered now, 0 already cached" in warm.stdout
    clips = ground_home / "cache" / "clips"
    warmed = sorted(p.name for p in clips.rglob("*.wav"))
    assert len(warmed) >= 10

    settings.write_text('engine = "piper"\n')  # the same Joe, with no voice set
    again = ground("warm", "now")
    assert again.returncode == 0, again.stderr
    assert f"— 0 rendered now, {len(warmed)} already cached" in again.stdout, again.stdout
    out = ground_home / "now.wav"
    render = ground("render", "now", "-o", str(out))
    assert render.returncode == 0 and render.stderr == "", render.stderr
    assert sorted(p.name for p in clips.rglob("*.wav")) == warmed  # nothing rendered again

    script = shipped_script("now")
    auto, _ = make_renderer(request_for(Settings(), script, engine="auto"))
    assert auto is not None and auto.voice == JOE
    model = auto.engine.voice_file(JOE).model
    for voice in (None, "joe", str(model)):
        renderer, _ = make_renderer(request_for(Settings(), script, engine="piper", voice=voice))
        assert renderer is not None and renderer.engine.name == "piper", voice
        for text in spoken_texts(script):
            assert renderer.key(text) == auto.key(text), (voice, text)
            assert renderer.cached(text) is not None, (voice, text)


@pytest.mark.usefixtures("piper_installed")
def test_the_natural_voice_says_every_note_inside_its_breath_out(ground_home: Path) -> None:
    """Joe at the default rate is slower than the estimate the shipped-script tests use: with
    his own clips every note still ends inside its breath out, no stretch goes without a
    sentence for longer than ``ground check`` allows, at every length a script offers, with and
    without the holds; and ``ground check`` (which measures the clips already said) agrees."""
    (ground_home / "config").mkdir(parents=True, exist_ok=True)
    (ground_home / "config" / "settings.toml").write_text('engine = "piper"\nholds = true\n')
    settings = Settings(engine="piper", holds=True)
    renderer = None
    try:
        for script in shipped_scripts(lang="en"):
            for minutes in (None, 1.0, 10.0) if script.stretchable else (None,):
                for no_holds in (False, True):
                    request = request_for(settings, script, minutes=minutes, no_holds=no_holds)
                    if renderer is None:
                        renderer = make_renderer(request)[0]
                        assert renderer is not None and renderer.engine.name == "piper"
                    for text in spoken_texts(script, request.options):
                        renderer.clip(text)
                    timeline = planned_timeline(request, renderer)
                    said = (script.id, minutes, no_holds)
                    rate = timeline.sample_rate
                    overruns = [
                        (n.text, (n.duration - room) / rate) for n, room in note_overruns(timeline)
                    ]
                    assert overruns == [], said
                    assert quiet_stretches(timeline) == [], said
    finally:
        if renderer is not None:
            renderer.engine.close()
    checked = ground("check", str(ROOT / "scripts"))
    assert checked.returncode == 0, checked.stderr
    assert "warning" not in checked.stdout, checked.stdout
