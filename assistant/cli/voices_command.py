"""``ground voices`` (every engine's voices, or a preview) and ``ground warm`` (fill the cache).

Imported only when one of these commands runs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from assistant.cli.errors import EXIT_FAILURE, EXIT_OK, UsageError
from assistant.cli.wording import whole
from assistant.core.i18n import _, ngettext
from assistant.storage.paths import cache_dir
from assistant.storage.settings import load_settings

if TYPE_CHECKING:
    from assistant.session import Warmed
    from assistant.session.voice import EngineVoices, Voice, VoiceLibrary


def voices_command(args: argparse.Namespace) -> int:
    """List voices (``--json`` for machines), say ``--say TEXT`` with one, or ``add`` one."""
    if getattr(args, "voices_action", None) == "add":
        return add_voice_command(args)
    if args.say is not None:
        return preview(args)
    if args.voice:
        raise UsageError(_('--voice goes with --say: ground voices --say "Breathe in." --voice ID'))
    from assistant.session import voices_of

    listing, library = voices_of((args.engine,) if args.engine else None)
    listing = natural_first(listing)
    if args.json:  # every voice of every engine, whatever the language
        print(json.dumps(_as_json(listing, library), indent=1, ensure_ascii=False))
        return EXIT_OK
    if not args.engine or args.engine == "auto":
        from assistant.session import automatic_voice

        choice = automatic_voice(library)
        print(f"auto: {choice.describe()}")
        if choice.hint:
            print(choice.hint)
        print()
    wanted = None if args.all else your_languages()
    left_out = sum(_print_group(group, wanted) for group in listing)
    _print_footer(left_out, library)
    return EXIT_OK


def _print_group(group: EngineVoices, wanted: tuple[str, ...] | None) -> int:
    """Print one engine's heading and voices (those of ``wanted`` languages, or every one when
    None); returns how many were left out."""
    if group.problem:
        print(
            _("{engine}: not available here — {problem}").format(
                engine=group.engine, problem=group.problem
            )
        )
        return 0
    count = len(group.voices)
    shown = [v for v in group.voices if wanted is None or _speaks(group.engine, v, wanted)]
    if len(shown) < count:
        # TRANSLATORS: {languages} is "English", or "in en or es" (language tags).
        heading = ngettext(
            "{engine} ({count} voice, {shown} of them {languages})",
            "{engine} ({count} voices, {shown} of them {languages})",
            count,
        )
    else:
        heading = ngettext("{engine} ({count} voice)", "{engine} ({count} voices)", count)
    print(
        heading.format(
            engine=group.engine,
            count=whole(count),
            shown=len(shown),
            languages=_language_names(wanted),
        )
    )
    languages = [", ".join(voice.languages[:2]) or "?" for voice in shown]
    id_width = max((len(voice.id) for voice in shown), default=0)
    language_width = max(map(len, languages), default=0)
    for voice, language in zip(shown, languages, strict=True):
        extra = " · ".join(
            part
            for part in (
                voice.quality and _("quality {quality}").format(quality=voice.quality),
                voice.source,
                voice.licence and _("licence {licence}").format(licence=voice.licence),
            )
            if part
        )
        print(f"  {voice.id:<{id_width}}  {language:<{language_width}}  {extra}".rstrip())
    print()
    return count - len(shown)


def _print_footer(left_out: int, library: VoiceLibrary) -> None:
    """The lines under the listing: the voices left out, where one's own go, how to hear one."""
    if left_out:
        more = ngettext(
            "{count} more voice in other languages: `ground voices --all` lists every one.",
            "{count} more voices in other languages: `ground voices --all` lists every one.",
            left_out,
        )
        print(more.format(count=whole(left_out)))
    if library.folder is not None:
        print(
            _("Your own Piper voices go in {folder} (NAME.onnx with NAME.onnx.json).").format(
                folder=library.folder
            )
        )
    print(_('Hear one: ground voices --say "Breathe in." --voice ID'))


#: Engines whose voices are natural (neural): listed first, every one of them.
NATURAL = ("piper",)


def natural_first(listing: list[EngineVoices]) -> list[EngineVoices]:
    """The natural voices' engines first, the others in their own order."""
    return sorted(listing, key=lambda group: group.engine not in NATURAL)


def your_languages(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The languages whose system voices a listing shows: English (every shipped script is in
    English) and the language of the person's locale, if another."""
    env = os.environ if environ is None else environ
    locale = next((env[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(name)), "")
    language = locale.split(".")[0].split("_")[0].split("@")[0].lower()
    if language in ("", "c", "posix", "en") or not language.isalpha():
        return ("en",)
    return ("en", language)


def _speaks(engine: str, voice: Voice, languages: tuple[str, ...]) -> bool:
    """Whether ``voice`` is one to list by default: a natural one, or one of ``languages``."""
    if engine in NATURAL:
        return True
    return any(tag.lower().split("-")[0] in languages for tag in voice.languages)


def _language_names(languages: tuple[str, ...] | None) -> str:
    from assistant.core.i18n import language_label

    tags = languages or ()
    if tags == ("en",):
        return language_label("en")
    if len(tags) == 2:  # English and the person's own
        return _("in {first} or {second}").format(first=tags[0], second=tags[1])
    return _("in {languages}").format(languages=", ".join(tags))


def add_voice_command(args: argparse.Namespace) -> int:
    """``ground voices add FILE.onnx``: check a downloaded Piper voice and install it."""
    from pathlib import Path

    from assistant.core.i18n import language_label
    from assistant.core.safe import one_line
    from assistant.session.voice import VoiceNotAdded, add_voice

    try:
        added = add_voice(Path(args.file), replace=args.replace, say=print)
    except VoiceNotAdded as exc:
        raise UsageError(str(exc)) from None
    lang = added.lang
    print(
        _("Installed the Piper voice {name} ({language}) in {folder}.").format(
            name=one_line(added.id),
            language=language_label(lang) if lang else one_line(added.language),
            folder=added.model.parent,
        )
    )
    if added.pace_unsaved is not None:
        print(added.pace_unsaved, file=sys.stderr)
    if not added.loaded:
        print(
            _(
                "Piper is not installed, so it is not used yet: "
                "pip install 'grounding-assistant[piper]'"
            )
        )
    elif lang:
        print(
            _("Scripts in {language} now speak with it when the voice is Automatic.").format(
                language=language_label(lang)
            )
        )
    return EXIT_OK


def _as_json(listing: list[EngineVoices], library: VoiceLibrary) -> dict[str, Any]:
    from assistant.session import automatic_voice

    choice = automatic_voice(library)
    return {
        "automatic": {**asdict(choice), "label": choice.describe()},
        "engines": [
            {
                "engine": group.engine,
                "available": group.problem is None,
                "problem": group.problem,
                "voices": [{"engine": group.engine, **asdict(v)} for v in group.voices],
            }
            for group in listing
        ],
        "voices_folder": str(library.folder) if library.folder is not None else None,
    }


def preview(args: argparse.Namespace) -> int:
    """Say one sentence with the chosen engine and voice, through the sound card."""
    from assistant.cli.shared import request_from_args
    from assistant.session import PREVIEW, preview_script
    from assistant.session.preview import VoicePreview
    from assistant.sound.quiet import quiet_c_stderr

    settings, notice = load_settings()
    text = args.say.strip() or PREVIEW
    request = request_from_args(preview_script(text), args, settings)
    with quiet_c_stderr():
        voice = VoicePreview()
        try:
            notices = voice.play(voice.prepare(request, text)) or []
            for line in [*([notice] if notice else []), *notices]:
                print(line, file=sys.stderr)
            print(f"  {text}")
            while not voice.wait(0.1):
                pass
        finally:
            voice.close()
    return EXIT_OK


def warm_command(args: argparse.Namespace) -> int:
    """Render every spoken phrase of the scripts (all by default) into the cache."""
    if args.background:
        return _warm_in_background(args)
    if args.detached:
        with contextlib.suppress(OSError):
            os.nice(10)  # never compete with a session that is playing
    from assistant.cli.shared import find_script, load_scripts, request_from_args
    from assistant.session import phrases_to_warm, preview_script, warm_texts

    settings, notice = load_settings()
    if notice:
        print(notice, file=sys.stderr)
    library = load_scripts()
    scripts = [find_script(library, ref) for ref in args.scripts] or list(library.scripts.values())
    request = request_from_args(scripts[0] if scripts else preview_script(), args, settings)
    texts = phrases_to_warm(scripts, request)
    if request.engine == "none":
        print(_("Nothing to prepare: the speech engine is `none`."))
        return EXIT_OK
    show_bar = not args.detached and (args.progress or sys.stderr.isatty())
    done = warm_texts(
        request,
        texts,
        detached=args.detached,
        say=lambda line: print(line, file=sys.stderr),
        progress=lambda what, total: ProgressBar(_preparing(what), total) if show_bar else None,
    )
    if done is None or done.superseded:
        return EXIT_OK
    if args.quiet_if_ready and not done.rendered and not done.failed:
        return EXIT_OK
    return _report_warmed(done)


def _report_warmed(done: Warmed) -> int:
    """Say what a warm did: the phrases that could not be saved, or how many are ready."""
    if done.unsaved:
        # Rendered, but nothing kept: "ready" would be untrue, and the next session waits.
        error = done.unsaved[0]
        unsaved = ngettext(
            "the voice works, but {count} phrase could not be saved in {folder} ({why}); "
            "check that folder, or delete it and ground makes it again",
            "the voice works, but {count} phrases could not be saved in {folder} ({why}); "
            "check that folder, or delete it and ground makes it again",
            len(done.unsaved),
        )
        why = error.strerror or error
        folder = cache_dir() / "clips"
        print(
            "ground: " + unsaved.format(count=whole(len(done.unsaved)), folder=folder, why=why),
            file=sys.stderr,
        )
        return EXIT_FAILURE
    if done.failed:
        ready = ngettext(
            "{engine} ({voice}): {count} phrase ready — {rendered} rendered now, "
            "{cached} already cached, {failed} failed.",
            "{engine} ({voice}): {count} phrases ready — {rendered} rendered now, "
            "{cached} already cached, {failed} failed.",
            done.phrases,
        )
    else:
        ready = ngettext(
            "{engine} ({voice}): {count} phrase ready — {rendered} rendered now, "
            "{cached} already cached.",
            "{engine} ({voice}): {count} phrases ready — {rendered} rendered now, "
            "{cached} already cached.",
            done.phrases,
        )
    print(
        ready.format(
            engine=done.engine,
            voice=done.voice or _("default voice"),
            count=whole(done.phrases),
            rendered=done.rendered,
            cached=done.cached,
            failed=done.failed,
        )
    )
    return EXIT_OK if not done.failed else EXIT_FAILURE


def _preparing(what: str) -> str:
    # TRANSLATORS: {what} names the voice, e.g. "the Joe voice" or "espeak-ng".
    return _("Preparing {what}").format(what=what)


class ProgressBar:
    """One line on stderr that fills as phrases are prepared: ``[#####-----] 120/250``.

    Args:
        what: what is being prepared ("Preparing the Joe voice").
        total: how many steps make it full.
        width: the bar's width in characters.
    """

    def __init__(self, what: str, total: int, width: int = 30) -> None:
        self.what = what
        self.total = max(1, total)
        self.width = width
        self.show(0)

    def show(self, done: int) -> None:
        """Redraw the line for ``done`` steps finished."""
        filled = self.width * done // self.total
        bar = "#" * filled + "-" * (self.width - filled)
        # TRANSLATORS: a progress bar: {what} is "Preparing …", {bar} the bar itself.
        line = ngettext(
            "{what} [{bar}] {done}/{total} phrase",
            "{what} [{bar}] {done}/{total} phrases",
            self.total,
        )
        sys.stderr.write("\r" + line.format(what=self.what, bar=bar, done=done, total=self.total))
        sys.stderr.flush()

    def clear(self) -> None:
        """Wipe the line (before printing something else on it)."""
        sys.stderr.write("\r\x1b[2K")
        sys.stderr.flush()

    def close(self) -> None:
        """End the line, keeping the bar where it stopped."""
        sys.stderr.write("\n")
        sys.stderr.flush()


def _warm_in_background(args: argparse.Namespace) -> int:
    from assistant.cli.shared import find_script, load_scripts

    library = load_scripts()
    for ref in args.scripts:
        find_script(library, ref)  # a bad name is an error now, not silently in the background
    from assistant.session import warm_in_background

    warm_in_background(args.engine, args.voice, args.rate, args.scripts)
    print(_("Preparing the voice in the background."))
    return EXIT_OK
