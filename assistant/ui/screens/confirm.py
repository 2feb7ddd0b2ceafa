"""A small yes/no dialog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from assistant.core.i18n import N_, _
from assistant.ui.screens import SCREENS_CSS
from assistant.ui.translate import translate_bindings


class ConfirmScreen(ModalScreen[bool]):
    """Asks one question; Enter answers yes, Esc no."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("enter,y", "answer(True)", N_("Yes"), id="confirm.yes"),
        Binding("escape,n", "answer(False)", N_("No"), id="confirm.no"),
    ]

    def __init__(self, question: str, hint: str) -> None:
        """``question`` and ``hint`` are shown as they are: the caller translates them."""
        super().__init__()
        translate_bindings(self)
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


# TRANSLATORS: footer label of the key that ends a session; keep it short (under 8
# characters): at 80 columns it must always be shown.
END = N_("End")

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
        Binding("q", "answer(True)", END, id="session.end"),
        Binding("escape", "escape_key", END, show=False),
        Binding("enter,y", "answer(True)", END, show=False, id="confirm.yes"),
        # TRANSLATORS: footer label (answer to "End this session?"), keep under 14 characters.
        Binding("space,n", "answer(False)", N_("Keep going"), id="confirm.no"),
    ]

    def __init__(self, stop_keys: str = "q,escape") -> None:
        super().__init__(
            _("End this session? (It is paused.)"),
            # TRANSLATORS: {keys} is one or more key names ("q or Esc"); Space is a key name.
            _("Press {keys} again to end it · Space keeps going").format(
                keys=keys_or(stop_keys.split(","))
            ),
        )

    def action_escape_key(self) -> None:
        """Esc: the stop key again (it ends), or, when the stop key was remapped, no."""
        self.dismiss("escape" in stop_keys(self.app))


def keys_or(keys: list[str]) -> str:
    """Keys as people read them, joined by "or": ``q or Esc``."""
    names = [key_name(k) for k in keys]
    shown = names[0] if names else ""
    for name in names[1:]:
        # TRANSLATORS: two keys, either of which works: "q or Esc".
        shown = _("{key} or {other}").format(key=shown, other=name)
    return shown


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
