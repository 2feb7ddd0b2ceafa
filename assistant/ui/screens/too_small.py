"""Shown over everything while the terminal is smaller than 80×24 (sessions keep playing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from assistant.core.i18n import N_, _
from assistant.ui.services import ground_app
from assistant.ui.translate import translate_bindings

if TYPE_CHECKING:
    from assistant.ui.screens.session import SessionScreen


class TooSmallScreen(ModalScreen[None]):
    """A plain message that updates with the size; the stop key still stops a session."""

    # The session's own binding id: a stop key remapped in settings stops from here too.
    BINDINGS = [Binding("q,escape", "end", N_("End"), id="session.end")]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

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
            # TRANSLATORS: {key} is the key that ends the session ("q").
            tail = _("(The session keeps playing: {key} ends it.)").format(
                key=key_name(keys.split(",")[0])
            )
        else:
            tail = _("(`ground now` works in any size.)")
        # TRANSLATORS: {width}×{height} is the window's size in characters.
        said = _(
            "This window is {width}×{height}; ground needs 80×24.\n"
            "Make it a little bigger and everything comes back."
        )
        self.query_one("#too-small", Static).update(
            said.format(width=width, height=height) + "\n" + tail
        )
