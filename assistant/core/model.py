"""The vocabulary: frozen value objects for scripts and the timelines compiled from them."""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any, TypeVar

from assistant.core.i18n import N_, _, decimal_sign, pgettext

#: Speech engines by the names people choose them with (settings, ``--engine``).
ENGINE_NAMES = ("auto", "system", "espeak", "piper", "none")

#: Shortest and longest session in minutes, whether asked for in minutes or in breaths.
MINUTES_RANGE = (0.25, 120.0)

#: Seconds between two of a breathing block's ``notes`` when it does not set ``notes_every``.
NOTE_SPACING = 90.0

#: The longest stretch a session should go without a spoken sentence (breath words aside).
QUIET_LIMIT = 150.0


_T = TypeVar("_T")


def value_type(cls: type[_T]) -> type[_T]:
    """Give a ``dataclass(frozen=True, eq=False, repr=False)`` the ``__eq__``, ``__hash__`` and
    ``__repr__`` that ``dataclass(frozen=True)`` would generate, as shared closures: dataclasses
    compiles each generated method with ``exec`` at import (≈ 18 M instructions for this
    module, on the TUI's first frame and the hotkey's path).

    Same behaviour: equal when of the same class and every field is equal, the hash of the
    fields' tuple, ``Name(field=value, ...)`` with ``...`` for a value that contains itself; a
    method the class defines itself is kept.

    Args:
        cls: a class already made a ``dataclass(frozen=True, eq=False, repr=False)``.

    Returns:
        The same class.
    """
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    values: Callable[[Any], tuple[Any, ...]]
    if len(names) == 1:
        one = attrgetter(names[0])
        values = lambda obj: (one(obj),)  # noqa: E731
    else:
        values = attrgetter(*names) if names else lambda obj: ()
    active: set[tuple[int, int]] = set()

    def __eq__(self: Any, other: object) -> bool:  # noqa: N807
        if other.__class__ is self.__class__:
            return bool(values(self) == values(other))
        return NotImplemented

    def __hash__(self: Any) -> int:  # noqa: N807
        return hash(values(self))

    def __repr__(self: Any) -> str:  # noqa: N807
        key = (id(self), threading.get_ident())
        if key in active:
            return "..."
        active.add(key)
        try:
            shown = ", ".join(f"{n}={v!r}" for n, v in zip(names, values(self), strict=True))
        finally:
            active.discard(key)
        return f"{self.__class__.__qualname__}({shown})"

    for method in (__eq__, __hash__, __repr__):
        if method.__name__ not in cls.__dict__:
            method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
            setattr(cls, method.__name__, method)
    return cls


class Category(enum.StrEnum):
    """What kind of exercise a script is; the TUI groups scripts by it."""

    BREATHE = "breathe"
    GROUND = "ground"
    MOVE = "move"
    SOCIAL = "social"


class PhaseKind(enum.StrEnum):
    """One phase of a breathing pattern, in the order a cycle runs them."""

    INHALE = "inhale"
    TOP_UP = "top_up"
    HOLD = "hold"
    EXHALE = "exhale"
    HOLD_AFTER_EXHALE = "hold_after_exhale"

    @property
    def is_hold(self) -> bool:
        """True for the phases a "no holds" session leaves out."""
        return self in (PhaseKind.HOLD, PhaseKind.HOLD_AFTER_EXHALE)

    @property
    def label(self) -> str:
        """Plain words for the phase, as shown beside the pacer, in the interface's language."""
        return _(_PHASE_LABELS[self])

    @property
    def english(self) -> str:
        """The phase's plain words in English: the text of its timeline events (the timeline is
        machine-readable, the same whatever language the interface speaks)."""
        return _PHASE_LABELS[self]

    @property
    def tone(self) -> str:
        """Name of the sound asset that marks the start of this phase."""
        return _PHASE_TONES[self]


class When(enum.StrEnum):
    """Which sessions a step belongs to: those that play the breath holds, or those without."""

    HOLDS = "holds"
    NO_HOLDS = "no-holds"

    def applies(self, *, no_holds: bool) -> bool:
        """Whether a step with this condition plays in a session with or without holds."""
        return no_holds is (self is When.NO_HOLDS)


# TRANSLATORS: the phase of a breath shown beside the pacer, with its seconds ("breathe in · 3");
# use the words the scripts in your language use for it, and keep each under 12 characters.
_PHASE_LABELS = {
    PhaseKind.INHALE: N_("breathe in"),
    PhaseKind.TOP_UP: N_("top up"),
    PhaseKind.HOLD: N_("hold"),
    PhaseKind.EXHALE: N_("breathe out"),
    PhaseKind.HOLD_AFTER_EXHALE: N_("rest"),
}
_PHASE_TONES = {
    PhaseKind.INHALE: "inhale",
    PhaseKind.TOP_UP: "top_up",
    PhaseKind.HOLD: "hold",
    PhaseKind.EXHALE: "exhale",
    PhaseKind.HOLD_AFTER_EXHALE: "hold",
}


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class Pattern:
    """One breathing cycle, in seconds per phase (0 means the phase is absent).

    Attributes:
        inhale: breathing in.
        top_up: a short second sip of air on top of the inhale (cyclic sigh).
        hold: holding with full lungs.
        exhale: breathing out.
        hold_after_exhale: resting with empty lungs before the next inhale.
    """

    inhale: float
    exhale: float
    top_up: float = 0.0
    hold: float = 0.0
    hold_after_exhale: float = 0.0

    def phases(self) -> tuple[tuple[PhaseKind, float], ...]:
        """The phases present in a cycle, in order, with their seconds."""
        order = (
            (PhaseKind.INHALE, self.inhale),
            (PhaseKind.TOP_UP, self.top_up),
            (PhaseKind.HOLD, self.hold),
            (PhaseKind.EXHALE, self.exhale),
            (PhaseKind.HOLD_AFTER_EXHALE, self.hold_after_exhale),
        )
        return tuple((kind, secs) for kind, secs in order if secs > 0)

    @property
    def cycle_seconds(self) -> float:
        """Length of one full cycle."""
        return sum(secs for _, secs in self.phases())

    @property
    def has_holds(self) -> bool:
        """Whether the pattern holds the breath at all."""
        return self.hold > 0 or self.hold_after_exhale > 0

    def without_holds(self) -> Pattern:
        """The same pattern with both holds removed."""
        return Pattern(inhale=self.inhale, exhale=self.exhale, top_up=self.top_up)

    def describe(self) -> str:
        """The pattern written out, e.g. ``in 2 · top-up 1 · out 5 — 7.5 breaths/min``."""
        names = {
            # TRANSLATORS: short phase names in a breathing pattern: "in 4 · hold 4 · out 4".
            PhaseKind.INHALE: pgettext("phase", "in"),
            PhaseKind.TOP_UP: pgettext("phase", "top-up"),
            PhaseKind.HOLD: pgettext("phase", "hold"),
            PhaseKind.EXHALE: pgettext("phase", "out"),
            PhaseKind.HOLD_AFTER_EXHALE: pgettext("phase", "hold"),
        }
        parts = " · ".join(f"{names[k]} {_num(s)}" for k, s in self.phases())
        # TRANSLATORS: {phases} is "in 4 · hold 4 · out 4"; {rate} the breaths a minute.
        return _("{phases} — {rate} breaths/min").format(
            phases=parts, rate=_num(60 / self.cycle_seconds)
        )


def length_text(seconds: float) -> str:
    """A session's length as a clock shows it, to the nearest second: ``1:20``.

    The same text everywhere a length is shown (listings, ``ground check``, the countdown's
    start, ``ground render``), all from one plan (``session.listed_seconds``).
    """
    minutes, rest = divmod(whole_seconds(seconds), 60)
    return f"{minutes}:{rest:02d}"


def whole_seconds(seconds: float) -> int:
    """A length in whole seconds, halves up (``78.5`` is 79): one rounding for every place a
    session's length is shown or listed, so they agree to the second."""
    return max(0, int(seconds + 0.5))


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and ``noun``, plural unless the count is one: ``1 voice``, ``131 voices``."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def _num(value: float) -> str:
    """Format seconds or rates without a useless ``.0`` (a decimal comma where the language
    writes one)."""
    rounded = round(value, 1)
    return decimal_sign(str(int(rounded)) if rounded == int(rounded) else str(rounded))


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class Say:
    """Narration: speak ``text``, then leave ``pause`` seconds of quiet.

    Attributes:
        text: the words as written; ``{inhale}`` and the like are filled in per session.
        pause: quiet after the words.
        line: where the step is in its file.
        when: play only with, or only without, the breath holds (None: always).
        optional: leave out in a short session and when the voice is off.
        otherwise: said instead when ``text`` names a ladder placeholder (``{step}``) that no
            ladder step has filled in.
    """

    text: str
    pause: float = 0.0
    line: int = 0
    when: When | None = None
    optional: bool = False
    otherwise: str | None = None


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class Chime:
    """Play a sound asset (``bell`` by default), then ``pause`` seconds of quiet."""

    sound: str = "bell"
    pause: float = 0.0
    line: int = 0
    when: When | None = None
    optional: bool = False


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class Silence:
    """A quiet stretch of ``seconds``."""

    seconds: float
    line: int = 0
    when: When | None = None
    optional: bool = False


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class Section:
    """A heading that names the part of the script that follows; takes no time."""

    title: str
    line: int = 0
    when: When | None = None


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class Breathe:
    """A breathing block: a fixed grid of cycles of ``pattern``.

    Attributes:
        label: what the block is called on screen.
        pattern: the phase lengths.
        cycles: a fixed number of cycles, or None when the block fills the session length.
        max_cycles: an upper limit a longer session can never exceed (4-7-8 is capped at 4).
        words: the word spoken at the start of each phase, by phase.
        words_for: how many cycles get spoken words (None: all); later cycles use tones only.
        tones: whether each phase starts with its tone.
        notes: short sentences said during the block, one at a time, in a breath out.
        notes_every: breaths from one note to the next (None: about :data:`NOTE_SPACING`).
    """

    label: str
    pattern: Pattern
    cycles: int | None = None
    max_cycles: int | None = None
    words: tuple[tuple[PhaseKind, str], ...] = ()
    words_for: int | None = None
    tones: bool = True
    line: int = 0
    notes: tuple[str, ...] = ()
    notes_every: int | None = None

    @property
    def fills(self) -> bool:
        """True when the block's length comes from the session length."""
        return self.cycles is None

    def word_for(self, phase: PhaseKind) -> str | None:
        """The word spoken at the start of ``phase``, if any."""
        for kind, word in self.words:
            if kind is phase:
                return word
        return None

    @property
    def note_spacing(self) -> int:
        """Breaths from one note to the next: ``notes_every``, or about 90 s of the pattern."""
        if self.notes_every is not None:
            return self.notes_every
        return max(1, round(NOTE_SPACING / self.pattern.cycle_seconds))


Step = Say | Chime | Silence | Section | Breathe


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class Script:
    """A guided exercise, as loaded and validated from a TOML file.

    Attributes:
        id: short name used on the command line (``box``).
        title: the name shown to people.
        summary: one line saying what it is.
        category: breathe, ground, move or social.
        steps: what happens, in order.
        minutes: the default session length, for scripts with a block that fills it.
        about: what it is good for, a few sentences.
        safety: a gentle safety note, shown before starting.
        source: the file it came from.
        shipped: True for scripts that come with the program.
        lang: the language it is written (and spoken) in: ``en``, ``es`` or ``de``.
    """

    id: str
    title: str
    summary: str
    category: Category
    steps: tuple[Step, ...]
    minutes: float | None = None
    about: str = ""
    safety: str = ""
    source: str = ""
    shipped: bool = True
    lang: str = "en"

    @property
    def breathing(self) -> tuple[Breathe, ...]:
        """The breathing blocks, in order."""
        return tuple(s for s in self.steps if isinstance(s, Breathe))

    @property
    def stretchable(self) -> bool:
        """True when ``--minutes``/``--breaths`` can change the length."""
        return any(b.fills for b in self.breathing)


class ClipKind(enum.StrEnum):
    """Where a clip's audio comes from, which is also its mixer group."""

    SPEECH = "speech"
    SOUND = "sound"


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class ClipRef:
    """Names the audio a cue plays: spoken text, or a sound asset by name."""

    kind: ClipKind
    key: str


class EventKind(enum.StrEnum):
    """What an event on the timeline marks."""

    STEP = "step"
    SECTION = "section"
    SAY = "say"
    WORD = "word"
    TONE = "tone"
    CHIME = "chime"
    PHASE = "phase"
    END = "end"


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class Event:
    """Something that happens at an exact frame of the session.

    Attributes:
        frame: onset, in frames from the start of the session.
        kind: what the event marks.
        text: the words spoken or shown, the sound's name, or the step's label.
        duration: frames it lasts (a phase, a step); 0 for instants.
        phase: the breathing phase it belongs to, if any.
        step: index of the step in the script.
        cycle: breathing cycle number (from 0) inside its block, if any.
        clip: the audio that starts at ``frame``, if any.
    """

    frame: int
    kind: EventKind
    text: str = ""
    duration: int = 0
    phase: PhaseKind | None = None
    step: int = 0
    cycle: int | None = None
    clip: ClipRef | None = None


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class StepSpan:
    """The frames a step occupies; skip jumps to the next span's start."""

    index: int
    start: int
    end: int
    kind: str
    title: str


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class SpokenVoice:
    """The voice a session spoke with (``ground render --timeline`` records it).

    Attributes:
        engine: the engine that spoke (``piper``, ``system``, ``espeak``; ``none``: captions).
        voice: the voice id it was asked for (None: the engine's default voice).
        language: the language that voice speaks (``es``), when known.
    """

    engine: str
    voice: str | None
    language: str | None


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class Timeline:
    """A whole session, compiled to integer frames at one sample rate.

    Attributes:
        script_id: the script it was compiled from.
        title: the script's title.
        sample_rate: frames per second.
        total_frames: length of the session.
        events: every event, sorted by frame (ties keep compile order).
        steps: the frame span of each step.
        breaths: how many breathing cycles the session holds.
        voice: the voice that spoke it, once a session has chosen one (None: not known).
    """

    script_id: str
    title: str
    sample_rate: int
    total_frames: int
    events: tuple[Event, ...]
    steps: tuple[StepSpan, ...]
    breaths: int = 0
    voice: SpokenVoice | None = None

    def cues(self) -> tuple[Event, ...]:
        """The events that start a clip, in onset order."""
        return tuple(e for e in self.events if e.clip is not None)

    @property
    def seconds(self) -> float:
        """Length in seconds."""
        return self.total_frames / self.sample_rate

    def next_boundary(self, frame: int) -> int:
        """The first step start after ``frame`` (or the end), for skip."""
        for span in self.steps:
            if span.start > frame:
                return span.start
        return self.total_frames

    def step_at(self, frame: int) -> StepSpan | None:
        """The step playing at ``frame``."""
        current = None
        for span in self.steps:
            if span.start <= frame:
                current = span
            else:
                break
        return current
