"""Shown over everything while the terminal is smaller than 80×24 (sessions keep playing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from assistant.ui.services import ground_app

if TYPE_CHECKING:
    from assistant.ui.screens.session import SessionScreen


class TooSmallScreen(ModalScreen[None]):
    """A plain message that updates with the size; the stop key still stops a session."""

    # The session's own binding id: a stop key remapped in settings stops from here too.
    BINDINGS = [Binding("q,escape", "end", "End", id="session.end")]

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")

    def on_mount(self) -> None:
        """Say the size now."""
        self._update()

    def on_resize(self) -> None:
        """Keep the numbers current; go away once the window is big enough."""
        self._update()
        self.call_later(ground_app(self.app).check_size)

    def on_screen_resume(self) -> None:
        """Back on top (a question above was answered): the window may have grown meanwhile."""
        self._update()
        self.call_later(ground_app(self.app).check_size)

    def _session(self) -> SessionScreen | None:
        """The session playing underneath, if any."""
        from assistant.ui.screens.session import SessionScreen

        return next((s for s in self.app.screen_stack if isinstance(s, SessionScreen)), None)

    def action_end(self) -> None:
        """End the session underneath, as q does on the session screen itself."""
        session = self._session()
        if session is not None:
            session.action_end()

    def _update(self) -> None:
        width, height = self.app.size
        if self._session() is not None:
            from assistant.ui.screens.confirm import key_name

            keys = ground_app(self.app).keymap.get("session.end", "q")
            tail = f"(The session keeps playing: {key_name(keys.split(',')[0])} ends it.)"
        else:
            tail = "(`ground now` works in any size.)"
        self.query_one("#too-small", Static).update(
            f"This window is {width}×{height}; ground needs 80×24.\n"
            f"Make it a little bigger and everything comes back.\n{tail}"
        )
