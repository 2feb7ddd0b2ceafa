"""``ground voices`` (every engine's voices, or a preview) and ``ground warm`` (fill the cache).

Imported only when one of these commands runs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from assistant.cli.main import EXIT_OK, UsageError
from assistant.storage.paths import cache_dir
from assistant.storage.settings import load_settings


def voices_command(args: argparse.Namespace) -> int:
    """List voices (``--json`` for machines), or say ``--say TEXT`` with one."""
    if args.say is not None:
        return preview(args)
    if args.voice:
        raise UsageError('--voice goes with --say: ground voices --say "Breathe in." --voice ID')
    from assistant.session import voice_library
    from assistant.speech.voices import all_voices

    library = voice_library()
    listing = all_voices(library, (args.engine,) if args.engine else None)
    if args.json:
        print(json.dumps(_as_json(listing, library), indent=1, ensure_ascii=False))
        return EXIT_OK
    if not args.engine or args.engine == "auto":
        from assistant.speech.factory import choose_auto

        choice = choose_auto(library)
        print(f"auto: {choice.describe()}")
        print(*([choice.hint] if choice.hint else []), sep="\n", end="\n\n")
    for group in listing:
        if group.problem:
            print(f"{group.engine}: not available here — {group.problem}")
            continue
        count = len(group.voices)
        print(f"{group.engine} ({count} voice{'s' if count != 1 else ''})")
        languages = [", ".join(voice.languages[:2]) or "?" for voice in group.voices]
        id_width = max(len(voice.id) for voice in group.voices) if group.voices else 0
        language_width = max(map(len, languages), default=0)
        for voice, language in zip(group.voices, languages, strict=True):
            extra = " · ".join(
                part
                for part in (
                    voice.quality and f"quality {voice.quality}",
                    voice.source,
                    voice.licence and f"licence {voice.licence}",
                )
                if part
            )
            print(f"  {voice.id:<{id_width}}  {language:<{language_width}}  {extra}".rstrip())
        print()
    if library.folder is not None:
        print(f"Your own Piper voices go in {library.folder} (NAME.onnx with NAME.onnx.json).")
    print('Hear one: ground voices --say "Breathe in." --voice ID')
    return EXIT_OK


def _as_json(listing: list[Any], library: Any) -> dict[str, Any]:
    from assistant.speech.factory import choose_auto

    choice = choose_auto(library)
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
    from assistant.cli.commands import _request
    from assistant.session import PREVIEW, Session, prepare_preview, preview_script
    from assistant.sound.quiet import quiet_c_stderr

    settings, notice = load_settings()
    text = args.say.strip() or PREVIEW
    request = _request(preview_script(text), args, settings)
    with quiet_c_stderr():
        renderer, notices = prepare_preview(request, text)
        if notice:
            notices.insert(0, notice)
        session = Session.open(request, renderer=renderer)
        try:
            for line in [*notices, *session.notices]:
                print(line, file=sys.stderr)
            print(f"  {text}")
            while not session.wait(0.1):
                pass
        finally:
            session.close()
            if renderer is not None:
                renderer.engine.close()
    return EXIT_OK


def warm_command(args: argparse.Namespace) -> int:
    """Render every spoken phrase of the scripts (all by default) into the cache."""
    if args.background:
        return _warm_in_background(args)
    if args.detached:
        with contextlib.suppress(OSError):
            os.nice(10)  # never compete with a session that is playing
    from assistant.cli.commands import _library, _request, _script
    from assistant.session import make_renderer, preview_script

    settings, notice = load_settings()
    if notice:
        print(notice, file=sys.stderr)
    library = _library()
    scripts = [_script(library, ref) for ref in args.scripts] or list(library.scripts.values())
    texts = list(dict.fromkeys(t for script in scripts for t in script.spoken_texts()))
    request = _request(scripts[0] if scripts else preview_script(), args, settings)
    if request.engine == "none":
        print("Nothing to prepare: the speech engine is `none`.")
        return EXIT_OK
    renderer, why = make_renderer(request)
    if why:
        print(why, file=sys.stderr)
    if renderer is None:
        return EXIT_OK
    turn = WarmTurn(cache_dir() / "warm.pid") if args.detached else None
    if turn is not None:
        turn.claim()
    todo = [text for text in texts if renderer.cached(text) is None]
    cached, rendered, failed = len(texts) - len(todo), 0, 0
    if not todo and getattr(args, "quiet_if_ready", False):
        renderer.engine.close()
        return EXIT_OK
    bar = None
    if todo and not args.detached and (getattr(args, "progress", False) or sys.stderr.isatty()):
        bar = ProgressBar(f"Preparing {_voice_label(renderer)}", len(todo))
    try:
        for text in todo:
            if turn is not None and not turn.still_mine():
                return EXIT_OK  # a newer warm (another voice or rate) carries on from here
            try:
                renderer.clip(text)
            except Exception as exc:  # noqa: BLE001 - one phrase that fails is named, not fatal
                failed += 1
                if bar is not None:
                    bar.clear()
                print(f"could not prepare {text!r}: {exc}", file=sys.stderr)
            else:
                rendered += 1
            if bar is not None:
                bar.show(rendered + failed)
    finally:
        if bar is not None:
            bar.close()
        renderer.engine.close()
    voice = renderer.voice or "default voice"
    print(
        f"{renderer.engine.name} ({voice}): {len(texts)} phrases ready — {rendered} rendered now, "
        f"{cached} already cached" + (f", {failed} failed" if failed else "") + "."
    )
    return EXIT_OK if not failed else 1


def _voice_label(renderer: Any) -> str:
    """ "Joe's voice" for a Piper voice, else the engine as messages name it."""
    from assistant.speech.factory import label, voice_name

    if renderer.engine.name == "piper" and renderer.voice:
        return f"the {voice_name(renderer.voice)} voice"
    return label(renderer.engine.name)


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
        sys.stderr.write(f"\r{self.what} [{bar}] {done}/{self.total} phrases")
        sys.stderr.flush()

    def clear(self) -> None:
        """Wipe the line (before printing something else on it)."""
        sys.stderr.write("\r\x1b[2K")
        sys.stderr.flush()

    def close(self) -> None:
        """End the line, keeping the bar where it stopped."""
        sys.stderr.write("\n")
        sys.stderr.flush()


class WarmTurn:
    """Whose turn it is to fill the cache: the newest detached ``ground warm`` only.

    Changing the voice, then the rate, starts a warm each time; the older one stops at its next
    phrase instead of loading the cores with clips nobody will use.

    Args:
        path: the file holding the process id of the warm whose turn it is.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.me = str(os.getpid())

    def claim(self) -> None:
        """Make it this process's turn (atomically: a reader never sees half a number)."""
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            spare = self.path.with_name(f"{self.path.name}.{self.me}")
            spare.write_text(self.me, encoding="utf-8")
            spare.replace(self.path)

    def still_mine(self) -> bool:
        """False once a newer warm has claimed the turn (an unreadable file: carry on)."""
        try:
            return self.path.read_text(encoding="utf-8").strip() in ("", self.me)
        except OSError:
            return True


def _warm_in_background(args: argparse.Namespace) -> int:
    from assistant.cli.commands import _library, _script

    library = _library()
    for ref in args.scripts:
        _script(library, ref)  # a bad name is an error now, not silently in the background
    from assistant.session import warm_in_background

    warm_in_background(args.engine, args.voice, args.rate, args.scripts)
    print("Preparing the voice in the background.")
    return EXIT_OK
