"""The full-screen app driven with Textual's Pilot: on a fake clock, with no sound."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, cast

from textual.pilot import Pilot

from assistant.core.clock import FakeClock
from assistant.storage.settings import Settings
from assistant.ui.app import GroundApp
from assistant.ui.screens.session import SessionScreen
from assistant.ui.services import Services

#: The day the ``make_app`` fixture's app believes it is (snapshots show dates).
TODAY = date(2026, 11, 26)


def quiet_app() -> GroundApp:
    """An app with the default settings, no speech engine, no sound and a fake clock."""
    services = Services(
        settings=replace(Settings(), engine="none", ask_before=False),
        clock=FakeClock(1000.0),
        sound=False,
    )
    return GroundApp(services)


async def start(pilot: Pilot[Any], text: str) -> SessionScreen:
    """Type ``text`` on the home screen and press Enter: the session screen it opens."""
    await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen), type(screen)
    return screen


def advance(app: GroundApp, screen: SessionScreen, seconds: float) -> None:
    """Move the app's fake clock on and let the session screen draw the new moment."""
    cast(FakeClock, app.services.clock).advance(seconds)
    screen.tick()
