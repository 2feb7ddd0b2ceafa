"""The "system voice" engine: pyttsx3 (SAPI5, NSSpeechSynthesizer, espeak-ng) in a worker process.

pyttsx3 2.99 is used only to render files, never to play, and never in this process: it keeps only
the last utterance queued per ``runAndWait``, prints "Audio saved to …" on stdout, can hang, and
now and then writes an empty file. The worker (``_pyttsx3_worker``) renders one utterance per
``save_to_file`` + ``runAndWait``; this side adds a per-request timeout (kill, restart, retry once),
retries bad files, and reads the result itself (WAV, or AIFF on macOS).
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import threading
from typing import Any

from assistant.core.i18n import _

from .base import EngineUnavailable, Rendered, RenderFailed, UnknownVoice, Voice
from .clips import read_audio
from .espeak import Background, espeak_version
from .worker import WorkerProcess, WorkerStoppedTwice, WorkerUnavailable, installed_version

#: Seconds one request (or the worker's start-up) may take before the worker is declared stuck.
DEFAULT_TIMEOUT = 10.0
#: How many times a render is tried when the worker writes a missing, empty or malformed file.
BAD_FILE_TRIES = 3
#: The worker module, run with ``python -m``.
WORKER_MODULE = "assistant.speech._pyttsx3_worker"


def _driver_name() -> str:
    """The pyttsx3 driver this platform uses (the one ``pyttsx3.init()`` picks)."""
    if sys.platform == "darwin":
        return "nsss"
    if sys.platform == "win32":
        return "sapi5"
    return "espeak"


def _system_version() -> str:
    """pyttsx3's version, its driver, and on Linux the espeak-ng version under it."""
    parts = [f"pyttsx3 {installed_version('pyttsx3')}", _driver_name()]
    binary = shutil.which("espeak-ng") if _driver_name() == "espeak" else None
    if binary is not None:
        parts.append(f"espeak-ng {espeak_version(binary)}")  # a short wait even if it hangs
    return " ".join(parts)


class Pyttsx3Engine:
    """The platform's own voice through pyttsx3, rendered in a separate worker process.

    The worker starts on first use (or on :meth:`start`) and stays up between renders
    (≈ 10–15 ms per short sentence once running). Thread-safe: requests are serialised.

    Attributes:
        restarts: how many times a stuck or dead worker was replaced (for ``ground doctor``).
    """

    name = "system"

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, python: str | None = None) -> None:
        """Prepare, without starting anything yet.

        Args:
            timeout: seconds a request or the worker's start-up may take.
            python: interpreter that runs the worker (default: this one).
        """
        self.timeout = timeout
        self._worker = WorkerProcess(_("the system voice"), timeout, python)
        self.python = self._worker.python
        self._lock = threading.RLock()
        self._version = Background(_system_version, "pyttsx3-version")
        self._voices: list[Voice] | None = None
        self._unavailable: str | None = None
        self._files = 0

    @property
    def restarts(self) -> int:
        """How many times a stuck or dead worker was replaced."""
        return self._worker.restarts

    @property
    def pid(self) -> int | None:
        """The worker's process id while it runs."""
        return self._worker.pid

    def start(self) -> None:
        """Start the worker now and wait until pyttsx3 is ready.

        Raises:
            EngineUnavailable: pyttsx3 (or the speech library under it) cannot start here.
        """
        with self._lock:
            self._ensure_worker()

    def version(self) -> str:
        """pyttsx3's version, its driver, and for espeak the espeak-ng version.

        Worked out without starting the worker, so a warm cache never pays for it.
        """
        return self._version.result()

    def voices(self) -> list[Voice]:
        """The voices pyttsx3 reports (asked from the worker once)."""
        with self._lock:
            if self._voices is None:
                reply = self._call({"op": "voices"})
                if not reply.get("ok"):
                    msg = _("the system voice could not list voices: {why}").format(
                        why=reply.get("error")
                    )
                    raise RenderFailed(msg)
                self._voices = [
                    Voice(
                        id=str(v["id"]),
                        name=str(v.get("name") or v["id"]),
                        languages=tuple(str(x) for x in v.get("languages") or ()),
                        gender=v.get("gender"),
                        source=f"pyttsx3 ({_driver_name()})",
                    )
                    for v in reply.get("voices") or ()
                ]
            return list(self._voices)

    def render(self, text: str, voice: str | None, rate: int | None) -> Rendered:
        """Speak ``text`` into a file in the worker, then read the file here.

        Args:
            text: the words.
            voice: a voice id, name or language tag (``en-us``); None for the default voice.
            rate: words per minute; None for 175.

        Returns:
            Mono 16-bit audio (22050 Hz from espeak-ng on Linux).

        Raises:
            EngineUnavailable: pyttsx3 cannot start here.
            UnknownVoice: no voice matches ``voice``.
            RenderFailed: the worker hung twice, or wrote no usable file in three tries.
        """
        if rate is not None and rate <= 0:
            msg = f"speech rate must be a positive number of words per minute, not {rate}"
            raise ValueError(msg)
        if not text.strip():
            return Rendered(b"", 22050)  # pyttsx3 asserts on empty text; nothing to say anyway
        with self._lock:
            problem = _("no reply")
            for _try in range(BAD_FILE_TRIES):
                target = self._worker.scratch() / f"utterance-{self._serial()}.{self._suffix()}"
                try:
                    reply = self._call(
                        {
                            "op": "render",
                            "text": text,
                            "voice": voice,
                            "rate": rate,
                            "path": str(target),
                        }
                    )
                    if reply.get("kind") == "unknown_voice":
                        raise UnknownVoice(str(voice), self.name)
                    if not reply.get("ok"):
                        problem = str(reply.get("error"))
                        continue
                    try:
                        rendered = read_audio(target)
                    except FileNotFoundError:
                        problem = _("it wrote no file")
                        continue
                    except (ValueError, OSError) as exc:
                        problem = str(exc)
                        continue
                    if rendered.frames == 0:
                        problem = _("the file held no audio")
                        continue
                    return rendered
                finally:
                    with contextlib.suppress(OSError):
                        target.unlink()
            msg = _(
                "the system voice gave no usable audio for {text} in {tries} tries ({why})"
            ).format(text=repr(text), tries=BAD_FILE_TRIES, why=problem)
            raise RenderFailed(msg)

    def close(self) -> None:
        """Stop the worker and delete its scratch files; the next render starts a new one."""
        with self._lock:
            self._worker.shutdown()

    # --- the worker ------------------------------------------------------------------------

    @staticmethod
    def _suffix() -> str:
        """macOS writes AIFF whatever the name says; name it honestly."""
        return "aiff" if sys.platform == "darwin" else "wav"

    def _serial(self) -> int:
        """A number for the next output file, unique within this engine."""
        self._files += 1
        return self._files

    def _ensure_worker(self) -> None:
        """Start the worker unless it is running; wait for its ready line."""
        if self._unavailable is not None:
            raise EngineUnavailable(self._unavailable)
        try:
            # Read at call time: tests point it at a module that does not exist.
            self._worker.ensure(WORKER_MODULE)
        except WorkerUnavailable as exc:
            if exc.definite:
                # A definite "cannot run here" is remembered; a slow start may work next time.
                self._unavailable = str(exc)
            raise EngineUnavailable(str(exc)) from exc

    def _call(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send a request; if the worker hangs or dies, replace it and try once more."""
        try:
            return self._worker.call(message, self._ensure_worker)
        except WorkerStoppedTwice as exc:
            raise RenderFailed(str(exc)) from exc
