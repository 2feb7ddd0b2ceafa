"""Shown over everything while the terminal is smaller than 80×24 (sessions keep playing)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static

from assistant.ui.services import ground_app


class TooSmallScreen(ModalScreen[None]):
    """A plain message that updates with the size."""

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")

    def on_mount(self) -> None:
        """Say the size now."""
        self._update()

    def on_resize(self) -> None:
        """Keep the numbers current; go away once the window is big enough."""
        self._update()
        self.call_later(ground_app(self.app).check_size)

    def _update(self) -> None:
        width, height = self.app.size
        self.query_one("#too-small", Static).update(
            f"This window is {width}×{height}; ground needs 80×24.\n"
            "Make it a little bigger and everything comes back.\n"
            "(Any session keeps playing. `ground now` works in any size.)"
        )
