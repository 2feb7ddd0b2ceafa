"""``ground list`` and ``ground check``: the scripts there are, and problems in script files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assistant.cli.errors import EXIT_OK, EXIT_USAGE
from assistant.cli.wording import one_decimal
from assistant.core.i18n import N_, _, ngettext, pgettext
from assistant.core.loader import Problem, check_script
from assistant.core.model import Category, Event, EventKind, Script, length_text, whole_seconds
from assistant.core.support import FIRST_HEADING, PANIC_SCRIPT
from assistant.storage.settings import Settings, load_settings


def category_heading(category: Category) -> str:
    """A category's heading in ``ground list``, in the person's language: the words Home's list
    uses (the "category" context keeps "Move" apart from the ladder's move keys)."""
    return {
        Category.BREATHE: pgettext("category", "Breathe"),
        Category.GROUND: pgettext("category", "Ground"),
        Category.MOVE: pgettext("category", "Move"),
        Category.SOCIAL: pgettext("category", "Social"),
    }[category]


def planned_seconds(settings: Settings, script: Script) -> float | None:
    """How long ``script`` plays with ``settings``: the length ``ground list`` shows (and a
    session counts down from), None when these settings do not fit it."""
    from assistant.core.compiler import LengthError
    from assistant.session import listed_seconds

    try:
        return listed_seconds(settings, script)
    except LengthError:
        return None


def list_scripts(args: argparse.Namespace) -> int:
    """Shipped and user scripts, with broken user files shown rather than hidden."""
    from assistant.session import listed_seconds, listed_seconds_key
    from assistant.storage.script_cache import cached_library

    library, cache = cached_library()
    # Lengths as they will play: the person's pace, holds, voice and speaking rate.
    settings, _notice = load_settings()
    order = list(Category)
    # The panic script first, under a heading of its own: the easiest to find in a hard moment.
    scripts = sorted(
        library.scripts.values(), key=lambda s: (not _first(s), order.index(s.category), s.id)
    )
    key = listed_seconds_key(settings)  # kept with each file's entry in the script cache
    seconds = {s.id: cache.derived(s, key, lambda s: listed_seconds(settings, s)) for s in scripts}
    cache.save()
    if args.json:
        payload = {
            "scripts": [
                {
                    "id": s.id,
                    "title": s.title,
                    "summary": s.summary,
                    "category": s.category.value,
                    "seconds": whole_seconds(seconds[s.id]),
                    "adjustable_length": s.stretchable,
                    "shipped": s.shipped,
                    "source": s.source,
                    "lang": s.lang,
                }
                for s in scripts
            ],
            "problems": [
                {"path": p.path, "line": p.line, "message": p.message} for p in library.problems
            ],
        }
        print(json.dumps(payload, indent=1, ensure_ascii=False))
        return EXIT_OK
    heading = None
    for script in scripts:
        group = _(FIRST_HEADING) if _first(script) else category_heading(script.category)
        if group != heading:
            heading = group
            print(f"\n{heading}")
        length = length_text(seconds[script.id])
        # Their own scripts are shown in any language: one not in theirs says which it is.
        if script.shipped:
            mark = ""
        elif script.lang == library.lang:
            mark = " " + _("(yours)")
        else:
            # TRANSLATORS: a script of the person's own in another language: {lang} is its tag.
            mark = " " + _("(yours, {lang})").format(lang=script.lang)
        print(f"  {script.id:<18} {length:>7}  {script.title}{mark} — {script.summary}")
    if library.problems:
        print("\n" + _("Could not load (fix and run `ground check`):"))
        for problem in library.problems:
            print(f"  {problem}")
    print()
    return EXIT_OK


def _first(script: Script) -> bool:
    """Whether ``script`` is listed before every category (as on Home)."""
    return script.shipped and script.id == PANIC_SCRIPT


def check(args: argparse.Namespace) -> int:
    """Validate script files; ``file:line: message`` per problem, exit 2 if any error."""
    files: list[Path] = []
    for raw in args.paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(path.glob("*.toml"))
            if not found:
                print(_("{folder}: no .toml files here").format(folder=path))
            files.extend(found)
        else:
            files.append(path)
    errors = 0
    settings: Settings | None = None
    voiced: dict[str, bool] = {}  # by language, asked once for all the files (may start an engine)
    for path in files:
        script, problems = check_script(path)
        if script is not None and settings is None:
            settings, _notice = load_settings()  # lengths as `ground list` gives them
        if script is not None and settings is not None:
            problems = problems + _cue_warnings(script) + _guidance_warnings(settings, script)
            problems += _voice_warnings(script, voiced)
        for problem in problems:
            print(problem)
        errors += sum(1 for p in problems if not p.warning)
        if script is not None and settings is not None:
            seconds = planned_seconds(settings, script)
            if seconds is not None:
                # TRANSLATORS: a script that checked well; {length} is e.g. 2:56.
                said = _("{file}: ok — {title}, {length} long")
            else:
                said = _("{file}: ok — {title}, length unknown")
            length = length_text(seconds) if seconds is not None else ""
            print(said.format(file=path, title=script.title, length=length))
    if errors:
        summary = ngettext("{count} problem found.", "{count} problems found.", errors)
        print(summary.format(count=errors), file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK if files else EXIT_USAGE


def _voice_warnings(script: Script, voiced: dict[str, bool]) -> list[Problem]:
    """A script in a language no voice here speaks (English always has the default voice)."""
    from assistant.core.i18n import language_label
    from assistant.session.voice import language_has_voice

    if script.lang == "en":
        return []
    if script.lang not in voiced:
        voiced[script.lang] = language_has_voice(script.lang)
    if voiced[script.lang]:
        return []
    message = _(
        "no voice installed here speaks {language}, so another language's voice would say its "
        "words; install espeak-ng, or add a Piper voice in {language}: ground voices add NAME.onnx"
    ).format(language=language_label(script.lang))
    return [Problem(script.source, 0, message, warning=True)]


def _cue_warnings(script: Script) -> list[Problem]:
    """A spoken word that takes longer than its phase would talk over the next one."""
    from assistant.session import estimate_timeline, speech_frames

    timeline = estimate_timeline(script)
    rate = timeline.sample_rate
    lines = {i: getattr(step, "line", 0) for i, step in enumerate(script.steps)}
    warned: set[tuple[int, str]] = set()
    out = []
    phases = {(e.step, e.frame): e for e in timeline.events if e.kind is EventKind.PHASE}
    for event in timeline.events:
        if event.kind is not EventKind.WORD or (event.step, event.text) in warned:
            continue
        phase = phases.get((event.step, event.frame))
        spoken = speech_frames(event.text)
        if phase is not None and spoken > phase.duration:
            warned.add((event.step, event.text))
            out.append(
                Problem(
                    script.source,
                    lines[event.step],
                    _cue_message(event, spoken / rate, phase.duration / rate),
                    warning=True,
                )
            )
    return out


# TRANSLATORS: {phase} is the phase as a script file names it (inhale, hold, exhale…).
_CUE_WARNINGS = N_(
    "the word '{word}' takes about {said} s to say but the {phase} lasts {lasts} s; "
    "use a shorter word"
)
_CUE_WARNING_ANY = N_(
    "the word '{word}' takes about {said} s to say but the phase lasts {lasts} s; "
    "use a shorter word"
)


def _cue_message(event: Event, said: float, lasts: float) -> str:
    """The warning for a word longer than its phase (``{phase}``: the file's own name)."""
    words = {"word": event.text, "said": one_decimal(said), "lasts": one_decimal(lasts)}
    if event.phase is None:
        return _(_CUE_WARNING_ANY).format(**words)
    return _(_CUE_WARNINGS).format(phase=event.phase.value, **words)


def _guidance_warnings(settings: Settings, script: Script) -> list[Problem]:
    """Long stretches without a spoken sentence, and notes too long for their breath out.

    Speech is measured as ``ground list`` measures it: the clips the voice in use has already
    said (a session, ``ground warm``, ``ground render``), estimates for the rest; so a note that
    the natural voice takes longer to say than the estimate is caught once its clip exists.
    """
    from dataclasses import replace

    from assistant.core.loader import guidance_warnings
    from assistant.session import planned_timeline, request_for

    request = request_for(settings, script)
    return guidance_warnings(
        script, lambda options: planned_timeline(replace(request, options=options))
    )
