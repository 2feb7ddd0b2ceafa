"""Help: the keys for where you are, and a plain word on safety."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from assistant.ui.screens.confirm import key_name

SAFETY = (
    "If you feel dizzy or short of breath, stop and breathe normally. Holds are optional: turn "
    "them off in Settings. ground is a self-help tool, not therapy or treatment; if anxiety is "
    "getting in the way of your life, a doctor or therapist can help."
)


class HelpScreen(ModalScreen[None]):
    """Lists the bindings of the screen underneath, plus the global ones."""

    BINDINGS = [Binding("escape,question_mark,q,f1", "close", "Close", id="help.close")]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        # Safety first: at 80×24 the keys run past the bottom (↓ and PgDn scroll them).
        with VerticalScroll(classes="dialog help"):
            yield Static("Esc closes this · ↓ / PgDn read on", classes="dim")
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
        self.dismiss(None)
