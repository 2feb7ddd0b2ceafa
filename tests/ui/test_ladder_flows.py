"""The ladder in the TUI: build five steps, get ready for one, note how it went, see small wins."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input, OptionList, Static

from assistant.core.model import EventKind
from assistant.ui.app import GroundApp
from assistant.ui.screens.confirm import ConfirmScreen
from assistant.ui.screens.end import EndScreen
from assistant.ui.screens.history import HistoryScreen
from assistant.ui.screens.ladder import LadderScreen, StepForm, TryForm
from assistant.ui.screens.session import SessionScreen
from assistant.ui.widgets.suds_chart import SudsChart
from tests.helpers.pilot import add_step, open_ladder

SIZE = (100, 32)
STEPS = [
    ("say hello to a neighbour", "20"),
    ("ask a shop assistant a question", "30"),
    ("phone the GP", "45"),
    ("speak once in a team meeting", "60"),
    ("go to a friend's party", "85"),
]


async def test_build_a_five_step_ladder(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ladder(pilot)
        assert "Your ladder is empty" in str(screen.query_one("#ladder-hints", Static).render())
        for title, suds in STEPS[:4]:
            await add_step(pilot, title, suds)
        await add_step(pilot, *STEPS[4], safety="staying near the door, checking my phone")
        assert isinstance(app.screen, LadderScreen)
        assert [s.title for s in screen.steps] == [t for t, _ in STEPS]
        assert screen.steps[4].safety_behaviours == ("staying near the door", "checking my phone")
        hints = str(screen.query_one("#ladder-hints", Static).render())
        assert "may help at a big jump: 60 → 85." in hints
        # Reorder: the party first, then sort by rating puts it back on top.
        screen.query_one(OptionList).highlighted = 4
        for _ in range(4):
            await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.steps[0].title == "go to a friend's party"
        assert "Sorting by rating" in str(screen.query_one("#ladder-hints", Static).render())
        await pilot.press("s")
        await pilot.pause()
        assert [s.predicted_suds for s in screen.steps] == [20, 30, 45, 60, 85]
    # It is all on disk.
    assert len(app.services.ladder.steps()) == 5  # type: ignore[union-attr]


async def test_get_ready_names_the_step_and_the_try_is_charted(
    make_app: Callable[..., GroundApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_ladder(pilot)
        await add_step(pilot, "Say hello to a neighbour", "40")
        await pilot.press("r")
        await pilot.pause()
        session = app.screen
        assert isinstance(session, SessionScreen)
        assert session.session.timeline.title == "Get ready: Say hello to a neighbour"
        said = [e.text for e in session.session.timeline.events if e.kind is EventKind.SAY]
        line = (
            "In a moment, you'll say hello to a neighbour. "
            "Picture it through your own eyes: the place, and the people there."
        )
        assert line in said
        # Hear it through to the end, skip the questions, and land back on the ladder.
        app.services.clock.advance(session.session.timeline.seconds + 1)
        session.tick()
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        # After the step: how it went.
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, TryForm)
        for ident, value in (("before", "50"), ("peak", "30"), ("after", "15")):
            form.query_one(f"#{ident}", Input).value = value
        form.query_one("#did_well", Input).value = "I smiled"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # "After a social moment" on offer
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one(SudsChart).values == [30]
        tries = str(screen.query_one("#step-tries", Static).render())
        assert "50 → 30 → 15" in tries and "I smiled" in tries
        # A second low try: the next step is suggested (there is none: a kind word instead).
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#after", Input).value = "10"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("enter")  # yes, play "After a social moment"
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.session.timeline.script_id == "after-social"
        assert "stayed low" in str(screen.query_one("#step-suggestion", Static).render())


async def test_a_bad_rating_is_explained_not_saved(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_ladder(pilot)
        await add_step(pilot, "phone the GP", "150")
        assert isinstance(app.screen, StepForm)  # still open, with a hint
        app.screen.query_one("#suds", Input).value = "45"
        app.screen.query_one("#safety", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert [s.predicted_suds for s in app.services.ladder.steps()] == [45]  # type: ignore[union-attr]


async def test_small_wins_in_history(make_app: Callable[..., GroundApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        ladder = app.services.ladder
        assert ladder is not None
        step = ladder.add("say hello", 60)
        ladder.log_attempt(step.id, before=60, peak=60, after=40)
        ladder.log_attempt(step.id, before=30, peak=25, after=10)
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        wins = str(app.screen.query_one("#wins", Static).render())
        assert "First time you tried “say hello”" in wins
        assert "felt half as hard as the first time (60 → 25)" in wins


async def test_the_ladder_can_be_hidden_entirely(make_app: Callable[..., GroundApp]) -> None:
    app = make_app(ladder_on=False)
    async with app.run_test(size=SIZE) as pilot:
        ladder = app.services.ladder
        assert ladder is not None
        step = ladder.add("say hello", 60)
        ladder.log_attempt(step.id, before=60, after=40)
        await pilot.press("f5")
        await pilot.pause()
        assert not isinstance(app.screen, LadderScreen)
        assert app.check_action("ladder", ()) is False
        await pilot.press("f3")
        await pilot.pause()
        assert not app.screen.query("#wins")  # no ladder wins, and no sessions yet
