"""The TUI widgets, mounted alone in a tiny app at fixed sizes, read back as drawn text."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any, ClassVar, TypeVar

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widget import Widget

from assistant.core.model import PhaseKind
from assistant.core.pacing import EIGHTHS
from assistant.ui.widgets.breath_pacer import PHASE_CLASSES, RISING, BreathPacer, PacerFrame
from assistant.ui.widgets.calendar_strip import CalendarStrip
from assistant.ui.widgets.tension_chart import TensionChart
from assistant.ui.widgets.week_minutes import WeekMinutes

W = TypeVar("W", bound=Widget)
T = TypeVar("T")

#: A Wednesday, so the current week is part-drawn.
TODAY = date(2025, 3, 12)
WORDS_WE_NEVER_USE = ("streak", "missed", "broken")
#: (before, after) tension ratings of eight sessions, including a rise and both extremes.
RATINGS = [(7, 4), (6, 3), (8, 5), (5, 5), (4, 6), (9, 2), (10, 0), (0, 1)]
#: Terminal sizes from a corner of a split pane up to a big window.
SIZES = [
    (1, 1),
    (3, 2),
    (10, 3),
    (12, 4),
    (20, 5),
    (40, 8),
    (50, 10),
    (60, 12),
    (80, 24),
    (120, 40),
]


class Harness(App[None]):
    """Mounts one widget alone on the screen."""

    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget


def mounted(widget: W, size: tuple[int, int], steps: Callable[[W, Pilot[None]], Awaitable[T]]) -> T:
    """Run ``steps`` against ``widget`` mounted in a ``size`` terminal, and return its result."""

    async def main() -> T:
        app = Harness(widget)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            return await steps(widget, pilot)

    return asyncio.run(main())


def drawn(widget: Widget) -> list[str]:
    """The widget's content as the text it draws, one string per row, padded to its width.

    Checks on the way that no row spills past the widget's edge.
    """
    width, height = widget.size
    strips = [widget.render_line(y) for y in range(height)]
    assert all(strip.cell_length <= width for strip in strips)
    return [strip.text.ljust(width) for strip in strips]


def filled(lines: list[str]) -> int:
    """The dome's area in eighths of a cell (rising blocks only)."""
    return sum(RISING.index(ch) for line in lines for ch in line if ch in RISING[1:])


def bar_eighths(cells: str) -> int:
    """A left-to-right bar's length in eighths of a cell."""
    return sum(EIGHTHS.index(ch) for ch in cells if ch in EIGHTHS)


def label(lines: list[str]) -> str:
    """The last line with anything on it (the pacer's label)."""
    return [line for line in lines if line.strip()][-1].strip()


PacerState = dict[str, Any]


def pacer_views(
    states: list[PacerState], size: tuple[int, int] = (50, 10), **initial: Any
) -> list[tuple[list[str], PacerFrame, set[str]]]:
    """Set each state's reactives on one mounted pacer in turn; collect what it drew each time."""

    async def steps(
        pacer: BreathPacer, pilot: Pilot[None]
    ) -> list[tuple[list[str], PacerFrame, set[str]]]:
        views = []
        for state in states:
            for name, value in {**initial, **state}.items():
                setattr(pacer, name, value)
            await pilot.pause()
            views.append((drawn(pacer), pacer.drawn_state(), set(pacer.classes)))
        return views

    return mounted(BreathPacer(), size, steps)


def phase_at(phase: PhaseKind | None, progress: float, seconds: int = 3) -> PacerState:
    """The reactives the screen sets for a moment in a breath."""
    return {"phase": phase, "progress": progress, "seconds_left": seconds}


class TestBreathPacer:
    """The dome grows, holds and sinks with the breath, and redraws only when it moves."""

    def test_grows_during_inhale_and_top_up(self) -> None:
        views = pacer_views(
            [
                phase_at(PhaseKind.INHALE, 0.2),
                phase_at(PhaseKind.INHALE, 0.5),
                phase_at(PhaseKind.INHALE, 0.9),
                phase_at(PhaseKind.TOP_UP, 0.5),
            ]
        )
        areas = [filled(lines) for lines, _, _ in views]
        assert areas == sorted(areas)
        assert len(set(areas)) == 4

    def test_holds_steady_through_a_hold(self) -> None:
        views = pacer_views([phase_at(PhaseKind.HOLD, p) for p in (0.0, 0.3, 0.6, 0.99)])
        assert len({frame for _, frame, _ in views}) == 1
        assert len({tuple(lines) for lines, _, _ in views}) == 1
        full = pacer_views([phase_at(PhaseKind.TOP_UP, 1.0)])
        assert filled(views[0][0]) == filled(full[0][0])

    def test_shrinks_on_exhale_and_rests_small(self) -> None:
        views = pacer_views(
            [
                phase_at(PhaseKind.EXHALE, 0.2),
                phase_at(PhaseKind.EXHALE, 0.5),
                phase_at(PhaseKind.EXHALE, 0.9),
                phase_at(PhaseKind.HOLD_AFTER_EXHALE, 0.5),
            ]
        )
        areas = [filled(lines) for lines, _, _ in views]
        assert areas == sorted(areas, reverse=True)
        assert len(set(areas)) == 4
        assert areas[-1] > 0, "the resting dome never vanishes"

    def test_rests_during_narration(self) -> None:
        [(lines, _, classes)] = pacer_views([phase_at(None, 0.0, 0)])
        [(rest, _, _)] = pacer_views([phase_at(PhaseKind.HOLD_AFTER_EXHALE, 0.0)])
        assert filled(lines) == filled(rest) > 0
        assert label(lines) == "listen"
        assert not classes & set(PHASE_CLASSES.values())

    def test_dome_is_symmetric(self) -> None:
        for lines, _, _ in pacer_views([phase_at(PhaseKind.INHALE, p / 10) for p in range(11)]):
            for line in lines[:-1]:
                assert line == line[::-1]

    def test_label_shows_phase_and_seconds_left(self) -> None:
        views = pacer_views(
            [
                phase_at(PhaseKind.INHALE, 0.1, 4),
                phase_at(PhaseKind.INHALE, 0.3, 3),
                phase_at(PhaseKind.EXHALE, 0.0, 6),
                {"paused": True},
            ]
        )
        labels = [label(lines) for lines, _, _ in views]
        assert labels == ["breathe in · 4", "breathe in · 3", "breathe out · 6", "paused"]

    def test_narrow_pacer_drops_the_count_before_the_words(self) -> None:
        [(lines, _, _)] = pacer_views([phase_at(PhaseKind.EXHALE, 0.5, 5)], size=(12, 4))
        assert label(lines) == "breathe out"

    def test_state_classes_toggle(self) -> None:
        views = pacer_views(
            [phase_at(kind, 0.5) for kind in PhaseKind]
            + [{"paused": True}, {"paused": False, "reduced_motion": True}]
        )
        for (_, _, classes), kind in zip(views, PhaseKind, strict=False):
            assert classes & set(PHASE_CLASSES.values()) == {PHASE_CLASSES[kind]}
        assert {"-paused", "-rest"} <= views[5][2]
        assert "-reduced" not in views[5][2]
        assert "-reduced" in views[6][2]
        assert "-paused" not in views[6][2]

    def test_reduced_motion_draws_a_bar_and_a_count(self) -> None:
        views = pacer_views(
            [phase_at(PhaseKind.INHALE, 0.5), phase_at(PhaseKind.HOLD, 0.5)],
            reduced_motion=True,
        )
        for lines, frame, _ in views:
            assert frame.reduced
            assert not set("".join(lines)) & set(RISING[1:8]), "no dome in reduced motion"
        (inhale, _, _), (hold, _, _) = views
        inhale_bar = next(line for line in inhale if "▕" in line).strip()
        hold_bar = next(line for line in hold if "▕" in line).strip()
        assert inhale_bar[0] == "▕" and inhale_bar[-1] == "▏"
        width = len(inhale_bar) - 2
        assert bar_eighths(inhale_bar[1:-1]) == round(0.85 * 0.5 * width * 8)
        assert hold_bar[1:-1] == "█" * width
        assert label(inhale) == "breathe in · 3"
        assert label(hold) == "hold · 3"

    def test_unchanged_drawing_skips_the_redraw(self) -> None:
        async def steps(pacer: BreathPacer, pilot: Pilot[None]) -> list[int]:
            counts = []

            async def settle() -> None:
                await pilot.pause()
                counts.append(pacer.renders)

            pacer.phase, pacer.progress, pacer.seconds_left = PhaseKind.HOLD, 0.0, 4
            await settle()
            for step in range(1, 30):  # a second of 30 Hz updates through a hold: nothing moves
                pacer.progress = step / 30
                await settle()
            pacer.phase, pacer.progress = PhaseKind.INHALE, 0.5
            await settle()
            before = pacer.drawn_state()
            pacer.progress = 0.5001  # too little to move a single eighth
            await settle()
            assert pacer.drawn_state() == before
            pacer.seconds_left = 4  # the same value again
            await settle()
            pacer.seconds_left = 3  # the count changes: one redraw
            await settle()
            return counts

        counts = mounted(BreathPacer(), (50, 10), steps)
        assert len(set(counts[:30])) == 1, "a hold redraws nothing"
        assert counts[30] > counts[29], "a new phase redraws"
        assert counts[32] == counts[31] == counts[30], "invisible changes redraw nothing"
        assert counts[33] == counts[32] + 1

    def test_inhale_redraws_when_a_cell_changes(self) -> None:
        async def steps(pacer: BreathPacer, pilot: Pilot[None]) -> tuple[int, int, int]:
            pacer.phase, pacer.seconds_left = PhaseKind.INHALE, 4
            await pilot.pause()
            frames = set()
            start = pacer.renders
            for step in range(120):  # four seconds at 30 Hz
                pacer.progress = step / 120
                frames.add(pacer.drawn_state())
                await pilot.pause()
            return pacer.renders - start, len(frames), step + 1

        renders, distinct, updates = mounted(BreathPacer(), (50, 10), steps)
        assert renders <= distinct < updates

    @pytest.mark.parametrize("reduced", [False, True], ids=["dome", "bar"])
    @pytest.mark.parametrize("kind", [PhaseKind.INHALE, PhaseKind.TOP_UP, PhaseKind.EXHALE])
    def test_next_step_is_exactly_where_the_drawing_changes(
        self, kind: PhaseKind, reduced: bool
    ) -> None:
        """Looking only at next_step() sees every drawing a 1,000-step sweep of the phase sees."""

        async def steps(pacer: BreathPacer, pilot: Pilot[None]) -> tuple[list[Any], list[Any]]:
            pacer.reduced_motion = reduced
            pacer.phase = kind
            sweep: list[PacerFrame] = []
            for step in range(1001):
                pacer.progress = step / 1000
                frame = pacer.drawn_state()
                if not sweep or sweep[-1] != frame:
                    sweep.append(frame)
            pacer.progress = 0.0
            looked = [pacer.drawn_state()]
            while (at := pacer.next_step()) is not None and pacer.progress < 1.0:
                assert at > pacer.progress
                # Just before the step the drawing is unchanged; at it, it has changed.
                pacer.progress = at - 1e-9
                assert pacer.drawn_state() == looked[-1]
                pacer.progress = min(1.0, at + 1e-9)
                if pacer.drawn_state() != looked[-1]:
                    looked.append(pacer.drawn_state())
            return sweep, looked

        sweep, looked = mounted(BreathPacer(), (80, 16), steps)
        assert len(sweep) > 5
        assert looked == sweep

    def test_a_still_pacer_has_no_next_step(self) -> None:
        async def steps(pacer: BreathPacer, pilot: Pilot[None]) -> list[float | None]:
            found = []
            for kind in (PhaseKind.HOLD, PhaseKind.HOLD_AFTER_EXHALE, None):
                pacer.phase = kind
                found.append(pacer.next_step())
            pacer.phase, pacer.paused = PhaseKind.INHALE, True
            found.append(pacer.next_step())
            return found

        assert mounted(BreathPacer(), (80, 16), steps) == [None, None, None, None]

    def test_follows_a_resize(self) -> None:
        async def steps(pacer: BreathPacer, pilot: Pilot[None]) -> list[list[str]]:
            pacer.phase, pacer.progress, pacer.seconds_left = PhaseKind.HOLD, 0.5, 2
            await pilot.pause()
            views = [drawn(pacer)]
            for size in ((20, 5), (80, 24)):
                await pilot.resize_terminal(*size)
                await pilot.pause()
                assert pacer.drawn_state().size == size
                views.append(drawn(pacer))
            return views

        small, smaller, big = mounted(BreathPacer(), (50, 10), steps)
        assert [len(v) for v in (small, smaller, big)] == [10, 5, 24]
        assert filled(smaller) < filled(small) < filled(big)
        assert {label(v) for v in (small, smaller, big)} == {"hold · 2"}

    @pytest.mark.parametrize("size", SIZES)
    @pytest.mark.parametrize("reduced", [False, True])
    def test_any_size_renders(self, size: tuple[int, int], reduced: bool) -> None:
        states = [phase_at(kind, p) for kind in [*PhaseKind, None] for p in (0.0, 0.5, 1.0)]
        views = pacer_views([*states, {"paused": True}], size=size, reduced_motion=reduced)
        for lines, frame, _ in views:
            assert len(lines) == size[1]
            assert all(len(line) == size[0] for line in lines)
            assert frame.size == size
        if size[1] >= 3 and not reduced:
            assert filled(views[5][0]) > filled(views[0][0]), "hold is bigger than inhale start"


class TestCalendarStrip:
    """Practice days light up; the caption counts them and never scolds."""

    DAYS = frozenset(
        TODAY - timedelta(days=n)
        for n in (0, 1, 3, 4, 8, 15, 16, 30, 55, 70)  # 55 and 70 fall before the window
    )

    def grid(self, days: frozenset[date], size: tuple[int, int] = (50, 8)) -> list[str]:
        async def steps(strip: CalendarStrip, pilot: Pilot[None]) -> list[str]:
            return drawn(strip)

        return mounted(CalendarStrip(days, today=TODAY, weeks=8), size, steps)

    def test_marks_exactly_the_days_in_the_window(self) -> None:
        lines = self.grid(self.DAYS)
        first = date(2025, 1, 20)  # the Monday eight weeks back, counting this one
        lit = {
            first + timedelta(weeks=week, days=weekday)
            for weekday, line in enumerate(lines[:7])
            for week in range(8)
            if line[2 + 2 * week] in "■◆"
        }
        expected = {day for day in self.DAYS if first <= day <= TODAY}
        assert lit == expected
        assert lines[7].strip() == f"{len(expected)} days with practice in the last 8 weeks"
        assert lines[2][2 + 2 * 7] == "◆", "today is marked"
        assert lines[3][2 + 2 * 7] == " ", "the rest of this week is still blank"

    def test_today_open_is_marked_too(self) -> None:
        lines = self.grid(self.DAYS - {TODAY})
        assert lines[2][2 + 2 * 7] == "◇"

    def test_folds_into_one_row_when_short(self) -> None:
        async def steps(strip: CalendarStrip, pilot: Pilot[None]) -> list[str]:
            return drawn(strip)

        strip = CalendarStrip(self.DAYS, today=TODAY, weeks=2)
        strip.styles.height = 2
        row, caption = mounted(strip, (40, 10), steps)
        cells = row.rstrip()
        assert len(cells) == 10  # Monday last week to Wednesday this week
        lit = {TODAY - timedelta(days=9 - i) for i, ch in enumerate(cells) if ch in "■◆"}
        assert lit == {day for day in self.DAYS if day >= date(2025, 3, 3)}
        assert caption.strip() == "5 days with practice in the last 2 weeks"

    @pytest.mark.parametrize(
        "days", [frozenset(), frozenset({TODAY}), DAYS, frozenset({TODAY - timedelta(days=3)})]
    )
    def test_never_talks_about_streaks(self, days: frozenset[date]) -> None:
        text = "\n".join(self.grid(days)).lower()
        for word in WORDS_WE_NEVER_USE:
            assert word not in text

    def test_captions(self) -> None:
        assert CalendarStrip(today=TODAY).caption() == "Days you practise will light up here."
        one = CalendarStrip({TODAY}, today=TODAY, weeks=1)
        assert one.caption() == "1 day with practice this week"

    @pytest.mark.parametrize("size", SIZES)
    def test_any_size_renders(self, size: tuple[int, int]) -> None:
        lines = self.grid(self.DAYS, size)
        assert all(len(line) <= size[0] for line in lines)


class TestWeekMinutes:
    """A bar per week, in proportion to the minutes."""

    TOTALS: ClassVar[list[tuple[date, float]]] = [
        (date(2025, 1, 20) + timedelta(weeks=n), minutes)
        for n, minutes in enumerate([0.0, 12.0, 30.0, 45.0, 0.3, 8.0, 60.0, 22.5])
    ]

    def rows(self, totals: list[tuple[date, float]], size: tuple[int, int]) -> list[str]:
        async def steps(chart: WeekMinutes, pilot: Pilot[None]) -> list[str]:
            return drawn(chart)

        return mounted(WeekMinutes(totals), size, steps)

    def test_bars_are_proportional(self) -> None:
        lines = self.rows(self.TOTALS, (60, 12))
        assert len([line for line in lines if line.strip()]) == 9
        bar_width = 60 - 6 - 7 - 2
        most = max(minutes for _, minutes in self.TOTALS)
        for line, (monday, minutes) in zip(lines, self.TOTALS, strict=False):
            assert line.startswith(f"{monday.day} {monday:%b}".rjust(6))
            assert bar_eighths(line[7 : 7 + bar_width]) == round(minutes / most * bar_width * 8)
        assert lines[6].rstrip().endswith("60 min")
        assert lines[0].rstrip().endswith("·")
        assert lines[4].rstrip().endswith("<1 min")
        assert lines[8].strip() == "178 minutes of practice over 8 weeks"

    def test_keeps_the_latest_weeks_when_short(self) -> None:
        chart = WeekMinutes(self.TOTALS)
        chart.styles.height = 3

        async def steps(chart: WeekMinutes, pilot: Pilot[None]) -> list[str]:
            return drawn(chart)

        lines = mounted(chart, (40, 10), steps)
        assert [line[:6] for line in lines[:2]] == [" 3 Mar", "10 Mar"]

    @pytest.mark.parametrize(
        ("minutes", "caption"),
        [
            (0.6, "1 minute of practice this week"),
            (1.4, "1 minute of practice this week"),
            (1.6, "2 minutes of practice this week"),
        ],
    )
    def test_one_minute_is_singular(self, minutes: float, caption: str) -> None:
        assert WeekMinutes([(date(2025, 3, 3), minutes)]).caption() == caption

    def test_nothing_yet(self) -> None:
        lines = self.rows([], (60, 4))
        assert lines[0].strip() == "Minutes you practise each week will show here."

    @pytest.mark.parametrize("size", SIZES)
    def test_any_size_renders(self, size: tuple[int, int]) -> None:
        lines = self.rows(self.TOTALS, size)
        assert all(len(line) <= size[0] for line in lines)


class TestTensionChart:
    """Before/after bars and the averages; a kind invitation when there is nothing yet."""

    PAIRS: ClassVar[list[tuple[datetime, int, int]]] = [
        (datetime(2025, 3, 1 + n, 9, 0), before, after) for n, (before, after) in enumerate(RATINGS)
    ]

    def lines(
        self, pairs: list[tuple[datetime, int, int]], size: tuple[int, int] = (60, 10)
    ) -> list[str]:
        async def steps(chart: TensionChart, pilot: Pilot[None]) -> list[str]:
            return drawn(chart)

        return mounted(TensionChart(pairs), size, steps)

    def test_pairs_and_average(self) -> None:
        lines = self.lines(self.PAIRS)
        assert lines[4].strip() == "on average 6.1 → 3.2"
        assert lines[3].strip() == "█ before  █ after"
        bars = lines[:3]
        heights = [
            sum(RISING.index(line[column]) for line in bars)
            for column in range(3 * len(self.PAIRS) - 1)
            if column % 3 != 2
        ]
        expected = [round(value / 10 * 24) for _, b, a in self.PAIRS for value in (b, a)]
        assert heights == expected

    def test_no_judgement_when_tension_rises(self) -> None:
        lines = self.lines([(datetime(2025, 3, 1, 9), 3, 5), (datetime(2025, 3, 2, 9), 5, 5)])
        assert lines[-1].strip() == "on average 4.0 → 5.0"

    def test_empty_invites_rating(self) -> None:
        lines = self.lines([], (80, 5))
        assert lines[0].strip() == (
            "Rate how tense you feel before and after a session, and it shows here."
        )
        wrapped = " ".join(line.strip() for line in self.lines([], (30, 5)) if line.strip())
        assert wrapped == "Rate how tense you feel before and after a session, and it shows here."

    @pytest.mark.parametrize("size", SIZES)
    def test_any_size_renders(self, size: tuple[int, int]) -> None:
        lines = self.lines(self.PAIRS, size)
        assert all(len(line) <= size[0] for line in lines)


# -- BreathTrace ------------------------------------------------------------------------------


def test_trace_rows_put_the_newest_column_on_the_right() -> None:
    from assistant.ui.widgets.breath_trace import UNHEARD, BreathTrace

    trace = BreathTrace()
    trace.push([(0.0, None), (0.5, 0.0), (1.0, 1.0)])
    guide, heard = trace.rows(16)  # 6 cells of labels, 10 of trace
    assert guide == " " * 7 + " ▄█"
    assert heard == " " * 7 + UNHEARD + " █"
    trace.push((0.5, 0.5) for _ in range(20))
    guide, heard = trace.rows(16)
    assert guide == "▄" * 10 and heard == "▄" * 10  # older columns scrolled away
    assert trace.rows(6) == ("", "")


async def test_trace_redraws_only_when_columns_arrive() -> None:
    from assistant.ui.widgets.breath_trace import BreathTrace

    class TraceApp(App[None]):
        def compose(self) -> ComposeResult:
            yield BreathTrace()

    app = TraceApp()
    async with app.run_test(size=(40, 4)) as pilot:
        trace = app.query_one(BreathTrace)
        refreshes: list[int] = []
        original = trace.refresh

        def counting(*args: Any, **kwargs: Any) -> Any:
            refreshes.append(1)
            return original(*args, **kwargs)

        trace.refresh = counting  # type: ignore[method-assign]
        trace.push([])
        assert refreshes == []
        trace.push([(0.2, 0.3)])
        await pilot.pause()
        assert refreshes == [1]
        assert "guide" in str(trace.render()) and "heard" in str(trace.render())
