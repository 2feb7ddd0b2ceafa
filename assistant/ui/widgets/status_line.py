"""The session's quiet lines: short news (volume, voice, tones) and when a caption ends."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

if TYPE_CHECKING:
    pass

#: How long a message stays, in seconds.
SHOW_FOR = 2.5


class StatusLine(Static):
    """A single dim line; :meth:`say` shows a message for a moment, then the line is empty.

    Unlike toasts, messages never stack and never cover the pacer or the words.
    """

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        width: 100%;
        text-align: center;
        color: $text-muted;
    }
    """

    def __init__(self, *, hide_when_empty: bool = False, **kwargs: str) -> None:
        """A quiet line; with ``hide_when_empty`` it takes no room while it says nothing."""
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self._clear: Timer | None = None
        self._hide = hide_when_empty
        self.message = ""
        self.display = not hide_when_empty

    def say(self, message: str, seconds: float = SHOW_FOR) -> None:
        """Show ``message`` (plain text) for ``seconds``, replacing whatever was there."""
        self.message = message
        self.update(Text(message, "italic"))
        self.display = True
        if self._clear is not None:
            self._clear.stop()
        self._clear = self.set_timer(seconds, self.clear)

    def clear(self) -> None:
        """Empty the line."""
        self.message = ""
        self.update("")
        self._clear = None
        if self._hide:
            self.display = False
