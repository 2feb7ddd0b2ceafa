"""The Textual app: wires the screens together; the screens own their flows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from assistant.core.library import UnknownScript
from assistant.ui.screens.home import HomeScreen, Length
from assistant.ui.services import Services

if TYPE_CHECKING:
    from assistant.core.model import Script
    from assistant.session import SessionRecord
    from assistant.ui.screens.end import Reflection
    from assistant.ui.screens.session import SessionResult

# Screens not on the first frame are imported when first shown: the first frame is measured
# against a bare Textual app (≤ 1.3×), and they cost ~35 ms to import.

MIN_SIZE = (80, 24)

CALM_DARK = Theme(
    name="ground-dark",
    primary="#7fb8a4",
    secondary="#8fa8c8",
    accent="#c8b88f",
    foreground="#d8dee4",
    background="#1b2126",
    surface="#222a30",
    panel="#2a333a",
    success="#8fc8a0",
    warning="#d8b878",
    error="#d89090",
    dark=True,
)
CALM_LIGHT = Theme(
    name="ground-light",
    primary="#3f7f6a",
    secondary="#4f6f98",
    accent="#8f7a3f",
    foreground="#2a3238",
    background="#f4f1ea",
    surface="#ebe7de",
    panel="#e0dbd0",
    success="#3f8f5a",
    warning="#a07830",
    error="#a05050",
    dark=False,
)


class GroundApp(App[None]):
    """``ground`` with no command: pick, breathe, reflect, look back, adjust."""

    TITLE = "ground"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("f2,ctrl+n", "quick_reset", "Now", priority=True, id="app.now"),
        Binding("f3", "history", "History", id="app.history"),
        Binding("f4", "settings", "Settings", id="app.settings"),
        Binding("f5", "ladder", "Ladder", id="app.ladder"),
        Binding("f1", "help", "Help", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(self, services: Services | None = None) -> None:
        super().__init__()
        self.services = services or Services.load()
        self._before: int | None = None
        self._record: SessionRecord | None = None
        self._quitting = False
        self._session_open = False  # from a session's start until its end screen is shown
        self._home_ready = False
        self._stop_code: int | None = None
        self.register_theme(CALM_DARK)
        self.register_theme(CALM_LIGHT)
        self._first_theme()

    # -- start-up -----------------------------------------------------------------------------

    def _first_theme(self) -> None:
        """The settings' theme, in place before any stylesheet is parsed.

        Setting ``theme`` once running re-parses every stylesheet and restyles every widget
        (≈ 7 ms of CPU before the first frame); before the first parse only the variables and
        the classes the theme's watcher would set are needed.
        """
        name = self._theme_name()
        self.set_reactive(App.theme, name)
        dark = self.current_theme.dark
        self.set_class(True, f"-theme-{name}")
        self.set_class(dark, "-dark-mode")
        self.set_class(not dark, "-light-mode")
        self._refresh_truecolor_filter(self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())

    def _theme_name(self) -> str:
        return "ground-light" if self.services.settings.theme == "light" else "ground-dark"

    def on_mount(self) -> None:
        """Remapped keys, then the home screen (the theme is set before the first frame)."""
        self.apply_settings()
        self.push_screen(HomeScreen())

    def stop_for_signal(self, code: int) -> None:
        """A stop signal (SIGTERM, SIGHUP): close the way Ctrl-Q does, with exit ``code``, once
        the home screen is up (closing while it mounted made Textual print tracebacks)."""
        self._stop_code = code
        if self._home_ready:
            self._record_unfinished()
            self.exit(None, code)

    def home_ready(self) -> None:
        """The home screen has mounted: a stop signal that came meanwhile takes effect now."""
        self._home_ready = True
        if self._stop_code is not None:
            self.exit(None, self._stop_code)

    def apply_settings(self) -> None:
        """Theme and key map from the settings."""
        settings = self.services.settings
        self.theme = self._theme_name()
        if settings.keys:
            keys = dict(settings.keys)
            # One key pauses and resumes: Resume follows whatever Pause is remapped to.
            if "session.pause" in keys:
                keys.setdefault("session.resume", keys["session.pause"])
            self.set_keymap(keys)

    @property
    def keymap(self) -> dict[str, str]:
        """Bindings remapped in settings (binding id → keys)."""
        return dict(self.services.settings.keys)

    def on_resize(self) -> None:
        """Say so plainly when the terminal is too small."""
        # This handler runs before Textual's own one has stored the new size: check after it.
        self.call_later(self.check_size)

    def check_size(self) -> None:
        """Cover everything with a plain message while the terminal is below 80×24."""
        from assistant.ui.screens.too_small import TooSmallScreen

        if not any(isinstance(s, HomeScreen) for s in self.screen_stack):
            return  # starting up: the home screen checks once it is shown

        small = self.size.width < MIN_SIZE[0] or self.size.height < MIN_SIZE[1]
        if self._session_open and not any(_is(s, "SessionScreen") for s in self.screen_stack):
            return  # between a session's end and its end screen: that screen checks when shown
        shown = any(isinstance(s, TooSmallScreen) for s in self.screen_stack)
        if small and not shown:
            self.push_screen(TooSmallScreen())
        elif not small and isinstance(self.screen, TooSmallScreen):
            self.pop_screen()  # (under a question it goes when the question does)

    # -- starting sessions --------------------------------------------------------------------

    def on_home_screen_start_requested(self, message: HomeScreen.StartRequested) -> None:
        """Ask how tense (if wanted), then start."""
        if not self.services.settings.ask_before:
            self.start_session(message.script, message.length, before=None)
            return
        from assistant.ui.screens.tension import TensionScreen

        def rated(value: int | None) -> None:
            self.start_session(message.script, message.length, before=value)

        self.push_screen(TensionScreen(), rated)

    def action_quick_reset(self) -> None:
        """The one-minute reset, from anywhere, with no questions."""
        if _is(self.screen, "SessionScreen"):
            return
        try:
            script = self.services.library.get("now")
        except UnknownScript:
            self.notify("The quick reset script is missing; reinstall ground.", severity="error")
            return
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.start_session(script, Length(), before=None)

    def start_session(self, script: Script, length: Length, *, before: int | None) -> None:
        """Open the session (audio starts now) and show it."""
        from assistant.core.compiler import LengthError
        from assistant.ui.screens.session import SessionScreen

        try:
            session = self.services.open_session(script, length.options())
        except LengthError as exc:
            self.notify(str(exc), severity="warning")
            return
        from assistant.session import SessionRecord

        self._before = before
        self._record = SessionRecord.start(session, self.services.log, tension_before=before)
        self.push_screen(
            SessionScreen(session, reduced_motion=self.services.settings.reduced_motion),
            self._session_ended,
        )
        self._session_open = True

    def _session_ended(self, result: SessionResult | None) -> None:
        from assistant.ui.screens.end import EndScreen

        self._session_open = False
        if result is None:
            return
        if self._quitting:  # Ctrl+Q mid-session: keep the time practised, then go
            self._reflected(result, None)
            self.exit()
            return
        self.push_screen(
            EndScreen(result, before=self._before),
            lambda reflection: self._reflected(result, reflection),
        )
        # The session took any "too small" notice with it: put it back over the end screen.
        self.call_after_refresh(self.check_size)

    def _record_unfinished(self) -> None:
        """Save a session the app is closed in the middle of (a stop signal, Ctrl-Q) the way
        the headless player does: stopped early, with the time practised (it was logged as
        interrupted with 0 s)."""
        if self._record is None:
            return
        from assistant.ui.screens.end import EndScreen
        from assistant.ui.screens.session import SessionScreen

        result: SessionResult | None = None
        for screen in reversed(self.screen_stack):
            if isinstance(screen, SessionScreen):
                result = screen.result_so_far()
                break
            if isinstance(screen, EndScreen):
                result = screen.result
                break
        if result is not None:
            self._reflected(result, None)

    def _reflected(self, result: SessionResult, reflection: Reflection | None) -> None:
        record, self._record = self._record, None
        if record is None:
            return
        problem = record.finish(
            result.practised_seconds,
            result.breaths,
            completed=result.completed,
            tension_after=reflection.tension_after if reflection else None,
            note=reflection.note if reflection else None,
        )
        if problem:
            self.notify(problem.capitalize() + ".", severity="warning")

    async def action_quit(self) -> None:
        """Quit; a session playing is ended first, so its time practised is logged."""
        from assistant.ui.screens.session import SessionScreen

        session = next((s for s in self.screen_stack if isinstance(s, SessionScreen)), None)
        if session is None:
            self._record_unfinished()  # an end screen's session: kept, with no answers
            self.exit()
            return
        self._quitting = True
        session.end_now()

    # -- other screens ------------------------------------------------------------------------

    def action_history(self) -> None:
        """Practice days, minutes per week, tension before and after, notes."""
        from assistant.ui.screens.history import HistoryScreen

        if not _is(self.screen, "SessionScreen", "HistoryScreen"):
            self.push_screen(HistoryScreen())

    def action_settings(self) -> None:
        """Voice, sound, breathing and display settings."""
        from assistant.ui.screens.settings import SettingsScreen

        if not _is(self.screen, "SessionScreen", "SettingsScreen"):
            self.push_screen(SettingsScreen())

    def action_ladder(self) -> None:
        """The exposure ladder: small social steps, one at a time."""
        from assistant.ui.screens.ladder import LadderScreen

        if not self.services.settings.ladder_on:
            return
        if not _is(self.screen, "SessionScreen", "LadderScreen"):
            self.push_screen(LadderScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The ladder's key disappears for people who turned the ladder off."""
        return action != "ladder" or self.services.settings.ladder_on

    def action_help(self) -> None:
        """Keys for this screen, and a word on safety."""
        from assistant.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The command palette (ctrl+p): the app's own commands (see :mod:`.palette`)."""
        from assistant.ui.palette import commands

        return commands(self, screen)

    def start_by_name(self, script_id: str) -> None:
        """Start a script chosen by name (from the palette), with the length Home shows for it."""
        if _is(self.screen, "SessionScreen"):
            return
        try:
            script = self.services.library.get(script_id)
        except UnknownScript:
            return
        while len(self.screen_stack) > 2:
            self.pop_screen()
        home = self.screen
        length = home.length_for(script) if isinstance(home, HomeScreen) else Length()
        self.on_home_screen_start_requested(HomeScreen.StartRequested(script, length))

    def change_setting(self, name: str, value: object) -> None:
        """Save one setting (from the palette) and apply it at once."""
        from assistant.storage.settings import SettingsError

        try:
            self.services.update_settings(**{name: value})
        except (SettingsError, OSError) as exc:
            self.notify(f"Could not save: {exc}", severity="error")
            return
        self.apply_settings()
        self.refresh_bindings()
        if isinstance(self.screen, HomeScreen):
            self.screen.refresh_scripts()  # "(holds off)" and the like, on the right
        shown = value if not isinstance(value, bool) else ("on" if value else "off")
        self.notify(f"Saved: {name.replace('_', ' ')} {shown}.", timeout=3)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification shown as plain text: an install hint's ``[piper]`` or a step's title
        is data, never markup (``markup`` is ignored)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def on_unmount(self) -> None:
        """Close the practice log."""
        self.services.close()


def _is(screen: Screen[object], *names: str) -> bool:
    """Whether ``screen`` is one of the named screen classes (without importing them)."""
    return type(screen).__name__ in names


def run_app(
    services: Services | None = None,
    guard: Callable[[GroundApp], AbstractContextManager[object]] | None = None,
) -> int:
    """Run the TUI; returns the exit code.

    Args:
        services: what the app uses (the real ones by default).
        guard: wraps the run, given the app (the command line hands stop signals to it).
    """
    app = GroundApp(services)
    with guard(app) if guard is not None else nullcontext():
        app.run()
    return app.return_code or 0


def css_path() -> Path:
    """The stylesheet (for tests that check it parses)."""
    return Path(__file__).with_name("app.tcss")
