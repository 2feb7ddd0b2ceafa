"""End of a session: what was practised, an optional rating and note, then the log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.validation import Integer
from textual.widgets import Button, Input, Static

from assistant.core.i18n import N_, _, ngettext
from assistant.core.pacing import elapsed_text
from assistant.core.support import PANIC_SCRIPT
from assistant.ui.screens import SCREENS_CSS
from assistant.ui.translate import translate_bindings
from assistant.ui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from assistant.session import PracticeResult


@dataclass(frozen=True)
class Reflection:
    """What the person added after the session (both optional)."""

    tension_after: int | None
    note: str | None


def summary(result: PracticeResult) -> str:
    """One kind sentence about what happened."""
    practised = elapsed_text(result.practised_seconds)
    count = result.breaths
    if result.script_id == PANIC_SCRIPT:
        # After a panic attack: no praise and no "practised", only care.
        said = (
            _("You stayed with it for {time}. Go gently with yourself.")
            if result.completed
            else _("You stopped after {time}. Go gently with yourself.")
        )
        return said.format(time=practised)
    # TRANSLATORS: {time} is m:ss; {count} the breaths taken.
    if result.completed:
        said = (
            ngettext(
                "Well done. You practised {time} · {count} breath.",
                "Well done. You practised {time} · {count} breaths.",
                count,
            )
            if count
            else _("Well done. You practised {time}.")
        )
    else:
        said = (
            ngettext(
                "You practised {time} · {count} breath. Stopping early is fine; it still counts.",
                "You practised {time} · {count} breaths. Stopping early is fine; it still counts.",
                count,
            )
            if count
            else _("You practised {time}. Stopping early is fine; it still counts.")
        )
    return said.format(time=practised, count=count)


class EndScreen(Screen[Reflection]):
    """Shows the summary; Enter saves (from either field), Esc skips the questions.

    The session is logged either way.

    Args:
        result: the session that ended.
        before: how tense the person said they were before (0–10), if asked.
        ask_tension: ask how tense now; off after a rehearsal, whose own 0–100 rating comes
            next (the person rates once, not twice).
    """

    CSS_PATH = SCREENS_CSS

    BINDINGS = [Binding("escape", "skip", N_("Skip"), id="end.skip")]

    def __init__(
        self, result: PracticeResult, *, before: int | None = None, ask_tension: bool = True
    ) -> None:
        super().__init__()
        translate_bindings(self)
        self.result = result
        self.before = before
        self.ask_tension = ask_tension

    def compose(self) -> ComposeResult:
        with Vertical(classes="end"):
            yield Static(summary(self.result), id="end-summary")
            if self.result.underruns:
                count = self.result.underruns
                stuttered = ngettext(
                    "(The sound stuttered {count} time.)",
                    "(The sound stuttered {count} times.)",
                    count,
                )
                yield Static(Text(stuttered.format(count=count), "dim"))
            if self.ask_tension:
                question = (
                    _("How tense do you feel now, 0–10?")
                    if self.before is None
                    # TRANSLATORS: {before} is the 0–10 rating given before the session.
                    else _("How tense do you feel now, 0–10? Before, you said {before}.").format(
                        before=self.before
                    )
                )
                yield Static(question, classes="question")
                yield Input(
                    placeholder=_("0–10, optional"),
                    id="after",
                    type="integer",
                    validators=[Integer(0, 10)],
                    max_length=2,
                )
            yield Static(_("A note for yourself, if you like (one line)"), classes="question")
            yield Input(placeholder=_("optional"), id="note", max_length=300)
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Skip"), id="skip")
            # TRANSLATORS: Enter, Tab and Esc are keys.
            keys = _("Enter saves · Tab moves to the next field · Esc skips")
            yield Static(keys if self.ask_tension else _("Enter saves · Esc skips"), classes="dim")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Start in the rating field (the note's, when there is none)."""
        self.query_one("#after" if self.ask_tension else "#note", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Keep the rating and note."""
        rating = self._rating()
        if rating is False:
            return
        note = self.query_one("#note", Input).value.strip() or None
        self.dismiss(Reflection(rating if isinstance(rating, int) else None, note))

    @on(Button.Pressed, "#skip")
    def action_skip(self) -> None:
        """No rating, no note."""
        self.dismiss(Reflection(None, None))

    def _rating(self) -> int | bool | None:
        """The rating, None if empty (or not asked), False (with a hint) if not 0–10."""
        if not self.ask_tension:
            return None
        value = self.query_one("#after", Input).value.strip()
        if not value:
            return None
        if value.isdigit() and 0 <= int(value) <= 10:
            return int(value)
        self.notify(_("A whole number from 0 to 10, or leave it empty."), severity="warning")
        return False
