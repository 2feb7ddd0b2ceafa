"""The "system voice" engine: pyttsx3 (SAPI5, NSSpeechSynthesizer, espeak-ng) in a worker process.

pyttsx3 2.99 is used only to render files, never to play, and never in this process: it keeps only
the last utterance queued per ``runAndWait``, prints "Audio saved to …" on stdout, can hang, and
now and then writes an empty file. The worker (``_pyttsx3_worker``) renders one utterance per
``save_to_file`` + ``runAndWait``; this side adds a per-request timeout (kill, restart, retry once),
retries bad files, and reads the result itself (WAV, or AIFF on macOS).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import weakref
from pathlib import Path
from typing import IO, Any

from .base import EngineUnavailable, Rendered, RenderFailed, UnknownVoice, Voice
from .clips import read_audio
from .espeak import Background, espeak_version

#: Seconds one request (or the worker's start-up) may take before the worker is declared stuck.
DEFAULT_TIMEOUT = 10.0
#: How many times a render is tried when the worker writes a missing, empty or malformed file.
BAD_FILE_TRIES = 3
#: The worker module, run with ``python -m``.
WORKER_MODULE = "assistant.speech._pyttsx3_worker"
#: The folder that holds the ``assistant`` package, so the worker can import it from anywhere.
_IMPORT_ROOT = str(Path(__file__).resolve().parents[2])


class _WorkerLostError(Exception):
    """The worker exited, hung past the timeout, or closed its pipe."""


def _driver_name() -> str:
    """The pyttsx3 driver this platform uses (the one ``pyttsx3.init()`` picks)."""
    if sys.platform == "darwin":
        return "nsss"
    if sys.platform == "win32":
        return "sapi5"
    return "espeak"


def _pyttsx3_version() -> str:
    """The installed pyttsx3 version, without importing pyttsx3.

    Looks for the ``pyttsx3-<version>.dist-info`` folder on ``sys.path`` the way
    ``importlib.metadata`` does, but without importing that module (≈ 10–30 ms here).
    """
    for entry in sys.path:
        try:
            found = next(Path(entry or ".").glob("pyttsx3-*.dist-info"), None)
        except OSError:
            continue
        if found is not None:
            return found.name.removeprefix("pyttsx3-").removesuffix(".dist-info")
    from importlib import metadata  # eggs, zips and other layouts

    try:
        return metadata.version("pyttsx3")
    except metadata.PackageNotFoundError:
        return "missing"


def _system_version(timeout: float) -> str:
    """pyttsx3's version, its driver, and on Linux the espeak-ng version under it."""
    parts = [f"pyttsx3 {_pyttsx3_version()}", _driver_name()]
    binary = shutil.which("espeak-ng") if _driver_name() == "espeak" else None
    if binary is not None:
        parts.append(f"espeak-ng {espeak_version(binary, timeout)}")
    return " ".join(parts)


def _worker_env() -> dict[str, str]:
    """The environment for the worker: ours, plus a way to import ``assistant`` if needed.

    An installed package is found through site-packages as usual, and putting site-packages on
    PYTHONPATH would rank it above the standard library, so the package root is added only when
    it is not a site directory (a source checkout, or ``PYTHONPATH`` tricks in the parent).
    """
    import site

    env = dict(os.environ)
    site_dirs = {*site.getsitepackages(), site.getusersitepackages()}
    if not any(_same_dir(_IMPORT_ROOT, d) for d in site_dirs):
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (_IMPORT_ROOT, env.get("PYTHONPATH", "")) if p
        )
    return env


def _same_dir(a: str, b: str) -> bool:
    """Whether two paths name the same existing folder."""
    try:
        return Path(a).samefile(b)
    except OSError:
        return False


def _last_line(path: Path) -> str:
    """The last non-blank line of a small text file, or ""."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return next((line.strip() for line in reversed(lines) if line.strip()), "")


def _read_replies(stream: IO[bytes], replies: queue.Queue[dict[str, Any] | None]) -> None:
    """Forward each JSON line from the worker; ``None`` marks its end."""
    try:
        for line in stream:
            try:
                message = json.loads(line)
            except ValueError:
                continue  # cannot happen with fds 1/2 redirected, but never trust a stray line
            if isinstance(message, dict):
                replies.put(message)
    except (OSError, ValueError):
        pass  # the pipe was closed under us by a kill: that is the end too
    finally:
        replies.put(None)


class _WorkerState:
    """The worker process and its scratch folder.

    Kept apart from the engine so that a finalizer can clean them up without keeping the engine
    alive.
    """

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.replies: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.scratch: Path | None = None

    def stop_worker(self, *, gently: bool) -> None:
        """End the worker: ask it to quit (if ``gently``), else kill it; always reap it."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if gently and proc.poll() is None and proc.stdin is not None:
            with contextlib.suppress(OSError, ValueError):
                proc.stdin.write(b'{"op": "quit"}\n')
                proc.stdin.flush()
            with contextlib.suppress(OSError, ValueError):
                proc.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=1.0)
        if proc.poll() is None:
            proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=2.0)
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError, ValueError):
                    pipe.close()

    def shutdown(self) -> None:
        """Stop the worker and remove the scratch folder."""
        self.stop_worker(gently=True)
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None


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
        self.python = python or sys.executable
        self.restarts = 0
        self._state = _WorkerState()
        self._lock = threading.RLock()
        self._next_id = 0
        self._version = Background(lambda: _system_version(timeout), "pyttsx3-version")
        self._voices: list[Voice] | None = None
        self._unavailable: str | None = None
        # Ends the worker when the engine is dropped or the program exits without close().
        weakref.finalize(self, self._state.shutdown)

    @property
    def pid(self) -> int | None:
        """The worker's process id while it runs."""
        proc = self._state.proc
        return proc.pid if proc is not None and proc.poll() is None else None

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
                    msg = f"the system voice could not list voices: {reply.get('error')}"
                    raise RenderFailed(msg)
                self._voices = [
                    Voice(
                        id=str(v["id"]),
                        name=str(v.get("name") or v["id"]),
                        languages=tuple(str(x) for x in v.get("languages") or ()),
                        gender=v.get("gender"),
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
            problem = "no reply"
            for _ in range(BAD_FILE_TRIES):
                target = self._scratch() / f"utterance-{self._next_id}.{self._suffix()}"
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
                        problem = "it wrote no file"
                        continue
                    except (ValueError, OSError) as exc:
                        problem = str(exc)
                        continue
                    if rendered.frames == 0:
                        problem = "the file held no audio"
                        continue
                    return rendered
                finally:
                    with contextlib.suppress(OSError):
                        target.unlink()
            msg = (
                f"the system voice gave no usable audio for {text!r} "
                f"in {BAD_FILE_TRIES} tries ({problem})"
            )
            raise RenderFailed(msg)

    def close(self) -> None:
        """Stop the worker and delete its scratch files; the next render starts a new one."""
        with self._lock:
            self._state.shutdown()

    # --- the worker ------------------------------------------------------------------------

    @staticmethod
    def _suffix() -> str:
        """macOS writes AIFF whatever the name says; name it honestly."""
        return "aiff" if sys.platform == "darwin" else "wav"

    def _scratch(self) -> Path:
        """A private folder (0700) for the worker's output files."""
        if self._state.scratch is None or not self._state.scratch.is_dir():
            self._state.scratch = Path(tempfile.mkdtemp(prefix="ground-tts-"))
        return self._state.scratch

    def _ensure_worker(self) -> None:
        """Start the worker unless it is running; wait for its ready line."""
        if self._unavailable is not None:
            raise EngineUnavailable(self._unavailable)
        state = self._state
        if state.proc is not None:
            if state.proc.poll() is None:
                return
            # It died between requests (killed, crashed): replacing it is a restart too.
            self.restarts += 1
        state.stop_worker(gently=False)
        # The worker points its fd 2 at the null device as soon as it runs; until then (Python
        # failing to start, the module not importable) its errors go to this file, so a failed
        # start can say why.
        errors = self._scratch() / "worker-errors.txt"
        try:
            with errors.open("wb") as stderr:
                proc = subprocess.Popen(
                    [self.python, "-m", WORKER_MODULE],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=stderr,
                    env=_worker_env(),
                    # Its own session: Ctrl-C in the terminal reaches us, and we end the worker.
                    start_new_session=True,
                )
        except OSError as exc:
            msg = f"the system voice could not start its worker ({exc})"
            raise EngineUnavailable(msg) from exc
        assert proc.stdout is not None
        state.proc = proc
        state.replies = queue.Queue()
        threading.Thread(
            target=_read_replies,
            args=(proc.stdout, state.replies),
            name="pyttsx3-replies",
            daemon=True,
        ).start()
        try:
            hello = state.replies.get(timeout=self.timeout)
        except queue.Empty:
            hello = None
            why = f"the system voice did not start within {self.timeout:g} s"
        else:
            why = "the system voice's worker exited while starting"
        if hello is None or not hello.get("ready"):
            state.stop_worker(gently=False)
            last = _last_line(errors)
            if last:
                why = f"{why} ({last})"
            if hello is not None:
                why = str(hello.get("error") or why)
                # A definite "cannot run here" is remembered; a slow start may work next time.
                self._unavailable = why
            raise EngineUnavailable(why)

    def _send(self, message: dict[str, Any]) -> dict[str, Any]:
        """One request and its reply, or :class:`_WorkerLostError`."""
        self._ensure_worker()
        state = self._state
        proc = state.proc
        assert proc is not None and proc.stdin is not None
        self._next_id += 1
        ident = self._next_id
        try:
            proc.stdin.write((json.dumps({**message, "id": ident}) + "\n").encode("utf-8"))
            proc.stdin.flush()
        except (OSError, ValueError) as exc:
            raise _WorkerLostError("its input pipe closed") from exc
        while True:
            try:
                reply = state.replies.get(timeout=self.timeout)
            except queue.Empty:
                raise _WorkerLostError(f"no answer within {self.timeout:g} s") from None
            if reply is None:
                raise _WorkerLostError("it exited")
            if reply.get("id") == ident:
                return reply

    def _call(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send a request; if the worker hangs or dies, replace it and try once more."""
        try:
            return self._send(message)
        except _WorkerLostError:
            self._state.stop_worker(gently=False)
            self.restarts += 1
        try:
            return self._send(message)
        except _WorkerLostError as exc:
            self._state.stop_worker(gently=False)
            msg = f"the system voice stopped responding twice ({exc})"
            raise RenderFailed(msg) from exc
