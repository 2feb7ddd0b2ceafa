"""Piper through the whole program: shipped scripts, the cold-cache stand-in, the failure ladder."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.clock import FakeClock
from assistant.core.compiler import spoken_texts
from assistant.core.library import load_library, shipped_script
from assistant.core.model import ClipKind, EventKind
from assistant.session import Session, SessionRequest, build_offline, make_renderer
from assistant.speech import piper_engine as piper_module
from tests.cli.test_cli import ground

pytestmark = pytest.mark.slow

JOE = "en_US-joe-medium"


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


@pytest.mark.usefixtures("piper_installed")
def test_cold_cache_speaks_the_first_cue_with_the_system_voice() -> None:
    script = shipped_script("now")
    request = SessionRequest(script, engine="piper", voice=JOE, device="no such device")
    session = Session.open(request, clock=FakeClock())
    try:
        first = spoken_texts(script)[0]
        system, _ = make_renderer(SessionRequest(script, engine="system"))
        assert system is not None
        stand_in = system.cached(first)
        assert stand_in is not None  # the system voice rendered the first cue
        spoken = next(e for e in session.timeline.events if e.kind is EventKind.SAY)
        assert spoken.clip is not None
        assert session.mixer._pcm[spoken.clip] == stand_in
        # Piper rendered everything, the first cue too (for next time), into its own cache keys.
        assert session.voice is not None and session.voice.engine.name == "piper"
        assert all(session.voice.cached(t) is not None for t in spoken_texts(script))
        system.engine.close()
    finally:
        session.close()
        if session.voice is not None:
            session.voice.engine.close()
    # Warm now: every cue is Piper's, no stand-in.
    again = Session.open(request, clock=FakeClock())
    try:
        spoken = next(e for e in again.timeline.events if e.kind is EventKind.SAY)
        assert spoken.clip is not None
        assert again.voice is not None
        assert again.mixer._pcm[spoken.clip] == again.voice.cached(first)
    finally:
        again.close()


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
