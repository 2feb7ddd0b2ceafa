"""The full-screen app driven with Textual's Pilot: on a fake clock, with no sound."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, cast

from textual.pilot import Pilot
from textual.widgets import Input

from assistant.core.clock import FakeClock
from assistant.storage.settings import Settings
from assistant.ui.app import GroundApp
from assistant.ui.screens.ladder import LadderScreen, StepForm
from assistant.ui.screens.session import SessionScreen
from assistant.ui.services import Services

#: The day the ``make_app`` fixture's app believes it is (snapshots show dates).
TODAY = date(2026, 11, 26)


def quiet_app() -> GroundApp:
    """An app with the default settings, no speech engine, no sound and a fake clock; holds
    chosen (on), as for someone who has answered the holds question once."""
    services = Services(
        settings=replace(Settings(), engine="none", ask_before=False, holds=True),
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


async def open_ladder(pilot: Pilot[Any]) -> LadderScreen:
    """F5: the ladder screen."""
    await pilot.press("f5")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, LadderScreen)
    return screen


async def add_step(pilot: Pilot[Any], title: str, suds: str, safety: str = "") -> None:
    """Add a step with the ladder's form (a), as typed: its title, rating and safety behaviours."""
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(pilot.app.screen, StepForm)
    form = pilot.app.screen
    form.query_one("#title", Input).value = title
    form.query_one("#suds", Input).value = suds
    form.query_one("#safety", Input).value = safety
    form.query_one("#safety", Input).focus()
    await pilot.press("enter")
    await pilot.pause()
