"""The session: a big pacer and captions that follow the audio clock, never a timer of their own.

A UI timer only *reads* the player's clock (frames delivered minus output latency) and hands
plain values to the widgets, which repaint only when what they draw changes. It looks at 30 Hz
while the pacer moves, and otherwise only when something shown can change (:mod:`..cadence`).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from assistant.core.model import EventKind
from assistant.core.pacing import bar, clock_text
from assistant.session import Follower, Session
from assistant.ui.cadence import Cadence
from assistant.ui.services import ground_app, services_of
from assistant.ui.widgets.breath_pacer import BreathPacer
from assistant.ui.widgets.breath_trace import BreathTrace
from assistant.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from assistant.coach import Coach

#: Redraw cadence; the widgets skip frames whose drawing would not change.
FPS = 30
#: How often the meter is read and drawn, in seconds (15 Hz is plenty for a level bar).
METER_EVERY = 1 / 15
#: Ending before this many seconds needs no confirmation.
CONFIRM_AFTER = 10.0


@dataclass(frozen=True)
class SessionResult:
    """How a session went, for the end screen and the practice log."""

    script_id: str
    title: str
    practised_seconds: float
    planned_seconds: float
    breaths: int
    completed: bool
    underruns: int


class SessionScreen(Screen[SessionResult]):
    """Plays one session; dismisses with a :class:`SessionResult`."""

    BINDINGS = [
        # First, so a narrow footer never drops it: the way out is always on screen.
        Binding("q,escape", "end", "End", id="session.end"),
        Binding("space", "pause", "Pause", id="session.pause"),
        Binding("space", "resume", "Resume", id="session.resume"),
        Binding("right", "skip", "Skip", key_display="→", id="session.skip"),
        Binding("up", "volume(0.1)", "Louder", key_display="↑", id="session.louder"),
        Binding("down", "volume(-0.1)", "Softer", key_display="↓", id="session.softer"),
        Binding("v", "toggle_group('voice')", "Voice", id="session.voice"),
        Binding("t", "toggle_group('tones')", "Tones", id="session.tones"),
        Binding("m", "meter", "Meter", id="session.meter"),
    ]

    def __init__(self, session: Session, *, reduced_motion: bool = False) -> None:
        super().__init__()
        self.session = session
        self.reduced_motion = reduced_motion
        self._follower = Follower(session)
        self._timer: Timer | None = None
        self._done = False
        self._progress_text = ""
        self._progress_key: tuple[str, bool, int] | None = None
        self._cadence = Cadence(FPS)
        self._coach: Coach | None = None
        self._meter_text = ""
        self._meter_at = float("-inf")  # clock time the meter was last drawn

    def compose(self) -> ComposeResult:
        timeline = self.session.timeline
        with Vertical(id="session-body"):
            yield Static(timeline.title, id="session-title")
            with Horizontal(id="pacer-row"):
                yield BreathPacer(id="pacer")
                yield Static("", id="meter")
            yield BreathTrace(id="trace")
            yield Static("", id="caption")
            yield Static("", id="notice")
            yield Static("", id="coach")
            yield StatusLine(id="status")
            yield Static("", id="progress")
        yield Footer()

    def on_mount(self) -> None:
        """Attach to the already running clock."""
        self.query_one(BreathPacer).reduced_motion = self.reduced_motion
        self.query_one("#meter").display = False
        self.query_one(BreathTrace).display = False
        services = services_of(self.app)
        if services.settings.meter_on and services.sound:
            self._open_meter()
        self._on_timer()

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
            frame = self.session.position()
            phase = self._follower.progress(frame)[0]
            timeline = self._follower.timeline
            step_at = self.query_one(BreathPacer).next_step()
            delay = self._cadence.delay(timeline, frame, phase, self.session.paused, step_at)
            if self._coach is not None:
                delay = min(delay, METER_EVERY)
        self._timer = self.set_timer(delay, self._on_timer)

    # -- the clock ----------------------------------------------------------------------------

    def tick(self) -> None:
        """Read the clock once and update what is shown (called by the timer, or by tests)."""
        if self._done:
            return
        session = self.session
        frame = session.position()
        follower = self._follower
        moment = follower.follow(frame)
        timeline = follower.timeline
        for event in moment.events:
            if event.kind is EventKind.SAY:
                self.query_one("#caption", Static).update(event.text)
            elif event.kind is EventKind.SECTION:
                self.query_one("#session-title", Static).update(f"{timeline.title} · {event.text}")
        if moment.caption_over:  # its step is over: the words go with it
            self.query_one("#caption", Static).update("")
        self._show_notices()
        phase, progress, seconds = follower.progress(frame)
        pacer = self.query_one(BreathPacer)
        pacer.phase = phase.phase if phase is not None else None
        pacer.progress = progress
        pacer.seconds_left = seconds
        pacer.paused = session.paused
        self._show_progress(frame)
        if self._coach is not None:
            # By the clock, not by counting ticks: the same moments whatever drives tick().
            now = services_of(self.app).clock.now()
            if now - self._meter_at >= METER_EVERY:
                self._meter_at = now
                self._show_meter(frame)
        if session.finished or (session.complete and frame >= timeline.total_frames):
            self._finish(completed=True)

    def _show_notices(self) -> None:
        notices = self._follower.new_notices()
        if notices:
            self.query_one("#notice", Static).update(Text(notices[-1], "dim italic"))

    def _show_progress(self, frame: int) -> None:
        timeline = self._follower.timeline
        total = max(1, timeline.total_frames)
        width = max(10, self.size.width - 16)
        left = clock_text((total - frame) / timeline.sample_rate)
        # Once a second, with the time left: the bar's eighth-cell steps (4 a second here) each
        # cost a repaint of the line, and the eye reads a session's progress by the second.
        key = (left, self.session.paused, width)
        if key == self._progress_key:
            return
        self._progress_key = key
        paused = "  paused" if self.session.paused else ""
        text = f"{bar(frame / total, width)} {left} left{paused}"
        if text != self._progress_text:
            # One line, whatever it says: no layout pass for the screen.
            layout = len(text) != len(self._progress_text)
            self._progress_text = text
            self.query_one("#progress", Static).update(text, layout=layout)

    @property
    def elapsed(self) -> float:
        """Seconds of the session heard so far."""
        return self.session.position() / self._follower.timeline.sample_rate

    def result_so_far(self, *, completed: bool = False) -> SessionResult:
        """How the session went up to now (also for the log when the app is closed mid-way)."""
        session = self.session
        timeline = self._follower.timeline
        return SessionResult(
            script_id=timeline.script_id,
            title=timeline.title,
            practised_seconds=session.practised_seconds,
            planned_seconds=session.planned_seconds(),
            breaths=self._follower.breaths,
            completed=completed,
            underruns=session.underruns,
        )

    def _finish(self, *, completed: bool) -> None:
        if self._done:
            return
        self._done = True
        if self._timer is not None:
            self._timer.stop()
        session = self.session
        result = self.result_so_far(completed=completed)
        self._close_meter()
        session.stop()
        session.close()
        while self.app.screen is not self and len(self.app.screen_stack) > 1:
            self.app.pop_screen()  # a confirm or help dialog was open when the end came
        self.dismiss(result)

    # -- actions --------------------------------------------------------------------------------

    def action_pause(self) -> None:
        """Pause; the clock freezes, the place is kept (the footer then offers Resume)."""
        self.session.pause()
        self.refresh_bindings()
        self.tick()
        self._schedule()

    def action_resume(self) -> None:
        """Carry on from the same place."""
        self.session.resume()
        self.refresh_bindings()
        self.tick()
        self._schedule()

    def action_skip(self) -> None:
        """Jump to the next step."""
        frame = self.session.position()
        self.session.skip()
        self._follower.skipped(frame)
        self.tick()
        self._schedule()

    def action_volume(self, delta: float) -> None:
        """Louder or softer, in tenths (kept for next time)."""
        gain = self.session.change_volume(delta)
        self.query_one(StatusLine).say(f"Volume {round(gain * 100)}%")
        with contextlib.suppress(Exception):  # kept for next time; unsaved must not break this
            services_of(self.app).update_settings(volume=gain)

    def action_toggle_group(self, group: str) -> None:
        """Voice or tones on/off (the timing stays the same)."""
        on = self.session.toggle(group)
        self.query_one(StatusLine).say(f"{group.capitalize()} {'on' if on else 'off'}")

    # -- the microphone meter ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer Pause or Resume as fits; hide the meter when there is no sound or microphone."""
        if action in ("pause", "resume"):
            return self.session.paused == (action == "resume")
        if action == "meter":
            services = services_of(self.app)
            return bool(services.sound) and _has_input()
        return True

    def action_meter(self) -> None:
        """Show or hide the breath meter (remembered for next time)."""
        services = services_of(self.app)
        if self._coach is None:
            self._open_meter()
            on = self._coach is not None
        else:
            self._close_meter()
            on = False
        # An unsaved preference must not break the session.
        with contextlib.suppress(Exception):
            services.update_settings(meter_on=on)

    def _open_meter(self) -> None:
        from assistant.coach import Coach
        from assistant.sound.meter import open_meter

        settings = services_of(self.app).settings
        meter, notice = open_meter(settings.input_device)
        if notice:
            self.query_one("#notice", Static).update(Text(notice, "dim italic"))
        if meter is not None:
            self._coach = Coach(
                self.session,
                meter,
                gate_voice=settings.gate_voice,
                speak=settings.speak_feedback,
            )
        self.query_one("#meter").display = meter is not None
        self.query_one(BreathTrace).display = meter is not None

    def _close_meter(self) -> None:
        coach, self._coach = self._coach, None
        if coach is not None:
            coach.close()
        if self.is_mounted:
            self.query_one("#meter").display = False
            trace = self.query_one(BreathTrace)
            trace.display = False
            trace.clear()
            self.query_one("#coach", Static).update("")

    def _show_meter(self, frame: int) -> None:
        from assistant.sound.meter import level_bar

        coach = self._coach
        assert coach is not None
        if coach.lost:
            self._close_meter()
            self.query_one("#notice", Static).update(
                Text("The microphone went away; the breath meter is off.", "dim italic")
            )
            return
        reading = coach.update(frame)
        text = f"mic\n{level_bar(reading.level, 6)}\n{reading.detail}"
        if text != self._meter_text:
            self._meter_text = text
            self.query_one("#meter", Static).update(text)
        if reading.trace:
            self.query_one(BreathTrace).push((p.guide, p.heard) for p in reading.trace)
        if reading.advice:
            self.query_one("#coach", Static).update(Text(reading.advice, "italic"))

    def action_end(self) -> None:
        """End now; after the first seconds, ask first (a stray key must not end it).

        The session waits, paused, while the question is open, and the same key again ends it.
        """
        if self.elapsed < CONFIRM_AFTER:
            self._finish(completed=False)
            return
        from assistant.ui.screens.confirm import EndConfirmScreen

        was_paused = self.session.paused
        if not was_paused:
            self.action_pause()

        def answered(end: bool | None) -> None:
            if end:
                self._finish(completed=False)
            elif not was_paused and not self._done:
                self.action_resume()

        keys = ground_app(self.app).keymap.get("session.end", "q,escape")
        self.app.push_screen(EndConfirmScreen(keys), answered)

    def end_now(self) -> None:
        """End at once, without a question (the app is quitting); the time practised counts."""
        self._finish(completed=False)


def _has_input() -> bool:
    """Whether any microphone exists (asked once; PortAudio is already loaded for sound)."""
    if not _INPUTS:
        from assistant.session import device_names

        _INPUTS.append(bool(device_names("input")))
    return _INPUTS[0]


_INPUTS: list[bool] = []
