"""The TUI's side of issue 22: the timer from Home to its row in the log, the keys for the
levels (kept for next time), and the sound choices in Settings with their previews."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Select

from assistant.storage.log import PracticeLog
from assistant.ui.app import GroundApp
from assistant.ui.screens.confirm import ConfirmScreen
from assistant.ui.screens.end import EndScreen
from assistant.ui.screens.help import HelpScreen
from assistant.ui.screens.session import SessionScreen
from assistant.ui.screens.settings import SettingsScreen
from assistant.ui.screens.timer import TimerScreen
from assistant.ui.widgets.status_line import StatusLine

SIZE = (80, 24)


def advance(app: GroundApp, screen: SessionScreen, seconds: float) -> None:
    app.services.clock.advance(seconds)
    screen.tick()


async def open_timer(pilot) -> TimerScreen:  # type: ignore[no-untyped-def]
    await pilot.press(*"timer", "enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TimerScreen), type(screen)
    return screen


async def test_an_open_sitting_from_home_ends_with_the_bell_and_is_logged(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app(timer_delay=5.0)
    async with app.run_test(size=SIZE) as pilot:
        setup = await open_timer(pilot)
        setup.query_one("#length", Select).value = 0.0  # until I end it
        setup.query_one("#every", Select).value = 2.0
        await pilot.pause()
        settings = app.services.settings
        assert settings.timer_open and settings.timer_every == 2.0  # kept for next time
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen) and screen.practice.is_timer
        assert "until the start bell" in str(screen.query_one("#timer-clock").render())
        advance(app, screen, 5 + 150.0)
        clock = str(screen.query_one("#timer-clock").render())
        assert "2:30" in clock and "next bell in 1:30" in clock
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen  # the end bell rings first
        assert "end bell" in screen.query_one(StatusLine).message
        advance(app, screen, 4.0)
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        assert app.screen.result.completed
        assert 149 < app.screen.result.practised_seconds < 152
        await pilot.press("escape")
        await pilot.pause()
    with PracticeLog.open() as log:
        (entry,) = log.entries()
    assert entry.script_id == "timer" and entry.completed
    assert 149 < entry.practised_seconds < 152


async def test_end_again_while_the_end_bell_rings_stops_at_once(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app(timer_delay=0.0, timer_minutes=20.0)
    async with app.run_test(size=SIZE) as pilot:
        await open_timer(pilot)
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        advance(app, screen, 5.0)
        await pilot.press("q")  # within the first ten seconds: no question
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        assert not app.screen.result.completed  # a timed sitting ended early


async def test_the_timer_screen_says_when_the_choices_make_no_sitting(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app(timer_minutes=5.0, timer_every=10.0)
    async with app.run_test(size=SIZE) as pilot:
        setup = await open_timer(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert app.screen is setup
        assert "interval" in str(setup.query_one("#timer-status").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, TimerScreen)


async def test_the_timer_is_in_the_command_palette_and_opens_its_set_up(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        timer = next(c for c in app.get_system_commands(app.screen) if c.title == "Timer")
        timer.callback()
        await pilot.pause()
        assert isinstance(app.screen, TimerScreen)
        # Not offered over a session: nothing else starts while one plays.
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press(*"box", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert "Timer" not in {c.title for c in app.get_system_commands(app.screen)}


async def test_esc_on_the_tension_question_starts_no_timer(
    make_app: Callable[..., GroundApp],
) -> None:
    from assistant.ui.screens.tension import TensionScreen

    app = make_app(ask_before=True, timer_delay=0.0)
    async with app.run_test(size=SIZE) as pilot:
        await open_timer(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, TensionScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not any(isinstance(s, (SessionScreen, TensionScreen)) for s in app.screen_stack)
        assert app._practice is None
    with PracticeLog.open() as log:
        assert log.entries() == []


async def test_g_chooses_what_the_arrows_change_and_the_level_is_kept(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app(ambient="waves", voice_volume=0.7)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"box", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        status = screen.query_one(StatusLine)
        await pilot.press("up")
        assert status.message.startswith("Volume 90%")
        assert "g: voice, tones and bell, ambient" in status.message
        await pilot.press("g")
        assert status.message == "↑↓ now change: voice (70%)"
        await pilot.press("down")
        assert status.message.startswith("Voice 60%")
        assert app.services.settings.voice_volume == 0.6
        assert app.services.settings.volume == 0.9
        await pilot.press("g", "g")
        assert status.message == "↑↓ now change: ambient (100%)"
        await pilot.press("down")
        assert app.services.settings.ambient_volume == 0.9
        await pilot.press("g")
        assert status.message.startswith("↑↓ now change: volume")
        await pilot.press("a")
        assert status.message == "Ambient off"
        assert screen.practice.session.gain("ambient") == 0.0


async def test_without_an_ambient_sound_a_says_how_to_choose_one(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"box", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        await pilot.press("a")
        assert screen.query_one(StatusLine).message == "No ambient sound chosen (Settings, F4)"
        await pilot.press("g", "g", "g")  # volume → voice → tones → volume: no ambient
        assert screen.query_one(StatusLine).message.startswith("↑↓ now change: volume")


async def test_f1_lists_the_new_keys(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"box", "enter")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen._keys())
        assert "What ↑↓ change: all, voice, tones, ambient" in keys
        assert "Ambient sound" in keys


async def test_sound_choices_are_saved_and_can_be_heard(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        screen.query_one("#tones", Select).value = "wood"
        screen.query_one("#ambient", Select).value = "rain"
        screen.query_one("#ambient_volume", Select).value = 0.5
        await pilot.pause()
        settings = app.services.settings
        assert (settings.tones, settings.ambient, settings.ambient_volume) == ("wood", "rain", 0.5)
        for key, says in (("t", "the tones (wood)"), ("a", "the ambient sound (rain)")):
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert says in str(screen.query_one("#settings-status").render())
        assert screen._sounds is not None and not screen._sounds.done  # playing (silently)
        screen.query_one("#bell", Select).value = "none"
        await pilot.pause()
        await pilot.press("b")
        assert "Nothing to hear" in str(screen.query_one("#settings-status").render())
        await pilot.press("escape")
        await pilot.pause()
        assert screen._sounds.done  # leaving stops it
