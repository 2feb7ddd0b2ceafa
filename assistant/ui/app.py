"""The Textual app: wires the screens together; the screens own their flows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from assistant.core.i18n import N_, _
from assistant.core.library import UnknownScript
from assistant.ui.saved import could_not_save, saved_text
from assistant.ui.screens.home import HomeScreen, Length
from assistant.ui.services import Services
from assistant.ui.translate import translate_bindings

if TYPE_CHECKING:
    from assistant.core.model import Script
    from assistant.core.timer import TimerOptions
    from assistant.session import Practice, PracticeResult
    from assistant.ui.screens.end import Reflection

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
        Binding("f2,ctrl+n", "quick_reset", N_("Now"), priority=True, id="app.now"),
        Binding("f3", "history", N_("History"), id="app.history"),
        Binding("f4", "settings", N_("Settings"), id="app.settings"),
        Binding("f5", "ladder", N_("Ladder"), id="app.ladder"),
        Binding("f1", "help", N_("Help"), id="app.help"),
        Binding("ctrl+q", "quit", N_("Quit"), id="app.quit"),
    ]

    def __init__(self, services: Services | None = None) -> None:
        super().__init__()
        translate_bindings(self)
        self.services = services or Services.load()
        self._practice: Practice | None = None  # from its start until its row is written
        self._quitting = False
        self._session_open = False  # from a session's start until its end screen is shown
        self._tension_after = True  # whether the end screen asks how tense now (0–10)
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
        """Ask how tense (if wanted), then start; Esc on the question goes back instead."""
        from assistant.session import TIMER_SCRIPT

        if message.script is TIMER_SCRIPT:
            self.action_timer()
            return
        if not self.services.settings.ask_before:
            self.start_session(message.script, message.length, before=None)
            return
        from assistant.ui.screens.tension import Rating, TensionScreen

        def rated(rating: Rating | None) -> None:
            if rating is not None:  # None: Esc, back to where the person was
                self.start_session(message.script, message.length, before=rating.value)

        self.push_screen(TensionScreen(), rated)

    @property
    def in_session(self) -> bool:
        """Whether a session is playing (under Help, a question or a palette too)."""
        return any(_is(s, "SessionScreen") for s in self.screen_stack)

    def action_quick_reset(self) -> None:
        """The quick reset ("Right now"), from anywhere, with no questions; afterwards the person is
        back where they were."""
        if self.in_session:
            return
        try:
            script = self.services.library.get("now")
        except UnknownScript:
            self.notify(_("The quick reset script is missing; reinstall ground."), severity="error")
            return
        self.start_session(script, Length(), before=None)

    def _close_passing_screens(self, *, end_screen: bool = True) -> None:
        """Before a session starts or a screen opens from its key: close what only passes over
        a screen (help, a question, the too-small notice and, with ``end_screen``, a finished
        session's end screen, whose practice is saved first, without answers).

        A form being filled in (a ladder step) stays, to come back to afterwards.
        """
        passing = ["HelpScreen", "ConfirmScreen", "TensionScreen", "TooSmallScreen"]
        passing += ["HoldsScreen", "SudsScreen"]
        passing += ["CommandPalette", "GroundPalette", *(["EndScreen"] if end_screen else [])]
        while len(self.screen_stack) > 2 and _is(self.screen, *passing):
            if _is(self.screen, "EndScreen"):
                self._reflected(None)
            self.pop_screen()

    def start_session(
        self,
        script: Script,
        length: Length,
        *,
        before: int | None,
        asked: bool = False,
        tension_after: bool = True,
    ) -> bool:
        """Start the practice (audio starts now) and show it over where the person is; the
        first time a script with holds starts before the person has chosen, ask about the
        holds first.

        Args:
            script: what to play.
            length: the length chosen.
            before: how tense the person said they were (0–10), if asked.
            asked: the holds question has been asked for this start.
            tension_after: the end screen asks how tense now (off for a rehearsal, which asks
                its own 0–100 rating instead: the person rates once).

        Returns:
            False when it did not start (a session already playing, or a notification says
            why); True when it started or waits on the holds question.
        """
        from assistant.core.compiler import LengthError
        from assistant.core.support import has_holds
        from assistant.ui.screens.session import SessionScreen

        if self.in_session:
            return False
        self._close_passing_screens()
        if not asked and self.services.settings.holds is None and has_holds(script):
            self._ask_holds(
                lambda: self.start_session(
                    script, length, before=before, asked=True, tension_after=tension_after
                )
            )
            return True
        try:
            practice = self.services.open_practice(script, length.options(), before=before)
        except LengthError as exc:
            self.notify(str(exc), severity="warning")
            return False
        self._practice = practice
        self.push_screen(
            SessionScreen(practice, reduced_motion=self.services.settings.reduced_motion),
            self._session_ended,
        )
        self._session_open = True
        self._tension_after = tension_after
        self.call_after_refresh(self.check_size)
        return True

    def _ask_holds(self, then: Callable[[], object]) -> None:
        """The holds question; a choice is saved (Esc saves nothing: no holds this time)."""
        from assistant.core.support import HOLDS_OFF, HOLDS_ON
        from assistant.storage.settings import SettingsError
        from assistant.ui.screens.holds import HoldsScreen

        def chosen(include: bool | None) -> None:
            if include is not None:
                try:
                    self.services.update_settings(holds=include)
                except (SettingsError, OSError) as exc:
                    self.notify(could_not_save(exc), severity="warning")
                else:
                    self.notify(_(HOLDS_ON if include else HOLDS_OFF), timeout=6)
                    self._settings_changed()
            then()

        self.push_screen(HoldsScreen(), chosen)

    def action_timer(self) -> None:
        """The plain timer: choose it, then (after how tense, if wanted) sit with it."""
        from assistant.ui.screens.timer import TimerScreen

        if self.in_session or any(_is(s, "TimerScreen") for s in self.screen_stack):
            return
        self._close_passing_screens(end_screen=False)

        def chosen(options: TimerOptions | None) -> None:
            if isinstance(self.screen, HomeScreen):
                self.screen.refresh_scripts()  # the timer's length, as now chosen
            if options is None:
                return
            if not self.services.settings.ask_before:
                self.start_timer(options, before=None)
                return
            from assistant.ui.screens.tension import Rating, TensionScreen

            def rated(rating: Rating | None) -> None:
                if rating is not None:  # None: Esc, back to where the person was
                    self.start_timer(options, before=rating.value)

            self.push_screen(TensionScreen(), rated)

        self.push_screen(TimerScreen(), chosen)

    def start_timer(self, options: TimerOptions, *, before: int | None) -> None:
        """Start the timer (its start bell after the delay) and show it."""
        from assistant.core.timer import TimerError
        from assistant.ui.screens.session import SessionScreen

        if self.in_session:
            return
        self._close_passing_screens()
        try:
            practice = self.services.open_timer(options, before=before)
        except TimerError as exc:
            self.notify(str(exc), severity="warning")
            return
        self._practice = practice
        self.push_screen(
            SessionScreen(practice, reduced_motion=self.services.settings.reduced_motion),
            self._session_ended,
        )
        self._session_open = True
        self.call_after_refresh(self.check_size)

    def _session_ended(self, result: PracticeResult | None) -> None:
        from assistant.ui.screens.end import EndScreen

        self._session_open = False
        if result is None:
            return
        if self._quitting:  # Ctrl+Q mid-session: keep the time practised, then go
            self._reflected(None)
            self.exit()
            return
        before = self._practice.tension_before if self._practice is not None else None
        self.push_screen(
            EndScreen(result, before=before, ask_tension=self._tension_after), self._reflected
        )
        # The session took any "too small" notice with it: put it back over the end screen.
        self.call_after_refresh(self.check_size)

    def _record_unfinished(self) -> None:
        """Save a practice the app is closed in the middle of (a stop signal, Ctrl-Q) the way
        the headless player does: stopped early, with the time practised (it was logged as
        interrupted with 0 s)."""
        self._reflected(None)

    def _reflected(self, reflection: Reflection | None) -> None:
        """Write the practice's row, with what the person added after (if anything)."""
        practice, self._practice = self._practice, None
        if practice is None:
            return
        problem = practice.save(
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
            self._record_unfinished()  # an end screen's practice: kept, with no answers
            self.exit()
            return
        self._quitting = True
        session.end_now()

    # -- other screens ------------------------------------------------------------------------

    def action_history(self) -> None:
        """Practice days, minutes per week, tension before and after, notes."""
        from assistant.ui.screens.history import HistoryScreen

        self._open("HistoryScreen", HistoryScreen)

    def action_settings(self) -> None:
        """Voice, sound, breathing and display settings."""
        from assistant.ui.screens.settings import SettingsScreen

        self._open("SettingsScreen", SettingsScreen)

    def action_ladder(self) -> None:
        """The exposure ladder: small social steps, one at a time."""
        from assistant.ui.screens.ladder import LadderScreen

        if self.services.settings.ladder_on:
            self._open("LadderScreen", LadderScreen)

    def _open(self, name: str, make: Callable[[], Screen[None]]) -> None:
        """Show a screen from its F-key: over where the person is (help or a question there is
        closed first), never during a session, never a second copy of one already open."""
        if self.in_session or any(_is(s, name) for s in self.screen_stack):
            return
        self._close_passing_screens(end_screen=False)
        self.push_screen(make())
        self.call_after_refresh(self.check_size)

    #: The screen each F-key action opens.
    _OPENS = {"history": "HistoryScreen", "settings": "SettingsScreen", "ladder": "LadderScreen"}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """During a session the keys that would leave it are off (and out of the footer), as
        is the key of a screen already open; the ladder's key disappears for people who turned
        the ladder off."""
        if action in ("quick_reset", *self._OPENS) and self.in_session:
            return False
        if action in self._OPENS and any(_is(s, self._OPENS[action]) for s in self.screen_stack):
            return False
        return action != "ladder" or self.services.settings.ladder_on

    def action_help(self) -> None:
        """Where to get help (with the person's own contacts), and the keys for this screen;
        over a session, the session waits."""
        from assistant.ui.screens.help import HelpScreen
        from assistant.ui.screens.session import SessionScreen

        if isinstance(self.screen, HelpScreen):
            return
        if isinstance(self.screen, SessionScreen):
            self.screen.open_help()
        elif not self.in_session:
            self.push_screen(HelpScreen(self.screen))

    def action_command_palette(self) -> None:
        """The command palette; over a session the stop key still stops (see SessionPalette)."""
        from textual.command import CommandPalette

        from assistant.ui.palette import GroundPalette

        if not self.in_session or CommandPalette.is_open(cast("App[object]", self)):
            if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
                self.push_screen(GroundPalette(id="--command-palette"))  # as Textual's own does
            return
        from assistant.ui.screens.session import SessionPalette

        self.push_screen(SessionPalette(id="--command-palette"))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The command palette (ctrl+p): the app's own commands (see :mod:`.palette`)."""
        from assistant.ui.palette import commands

        return commands(self, screen)

    def start_by_name(self, script_id: str) -> None:
        """Start a script chosen by name (from the palette), with the length Home shows for it;
        the question before it (if asked) goes back to where the person was."""
        if self.in_session:
            return
        try:
            script = self.services.library.get(script_id)
        except UnknownScript:
            return
        home = next((s for s in self.screen_stack if isinstance(s, HomeScreen)), None)
        length = home.length_for(script) if home is not None else Length()
        self.on_home_screen_start_requested(HomeScreen.StartRequested(script, length))

    def change_setting(self, name: str, value: object, shown: str | None = None) -> None:
        """Save one setting (from the palette) and apply it at once; ``shown``: how the value
        reads for people, when not as it is."""
        from assistant.storage.settings import SettingsError

        try:
            self.services.update_settings(**{name: value})
        except (SettingsError, OSError) as exc:
            self.notify(could_not_save(exc), severity="error")
            return
        self._settings_changed()
        self.notify(saved_text(name, value, shown), timeout=3)

    def _settings_changed(self) -> None:
        """A setting was saved from outside Settings (the palette, the holds question): apply
        it, and the screens that show settings follow."""
        from assistant.ui.screens.settings import SettingsScreen

        self.apply_settings()
        self.refresh_bindings()
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.settings_changed()  # what Home describes follows the settings
            elif isinstance(screen, SettingsScreen):
                screen.show_settings()  # its switches too

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

    def on_app_focus(self) -> None:
        """The terminal has the focus again (the person may have edited a script meanwhile):
        Home looks at the scripts folder."""
        if isinstance(self.screen, HomeScreen):
            self.screen.catch_up()

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
