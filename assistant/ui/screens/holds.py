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

from assistant.core.i18n import _
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
from assistant.ui.screens import SCREENS_CSS
from assistant.ui.translate import translate_bindings


class HoldsScreen(ModalScreen[bool | None]):
    """Include the holds (True), leave them out (False), or not now (None)."""

    CSS_PATH = SCREENS_CSS

    # Nothing focused at first: Enter, like Esc, is "not now", never a choice made by accident.
    AUTO_FOCUS = None
    BINDINGS = [
        Binding("y,i", "answer(True)", HOLDS_INCLUDE, id="holds.include"),
        Binding("n,o", "answer(False)", HOLDS_LEAVE_OUT, id="holds.leave_out"),
        Binding("escape,enter", "not_now", HOLDS_NOT_NOW, id="holds.not_now"),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)  # the words are core.support's, marked there

    def compose(self) -> ComposeResult:
        reasons = "\n".join(f"  • {_(reason)}" for reason in HOLDS_REASONS)
        with VerticalScroll(classes="dialog holds"):
            yield Static(_(HOLDS_TITLE), classes="dialog-title")
            yield Static(_(HOLDS_INTRO))
            yield Static(f"\n{_(HOLDS_REASONS_INTRO)}\n{reasons}\n")
            yield Static(_(HOLDS_WITHOUT))
            with Horizontal(classes="buttons"):
                # The keys stay y and n in every language (the footer names them too).
                yield Button(f"{_(HOLDS_INCLUDE)} (y)", id="include")
                yield Button(f"{_(HOLDS_LEAVE_OUT)} (n)", id="leave-out")
            # TRANSLATORS: {not_now} is "not now", {means} what it means; {change} says the
            # choice can be changed in Settings. Esc is a key.
            hint = _("Esc: {not_now} ({means}). {change}").format(
                not_now=_(HOLDS_NOT_NOW).lower(),
                means=_(HOLDS_NOT_NOW_MEANS),
                change=_(HOLDS_CHANGE),
            )
            yield Static(Text(hint), classes="dialog-hint")

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
