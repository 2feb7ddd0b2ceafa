"""The breath-holds question, asked once: the first time a script with holds starts before the
person has chosen. Esc is "not now": no holds this time, nothing saved, asked again next time."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from assistant.core.support import (
    HOLDS_CHANGE,
    HOLDS_INCLUDE,
    HOLDS_INTRO,
    HOLDS_LEAVE_OUT,
    HOLDS_NOT_NOW,
    HOLDS_NOT_NOW_MEANS,
    HOLDS_REASONS,
    HOLDS_REASONS_INTRO,
    HOLDS_TITLE,
    HOLDS_WITHOUT,
)


class HoldsScreen(ModalScreen[bool | None]):
    """Include the holds (True), leave them out (False), or not now (None)."""

    # Nothing focused at first: Enter, like Esc, is "not now", never a choice made by accident.
    AUTO_FOCUS = None
    BINDINGS = [
        Binding("y,i", "answer(True)", HOLDS_INCLUDE, id="holds.include"),
        Binding("n,o", "answer(False)", HOLDS_LEAVE_OUT, id="holds.leave_out"),
        Binding("escape,enter", "not_now", HOLDS_NOT_NOW, id="holds.not_now"),
    ]

    def compose(self) -> ComposeResult:
        reasons = "\n".join(f"  • {reason}" for reason in HOLDS_REASONS)
        with VerticalScroll(classes="dialog holds"):
            yield Static(HOLDS_TITLE, classes="dialog-title")
            yield Static(HOLDS_INTRO)
            yield Static(f"\n{HOLDS_REASONS_INTRO}\n{reasons}\n")
            yield Static(HOLDS_WITHOUT)
            with Horizontal(classes="buttons"):
                yield Button(f"{HOLDS_INCLUDE} (y)", id="include")
                yield Button(f"{HOLDS_LEAVE_OUT} (n)", id="leave-out")
            yield Static(
                Text(f"Esc: {HOLDS_NOT_NOW.lower()} ({HOLDS_NOT_NOW_MEANS}). {HOLDS_CHANGE}"),
                classes="dialog-hint",
            )

    @on(Button.Pressed, "#include")
    def _include(self) -> None:
        self.action_answer(True)

    @on(Button.Pressed, "#leave-out")
    def _leave_out(self) -> None:
        self.action_answer(False)

    def action_answer(self, include: bool) -> None:
        """The person chose: kept in their settings by the caller."""
        self.dismiss(include)

    def action_not_now(self) -> None:
        """No holds this time; nothing is saved."""
        self.dismiss(None)
