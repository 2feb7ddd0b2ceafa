"""The ``espeak-ng`` command engine: the Linux fast path, and the system voice's first fallback."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from .base import EngineUnavailable, Rendered, RenderFailed, UnknownVoice, Voice
from .clips import read_wav

#: How long one render may take before espeak-ng is killed (a short cue takes ~15 ms).
DEFAULT_TIMEOUT = 10.0
#: How long ``espeak-ng --version`` may take (≈ 10 ms): it is on the hotkey path, in every
#: cache key, so a hung program must not hold the first cue for long.
VERSION_TIMEOUT = 2.0

# One line of `espeak-ng --voices`:
#  Pty Language       Age/Gender VoiceName          File                 Other Languages
#   2  en-us          --/M       English_(America)  gmw/en-US            (en 3)
_VOICE_LINE = re.compile(
    r"^\s*(?P<pty>\d+)\s+(?P<lang>\S+)\s+(?P<age>\S+)/(?P<gender>\S+)\s+"
    r"(?P<name>\S+)\s+(?P<file>\S+)(?P<other>.*)$"
)
_OTHER_LANG = re.compile(r"\((\S+)\s+\d+\)")
_GENDERS = {"M": "male", "F": "female"}


def install_hint() -> str:
    """The command that installs espeak-ng on this platform."""
    if sys.platform == "darwin":
        return "brew install espeak-ng"
    if sys.platform == "win32":
        return "install it from https://github.com/espeak-ng/espeak-ng/releases"
    return "sudo apt-get install espeak-ng"


def run_bounded(
    argv: list[str], timeout: float, *, text: bool = False
) -> subprocess.CompletedProcess[Any]:
    """Run ``argv`` with stdin closed and stdout/stderr captured, for at most ``timeout`` s.

    It runs in its own process group, and on a timeout the whole group is killed: a hung
    espeak-ng (or a wrapper script) leaves no child of its own behind.

    Raises:
        subprocess.TimeoutExpired: it took longer (everything it started is gone by then).
        OSError: it could not start.
    """
    with subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    ) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
    if text:
        return subprocess.CompletedProcess(
            argv, proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
        )
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


#: Where the versions of espeak-ng programs are remembered between runs (None: asked every
#: time). Sessions set it (:func:`remember_versions_in`), so that with a warm cache the hotkey
#: path starts no process at all, even when espeak-ng itself has stopped answering.
_version_memo: Path | None = None
_MEMO_LIMIT = 64 * 1024


def remember_versions_in(path: Path | None) -> None:
    """Keep the versions :func:`espeak_version` learns in ``path`` (a small JSON file).

    Each is keyed by the program file's identity (its real path, size, change time and inode),
    so an upgraded espeak-ng is asked again.
    """
    global _version_memo
    _version_memo = path


def espeak_version(binary: str, timeout: float = VERSION_TIMEOUT) -> str:
    """The version ``binary --version`` reports (``1.51``), or ``unknown``.

    Args:
        binary: path of the espeak-ng executable.
        timeout: seconds to wait for it.

    Returns:
        The dotted version number.
    """
    memo = _version_memo
    identity = _identity(binary) if memo is not None else None
    known = _read_memo(memo) if memo is not None and identity is not None else {}
    if identity is not None and isinstance(known.get(identity), str):
        return str(known[identity])
    try:
        done = run_bounded([binary, "--version"], timeout, text=True)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    found = re.search(r"(\d+(?:\.\d+)+)", done.stdout)
    version = found.group(1) if found else "unknown"
    if memo is not None and identity is not None and version != "unknown":
        _write_memo(memo, {**known, identity: version})
    return version


def _identity(binary: str) -> str | None:
    try:
        info = Path(binary).stat()
    except OSError:
        return None
    return f"{os.path.realpath(binary)}:{info.st_size}:{info.st_ctime_ns}:{info.st_ino}"


def _read_memo(path: Path) -> dict[str, object]:
    import json

    from assistant.core.safe import read_regular

    try:
        data = json.loads(read_regular(path, _MEMO_LIMIT))
    except (OSError, ValueError):  # missing, a FIFO, too large, not JSON: ask the program
        return {}
    return data if isinstance(data, dict) else {}


def _write_memo(path: Path, memo: dict[str, object]) -> None:
    import json

    from assistant.core.files import atomic_write, private_dirs

    with contextlib.suppress(OSError, ValueError):  # only the next start misses out
        private_dirs(path.parent)
        atomic_write(path, json.dumps(memo, indent=1).encode("utf-8"))


class Background:
    """Runs a function on a daemon thread straight away; :meth:`result` waits for its value.

    Engines ask their version this way when they are built: the answer (a subprocess, ≈ 10–30
    ms) is part of every cache key, and working it out while the caller opens the audio stream
    keeps it off the hotkey path's critical path.
    """

    def __init__(self, func: Callable[[], str], name: str) -> None:
        """Start ``func`` now.

        Args:
            func: what to run; its exceptions are kept and re-raised by :meth:`result`.
            name: the thread's name.
        """
        self._func = func
        self._done = threading.Event()
        self._value = ""
        self._error: BaseException | None = None
        threading.Thread(target=self._run, name=name, daemon=True).start()

    def _run(self) -> None:
        try:
            self._value = self._func()
        except BaseException as exc:  # handed to the caller of result(), never lost in a thread  # noqa: BLE001
            self._error = exc
        finally:
            self._done.set()

    def result(self) -> str:
        """Wait for the value (or the exception) of the function."""
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._value


def parse_voices(listing: str) -> list[Voice]:
    """Parse the table ``espeak-ng --voices`` prints.

    Args:
        listing: the command's output.

    Returns:
        One voice per line that parses; the id is the voice file (``gmw/en-US``), which is unique,
        and its languages start with the main language tag (``en-us``), which also works as a voice.
    """
    voices: list[Voice] = []
    for line in listing.splitlines()[1:]:
        m = _VOICE_LINE.match(line)
        if m is None:
            continue
        languages = (m["lang"], *_OTHER_LANG.findall(m["other"]))
        voices.append(
            Voice(
                id=m["file"],
                name=m["name"].replace("_", " "),
                languages=tuple(dict.fromkeys(languages)),
                gender=_GENDERS.get(m["gender"]),
            )
        )
    return voices


def _fold(name: str) -> str:
    """Compare voice names without case, and with ``_`` as the space the listing shows it as."""
    return name.strip().lower().replace("_", " ")


class EspeakEngine:
    """Speech from the ``espeak-ng`` program, run once per text with ``-w <file>``.

    The program is always run from an argument list (never a shell), with ``--`` before the text
    so words starting with a dash are spoken, not taken as options.
    """

    name = "espeak"

    def __init__(self, binary: str = "espeak-ng", timeout: float = DEFAULT_TIMEOUT) -> None:
        """Find the program.

        Args:
            binary: program name or path.
            timeout: seconds one render may take.

        Raises:
            EngineUnavailable: the program is not installed.
        """
        found = shutil.which(binary)
        if found is None:
            msg = f"espeak-ng is not installed: {install_hint()}"
            raise EngineUnavailable(msg)
        self.binary = found
        self.timeout = timeout
        #: Why it was given up on (it stopped answering once): not asked again this session.
        self._gave_up: str | None = None
        self._version = Background(self._ask_version, "espeak-version")
        self._known: set[str] | None = None
        self._lock = threading.Lock()

    def version(self) -> str:
        """The espeak-ng version (asked once, in the background, when the engine was built)."""
        return self._version.result()

    def _ask_version(self) -> str:
        # A program that does not even answer --version in time hangs (a broken espeak-ng
        # first on PATH): given up on now, so the first phrase does not wait out the render
        # timeout (10 s) as well before the next engine speaks.
        started = time.monotonic()
        version = espeak_version(self.binary)
        if version == "unknown" and time.monotonic() - started >= VERSION_TIMEOUT:
            self._gave_up = (
                f"espeak-ng stopped answering (--version took over {VERSION_TIMEOUT:g} s)"
            )
        return version

    def voices(self) -> list[Voice]:
        """The voices ``espeak-ng --voices`` lists."""
        try:
            done = run_bounded([self.binary, "--voices"], self.timeout, text=True)
        except (OSError, subprocess.SubprocessError) as exc:
            msg = f"espeak-ng could not list its voices: {exc}"
            raise RenderFailed(msg) from exc
        return [
            replace(v, source="espeak-ng", licence="GPL-3.0-or-later")
            for v in parse_voices(done.stdout)
        ]

    def _check_voice(self, voice: str) -> None:
        """Refuse a voice espeak-ng does not list.

        espeak-ng itself only rejects names it cannot parse: anything that looks like a language
        tag falls back silently ("no-such-voice" speaks Norwegian), so the name is checked against
        ``--voices`` first. A ``+variant`` suffix is allowed, and a path with a ``/`` outside the
        standard list (an mbrola voice, say) is left for espeak-ng to judge.
        """
        with self._lock:
            if self._known is None:
                self._known = {
                    _fold(name) for v in self.voices() for name in (v.id, v.name, *v.languages)
                }
            known = self._known
        base = voice.split("+", 1)[0]
        if _fold(base) not in known and "/" not in base:
            raise UnknownVoice(voice, "espeak")

    def render(self, text: str, voice: str | None, rate: int | None) -> Rendered:
        """Speak ``text`` into a temporary WAV file and read it back.

        Args:
            text: the words.
            voice: a voice file (``gmw/en-US``) or language tag (``en-us``); None for the default.
            rate: words per minute (espeak-ng accepts 80–450); None for its default of 175.

        Returns:
            Mono 16-bit audio (22050 Hz for the standard voices).

        Raises:
            UnknownVoice: espeak-ng has no such voice.
            EngineUnavailable: it stopped answering, now or earlier in this session.
            RenderFailed: it failed or wrote an unusable file.
        """
        if rate is not None and rate <= 0:
            msg = f"speech rate must be a positive number of words per minute, not {rate}"
            raise ValueError(msg)
        if not text.strip():
            # espeak-ng would read stdin when given no words; nothing to say is no audio.
            return Rendered(b"", 22050)
        if self._gave_up is not None:
            raise EngineUnavailable(self._gave_up)
        if voice:
            self._check_voice(voice)
        fd, tmp = tempfile.mkstemp(prefix="ground-espeak-", suffix=".wav")
        os.close(fd)
        try:
            rendered = self._speak_into(tmp, text, voice, rate)
        finally:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
        if rendered.frames == 0:
            msg = f"espeak-ng wrote no audio for {text!r}"
            raise RenderFailed(msg)
        return rendered

    def _speak_into(self, tmp: str, text: str, voice: str | None, rate: int | None) -> Rendered:
        """Have espeak-ng write ``text`` into the WAV file ``tmp``, and read it back.

        Raises:
            UnknownVoice, EngineUnavailable, RenderFailed: as :meth:`render`.
        """
        argv = [self.binary, "-w", tmp]
        if voice:
            argv += ["-v", voice]
        if rate is not None:
            argv += ["-s", str(rate)]
        argv += ["--", text]
        try:
            done = run_bounded(argv, self.timeout)
        except subprocess.TimeoutExpired as exc:
            # Given up on once: a stuck engine would make every phrase wait as long again.
            self._gave_up = f"espeak-ng stopped answering (it took over {self.timeout:g} s)"
            raise EngineUnavailable(self._gave_up) from exc
        except OSError as exc:
            msg = f"espeak-ng could not run: {exc}"
            raise RenderFailed(msg) from exc
        problem = done.stderr.decode("utf-8", "replace").strip()
        if done.returncode != 0:
            if voice and "voice does not exist" in problem.lower():
                raise UnknownVoice(voice, "espeak")
            first = problem.splitlines()[0] if problem else "no message"
            msg = f"espeak-ng failed (exit {done.returncode}) to say {text!r}: {first}"
            raise RenderFailed(msg)
        try:
            return read_wav(tmp)
        except ValueError as exc:
            msg = f"espeak-ng wrote an unusable file for {text!r}: {exc}"
            raise RenderFailed(msg) from exc

    def close(self) -> None:
        """Nothing to release: each render is its own process."""
