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
from typing import TYPE_CHECKING, TextIO

from assistant.cli.pacer import status_line
from assistant.core.i18n import N_, _, ngettext, pgettext
from assistant.core.model import Event, EventKind, Timeline
from assistant.core.pacing import clock_text, elapsed_text
from assistant.core.support import PANIC_SCRIPT
from assistant.core.timer import SCRIPT_ID as TIMER_ID

if TYPE_CHECKING:
    from assistant.session import Practice, PracticeResult
    from assistant.session.reading import MeterReading

#: Redraw cadence: 20 Hz is smooth for a 10-cell bar and costs almost nothing.
TICK = 0.05

# TRANSLATORS: the keys' names (space, s, v, t, a, ↑↓, g, q) stay as they are; one line of at
# most 79 characters (it is wrapped one column short of an 80-column terminal).
KEY_HELP = N_("space pause · s skip · v t a voice/tones/ambient · ↑↓ volume · g which · q stop")
#: A plain timer's keys: q rings the end bell (q again stops at once).
# TRANSLATORS: as the line above: the keys' names stay; at most 79 characters.
TIMER_KEY_HELP = N_("space pause · s skip · a ambient · ↑↓ volume · g which · q end with the bell")
#: What ↑ and ↓ change, in the order g goes through them: everything, then one group.
VOLUME_GROUPS = ("master", "voice", "tones", "ambient")
#: What each group is called on screen.
GROUP_NAMES = {
    "master": N_("volume"),
    "voice": N_("voice"),
    "tones": N_("tones"),
    "ambient": N_("ambient"),
}
#: What v, t and a say they did.
TOGGLED = {
    ("voice", True): N_("voice on"),
    ("voice", False): N_("voice off"),
    ("tones", True): N_("tones on"),
    ("tones", False): N_("tones off"),
    ("ambient", True): N_("ambient on"),
    ("ambient", False): N_("ambient off"),
}
#: Volume steps for ↑ and ↓.
VOLUME_STEP = 0.1


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
        # A closed terminal (SIGHUP) has nothing to restore; its EIO must not replace the
        # KeyboardInterrupt that logs the time practised.
        with contextlib.suppress(termios.error, OSError):
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)


#: Keys read but not yet acted on (two quick presses of ↓ arrive in one read).
_PENDING: list[str] = []
_ARROWS = {"\x1b[A": "up", "\x1b[B": "down", "\x1b[C": "right", "\x1b[D": "left"}


def read_key(stream: TextIO) -> str | None:
    """A key if one is waiting, else None (never blocks)."""
    if _PENDING:
        return _PENDING.pop(0)
    fd = stream.fileno()
    ready, _written, _errors = select.select([fd], [], [], 0)
    if not ready:
        return None
    data = os.read(fd, 64).decode("utf-8", "replace")
    if data == "\x1b":
        return "escape"
    while data:
        if data[:3] in _ARROWS:
            _PENDING.append(_ARROWS[data[:3]])
            data = data[3:]
        elif data.startswith("\x1b"):
            break  # another escape sequence (a function key): not a key of ours
        else:
            _PENDING.append(data[0])
            data = data[1:]
    return _PENDING.pop(0) if _PENDING else None


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


def run_session(practice: Practice, out: TextIO, keys: TextIO | None = None) -> PracticeResult:
    """Play ``practice`` to the end (or until stopped), drawing captions and the status line.

    Args:
        practice: a started practice (already playing; its meter on if asked for).
        out: where to write.
        keys: where to read single keys from (a terminal), or None.

    Returns:
        How it went (the practice has ended: sound and microphone released).

    Raises:
        KeyboardInterrupt: Ctrl-C; the caller logs it as interrupted and exits 130.
    """
    tty = out.isatty()
    console = Console(out, tty=tty, color=tty and "NO_COLOR" not in os.environ)
    for notice in practice.new_notices():
        console.line(notice, dim=True)
    with cbreak(keys) if keys is not None else contextlib.nullcontext(False) as interactive:
        if interactive and tty:
            console.line(_(TIMER_KEY_HELP if practice.is_timer else KEY_HELP), dim=True)
        # Nothing to redraw without a terminal: wake for the next event to print, not at 20 Hz.
        headless = not tty and not interactive and not practice.meter_on
        stopped = _follow(practice, console, keys if interactive else None, headless=headless)
    console.clear_status()
    return practice.end(completed=not stopped and practice.heard_to_end)


def _follow(practice: Practice, console: Console, keys: TextIO | None, *, headless: bool) -> bool:
    """Draw the practice until it ends; True when the person stopped it."""
    steer = Steering(practice, console)
    while True:
        wait = _until_next(practice.timeline, practice.position()) if headless else TICK
        done = practice.wait(wait)
        look = practice.look(at_end=done)
        for event in look.events:
            _announce(console, event, look.timeline, console.tty)
        for notice in look.notices:
            console.line(notice, dim=True)
        if done:
            return False
        if headless:
            continue  # no status line and no keys: nobody to draw them for
        if look.meter is not None and look.meter.advice:
            console.line(f"  ({look.meter.advice})", dim=True)
        console.status(status_line(look) + _meter_part(look.meter))
        if keys is not None:
            key = read_key(keys)
            if key in ("q", "escape") and not steer.ring_out():
                return True
            steer.key(key)


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


def _meter_part(reading: MeterReading | None) -> str:
    """The breath meter's part of the status line (empty when it is off)."""
    if reading is None:
        return ""
    detail = _("calibrating") if reading.calibrating else reading.detail
    # TRANSLATORS: the breath meter's part of the status line: the microphone, then its bar.
    mic = pgettext("status", "mic")
    return f"  {mic} {reading.bar()}" + (f" {detail}" if detail else "")


def _announce(console: Console, event: Event, timeline: Timeline, tty: bool) -> None:
    """Show what an event says (a phase as a line of its own only when not on a terminal)."""
    if event.kind is EventKind.SAY:
        console.line(f"  {event.text}")
    elif event.kind is EventKind.SECTION:
        console.line(f"— {event.text} —", dim=True)
    elif event.kind is EventKind.PHASE and not tty:
        console.line(f"  [{clock_text(event.frame / timeline.sample_rate)}] {event.text}")


class Steering:
    """What the keys do to a practice, and what ↑ and ↓ change (g chooses)."""

    def __init__(self, practice: Practice, console: Console) -> None:
        self.practice = practice
        self.console = console
        self.group = "master"
        self._ringing = False

    def ring_out(self) -> bool:
        """q on a timer: ring the end bell and let it finish (True), once; else False."""
        if self._ringing or not self.practice.ring_out():
            return False
        self._ringing = True
        self.console.line("  (" + _("the end bell — q again stops at once") + ")", dim=True)
        return True

    def key(self, key: str | None) -> None:
        """Act on a key."""
        practice, say = self.practice, self._say
        if key == " ":
            if practice.paused:
                practice.resume()
                say(_("resumed"))
            else:
                practice.pause()
                say(_("paused — press space to continue"))
        elif key in ("s", "right"):
            practice.skip()  # the skipped captions are not announced
        elif key in ("v", "t", "a"):
            self._toggle({"v": "voice", "t": "tones", "a": "ambient"}[key])
        elif key in ("up", "down"):
            level = practice.change_volume(VOLUME_STEP if key == "up" else -VOLUME_STEP, self.group)
            # TRANSLATORS: after ↑ or ↓: what changed (volume, voice, …) and its level.
            say(
                _("{group} {level}%").format(
                    group=_(GROUP_NAMES[self.group]), level=round(level * 100)
                )
            )
        elif key == "g":
            groups = self._groups()
            self.group = groups[(groups.index(self.group) + 1) % len(groups)]
            level = round(practice.level(self.group) * 100)
            say(
                _("↑↓ now change the {group}: {level}%").format(
                    group=_(GROUP_NAMES[self.group]), level=level
                )
            )

    def _groups(self) -> tuple[str, ...]:
        """What ↑ and ↓ can change in this practice (no voice in a timer, no ambient unless
        one was chosen)."""
        practice = self.practice
        return tuple(
            group
            for group in VOLUME_GROUPS
            if not (group == "voice" and practice.is_timer)
            and not (group == "ambient" and not practice.has_ambient)
        )

    def _toggle(self, group: str) -> None:
        practice = self.practice
        if group == "ambient" and not practice.has_ambient:
            self._say(_("no ambient sound chosen: --ambient waves, rain or brown, or Settings"))
            return
        if group == "voice" and practice.is_timer:
            return  # a timer says nothing
        on = practice.toggle(group)
        self._say(_(TOGGLED[group, on]))

    def _say(self, text: str) -> None:
        self.console.line(f"  ({text})", dim=True)


def summary(result: PracticeResult) -> str:
    """The closing line: gentle, factual, no judgement."""
    practised = elapsed_text(result.practised_seconds)
    count = result.breaths
    if result.script_id == TIMER_ID:
        text = _("Done. {time} sat.") if result.completed else _("Stopped after {time} sat.")
    elif result.script_id == PANIC_SCRIPT:
        # After a panic attack: no praise and no "practised", only care.
        text = (
            _("Done. {time}. Go gently with yourself.")
            if result.completed
            else _("Stopped after {time}. Go gently with yourself.")
        )
    elif result.completed and count:
        text = ngettext(
            "Done. {time} practised, {count} breath. Well done.",
            "Done. {time} practised, {count} breaths. Well done.",
            count,
        )
    elif result.completed:
        text = _("Done. {time} practised. Well done.")
    elif count:
        text = ngettext(
            "Stopped after {time}, {count} breath. That counts too.",
            "Stopped after {time}, {count} breaths. That counts too.",
            count,
        )
    else:
        text = _("Stopped after {time}. That counts too.")
    text = text.format(time=practised, count=count)
    if result.underruns:
        text += " " + _("(audio dropouts: {count})").format(count=result.underruns)
    return text


def stdin_keys() -> TextIO | None:
    """stdin when it is a terminal we may read keys from."""
    try:
        return sys.stdin if sys.stdin is not None and sys.stdin.isatty() else None
    except (AttributeError, ValueError):
        return None
