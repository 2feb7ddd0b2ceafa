"""What the app shows is what will play, and every way back works (issue 20, the TUI's part).

Driven from the keyboard with Pilot on a fake clock (no sound): Home's breathing follows the
settings and the scripts folder, Settings says the new state, the stop key works from every
overlay over a session, the questions before a session go back, the footers fit.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, Select, Static, Switch
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

from assistant.core.compiler import CompileOptions
from assistant.core.model import EventKind, PhaseKind, length_text
from assistant.session import listed_seconds, listed_timeline
from assistant.storage.log import Ending, PracticeLog
from assistant.ui.app import GroundApp
from assistant.ui.screens.confirm import EndConfirmScreen
from assistant.ui.screens.end import EndScreen
from assistant.ui.screens.help import SessionHelpScreen
from assistant.ui.screens.history import HistoryScreen
from assistant.ui.screens.home import HomeScreen
from assistant.ui.screens.ladder import LadderScreen, StepForm
from assistant.ui.screens.session import SessionPalette, SessionScreen
from assistant.ui.screens.settings import SettingsScreen
from assistant.ui.screens.tension import TensionScreen
from assistant.ui.screens.too_small import TooSmallScreen
from assistant.ui.widgets.breath_pacer import BreathPacer
from assistant.ui.widgets.key_footer import KeyFooter
from assistant.ui.widgets.script_list import ScriptList
from tests.helpers import RATE

SIZE = (80, 24)


def detail(app: GroundApp) -> str:
    home = next(s for s in app.screen_stack if isinstance(s, HomeScreen))
    return str(home.query_one("#detail-text", Static).render())


def length_line(app: GroundApp) -> str:
    home = next(s for s in app.screen_stack if isinstance(s, HomeScreen))
    return str(home.query_one("#length", Static).render())


def entries() -> list[tuple[str, float, bool, int | None, int | None]]:
    with PracticeLog.open() as log:
        return [
            (
                e.script_id,
                e.practised_seconds,
                e.completed,
                e.tension_before,
                e.tension_after,
            )
            for e in log.entries()
        ]


async def open_session(pilot, typed: str) -> SessionScreen:  # type: ignore[no-untyped-def]
    await pilot.press(*typed, "enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen), type(screen)
    return screen


def advance(app: GroundApp, screen: SessionScreen, seconds: float) -> None:
    app.services.clock.advance(seconds)
    screen.tick()


async def toggle(pilot, setting: str) -> None:  # type: ignore[no-untyped-def]
    switch = pilot.app.screen.query_one(f"#{setting}", Switch)
    switch.focus()
    await pilot.press("enter")
    await pilot.pause()


async def choose_holds(pilot, value: str) -> None:  # type: ignore[no-untyped-def]
    """Settings' breath-holds choice: "on", "off" or "unset" (not chosen yet)."""
    pilot.app.screen.query_one("#holds", Select).value = value
    await pilot.pause()


# -- item 1: Home describes the breath that will play ------------------------------------------


async def test_with_pace_125_home_shows_box_as_in_5_and_so_does_the_session(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app(pace=1.25)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"box")
        await pilot.pause()
        text = detail(app)
        # The script's own words for each phase ("rest", not a second "hold").
        assert "in 5 · hold 5 · out 5 · rest 5 — 3 breaths/min" in text
        screen = await open_session(pilot, "")
        timeline = screen.session.timeline
        played = [
            (e.phase, e.duration / timeline.sample_rate)
            for e in timeline.events
            if e.kind is EventKind.PHASE and e.cycle == 0
        ]
        assert played == [
            (PhaseKind.INHALE, 5.0),
            (PhaseKind.HOLD, 5.0),
            (PhaseKind.EXHALE, 5.0),
            (PhaseKind.HOLD_AFTER_EXHALE, 5.0),
        ]
        said = " ".join(e.text for e in timeline.events if e.kind is EventKind.SAY)
        assert "Breathe in for five" in said


async def test_holds_turned_on_then_off_in_settings_show_on_home_at_once(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"box")
        await pilot.pause()
        assert "in 4 · hold 4 · out 4 · rest 4" in detail(app)
        await pilot.press("f4")
        await pilot.pause()
        await choose_holds(pilot, "off")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)  # the cursor never moved
        assert "in 4 · out 4 — 7.5 breaths/min (holds off)" in detail(app)
        await pilot.press("f4")
        await pilot.pause()
        await choose_holds(pilot, "on")
        await pilot.press("escape")
        await pilot.pause()
        text = detail(app)
        assert "in 4 · hold 4 · out 4 · rest 4" in text and "holds off" not in text
        screen = await open_session(pilot, "")
        kinds = {e.phase for e in screen.session.timeline.events if e.kind is EventKind.PHASE}
        assert PhaseKind.HOLD in kinds  # and the session plays the holds it shows


async def test_a_setting_from_the_palette_redraws_home_and_its_lengths(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"four")
        await pilot.pause()
        services = app.services
        before = length_text(services.script_seconds(services.library.get("four-seven-eight")))
        app.change_setting("pace", 1.25)  # what the palette's command calls
        await pilot.pause()
        script = services.library.get("four-seven-eight")
        after = length_text(services.script_seconds(script))
        assert before != after
        listed = app.screen.query_one(ScriptList)
        entry = listed.current
        assert entry is not None and entry.script is not None
        assert entry.script.id == "four-seven-eight"
        assert length_text(entry.minutes * 60) == after  # the list follows the settings
        assert "in 5 · hold 8.8 · out 10" in detail(app)
        assert (
            app._notifications and "Saved: breathing pace" in list(app._notifications)[-1].message
        )


async def test_tab_between_minutes_and_breaths_keeps_each_choice(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"box")
        await pilot.press("+", "+")  # 3 → 4 → 5 min
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        box = app.services.library.get("box")
        assert home.length_for(box).minutes == 5
        await pilot.press("tab")  # to breaths: as many as the 5 minutes hold
        breaths = home.length_for(box).breaths
        assert breaths is not None and 15 <= breaths <= 20
        await pilot.press("+")
        chosen = home.length_for(box).breaths
        assert chosen is not None and chosen > breaths
        await pilot.press("tab")
        assert home.length_for(box).minutes == 5  # the minutes chosen came back
        await pilot.press("tab")
        assert home.length_for(box).breaths == chosen  # and so do the breaths
        assert f"{chosen} breaths" in length_line(app)


async def test_the_length_chooser_shows_what_each_choice_plays(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app(pace=1.25, holds=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"box")
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        settings = app.services.settings
        box = app.services.library.get("box")
        assert f"‹ {length_text(listed_seconds(settings, box))} ›" in length_line(app)
        await pilot.press("+")  # 3 → 4 min: what 4 minutes asked for play, not "4 min"
        played = listed_seconds(settings, box, minutes=4)
        assert f"‹ {length_text(played)} ›" in length_line(app)
        assert "min ›" not in length_line(app)
        await pilot.press("tab")  # as many breaths as those minutes hold, with what they play
        breaths = home.length_for(box).breaths
        assert breaths == listed_timeline(settings, box, minutes=4).breaths
        played = listed_seconds(settings, box, breaths=breaths)
        assert f"‹ {breaths} breaths · {length_text(played)} ›" in length_line(app)
        await pilot.press("+")
        more = home.length_for(box).breaths
        assert more is not None and more > breaths
        played = listed_seconds(settings, box, breaths=more)
        assert f"‹ {more} breaths · {length_text(played)} ›" in length_line(app)


async def test_in_breaths_a_script_keeps_its_length_beside_its_fixed_breaths(
    make_app: Callable[..., GroundApp],
) -> None:
    """`now` says three sighs, then breathes for the rest: a length in breaths counts the rest."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"right now")
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        settings = app.services.settings
        now = app.services.library.get("now")
        assert home.query_one(ScriptList).current.script is now  # type: ignore[union-attr]
        await pilot.press("tab")
        breaths = home.length_for(now).breaths
        assert breaths is not None
        own = listed_timeline(settings, now)
        assert listed_timeline(settings, now, breaths=breaths).breaths == own.breaths
        played = listed_seconds(settings, now, breaths=breaths)
        assert played == own.seconds
        assert f"‹ {breaths} breaths · {length_text(played)} ›" in length_line(app)


async def test_the_length_chooser_measures_the_voice_in_use(
    make_app: Callable[..., GroundApp],
) -> None:
    """Lengths come from the voice's clips in the cache (here each phrase takes 3 s), as the
    list, `ground check` and the countdown measure them, not from an estimate."""
    from dataclasses import replace as with_

    from assistant.core.compiler import spoken_texts
    from assistant.session import estimate_timeline, make_renderer, request_for

    app = make_app(engine="espeak")
    settings = app.services.settings
    box = app.services.library.get("box")
    request = request_for(settings, box, breaths=30)
    voice, _ = make_renderer(request)
    assert voice is not None and voice.cache is not None
    for text in spoken_texts(box, with_(request.options, voice=True)):
        voice.cache.put(voice.key(text), b"\x00\x00" * 3 * RATE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"box", "+", "tab")
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        breaths = home.length_for(box).breaths
        assert breaths is not None
        played = listed_seconds(settings, box, breaths=breaths)
        guessed = estimate_timeline(box, CompileOptions(breaths=breaths), settings.rate).seconds
        assert length_text(played) != length_text(guessed)  # the cache's clips count
        assert f"‹ {breaths} breaths · {length_text(played)} ›" in length_line(app)
        breaths_held = listed_timeline(settings, box, minutes=4).breaths
        assert breaths == breaths_held  # the minutes the cached voice takes


async def test_scripts_added_or_broken_while_open_appear_with_every_problem(
    make_app: Callable[..., GroundApp], ground_home: Path
) -> None:
    folder = ground_home / "config" / "scripts"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        folder.mkdir(parents=True)
        (folder / "mine.toml").write_text(
            'title = "My calm"\nsummary = "Mine."\ncategory = "breathe"\n[[step]]\nsay = "Hello."\n'
        )
        (folder / "broken.toml").write_text(
            'title = 5\nsummary = "x"\ncategory = "nope"\ncolour = "blue"\n[[step]]\nsya = 1\n'
        )
        # Back on Home (from Settings here): it looks at the folder again.
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        listed = home.query_one(ScriptList)
        ids = [o.id for o in listed.options if o.id]
        assert "mine" in ids
        broken = next(i for i in ids if i.endswith("broken.toml"))
        listed.highlighted = listed.get_option_index(broken)
        await pilot.pause()
        text = detail(app)
        assert "could not be loaded (4 problems)" in text
        for line in (1, 3, 4, 5):
            assert f"\nbroken.toml:{line}: " in text
        # Fixed while Home is shown: the low-rate look at the folder finds it.
        (folder / "broken.toml").write_text(
            'title = "Fixed"\nsummary = "x"\ncategory = "ground"\n[[step]]\nsay = "Hi."\n'
        )
        home.catch_up()  # what the timer calls every few seconds
        await pilot.pause()
        assert "broken" in [o.id for o in listed.options if o.id]
        # Another, written while the terminal had lost the focus: seen when it comes back.
        (folder / "later.toml").write_text(
            'title = "Later"\nsummary = "x"\ncategory = "move"\n[[step]]\nsay = "Hi."\n'
        )
        app.post_message(events.AppFocus())
        await pilot.pause()
        assert "later" in [o.id for o in listed.options if o.id]


# -- item 3: Settings says the new state --------------------------------------------------------


async def test_settings_saved_line_says_the_new_state(make_app: Callable[..., GroundApp]) -> None:
    app = make_app(meter_on=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        status = app.screen.query_one("#settings-status", Static)
        await toggle(pilot, "meter_on")
        assert str(status.render()) == "Saved: breath meter off."
        await choose_holds(pilot, "off")
        assert str(status.render()) == "Saved: breath holds off."
        await choose_holds(pilot, "on")
        assert str(status.render()) == "Saved: breath holds on."
        await choose_holds(pilot, "unset")
        assert str(status.render()) == (
            "Saved: breath holds not chosen yet (none played; asked next time)."
        )
        await toggle(pilot, "voice_on")
        assert "not spoken" in str(status.render())


# -- item 7: the stop key from Help and every overlay over a session ----------------------------


async def test_help_in_a_session_pauses_it_and_q_stops_as_from_the_session(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_session(pilot, "box")
        advance(app, screen, 30)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, SessionHelpScreen)
        assert screen.practice.paused  # nothing plays on unseen
        frozen = screen.practice.position()
        advance(app, screen, 20)
        assert screen.practice.position() == frozen
        await pilot.press("f1")  # closes it: the session carries on
        await pilot.pause()
        assert app.screen is screen and not screen.practice.paused
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("q")  # one press: as q in the session, it asks
        await pilot.pause()
        assert isinstance(app.screen, EndConfirmScreen)
        await pilot.press("space")  # keep going: it plays on, as before Help
        await pilot.pause()
        assert app.screen is screen and not screen.practice.paused
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("q", "q")  # twice: it ends
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        assert 29 < app.screen.result.practised_seconds < 31


async def test_esc_in_help_is_the_stop_key_unless_remapped(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_session(pilot, "box")
        advance(app, screen, 2)
        await pilot.press("f1", "escape")  # in the first seconds: ends at once, as in a session
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)
    app = make_app(keys={"session.end": "x"})
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_session(pilot, "box")
        advance(app, screen, 30)
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("escape")  # not a stop key here: it only closes Help
        await pilot.pause()
        assert app.screen is screen and not screen.practice.paused
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, EndConfirmScreen)


async def test_esc_in_the_palette_over_a_session_is_the_stop_key(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_session(pilot, "box")
        advance(app, screen, 30)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, SessionPalette)
        await pilot.press("q")  # typed into the search, not a stop
        await pilot.pause()
        assert isinstance(app.screen, SessionPalette)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EndConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)


async def test_keys_that_would_leave_a_session_do_nothing_under_help(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_session(pilot, "box")
        advance(app, screen, 30)
        await pilot.press("f1")
        await pilot.pause()
        stack = list(app.screen_stack)
        for key in ("f2", "f3", "f4", "f5", "ctrl+n"):
            await pilot.press(key)
            await pilot.pause()
            assert list(app.screen_stack) == stack, key
        assert screen.practice.session.timeline.script_id == "box"


async def test_the_stop_key_works_from_the_too_small_notice_remapped_too(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app(keys={"session.end": "x"})
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_session(pilot, "box")
        advance(app, screen, 30)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "x ends it" in str(app.screen.query_one("#too-small", Static).render())
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, EndConfirmScreen)


# -- item 8: the ladder's news on one quiet line, its footer whole ------------------------------


async def test_ladder_news_is_one_quiet_line_never_stacked_toasts(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        ladder = app.screen
        assert isinstance(ladder, LadderScreen)
        for title, suds in (("say hello", "10"), ("ask in a meeting", "60"), ("phone", "30")):
            await pilot.press("a")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, StepForm)
            form.query_one("#title", Input).value = title
            form.query_one("#suds", Input).value = suds
            await pilot.press("ctrl+s")
            await pilot.pause()
        assert not app._notifications  # no toast over the step
        news = ladder.query_one("#ladder-news", Static)
        assert news.display and "big jump" in str(news.render())
        assert news.region.height <= 2
        hints = str(ladder.query_one("#ladder-hints", Static).render())
        assert "10 → 30, 30 → 60" in hints


# -- item 9: the question before a session goes back ---------------------------------------------


async def test_esc_on_the_tension_question_goes_home_with_nothing_started_or_logged(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app(ask_before=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"box", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TensionScreen)
        assert "Esc goes back" in " ".join(str(s.render()) for s in app.screen.query(Static))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app._practice is None
        await pilot.press("enter", "7", "enter")  # and a number, then Enter, starts
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.practice.tension_before == 7
    assert [e[0] for e in entries()] == ["box"]  # the one started, not the one gone back from


async def test_a_script_started_from_the_palette_goes_back_to_where_you_were(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app(ask_before=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        history = app.screen
        assert isinstance(history, HistoryScreen)
        app.start_by_name("box")
        await pilot.pause()
        assert isinstance(app.screen, TensionScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is history
    assert entries() == []


# -- item 12 and the end screen: where F2 comes back to, what is kept ----------------------------


async def test_f2_from_the_ladder_comes_back_to_the_ladder(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        ladder = app.screen
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        advance(app, screen, screen.session.timeline.seconds + 1)
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is ladder


async def test_f2_on_the_end_screen_saves_that_session_first(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_session(pilot, "box")
        advance(app, screen, 30)
        await pilot.press("q", "q")
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.session.timeline.script_id == "now"
    first = next(e for e in entries() if e[0] == "box")
    assert 29 < first[1] < 31 and not first[2]  # kept as stopped early, with its time
    with PracticeLog.open() as log:
        box = next(e for e in log.entries() if e.script_id == "box")
    assert box.outcome is Ending.STOPPED_EARLY


async def test_history_shows_a_tension_after_without_a_before(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_session(pilot, "now")
        advance(app, screen, screen.session.timeline.seconds + 1)
        await pilot.pause()
        await pilot.press("3", "enter")
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        recent = str(app.screen.query_one("#recent", Static).render())
        assert "tension after 3" in recent


async def test_the_resting_label_says_read_when_no_voice_is_heard(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()  # no sound at all: the words are read, not heard
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_session(pilot, "box")
        pacer = screen.query_one(BreathPacer)
        assert pacer.phase is None  # the introduction
        assert not pacer.voice_heard
        assert pacer.drawn_state().label == "read"


# -- footers: whole keys, the way out first, at every size ---------------------------------------


def shown_footer(screen: object) -> list[tuple[str, int]]:
    """(text, right edge) of each entry the footer shows."""
    footer = screen.query_one(KeyFooter)
    out: list[tuple[str, int]] = []
    for child in footer.children:
        if not child.display:
            continue
        if isinstance(child, FooterKey):
            out.append((f"{child.key_display} {child.description}".strip(), child.region.right))
        elif isinstance(child, KeyGroup):
            keys = "".join(k.key_display for k in child.children if isinstance(k, FooterKey))
            out.append((keys, child.region.right))
        elif isinstance(child, FooterLabel):
            out.append((str(child.render()), child.region.right))
    return out


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_every_footer_shows_whole_keys_the_way_out_first(
    make_app: Callable[..., GroundApp], monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    monkeypatch.setattr("assistant.ui.screens.session._has_input", lambda: True)
    app = make_app()
    width = size[0]
    async with app.run_test(size=size) as pilot:
        await pilot.pause()  # Home mounts its footer after its first frame
        seen: dict[str, list[tuple[str, int]]] = {"home": shown_footer(app.screen)}
        for key, name in (("f3", "history"), ("f4", "settings"), ("f5", "ladder")):
            await pilot.press(key)
            await pilot.pause()
            seen[name] = shown_footer(app.screen)
            await pilot.press("escape")
            await pilot.pause()
        screen = await open_session(pilot, "box")
        app.services.sound = True  # the meter's key shows (with sound and a microphone)
        screen.refresh_bindings()
        await pilot.pause()
        seen["session"] = shown_footer(screen)
        advance(app, screen, 2)
        await pilot.press("q")
        await pilot.pause()
        seen["end"] = shown_footer(app.screen)
    first = {
        "home": "^q Quit",
        "history": "esc Back",
        "settings": "esc Back",
        "ladder": "esc Back",
        "session": "q End",
        "end": "esc Skip",
    }
    for name, shown in seen.items():
        assert shown and shown[0][0] == first[name], (name, shown)
        assert all(right <= width for _, right in shown), (name, shown)
    texts = {name: [t for t, _ in shown] for name, shown in seen.items()}
    assert {"m Meter", "f1 Help"} <= set(texts["session"])
    assert not {"f2 Now", "f3 History"} & set(texts["session"])  # not while a session plays
    assert {"s Sort", "Move", "n How it went", "f1 Help"} <= set(texts["ladder"])
    assert "f1 Help" in texts["end"] and "f2 Now" in texts["history"]


async def test_a_setting_from_the_palette_shows_on_the_settings_page_too(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        holds = app.screen.query_one("#holds", Select)
        assert holds.value == "on"
        app.change_setting("holds", False)  # the palette's "Breath holds: off"
        await pilot.pause()
        assert holds.value == "off"
        assert app.services.settings.holds is False


async def test_the_palette_writes_a_sessions_keys_as_people_do(
    make_app: Callable[..., GroundApp],
) -> None:
    from assistant.ui.palette import commands

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_session(pilot, "box")
        helps = {c.title: c.help for c in commands(app, screen)}
        assert helps["End"] == "End (q / Esc)"
        assert helps["Skip"] == "Skip (→)"
