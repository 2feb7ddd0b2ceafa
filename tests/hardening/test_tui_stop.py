"""One rule for a session stopped from outside: the full-screen app, closed by a signal or
Ctrl-Q mid-session, logs it stopped early with the time practised, as the headless player does."""

from __future__ import annotations

import signal

import pytest

from assistant.storage.log import Ending, PracticeLog
from assistant.ui.screens.session import SessionScreen
from tests.helpers.pilot import quiet_app


@pytest.mark.parametrize("how", ["signal", "ctrl+q"])
async def test_closing_mid_session_logs_the_time_practised(how: str) -> None:
    app = quiet_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"box", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        app.services.clock.advance(20)
        screen.tick()
        if how == "signal":
            app.stop_for_signal(128 + signal.SIGTERM)
        else:
            await pilot.press("ctrl+q")
        await pilot.pause()
    with PracticeLog.open() as log:
        (entry,) = log.entries()
    assert entry.outcome is Ending.STOPPED_EARLY, entry
    assert entry.practised_seconds == pytest.approx(20, abs=0.5)
    assert entry.planned_seconds > 60
