"""Whether a practice's words are heard (the TUI's pacer says "listen" only then, else "read"):
a real espeak-ng voice, on a player that is not the silent one, not muted."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.core.clock import FakeClock
from assistant.core.transport import SilentPlayer
from assistant.session import Practice, SessionRequest, make_renderer
from assistant.sound import player as player_module
from tests.helpers import script_from

SCRIPT = """
[[step]]
say = "Settle in."
[[step]]
breathe = "Slow"
inhale = 4
exhale = 6
cycles = 2
"""


class Audible:
    """A silent player standing in for a sound card: the same clock, not a SilentPlayer."""

    def __init__(self, inner: SilentPlayer) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)


@pytest.fixture
def audible(monkeypatch: pytest.MonkeyPatch) -> None:
    real = player_module.open_player

    def fake_open(mixer, **kwargs):  # type: ignore[no-untyped-def]
        opened = real(mixer, device=None, want_sound=False, clock=kwargs.get("clock"))
        return replace(opened, player=Audible(opened.player))

    monkeypatch.setattr("assistant.session.live.open_player", fake_open)


def start(*, engine: str, sound: bool = True, voice_on: bool = True) -> Practice:
    request = SessionRequest(
        script=script_from(SCRIPT), sound=sound, engine=engine, voice_on=voice_on
    )
    renderer = make_renderer(request)[0] if engine != "none" else None
    return Practice.start(request, clock=FakeClock(10.0), renderer=renderer)


@pytest.mark.usefixtures("audible")
def test_a_speaking_voice_is_heard_until_muted() -> None:
    practice = start(engine="espeak")
    try:
        assert practice.voice_heard
        practice.toggle("voice")
        assert not practice.voice_heard  # v in a session: the words are read now
        practice.toggle("voice")
        assert practice.voice_heard
        practice.change_volume(-1.0)
        assert not practice.voice_heard
    finally:
        practice.close()


@pytest.mark.usefixtures("audible")
def test_no_voice_is_heard_with_the_voice_off_or_no_engine() -> None:
    for practice in (start(engine="espeak", voice_on=False), start(engine="none")):
        try:
            assert not practice.voice_heard
        finally:
            practice.close()


def test_no_voice_is_heard_without_a_sound_card() -> None:
    practice = start(engine="espeak", sound=False)
    try:
        assert isinstance(practice.session.player, SilentPlayer)
        assert not practice.voice_heard
    finally:
        practice.close()
