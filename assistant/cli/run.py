"""The inline view of a session (no Textual): captions as lines, one status line, single keys."""

from __future__ import annotations

import bisect
import contextlib
import os
import select
import shutil
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from assistant.cli.pacer import status_line
from assistant.core.model import Event, EventKind, Timeline
from assistant.core.pacing import clock_text, elapsed_text
from assistant.session import Follower, Session

if TYPE_CHECKING:
    from assistant.coach import Coach
    from assistant.sound.meter import InputMeter

#: Redraw cadence: 20 Hz is smooth for a 10-cell bar and costs almost nothing.
TICK = 0.05

KEY_HELP = "space pause · s skip · v voice · t tones · q stop"


@dataclass
class Outcome:
    """How a session ended.

    Attributes:
        completed: the whole timeline was heard.
        frames: how much was heard (skipped stretches not counted).
        breaths: breathing cycles started.
        underruns: audio dropouts the device reported.
    """

    completed: bool
    frames: int
    breaths: int
    underruns: int


@contextlib.contextmanager
def cbreak(stream: TextIO) -> Iterator[bool]:
    """Read single keys from ``stream`` while inside; restores the terminal however we leave.

    Yields:
        True when keys can be read (a terminal), False otherwise.
    """
    try:
        fd = stream.fileno()
        interactive = os.isatty(fd)
    except (AttributeError, OSError, ValueError):
        interactive = False
    if not interactive:
        yield False
        return
    import termios
    import tty

    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield True
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def read_key(stream: TextIO) -> str | None:
    """A key if one is waiting, else None (never blocks)."""
    fd = stream.fileno()
    ready, _, _ = select.select([fd], [], [], 0)
    if not ready:
        return None
    data = os.read(fd, 8).decode("utf-8", "replace")
    if data.startswith("\x1b[C"):
        return "right"
    if data == "\x1b":
        return "escape"
    return data[:1] or None


class Console:
    """Writes captions as lines and keeps one status line updated beneath them."""

    def __init__(self, out: TextIO, *, tty: bool, color: bool) -> None:
        self.out = out
        self.tty = tty
        self.color = color
        self._status = ""

    def line(self, text: str, *, dim: bool = False) -> None:
        """Print a caption above the status line (wrapped to the terminal's width)."""
        if self.tty:
            self.out.write("\r\x1b[2K")
            width = max(20, shutil.get_terminal_size().columns - 1)
            indent = " " * (len(text) - len(text.lstrip()))
            text = textwrap.fill(text, width, subsequent_indent=indent + " " * 2 * bool(indent))
            if dim and self.color:
                text = f"\x1b[2m{text}\x1b[0m"
        self.out.write(text + "\n")
        if self.tty and self._status:
            self.out.write(self._status)
        self.out.flush()

    def status(self, text: str) -> None:
        """Replace the status line (terminals only), only when it changed."""
        if not self.tty or text == self._status:
            return
        self._status = text
        self.out.write("\r\x1b[2K" + text)
        self.out.flush()

    def clear_status(self) -> None:
        """Remove the status line before the final words."""
        if self.tty and self._status:
            self.out.write("\r\x1b[2K")
            self.out.flush()
        self._status = ""


def run_session(
    session: Session,
    out: TextIO,
    keys: TextIO | None = None,
    meter: InputMeter | None = None,
    *,
    gate_voice: bool = True,
    speak_feedback: bool = False,
) -> Outcome:
    """Play ``session`` to the end (or until stopped), drawing captions and the status line.

    Args:
        session: an opened session (already playing).
        out: where to write.
        keys: where to read single keys from (a terminal), or None.
        meter: the microphone meter, when asked for and available.
        gate_voice: ignore the microphone while the session's own voice plays.
        speak_feedback: also say the meter's pacing remark aloud (at most once a minute).

    Raises:
        KeyboardInterrupt: Ctrl-C; the caller stops the session and exits 130.
    """
    tty = out.isatty()
    console = Console(out, tty=tty, color=tty and "NO_COLOR" not in os.environ)
    follower = Follower(session)
    for notice in follower.new_notices():
        console.line(notice, dim=True)
    stopped = False
    coach = _MeterLine(None)
    if meter is not None:
        from assistant.coach import Coach

        coach.coach = Coach(session, meter, gate_voice=gate_voice, speak=speak_feedback)
    with cbreak(keys) if keys is not None else contextlib.nullcontext(False) as interactive:
        if interactive and tty:
            console.line(KEY_HELP, dim=True)
        # Nothing to redraw without a terminal: wake for the next event to print, not at 20 Hz.
        headless = not tty and not interactive and coach.coach is None
        while True:
            wait = _until_next(follower.timeline, session.position()) if headless else TICK
            done = session.wait(wait)
            frame = session.timeline.total_frames if done else session.position()
            moment = follower.follow(frame)
            for event in moment.events:
                _announce(console, event, follower.timeline, tty)
            for notice in follower.new_notices():
                console.line(notice, dim=True)
            if done:
                break
            if not headless:  # a status line is shown on terminals only
                line = status_line(follower.timeline, follower.phases, frame, paused=session.paused)
                console.status(line + coach.update(frame, console))
            if interactive and keys is not None:
                key = read_key(keys)
                if key in ("q", "escape"):
                    stopped = True
                    break
                if _handle_key(session, console, key):
                    # Skipped captions are not announced: resume announcing at the new step.
                    follower.skipped(frame)
    console.clear_status()
    coach.close()
    frame = session.position()
    completed = not stopped and frame >= session.timeline.total_frames
    return Outcome(completed, session.played, follower.breaths, session.underruns)


#: A headless session still looks at least this often (a stalled device, a notice from the
#: background to print); a device that ends the stream wakes it at once. Each wake-up cost
#: ~0.15 ms of CPU here: at most every 0.5 s that was a tenth of the session's steady CPU.
HEADLESS_WAIT = 2.0


def _frame_of(event: Event) -> int:
    return event.frame


def _until_next(timeline: Timeline, frame: int) -> float:
    """Seconds until the timeline's next event after ``frame`` (between TICK and HEADLESS_WAIT)."""
    index = bisect.bisect_right(timeline.events, frame, key=_frame_of)
    events = timeline.events
    due = events[index].frame if index < len(events) else timeline.total_frames
    return min(HEADLESS_WAIT, max(TICK, (due - frame) / timeline.sample_rate))


class _MeterLine:
    """The meter's part of the status line, and the coach's remarks as dim lines."""

    def __init__(self, coach: Coach | None) -> None:
        self.coach = coach

    def update(self, frame: int, console: Console) -> str:
        """Gate the microphone, print any remark; return the status suffix."""
        from assistant.sound.meter import level_bar

        coach = self.coach
        if coach is None:
            return ""
        if coach.lost:
            console.line("The microphone went away; the breath meter is off.", dim=True)
            self.close()
            return ""
        reading = coach.update(frame)
        if reading.advice:
            console.line(f"  ({reading.advice})", dim=True)
        detail = "calibrating" if reading.calibrating else reading.detail
        return f"  mic {level_bar(reading.level)}" + (f" {detail}" if detail else "")

    def close(self) -> None:
        """Close the microphone."""
        coach, self.coach = self.coach, None
        if coach is not None:
            coach.close()


def _announce(console: Console, event: Event, timeline: Timeline, tty: bool) -> None:
    """Show what an event says (a phase as a line of its own only when not on a terminal)."""
    if event.kind is EventKind.SAY:
        console.line(f"  {event.text}")
    elif event.kind is EventKind.SECTION:
        console.line(f"— {event.text} —", dim=True)
    elif event.kind is EventKind.PHASE and not tty:
        console.line(f"  [{clock_text(event.frame / timeline.sample_rate)}] {event.text}")


def _handle_key(session: Session, console: Console, key: str | None) -> bool:
    """Act on a key; returns True when it skipped ahead."""
    if key == " ":
        if session.paused:
            session.resume()
            console.line("  (resumed)", dim=True)
        else:
            session.pause()
            console.line("  (paused — press space to continue)", dim=True)
    elif key in ("s", "right"):
        session.skip()
        return True
    elif key in ("v", "t"):
        group = "voice" if key == "v" else "tones"
        on = session.toggle(group)
        console.line(f"  ({group} {'on' if on else 'off'})", dim=True)
    return False


def summary(outcome: Outcome, timeline: Timeline) -> str:
    """The closing line: gentle, factual, no judgement."""
    practised = elapsed_text(outcome.frames / timeline.sample_rate)
    breaths = f", {outcome.breaths} breath{'s' if outcome.breaths != 1 else ''}"
    if outcome.completed:
        text = f"Done. {practised} practised{breaths if outcome.breaths else ''}. Well done."
    else:
        text = f"Stopped after {practised}{breaths if outcome.breaths else ''}. That counts too."
    if outcome.underruns:
        text += f" (audio dropouts: {outcome.underruns})"
    return text


def stdin_keys() -> TextIO | None:
    """stdin when it is a terminal we may read keys from."""
    try:
        return sys.stdin if sys.stdin is not None and sys.stdin.isatty() else None
    except (AttributeError, ValueError):
        return None
