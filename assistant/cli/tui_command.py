"""``ground`` with no command: the full-screen app (Textual is imported only here)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.ui.app import GroundApp


def tui() -> int:
    """The full-screen app (Textual is imported only here)."""
    import gc
    import importlib

    from assistant.sound.quiet import quiet_c_stderr

    # Start-up allocates ~200k objects that all live for the whole run; collecting them over
    # and over cost ~15 % of the time to the first frame. The home screen re-enables the
    # collector (after freezing what exists) once it is on screen.
    gc.disable()
    app = importlib.import_module("assistant.ui.app")
    # ALSA and PortAudio write to fd 2 from their own threads; Textual owns the screen.
    from assistant.cli.stop_signals import closing_on_signals

    def guard(running: GroundApp) -> AbstractContextManager[object]:
        return closing_on_signals(
            lambda code: running.call_from_thread(running.stop_for_signal, code)
        )

    with quiet_c_stderr(move_dunder=True):
        return int(app.run_app(guard=guard))
