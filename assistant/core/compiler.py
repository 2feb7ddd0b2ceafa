"""Compile a script into a Timeline of integer frames (the timing contract, ARCHITECTURE.md §3).

Breathing blocks are a fixed grid: every phase onset is derived from the pattern's cumulative
seconds, rounded once, so rounding never accumulates into drift and speech never pushes the
grid. Narration is sequential: a step starts when the one before it ends. The words follow the
options: a step that does not apply (holds, a short session, the voice off) is left out, keeping
its index, and placeholders are filled from the seconds actually played.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.core.i18n import _, decimal_sign, ngettext, whole
from assistant.core.model import (
    MINUTES_RANGE,
    QUIET_LIMIT,
    Breathe,
    Chime,
    ClipKind,
    ClipRef,
    Event,
    EventKind,
    Pattern,
    PhaseKind,
    Say,
    Script,
    Section,
    Silence,
    Step,
    StepSpan,
    Timeline,
    value_type,
)
from assistant.core.wording import block_for, fill, ladder_names

#: The one sample rate every session runs at.
SAMPLE_RATE = 48_000
PACE_RANGE = (0.8, 1.25)

#: Frames of a clip, after its leading silence is trimmed.
ClipLengths = Callable[[ClipRef], int]

#: Words a minute a caption is read at when the voice is off. Brisk: a tones-only session is
#: for closed eyes, and its breathing should start soon (box: its first tone within 8 s).
READING_WPM = 250
#: The shortest time a caption is shown with the voice off, in seconds.
MIN_READING_SECONDS = 1.0


class LengthError(ValueError):
    """A requested length or option does not fit the script (a usage error, exit 2)."""


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class CompileOptions:
    """How to shape a session.

    Attributes:
        minutes: session length; only for scripts with a block that fills it.
        breaths: number of breaths in the filling blocks, instead of minutes.
        no_holds: leave out every breath hold.
        pace: scales breathing phases (1.25 is slower, 0.8 quicker).
        sample_rate: frames per second.
        voice: False when the voice is off (tones only): optional steps are left out, and a
            ``say`` lasts only its pause (at least :data:`MIN_GLANCE_SECONDS`), so the tones
            start soon; its caption stays on screen for its reading time
            (:func:`reading_seconds`) unless the next words replace it.
    """

    minutes: float | None = None
    breaths: int | None = None
    no_holds: bool = False
    pace: float = 1.0
    sample_rate: int = SAMPLE_RATE
    voice: bool = True


def speech_ref(text: str) -> ClipRef:
    """The clip that speaks ``text``."""
    return ClipRef(ClipKind.SPEECH, text)


def sound_ref(name: str) -> ClipRef:
    """The sound asset called ``name``."""
    return ClipRef(ClipKind.SOUND, name)


def compile_timeline(
    script: Script, lengths: ClipLengths, options: CompileOptions | None = None
) -> Timeline:
    """Turn ``script`` into a Timeline.

    Args:
        script: a validated script.
        lengths: frames of each clip the script plays (after trimming leading silence).
        options: length, holds and pace.

    Returns:
        Every event at its exact frame.

    Raises:
        LengthError: the options ask for something this script cannot do.
    """
    opts = options or CompileOptions()
    _check_options(opts)
    patterns = {id(step): _played(step, opts) for step in script.steps if isinstance(step, Breathe)}
    said = step_texts(script, opts)
    cycles = _plan_cycles(script, lengths, opts, patterns, said)

    events: list[Event] = []
    spans: list[StepSpan] = []
    frame = 0
    for index, step in enumerate(script.steps):
        if not plays(script, index, opts):
            continue
        if isinstance(step, Section):
            events.append(Event(frame, EventKind.SECTION, step.title, step=index))
            continue
        title = said[index][0] if isinstance(step, Say) else _title(step)
        events.append(Event(frame, EventKind.STEP, title, step=index))
        if isinstance(step, Breathe):
            pattern = patterns[id(step)]
            end = _emit_block(events, step, pattern, cycles[id(step)], frame, index, opts)
            _emit_notes(events, step, pattern, cycles[id(step)], frame, index, opts, lengths)
            kind = "breathe"
        else:
            end, kind = _emit_step(events, step, title, frame, index, lengths, opts)
        spans.append(StepSpan(index, frame, end, kind, title))
        frame = end
    events.append(Event(frame, EventKind.END, "end", step=len(script.steps)))
    ordered = sorted(enumerate(events), key=lambda item: (item[1].frame, item[0]))
    return Timeline(
        script_id=script.id,
        title=script.title,
        sample_rate=opts.sample_rate,
        total_frames=frame,
        events=tuple(event for _, event in ordered),
        steps=tuple(spans),
        breaths=sum(cycles.values()),
    )


def _check_options(opts: CompileOptions) -> None:
    """Refuse options no script can play (a pace out of range, both minutes and breaths)."""
    low, high = PACE_RANGE
    if not low <= opts.pace <= high:
        raise LengthError(
            _("pace must be between {low} and {high} (got {pace})").format(
                low=decimal_sign(str(low)),
                high=decimal_sign(str(high)),
                pace=decimal_sign(str(opts.pace)),
            )
        )
    if opts.minutes is not None and opts.breaths is not None:
        raise LengthError(_("give either minutes or breaths, not both"))


def _emit_step(
    events: list[Event],
    step: Say | Chime | Silence,
    title: str,
    start: int,
    index: int,
    lengths: ClipLengths,
    opts: CompileOptions,
) -> tuple[int, str]:
    """Add the events of a step of narration from frame ``start``.

    Returns:
        The frame where the step ends (the next one starts), and the step's kind for its span.
    """
    rate = opts.sample_rate
    if isinstance(step, Say):
        clip = speech_ref(title)
        length = _caption_frames(title, lengths, opts)
        events.append(Event(start, EventKind.SAY, title, length, step=index, clip=clip))
        return start + _say_frames(step, length, opts), "say"
    if isinstance(step, Chime):
        clip = sound_ref(step.sound)
        length = lengths(clip)
        events.append(Event(start, EventKind.CHIME, step.sound, length, step=index, clip=clip))
        return start + length + _frames(step.pause, rate), "chime"
    return start + _frames(step.seconds, rate), "pause"


def plays(script: Script, index: int, options: CompileOptions | None = None) -> bool:
    """Whether step ``index`` is part of a session with ``options``.

    A step with ``when`` plays only with (or only without) the holds; an optional step is left
    out when the session is short (:func:`is_short`) or the voice is off.
    """
    opts = options or CompileOptions()
    step = script.steps[index]
    if isinstance(step, Breathe):
        return True
    if step.when is not None and not step.when.applies(no_holds=opts.no_holds):
        return False
    optional = not isinstance(step, Section) and step.optional
    return not (optional and (is_short(script, opts) or not opts.voice))


def is_short(script: Script, options: CompileOptions) -> bool:
    """Whether the session is asked to be shorter than the script's usual ``minutes``.

    It depends only on what was asked for, never on how long the voice takes, so every compile
    of one session (the quick first one and the complete one) leaves out the same steps.
    """
    return (
        options.minutes is not None
        and script.minutes is not None
        and options.minutes < script.minutes
    )


def step_texts(
    script: Script, options: CompileOptions | None = None
) -> tuple[tuple[str, ...], ...]:
    """What each step says in a session with ``options``, by step index (empty: nothing).

    A ``say`` comes with its placeholders filled in; a breathing block gives its cue words.
    """
    opts = options or CompileOptions()
    out: list[tuple[str, ...]] = []
    for index, step in enumerate(script.steps):
        if not plays(script, index, opts):
            out.append(())
        elif isinstance(step, Say):
            out.append((_fill(script, index, _unfilled(step), opts),))
        elif isinstance(step, Breathe):
            present = {kind for kind, _ in _played(step, opts).phases()}
            out.append(tuple(word for kind, word in step.words if kind in present) + step.notes)
        else:
            out.append(())
    return tuple(out)


def spoken_texts(script: Script, options: CompileOptions | None = None) -> tuple[str, ...]:
    """Every distinct text the voice speaks in a session with ``options``, in first-use order."""
    return tuple(dict.fromkeys(text for texts in step_texts(script, options) for text in texts))


def _fill(script: Script, index: int, text: str, opts: CompileOptions) -> str:
    """``text`` with ``{inhale}`` and the like spelled from the seconds its block plays."""
    if "{" not in text:
        return text
    block = block_for(script.steps, index)
    if block is None:
        return text
    seconds = {kind: secs * opts.pace for kind, secs in _played(block, opts).phases()}
    return fill(text, seconds, script.lang)


def _played(block: Breathe, opts: CompileOptions) -> Pattern:
    """The block's pattern as this session plays it (holds left out with ``no_holds``)."""
    return block.pattern.without_holds() if opts.no_holds else block.pattern


def _title(step: Step) -> str:
    if isinstance(step, Say):
        return step.text
    if isinstance(step, Chime):
        return step.sound
    if isinstance(step, Silence):
        return "pause"
    if isinstance(step, Section):
        return step.title
    return step.label


def _frames(seconds: float, rate: int) -> int:
    return round(seconds * rate)


#: With the voice off, a ``say`` step lasts at least this long (its caption stays longer).
MIN_GLANCE_SECONDS = 1.0


def reading_seconds(text: str) -> float:
    """How long a caption is shown when the voice is off: its words at :data:`READING_WPM`."""
    return max(MIN_READING_SECONDS, len(text.split()) * 60 / READING_WPM)


def _caption_frames(text: str, lengths: ClipLengths, opts: CompileOptions) -> int:
    """A ``say``'s own frames: its clip's, or with the voice off its reading time (no clip's
    length counts then, so a voice-off session's timing needs no speech at all)."""
    if opts.voice:
        return lengths(speech_ref(text))
    return _frames(reading_seconds(text), opts.sample_rate)


def _say_frames(step: Say, length: int, opts: CompileOptions) -> int:
    """The frames a ``say`` step takes: its words, then its pause; with the voice off only its
    pause (time to do what it asks), at least a glance: nothing is being said to wait for, and
    a person listening to the tones with closed eyes should not sit through the words' time
    in silence."""
    pause = _frames(step.pause, opts.sample_rate)
    if opts.voice:
        return length + pause
    return max(pause, _frames(MIN_GLANCE_SECONDS, opts.sample_rate))


def _phase_onsets(
    pattern: Pattern, cycles: int, pace: float, rate: int
) -> list[tuple[int, int, PhaseKind, int]]:
    """(cycle, onset, phase, end) of every phase in a block, relative to the block start.

    Onsets come from cumulative seconds so the grid never drifts, and the last cycle ends on
    the exhale (its trailing hold is dropped) so a session always ends on a whole breath.
    """
    out: list[tuple[int, int, PhaseKind, int]] = []
    elapsed = 0.0
    for cycle in range(cycles):
        phases = pattern.phases()
        if cycle == cycles - 1:
            phases = tuple(p for p in phases if p[0] is not PhaseKind.HOLD_AFTER_EXHALE)
        for kind, secs in phases:
            onset = round(elapsed * pace * rate)
            elapsed += secs
            out.append((cycle, onset, kind, round(elapsed * pace * rate)))
    return out


def _block_frames(pattern: Pattern, cycles: int, pace: float, rate: int) -> int:
    seconds = cycles * pattern.cycle_seconds - pattern.hold_after_exhale
    return round(seconds * pace * rate)


def _emit_block(
    events: list[Event],
    block: Breathe,
    pattern: Pattern,
    cycles: int,
    start: int,
    index: int,
    opts: CompileOptions,
) -> int:
    for cycle, onset, kind, end in _phase_onsets(pattern, cycles, opts.pace, opts.sample_rate):
        at = start + onset
        events.append(Event(at, EventKind.PHASE, kind.english, end - onset, kind, index, cycle))
        word = block.word_for(kind)
        if word and (block.words_for is None or cycle < block.words_for):
            events.append(
                Event(at, EventKind.WORD, word, 0, kind, index, cycle, clip=speech_ref(word))
            )
        if block.tones:
            events.append(
                Event(
                    at, EventKind.TONE, kind.tone, 0, kind, index, cycle, clip=sound_ref(kind.tone)
                )
            )
    return start + _block_frames(pattern, cycles, opts.pace, opts.sample_rate)


def _plan_cycles(
    script: Script,
    lengths: ClipLengths,
    opts: CompileOptions,
    patterns: dict[int, Pattern],
    said: tuple[tuple[str, ...], ...],
) -> dict[int, int]:
    """Number of cycles of every breathing block, keyed by ``id(step)``."""
    rate = opts.sample_rate
    fills = [s for s in script.breathing if s.fills]
    if not fills and (opts.minutes is not None or opts.breaths is not None):
        raise LengthError(
            _(
                "'{script}' has a fixed length; minutes and breaths only apply to scripts "
                "with an open-ended breathing part (see `ground list`)"
            ).format(script=script.id)
        )
    plan = {id(s): s.cycles for s in script.breathing if s.cycles is not None}
    if not fills:
        return plan
    if opts.breaths is not None:
        if opts.breaths < len(fills):
            raise LengthError(
                ngettext(
                    "'{script}' needs at least {count} breath",
                    "'{script}' needs at least {count} breaths",
                    len(fills),
                ).format(script=script.id, count=whole(len(fills)))
            )
        plan.update(_share_breaths(fills, opts.breaths))
        _check_breaths(script, opts, patterns, plan, fills)
        return plan

    minutes = opts.minutes if opts.minutes is not None else script.minutes
    if minutes is None:  # the loader guarantees this for fill scripts
        raise LengthError(_("'{script}' needs a length in minutes").format(script=script.id))
    low, high = MINUTES_RANGE
    if not low <= minutes <= high:
        raise LengthError(
            _("minutes must be between {low} and {high}").format(
                low=decimal_sign(f"{low:g}"), high=decimal_sign(f"{high:g}")
            )
        )
    fixed = 0
    for index, step in enumerate(script.steps):
        if not plays(script, index, opts):
            continue
        if isinstance(step, Say):
            fixed += _say_frames(step, _caption_frames(said[index][0], lengths, opts), opts)
        elif isinstance(step, Chime):
            fixed += lengths(sound_ref(step.sound)) + _frames(step.pause, rate)
        elif isinstance(step, Silence):
            fixed += _frames(step.seconds, rate)
        elif isinstance(step, Breathe) and step.cycles is not None:
            fixed += _block_frames(patterns[id(step)], step.cycles, opts.pace, rate)
    plan.update(_share_frames(fills, patterns, max(0.0, minutes * 60 * rate - fixed), opts))
    return plan


def _check_breaths(
    script: Script,
    opts: CompileOptions,
    patterns: dict[int, Pattern],
    plan: dict[int, int],
    fills: list[Breathe],
) -> None:
    """Refuse a number of breaths whose breathing alone is longer than the longest session.

    Checked before any event is built: a huge number would otherwise fill memory.
    """
    high = MINUTES_RANGE[1]
    seconds = sum(plan[id(b)] * patterns[id(b)].cycle_seconds * opts.pace for b in fills)
    if seconds > high * 60:
        per_breath = seconds / max(1, sum(plan[id(b)] for b in fills))
        most = int(high * 60 / per_breath)
        raise LengthError(
            ngettext(
                "that many breaths would take more than {minutes} minutes, the longest session; "
                "'{script}' fits at most {count} breath",
                "that many breaths would take more than {minutes} minutes, the longest session; "
                "'{script}' fits at most {count} breaths",
                most,
            ).format(minutes=decimal_sign(f"{high:g}"), script=script.id, count=whole(most))
        )


def _cap(block: Breathe, cycles: int) -> int:
    cycles = max(1, cycles)
    return min(cycles, block.max_cycles) if block.max_cycles else cycles


# -- what several filling blocks share, and the notes said during a block -----------------------


def _wanted(pattern: Pattern, frames: float, opts: CompileOptions) -> int:
    """Whole cycles of ``pattern`` nearest to ``frames`` (its last trailing hold is dropped)."""
    cycle = pattern.cycle_seconds * opts.pace * opts.sample_rate
    trailing = pattern.hold_after_exhale * opts.pace * opts.sample_rate
    return max(1, round((frames + trailing) / cycle))


def _share_frames(
    fills: list[Breathe], patterns: dict[int, Pattern], budget: float, opts: CompileOptions
) -> dict[int, int]:
    """Cycles of each filling block: ``budget`` frames shared equally, and the time a block
    capped by ``max_cycles`` cannot use shared among the others (``now``: a few sighs, then
    slower breaths for the rest)."""
    plan: dict[int, int] = {}
    open_ = list(fills)
    while open_:
        share = budget / len(open_)
        capped = [
            b
            for b in open_
            if b.max_cycles and _wanted(patterns[id(b)], share, opts) > b.max_cycles
        ]
        if not capped or len(capped) == len(open_):
            break
        for block in capped:
            plan[id(block)] = block.max_cycles or 1
            budget -= _block_frames(
                patterns[id(block)], plan[id(block)], opts.pace, opts.sample_rate
            )
            open_.remove(block)
        budget = max(0.0, budget)
    for block in open_:
        plan[id(block)] = _cap(block, _wanted(patterns[id(block)], budget / len(open_), opts))
    return plan


def _share_breaths(fills: list[Breathe], breaths: int) -> dict[int, int]:
    """``breaths`` shared among the filling blocks as :func:`_share_frames` shares time."""
    plan: dict[int, int] = {}
    open_ = list(fills)
    while open_:
        share, extra = divmod(breaths, len(open_))
        wanted = {id(b): share + (1 if n < extra else 0) for n, b in enumerate(open_)}
        capped = [b for b in open_ if b.max_cycles and wanted[id(b)] > b.max_cycles]
        if not capped or len(capped) == len(open_):
            break
        for block in capped:
            plan[id(block)] = block.max_cycles or 1
            breaths -= plan[id(block)]
            open_.remove(block)
    share, extra = divmod(breaths, len(open_)) if open_ else (0, 0)
    for n, block in enumerate(open_):
        plan[id(block)] = _cap(block, share + (1 if n < extra else 0))
    return plan


def _unfilled(step: Say) -> str:
    """What a ``say`` says when nothing has filled in its ladder placeholders: its
    ``otherwise`` (``ladder.personalise`` fills them in for a step, and drops ``otherwise``)."""
    if step.otherwise is not None and ladder_names(step.text):
        return step.otherwise
    return step.text


def note_cycles(block: Breathe, cycles: int) -> list[tuple[int, str]]:
    """(cycle, note) for each note said in a block of ``cycles`` breaths.

    Every ``note_spacing`` breaths, in the list's order and round again; never in the last
    breath, which the talk after the block follows at once.
    """
    if not block.notes:
        return []
    every = block.note_spacing
    return [
        (cycle, block.notes[(cycle // every - 1) % len(block.notes)])
        for cycle in range(every, cycles - 1, every)
    ]


def _emit_notes(
    events: list[Event],
    block: Breathe,
    pattern: Pattern,
    cycles: int,
    start: int,
    index: int,
    opts: CompileOptions,
    lengths: ClipLengths,
) -> None:
    """The block's notes, each spoken in the breath out of its cycle, after the tone and any
    cue word there; the grid is never moved (a note too long for its breath out runs on, and
    ``ground check`` says so)."""
    planned = dict(note_cycles(block, cycles))
    if not planned:
        return
    for cycle, onset, kind, _end in _phase_onsets(pattern, cycles, opts.pace, opts.sample_rate):
        if kind is not PhaseKind.EXHALE or cycle not in planned:
            continue
        after = lengths(ClipRef(ClipKind.SOUND, kind.tone)) if block.tones else 0
        word = block.word_for(kind)
        if word and (block.words_for is None or cycle < block.words_for):
            after = max(after, lengths(ClipRef(ClipKind.SPEECH, word)))
        text = planned[cycle]
        clip = ClipRef(ClipKind.SPEECH, text)
        at = start + onset + after
        events.append(Event(at, EventKind.SAY, text, lengths(clip), kind, index, cycle, clip=clip))


def is_note(event: Event) -> bool:
    """Whether ``event`` is a block's note (a sentence said inside a breathing block)."""
    return event.kind is EventKind.SAY and event.cycle is not None


def quiet_stretches(timeline: Timeline, limit: float = QUIET_LIMIT) -> list[tuple[int, int]]:
    """(start, end) frames of every stretch longer than ``limit`` seconds without a spoken
    sentence: from the end of one ``say`` or note (or the session's start) to the start of the
    next (or the session's end). Breath words do not count as sentences."""
    longest = round(limit * timeline.sample_rate)
    out = []
    after = 0
    for event in timeline.events:
        if event.kind is not EventKind.SAY:
            continue
        if event.frame - after > longest:
            out.append((after, event.frame))
        after = max(after, event.frame + event.duration)
    if timeline.total_frames - after > longest:
        out.append((after, timeline.total_frames))
    return out


def note_overruns(timeline: Timeline) -> list[tuple[Event, int]]:
    """Each note that runs past its breath out, with the frames that breath out leaves it."""
    out = []
    ends: dict[tuple[int, int | None], int] = {}
    for event in timeline.events:
        if event.kind is EventKind.PHASE:
            key = (event.step, event.cycle)
            ends[key] = max(ends.get(key, 0), event.frame + event.duration)
    for event in timeline.events:
        if is_note(event):
            end = ends.get((event.step, event.cycle), event.frame)
            if event.frame + event.duration > end:
                out.append((event, max(0, end - event.frame)))
    return out
