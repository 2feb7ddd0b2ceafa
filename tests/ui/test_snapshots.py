"""Snapshots of every screen at 80×24 (update with `pytest tests/ui --snapshot-update`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from assistant.core.model import PhaseKind
from assistant.ui.app import GroundApp
from assistant.ui.screens.session import SessionScreen
from tests.helpers.pilot import TODAY

SIZE = (80, 24)


async def into_box_at(pilot, phase: PhaseKind, fraction: float, *, pause: bool = False) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*"box", "enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen)
    timeline = screen.session.timeline
    event = next(e for e in timeline.events if e.phase is phase and e.kind.value == "phase")
    target = event.frame + fraction * event.duration
    pilot.app.services.clock.advance(target / timeline.sample_rate)
    screen.tick()
    if pause:
        await pilot.press("space")
    await pilot.pause()


class TestHome:
    def test_home(self, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(make_app(), terminal_size=SIZE)

    def test_home_filtered(self, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(make_app(), press=list("sigh"), terminal_size=SIZE)


class TestSession:
    def test_inhale(self, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await into_box_at(pilot, PhaseKind.INHALE, 0.6)

        assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)

    def test_hold(self, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await into_box_at(pilot, PhaseKind.HOLD, 0.5)

        assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)

    def test_exhale(self, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await into_box_at(pilot, PhaseKind.EXHALE, 0.7)

        assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)

    def test_paused(self, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await into_box_at(pilot, PhaseKind.INHALE, 0.3, pause=True)

        assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)

    def test_reduced_motion(self, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await into_box_at(pilot, PhaseKind.INHALE, 0.6)

        app = make_app(reduced_motion=True)
        assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


class TestSessionWithMeter:
    def test_meter_and_breath_trace(  # type: ignore[no-untyped-def]
        self, snap_compare, make_app: Callable[..., GroundApp], monkeypatch
    ) -> None:
        from tests.helpers import FakeMeter

        app = make_app()

        class Breathing(FakeMeter):
            """Breath heard as a bump every 8 seconds, by the (fake) clock: the UI's own timer
            also ticks during the test, so a count of calls would not be repeatable."""

            def take_breath(self) -> float | None:
                phase = int(app.services.clock.now() * 2) % 16
                return None if phase < 2 else max(0.0, 1.0 - abs(phase - 10) / 4)

        fake = Breathing(rate=8.0)
        monkeypatch.setattr("assistant.sound.meter.open_meter", lambda device=None: (fake, None))

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await into_box_at(pilot, PhaseKind.INHALE, 0.0)
            screen = pilot.app.screen
            screen.action_meter()
            for _ in range(4 * 30):  # 30 s at 4 ticks a second
                pilot.app.services.clock.advance(0.25)
                screen.tick()
            await pilot.pause()

        assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


class TestLadder:
    def test_ladder(self, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
        app = make_app()
        when = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            ladder = pilot.app.services.ladder
            for title, suds in [
                ("say hello to a neighbour", 20),
                ("ask a shop assistant a question", 30),
                ("phone the GP", 45),
                ("speak once in a team meeting", 60),
                ("go to a friend's party", 85),
            ]:
                step = ladder.add(title, suds, now=when)
            first = ladder.steps()[0]
            for day, peak in enumerate((40, 30, 20)):
                ladder.log_attempt(
                    first.id, before=45, peak=peak, after=10, now=when + timedelta(days=day)
                )
            assert step is not None
            await pilot.press("f5")
            await pilot.pause()

        assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


class TestEnd:
    def test_end(self, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await pilot.press(*"four", "enter")
            await pilot.pause()
            screen = pilot.app.screen
            pilot.app.services.clock.advance(screen.session.timeline.seconds + 1)
            screen.tick()
            await pilot.pause()

        assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


class TestHistory:
    def test_history(self, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
        app = make_app()

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            log = pilot.app.services.log
            noon = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC)
            for days, (before, after, note) in enumerate(
                [
                    (6, 3, "before the team call"),
                    (5, 4, None),
                    (7, 3, "felt the shoulders drop"),
                    (4, 4, None),
                    (6, 2, None),
                ]
            ):
                when = noon - timedelta(days=days * 3)
                sid = log.start_session(
                    "box", "Box breathing", 180, tension_before=before, now=when
                )
                log.finish_session(
                    sid,
                    180 - days * 10,
                    8,
                    True,
                    tension_after=after,
                    note=note,
                    now=when + timedelta(minutes=3),
                )
            await pilot.press("f3")
            await pilot.pause()

        assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


class TestSettings:
    def test_settings(self, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await pilot.press("f4")
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

        assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


class TestHelp:
    def test_help(self, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await into_box_at(pilot, PhaseKind.INHALE, 0.5)
            await pilot.press("f1")
            await pilot.pause()

        assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


class TestHoldsQuestion:
    def test_holds_question(self, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(make_app(holds=None), press=[*"box", "enter"], terminal_size=SIZE)


class TestContacts:
    def test_contacts(self, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
        from assistant.core.support import Contact

        app = make_app(contacts=(Contact("Sam", "+44 7700 900123"), Contact("Mum", "0161 496")))
        assert snap_compare(app, press=["f1", "c"], terminal_size=SIZE)
