"""A small yes/no dialog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    """Asks one question; Enter answers yes, Esc no."""

    BINDINGS = [
        Binding("enter,y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("escape,n", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, hint: str) -> None:
        super().__init__()
        self.question = question
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            # markup=False: questions quote step titles, which are the person's own words.
            yield Static(self.question, classes="dialog-title", markup=False)
            yield Static(self.hint, classes="dialog-hint", markup=False)

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)


#: The session's stop keys unless remapped (the binding id ``session.end``).
STOP_KEYS = "q,escape"


def stop_keys(app: object) -> list[str]:
    """The keys that stop a session, as remapped in settings (``session.end``)."""
    keymap: dict[str, str] = getattr(app, "keymap", {})
    return [key.strip() for key in keymap.get("session.end", STOP_KEYS).split(",")]


class EndConfirmScreen(ConfirmScreen):
    """ "End this session?": the stop key pressed again ends it, as a hurried person expects.

    The stop binding shares the session's id, so a stop key remapped in settings works here
    too. Esc is bound on its own (a keymap drops every binding of a key it moves): it ends when
    it is a stop key, and otherwise keeps going, as Esc on a question does.
    """

    BINDINGS = [
        Binding("q", "answer(True)", "End", id="session.end"),
        Binding("escape", "escape_key", "End", show=False),
        Binding("enter,y", "answer(True)", "End", show=False, id="confirm.yes"),
        Binding("space,n", "answer(False)", "Keep going", id="confirm.no"),
    ]

    def __init__(self, stop_keys: str = "q,escape") -> None:
        shown = " or ".join(key_name(k) for k in stop_keys.split(","))
        super().__init__(
            "End this session? (It is paused.)",
            f"Press {shown} again to end it · Space keeps going",
        )

    def action_escape_key(self) -> None:
        """Esc: the stop key again (it ends), or, when the stop key was remapped, no."""
        self.dismiss("escape" in stop_keys(self.app))


def key_name(key: str) -> str:
    """How a key is written for people: Esc, not escape; Ctrl+N, not ctrl+n."""
    key = key.strip()
    named = {
        "escape": "Esc",
        "enter": "Enter",
        "space": "Space",
        "tab": "Tab",
        "up": "↑",
        "down": "↓",
        "left": "←",
        "right": "→",
        "pageup": "PgUp",
        "pagedown": "PgDn",
        "question_mark": "?",
    }
    if key in named:
        return named[key]
    if key.startswith("ctrl+"):
        return "Ctrl+" + key[5:].upper()
    return key.upper() if len(key) == 2 and key[0] == "f" else key
