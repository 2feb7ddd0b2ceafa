"""Cue clips on demand: the cache first, the engine on a miss, the rest in the background."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from .base import EngineUnavailable, SpeechEngine, UnknownVoice, VoiceFiles
from .cache import ClipCache


class SpeechRenderer:
    """Turns texts into finished clips for one engine, voice and rate.

    A cache hit reads a WAV with the stdlib only (no numpy, no engine start). A miss renders with
    the engine, prepares the clip (numpy) and stores it. One lock serialises the engine, so the
    caller's first cue and the background thread never talk to it at once.

    Attributes:
        errors: ``(text, exception)`` for each text the background thread could not render.
        cache_errors: cache writes that failed (the clip was still returned).
        done: set when the background thread has finished (or was cancelled).
    """

    def __init__(
        self,
        engine: SpeechEngine,
        cache: ClipCache | None,
        voice: str | None = None,
        rate: int | None = None,
        sample_rate: int = 48000,
    ) -> None:
        """Bind an engine, a cache and the voice settings.

        Args:
            engine: the speech engine.
            cache: where finished clips live; None renders every time.
            voice: the voice for every clip (None: engine default).
            rate: words per minute (None: engine default).
            sample_rate: the session's sample rate.
        """
        if cache is not None and cache.sample_rate != sample_rate:
            msg = f"cache stores {cache.sample_rate} Hz clips but the session runs at {sample_rate}"
            raise ValueError(msg)
        self.engine = engine
        self.cache = cache
        self.voice = voice
        self.rate = rate
        self.sample_rate = sample_rate
        self.errors: list[tuple[str, BaseException]] = []
        self.cache_errors: list[OSError] = []
        #: Whether the engine has rendered anything for this renderer: one that fails before it
        #: ever has is broken here (another engine is tried), not just stuck on one phrase.
        self.engine_worked = False
        self.done = threading.Event()
        self._lock = threading.Lock()
        self._version: str | None = None
        self._heard_as: dict[str | None, tuple[str, str]] = {}  # voice: (its id, its files)
        self._cancel = threading.Event()

    def key(self, text: str) -> str:
        """The cache key for ``text`` with this engine, voice, rate and sample rate.

        For an engine whose voices are files (Piper), the key names the voice it resolves to,
        however it was asked for (the default, its id, its short name, a path: the automatic
        voice and Piper without a voice set share their clips), and holds the voice files'
        hash, so a replaced model never plays an old clip.

        Raises:
            UnknownVoice, EngineUnavailable: the voice's files cannot be found (Piper).
        """
        if self._version is None:
            self._version = self.engine.version()
        voice, digest = self.voice, None
        if isinstance(self.engine, VoiceFiles):
            heard = self._heard_as.get(self.voice)
            if heard is None:
                engine = self.engine
                heard = (engine.voice_id(self.voice), engine.voice_digest(self.voice))
                self._heard_as[self.voice] = heard
            voice, digest = heard
        return ClipCache.key(
            self.engine.name,
            self._version,
            voice,
            self.rate,
            self.sample_rate,
            text,
            voice_files=digest,
        )

    def cached(self, text: str) -> bytes | None:
        """The clip for ``text`` if the cache already has it, without rendering.

        A voice whose files cannot be found is a miss: rendering will say why.
        """
        if self.cache is None:
            return None
        try:
            key = self.key(text)
        except (UnknownVoice, EngineUnavailable):
            return None
        return self.cache.get(key)

    def clip(self, text: str) -> bytes:
        """The clip for ``text``: from the cache, or rendered, prepared and cached now.

        Args:
            text: the words.

        Returns:
            Mono 16-bit little-endian samples at ``sample_rate``; sample 0 is the onset.

        Raises:
            EngineUnavailable, UnknownVoice, RenderFailed: from the engine, on a miss.
        """
        hit = self.cached(text)
        if hit is not None:
            # Its clips are this engine's: switching engines now would change the voice midway.
            self.engine_worked = True
            return hit
        with self._lock:
            # Another thread may have rendered it while this one waited for the lock.
            hit = self.cached(text)
            if hit is not None:
                return hit
            rendered = self.engine.render(text, self.voice, self.rate)
            self.engine_worked = True
            from .clips import prepare_clip  # numpy only on a miss

            pcm = prepare_clip(rendered, self.sample_rate)
            if self.cache is not None:
                try:
                    self.cache.put(self.key(text), pcm)
                except OSError as exc:
                    self.cache_errors.append(exc)  # a full or read-only cache is not fatal
            return pcm

    def render_all(
        self,
        texts: Iterable[str],
        on_ready: Callable[[str, bytes], None] | None = None,
    ) -> threading.Thread:
        """Render ``texts`` in order on a background daemon thread.

        The caller renders or loads the first cue itself (with :meth:`clip`) before calling this,
        so the session can start at once. Failures are recorded in :attr:`errors`, never raised
        in the thread; an unavailable engine stops the run (every other text would fail too).

        Args:
            texts: what to render, in the order the session needs them.
            on_ready: called as ``on_ready(text, pcm)`` for each clip, from the background thread.

        Returns:
            The started thread; :attr:`done` is set when it ends.
        """
        todo = list(texts)
        self.done.clear()
        self._cancel.clear()

        def run() -> None:
            try:
                for text in todo:
                    if self._cancel.is_set():
                        return
                    try:
                        pcm = self.clip(text)
                    except EngineUnavailable as exc:
                        self.errors.append((text, exc))
                        return
                    except Exception as exc:  # recorded for the caller, not a thread traceback  # noqa: BLE001
                        self.errors.append((text, exc))
                        continue
                    if on_ready is not None:
                        try:
                            on_ready(text, pcm)
                        except Exception as exc:  # noqa: BLE001
                            self.errors.append((text, exc))
            finally:
                self.done.set()

        thread = threading.Thread(target=run, name="speech-render", daemon=True)
        thread.start()
        return thread

    def cancel(self) -> None:
        """Ask the background thread to stop after the clip it is rendering now."""
        self._cancel.set()
