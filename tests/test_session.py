"""The composition root: first cue first, the rest in the background, and the failure ladder."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.core.clock import FakeClock
from assistant.core.compiler import CompileOptions, compile_timeline, spoken_texts
from assistant.core.model import ClipKind, ClipRef, Script, Timeline
from assistant.core.transport import SilentPlayer
from assistant.session import Session, SessionRequest, silence_for
from assistant.sound import player as player_module
from assistant.sound.assets import load_sound
from assistant.speech.base import EngineUnavailable
from tests.helpers import RATE, script_from

SCRIPT = """
[[step]]
say = "First words."
pause = 0.5
[[step]]
say = "Second words."
[[step]]
breathe = "Slow"
inhale = 1
exhale = 2
cycles = 2
words = { inhale = "in", exhale = "out" }
[[step]]
say = "Last words."
"""


class FakeEngine:
    name = "fake"

    def close(self) -> None:
        pass


class RecordingRenderer:
    """Stands in for SpeechRenderer: deterministic clips, and a log of what happened when."""

    def __init__(self, log: list[str], warm: set[str] = frozenset(), fail: bool = False) -> None:  # type: ignore[assignment]
        self.log = log
        self.warm = set(warm)
        self.fail = fail
        self.engine = FakeEngine()
        self.voice: str | None = None

    @staticmethod
    def pcm(text: str) -> bytes:
        return b"\x10\x00" * (len(text) * 480)  # 10 ms of audio per character

    def cached(self, text: str) -> bytes | None:
        return self.pcm(text) if text in self.warm else None

    def clip(self, text: str) -> bytes:
        if self.fail:
            raise EngineUnavailable("fake engine cannot run here")
        self.log.append(f"render:{text}")
        return self.pcm(text)


@pytest.fixture
def spy_open(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record the timeline each player is opened with; always open a silent one."""
    opened: list[Any] = []
    real = player_module.open_player

    def fake_open(mixer, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(mixer.timeline)
        return real(mixer, device=None, want_sound=False, clock=kwargs.get("clock"))

    monkeypatch.setattr("assistant.session.live.open_player", fake_open)
    return opened


def full_timeline(script: Script) -> Timeline:
    def lengths(ref: ClipRef) -> int:
        if ref.kind is ClipKind.SOUND:
            return len(load_sound(ref.key)) // 2
        return len(RecordingRenderer.pcm(ref.key)) // 2

    return compile_timeline(script, lengths, CompileOptions())


def test_cold_cache_renders_the_first_cue_before_opening_the_stream(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log: list[str] = []
    script = script_from(SCRIPT)
    real = player_module.open_player

    def fake_open(mixer, **kwargs):  # type: ignore[no-untyped-def]
        log.append(f"open:{mixer.timeline.total_frames}")
        return real(mixer, want_sound=False, clock=kwargs.get("clock"))

    monkeypatch.setattr("assistant.session.live.open_player", fake_open)
    session = Session.open(
        SessionRequest(script), clock=FakeClock(), renderer=RecordingRenderer(log)
    )
    assert log[0] == "render:First words."
    assert log[1].startswith("open:")
    # The silent player cannot wait at a prefix, so the rest was completed before returning.
    assert session.complete
    assert session.timeline == full_timeline(script)
    assert [line for line in log if line.startswith("render:")] == [
        "render:First words.",
        "render:Second words.",
        "render:in",
        "render:out",
        "render:Last words.",
    ]


def test_cold_cache_prefix_then_full_timeline_in_the_background(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a (stand-in) sound card, playback starts on the prefix and the rest arrives later."""
    log: list[str] = []
    script = script_from(SCRIPT)
    seen: list[Any] = []

    class FakeSoundPlayer(player_module.SoundDevicePlayer):
        def start(self) -> None:  # no device: the test drives the mixer itself
            seen.append((self.mixer.timeline, self.mixer.transport.provisional))

    def fake_open(mixer, **kwargs):  # type: ignore[no-untyped-def]
        player = FakeSoundPlayer(mixer, sd=None)
        player.start()
        return player_module.Opened(player, None)

    monkeypatch.setattr("assistant.session.live.open_player", fake_open)
    monkeypatch.setattr("assistant.session.live.load_numpy", lambda mixer: None)
    session = Session.open(
        SessionRequest(script), clock=FakeClock(), renderer=RecordingRenderer(log)
    )
    prefix, provisional = seen[0]
    assert provisional
    assert prefix.total_frames == full_timeline(script).steps[0].end  # just the first step
    for thread in session._background:
        thread.join(10)
    assert session.complete
    assert session.timeline == full_timeline(script)
    # The prefix agrees with the full timeline on every event it has.
    assert set(prefix.events) <= set(session.timeline.events)


def test_warm_cache_renders_nothing(spy_open: list[Any]) -> None:
    log: list[str] = []
    script = script_from(SCRIPT)
    renderer = RecordingRenderer(log, warm=set(spoken_texts(script)))
    session = Session.open(SessionRequest(script), clock=FakeClock(), renderer=renderer)
    assert log == []
    assert spy_open[0] == full_timeline(script)
    assert session.complete


def test_engine_failure_falls_back_with_one_notice(
    spy_open: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "assistant.session.voice.next_renderer",
        lambda request, failed, reason: (
            None,
            f"No speech engine could start ({reason}); carrying on with tones and captions.",
        ),
    )
    script = script_from(SCRIPT)
    session = Session.open(
        SessionRequest(script), clock=FakeClock(), renderer=RecordingRenderer([], fail=True)
    )
    assert session.notices == [
        "No speech engine could start (fake engine cannot run here); "
        "carrying on with tones and captions."
    ]
    says = [e for e in session.timeline.events if e.kind.value == "say"]
    assert says[0].duration == len(silence_for("First words.")) // 2  # captions keep a rhythm


def test_no_portaudio_carries_on_silently_to_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> None:
        raise OSError("PortAudio library not found")

    monkeypatch.setattr(player_module, "import_sounddevice", missing)
    script = script_from(SCRIPT)
    session = Session.open(SessionRequest(script, engine="none"), clock=FakeClock())
    assert isinstance(session.player, SilentPlayer)
    assert len(session.notices) == 1
    assert "PortAudio" in session.notices[0] and "libportaudio2" in session.notices[0]
    while not session.wait(0.5):
        pass
    assert session.position() == session.timeline.total_frames


def test_no_audio_uses_no_engine_and_no_device(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden() -> None:
        raise AssertionError("--no-audio must not touch PortAudio")

    monkeypatch.setattr(player_module, "import_sounddevice", forbidden)
    script = script_from(SCRIPT)
    session = Session.open(SessionRequest(script, sound=False), clock=FakeClock())
    assert session.notices == []
    assert session.timeline.total_frames > 5 * RATE


WORDED = """
minutes = 1
[[step]]
say = "In for {inhale}, hold for {hold}."
when = "holds"
[[step]]
say = "In for {inhale}, out for {exhale}."
when = "no-holds"
[[step]]
say = "Settle in."
optional = true
[[step]]
breathe = "Box"
inhale = 4
hold = 4
exhale = 4
fill = true
words = { inhale = "in", hold = "hold" }
[[step]]
say = "Done."
"""


@pytest.mark.parametrize("sound_card", [False, True])
def test_a_session_renders_and_plays_the_words_its_settings_call_for(
    monkeypatch: pytest.MonkeyPatch, sound_card: bool
) -> None:
    log: list[str] = []
    script = script_from(WORDED)
    options = CompileOptions(no_holds=True, pace=1.25, voice=False)
    if sound_card:  # playback starts on a prefix; the rest is compiled in the background

        class FakeSoundPlayer(player_module.SoundDevicePlayer):
            def start(self) -> None:
                pass

        def fake_open(mixer, **kwargs):  # type: ignore[no-untyped-def]
            return player_module.Opened(FakeSoundPlayer(mixer, sd=None), None)

        monkeypatch.setattr("assistant.session.live.open_player", fake_open)
        monkeypatch.setattr("assistant.session.live.load_numpy", lambda mixer: None)
    else:
        monkeypatch.setattr(
            "assistant.session.live.open_player",
            lambda mixer, **kw: player_module.open_player(
                mixer, want_sound=False, clock=kw.get("clock")
            ),
        )
    session = Session.open(
        SessionRequest(script, options=options, voice_on=False),
        clock=FakeClock(),
        renderer=RecordingRenderer(log),
    )
    for thread in session._background:
        thread.join(10)
    assert session.complete
    assert log == []  # the voice is off: no word is rendered for nobody to hear...
    assert session.toggle("voice")  # ...until it is turned on
    for thread in session._background:
        thread.join(10)
    assert log == ["render:In for five, out for five.", "render:in", "render:Done."]
    lengths = {t: len(RecordingRenderer.pcm(t)) // 2 for t in spoken_texts(script, options)}

    def clip_length(ref: ClipRef) -> int:
        return lengths[ref.key] if ref.kind is ClipKind.SPEECH else len(load_sound(ref.key)) // 2

    assert session.timeline == compile_timeline(script, clip_length, options)
    session.close()
