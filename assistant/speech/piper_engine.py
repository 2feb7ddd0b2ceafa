"""The Piper engine: natural-sounding neural voices (optional extra, GPL-3.0), in a worker process.

Piper and onnxruntime are imported only in the worker (``_piper_worker``), one per loaded voice
model: import plus model load take 0.4–0.9 s and ~100 MB, which must never land on the hotkey
path or in this process. Here the engine finds voices (``piper_voices``), hashes their models
for the cache key, and talks to the worker. It is "slow to start": a session with a cold cache
speaks its first cue with the system voice while the model loads.

Failures follow the ladder: Piper not installed, a voice missing or damaged, onnxruntime failing
to start — each is :class:`EngineUnavailable` with one plain line, and the session carries on
with the system voice.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from assistant.core.i18n import _

from .base import EngineUnavailable, Rendered, RenderFailed, UnknownVoice, Voice
from .clips import read_wav
from .pace import Pace, pace_of
from .piper_voices import NO_VOICE_INSTALLED, PiperVoiceFile, VoiceFileMissing, VoiceLibrary
from .worker import WorkerProcess, WorkerStoppedTwice, WorkerUnavailable, installed_version

#: Seconds the worker may take to load a model, or to render one text.
DEFAULT_TIMEOUT = 30.0
#: The worker module, run with ``python -m``.
WORKER_MODULE = "assistant.speech._piper_worker"
#: What to install for this engine.
INSTALL = "pip install 'grounding-assistant[piper]'"


def piper_installed() -> bool:
    """Whether the ``piper-tts`` distribution is installed (a folder lookup, no import)."""
    return installed_version("piper-tts") != "missing"


class PiperEngine:
    """Piper voices, rendered by a worker process that holds one loaded model.

    Thread-safe: requests are serialised. Asking for another voice replaces the worker.

    Attributes:
        library: where voices are found and their hashes remembered.
    """

    name = "piper"

    def __init__(
        self,
        library: VoiceLibrary | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        python: str | None = None,
        sentence_pause: float | None = None,
    ) -> None:
        """Check that Piper is installed, without importing it or starting anything.

        Args:
            library: the voice library (default: installed packages and explicit paths only).
            sentence_pause: seconds of quiet between a cue's sentences (None: the worker's
                0.3 s).
            timeout: seconds a model load or a render may take.
            python: interpreter for the worker (default: this one).

        Raises:
            EngineUnavailable: the ``piper`` extra is not installed.
        """
        if not piper_installed():
            msg = _("Piper is not installed: {how}").format(how=INSTALL)
            raise EngineUnavailable(msg)
        self.library = library or VoiceLibrary()
        self.sentence_pause = sentence_pause
        self._worker = WorkerProcess("Piper", timeout, python)
        self._lock = threading.RLock()  # the worker: held while a model loads
        self._files_lock = threading.Lock()  # voice lookups: never wait for a model load
        self._loaded: Path | None = None
        self._broken: dict[Path, str] = {}
        self._voices: dict[str | None, PiperVoiceFile] = {}
        self._paces: dict[Path, Pace] = {}  # by model: read once from the pace beside it

    @property
    def pid(self) -> int | None:
        """The worker's process id while it runs."""
        return self._worker.pid

    def version(self) -> str:
        """piper-tts and onnxruntime versions, and the sentence pause (all in every cache key;
        the model's hash is in :meth:`voice_digest`)."""
        version = f"piper-tts {installed_version('piper-tts')} onnxruntime " + installed_version(
            "onnxruntime"
        )
        if self.sentence_pause is not None:
            version += f" sentence pause {self.sentence_pause:g} s"
        return version

    def voices(self) -> list[Voice]:
        """Every Piper voice found (no model is loaded to list them)."""
        return [_as_voice(found) for found in self.library.discover()]

    def voice_file(self, voice: str | None) -> PiperVoiceFile:
        """The files of ``voice`` (None: the first voice found).

        Raises:
            UnknownVoice: no such voice id, or no file at the path given.
            EngineUnavailable: asked for the default voice and none is installed.
        """
        with self._files_lock:
            found = self._voices.get(voice)
            if found is not None:
                return found
            try:
                found = self.library.resolve(voice)
            except VoiceFileMissing as exc:
                raise UnknownVoice(str(voice), self.name) from exc
            if found is None:
                if voice is None:
                    raise EngineUnavailable(_(NO_VOICE_INSTALLED))
                raise UnknownVoice(voice, self.name)
            self._voices[voice] = found
            return found

    def voice_id(self, voice: str | None) -> str:
        """The id of the voice ``voice`` resolves to (``joe``, a path to its model and the
        default voice are all ``en_US-joe-medium``): the voice a cache key names."""
        return self.voice_file(voice).id

    def voice_digest(self, voice: str | None) -> str:
        """The voice's model and config hashes (memoised by the library), the mapping's version
        and the pace a rate is mapped through: all in the cache key, so a clip rendered at
        another speed for the same rate is never played."""
        found = self.voice_file(voice)
        return f"{self.library.voice_digest(found)}+pace {self.pace(found).key()}"

    def pace(self, found: PiperVoiceFile) -> Pace:
        """``found``'s own pace, a rate is mapped through (see ``pace``)."""
        with self._files_lock:
            known = self._paces.get(found.model)
            if known is None:
                known = self._paces[found.model] = pace_of(found)
            return known

    def length_scale(self, found: PiperVoiceFile, rate: int | None) -> float | None:
        """Piper's ``length_scale`` that makes ``found`` speak ``rate`` words a minute (None:
        its own pace)."""
        return self.pace(found).length_scale(rate) if rate else None

    def ready(self, voice: str | None) -> bool:
        """Whether the worker already holds ``voice``'s model."""
        try:
            wanted = self.voice_file(voice).model
        except (UnknownVoice, EngineUnavailable):
            return False
        return self._loaded == wanted and self._worker.pid is not None

    def start(self, voice: str | None = None) -> None:
        """Start the worker with ``voice``'s model loaded; wait until it is ready.

        Raises:
            EngineUnavailable: Piper cannot run, or the model cannot be loaded.
            UnknownVoice: no such voice.
        """
        with self._lock:
            self._ensure(self.voice_file(voice))

    def start_in_background(self, voice: str | None) -> None:
        """Load ``voice``'s model on a thread (renders wait for it on the engine's lock)."""

        # The thread takes the lock before this returns, so a render asked for next waits for
        # this load instead of starting a second one.
        started = threading.Event()

        def load() -> None:
            with self._lock:
                started.set()
                with contextlib.suppress(EngineUnavailable, UnknownVoice, RenderFailed):
                    self._ensure(self.voice_file(voice))

        threading.Thread(target=load, name="piper-load", daemon=True).start()
        started.wait(1.0)

    def render(self, text: str, voice: str | None, rate: int | None) -> Rendered:
        """Speak ``text`` with a Piper voice.

        Args:
            text: the words.
            voice: a voice id (``en_US-joe-medium``) or a path to an ``.onnx`` model; None for
                the first voice found.
            rate: words a minute of speech, as heard (the voice's own pace is measured:
                ``pace``); None for its own pace.

        Returns:
            Mono 16-bit audio at the model's sample rate (22050 Hz for medium voices).

        Raises:
            EngineUnavailable: Piper cannot run here, or the model cannot be loaded.
            UnknownVoice: no such voice.
            RenderFailed: the worker hung twice or wrote no usable audio.
        """
        if rate is not None and rate <= 0:
            msg = f"speech rate must be a positive number of words per minute, not {rate}"
            raise ValueError(msg)
        found = self.voice_file(voice)
        return self.render_scaled(text, found, self.length_scale(found, rate))

    def render_scaled(
        self, text: str, found: PiperVoiceFile, length_scale: float | None
    ) -> Rendered:
        """Speak ``text`` with ``found`` at Piper's own ``length_scale`` (None: the voice's
        default); :meth:`render` maps a rate to it, measuring a voice's pace calls this at 1.

        Raises:
            EngineUnavailable, RenderFailed: as :meth:`render`.
        """
        if not text.strip():
            return Rendered(b"", 22050)
        with self._lock:
            target = self._worker.scratch() / "utterance.wav"
            request = {
                "op": "render",
                "text": text,
                "path": str(target),
                "length_scale": length_scale,
                "sentence_pause": self.sentence_pause,
            }
            try:
                reply = self._worker.call(request, lambda: self._ensure(found))
            except WorkerStoppedTwice as exc:
                raise RenderFailed(str(exc)) from exc
            try:
                if not reply.get("ok"):
                    msg = _("Piper could not say {text}: {why}").format(
                        text=repr(text), why=reply.get("error")
                    )
                    raise RenderFailed(msg)
                try:
                    rendered = read_wav(target)
                except (ValueError, OSError) as exc:
                    msg = _("Piper wrote an unusable file for {text}: {why}").format(
                        text=repr(text), why=exc
                    )
                    raise RenderFailed(msg) from exc
            finally:
                with contextlib.suppress(OSError):
                    target.unlink()
        if rendered.frames == 0:
            msg = _("Piper wrote no audio for {text}").format(text=repr(text))
            raise RenderFailed(msg)
        return rendered

    def check_files(self, found: PiperVoiceFile) -> None:
        """Load a voice's model from its files and say a word with it (``ground voices add``
        checks a downloaded voice this way before copying it).

        Raises:
            EngineUnavailable: the model cannot be loaded (the message says why).
            RenderFailed: it loaded but said nothing usable.
        """
        key = str(found.model.absolute())
        with self._files_lock:
            self._voices[key] = found
        self.render("Hello.", key, None)

    def close(self) -> None:
        """Stop the worker and delete its scratch files; the next render starts a new one."""
        with self._lock:
            self._worker.shutdown()
            self._loaded = None

    def _ensure(self, found: PiperVoiceFile) -> None:
        """A worker holding ``found``'s model (replacing one that holds another)."""
        broken = self._broken.get(found.model)
        if broken is not None:
            raise EngineUnavailable(broken)
        if self._loaded != found.model:
            self._worker.stop(gently=True)
        try:
            # Absolute: the worker runs in its own private folder, not the person's.
            model, config = found.model.absolute(), found.config.absolute()
            self._worker.ensure(WORKER_MODULE, [str(model), str(config)])
        except WorkerUnavailable as exc:
            if exc.definite:  # this model cannot load here: do not try it again
                self._broken[found.model] = str(exc)
            raise EngineUnavailable(str(exc)) from exc
        self._loaded = found.model


def _as_voice(found: PiperVoiceFile) -> Voice:
    language = (found.language or "").replace("_", "-").lower()
    return Voice(
        id=found.id,
        name=found.id,
        languages=(language,) if language else (),
        quality=found.quality,
        source=found.source,
        licence=found.licence,
        model_card=str(found.model_card) if found.model_card else None,
    )
