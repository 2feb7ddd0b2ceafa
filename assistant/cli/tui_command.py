"""``ground`` with no command: the full-screen app (Textual is imported only here)."""

from __future__ import annotations


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
    with quiet_c_stderr(move_dunder=True):
        return int(app.run_app())
