"""Help: the keys for where you are, and a plain word on safety."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from assistant.ui.screens.confirm import key_name, stop_keys

SAFETY = (
    "If you feel dizzy or short of breath, stop and breathe normally. Holds are optional: turn "
    "them off in Settings. ground is a self-help tool, not therapy or treatment; if anxiety is "
    "getting in the way of your life, a doctor or therapist can help."
)


class HelpScreen(ModalScreen[bool]):
    """Lists the bindings of the screen underneath, plus the global ones."""

    BINDINGS = [Binding("escape,question_mark,q,f1", "close", "Close", id="help.close")]

    #: The first line: how to close it.
    HINT = "Esc closes this · ↓ / PgDn read on"

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        # Safety first: at 80×24 the keys run past the bottom (↓ and PgDn scroll them).
        with VerticalScroll(classes="dialog help"):
            yield Static(self.HINT, classes="dim")
            yield Static("Safety", classes="dialog-title")
            yield Static(Text(SAFETY, "dim"))
            yield Static("Keys", classes="dialog-title")
            yield Static(self._keys())

    def _keys(self) -> Text:
        """One row per key: bindings that share a key (Pause, Resume) share the row."""
        rows: dict[str, list[str]] = {}
        remapped: dict[str, str] = dict(getattr(self.app, "keymap", {}))
        for source in (self.under, self.app):
            for binding in getattr(source, "BINDINGS", []):
                if not hasattr(binding, "action") or not binding.description:
                    continue
                key = binding.key_display or ""
                if binding.id in remapped or not key:
                    keys = remapped.get(binding.id or "", binding.key)
                    key = " / ".join(key_name(k) for k in keys.split(","))
                if any(binding.description in row for row in rows.values()):
                    continue
                rows.setdefault(key, []).append(binding.description)
        lines = Text()
        for key, descriptions in rows.items():
            lines.append(f"{key:>12}  ", "bold")
            lines.append(" / ".join(descriptions) + "\n")
        return lines

    def action_close(self) -> None:
        """Back to where you were."""
        self.dismiss(False)


class SessionHelpScreen(HelpScreen):
    """Help over a session, which waits, paused, while it is open.

    F1, ? or Enter close it and the session carries on; the session's stop key (q or Esc unless
    remapped) does here what it does in the session: it dismisses with True, and the session
    ends at once in its first seconds, or asks. Esc closes it when it is not a stop key (it is
    bound on its own: a keymap drops every binding of a key it moves).
    """

    INHERIT_BINDINGS = False
    BINDINGS = [
        Binding("q", "end", "End", id="session.end"),
        Binding("escape", "escape_key", "End", show=False),
        Binding("f1,question_mark,enter", "close", "Close", id="help.close"),
    ]

    def __init__(self, under: Screen[Any], stop_keys: str = "q,escape") -> None:
        super().__init__(under)
        shown = " or ".join(key_name(k) for k in stop_keys.split(","))
        self.HINT = f"Paused · F1 goes on · {shown} ends it · ↓ more"

    def action_end(self) -> None:
        """The session's stop key."""
        self.dismiss(True)

    def action_escape_key(self) -> None:
        """Esc: the stop key, unless the stop key was remapped without it (then: close)."""
        self.dismiss("escape" in stop_keys(self.app))
