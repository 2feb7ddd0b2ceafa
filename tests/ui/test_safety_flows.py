"""What keeps a listener safe in the TUI (#19), from the keyboard with Pilot: the holds question
(asked once; Esc is "not now"), Settings' three-way choice, the safety note at a session's start,
help with the person's own contacts, the panic script first, and the ladder's rehearsal."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Button, Input, OptionList, Select, Static

from assistant.core.model import EventKind, PhaseKind
from assistant.storage.paths import settings_file
from assistant.storage.settings import load_settings
from assistant.ui.app import GroundApp
from assistant.ui.screens.confirm import ConfirmScreen
from assistant.ui.screens.contacts import ContactsScreen
from assistant.ui.screens.end import EndScreen
from assistant.ui.screens.help import HelpScreen
from assistant.ui.screens.holds import HoldsScreen
from assistant.ui.screens.home import HomeScreen
from assistant.ui.screens.ladder import LadderScreen
from assistant.ui.screens.session import SAFETY_SECONDS, SessionScreen
from assistant.ui.screens.settings import SettingsScreen
from assistant.ui.screens.suds import SudsScreen
from tests.helpers.pilot import add_step, advance, open_ladder

SIZE = (80, 24)
HOLD_PHASES = {PhaseKind.HOLD, PhaseKind.HOLD_AFTER_EXHALE}


def phases(screen: SessionScreen) -> set[PhaseKind]:
    return {e.phase for e in screen.session.timeline.events if e.phase is not None}


async def pick(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*text, "enter")
    await pilot.pause()


async def end_session(pilot) -> None:  # type: ignore[no-untyped-def]
    """End the session at once and skip the end screen's questions: back where it started."""
    await pilot.press("q")
    await pilot.pause()
    assert isinstance(pilot.app.screen, EndScreen)
    await pilot.press("escape")
    await pilot.pause()


# -- the holds question ---------------------------------------------------------------------------


async def test_not_now_plays_box_without_holds_saves_nothing_and_asks_again(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app(holds=None)
    async with app.run_test(size=SIZE) as pilot:
        await pick(pilot, "box")
        assert isinstance(app.screen, HoldsScreen)  # before anything plays
        text = " ".join(str(s.render()) for s in app.screen.query(Static))
        for words in ("asthma", "high blood pressure", "pregnant", "panic attacks", "Not now"):
            assert words.lower() in text.lower()
        await pilot.press("escape")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert not phases(screen) & HOLD_PHASES
        assert app.services.settings.holds is None
        assert not settings_file().exists()
        await end_session(pilot)
        await pick(pilot, "")  # box again, still highlighted
        assert isinstance(app.screen, HoldsScreen)  # not chosen: asked again
        await pilot.press("enter")  # Enter, like Esc, is "not now" (no button has the focus)
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.services.settings.holds is None


async def test_include_the_holds_is_kept_and_never_asked_again(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app(holds=None)
    async with app.run_test(size=SIZE) as pilot:
        await pick(pilot, "box")
        await pilot.press("y")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert phases(screen) >= HOLD_PHASES
        assert load_settings()[0].holds is True
        await end_session(pilot)
        await pick(pilot, "")
        assert isinstance(app.screen, SessionScreen)  # chosen: no question
        await end_session(pilot)
        await pilot.press("ctrl+u", *"four", "enter")  # 4-7-8 too: one choice for all scripts
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)


async def test_leave_them_out_is_kept(make_app: Callable[..., GroundApp]) -> None:
    app = make_app(holds=None)
    async with app.run_test(size=SIZE) as pilot:
        await pick(pilot, "four")
        assert isinstance(app.screen, HoldsScreen)
        await pilot.click("#leave-out")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert not phases(screen) & HOLD_PHASES
        assert load_settings()[0].holds is False


async def test_scripts_without_holds_never_ask(make_app: Callable[..., GroundApp]) -> None:
    app = make_app(holds=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")  # the quick reset
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await end_session(pilot)
        await pick(pilot, "panic")
        assert isinstance(app.screen, SessionScreen)


async def test_settings_shows_the_choice_three_ways(make_app: Callable[..., GroundApp]) -> None:
    app = make_app(holds=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        holds = app.screen.query_one("#holds", Select)
        assert holds.value == "unset"
        assert [label for label, _ in holds._options][:3] == [
            "not chosen yet (none played)",
            "on: play the holds",
            "off: leave them out",
        ]
        holds.value = "on"
        await pilot.pause()
        assert load_settings()[0].holds is True
        holds.value = "unset"
        await pilot.pause()
        assert load_settings()[0].holds is None


# -- the safety note, and the panic script first --------------------------------------------------


async def test_the_safety_note_is_shown_at_the_start_then_goes(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        line = screen.query_one("#coach", Static)
        assert "If you feel dizzy, make the breaths smaller." in str(line.render())
        assert line.region.bottom <= SIZE[1]  # in view
        advance(app, screen, SAFETY_SECONDS + 1)
        await pilot.pause()
        assert str(line.render()).strip() == ""


async def test_the_panic_script_is_first_and_enter_starts_it(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.session.timeline.script_id == "panic"


# -- where to get help, and your people -----------------------------------------------------------


async def test_help_shows_where_to_get_help_and_your_people(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(s.render()) for s in app.screen.query(Static))
        for words in ("seek medical care", "local emergency number", "findahelpline.com"):
            assert words in text
        assert "No one added yet" in text
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        contacts = app.screen
        await pilot.press(*"[bold red]Sam[/]", "enter", *"+44 7700 900123", "enter")
        await pilot.press(*"Mum", "enter", *"0161", "enter")
        await pilot.pause()
        assert [c.name for c in load_settings()[0].contacts] == ["[bold red]Sam[/]", "Mum"]
        # Remove Mum: from the list, with Del, then a question (a stray key loses no one).
        listing = contacts.query_one("#contact-list", OptionList)
        listing.focus()
        listing.highlighted = 1
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert [c.name for c in load_settings()[0].contacts] == ["[bold red]Sam[/]"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = str(app.screen.query_one("#help-contacts", Static).render())
        assert "[bold red]Sam[/] — +44 7700 900123" in shown  # their words, never markup


async def test_a_contact_with_control_characters_is_refused(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ContactsScreen())
        await pilot.pause()
        app.screen.query_one("#contact-name", Input).value = "Sam\u202e"
        app.screen.query_one("#contact-number", Input).value = "1"
        app.screen.query_one("#contact-number", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert load_settings()[0].contacts == ()
        assert any("control characters" in n.message for n in app._notifications)


# -- the ladder's rehearsal -----------------------------------------------------------------------


async def test_rehearse_a_step_with_ratings_kept_apart_from_tries(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        ladder = await open_ladder(pilot)
        await add_step(pilot, "Say hello to a neighbour", "40", safety="looking at my phone")
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, SudsScreen)
        await pilot.press(*"70", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        timeline = screen.session.timeline
        assert timeline.title == "Rehearse: Say hello to a neighbour"
        said = " ".join(e.text for e in timeline.events if e.kind is EventKind.SAY)
        assert "say hello to a neighbour" in said and "looking at my phone" in said
        await pilot.press("q")
        await pilot.pause()
        end = app.screen
        assert isinstance(end, EndScreen)
        # One rating, the rehearsal's own 0–100 next: the end screen asks no 0–10 question.
        assert not end.query("#after")
        assert "How tense" not in " ".join(str(w.render()) for w in end.query(Static))
        assert end.query_one("#note", Input).has_focus
        await pilot.press(*"went fine", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SudsScreen)  # back on the ladder: how anxious now
        (entry,) = app.services.log.entries()  # type: ignore[union-attr]
        assert (entry.tension_after, entry.note) == (None, "went fine")
        await pilot.press(*"40", "enter")
        await pilot.pause()
        assert app.screen is ladder
        (rehearsal,) = app.services.ladder.rehearsals()  # type: ignore[union-attr]
        assert (rehearsal.suds_before, rehearsal.suds_after) == (70, 40)
        assert app.services.ladder.attempts() == []  # type: ignore[union-attr]
        assert any("A little lower than before" in n.message for n in app._notifications)
        tries = str(ladder.query_one("#step-tries", Static).render())
        assert "Rehearsed in your imagination once" in tries and "70 → 40" in tries
        assert "Not tried yet" in tries  # a rehearsal is never a try


async def test_esc_before_a_rehearsal_starts_nothing(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        ladder = await open_ladder(pilot)
        await add_step(pilot, "Say hello to a neighbour", "40")
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is ladder
        assert app.services.ladder.rehearsals() == []  # type: ignore[union-attr]


async def test_get_ready_names_the_safety_behaviour(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await open_ladder(pilot)
        await add_step(pilot, "Say hello to a neighbour", "40", safety="looking at my phone")
        assert isinstance(app.screen, LadderScreen)
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        said = " ".join(e.text for e in screen.session.timeline.events if e.kind is EventKind.SAY)
        assert "You noted something you'd like to drop: looking at my phone." in said


async def test_settings_open_your_people_too(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#contacts", Button).press()  # below the fold at 80×24
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        await pilot.press(*"Sam", "enter", *"123", "enter")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert [c.line() for c in load_settings()[0].contacts] == ["Sam — 123"]
