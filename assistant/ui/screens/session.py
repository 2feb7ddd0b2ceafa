"""The session: a big pacer and captions that follow the audio clock, never a timer of their own.

A UI timer (30 Hz) only *reads* the player's clock (frames delivered minus output latency) and
hands plain values to the widgets, which repaint only when what they draw changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from assistant.core.model import EventKind, PhaseKind
from assistant.core.pacing import PhaseIndex, bar, clock_text
from assistant.session import Session, events_between
from assistant.ui.widgets.breath_pacer import BreathPacer

#: Redraw cadence; the widgets skip frames whose drawing would not change.
FPS = 30
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
        Binding("space", "pause", "Pause", id="session.pause"),
        Binding("right", "skip", "Skip", key_display="→", id="session.skip"),
        Binding("up", "volume(0.1)", "Louder", key_display="↑", id="session.louder"),
        Binding("down", "volume(-0.1)", "Softer", key_display="↓", id="session.softer"),
        Binding("v", "toggle_group('voice')", "Voice", id="session.voice"),
        Binding("t", "toggle_group('tones')", "Tones", id="session.tones"),
        Binding("q,escape", "end", "End", id="session.end"),
    ]

    def __init__(self, session: Session, *, reduced_motion: bool = False) -> None:
        super().__init__()
        self.session = session
        self.reduced_motion = reduced_motion
        self._phases = PhaseIndex(session.timeline)
        self._timeline = session.timeline
        self._shown = 0
        self._notices_shown = 0
        self._breaths = 0
        self._timer: Timer | None = None
        self._done = False
        self._progress_text = ""

    def compose(self) -> ComposeResult:
        timeline = self.session.timeline
        with Vertical(id="session-body"):
            yield Static(timeline.title, id="session-title")
            yield BreathPacer(id="pacer")
            yield Static("", id="caption")
            yield Static("", id="notice")
            yield Static("", id="progress")
        yield Footer()

    def on_mount(self) -> None:
        """Attach to the already running clock."""
        self.query_one(BreathPacer).reduced_motion = self.reduced_motion
        self.tick()
        self._timer = self.set_interval(1 / FPS, self.tick)

    # -- the clock ----------------------------------------------------------------------------

    def tick(self) -> None:
        """Read the clock once and update what is shown (called by the timer, or by tests)."""
        if self._done:
            return
        session = self.session
        frame = session.position()
        if session.timeline is not self._timeline:  # a cold cache finished compiling
            self._timeline = session.timeline
            self._phases = PhaseIndex(self._timeline)
        timeline = self._timeline
        for event in events_between(timeline, self._shown, frame + 1):
            if event.kind is EventKind.SAY:
                self.query_one("#caption", Static).update(event.text)
            elif event.kind is EventKind.SECTION:
                self.query_one("#session-title", Static).update(f"{timeline.title} · {event.text}")
            elif event.kind is EventKind.PHASE and event.phase is PhaseKind.INHALE:
                self._breaths += 1
        self._shown = max(self._shown, frame + 1)
        self._show_notices()
        phase, progress, seconds = self._phases.progress(frame)
        pacer = self.query_one(BreathPacer)
        pacer.phase = phase.phase if phase is not None else None
        pacer.progress = progress
        pacer.seconds_left = seconds
        pacer.paused = session.player.paused
        self._show_progress(frame)
        if session.player.finished or (session.complete and frame >= timeline.total_frames):
            self._finish(completed=True)

    def _show_notices(self) -> None:
        notices = self.session.notices
        if len(notices) > self._notices_shown:
            self._notices_shown = len(notices)
            self.query_one("#notice", Static).update(Text(notices[-1], "dim italic"))

    def _show_progress(self, frame: int) -> None:
        timeline = self._timeline
        total = max(1, timeline.total_frames)
        width = max(10, self.size.width - 16)
        left = clock_text((total - frame) / timeline.sample_rate)
        paused = "  paused" if self.session.player.paused else ""
        text = f"{bar(frame / total, width)} {left} left{paused}"
        if text != self._progress_text:
            self._progress_text = text
            self.query_one("#progress", Static).update(text)

    @property
    def elapsed(self) -> float:
        """Seconds of the session heard so far."""
        return self.session.position() / self._timeline.sample_rate

    def _finish(self, *, completed: bool) -> None:
        if self._done:
            return
        self._done = True
        if self._timer is not None:
            self._timer.stop()
        session = self.session
        result = SessionResult(
            script_id=self._timeline.script_id,
            title=self._timeline.title,
            practised_seconds=session.player.played / self._timeline.sample_rate,
            planned_seconds=self._timeline.seconds,
            breaths=self._breaths,
            completed=completed,
            underruns=session.player.underruns,
        )
        session.stop()
        session.close()
        while self.app.screen is not self and len(self.app.screen_stack) > 1:
            self.app.pop_screen()  # a confirm or help dialog was open when the end came
        self.dismiss(result)

    # -- actions --------------------------------------------------------------------------------

    def action_pause(self) -> None:
        """Pause or resume; the clock freezes, the place is kept."""
        player = self.session.player
        if player.paused:
            player.resume()
        else:
            player.pause()
        self.tick()

    def action_skip(self) -> None:
        """Jump to the next step."""
        self.session.player.skip()
        self.tick()

    def action_volume(self, delta: float) -> None:
        """Louder or softer, in tenths."""
        gain = round(min(1.0, max(0.0, self.session.mixer.gain("master") + delta)), 2)
        self.session.player.set_gain("master", gain)
        self.notify(f"Volume {round(gain * 100)}%", timeout=1.5)

    def action_toggle_group(self, group: str) -> None:
        """Voice or tones on/off (the timing stays the same)."""
        on = self.session.mixer.gain(group) == 0
        self.session.player.set_gain(group, 1.0 if on else 0.0)
        self.notify(f"{group.capitalize()} {'on' if on else 'off'}", timeout=1.5)

    def action_end(self) -> None:
        """End now; after the first seconds, ask first (a stray key must not end it)."""
        if self.elapsed < CONFIRM_AFTER:
            self._finish(completed=False)
            return
        from assistant.ui.screens.confirm import ConfirmScreen

        def answered(end: bool | None) -> None:
            if end:
                self._finish(completed=False)

        self.app.push_screen(
            ConfirmScreen("End this session?", "Enter ends it · Esc keeps going"), answered
        )
