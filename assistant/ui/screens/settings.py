"""Settings: every change is saved at once; a new voice or rate re-renders in the background."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Label, Select, Static, Switch

from assistant.core.i18n import N_, _, pgettext
from assistant.core.model import ENGINE_NAMES
from assistant.core.sounds import AMBIENTS, BELL_CHOICES, NO_AMBIENT, NO_BELL, TONE_SETS
from assistant.storage.settings import Settings, SettingsError
from assistant.ui.saved import could_not_save, saved_text
from assistant.ui.screens import SCREENS_CSS
from assistant.ui.services import ground_app, services_of
from assistant.ui.sounds import sound_name
from assistant.ui.translate import translate_bindings
from assistant.ui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.widget import Widget

    from assistant.session.preview import PreparedVoice, VoicePreview
    from assistant.session.sound_preview import SoundPreview
    from assistant.session.voice import AutoChoice, Voice

RATES = (110, 130, 150, 170, 190)
#: Quiet between the sentences of one cue, in seconds (Piper voices).
# TRANSLATORS: choices in Settings' lists (40 columns wide, with room for the arrow).
PAUSES = ((0.3, N_("short (0.3 s)")), (0.6, N_("calm (0.6 s)")), (1.0, N_("long (1 s)")))
PACES = (
    (0.8, N_("quicker (0.8×)")),
    (0.9, N_("a little quicker")),
    (1.0, N_("as written")),
    (1.1, N_("a little slower")),
    (1.25, N_("slower (1.25×)")),
)
#: The breath-holds choice, three ways (Select values cannot be None).
HOLDS = (
    (N_("not chosen yet (none played)"), "unset"),
    (N_("on: play the holds"), "on"),
    (N_("off: leave them out"), "off"),
)
HOLDS_VALUE = {"unset": None, "on": True, "off": False}
HOLDS_KEY = {value: key for key, value in HOLDS_VALUE.items()}
#: How the ambient sounds are described (a name not here is shown as it is).
AMBIENT_LABELS = {
    "waves": N_("waves (swell with the breath)"),
    "brown": N_("brown noise"),
}
#: The sound choices: setting, label, the choices (each described by :func:`_sound_label`).
SOUNDS = (
    ("tones", N_("Tone set"), TONE_SETS),
    ("bell", N_("Bell"), BELL_CHOICES),
    ("ambient", N_("Ambient sound"), AMBIENTS),
)
# TRANSLATORS: Settings' labels (left of their lists and switches): 34 columns; a longer
# one takes two lines.
#: The levels under the master volume: setting and label.
LEVELS = (
    ("voice_volume", N_("Voice level")),
    ("tones_volume", N_("Tones and bell level")),
    ("ambient_volume", N_("Ambient level")),
)
SWITCHES = (
    ("voice_on", N_("Speak the words")),
    ("tones_on", N_("Phase tones")),
    ("reduced_motion", N_("Reduced motion")),
    ("ask_before", N_("Ask how tense before a session")),
    ("ladder_on", N_("Exposure ladder (F5)")),
    ("meter_on", N_("Breath meter (microphone)")),
    ("gate_voice", N_("Meter ignores the voice (off for headphones)")),
    ("speak_feedback", N_("Say the meter's pacing hint aloud (once a minute at most)")),
)


class SettingsScreen(Screen[None]):
    """All settings on one scrollable page."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("escape", "close", N_("Back"), id="settings.back"),
        # TRANSLATORS: footer label (with Back and the app's keys): keep under 18 characters.
        Binding("p", "preview", N_("Preview voice"), id="settings.preview"),
        Binding("t", "hear('tones')", N_("Hear the tones"), show=False, id="settings.hear_tones"),
        Binding("b", "hear('bell')", N_("Hear the bell"), show=False, id="settings.hear_bell"),
        Binding(
            "a", "hear('ambient')", N_("Hear the ambient"), show=False, id="settings.hear_ambient"
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self._loading = True
        self._preview: VoicePreview | None = None  # made on first use; owns the voice's engine
        self._preview_timer: Timer | None = None
        self._sounds: SoundPreview | None = None  # made on first use

    def compose(self) -> ComposeResult:
        s = services_of(self.app).settings
        with VerticalScroll(id="settings"):
            yield Static(_("Settings"), classes="heading")
            yield Static(_("Saved as soon as you change them."), classes="dim")
            yield from self._voice_rows(s)
            yield from self._row(
                _("Volume"),
                Select(
                    [(f"{round(v * 100)}%", v) for v in _volumes(s.volume)],
                    value=s.volume,
                    allow_blank=False,
                    id="volume",
                ),
            )
            yield from self._sound_rows(s)
            for name, label in SWITCHES:
                yield from self._row(_(label), Switch(value=getattr(s, name), id=name))
            yield from self._row(
                _("Breath holds (box, 4-7-8)"),
                Select(
                    [(_(label), value) for label, value in HOLDS],
                    value=HOLDS_KEY[s.holds],
                    allow_blank=False,
                    id="holds",
                ),
            )
            yield from self._row(
                _("Breathing pace"),
                Select(
                    [(label, value) for value, label in _paces(s.pace)],
                    value=s.pace,
                    allow_blank=False,
                    id="pace",
                ),
            )
            yield from self._device_rows()
            yield from self._row(
                _("Theme"),
                Select(
                    [(_("calm dark"), "dark"), (_("calm light"), "light")],
                    value=s.theme,
                    allow_blank=False,
                    id="theme",
                ),
            )
            with Horizontal(classes="buttons"):
                # TRANSLATORS: buttons; p is the key.
                yield Button(_("Preview voice (p)"), id="preview")
                yield Button(_("Your people…"), id="contacts")
        # Outside the scrolling page, so "Saved", "Playing the preview…" are seen wherever you are.
        yield Static("", id="settings-status")
        yield KeyFooter()

    def _voice_rows(self, s: Settings) -> ComposeResult:
        """Engine, voice (filled in later), speaking rate and the pause between sentences."""
        # A file read (the voice library's memo): names what ``auto`` speaks with here.
        automatic = _automatic().describe()
        yield from self._row(
            _("Speech engine"),
            Select(
                [(automatic if name == "auto" else _engine(name), name) for name in ENGINE_NAMES],
                value=s.engine,
                allow_blank=False,
                id="engine",
            ),
        )
        yield from self._row(
            _("Voice"), Select([(_("engine default"), "")], value="", allow_blank=False, id="voice")
        )
        yield from self._row(
            _("Speaking rate"),
            Select(
                # A rate set elsewhere (settings.toml) is listed too, so opening this page never
                # shows, or saves, a different one.
                [(_words_a_minute(r), r) for r in sorted({*RATES, s.rate or 150})],
                value=s.rate or 150,
                allow_blank=False,
                id="rate",
            ),
        )
        yield from self._row(
            _("Pause between sentences"),
            Select(
                [(_(label), value) for value, label in PAUSES],
                value=s.sentence_pause if s.sentence_pause in dict(PAUSES) else 0.6,
                allow_blank=False,
                id="sentence_pause",
            ),
        )

    def _sound_rows(self, s: Settings) -> ComposeResult:
        """Tone set, bell and ambient sound (each with a button to hear it), and the levels."""
        for name, label, choices in SOUNDS:
            current = getattr(s, name)
            yield from self._row(
                _(label),
                Select(
                    [(_sound_label(value), value) for value in choices],
                    value=current,
                    allow_blank=False,
                    id=name,
                ),
            )
        with Horizontal(classes="buttons"):
            # TRANSLATORS: three buttons on one line of 76 columns (t, b, a are their keys).
            yield Button(_("Hear the tones (t)"), id="hear-tones")
            yield Button(_("Hear the bell (b)"), id="hear-bell")
            yield Button(_("Hear the ambient (a)"), id="hear-ambient")
        for name, label in LEVELS:
            level = getattr(s, name)
            yield from self._row(
                _(label),
                Select(
                    [(f"{round(v * 100)}%", v) for v in _levels(level)],
                    value=level,
                    allow_blank=False,
                    id=name,
                ),
            )

    def _device_rows(self) -> ComposeResult:
        """The output device and the microphone (their lists are filled in later)."""
        for label, ident in ((_("Output device"), "device"), (_("Microphone"), "input_device")):
            yield from self._row(
                label,
                Select([(_("system default"), "")], value="", allow_blank=False, id=ident),
            )

    @staticmethod
    def _row(label: str, control: Widget) -> ComposeResult:
        with Horizontal(classes="setting"):
            yield Label(label, classes="setting-label")
            yield control

    def on_mount(self) -> None:
        """Fill the voice and device lists without blocking the screen; the keyboard starts at
        the first setting."""
        self.query_one("#engine", Select).focus()
        self._load_choices()
        self.call_after_refresh(self._done_loading)

    def _done_loading(self) -> None:
        self._loading = False

    def show_settings(self) -> None:
        """Show the settings as they are now (one was changed elsewhere: the palette)."""
        settings = services_of(self.app).settings
        self._loading = True
        for name, _label in SWITCHES:
            self.query_one(f"#{name}", Switch).value = bool(getattr(settings, name))
        self.query_one("#theme", Select).value = settings.theme
        self.query_one("#holds", Select).value = HOLDS_KEY[settings.holds]
        self.call_after_refresh(self._done_loading)

    @work(thread=True, exclusive=True, group="choices")
    def _load_choices(self) -> None:
        services = services_of(self.app)
        automatic = _automatic()
        engine = services.settings.engine
        voices, problem = _voices(automatic.engine if engine == "auto" else engine)
        if engine == "auto":
            voices, problem = [], automatic.hint  # auto picks the voice itself
        devices = _devices("output") if services.sound else []
        inputs = _devices("input") if services.sound else []
        self.app.call_from_thread(self._fill_choices, voices, devices, inputs, problem)

    def _fill_choices(
        self,
        voices: list[tuple[str, str]],
        devices: list[tuple[str, str]],
        inputs: list[tuple[str, str]],
        problem: str | None = None,
    ) -> None:
        settings = services_of(self.app).settings
        self._loading = True
        if problem:
            self._status(problem if settings.engine == "auto" else f"{settings.engine}: {problem}")
        voice = self.query_one("#voice", Select)
        voice.set_options([(_("engine default"), ""), *voices])
        known = {v for _, v in voices}
        voice.value = settings.voice if settings.voice in known else ""
        device = self.query_one("#device", Select)
        device.set_options([(_("system default"), ""), *devices])
        device.value = settings.device if settings.device in {d for _, d in devices} else ""
        mic = self.query_one("#input_device", Select)
        mic.set_options([(_("system default"), ""), *inputs])
        known_inputs = {d for _, d in inputs}
        mic.value = settings.input_device if settings.input_device in known_inputs else ""
        self.call_after_refresh(self._done_loading)

    # -- changes ------------------------------------------------------------------------------

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        if self._loading or event.select.id is None or event.value is Select.BLANK:
            return
        name = event.select.id
        value: object = event.value
        if name in ("voice", "device", "input_device"):
            value = value or None
        if name == "holds":
            value = HOLDS_VALUE[str(value)]
        if not self._changes(name, value):
            return  # a list filled in or set back to what it was: nothing to save or prepare
        if name == "engine" and services_of(self.app).settings.voice:
            self._save("voice", None)  # voice ids belong to one engine: start from its default
        self._save(name, value)
        if name == "engine":
            self._load_choices()
        if name in ("engine", "voice", "rate", "sentence_pause"):
            self._rerender_cache()

    @on(Switch.Changed)
    def _switch_changed(self, event: Switch.Changed) -> None:
        if self._loading or event.switch.id is None:
            return
        if self._changes(event.switch.id, event.value):
            self._save(event.switch.id, event.value)

    def _changes(self, name: str, value: object) -> bool:
        """Whether ``value`` differs from the saved setting (only a real change is saved)."""
        settings = services_of(self.app).settings
        current = getattr(settings, name)
        if name == "rate" and current is None:
            current = 150  # no rate set is shown as the default 150
        return bool(current != value)

    def _save(self, name: str, value: object) -> None:
        services = services_of(self.app)
        try:
            services.update_settings(**{name: value})
        except (SettingsError, OSError) as exc:
            self.notify(could_not_save(exc), severity="error")
            return
        if name == "theme":
            ground_app(self.app).apply_settings()
        self._status(saved_text(name, value, _shown(name, value)))

    def _status(self, text: str) -> None:
        self.query_one("#settings-status", Static).update(Text(text, "dim"))

    @on(Button.Pressed, "#contacts")
    def _contacts(self) -> None:
        """The people to reach when things are hard (F1 shows them)."""
        from assistant.ui.screens.contacts import ContactsScreen

        self.app.push_screen(ContactsScreen())

    # -- voice --------------------------------------------------------------------------------

    @on(Button.Pressed, "#preview")
    def action_preview(self) -> None:
        """Say a sentence with the chosen engine, voice and rate."""
        if self._preview is None:
            self._preview = services_of(self.app).voice_preview()
        self._preview.stop()
        self._status(_("Getting the voice ready…"))
        self._prepare_preview(self._preview)

    @work(thread=True, exclusive=True, group="preview")
    def _prepare_preview(self, preview: VoicePreview) -> None:
        """Render the sentence in this very voice first (a Piper model takes ~0.5 s to load)."""
        from assistant.session import PREVIEW, preview_script

        services = services_of(self.app)
        prepared = preview.prepare(services.request(preview_script()), PREVIEW)
        self.app.call_from_thread(self._play_preview, preview, prepared)

    def _play_preview(self, preview: VoicePreview, prepared: PreparedVoice) -> None:
        try:
            notices = preview.play(prepared)
        except Exception as exc:  # noqa: BLE001 - a preview must never break the screen
            self.notify(_("Could not preview: {why}").format(why=exc), severity="warning")
            return
        if notices is None:
            return  # the screen was closed while the voice got ready
        for notice in notices:
            self.notify(notice, severity="warning")
        # TRANSLATORS: p is a key.
        self._status(_("Playing the preview… (p plays it again)"))
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_interval(0.25, self._preview_playing)

    def _preview_playing(self) -> None:
        """Clear "Playing…" once the preview has been heard (or was stopped)."""
        if self._preview is None or self._preview.done:
            self._status("")
            if self._preview_timer is not None:
                self._preview_timer.stop()
                self._preview_timer = None

    def _rerender_cache(self) -> None:
        """Prepare every script's words with the new voice, in a process of its own.

        ``ground warm`` runs detached, so it finishes even if the app is closed meanwhile.
        """
        from assistant.session import warm_in_background

        services = services_of(self.app)
        settings = services.settings
        if settings.engine == "none" or not services.sound:
            return
        try:
            warm_in_background(settings.engine, settings.voice, settings.rate)
        except OSError as exc:
            self._status(
                # TRANSLATORS: {why} says what went wrong.
                _("Could not prepare the new voice ahead ({why}); it will be on first use.").format(
                    why=exc
                )
            )
            return
        self._status(_("Preparing the new voice in the background (ground warm)…"))

    # -- sounds -------------------------------------------------------------------------------

    @on(Button.Pressed, "#hear-tones")
    def _hear_tones(self) -> None:
        self.action_hear("tones")

    @on(Button.Pressed, "#hear-bell")
    def _hear_bell(self) -> None:
        self.action_hear("bell")

    @on(Button.Pressed, "#hear-ambient")
    def _hear_ambient(self) -> None:
        self.action_hear("ambient")

    def action_hear(self, kind: str) -> None:
        """Play the chosen tone set once through, the chosen bell, or a breath of the chosen
        ambient sound, at the levels set here."""
        name = getattr(services_of(self.app).settings, kind)
        if name in (NO_BELL, NO_AMBIENT):
            self._status(_("Nothing to hear: you chose none."))
            return
        if self._sounds is None:
            from assistant.session.sound_preview import SoundPreview

            self._sounds = SoundPreview(clock=services_of(self.app).clock)
        play_preview(self, self._sounds, kind, name, self._status)

    def action_close(self) -> None:
        """Back (a preview playing stops, and its voice's engine closes)."""
        self._close_preview()
        self.dismiss(None)

    def on_unmount(self) -> None:
        """The app closed with this screen open: the preview's engine closes too."""
        self._close_preview()

    def _close_preview(self) -> None:
        if self._preview is not None:
            self._preview.close()
        if self._sounds is not None:
            self._sounds.close()


def play_preview(
    screen: Screen[Any],
    preview: SoundPreview,
    kind: str,
    name: str,
    status: Callable[[str], None],
) -> None:
    """Play a preview of a sound choice on a worker thread (an ambient sound takes a moment to
    make), saying so in ``status``; a preview that cannot play is a notification, never a
    broken screen."""
    services = services_of(screen.app)
    settings, sound = services.settings, services.sound
    # TRANSLATORS: {name} is the sound's name as its list shows it ("chime").
    playing = {
        "tones": _("Playing the tones ({name})…"),
        "bell": _("Playing the bell ({name})…"),
        "ambient": _("Playing the ambient sound ({name})…"),
    }[kind]
    status(playing.format(name=sound_name(name)))
    could_not = _("Could not play it: {why}")

    def play() -> None:
        try:
            notices = preview.play(kind, name, settings, sound=sound)
        except Exception as exc:  # noqa: BLE001 - a preview must never break the screen
            screen.app.call_from_thread(
                screen.app.notify, could_not.format(why=exc), severity="warning"
            )
            return
        for notice in notices:
            screen.app.call_from_thread(screen.app.notify, notice, severity="warning")

    screen.run_worker(play, thread=True, exclusive=True, group="sound-preview")


def _shown(name: str, value: object) -> str | None:
    """How ``value`` of the setting ``name`` reads in its list here (None: as it is)."""
    if name == "volume" and isinstance(value, float):
        return f"{round(value * 100)}%"
    if name == "pace" and isinstance(value, float):
        return _(dict(PACES)[value]) if value in dict(PACES) else f"{value:g}×"
    if name == "sentence_pause" and isinstance(value, float):
        return _(dict(PAUSES)[value]) if value in dict(PAUSES) else f"{value:g} s"
    if name == "rate":
        return _words_a_minute(value)
    if name == "theme":
        return {"dark": _("calm dark"), "light": _("calm light")}.get(str(value), f"calm {value}")
    if name == "engine" and value == "auto":
        return _("automatic")
    if name == "engine":
        return _engine(str(value))
    if name == "voice" and not value:
        return _("the engine's default")
    if name in ("device", "input_device") and not value:
        return _("the system default")
    if name == "holds" and value is None:
        return _("not chosen yet (none played; asked next time)")
    if name in ("tones", "bell", "ambient"):
        return sound_name(str(value))
    return None


def _words_a_minute(rate: object) -> str:
    """``150 words/min``: a speaking rate."""
    # TRANSLATORS: {rate} is a number of words a minute.
    return _("{rate} words/min").format(rate=rate)


def _engine(name: str) -> str:
    """How a speech engine is listed: by its name (``espeak``), the words among them
    translated."""
    # TRANSLATORS: speech engines: "system" is the system's own voice, "none" speaks nothing.
    words = {
        "system": pgettext("speech engine", "system"),
        "none": pgettext("speech engine", "none"),
    }
    return words.get(name, name)


def _sound_label(name: str) -> str:
    """How a tone set, bell or ambient sound is listed."""
    return _(AMBIENT_LABELS[name]) if name in AMBIENT_LABELS else sound_name(name)


def _automatic() -> AutoChoice:
    """What ``auto`` speaks with on this machine."""
    from assistant.core.i18n import language
    from assistant.session import automatic_voice

    return automatic_voice(lang=language())


def _paces(current: float) -> list[tuple[float, str]]:
    """The pace choices, with ``current`` among them even if it was set by hand."""
    paces = [(value, _(label)) for value, label in PACES]
    if current in dict(PACES):
        return paces
    return sorted([*paces, (current, f"{current:g}×")])


def _levels(current: float) -> list[float]:
    """Level steps of ten percent from 0, with ``current`` among them (kept by ↑/↓)."""
    return sorted({*(v / 100 for v in range(0, 101, 10)), current})


def _volumes(current: float) -> list[float]:
    """Volume steps of ten percent, with ``current`` among them (a session's ↑/↓ keeps it)."""
    return sorted({*(v / 100 for v in range(10, 101, 10)), current})


def _voices(engine_name: str) -> tuple[list[tuple[str, str]], str | None]:
    """(label, id) of the engine's voices, English first, and why there are none (if so)."""
    from assistant.session import voices_of

    try:
        found = voices_of((engine_name,))[0][0]
    except Exception as exc:  # noqa: BLE001 - no voices is shown as just the default
        return [], str(exc)
    return [(_label(v), v.id) for v in found.voices], found.problem


def _label(voice: Voice) -> str:
    """How a voice is shown: its name, and for Piper its quality and licence."""
    # TRANSLATORS: {licence} is a licence's name ("MIT", "CC BY 4.0").
    licence = _("licence {licence}").format(licence=voice.licence) if voice.licence else ""
    details = ", ".join(part for part in (voice.quality, licence) if part)
    if voice.name == voice.id:
        return f"{voice.id} ({details})" if details else voice.id
    return f"{voice.name} ({voice.id})"


def _devices(kind: str) -> list[tuple[str, str]]:
    """(label, name) of ``output`` or ``input`` devices; empty without PortAudio."""
    from assistant.session import device_names

    return [(name, name) for name in device_names(kind)]
