"""Fixtures for the session tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.sound import player as player_module
from tests.helpers.driven import Device


@pytest.fixture
def device(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Device]]:
    opened: list[Device] = []

    def fake_open(mixer, **kwargs):  # type: ignore[no-untyped-def]
        player = Device(mixer, sd=None)
        player.start()
        opened.append(player)
        return player_module.Opened(player, None)

    monkeypatch.setattr("assistant.session.live.open_player", fake_open)
    monkeypatch.setattr("assistant.session.live.load_numpy", lambda mixer: None)
    yield opened
