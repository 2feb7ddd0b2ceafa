"""A 0–100 rating of how anxious the person feels (SUDS), around a rehearsal: optional, and
asked by the screen, never spoken."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.validation import Integer
from textual.widgets import Input, Static

from assistant.core.i18n import N_, _
from assistant.ui.screens import SCREENS_CSS
from assistant.ui.translate import translate_bindings

#: What the dialog gives back: a rating, or None when left empty; Esc gives :data:`CANCELLED`.
CANCELLED = -1


class SudsScreen(ModalScreen[int | None]):
    """One question; Enter with a number (or nothing) answers, Esc cancels (:data:`CANCELLED`).

    Args:
        title: the heading (a step's title may be in it: shown as text, never markup).
        question: what is asked.
        hint: the keys.
    """

    CSS_PATH = SCREENS_CSS

    BINDINGS = [Binding("escape", "cancel", N_("Not now"), id="suds.cancel")]

    def __init__(self, title: str, question: str, hint: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.title_text = title
        self.question = question
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.question, markup=False)
            yield Input(
                # TRANSLATORS: Enter is a key.
                placeholder=_("0–100, or Enter to skip"),
                id="suds-rating",
                validators=[Integer(0, 100)],
                max_length=3,
                type="integer",
            )
            yield Static(self.hint, classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        """Ready to type a number."""
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            self.dismiss(None)
        elif value.isdigit() and int(value) <= 100:
            self.dismiss(int(value))
        else:
            self.notify(_("A whole number from 0 to 100, or leave it empty."), severity="warning")

    def action_cancel(self) -> None:
        """Not now."""
        self.dismiss(CANCELLED)
