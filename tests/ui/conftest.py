"""A deterministic app for Pilot tests: fake clock, no sound, engine none, a fixed today."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from assistant.core.clock import FakeClock
from assistant.storage.settings import Settings
from assistant.ui.app import GroundApp
from assistant.ui.services import Services
from tests.helpers.pilot import TODAY


@pytest.fixture
def make_app() -> Callable[..., GroundApp]:
    """Build a GroundApp whose sessions run on a FakeClock with no audio."""

    def build(**settings: object) -> GroundApp:
        # Holds chosen (on), as for someone who has answered the holds question once.
        base = replace(Settings(), engine="none", ask_before=False, holds=True)
        services = Services(
            settings=replace(base, **settings),
            clock=FakeClock(1000.0),
            sound=False,
            today=lambda: TODAY,
        )
        return GroundApp(services)

    return build


@pytest.fixture
def snap_compare(snap_compare: Callable[..., bool]) -> Callable[..., bool]:
    """pytest-textual-snapshot's ``snap_compare``, with every text cursor held still (shown).

    A cursor blinks every 0.5 s; on a loaded machine the pauses between the last key and the
    screenshot can take longer than that, and the picture then lacked the cursor.
    """

    def compare(
        app: GroundApp,
        *args: Any,
        run_before: Callable[[Pilot[Any]], Awaitable[None] | None] | None = None,
        **kwargs: Any,
    ) -> bool:
        async def steady(pilot: Pilot[Any]) -> None:
            hold_cursors_still(pilot)
            if run_before is not None:
                done = run_before(pilot)
                if inspect.isawaitable(done):
                    await done
            hold_cursors_still(pilot)

        return snap_compare(app, *args, run_before=steady, **kwargs)

    return compare


def hold_cursors_still(pilot: Pilot[Any]) -> None:
    """Stop the text cursors of the screen on top from blinking (they stay shown)."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Snapshots show local times: pin the zone so they match on every machine."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
