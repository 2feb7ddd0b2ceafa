"""The session: a big pacer and captions that follow the audio clock, never a timer of their own.

A UI timer only *reads* the player's clock (frames delivered minus output latency) and hands
plain values to the widgets, which repaint only when what they draw changes. It looks at 30 Hz
while the pacer moves, and otherwise only when something shown can change (:mod:`..cadence`).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from assistant.core.i18n import N_, _, pgettext
from assistant.core.model import EventKind
from assistant.core.pacing import bar, clock_text, left_text
from assistant.core.safe import one_line
from assistant.core.support import short_note
from assistant.core.timer import sat_text
from assistant.session import PracticeResult
from assistant.ui.cadence import Cadence
from assistant.ui.palette import GroundPalette
from assistant.ui.screens import SCREENS_CSS
from assistant.ui.screens.confirm import END, stop_keys
from assistant.ui.services import services_of
from assistant.ui.translate import translate_bindings
from assistant.ui.widgets.breath_pacer import BreathPacer
from assistant.ui.widgets.breath_trace import BreathTrace
from assistant.ui.widgets.key_footer import KeyFooter
from assistant.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from assistant.session import Look, Practice, Session, TimerLook
    from assistant.session.reading import MeterReading

#: Redraw cadence; the widgets skip frames whose drawing would not change.
FPS = 30
#: How often the meter is read and drawn, in seconds (15 Hz is plenty for a level bar).
METER_EVERY = 1 / 15
#: Ending before this many seconds needs no confirmation.
CONFIRM_AFTER = 10.0
#: The script's safety note stays under the captions for the first seconds of a session.
SAFETY_SECONDS = 20.0
#: At most two lines of it at 80 columns (Home shows it whole); the pacer keeps its room.
SAFETY_LENGTH = 150
#: What ↑ and ↓ change, in the order g goes through them, with the setting that keeps each
#: and how the status line names it: first in a line, then within a sentence.
GROUPS = (
    ("master", "volume", N_("Volume"), N_("volume")),
    ("voice", "voice_volume", N_("Voice"), N_("voice")),
    ("tones", "tones_volume", N_("Tones and bell"), N_("tones and bell")),
    ("ambient", "ambient_volume", N_("Ambient"), N_("ambient")),
)
#: What v, t and a say they did.
TOGGLED = {
    ("voice", True): N_("Voice on"),
    ("voice", False): N_("Voice off"),
    ("tones", True): N_("Tones on"),
    ("tones", False): N_("Tones off"),
    ("ambient", True): N_("Ambient on"),
    ("ambient", False): N_("Ambient off"),
}
#: Louder and softer share one footer entry, ↑↓ Volume (the footer fits 80 columns).
# TRANSLATORS: footer label for the ↑↓ keys; the session's footer is full at 80 columns: keep
# it under 8 characters.
VOLUME = Binding.Group(N_("Volume"), compact=True)


class SessionScreen(Screen[PracticeResult]):
    """Shows one practice and passes keys to it; dismisses with its result."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        # First, so a narrow footer never drops it: the way out is always on screen.
        Binding("q,escape", "end", END, id="session.end"),
        # TRANSLATORS: footer labels of the session (Pause … Meter): the footer is full at 80
        # columns, keep each under 8 characters.
        Binding("space", "pause", N_("Pause"), id="session.pause"),
        Binding("space", "resume", N_("Resume"), id="session.resume"),
        Binding("right", "skip", "Skip", key_display="→", id="session.skip"),  # see _labels
        Binding(
            "up", "volume(0.1)", N_("Louder"), key_display="↑", id="session.louder", group=VOLUME
        ),
        Binding(
            "down", "volume(-0.1)", N_("Softer"), key_display="↓", id="session.softer", group=VOLUME
        ),
        Binding("v", "toggle_group('voice')", N_("Voice"), id="session.voice"),
        Binding("t", "toggle_group('tones')", N_("Tones"), id="session.tones"),
        Binding("m", "meter", N_("Meter"), id="session.meter"),
        # Not in the footer (it is full at 80 columns): F1 lists them, and ↑/↓ mention g.
        Binding(
            "g",
            "next_group",
            N_("What ↑↓ change: all, voice, tones, ambient"),
            show=False,
            id="session.group",
        ),
        Binding(
            "a", "toggle_group('ambient')", N_("Ambient sound"), show=False, id="session.ambient"
        ),
    ]

    def __init__(self, practice: Practice, *, reduced_motion: bool = False) -> None:
        super().__init__()
        translate_bindings(self, _labels())
        self.practice = practice
        self.reduced_motion = reduced_motion
        self._timer: Timer | None = None
        self._done = False
        self._progress_text = ""
        self._progress_key: tuple[str, bool, int] | None = None
        self._cadence = Cadence(FPS)
        self._meter_text = ""
        self._meter_at = float("-inf")  # clock time the meter was last drawn
        self._safety_shown = False
        self._group = "master"  # what ↑ and ↓ change
        self._ringing = False  # a timer's end bell was asked for: End again stops at once
        self._timer_text = ""

    @property
    def session(self) -> Session:
        """The live session (its clock and timeline)."""
        return self.practice.session

    def compose(self) -> ComposeResult:
        timeline = self.practice.timeline
        with Vertical(id="session-body"):
            yield Static(timeline.title, id="session-title")
            with Horizontal(id="pacer-row"):
                yield BreathPacer(id="pacer")
                yield Static("", id="meter")
            yield BreathTrace(id="trace")
            yield Static("", id="timer-clock")
            yield Static("", id="caption")
            yield Static("", id="notice")
            yield Static("", id="coach")
            yield StatusLine(id="status")
            yield Static("", id="progress")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Attach to the already running clock."""
        self.query_one(BreathPacer).reduced_motion = self.reduced_motion
        self.query_one("#meter").display = False
        self.query_one(BreathTrace).display = False
        clock = self.query_one("#timer-clock", Static)
        clock.display = self.practice.is_timer
        if self.practice.is_timer:
            # A timer has no breathing to pace: a quiet clock of the time sat instead.
            self.query_one("#pacer-row").display = False
            clock.styles.height = "1fr"
            clock.styles.width = "100%"
            clock.styles.content_align = ("center", "middle")
            clock.styles.text_align = "center"
        services = services_of(self.app)
        if services.settings.meter_on and services.sound and not self.practice.is_timer:
            self._open_meter()
        self._show_safety()
        self._on_timer()

    def _show_safety(self) -> None:
        """The script's safety note, calmly, in the line under the captions for a while."""
        note = short_note(one_line(self.practice.session.request.script.safety), SAFETY_LENGTH)
        if note:
            self.query_one("#coach", Static).update(Text(note, "dim italic"))
            self._safety_shown = True

    def _on_timer(self) -> None:
        self.tick()
        self._schedule()

    def _schedule(self, delay: float | None = None) -> None:
        """Look at the clock again when something shown can next change (or after ``delay``)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._done:
            return
        if delay is None:
            practice = self.practice
            frame = practice.position()
            phase = practice.progress(frame)[0]
            step_at = self.query_one(BreathPacer).next_step()
            delay = self._cadence.delay(practice.timeline, frame, phase, practice.paused, step_at)
            if practice.meter_on:
                delay = min(delay, METER_EVERY)
        self._timer = self.set_timer(delay, self._on_timer)

    # -- the clock ----------------------------------------------------------------------------

    def tick(self) -> None:
        """Look at the clock once and update what is shown (called by the timer, or by tests)."""
        if self._done:
            return
        look = self.practice.look(meter=self._meter_due())
        timeline = look.timeline
        for event in look.events:
            if event.kind is EventKind.SAY:
                self.query_one("#caption", Static).update(event.text)
            elif event.kind is EventKind.SECTION:
                self.query_one("#session-title", Static).update(f"{timeline.title} · {event.text}")
        if look.caption_over:  # its step is over: the words go with it
            self.query_one("#caption", Static).update("")
        if look.notices:
            self.query_one("#notice", Static).update(Text(look.notices[-1], "dim italic"))
        pacer = self.query_one(BreathPacer)
        pacer.phase = look.phase.phase if look.phase is not None else None
        pacer.progress = look.into
        pacer.seconds_left = look.seconds_left
        pacer.paused = look.paused
        pacer.voice_heard = self.practice.voice_heard
        self._show_progress(look)
        if look.timer is not None:
            self._show_timer(look.timer, look.paused)
        if look.meter_lost:
            self._hide_meter()
        elif look.meter is not None:
            self._show_meter(look.meter)
        if self._safety_shown and self.practice.elapsed_seconds >= SAFETY_SECONDS:
            self._safety_shown = False
            if look.meter is None or not look.meter.advice:
                self.query_one("#coach", Static).update("")
        if look.over:
            self._finish(completed=True)

    def _meter_due(self) -> bool:
        """Whether to read the meter on this tick: by the clock, not by counting ticks, so the
        same moments whatever drives tick()."""
        if not self.practice.meter_on:
            return False
        now = services_of(self.app).clock.now()
        if now - self._meter_at < METER_EVERY:
            return False
        self._meter_at = now
        return True

    def _show_progress(self, look: Look) -> None:
        # TRANSLATORS: after the progress bar: {left} is the time left, m:ss.
        left_words = _("{left} left")
        paused_words = _("paused")
        # The bar gives up the columns a longer "{left} left" takes (none in English). Not for
        # "paused": after a full-width bar it wraps onto the line's hidden second row in every
        # language, as in English (the pacer says it); counting it let part of it show ("en").
        longer = max(0, len(left_words) - 11)
        width = max(10, self.size.width - 16 - longer)
        left = left_text(look.left)  # the practice's countdown: it never jumps up
        # Once a second, with the time left: the bar's eighth-cell steps (4 a second here) each
        # cost a repaint of the line, and the eye reads a session's progress by the second.
        key = (left, look.paused, width)
        if key == self._progress_key:
            return
        self._progress_key = key
        paused = "  " + paused_words if look.paused else ""
        text = f"{bar(look.done, width)} {left_words.format(left=left)}{paused}"
        if look.timer is not None and look.timer.open and not look.timer.closing:
            text = _("open sitting: End rings the end bell") + paused
        if text != self._progress_text:
            # One line, whatever it says: no layout pass for the screen.
            layout = len(text) != len(self._progress_text)
            self._progress_text = text
            self.query_one("#progress", Static).update(text, layout=layout)

    def _show_timer(self, timer: TimerLook, paused: bool) -> None:
        """The time sat, large and quiet, and what comes next."""
        sat = sat_text(timer.sat_seconds)
        bell = timer.next_bell_seconds
        if timer.settling:
            text = clock_text(bell or 0) + "\n\n" + _("until the start bell")
        elif timer.closing:
            text = sat + "\n\n" + _("the end bell")
        else:
            # TRANSLATORS: {time} is m:ss.
            upcoming = (
                "" if bell is None else _("next bell in {time}").format(time=clock_text(bell))
            )
            text = f"{sat}\n\n{upcoming}"
        if paused:
            text += "\n" + _("paused")
        if text != self._timer_text:
            self._timer_text = text
            self.query_one("#timer-clock", Static).update(Text(text, "bold"))

    def _finish(self, *, completed: bool) -> None:
        if self._done:
            return
        self._done = True
        if self._timer is not None:
            self._timer.stop()
        result = self.practice.end(completed=completed)
        self._hide_meter()
        while self.app.screen is not self and len(self.app.screen_stack) > 1:
            self.app.pop_screen()  # a confirm or help dialog was open when the end came
        self.dismiss(result)

    # -- actions --------------------------------------------------------------------------------

    def action_pause(self) -> None:
        """Pause; the clock freezes, the place is kept (the footer then offers Resume)."""
        self.practice.pause()
        self.refresh_bindings()
        self.tick()
        self._schedule()

    def action_resume(self) -> None:
        """Carry on from the same place."""
        self.practice.resume()
        self.refresh_bindings()
        self.tick()
        self._schedule()

    def action_skip(self) -> None:
        """Jump to the next step."""
        self.practice.skip()
        self.tick()
        self._schedule()

    def action_volume(self, delta: float) -> None:
        """Louder or softer, in tenths, of what g chose (kept for next time)."""
        group, setting, name, _inline = next(g for g in GROUPS if g[0] == self._group)
        level = self.practice.change_volume(delta, group)
        others = ", ".join(_(g[3]) for g in GROUPS[1:] if self._offers(g[0]))
        # TRANSLATORS: {what} is "Volume", "Voice", …; {others} what g switches to ("voice,
        # tones and bell"); g is a key.
        said = _("{what} {level}%  (g: {others})")
        self.query_one(StatusLine).say(
            said.format(what=_(name), level=round(level * 100), others=others)
        )
        self.query_one(BreathPacer).voice_heard = self.practice.voice_heard
        with contextlib.suppress(Exception):  # kept for next time; unsaved must not break this
            services_of(self.app).update_settings(**{setting: level})

    def action_next_group(self) -> None:
        """Choose what ↑ and ↓ change next: everything, the voice, the tones, the ambient."""
        groups = [g for g in GROUPS if self._offers(g[0])]
        names = [g[0] for g in groups]
        at = names.index(self._group) if self._group in names else -1
        group, _setting, _name, inline = groups[(at + 1) % len(groups)]
        self._group = group
        level = round(self.practice.level(group) * 100)
        # TRANSLATORS: {what} is "volume", "voice", "tones and bell" or "ambient".
        said = _("↑↓ now change: {what} ({level}%)").format(what=_(inline), level=level)
        self.query_one(StatusLine).say(said)

    def _offers(self, group: str) -> bool:
        """Whether this practice has ``group`` to change (a timer has no voice; the ambient
        only when one was chosen)."""
        if group == "voice":
            return not self.practice.is_timer
        if group == "ambient":
            return self.practice.has_ambient
        return True

    def action_toggle_group(self, group: str) -> None:
        """Voice, tones or the ambient sound on/off (the timing stays the same)."""
        if not self._offers(group):
            if group == "ambient":
                self.query_one(StatusLine).say(_("No ambient sound chosen (Settings, F4)"))
            return
        on = self.practice.toggle(group)
        self.query_one(StatusLine).say(_(TOGGLED[group, on]))
        self.query_one(BreathPacer).voice_heard = self.practice.voice_heard  # listen, or read

    # -- the microphone meter ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer Pause or Resume as fits; hide the meter when there is no sound or microphone."""
        if action in ("pause", "resume"):
            return self.practice.paused == (action == "resume")
        if action == "meter":
            services = services_of(self.app)
            return bool(services.sound) and _has_input() and not self.practice.is_timer
        if action == "toggle_group" and parameters in (("voice",), ("tones",)):
            return not self.practice.is_timer  # a timer says nothing and plays no tones
        return True

    def action_meter(self) -> None:
        """Show or hide the breath meter (remembered for next time)."""
        services = services_of(self.app)
        if not self.practice.meter_on:
            self._open_meter()
        else:
            self.practice.close_meter()
            self._hide_meter()
        # An unsaved preference must not break the session.
        with contextlib.suppress(Exception):
            services.update_settings(meter_on=self.practice.meter_on)

    def _open_meter(self) -> None:
        notice = self.practice.open_meter()
        if notice:
            self.query_one("#notice", Static).update(Text(notice, "dim italic"))
        on = self.practice.meter_on
        self.query_one("#meter").display = on
        self.query_one(BreathTrace).display = on

    def _hide_meter(self) -> None:
        if self.is_mounted:
            self.query_one("#meter").display = False
            trace = self.query_one(BreathTrace)
            trace.display = False
            trace.clear()
            self.query_one("#coach", Static).update("")

    def _show_meter(self, reading: MeterReading) -> None:
        # TRANSLATORS: the microphone meter's heading, beside the pacer: at most 8 characters.
        heading = _("mic")
        text = f"{heading}\n{reading.bar(6)}\n{reading.detail}"
        if text != self._meter_text:
            self._meter_text = text
            self.query_one("#meter", Static).update(text)
        if reading.trace:
            self.query_one(BreathTrace).push((p.guide, p.heard) for p in reading.trace)
        if reading.advice:
            self._safety_shown = False
            self.query_one("#coach", Static).update(Text(reading.advice, "italic"))

    def action_end(self) -> None:
        """End now; after the first seconds, ask first (a stray key must not end it).

        The session waits, paused, while the question is open, and the same key again ends it.
        """
        self.ask_to_end(resume=not self.practice.paused)

    def ask_to_end(self, *, resume: bool) -> None:
        """The stop key, from here or from anything open over the session (help, the palette,
        the too-small notice): end at once in the first seconds, else ask, paused.

        Args:
            resume: carry on playing if the person answers "keep going" (False: it was paused
                before the stop key, and stays paused).
        """
        if self._done:
            return
        if self._ringing:
            self._finish(completed=False)  # the stop key again while the end bell rings: at once
            return
        if self.practice.elapsed_seconds < CONFIRM_AFTER:
            self._end_confirmed()
            return
        from assistant.ui.screens.confirm import EndConfirmScreen

        if not self.practice.paused:
            self.action_pause()

        def answered(end: bool | None) -> None:
            if end:
                self._end_confirmed()
            elif resume and not self._done:
                self.action_resume()

        self.app.push_screen(EndConfirmScreen(self._stop_keys()), answered)

    def _stop_keys(self) -> str:
        return ",".join(stop_keys(self.app))

    def open_help(self) -> None:
        """Help over the session: the session waits, paused, while it is open; closing it
        carries on, and the stop key there is the stop key here."""
        from assistant.ui.screens.help import SessionHelpScreen

        resume = not self.practice.paused
        if resume:
            self.action_pause()

        def closed(end: bool | None) -> None:
            if self._done:
                return
            if end:
                self.ask_to_end(resume=resume)
            elif resume:
                self.action_resume()

        self.app.push_screen(SessionHelpScreen(self, self._stop_keys()), closed)

    def _end_confirmed(self) -> None:
        """End: a timer's sitting ends with its end bell (the screen closes once it has rung
        out); anything else ends at once."""
        if self._done:
            return
        if not self.practice.ring_out():
            self._finish(completed=False)
            return
        self._ringing = True
        self.refresh_bindings()
        self.query_one(StatusLine).say(_("The end bell. End again stops at once."), seconds=6)
        self.tick()
        self._schedule()

    def end_now(self) -> None:
        """End at once, without a question (the app is quitting); the time practised counts."""
        self._finish(completed=False)


class SessionPalette(GroundPalette):
    """The command palette over a session: its Esc is the session's stop key (as from the
    session itself: it ends at once in the first seconds, else asks), unless the stop key was
    remapped without Esc; then Esc only closes the palette. Typed keys stay the search's."""

    BINDINGS = [Binding("escape", "escape_key", N_("Close"), show=False)]

    async def action_escape_key(self) -> None:
        """Close the palette; then, when Esc is a stop key, the session's stop key."""
        session = next((s for s in self.app.screen_stack if isinstance(s, SessionScreen)), None)
        await self.run_action("escape")
        if session is not None and "escape" in stop_keys(self.app):
            session.ask_to_end(resume=not session.practice.paused)


def _labels() -> dict[str, str]:
    """The session's key labels that translate differently elsewhere, by binding id."""
    # TRANSLATORS: footer label: on to the session's next step (not "skip the questions");
    # keep it under 8 characters.
    return {"session.skip": pgettext("session", "Skip")}


def _has_input() -> bool:
    """Whether any microphone exists (asked once; PortAudio is already loaded for sound)."""
    if not _INPUTS:
        from assistant.session import device_names

        _INPUTS.append(bool(device_names("input")))
    return _INPUTS[0]


_INPUTS: list[bool] = []
