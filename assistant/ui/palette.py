"""The command palette (Ctrl+P): the app's own commands, not Textual's defaults.

Every script by name, the timer, every screen, each on/off setting and the two calm themes
(saved like any setting). Textual's own entries (maximise, screenshot, its ~20 themes that
bypass the settings) are left out: they are not for the people this app is for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding

from assistant.ui.screens.confirm import key_name

if TYPE_CHECKING:
    from textual.screen import Screen

    from assistant.ui.app import GroundApp

#: Settings that are a plain on/off, as Settings labels them.
TOGGLES = (
    ("voice_on", "Speak the words"),
    ("tones_on", "Phase tones"),
    ("reduced_motion", "Reduced motion"),
    ("ask_before", "Ask how tense before a session"),
    ("ladder_on", "Exposure ladder"),
    ("meter_on", "Breath meter"),
)
THEMES = (("dark", "calm dark"), ("light", "calm light"))


def commands(app: GroundApp, screen: Screen[object]) -> Iterator[SystemCommand]:
    """Everything the palette offers on ``screen``."""
    in_session = type(screen).__name__ == "SessionScreen"
    yield from _screen_bindings(app, screen)
    if not in_session:
        yield SystemCommand(
            "Quick reset", "Start “Right now”, the short reset", app.action_quick_reset
        )
        for script in app.services.library.scripts.values():
            yield SystemCommand(
                f"Start: {script.title}", script.summary, _later(app, app.start_by_name, script.id)
            )
        yield SystemCommand(
            "Timer",
            "Sit in silence between bells (its set-up first)",
            _later(app, app.action_timer),
        )
        yield SystemCommand("History", "Your practice so far", app.action_history)
        yield SystemCommand("Settings", "Voice, sound, breathing, display", app.action_settings)
        if app.services.settings.ladder_on:
            yield SystemCommand("Ladder", "Your small social steps", app.action_ladder)
        settings = app.services.settings
        for name, label in TOGGLES:
            on = bool(getattr(settings, name))
            yield SystemCommand(
                f"{label}: turn {'off' if on else 'on'}",
                f"Setting, now {'on' if on else 'off'} (saved)",
                _later(app, app.change_setting, name, not on),
            )
        for holds, label in ((True, "on"), (False, "off")):
            if settings.holds is not holds:
                yield SystemCommand(
                    f"Breath holds: {label}",
                    "Box and 4-7-8 (saved; Settings shows the choice)",
                    _later(app, app.change_setting, "holds", holds),
                )
        for value, label in THEMES:
            if settings.theme != value:
                yield SystemCommand(
                    f"Theme: {label}",
                    "Saved for next time",
                    _later(app, app.change_setting, "theme", value, label),
                )
    yield SystemCommand(
        "Help", "Where to get help, your people, the keys", _later(app, app.action_help)
    )
    yield SystemCommand("Quit", "Close ground (a session is logged first)", app.action_quit)


def _screen_bindings(app: GroundApp, screen: Screen[object]) -> Iterator[SystemCommand]:
    """The screen's own keys (Pause, Skip, …), each only when it applies."""
    for binding in getattr(screen, "BINDINGS", []):
        if isinstance(binding, Binding) and binding.description and binding.show:
            action = binding.action
            if screen.check_action(action.partition("(")[0], ()) is False:
                continue  # Resume while playing, say: offered only when it applies

            # As people write keys (q / Esc, not "q,escape"), and as remapped in settings.
            remapped = app.keymap.get(binding.id or "")
            if remapped or not binding.key_display:
                keys = " / ".join(key_name(k) for k in (remapped or binding.key).split(","))
            else:
                keys = binding.key_display

            def run(action: str = action, target: Screen[object] = screen) -> None:
                app.call_later(target.run_action, action)

            yield SystemCommand(binding.description, f"{binding.description} ({keys})", run)


def _later(app: GroundApp, function: Callable[..., object], *args: object) -> Callable[[], None]:
    """A palette callback that runs ``function(*args)`` once the palette has closed."""

    def run() -> None:
        app.call_later(function, *args)

    return run
