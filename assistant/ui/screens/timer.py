"""The timer's set-up: how long (or until ended), a bell every few minutes, a quiet before the
start bell, which bell, and an ambient sound. Each choice is kept for next time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Label, Select, Static

from assistant.core.i18n import N_, _, pgettext
from assistant.core.sounds import AMBIENTS, BELL_CHOICES, NO_AMBIENT, NO_BELL
from assistant.core.timer import TimerError, TimerOptions, check
from assistant.storage.settings import SettingsError
from assistant.ui.saved import could_not_save
from assistant.ui.screens import SCREENS_CSS
from assistant.ui.services import services_of
from assistant.ui.sounds import sound_name
from assistant.ui.translate import translate_bindings
from assistant.ui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from textual.widget import Widget

    from assistant.session.sound_preview import SoundPreview
    from assistant.storage.settings import Settings

#: Lengths offered, in minutes (0: until ended).
LENGTHS = (5, 10, 15, 20, 25, 30, 45, 60, 90, 120)
#: Minutes between interval bells (0: none).
INTERVALS = (1, 2, 3, 5, 10, 15, 20, 30)
#: Seconds of quiet before the start bell (0: none).
DELAYS = (0.0, 5.0, 10.0, 30.0, 60.0)
#: How each ambient sound is described (the others by their names).
AMBIENT_LABELS = {NO_AMBIENT: N_("none: silence"), "brown": N_("brown noise")}
#: The timer's settings, by the id of the control that sets each.
FIELDS = {
    "length": "timer_minutes",
    "every": "timer_every",
    "delay": "timer_delay",
    "bell": "timer_bell",
    "ambient": "timer_ambient",
}


def options_of(settings: Settings) -> TimerOptions:
    """The timer the settings describe."""
    return TimerOptions(
        minutes=None if settings.timer_open else settings.timer_minutes,
        open=settings.timer_open,
        every=settings.timer_every or None,
        delay=settings.timer_delay,
    )


class TimerScreen(Screen[TimerOptions | None]):
    """Choose the timer; dismisses with its options (None: back without starting)."""

    CSS_PATH = SCREENS_CSS

    DEFAULT_CSS = """
    TimerScreen #timer-setup {
        padding: 0 2;
    }
    TimerScreen #timer-setup .heading {
        margin: 0;
    }
    TimerScreen #timer-status {
        height: auto;
        max-height: 2;
        padding: 0 2;
    }
    """

    BINDINGS = [
        Binding("escape", "close", N_("Back"), id="timer.back"),
        Binding("s", "start", N_("Start"), id="timer.start"),
        # TRANSLATORS: footer labels of the timer's set-up (with Back, Start and the app's
        # keys): keep each under 18 characters.
        Binding("b", "hear('bell')", N_("Hear the bell"), id="timer.hear_bell"),
        Binding("a", "hear('ambient')", N_("Hear the ambient"), id="timer.hear_ambient"),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self._preview: SoundPreview | None = None

    def compose(self) -> ComposeResult:
        s = services_of(self.app).settings
        length = 0.0 if s.timer_open else s.timer_minutes
        with VerticalScroll(id="timer-setup"):
            yield Static(_("Timer"), classes="heading")
            yield Static(
                # TRANSLATORS: End is the name of the key that ends a session (its footer label).
                _("Sit in silence or with a sound, between bells. End rings the end bell."),
                classes="dim",
            )
            yield from _row(
                # TRANSLATORS: the timer's set-up: labels left of their lists (34 columns).
                _("Length"),
                _select(
                    "length",
                    [(0.0, _("until I end it")), *((float(m), _minutes(m)) for m in LENGTHS)],
                    length,
                    _minutes,
                ),
            )
            yield from _row(
                _("A bell every"),
                _select(
                    "every",
                    [(0.0, _("no interval bells")), *((float(m), _minutes(m)) for m in INTERVALS)],
                    s.timer_every,
                    _minutes,
                ),
            )
            yield from _row(
                _("Quiet before the start bell"),
                _select("delay", [(d, _delay(d)) for d in DELAYS], s.timer_delay, _seconds),
            )
            yield from _row(
                _("Bell"),
                _select("bell", [(b, sound_name(b)) for b in BELL_CHOICES], s.timer_bell, str),
            )
            yield from _row(
                _("Ambient sound"),
                _select(
                    "ambient",
                    [
                        (a, _(AMBIENT_LABELS[a]) if a in AMBIENT_LABELS else sound_name(a))
                        for a in AMBIENTS
                    ],
                    s.timer_ambient,
                    str,
                ),
            )
            with Horizontal(classes="buttons"):
                # Hearing the bell and the ambient sound are keys in the footer (b, a).
                # TRANSLATORS: a button; s is its key.
                yield Button(_("Start (s)"), id="start", variant="primary")
        yield Static("", id="timer-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Start with the Start button focused: Enter sits with last time's timer."""
        self.query_one("#start", Button).focus()

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        ident = event.select.id
        if ident not in FIELDS or event.value is Select.BLANK:
            return
        services = services_of(self.app)
        changes: dict[str, object]
        if ident == "length":
            minutes = float(str(event.value))
            changes = {"timer_open": minutes == 0.0}
            if minutes:
                changes["timer_minutes"] = minutes
        else:
            changes = {FIELDS[ident]: event.value}
        if all(getattr(services.settings, k) == v for k, v in changes.items()):
            return
        try:
            services.update_settings(**changes)
        except (SettingsError, OSError) as exc:
            self.notify(could_not_save(exc), severity="error")

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        """Sit with the timer as chosen."""
        options = options_of(services_of(self.app).settings)
        try:
            check(options)
        except TimerError as exc:
            self._status(f"{str(exc)[:1].upper()}{str(exc)[1:]}.")
            return
        self._stop_preview()
        self.dismiss(options)

    def action_hear(self, kind: str) -> None:
        """Play the chosen bell, or a few seconds of the chosen ambient sound."""
        settings = services_of(self.app).settings
        name = settings.timer_bell if kind == "bell" else settings.timer_ambient
        if name in (NO_BELL, NO_AMBIENT):
            self._status(_("Nothing to hear: you chose none."))
            return
        from assistant.ui.screens.settings import play_preview

        if self._preview is None:
            from assistant.session.sound_preview import SoundPreview

            self._preview = SoundPreview(clock=services_of(self.app).clock)
        play_preview(self, self._preview, kind, name, self._status)

    def _status(self, text: str) -> None:
        self.query_one("#timer-status", Static).update(Text(text, "dim"))

    def action_close(self) -> None:
        """Back without starting."""
        self._stop_preview()
        self.dismiss(None)

    def on_unmount(self) -> None:
        """Nothing plays on once the screen is gone."""
        self._stop_preview()

    def _stop_preview(self) -> None:
        if self._preview is not None:
            self._preview.close()
            self._preview = None


def _minutes(minutes: float) -> str:
    """``5 min``: a length or an interval in its list."""
    # TRANSLATORS: {minutes} is a number of minutes.
    return _("{minutes} min").format(minutes=f"{minutes:g}")


def _delay(seconds: float) -> str:
    """The quiet before the start bell, as its list says it: ``none``, ``30 s``, ``1 min``."""
    if not seconds:
        return pgettext("quiet before the start bell", "none")
    return _minutes(seconds / 60) if seconds == 60 else _seconds(seconds)


def _seconds(seconds: float) -> str:
    """``30 s``."""
    # TRANSLATORS: {seconds} is a number of seconds.
    return _("{seconds} s").format(seconds=f"{seconds:g}")


def _row(label: str, control: Widget) -> ComposeResult:
    with Horizontal(classes="setting"):
        yield Label(label, classes="setting-label")
        yield control


def _select(
    ident: str,
    choices: list[tuple[object, str]],
    current: object,
    describe: object,
) -> Select[object]:
    """A list of ``choices`` (value, label) with ``current`` among them (set by hand in the
    settings file, it is listed too, so opening the screen never changes it)."""
    options = [(label, value) for value, label in choices]
    if current not in {value for value, _ in choices} and callable(describe):
        options.append((str(describe(current)), current))
    return Select(options, value=current, allow_blank=False, id=ident)
