"""Every TUI flow, driven from the keyboard with Pilot on a fake clock (no sound, no timers)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static, Switch

from assistant.core.model import PhaseKind
from assistant.storage.log import PracticeLog
from assistant.storage.settings import load_settings
from assistant.ui.app import GroundApp
from assistant.ui.screens.confirm import ConfirmScreen
from assistant.ui.screens.end import EndScreen
from assistant.ui.screens.home import HomeScreen
from assistant.ui.screens.session import SessionScreen
from assistant.ui.screens.settings import SettingsScreen
from assistant.ui.screens.tension import TensionScreen
from assistant.ui.screens.too_small import TooSmallScreen
from assistant.ui.widgets.breath_pacer import BreathPacer
from assistant.ui.widgets.breath_trace import BreathTrace
from tests.helpers import FakeMeter
from tests.helpers.paths import DATA
from tests.helpers.pilot import advance, start

SIZE = (80, 24)


def first_phase_frame(screen: SessionScreen, phase: PhaseKind) -> int:
    return next(e.frame for e in screen.session.timeline.events if e.phase is phase)


async def test_pick_box_and_breathe_along(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        screen = await start(pilot, "box")
        assert screen.session.timeline.script_id == "box"
        pacer = screen.query_one(BreathPacer)
        assert pacer.phase is None  # the introduction is narration
        rate = screen.session.timeline.sample_rate
        inhale = first_phase_frame(screen, PhaseKind.INHALE)
        advance(app, screen, inhale / rate + 1.0)
        assert pacer.phase is PhaseKind.INHALE
        assert pacer.seconds_left == 3
        advance(app, screen, 4.0)
        assert pacer.phase is PhaseKind.HOLD
        advance(app, screen, 4.0)
        assert pacer.phase is PhaseKind.EXHALE


async def test_pause_freezes_and_resume_continues(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "box")
        advance(app, screen, 2.0)
        assert screen.active_bindings["space"].binding.description == "Pause"
        await pilot.press("space")
        assert screen.active_bindings["space"].binding.description == "Resume"
        frozen = screen.session.position()
        advance(app, screen, 60.0)
        assert screen.session.position() == frozen
        assert screen.query_one(BreathPacer).paused
        assert "paused" in str(screen.query_one("#progress").render())
        await pilot.press("space")
        assert screen.active_bindings["space"].binding.description == "Pause"
        advance(app, screen, 1.0)
        assert screen.session.position() == frozen + screen.session.timeline.sample_rate


async def test_skip_goes_to_the_next_step(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "box")
        advance(app, screen, 0.5)
        await pilot.press("right")
        steps = screen.session.timeline.steps
        assert screen.session.position() == steps[1].start


async def test_end_early_asks_only_after_ten_seconds(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "box")
        advance(app, screen, 3.0)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)  # a quick change of mind needs no dialog
        assert not app.screen.result.completed
        await pilot.press("escape")
        await pilot.pause()
        screen = await start(pilot, "")
        advance(app, screen, 30.0)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert screen.session.player.paused  # nothing plays on while the question is open
        await pilot.press("space")  # keep going
        await pilot.pause()
        assert app.screen is screen
        assert not screen.session.player.paused
        await pilot.press("q")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        assert 29 < app.screen.result.practised_seconds < 31


async def test_rating_before_and_after_is_saved_with_a_note(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app(ask_before=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"four seven")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TensionScreen)
        await pilot.press("6", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        advance(app, screen, screen.session.timeline.seconds + 1)
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        assert app.screen.result.completed
        assert app.screen.result.breaths == 4
        await pilot.press("3", "tab")  # Enter would save now; Tab goes on to the note
        await pilot.press(*"calmer now", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    with PracticeLog.open() as log:
        (entry,) = log.entries()
    assert (entry.script_id, entry.tension_before, entry.tension_after) == (
        "four-seven-eight",
        6,
        3,
    )
    assert entry.note == "calmer now"
    assert entry.completed and entry.breaths == 4


async def test_skipping_the_questions_still_logs_the_session(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app(ask_before=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"box", "enter")
        await pilot.pause()
        await pilot.press("enter")  # no number: it starts without one (Esc would go back)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        advance(app, screen, 20)
        await pilot.press("q", "enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    with PracticeLog.open() as log:
        (entry,) = log.entries()
    assert entry.tension_before is None and entry.tension_after is None
    assert not entry.completed


async def test_settings_change_is_persisted(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.pause()
        switch = app.screen.query_one("#reduced_motion", Switch)
        switch.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert switch.value
        holds = app.screen.query_one("#holds", Select)
        assert holds.value == "on"
        holds.value = "off"  # the breath holds: on, off, or not chosen yet
        await pilot.pause()
    settings, _ = load_settings()
    assert settings.reduced_motion
    assert settings.holds is False


@pytest.mark.usefixtures("piper_installed")
async def test_settings_name_the_automatic_voice(make_app: Callable[..., GroundApp]) -> None:
    app = make_app(engine="auto")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        engine = app.screen.query_one("#engine", Select)
        assert engine.value == "auto"
        shown = engine.query_one("SelectCurrent Static#label", Static)
        assert str(shown.render()) == "Automatic: Joe, natural"


async def test_broken_user_script_is_shown_with_its_line(
    make_app: Callable[..., GroundApp], ground_home: Path
) -> None:
    folder = ground_home / "config" / "scripts"
    folder.mkdir(parents=True)
    (folder / "broken.toml").write_text((DATA / "broken.toml").read_text())
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        for _ in range(40):
            await pilot.press("down")
        await pilot.pause()
        detail = str(home.query_one("#detail-text").render())
        assert str(folder / "broken.toml") in detail  # the whole path once
        assert "\nbroken.toml:9: " in detail  # then each problem as file:line: message
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)  # a broken script cannot start


async def test_quick_reset_from_anywhere(make_app: Callable[..., GroundApp]) -> None:
    app = make_app(ask_before=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)  # no question first: it is urgent
        assert app.screen.session.timeline.script_id == "now"


async def test_filter_narrows_the_list(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"social")
        await pilot.pause()
        home = app.screen
        ids = [o.id for o in home.query_one("#scripts").options if o.id]
        assert set(ids) == {"before-social", "after-social", "evening", "rehearse"}
        assert home.query_one("#filter", Input).value == "social"


async def test_length_can_be_chosen_in_minutes_or_breaths(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"box")
        await pilot.press("-", "-")  # 3 min → 2 → 1
        await pilot.press("+")
        screen = await start(pilot, "")
        assert abs(screen.session.timeline.seconds - 120) < 12
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("tab", "+")
        screen = await start(pilot, "")
        assert screen.session.timeline.breaths > 0


async def test_a_small_terminal_says_so(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=(60, 18)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "needs 80×24" in str(app.screen.query_one("#too-small").render())
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_a_new_voice_is_saved_and_used_next_time(make_app: Callable[..., GroundApp]) -> None:
    from textual.widgets import Select

    app = make_app(engine="espeak")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        select = app.screen.query_one("#voice", Select)
        values = [value for _, value in select._options if isinstance(value, str) and value]
        choice = next(v for v in values if v.lower().endswith("en-gb-x-rp"))
        select.value = choice
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        script = app.services.library.get("box")
        assert app.services.request(script).voice == choice
    assert load_settings()[0].voice == choice


async def test_every_action_is_in_the_command_palette(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Quick reset", "History", "Settings", "Help"} <= titles
        screen = await start(pilot, "box")
        titles = {c.title for c in app.get_system_commands(screen)}
        assert {"Pause", "Skip", "Voice", "Tones", "End", "Louder", "Softer"} <= titles
        pause = next(c for c in app.get_system_commands(screen) if c.title == "Pause")
        pause.callback()
        await pilot.pause()
        assert screen.session.player.paused
        titles = {c.title for c in app.get_system_commands(screen)}
        assert "Resume" in titles
        assert "Pause" not in titles


async def test_help_lists_the_keys_of_the_screen_underneath(
    make_app: Callable[..., GroundApp],
) -> None:
    from assistant.ui.screens.help import SAFETY, HelpScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, "box")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        for words in ("Pause", "Skip", "Voice", "isn't a treatment", "findahelpline.com"):
            assert words in text
        # The safety word first, in view at 80×24; keys named as people write them.
        safety = next(s for s in app.screen.query("Static") if SAFETY in str(s.render()))
        assert safety.region.bottom <= SIZE[1]
        assert "q / Esc" in text and "escape" not in text
        await pilot.press("f1")  # in a session F1 closes it (Esc is the session's stop key)
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)


async def test_remapped_keys_from_settings(make_app: Callable[..., GroundApp]) -> None:
    app = make_app(keys=(("session.pause", "p"),))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "box")
        await pilot.press("p")
        assert screen.session.player.paused
        await pilot.press("space")
        assert screen.session.player.paused, "space was remapped away"
        await pilot.press("p")
        assert not screen.session.player.paused


async def test_meter_shows_level_and_advice_and_is_remembered(
    make_app: Callable[..., GroundApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeMeter()
    monkeypatch.setattr("assistant.sound.meter.open_meter", lambda device=None: (fake, None))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "box")
        screen.action_meter()
        inhale = first_phase_frame(screen, PhaseKind.INHALE)
        advance(app, screen, inhale / 48000 + 1)
        screen.tick()
        meter = screen.query_one("#meter")
        assert meter.display
        assert "≈8/min" in str(meter.render())
        coach = str(screen.query_one("#coach").render())
        assert "let the exhale run a little longer" in coach
        # Under the pacer: the guide's curve, and the breath heard (0.5 → half a cell).
        for _ in range(8):
            advance(app, screen, 0.25)
        trace = screen.query_one(BreathTrace)
        assert trace.display
        columns = trace.columns
        assert 3 <= len(columns) <= 5  # two columns a second
        assert {heard for _, heard in columns} == {0.5}
        assert len({guide for guide, _ in columns}) > 1  # the guide's curve moves
        guide_row, heard_row = trace.rows(40)
        assert heard_row.endswith("▄" * len(columns))
        assert len(guide_row) == len(heard_row) == 40 - 6 and guide_row.strip()
        assert load_settings()[0].meter_on
        screen.action_meter()
        assert fake.stopped and not meter.display and not trace.display
        assert not load_settings()[0].meter_on


async def test_meter_key_is_hidden_without_sound(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "box")
        assert screen.check_action("meter", ()) is False


async def test_home_keeps_the_highlighted_scripts_breathing_for_the_next_start(
    make_app: Callable[..., GroundApp],
) -> None:
    """Home's first detail is read from the script cache on the next start: it is saved once
    worked out (the list's save comes before it), not only when the app closes."""
    from assistant.core.i18n import language
    from assistant.session import listed_seconds_key
    from assistant.storage.script_cache import cached_library
    from assistant.ui.widgets.script_list import ScriptList

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        entry = app.screen.query_one(ScriptList).current
        assert entry is not None and entry.script is not None
        key = f"breathing:{language()}:" + listed_seconds_key(app.services.settings)
        library, cache = cached_library()  # what a second start would read, while this runs
        computed: list[str] = []

        def lines(script: object) -> list[tuple[int, str]]:
            computed.append(entry.script.id if entry.script else "")
            return []

        kept = cache.derived(library.scripts[entry.script.id], key, lines)
    assert computed == [] and kept, (entry.script.id, kept)
