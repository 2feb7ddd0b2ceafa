"""The whole practice: one object from a request to the session's row in the practice log.

A :class:`Practice` plays a session, follows its clock, keeps its practice-log row from start
to finish, runs the breath meter and its coach when asked, and gives one
:class:`PracticeResult` at the end. The front ends (the inline pacer of ``ground play`` and the
TUI's session screen) draw the :class:`Look` it gives on each of their ticks and pass keys to
it; they never open the meter, build the coach or write the log themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.session.countdown import Countdown
from assistant.session.follow import Follower
from assistant.session.live import Session
from assistant.session.record import SessionRecord
from assistant.session.timer import TimerLook, TimerSession

if TYPE_CHECKING:
    from assistant.core.clock import Clock
    from assistant.core.model import Event, Timeline
    from assistant.session.coach import Coach
    from assistant.session.reading import MeterReading
    from assistant.session.record import LogSource
    from assistant.session.request import SessionRequest
    from assistant.speech.renderer import SpeechRenderer
    from assistant.storage.settings import Settings

#: The notice when the microphone goes away mid-session (the meter turns off).
MICROPHONE_LOST = "The microphone went away; the breath meter is off."


@dataclass(frozen=True)
class MeterSettings:
    """How the breath meter listens.

    Attributes:
        device: the input device's name or number (None: the system default).
        gate_voice: ignore the microphone while the guide speaks (off for headphones).
        speak_feedback: also say the pacing remark aloud, between the guide's own words.
    """

    device: str | int | None = None
    gate_voice: bool = True
    speak_feedback: bool = False

    @classmethod
    def of(cls, settings: Settings, device: str | int | None = None) -> MeterSettings:
        """The meter as the settings have it (``device``: one typed this time instead)."""
        return cls(device or settings.input_device, settings.gate_voice, settings.speak_feedback)


@dataclass(frozen=True)
class PracticeResult:
    """How a practice went: for the closing words, the end screen and the practice log.

    Attributes:
        script_id: the script's id.
        title: the script's title.
        practised_seconds: seconds heard (skipped stretches and pauses not counted).
        planned_seconds: the whole session's length.
        breaths: breaths begun.
        completed: heard to the end, not stopped early.
        underruns: audio dropouts the device reported.
    """

    script_id: str
    title: str
    practised_seconds: float
    planned_seconds: float
    breaths: int
    completed: bool
    underruns: int


@dataclass(frozen=True)
class Look:
    """What a view shows after one look at the clock (:meth:`Practice.look`).

    Attributes:
        frame: the frame being heard.
        timeline: the timeline being played (a cold cache swaps in the whole one once).
        events: events reached since the last look, in order (captions, sections, phases, …).
        breaths: breaths begun in ``events``.
        caption_over: the last caption's step has ended: its words should go with it.
        notices: notices that came since the last look (a fallback, a lost device, …), oldest
            first.
        phase: the phase event under way (None during narration).
        into: how far into that phase, 0–1.
        seconds_left: whole seconds left in that phase.
        paused: the clock is held.
        left: seconds of the session left as a countdown shows them: from the planned length
            at the start (the length listings show), and never a jump up when a cold cache's
            real length comes in (:class:`~assistant.session.countdown.Countdown`).
        done: how much of the session is behind, 0–1, by the same count (for a progress bar).
        meter: the breath meter's reading, when it is on and was read this time.
        meter_lost: the microphone went away just now: the meter is off (``notices`` says so).
        over: the session has been heard to its end.
        timer: a plain timer's time sat and next bell (None for a script's session).
    """

    frame: int
    timeline: Timeline
    events: list[Event]
    breaths: int
    caption_over: bool
    notices: list[str]
    phase: Event | None
    into: float
    seconds_left: int
    paused: bool
    left: float = 0.0
    done: float = 0.0
    meter: MeterReading | None = None
    meter_lost: bool = False
    over: bool = False
    timer: TimerLook | None = None


class Practice:
    """One practice, from its first sound to its row in the practice log.

    Use :meth:`start`. Then, on every tick: :meth:`look` (and :meth:`wait` between looks on
    the command line); keys go to :meth:`pause`, :meth:`resume`, :meth:`skip`,
    :meth:`change_volume`, :meth:`toggle`, :meth:`open_meter` and :meth:`close_meter`. At the
    end: :meth:`end` gives the result, :meth:`save` writes the row (with the reflection after,
    if any); :meth:`interrupted` is for Ctrl-C and a closed terminal.
    """

    def __init__(
        self,
        session: Session,
        *,
        meter: MeterSettings | None = None,
        tension_before: int | None = None,
    ) -> None:
        self.session = session
        """The live session (the clock, the timeline; tests read them)."""
        self.meter_settings = meter or MeterSettings()
        self.tension_before = tension_before
        """How tense the person said they were before, 0–10 (None: not asked)."""
        self._follower = Follower(session)
        self._countdown = Countdown(session.planned())
        self._record = SessionRecord(None, None, owns_log=False)
        self._coach: Coach | None = None
        self._result: PracticeResult | None = None
        self._closed = False
        self._timer = session if isinstance(session, TimerSession) else None
        self._ended_early = False  # a timed sitting ended with the end bell before its time

    @classmethod
    def start(
        cls,
        request: SessionRequest,
        *,
        log: LogSource = None,
        tension_before: int | None = None,
        meter: MeterSettings | None = None,
        meter_on: bool = False,
        notices: Sequence[str] = (),
        clock: Clock | None = None,
        renderer: SpeechRenderer | None = None,
    ) -> Practice:
        """Start playing ``request`` now (the sound begins before this returns), then its row.

        Args:
            request: what to play and how.
            log: where the practice-log row goes: the app's open log (or a function giving it),
                :data:`~assistant.session.record.OPEN_LOG` to open one for this practice, or
                None for no row.
            tension_before: 0–10, if the person rated it.
            meter: how the breath meter listens whenever it is opened.
            meter_on: open the breath meter now (with sound only); a line saying why it could
                not joins the session's notices.
            notices: lines to show before the session's own (from loading the settings, …).
            clock: the clock for a silent player (tests pass a FakeClock).
            renderer: a ready speech renderer (tests); built from ``request`` if None.

        Raises:
            LengthError: the options do not fit the script.
            DeviceNotFound: ``request.device`` is missing and ``strict_device`` is set.
        """
        opener = TimerSession.open if request.timer is not None else Session.open
        session = opener(request, clock=clock, renderer=renderer)
        practice = cls(session, meter=meter, tension_before=tension_before)
        try:
            session.notices[:0] = notices
            if meter_on and request.sound:
                notice = practice.open_meter()
                if notice:
                    session.notices.append(notice)
            # Once the sound has started: the hotkey's first cue never waits for sqlite.
            practice._record = SessionRecord.start(session, log, tension_before=tension_before)
        except BaseException:
            practice.close()  # Ctrl-C while starting: the stream must not outlive us
            raise
        return practice

    # -- the clock -------------------------------------------------------------------------------

    def look(self, *, at_end: bool = False, meter: bool = True) -> Look:
        """Read the clock once: everything a view should show now.

        Args:
            at_end: :meth:`wait` said the session is over: look at its last frame, and leave
                the meter alone.
            meter: read the breath meter this time, if it is on (a view may read it less
                often than it looks at the clock).
        """
        session, follower = self.session, self._follower
        frame = session.timeline.total_frames if at_end else session.position()
        moment = follower.follow(frame)
        reading, lost = None, False
        coach = self._coach
        if coach is not None and meter and not at_end:
            if coach.lost:
                self.close_meter()
                session.notices.append(MICROPHONE_LOST)
                lost = True
            else:
                reading = coach.update(frame)
        timeline = follower.timeline
        phase, into, seconds = follower.progress(frame)
        left = self._countdown.left(frame, session.planned())
        return Look(
            frame=frame,
            timeline=timeline,
            events=moment.events,
            breaths=moment.breaths,
            caption_over=moment.caption_over,
            notices=follower.new_notices(),
            phase=phase,
            into=into,
            seconds_left=seconds,
            paused=session.paused,
            left=left / timeline.sample_rate,
            done=frame / max(1, frame + left),
            meter=reading,
            meter_lost=lost,
            over=session.finished or (session.complete and frame >= timeline.total_frames),
            timer=self._timer.look(frame) if self._timer is not None else None,
        )

    def new_notices(self) -> list[str]:
        """Notices that came since the last look (or call), oldest first."""
        return self._follower.new_notices()

    def position(self) -> int:
        """The frame being heard now."""
        return self.session.position()

    @property
    def timeline(self) -> Timeline:
        """The timeline as last looked at (what the views draw)."""
        return self._follower.timeline

    def progress(self, frame: int) -> tuple[Event | None, float, int]:
        """The phase under way at ``frame``, how far into it, and the seconds it has left."""
        return self._follower.progress(frame)

    @property
    def elapsed_seconds(self) -> float:
        """Seconds of the timeline reached so far (skips included, unlike time practised)."""
        return self.session.position() / self._follower.timeline.sample_rate

    @property
    def heard_to_end(self) -> bool:
        """Whether the last frame has been heard."""
        return self.session.position() >= self.session.timeline.total_frames

    def wait(self, seconds: float) -> bool:
        """Wait for the end or ``seconds``; True when the session is over."""
        return self.session.wait(seconds)

    @property
    def voice_heard(self) -> bool:
        """Whether the guide's words are heard now: a voice speaks them, not muted, to a sound
        device (the views say "listen" only then; otherwise the words are read)."""
        from assistant.core.transport import SilentPlayer

        session = self.session
        voice = session.voice
        return (
            voice is not None
            and voice.engine.name != "none"
            and session.gain("voice") > 0
            and session.gain("master") > 0
            and not isinstance(session.player, SilentPlayer)
        )

    # -- keys ------------------------------------------------------------------------------------

    @property
    def paused(self) -> bool:
        """Whether the clock is held."""
        return self.session.paused

    def pause(self) -> None:
        """Hold the clock; the place is kept."""
        self.session.pause()

    def resume(self) -> None:
        """Carry on from the same place."""
        self.session.resume()

    def skip(self) -> None:
        """Jump to the next step; the rest of this one is not announced."""
        self._follower.skipped(self.session.skip())

    def change_volume(self, delta: float, group: str = "master") -> float:
        """Louder or softer by ``delta`` (kept within 0–1); returns the new level.

        Args:
            delta: the change, e.g. 0.1.
            group: ``master`` (everything), ``voice``, ``tones`` (and the bells) or ``ambient``.
        """
        return self.session.change_volume(delta, group)

    def toggle(self, group: str) -> bool:
        """Turn the ``voice``, the ``tones`` or the ``ambient`` sound on or off (the timing
        stays); True when on."""
        return self.session.toggle(group)

    def level(self, group: str) -> float:
        """A group's level, 0–1 (``master`` is the volume), whether it is on or off."""
        return self.session.level(group)

    def is_on(self, group: str) -> bool:
        """Whether ``voice``, ``tones`` or ``ambient`` is on."""
        return self.session.is_on(group)

    @property
    def has_ambient(self) -> bool:
        """Whether an ambient sound was chosen for this practice."""
        return self.session.has_ambient

    def levels(self) -> dict[str, float]:
        """The levels as settings name them (``volume``, ``voice_volume``, …): to remember
        what the person changed with the keys."""
        session = self.session
        return {
            "volume": session.level("master"),
            "voice_volume": session.level("voice"),
            "tones_volume": session.level("tones"),
            "ambient_volume": session.level("ambient"),
        }

    # -- a plain timer ---------------------------------------------------------------------------

    @property
    def is_timer(self) -> bool:
        """Whether this is a plain timer (``ground timer``) rather than a script."""
        return self._timer is not None

    def ring_out(self) -> bool:
        """End a timer's sitting with the end bell (the person chose to end it).

        Returns:
            True when the end bell rings and the practice ends by itself once it has rung out
            (keep looking); False when there is nothing to ring out: end it at once.
        """
        timer = self._timer
        if timer is None or not timer.ring_out():
            return False
        self._ended_early = not timer.open_ended
        return True

    # -- the breath meter ------------------------------------------------------------------------

    @property
    def meter_on(self) -> bool:
        """Whether the breath meter is listening."""
        return self._coach is not None

    def open_meter(self) -> str | None:
        """Start the breath meter and its coach (nothing if already on).

        Returns:
            A line saying why there is no meter (no microphone, …), else None.
        """
        if self._coach is not None:
            return None
        from assistant.sound.meter import open_meter

        settings = self.meter_settings
        meter, notice = open_meter(settings.device)
        if meter is not None:
            from assistant.session.coach import Coach

            self._coach = Coach(
                self.session,
                meter,
                gate_voice=settings.gate_voice,
                speak=settings.speak_feedback,
            )
            # The meter listens where the waves swell: in time with the pacer they would look
            # like breathing, so while it listens the sea stays calm and steady.
            self.session.set_ambient_steady(True)
        return notice

    def close_meter(self) -> None:
        """Stop listening; nothing of the microphone's audio remains."""
        coach, self._coach = self._coach, None
        if coach is not None:
            coach.close()
            self.session.set_ambient_steady(False)

    # -- the end ---------------------------------------------------------------------------------

    def result(self, *, completed: bool = False) -> PracticeResult:
        """How the practice went: the result once :meth:`end` gave it, else up to now."""
        if self._result is not None:
            return self._result
        session, timeline = self.session, self._follower.timeline
        return PracticeResult(
            script_id=timeline.script_id,
            title=timeline.title,
            practised_seconds=session.practised_seconds,
            planned_seconds=session.planned_seconds(),
            breaths=self._follower.breaths,
            completed=completed and not self._ended_early,
            underruns=session.underruns,
        )

    def end(self, *, completed: bool) -> PracticeResult:
        """Stop the sound and the meter and release them; the result (fixed by the first call).

        Args:
            completed: it was heard to the end (False: the person stopped it).
        """
        if self._result is None:
            self._result = self.result(completed=completed)
        self.close()
        return self._result

    def save(self, *, tension_after: int | None = None, note: str | None = None) -> str | None:
        """Finish the practice-log row: the result, and what the person added after.

        Before :meth:`end` (the app closed mid-session) it is how it went so far, stopped early.
        Only the first call writes.

        Args:
            tension_after: 0–10, if the person rated it.
            note: the person's words, if any.

        Returns:
            A line to show when it could not be saved, else None.
        """
        result = self.result()
        return self._record.finish(
            result.practised_seconds,
            result.breaths,
            completed=result.completed,
            tension_after=tension_after,
            note=note,
        )

    def interrupted(self) -> str | None:
        """Ctrl-C or the terminal closed: stop the sound at once and log the time heard.

        Returns:
            A line to show when it could not be saved, else None.
        """
        self.session.stop()
        return self._record.interrupted(self.session.practised_seconds)

    def close(self) -> None:
        """Release the microphone, the device and the background work (again: nothing)."""
        self.close_meter()
        if not self._closed:
            self._closed = True
            self.session.close()
