"""Filling the voice cache ahead of time: ``ground warm``, and the detached warm after a change.

A detached warm runs ``python -m assistant.session.warm_process`` (this layer's own module: the
session never starts the command line it sits under). Only the newest detached warm keeps going
(:class:`WarmTurn`): changing the voice, then the rate, leaves one warm rendering, not two.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from assistant.core.compiler import spoken_texts
from assistant.core.model import Script
from assistant.session.request import SessionRequest
from assistant.session.voice import make_renderer
from assistant.storage.paths import cache_dir

#: The module a detached warm runs (``python -m``).
WARM_PROCESS = "assistant.session.warm_process"


def phrases_to_warm(scripts: Iterable[Script], request: SessionRequest) -> list[str]:
    """Every distinct phrase ``scripts`` can say with ``request``'s options, in first-use order.

    The voice counts as on: a session with the voice on says everything one with it off does,
    and more, so the cache is ready whichever way the person turns it.
    """
    options = replace(request.options, voice=True)
    return list(dict.fromkeys(t for script in scripts for t in spoken_texts(script, options)))


@dataclass(frozen=True)
class Warmed:
    """What a warm did.

    Attributes:
        engine: the engine that rendered.
        voice: its voice (None: the engine's default).
        phrases: how many phrases there were.
        rendered: rendered now.
        cached: already in the cache.
        failed: could not be rendered (each was reported).
        superseded: a newer detached warm took over before the end.
        unsaved: why rendered clips could not be kept in the cache (empty: all were kept).
    """

    engine: str
    voice: str | None
    phrases: int
    rendered: int
    cached: int
    failed: int
    superseded: bool = False
    unsaved: tuple[OSError, ...] = ()


class Progress(Protocol):
    """A progress display for a warm that has phrases to render (the CLI's bar)."""

    def show(self, done: int) -> None:
        """``done`` phrases of the total are finished."""

    def clear(self) -> None:
        """Wipe the display before another line is printed."""

    def close(self) -> None:
        """The warm has ended."""


def warm_texts(
    request: SessionRequest,
    texts: list[str],
    *,
    detached: bool = False,
    say: Callable[[str], None] = lambda line: None,
    progress: Callable[[str, int], Progress | None] = lambda what, total: None,
) -> Warmed | None:
    """Render every text with the request's voice into the cache.

    Args:
        request: the engine, voice and rate to render with.
        texts: the phrases, in order.
        detached: give way to a newer detached warm (see :class:`WarmTurn`).
        say: where a fallback notice or a phrase that failed is reported, one line each.
        progress: called with what is being prepared ("the Joe voice") and how many phrases
            need rendering, when any do; the display it returns follows them.

    Returns:
        What was done, or None when no engine speaks here.
    """
    if request.engine == "none":
        return None
    renderer, why = make_renderer(request)
    if why:
        say(why)
    if renderer is None:
        return None
    turn = WarmTurn(cache_dir() / "warm.pid") if detached else None
    if turn is not None:
        turn.claim()
    todo = [text for text in texts if renderer.cached(text) is None]
    rendered = failed = 0
    superseded = False
    bar = progress(voice_label(renderer.engine.name, renderer.voice), len(todo)) if todo else None
    try:
        for text in todo:
            if turn is not None and not turn.still_mine():
                superseded = True  # a newer warm (another voice or rate) carries on from here
                break
            try:
                renderer.clip(text)
            except Exception as exc:  # noqa: BLE001 - one phrase that fails is named, not fatal
                failed += 1
                if bar is not None:
                    bar.clear()
                say(f"could not prepare {text!r}: {exc}")
            else:
                rendered += 1
            if bar is not None:
                bar.show(rendered + failed)
    finally:
        if bar is not None:
            bar.close()
        renderer.engine.close()
    return Warmed(
        renderer.engine.name,
        renderer.voice,
        len(texts),
        rendered,
        len(texts) - len(todo),
        failed,
        superseded,
        tuple(renderer.cache_errors),
    )


def voice_label(engine: str, voice: str | None) -> str:
    """How messages name a voice: "the Joe voice" for a Piper voice, else the engine's label."""
    from assistant.speech.factory import label, voice_name

    if engine == "piper" and voice:
        return f"the {voice_name(voice)} voice"
    return label(engine)


class WarmTurn:
    """Whose turn it is to fill the cache: the newest detached warm only.

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
        from assistant.core.files import atomic_write, private_dirs

        with contextlib.suppress(OSError):
            private_dirs(self.path.parent)
            atomic_write(self.path, self.me.encode("utf-8"))

    def still_mine(self) -> bool:
        """False once a newer warm has claimed the turn (an unreadable file: carry on)."""
        try:
            from assistant.core.safe import read_regular

            return read_regular(self.path, 64).decode("utf-8").strip() in ("", self.me)
        except (OSError, UnicodeDecodeError):
            return True


def warm_in_background(
    engine: str | None = None,
    voice: str | None = None,
    rate: int | None = None,
    scripts: Iterable[str] = (),
) -> None:
    """Start a detached warm: it fills the cache for a voice, even after we exit.

    Args:
        engine, voice, rate: what to render with (None: the settings').
        scripts: script ids or paths (none: every script).
    """
    import subprocess
    import sys
    import threading

    from assistant.speech.worker import worker_env

    # -P and a neutral folder: `python -m` would put the caller's folder first on sys.path, and
    # an assistant.py or typing.py there would run in the warm (script paths go absolute).
    argv = [sys.executable, "-P", "-m", WARM_PROCESS, *map(_from_anywhere, scripts)]
    for flag, value in (("engine", engine), ("voice", voice), ("rate", rate)):
        if value is not None:
            argv += [f"--{flag}", str(value)]
    child = subprocess.Popen(
        argv,
        cwd=Path(os.sep).resolve(),
        env=worker_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # Reap it when it ends, so no defunct process lingers while the app stays open.
    threading.Thread(target=child.wait, name="warm-reaper", daemon=True).start()


def _from_anywhere(ref: str) -> str:
    """A script reference the warm can use from its own folder: a path made absolute, an id
    as it is (``Library.get`` takes a ``.toml`` name or one with a folder in it for a path)."""
    if ref.endswith(".toml") or os.sep in ref or ref.startswith("~"):
        return str(Path(ref).expanduser().absolute())
    return ref
