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
from textual.command import CommandPalette

from assistant.core.i18n import N_, _
from assistant.ui.screens.confirm import key_name
from assistant.ui.translate import description, translate_bindings

if TYPE_CHECKING:
    from textual.screen import Screen

    from assistant.ui.app import GroundApp

#: Settings that are a plain on/off, as Settings labels them.
TOGGLES = (
    ("voice_on", N_("Speak the words")),
    ("tones_on", N_("Phase tones")),
    ("reduced_motion", N_("Reduced motion")),
    ("ask_before", N_("Ask how tense before a session")),
    ("ladder_on", N_("Exposure ladder")),
    ("meter_on", N_("Breath meter")),
)
THEMES = (("dark", N_("calm dark")), ("light", N_("calm light")))
#: Textual's own words in the palette, for extraction (its search field, its Esc).
PALETTE_WORDS = (N_("Search for commands…"), N_("Exit the command palette"))


class GroundPalette(CommandPalette):
    """Textual's command palette with its own words in the person's language."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id, placeholder=_(PALETTE_WORDS[0]))
        translate_bindings(self)


def commands(app: GroundApp, screen: Screen[object]) -> Iterator[SystemCommand]:
    """Everything the palette offers on ``screen``."""
    in_session = type(screen).__name__ == "SessionScreen"
    yield from _screen_bindings(app, screen)
    if not in_session:
        yield SystemCommand(
            # TRANSLATORS: “Right now” is the title of the quick reset (scripts/<lang>/now.toml).
            _("Quick reset"),
            _("Start “Right now”, the short reset"),
            app.action_quick_reset,
        )
        for script in app.services.library.scripts.values():
            yield SystemCommand(
                _("Start: {title}").format(title=script.title),
                script.summary,
                _later(app, app.start_by_name, script.id),
            )
        yield SystemCommand(
            _("Timer"),
            _("Sit in silence between bells (its set-up first)"),
            _later(app, app.action_timer),
        )
        yield SystemCommand(_("History"), _("Your practice so far"), app.action_history)
        yield SystemCommand(
            _("Settings"), _("Voice, sound, breathing, display"), app.action_settings
        )
        if app.services.settings.ladder_on:
            yield SystemCommand(_("Ladder"), _("Your small social steps"), app.action_ladder)
        settings = app.services.settings
        for name, label in TOGGLES:
            on = bool(getattr(settings, name))
            # TRANSLATORS: {setting} is a setting's name, as in Settings ("Phase tones").
            turn = _("{setting}: turn off") if on else _("{setting}: turn on")
            yield SystemCommand(
                turn.format(setting=_(label)),
                _("Setting, now on (saved)") if on else _("Setting, now off (saved)"),
                _later(app, app.change_setting, name, not on),
            )
        for holds in (True, False):
            if settings.holds is not holds:
                yield SystemCommand(
                    _("Breath holds: on") if holds else _("Breath holds: off"),
                    _("Box and 4-7-8 (saved; Settings shows the choice)"),
                    _later(app, app.change_setting, "holds", holds),
                )
        for value, label in THEMES:
            if settings.theme != value:
                yield SystemCommand(
                    _("Theme: {name}").format(name=_(label)),
                    _("Saved for next time"),
                    _later(app, app.change_setting, "theme", value, _(label)),
                )
    yield SystemCommand(
        _("Help"), _("Where to get help, your people, the keys"), _later(app, app.action_help)
    )
    yield SystemCommand(_("Quit"), _("Close ground (a session is logged first)"), app.action_quit)


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

            words = description(screen, binding)
            yield SystemCommand(words, f"{words} ({keys})", run)


def _later(app: GroundApp, function: Callable[..., object], *args: object) -> Callable[[], None]:
    """A palette callback that runs ``function(*args)`` once the palette has closed."""

    def run() -> None:
        app.call_later(function, *args)

    return run
