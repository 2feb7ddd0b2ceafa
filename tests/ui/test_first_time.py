"""What an anxious first-time person meets at 80×24 (#11): the way out, reading, dialogs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Footer, Select, Static

from assistant.storage.ladder import Ladder
from assistant.storage.log import PracticeLog
from assistant.storage.paths import settings_file
from assistant.storage.settings import load_settings
from assistant.ui.app import GroundApp
from assistant.ui.screens.confirm import ConfirmScreen
from assistant.ui.screens.end import EndScreen
from assistant.ui.screens.home import HomeScreen
from assistant.ui.screens.ladder import LadderScreen, StepForm
from assistant.ui.screens.session import SessionScreen
from assistant.ui.screens.settings import SettingsScreen
from assistant.ui.screens.too_small import TooSmallScreen
from assistant.ui.widgets.script_list import ScriptList
from assistant.ui.widgets.status_line import StatusLine
from tests.helpers.pilot import advance, start

SIZE = (80, 24)


def text_of(widget: Static) -> str:
    return str(widget.render())


# -- 2. the way out --------------------------------------------------------------------------


async def test_the_footer_always_shows_the_stop_key(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "box")
        await pilot.pause()
        keys = {key.description: key for key in screen.query_one(Footer).query("FooterKey")}
        end = keys["End"]
        assert end.region.width > 0 and end.region.right <= SIZE[0]  # drawn, and inside


@pytest.mark.parametrize("key", ["q", "escape"])
async def test_the_stop_key_twice_ends_and_the_question_pauses(
    make_app: Callable[..., GroundApp], key: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "box")
        advance(app, screen, 30.0)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert screen.session.player.paused
        heard = screen.session.position()
        advance(app, screen, 20.0)  # a long look at the question: nothing plays on
        assert screen.session.position() == heard
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        assert not app.screen.result.completed
        assert 29 < app.screen.result.practised_seconds < 31


async def test_keeping_going_resumes_only_what_was_playing(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "box")
        advance(app, screen, 30.0)
        await pilot.press("space")  # paused by the person first
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("space")  # keep going (the question)
        await pilot.pause()
        assert app.screen is screen
        assert screen.session.player.paused  # still as the person left it


async def test_ctrl_q_mid_session_logs_the_time_practised(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "box")
        advance(app, screen, 40.0)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code in (0, None)
    with PracticeLog.open() as log:
        (entry,) = log.entries()
    assert entry.ended_at is not None  # not "(interrupted)"
    assert 39 < entry.practised_seconds < 41
    assert not entry.completed


async def test_the_stop_key_works_while_the_window_is_too_small(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "box")
        advance(app, screen, 30.0)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "q ends it" in text_of(app.screen.query_one("#too-small", Static))
        await pilot.press("q", "q")
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)  # still too small, over the end screen
        assert isinstance(app.screen_stack[-2], EndScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)


# -- 3. readable at 80×24 ------------------------------------------------------------------------


async def test_shrinking_below_80x24_says_so_and_growing_takes_it_away(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "60×20" in text_of(app.screen.query_one("#too-small", Static))
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_the_safety_note_is_in_view_and_the_rest_reads_with_page_keys(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"box")
        await pilot.pause()
        home = app.screen
        scroll = home.query_one("#detail-scroll")
        detail = home.query_one("#detail-text", Static)
        lines = [line.text for line in detail.render_lines(detail.region.reset_offset)]
        visible = " ".join(line.strip() for line in lines[: scroll.region.height])
        assert "--no-holds. Stop if you feel dizzy." in visible  # the whole safety note
        more = home.query_one("#detail-more", Static)
        assert "PgDn" in text_of(more)
        await pilot.press("pagedown")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y > 0
        assert "PgUp" in text_of(more)
        await pilot.press("pageup")
        await pilot.pause()
        assert scroll.scroll_y == 0


async def test_the_list_widens_with_the_window_and_keeps_yours_whole(
    make_app: Callable[..., GroundApp], ground_home: Path
) -> None:
    scripts = ground_home / "config" / "scripts"
    scripts.mkdir(parents=True)
    box = (Path(__file__).parents[2] / "scripts" / "box.toml").read_text(encoding="utf-8")
    (scripts / "mine.toml").write_text(
        box.replace('id = "box"', 'id = "mine"').replace(
            'title = "Box breathing"', 'title = "My own long-named square breathing for calls"'
        ),
        encoding="utf-8",
    )
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        listing = app.screen.query_one(ScriptList)
        assert listing.size.width >= 42
        console = Console(width=listing.scrollable_content_region.width, record=True)
        for ident in ("resonance-4-6", "mine"):
            console.print(listing.get_option(ident).prompt)
        shown = console.export_text()
        assert "Slow breathing, 4 in 6 out" in shown
        assert "(yours)" in shown and "…" in shown


async def test_volume_voice_and_tones_use_one_quiet_line(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "box")
        await pilot.press("up", "up", "v", "t")
        await pilot.pause()
        assert screen.query_one(StatusLine).message == "Tones off"
        assert not app._notifications  # no toasts stacked over the pacer
        assert load_settings()[0].volume == 1.0  # 0.8, twice louder: kept for next time


async def test_a_caption_goes_when_its_step_ends(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "box")
        timeline = screen.session.timeline
        say = next(e for e in timeline.events if e.text.startswith("If a hold feels tight"))
        span = next(s for s in timeline.steps if s.index == say.step)
        rate = timeline.sample_rate
        advance(app, screen, say.frame / rate + 0.5)
        caption = screen.query_one("#caption", Static)
        assert "If a hold feels tight" in text_of(caption)
        advance(app, screen, (span.end - say.frame) / rate)
        assert text_of(caption) == ""


# -- 5. home, settings, dialogs, palette ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("slow", "resonance-4-6"), ("box", "box"), ("sigh", "daily-sigh"), ("478", None)],
)
async def test_a_filter_highlights_its_best_match_and_enter_starts_it(
    make_app: Callable[..., GroundApp], typed: str, expected: str | None
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*typed)
        await pilot.pause()
        current = app.screen.query_one(ScriptList).current
        if expected is None:
            assert current is None
            await pilot.press("enter")
            await pilot.pause()
            (toast,) = app._notifications
            assert "Nothing matches" in toast.message  # not "fix this script"
            return
        assert current is not None and current.script is not None
        assert current.script.id == expected
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.session.timeline.script_id == expected


async def test_tab_switches_only_the_chosen_script_to_breaths(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"resonance")
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.press("tab")
        library = app.services.library
        assert home.length_for(library.get("resonance")).breaths is not None
        assert home.length_for(library.get("daily-sigh")).minutes is not None
        assert home.length_for(library.get("resonance-4-6")).breaths is None


async def test_enter_saves_a_new_step_from_the_rating_field(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, LadderScreen)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, StepForm)
        hint = next(s for s in app.screen.query(Static) if "Enter saves" in text_of(s))
        assert hint.region.bottom <= SIZE[1]  # the promise is in view at 80×24
        await pilot.press(*"ask a question in a meeting", "tab", "8", "0", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LadderScreen)  # saved and closed: nothing typed lands in it
        await pilot.press("8", "0")  # keys typed next are not a new step's name
        await pilot.pause()
        ladder = app.services.ladder
        assert isinstance(ladder, Ladder)
        assert [(s.title, s.predicted_suds) for s in ladder.steps()] == [
            ("ask a question in a meeting", 80)
        ]


async def test_enter_saves_the_end_of_session_rating(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "now")
        advance(app, screen, screen.session.timeline.seconds + 1)
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        assert "Enter saves" in str(app.screen.query_one(".end").query(Static).last().render())
        await pilot.press("3", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    with PracticeLog.open() as log:
        (entry,) = log.entries()
    assert entry.tension_after == 3


async def test_opening_settings_changes_nothing_and_starts_at_the_first_setting(
    make_app: Callable[..., GroundApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    import assistant.session
    import assistant.ui.screens.settings as settings_screen

    warmed: list[tuple[object, ...]] = []
    monkeypatch.setattr(assistant.session, "warm_in_background", lambda *a: warmed.append(a))
    monkeypatch.setattr(settings_screen, "_devices", lambda kind: [])
    app = make_app(engine="espeak", rate=160, pace=1.05, volume=0.75)
    app.services.sound = True  # the background render is only started with sound on
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert isinstance(app.focused, Select) and app.focused.id == "engine"
        await pilot.press("escape")
        await pilot.pause()
        assert not settings_file().exists()
        assert warmed == []
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.screen.query_one("#rate", Select).value = 130  # a real change
        await pilot.pause()
        assert load_settings()[0].rate == 130
        assert len(warmed) == 1


async def test_preview_says_it_is_playing(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        status = screen.query_one("#settings-status", Static)
        assert "Playing the preview" in text_of(status)
        app.services.clock.advance(60)
        screen._preview_playing()
        assert text_of(status) == ""


async def test_notifications_show_brackets_as_written(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.notify("pip install 'grounding-assistant[piper]'")
        await pilot.pause()
        (toast,) = app._notifications
        assert not toast.markup


async def test_the_palette_offers_the_apps_own_commands(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Start: Box breathing" in commands
        assert {"History", "Settings", "Ladder", "Help", "Quit"} <= set(commands)
        assert not {"Screenshot", "Maximize", "Theme", "Keys"} & set(commands)
        assert "Breath holds: off" in commands  # chosen on: the other choice is offered
        commands["Theme: calm light"].callback()
        await pilot.pause()
        assert app.theme == "ground-light"
        assert load_settings()[0].theme == "light"
        commands["Start: Box breathing"].callback()
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.session.timeline.script_id == "box"


async def test_typing_a_script_name_in_the_palette_finds_it(
    make_app: Callable[..., GroundApp],
) -> None:
    from textual.command import CommandPalette

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"box")
        await pilot.pause(0.5)  # the palette searches on its own worker
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.session.timeline.script_id == "box"


@pytest.mark.parametrize(("key", "back"), [("f3", "Back"), ("f4", "Back"), ("f5", "Back")])
async def test_every_screen_shows_its_way_back_at_80_columns(
    make_app: Callable[..., GroundApp], key: str, back: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        await pilot.pause()
        await pilot.pause()
        keys = {k.description: k for k in app.screen.query_one(Footer).query("FooterKey")}
        assert keys[back].region.width > 0 and keys[back].region.right <= SIZE[0]


def test_time_practised_reads_the_same_at_the_end_and_in_the_log() -> None:
    from assistant.cli.log_command import format_entry
    from assistant.session import PracticeResult
    from assistant.ui.screens.end import summary
    from tests.helpers.practice_log import entry

    result = PracticeResult("box", "Box breathing", 23.4, 180, 2, False, 0)
    logged = entry(None, None)
    logged = type(logged)(**{**logged.__dict__, "practised_seconds": 23.4, "completed": False})
    assert "0:23" in summary(result)
    assert "0:23" in format_entry(logged)


async def test_a_setting_changed_from_the_palette_shows_at_once(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"box")
        await pilot.pause()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        commands["Breath holds: off"].callback()
        await pilot.pause()
        await pilot.pause()
        assert load_settings()[0].holds is False
        assert "(holds off)" in text_of(app.screen.query_one("#detail-text", Static))


async def test_ctrl_q_on_the_end_screen_still_logs_the_session(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "box")
        advance(app, screen, 5.0)
        await pilot.press("q")  # under ten seconds: ends at once
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    with PracticeLog.open() as log:
        (entry,) = log.entries()
    assert entry.ended_at is not None and 4 < entry.practised_seconds < 6
