"""Speech engines in worker processes: start one, talk JSON lines to it, time out, restart.

Engines whose library can hang, print on the terminal, or take long to load (pyttsx3, Piper) run
it in a child process of their own. Both sides live here:

- the parent side, :class:`WorkerProcess`: starts ``python -m <module>``, waits for its ready
  line, sends one request at a time with a timeout, and replaces a worker that hung or died
  (retrying the request once);
- the child side, :func:`claim_protocol_fds`, :func:`watch_parent` and :func:`serve`, which a
  worker module calls from its ``main``.

Protocol: JSON, one object per line. On start the worker sends ``{"ready": true, ...}`` or
``{"ready": false, "error": "<one plain line>"}`` and exits; then each request
``{"id": n, "op": ..., ...}`` gets one reply carrying the same ``id``; ``{"op": "quit"}`` ends
it. Standard library only: worker modules import this before their heavy library.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

#: The folder that holds the ``assistant`` package, so a worker can import it from anywhere.
_IMPORT_ROOT = str(Path(__file__).resolve().parents[2])
#: How often a worker checks that the process that started it still exists.
PARENT_CHECK_SECONDS = 2.0

Handler = Callable[[dict[str, Any]], dict[str, Any]]


class WorkerLostError(Exception):
    """The worker exited, hung past the timeout, or closed its pipe."""


class WorkerUnavailable(Exception):
    """The worker could not start; the message is one plain line saying why.

    Attributes:
        definite: the worker itself said it cannot run here (remembered, never retried), as
            opposed to a slow or crashed start that may work next time.
    """

    def __init__(self, message: str, *, definite: bool) -> None:
        super().__init__(message)
        self.definite = definite


# -- parent side ---------------------------------------------------------------------------------


@functools.cache
def installed_version(distribution: str) -> str:
    """The installed version of ``distribution`` (``pyttsx3``, ``piper-tts``), or ``missing``.

    Looks for the ``<name>-<version>.dist-info`` folder on ``sys.path`` the way
    ``importlib.metadata`` does, but without importing that module (≈ 10–30 ms here): engine
    versions are part of every cache key, and the automatic engine asks whether Piper is
    installed, on the hotkey path. Remembered for the process's life.
    """
    stem = distribution.replace("-", "_")
    for entry in sys.path:
        try:
            found = next(Path(entry or ".").glob(f"{stem}-*.dist-info"), None)
        except OSError:
            continue
        if found is not None:
            return found.name.removeprefix(f"{stem}-").removesuffix(".dist-info")
    if not any(entry.endswith((".zip", ".egg")) for entry in sys.path):
        return "missing"  # no other layout to search: keep a missing extra cheap to ask about
    from importlib import metadata  # eggs and zips

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "missing"


def worker_env() -> dict[str, str]:
    """The environment for a worker: ours, plus a way to import ``assistant`` if needed.

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

    Kept apart from :class:`WorkerProcess` so that a finalizer can clean them up without
    keeping it alive.
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


class WorkerProcess:
    """One worker process, started on demand and replaced when it hangs or dies.

    Not thread-safe by itself: the engine that owns it serialises calls with its own lock.

    Attributes:
        label: how messages name the engine ("the system voice", "Piper").
        timeout: seconds a request (or the start-up) may take before the worker is declared stuck.
        python: the interpreter that runs the worker.
        restarts: how many times a stuck or dead worker was replaced.
        hello: the ready line of the running worker (empty before the first start).
    """

    def __init__(self, label: str, timeout: float, python: str | None = None) -> None:
        """Prepare, without starting anything.

        Args:
            label: how messages name the engine.
            timeout: seconds a request or the start-up may take.
            python: interpreter for the worker (default: this one).
        """
        self.label = label
        self.timeout = timeout
        self.python = python or sys.executable
        self.restarts = 0
        self.hello: dict[str, Any] = {}
        self._state = _WorkerState()
        self._next_id = 0
        # Ends the worker when its owner is dropped or the program exits without shutdown().
        weakref.finalize(self, self._state.shutdown)

    @property
    def pid(self) -> int | None:
        """The worker's process id while it runs."""
        proc = self._state.proc
        return proc.pid if proc is not None and proc.poll() is None else None

    @property
    def started(self) -> bool:
        """Whether a worker was started and has not been stopped since (alive or not)."""
        return self._state.proc is not None

    def scratch(self) -> Path:
        """A private folder (0700) for the worker's output files."""
        state = self._state
        if state.scratch is None or not state.scratch.is_dir():
            state.scratch = Path(tempfile.mkdtemp(prefix="ground-tts-"))
        return state.scratch

    def ensure(self, module: str, args: Sequence[str] = ()) -> None:
        """Start ``python -m module args…`` unless a worker is running; wait for its ready line.

        Args:
            module: the worker module.
            args: its command-line arguments.

        Raises:
            WorkerUnavailable: it could not start (the message says why).
        """
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
        errors = self.scratch() / "worker-errors.txt"
        self._start(module, args, errors)
        self.hello = self._wait_ready(errors)

    def _start(self, module: str, args: Sequence[str], errors: Path) -> None:
        """Start the worker process and the thread that reads its replies.

        Raises:
            WorkerUnavailable: it could not start (``definite=False``).
        """
        state = self._state
        try:
            with errors.open("wb") as stderr:
                proc = subprocess.Popen(
                    # -P and a private working folder: `python -m` would otherwise put the
                    # folder ground runs in first on sys.path, and a json.py or pyttsx3.py
                    # there would run inside the worker. (-I would also drop PYTHONPATH and
                    # the user site-packages, which a --user install or a checkout needs.)
                    [self.python, "-P", "-m", module, *args],
                    cwd=self.scratch(),
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=stderr,
                    env=worker_env(),
                    # Its own session: Ctrl-C in the terminal reaches us, and we end the worker.
                    start_new_session=True,
                )
        except OSError as exc:
            msg = f"{self.label} could not start its worker ({exc})"
            raise WorkerUnavailable(msg, definite=False) from exc
        assert proc.stdout is not None
        state.proc = proc
        state.replies = queue.Queue()
        threading.Thread(
            target=_read_replies,
            args=(proc.stdout, state.replies),
            name=f"{module.rsplit('.', 1)[-1].strip('_')}-replies",
            daemon=True,
        ).start()

    def _wait_ready(self, errors: Path) -> dict[str, Any]:
        """The worker's first line, once it says it is ready.

        Raises:
            WorkerUnavailable: it exited or said why not (``definite`` when it said so), or it
                was not ready within the timeout; the worker is stopped by then.
        """
        state = self._state
        try:
            hello = state.replies.get(timeout=self.timeout)
        except queue.Empty:
            hello = None
            why = f"{self.label} did not start within {self.timeout:g} s"
        else:
            why = f"{self.label}'s worker exited while starting"
        if hello is None or not hello.get("ready"):
            state.stop_worker(gently=False)
            last = _last_line(errors)
            if last:
                why = f"{why} ({last})"
            if hello is not None:
                raise WorkerUnavailable(str(hello.get("error") or why), definite=True)
            raise WorkerUnavailable(why, definite=False)
        return hello

    def send(self, message: dict[str, Any]) -> dict[str, Any]:
        """One request to the running worker and its reply.

        Raises:
            WorkerLostError: no worker runs, or it hung, died or closed its pipe.
        """
        proc = self._state.proc
        if proc is None or proc.stdin is None:
            raise WorkerLostError("it is not running")
        self._next_id += 1
        ident = self._next_id
        try:
            proc.stdin.write((json.dumps({**message, "id": ident}) + "\n").encode("utf-8"))
            proc.stdin.flush()
        except (OSError, ValueError) as exc:
            raise WorkerLostError("its input pipe closed") from exc
        while True:
            try:
                reply = self._state.replies.get(timeout=self.timeout)
            except queue.Empty:
                raise WorkerLostError(f"no answer within {self.timeout:g} s") from None
            if reply is None:
                raise WorkerLostError("it exited")
            if reply.get("id") == ident:
                return reply

    def call(self, message: dict[str, Any], start: Callable[[], None]) -> dict[str, Any]:
        """Send a request; if the worker hangs or dies, replace it and try once more.

        Args:
            message: the request.
            start: makes sure a worker runs (the owner's ``ensure`` with its module and args).

        Raises:
            WorkerStoppedTwice: it hung or died on both tries.
            WorkerUnavailable: from ``start``.
        """
        start()
        try:
            return self.send(message)
        except WorkerLostError:
            self.stop(gently=False)
            self.restarts += 1
        start()
        try:
            return self.send(message)
        except WorkerLostError as exc:
            self.stop(gently=False)
            msg = f"{self.label} stopped responding twice ({exc})"
            raise WorkerStoppedTwice(msg) from exc

    def stop(self, *, gently: bool) -> None:
        """End the worker (asking it to quit first if ``gently``); the next call starts anew."""
        self._state.stop_worker(gently=gently)

    def shutdown(self) -> None:
        """Stop the worker and delete its scratch files."""
        self._state.shutdown()


class WorkerStoppedTwice(Exception):
    """A request failed twice because the worker hung or died each time."""


# -- child side ----------------------------------------------------------------------------------


def claim_protocol_fds() -> tuple[IO[str], IO[str]]:
    """Move stdin/stdout to private descriptors and point fds 0, 1, 2 at the null device.

    Call first thing in a worker: nothing a library (or a program it starts) prints can then
    corrupt the protocol or reach the terminal.
    """
    proto_in = os.fdopen(os.dup(0), "r", encoding="utf-8")
    proto_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    return proto_in, proto_out


def sender(proto_out: IO[str]) -> Callable[[dict[str, Any]], None]:
    """A function that writes one protocol message as a JSON line."""

    def send(message: dict[str, Any]) -> None:
        proto_out.write(json.dumps(message) + "\n")
        proto_out.flush()

    return send


def watch_parent() -> None:
    """Start a thread that exits the worker if its parent goes away.

    A render stuck in a library never reads stdin again, so it would not notice the pipe
    closing; this check does.
    """
    parent = os.getppid()

    def watch() -> None:
        stop = threading.Event()
        while not stop.wait(PARENT_CHECK_SECONDS):
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def serve(
    handlers: dict[str, Handler], proto_in: IO[str], send: Callable[[dict[str, Any]], None]
) -> None:
    """Answer requests with ``handlers[op]`` until stdin closes or a quit request arrives.

    A handler's exception becomes an ``{"ok": false, "kind": "error"}`` reply: the worker stays
    alive, and the parent decides what to do.
    """
    for line in proto_in:
        if not line.strip():
            continue
        request: dict[str, Any] = json.loads(line)
        op = request.get("op")
        if op == "quit":
            return
        handler = handlers.get(str(op))
        try:
            if handler is None:
                reply = {"ok": False, "kind": "error", "error": f"unknown op {op!r}"}
            else:
                reply = handler(request)
        except Exception as exc:  # report, stay alive: the parent decides what to do  # noqa: BLE001
            reply = {"ok": False, "kind": "error", "error": f"{type(exc).__name__}: {exc}"}
        reply["id"] = request.get("id")
        send(reply)
