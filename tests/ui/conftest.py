"""A deterministic app for Pilot tests: fake clock, no sound, engine none, a fixed today."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from assistant.core.clock import FakeClock
from assistant.storage.settings import Settings
from assistant.ui.app import GroundApp
from assistant.ui.services import Services
from tests.helpers.pilot import TODAY


@pytest.fixture
def make_app() -> Callable[..., GroundApp]:
    """Build a GroundApp whose sessions run on a FakeClock with no audio."""

    def build(**settings: object) -> GroundApp:
        base = replace(Settings(), engine="none", ask_before=False)
        services = Services(
            settings=replace(base, **settings),
            clock=FakeClock(1000.0),
            sound=False,
            today=lambda: TODAY,
        )
        return GroundApp(services)

    return build


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Snapshots show local times: pin the zone so they match on every machine."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
