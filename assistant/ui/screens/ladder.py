"""The exposure ladder: build it, get ready for a step, note how it went, see it get easier.

Everything here is offered, never imposed: the ladder may be in any order (sorting by rating is a
hint), a big gap is pointed out once, and a next step is suggested only after tries that stayed
low. There is no "failed" and no red. News (a step added next to a big jump, a try noted) comes
on one quiet line above the footer, never as toasts stacked over the step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from assistant.core.i18n import N_, _, ngettext
from assistant.core.ladder import (
    AFTER_SCRIPT,
    READY_SCRIPT,
    REHEARSE_SCRIPT,
    Attempt,
    LadderStep,
    Rehearsal,
    big_gaps,
    ready_script,
    rehearsal_script,
    sorted_by_rating,
    suggestion,
)
from assistant.ui.screens import SCREENS_CSS
from assistant.ui.services import ground_app, services_of
from assistant.ui.translate import translate_bindings
from assistant.ui.widgets.key_footer import KeyFooter
from assistant.ui.widgets.status_line import StatusLine
from assistant.ui.widgets.suds_chart import SudsChart

if TYPE_CHECKING:
    from assistant.session.ladder import TryAnswers
    from assistant.storage.ladder import Ladder

#: Earlier and Later share one footer entry, [ ] Move.
# TRANSLATORS: footer label of the [ and ] keys (a step earlier or later in the ladder).
MOVE = Binding.Group(N_("Move"), compact=True)
#: Seconds the quiet line keeps its news.
NEWS_FOR = 10.0

# TRANSLATORS: a is a key.
EMPTY = N_(
    "Your ladder is empty. Press a to add a first, small step: something that feels a little "
    "hard, like saying hello to a neighbour (about 20–30 out of 100)."
)


class LadderScreen(Screen[None]):
    """The steps on the left, the chosen step's tries and hints on the right."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        # First, so the way back is on screen however narrow the footer.
        Binding("escape,q", "close", N_("Back"), id="ladder.back"),
        # TRANSLATORS: the ladder's footer labels (Back, Add, Get ready, How it went, Move,
        # Sort): all of them fit 80 columns when each is under 12 characters.
        Binding("a", "add", N_("Add"), id="ladder.add"),
        # Edit, Put away and Rehearse are about the step shown: its pane names them (the footer
        # fits 80).
        Binding("e", "edit", N_("Edit"), show=False, id="ladder.edit"),
        Binding("r", "ready", N_("Get ready"), id="ladder.ready"),
        Binding("h", "rehearse", N_("Rehearse"), show=False, id="ladder.rehearse"),
        Binding("n", "note", N_("How it went"), id="ladder.note"),
        Binding(
            "left_square_bracket",
            "move(-1)",
            N_("Earlier"),
            key_display="[",
            id="ladder.up",
            group=MOVE,
        ),
        Binding(
            "right_square_bracket",
            "move(1)",
            N_("Later"),
            key_display="]",
            id="ladder.down",
            group=MOVE,
        ),
        Binding("s", "sort", N_("Sort"), id="ladder.sort"),
        Binding("x", "archive", N_("Put away"), show=False, id="ladder.archive"),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self.steps: list[LadderStep] = []
        self.attempts: list[Attempt] = []
        self.rehearsals: list[Rehearsal] = []
        self._readied: LadderStep | None = None
        self._rehearsing: tuple[LadderStep, int | None] | None = None  # the step, SUDS before

    def compose(self) -> ComposeResult:
        with Vertical(id="ladder"):
            yield Static(_("Your ladder"), classes="heading")
            yield Static(
                _("Small social steps, one at a time; the number is how hard each feels (0–100)."),
                classes="dim",
            )
            with Horizontal(id="ladder-body"):
                with Vertical(id="ladder-left"):
                    yield OptionList(id="steps")
                    yield Static("", id="ladder-hints")
                with VerticalScroll(id="ladder-detail"):
                    yield Static("", id="step-title")
                    yield Static("", id="step-keys")
                    yield Static("", id="step-facts")
                    yield SudsChart(id="suds")
                    yield Static("", id="step-tries")
                    yield Static("", id="step-suggestion")
        yield StatusLine(id="ladder-news", hide_when_empty=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        """Load the ladder."""
        self.reload()
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        """Back from "Get ready": a word of encouragement, and the tries may have changed;
        back from a rehearsal: how anxious now."""
        if self._rehearsing is not None:
            if self.app.screen is self:  # (not while the session's end screen is up)
                self._after_rehearsal(*self._rehearsing)
                self._rehearsing = None
            return
        self.reload()
        if self._readied is not None:
            step, self._readied = self._readied, None
            # TRANSLATORS: {title} is the step, in the person's words; n is a key.
            said = _("Go gently. When you have tried “{title}”, n notes how it went.")
            self.news(said.format(title=step.title))

    def news(self, text: str) -> None:
        """Say ``text`` on the quiet line for a while (it replaces what was there)."""
        self.query_one("#ladder-news", StatusLine).say(text, NEWS_FOR)

    # -- data ---------------------------------------------------------------------------------

    @property
    def ladder(self) -> Ladder | None:
        """The ladder store (None when the practice log cannot be used)."""
        return services_of(self.app).ladder

    def reload(self, select: int | None = None) -> None:
        """Read the steps and tries again and redraw; keep (or move to) a step by id."""
        ladder = self.ladder
        current = self.selected
        self.steps = ladder.steps() if ladder is not None else []
        self.attempts = ladder.attempts() if ladder is not None else []
        self.rehearsals = ladder.rehearsals() if ladder is not None else []
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            [Option(self._line(n, s), id=str(s.id)) for n, s in enumerate(self.steps, 1)]
        )
        wanted = select if select is not None else (current.id if current else None)
        index = next((i for i, s in enumerate(self.steps) if s.id == wanted), 0)
        if self.steps:
            options.highlighted = index
        self._show_hints()
        self._show_detail()

    @property
    def selected(self) -> LadderStep | None:
        """The highlighted step."""
        if not self.is_mounted:
            return None
        index = self.query_one(OptionList).highlighted
        return self.steps[index] if index is not None and index < len(self.steps) else None

    def _line(self, number: int, step: LadderStep) -> Table:
        """One row per step, always one line: rating, title (cut with … if long), tries."""
        tries = sum(1 for a in self.attempts if a.step_id == step.id)
        row = Table.grid(expand=True)
        row.add_column(width=5, no_wrap=True)
        row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        row.add_column(no_wrap=True, justify="right")
        row.add_row(
            Text(f"{step.predicted_suds:>3}  ", "bold"),
            Text(step.title),
            Text(
                "  " + ngettext("{count} try", "{count} tries", tries).format(count=tries)
                if tries
                else "",
                "dim",
            ),
        )
        return row

    def _show_hints(self) -> None:
        # The jumps by their ratings, all in one sentence: the titles are in the list above,
        # and a sentence per jump pushed the list off an 80×24 screen.
        gaps = big_gaps(self.steps)
        jumps = ", ".join(f"{g.lower.predicted_suds} → {g.upper.predicted_suds}" for g in gaps)
        # TRANSLATORS: {jumps} lists big jumps between ratings: "20 → 60, 60 → 90".
        hint = _("A step in between may help at a big jump: {jumps}.")
        hints = [hint.format(jumps=jumps)] if gaps else []
        if self.steps and not sorted_by_rating(self.steps):
            # TRANSLATORS: s is a key.
            hints.append(_("Sorting by rating (s) puts the easiest step first."))
        text = Text(_(EMPTY) if not self.steps else "\n".join(hints), "dim italic")
        self.query_one("#ladder-hints", Static).update(text)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        step = self.selected
        title = self.query_one("#step-title", Static)
        facts = self.query_one("#step-facts", Static)
        tries = self.query_one("#step-tries", Static)
        hint = self.query_one("#step-suggestion", Static)
        keys = self.query_one("#step-keys", Static)
        chart = self.query_one(SudsChart)
        if step is None:
            for widget in (title, facts, tries, hint, keys):
                widget.update("")
            chart.show([])
            return
        # TRANSLATORS: e, x and h are keys; two lines of the right half of the screen (38
        # columns each).
        step_keys = _("e edit · x put away (tries stay)\nh rehearse in your imagination")
        keys.update(Text(step_keys, "dim"))
        mine = [a for a in self.attempts if a.step_id == step.id]
        title.update(Text(step.title, "bold"))
        # TRANSLATORS: {rating} is how hard the person expected the step to feel, 0–100.
        expected = _("You expected it to feel about {rating} out of 100.")
        lines = Text(expected.format(rating=step.predicted_suds))
        for behaviour in step.safety_behaviours:
            # TRANSLATORS: {behaviour} is something the person leans on, in their words.
            without = _("Trying it without: {behaviour}").format(behaviour=behaviour)
            lines.append("\n" + without, "dim")
        facts.update(lines)
        chart.show([a.felt for a in mine if a.felt is not None])
        tries.update(_tries_text(mine, [r for r in self.rehearsals if r.step_id == step.id]))
        words = suggestion(self.steps, step, self.attempts)
        hint.update(Text(words or "", "italic"))

    # -- actions ------------------------------------------------------------------------------

    def action_add(self) -> None:
        """A new step at the top of the ladder."""

        def added(form: StepForm.Result | None) -> None:
            if form is None or self.ladder is None:
                return
            step = self.ladder.add(form.title, form.suds, form.safety)
            self.reload(select=step.id)
            beside = [g for g in big_gaps(self.steps) if step.id in (g.lower.id, g.upper.id)]
            if beside:  # each gap is written out under the list: one word here is enough
                self.news(
                    _("Added. It is a big jump from the step next to it: see under the list.")
                )
            else:
                self.news(_("Added."))

        self.app.push_screen(StepForm(), added)

    def action_edit(self) -> None:
        """Change the highlighted step's words or rating."""
        step = self.selected
        if step is None:
            return

        def edited(form: StepForm.Result | None) -> None:
            if form is None or self.ladder is None:
                return
            self.ladder.update(
                step.id, title=form.title, predicted_suds=form.suds, safety_behaviours=form.safety
            )
            self.reload(select=step.id)

        self.app.push_screen(StepForm(step), edited)

    def action_ready(self) -> None:
        """A couple of minutes of grounding that names the step, then off you go."""
        step = self.selected
        if step is None:
            self.news(_(ADD_FIRST))
            return
        from assistant.ui.screens.home import Length

        services = services_of(self.app)
        script = ready_script(
            services.library.get(READY_SCRIPT), step.title, step.safety_behaviours
        )
        self._readied = step
        ground_app(self.app).start_session(script, Length(), before=None)

    def action_rehearse(self) -> None:
        """Rehearse the step in imagination first, with how anxious before and after (0–100)."""
        step = self.selected
        if step is None:
            self.notify(_(ADD_FIRST))
            return
        from assistant.ui.screens.suds import CANCELLED, SudsScreen

        def rated(before: int | None) -> None:
            if before == CANCELLED:
                return
            from assistant.ui.screens.home import Length

            services = services_of(self.app)
            script = rehearsal_script(
                services.library.get(REHEARSE_SCRIPT), step.title, step.safety_behaviours
            )
            # The end screen asks no 0–10 question: the rehearsal's own 0–100 comes after.
            if ground_app(self.app).start_session(
                script, Length(), before=None, tension_after=False
            ):
                self._rehearsing = (step, before)

        self.app.push_screen(
            SudsScreen(
                _(REHEARSE_TITLE).format(title=step.title),
                _(REHEARSE_OFFER) + "\n\n" + _(REHEARSE_BEFORE),
                # TRANSLATORS: Enter and Esc are keys.
                _("Enter starts · Esc not now"),
            ),
            rated,
        )

    def _after_rehearsal(self, step: LadderStep, before: int | None) -> None:
        """Ask how anxious now, then keep the rehearsal with the step (never as a try)."""
        from assistant.ui.screens.suds import SudsScreen

        def rated(after: int | None) -> None:
            ladder = self.ladder
            if ladder is None:
                return
            kept = ladder.log_rehearsal(step.id, before=before, after=_rating(after))
            self.reload(select=step.id)
            eased = _(REHEARSE_EASED) + " " if kept.eased else ""
            self.notify(eased + _("Kept as a rehearsal, not a try."), timeout=6)

        self.app.push_screen(
            SudsScreen(
                _(REHEARSE_TITLE).format(title=step.title),
                _(REHEARSE_AFTER),
                _("Enter saves · Esc skips"),
            ),
            rated,
        )

    def action_note(self) -> None:
        """How the step went: distress before, at its height and after, and what happened."""
        step = self.selected
        if step is None:
            self.news(_(ADD_FIRST))
            return

        def noted(answers: TryAnswers | None) -> None:
            if answers is None or self.ladder is None:
                return
            from assistant.session.ladder import note_try

            words = note_try(self.ladder, step, answers).suggestion
            self.reload(select=step.id)
            self.news(_("Noted. Well done for trying it.") + (f" {words}" if words else ""))
            self._offer_after()

        self.app.push_screen(TryForm(step), noted)

    def _offer_after(self) -> None:
        from assistant.ui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                from assistant.ui.screens.home import Length

                services = services_of(self.app)
                ground_app(self.app).start_session(
                    services.library.get(AFTER_SCRIPT), Length(), before=None
                )

        self.app.push_screen(
            ConfirmScreen(
                # TRANSLATORS: “After a social moment” is the title of the script after-social
                # (scripts/<lang>/after-social.toml).
                _("Settle down with “After a social moment” now?"),
                _("Enter plays it (a few minutes) · Esc not now"),
            ),
            answered,
        )

    def action_move(self, offset: int) -> None:
        """Move the highlighted step later (1: further up the ladder) or earlier (-1)."""
        step = self.selected
        if step is None or self.ladder is None:
            return
        self.ladder.move(step.id, offset)
        self.reload(select=step.id)

    def action_sort(self) -> None:
        """Order the steps from the easiest to the hardest."""
        if self.ladder is not None and self.steps:
            self.ladder.sort_by_rating()
            self.reload()

    def action_archive(self) -> None:
        """Put the highlighted step away (its tries are kept)."""
        step = self.selected
        if step is None or self.ladder is None:
            return
        from assistant.ui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes and self.ladder is not None:
                self.ladder.archive(step.id)
                self.reload()

        self.app.push_screen(
            ConfirmScreen(
                # TRANSLATORS: {title} is the step, in the person's words.
                _("Put “{title}” away?").format(title=step.title),
                _("Its tries are kept · Enter puts it away · Esc keeps it"),
            ),
            answered,
        )

    def action_close(self) -> None:
        """Back to the scripts."""
        self.dismiss(None)


# TRANSLATORS: {title} is the step, in the person's words.
REHEARSE_TITLE = N_("Rehearse: {title}")
REHEARSE_OFFER = N_("Rehearse it in your imagination first (three or four minutes).")
REHEARSE_BEFORE = N_(
    "Before you start: how anxious do you feel right now? 0 is calm, 100 is the most anxious "
    "you can imagine."
)
REHEARSE_AFTER = N_("And now, after rehearsing it? (0–100)")
REHEARSE_EASED = N_("A little lower than before. Rehearsing can take the edge off.")
# TRANSLATORS: a is a key.
ADD_FIRST = N_("Add a step first (a).")


def _rating(value: int | None) -> int | None:
    """A rating from :class:`SudsScreen`, None for none (Esc included)."""
    return value if value is not None and value >= 0 else None


def _tries_text(attempts: list[Attempt], rehearsals: list[Rehearsal]) -> Text:
    text = _rehearsed_text(rehearsals)
    if not attempts:
        text.append(
            # TRANSLATORS: r and h are keys.
            _(
                "Not tried yet. When you are ready, r gets you ready for it; h rehearses it in "
                "your imagination first."
            ),
            "dim",
        )
        return text
    from assistant.session.local_format import DAY_MONTH, format_when

    # TRANSLATORS: the heading of the ratings of each try (0–100), as "45 → 40 → 10" under it.
    text.append(_("before → at its hardest → after") + "\n", "dim")
    for attempt in reversed(attempts[-6:]):
        when = format_when(attempt.attempted_at, DAY_MONTH, english="%d %b")
        values = (attempt.suds_before, attempt.suds_peak, attempt.suds_after)
        text.append(f"{when}  ", "dim")
        text.append(" → ".join("–" if v is None else str(v) for v in values))
        if attempt.did_well:
            # TRANSLATORS: {words} is what the person wrote they did well.
            did_well = _("you did well: {words}").format(words=attempt.did_well)
            text.append("\n        " + did_well, "italic")
        text.append("\n")
    return text


def _rehearsed_text(rehearsals: list[Rehearsal]) -> Text:
    """The rehearsals of a step, kept apart from its tries (they are practice, not tries)."""
    text = Text()
    if not rehearsals:
        return text
    from assistant.session.local_format import DAY_MONTH, format_when

    count = len(rehearsals)
    rehearsed = {
        1: _("Rehearsed in your imagination once"),
        2: _("Rehearsed in your imagination twice"),
    }.get(count) or ngettext(
        "Rehearsed in your imagination {count} time",
        "Rehearsed in your imagination {count} times",
        count,
    ).format(count=count)
    last = rehearsals[-1]
    when = format_when(last.rehearsed_at, DAY_MONTH, english="%d %b")
    # TRANSLATORS: {rehearsed} is "Rehearsed in your imagination twice", {date} a day ("3 Dec"),
    # {before} and {after} ratings 0–100.
    if last.suds_before is not None and last.suds_after is not None:
        said = _("{rehearsed}; last on {date}, {before} → {after}").format(
            rehearsed=rehearsed, date=when, before=last.suds_before, after=last.suds_after
        )
    else:
        said = _("{rehearsed}; last on {date}").format(rehearsed=rehearsed, date=when)
    text.append(said, "italic")
    text.append(".\n\n")
    return text


# -- forms --------------------------------------------------------------------------------------


class StepForm(ModalScreen["StepForm.Result | None"]):
    """Add or edit a step: what it is, how hard it feels, what to try doing without."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="step.save"),
        Binding("escape", "cancel", N_("Cancel"), id="step.cancel"),
    ]

    @dataclass(frozen=True)
    class Result:
        """What was typed."""

        title: str
        suds: int
        safety: tuple[str, ...]

    def __init__(self, step: LadderStep | None = None) -> None:
        super().__init__()
        translate_bindings(self)
        self.step = step

    def compose(self) -> ComposeResult:
        step = self.step
        with Vertical(classes="dialog form"):
            yield Static(_("Edit the step") if step else _("A new step"), classes="dialog-title")
            # At the top: at 80×24 the bottom of the form is below the window.
            # TRANSLATORS: Tab, Enter and Esc are keys.
            yield Static(_("Tab moves on · Enter saves · Esc cancels"), classes="dim")
            yield Static(_("What is it? Words that say what you will do."), classes="question")
            yield Input(
                value=step.title if step else "",
                placeholder=_("e.g. say hello to a neighbour"),
                id="title",
                max_length=120,
            )
            yield Static(_("How hard does it feel, 0–100?"), classes="question")
            yield Input(
                value=str(step.predicted_suds) if step else "",
                placeholder=_("25 mild · 50 hard · 75 very hard"),
                id="suds",
                type="integer",
                max_length=3,
            )
            yield Static(
                _("Something you lean on and would like to drop (optional)"), classes="question"
            )
            yield Input(
                value=", ".join(step.safety_behaviours) if step else "",
                # TRANSLATORS: the person separates several with commas: keep "commas".
                placeholder=_("e.g. looking at my phone; separate several with commas"),
                id="safety",
                max_length=200,
            )

    def on_mount(self) -> None:
        """Start with the words."""
        self.query_one("#title", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        """Enter saves, from any field (as the hint says); a missing answer is asked for."""
        self.action_save()

    def action_save(self) -> None:
        """Save the step, or put the cursor where something is still needed."""
        title = " ".join(self.query_one("#title", Input).value.split())
        suds = self.query_one("#suds", Input).value.strip()
        if not title:
            self.query_one("#title", Input).focus()
            self.notify(_("A few words saying what the step is."), severity="warning")
            return
        if not suds.isdigit() or int(suds) > 100:
            self.query_one("#suds", Input).focus()
            if suds:  # an empty one is simply the next thing to answer
                self.notify(
                    _("How hard it feels: a whole number from 0 to 100."), severity="warning"
                )
            return
        safety = tuple(
            part.strip()
            for part in self.query_one("#safety", Input).value.split(",")
            if part.strip()
        )
        self.dismiss(StepForm.Result(title, int(suds), safety))

    def action_cancel(self) -> None:
        """Nothing changes."""
        self.dismiss(None)


_TRY_FIELDS = (
    ("before", N_("Just before: how hard did it feel, 0–100?"), N_("optional")),
    ("peak", N_("At its hardest, 0–100?"), N_("optional")),
    ("after", N_("Just after, 0–100?"), N_("optional")),
    ("predicted", N_("What did you expect would happen?"), N_("optional")),
    ("happened", N_("What actually happened?"), N_("optional")),
    ("did_well", N_("One thing you did well"), N_("however small")),
    ("note", N_("Anything else"), N_("optional")),
)


class TryForm(ModalScreen["TryAnswers | None"]):
    """After a step: distress before, at its height and after; expected versus what happened."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="try.save"),
        Binding("escape", "cancel", N_("Cancel"), id="try.cancel"),
    ]

    def __init__(self, step: LadderStep) -> None:
        super().__init__()
        translate_bindings(self)
        self.step = step

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form tall"):
            # TRANSLATORS: {title} is the step, in the person's words.
            heading = _("How did “{title}” go?").format(title=self.step.title)
            yield Static(heading, classes="dialog-title", markup=False)
            yield Static(
                # TRANSLATORS: Enter, Ctrl+S and Esc are keys.
                _("Enter moves on and saves at the end · Ctrl+S saves now · Esc cancels"),
                classes="dim",
            )
            for ident, question, placeholder in _TRY_FIELDS:
                yield Static(_(question), classes="question")
                numeric = ident in ("before", "peak", "after")
                yield Input(
                    placeholder=_(placeholder),
                    id=ident,
                    type="integer" if numeric else "text",
                    max_length=3 if numeric else 300,
                )

    def on_mount(self) -> None:
        """Start at the top."""
        self.query_one("#before", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if self._ratings() is None:
            return
        order = [ident for ident, _question, _placeholder in _TRY_FIELDS]
        at = order.index(event.input.id or "before")
        if at + 1 < len(order):
            self.query_one(f"#{order[at + 1]}", Input).focus()
            return
        self.action_save()

    def action_save(self) -> None:
        """Keep what has been typed so far."""
        values = self._ratings()
        if values is not None:
            self.dismiss(self._result(values))

    def _ratings(self) -> dict[str, int | None] | None:
        """The three ratings (None where empty), or None with a hint if one is not 0–100."""
        values: dict[str, int | None] = {}
        for ident in ("before", "peak", "after"):
            text = self.query_one(f"#{ident}", Input).value.strip()
            if text and (not text.isdigit() or int(text) > 100):
                self.notify(_("Ratings are whole numbers from 0 to 100."), severity="warning")
                self.query_one(f"#{ident}", Input).focus()
                return None
            values[ident] = int(text) if text else None
        return values

    def _result(self, values: dict[str, int | None]) -> TryAnswers:
        from assistant.session.ladder import TryAnswers

        def words(ident: str) -> str | None:
            return self.query_one(f"#{ident}", Input).value.strip() or None

        return TryAnswers(
            values["before"],
            values["peak"],
            values["after"],
            words("predicted"),
            words("happened"),
            words("did_well"),
            words("note"),
        )

    def action_cancel(self) -> None:
        """Nothing is saved."""
        self.dismiss(None)
