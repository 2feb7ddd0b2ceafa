""" "How tense do you feel, 0–10?" before a session: a number is optional, Esc goes back."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Rating:
    """The answer: start, with how tense the person said they were (None: no number given)."""

    value: int | None


class TensionScreen(ModalScreen[Rating | None]):
    """Asks for a 0–10 rating before a session.

    Enter starts (with the number, or without one when the field is empty, as the screen says);
    Esc goes back with nothing started or logged (dismisses with None).
    """

    CSS_PATH = SCREENS_CSS

    BINDINGS = [Binding("escape", "back", N_("Back"), id="tension.back")]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Before we start: how tense do you feel?"), classes="dialog-title")
            yield Static(
                _("0 is completely calm, 10 is the most tense you can imagine."),
                classes="dialog-hint",
            )
            yield Input(
                placeholder=_("0–10 (optional)"),
                id="tension",
                validators=[Integer(0, 10)],
                max_length=2,
                type="integer",
            )
            yield Static(
                # TRANSLATORS: Enter and Esc are keys.
                _("Enter starts (a number is optional) · Esc goes back"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        """Ready to type a number."""
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            self.dismiss(Rating(None))
        elif event.validation_result is None or event.validation_result.is_valid:
            self.dismiss(Rating(int(value)))
        else:
            self.notify(_("A whole number from 0 to 10, or leave it empty."), severity="warning")

    def action_back(self) -> None:
        """Back to where the person was: nothing starts."""
        self.dismiss(None)
