""" "How tense do you feel, 0–10?": optional, skippable with one key."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.validation import Integer
from textual.widgets import Input, Static


class TensionScreen(ModalScreen[int | None]):
    """Asks for a 0–10 rating before a session; Enter with nothing (or Esc) skips."""

    BINDINGS = [Binding("escape", "skip", "Skip", id="tension.skip")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Before we start: how tense do you feel?", classes="dialog-title")
            yield Static(
                "0 is completely calm, 10 is the most tense you can imagine.", classes="dialog-hint"
            )
            yield Input(
                placeholder="0–10, or Enter to skip",
                id="tension",
                validators=[Integer(0, 10)],
                max_length=2,
                type="integer",
            )
            yield Static("Enter to start · Esc skips the question", classes="dialog-hint")

    def on_mount(self) -> None:
        """Ready to type a number."""
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            self.dismiss(None)
        elif event.validation_result is None or event.validation_result.is_valid:
            self.dismiss(int(value))
        else:
            self.notify("A whole number from 0 to 10, or leave it empty.", severity="warning")

    def action_skip(self) -> None:
        """No rating this time."""
        self.dismiss(None)
