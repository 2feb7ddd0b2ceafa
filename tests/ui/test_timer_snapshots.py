"""Snapshots at 80×24 of what issue 22 added: the timer's set-up, a timer sitting, the sound
choices in Settings, and a session's footer with the new keys (stop key first)."""

from __future__ import annotations

from collections.abc import Callable

from assistant.ui.app import GroundApp
from assistant.ui.screens.session import SessionScreen

SIZE = (80, 24)


async def open_timer(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*"timer", "enter")
    await pilot.pause()


class TestTimer:
    def test_timer_setup(self, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(make_app(), run_before=open_timer, terminal_size=SIZE)

    def test_timer_sitting(self, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await open_timer(pilot)
            await pilot.press("s")
            await pilot.pause()
            screen = pilot.app.screen
            assert isinstance(screen, SessionScreen)
            pilot.app.services.clock.advance(10 + 95.5)  # the delay, then 1:35 sat
            screen.tick()
            await pilot.pause()

        app = make_app(timer_every=5.0, timer_minutes=20.0)
        assert snap_compare(app, run_before=run_before, terminal_size=SIZE)

    def test_open_sitting(self, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await open_timer(pilot)
            await pilot.press("s")
            await pilot.pause()
            screen = pilot.app.screen
            pilot.app.services.clock.advance(62 * 60.0)
            screen.tick()
            await pilot.pause()

        app = make_app(timer_open=True, timer_delay=0.0)
        assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


class TestSettingsSounds:
    def test_sound_choices(self, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await pilot.press("f4")
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            pilot.app.screen.query_one("#tones").scroll_visible(top=True, animate=False)
            await pilot.pause()

        app = make_app(ambient="waves", tones="wood", ambient_volume=0.6)
        assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
