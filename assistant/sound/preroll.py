"""The hotkey's first words before the rest of ground is imported: a pre-roll.

An earlier ``ground now`` (or ``ground panic``, or ``ground warm``) kept the opening frames of
that session (the first step, mixed as it plays them) in the cache, with its one-line safety
note and what both depended on: the command line, the settings file's bytes, the language the
environment asks for and ground's version. The next ``ground now`` with the same reads that
file, opens the stream with it as soon as PortAudio is up and prints the note, before parsing
arguments, settings or the script, compiling or importing the speech package: those run while
the first words play, and the session then takes over the same stream at the frame it has
reached (see :class:`PreRoll`). Stdlib only, like :mod:`assistant.sound.loader`: it runs
before anything else of ground is imported.
"""

# os.path, not pathlib: importing pathlib (urllib.parse, ipaddress) costs ~5 ms here.
# ruff: noqa: PTH111, PTH118

from __future__ import annotations

import os
import stat
import sys
import threading
from collections.abc import Callable

from assistant import __version__

TYPE_CHECKING = False  # typing itself is not imported this early (~2 ms)
if TYPE_CHECKING:
    from typing import Any

MAGIC = b"ground-preroll 2\n"
#: The commands that keep a pre-roll, each in a file of its own.
COMMANDS = ("now", "panic")
#: What the language follows when neither ``--lang`` nor the settings name one (as
#: ``core.i18n.ENVIRONMENT``; not imported from there: pathlib and gettext are not loaded yet).
LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
#: A pre-roll is a few seconds of 16-bit mono audio; anything larger is not ours.
LIMIT = 8 * 1024 * 1024
#: How long the hotkey waits for PortAudio before it leaves the start to the session.
WAIT = 4.0


def _folder(variable: str, fallback: str) -> str | None:
    """A base folder as platformdirs finds it on Linux (``$XDG_…`` or ``~/…``)."""
    value = os.environ.get(variable, "").strip()
    if value:
        return value
    home = os.path.expanduser("~")
    return None if home == "~" else os.path.join(home, fallback)


def command_of(args: list[str]) -> str | None:
    """The hotkey command a command line runs (``--lang`` may stand before it), or None."""
    index = 0
    while index < len(args) and (args[index] == "--lang" or args[index].startswith("--lang=")):
        index += 2 if args[index] == "--lang" else 1
    command = args[index] if index < len(args) else None
    return command if command in COMMANDS else None


def cache_file(command: str = "now") -> str | None:
    """Where ``command``'s pre-roll is kept (None where ground's folders are not the Linux
    ones)."""
    name = f"{command}.preroll"
    home = os.environ.get("GROUND_HOME")
    if home:
        return os.path.join(os.path.expanduser(home), "cache", name)
    base = _folder("XDG_CACHE_HOME", ".cache") if sys.platform == "linux" else None
    return None if base is None else os.path.join(base, "ground", name)


def settings_file() -> str | None:
    """The settings file the pre-roll depends on (the one ``storage.paths`` finds)."""
    home = os.environ.get("GROUND_HOME")
    if home:
        return os.path.join(os.path.expanduser(home), "config", "settings.toml")
    base = _folder("XDG_CONFIG_HOME", ".config") if sys.platform == "linux" else None
    return None if base is None else os.path.join(base, "ground", "settings.toml")


def _read(path: str, limit: int) -> bytes | None:
    """A regular file's bytes (at most ``limit``), None if absent, special or too big."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        data = os.read(fd, limit + 1)
        return data if len(data) <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def key(args: list[str]) -> bytes | None:
    """What the pre-roll depends on: version, command line, the language the environment asks
    for, and the settings file's bytes (voice, levels, sounds, language)."""
    path = settings_file()
    if path is None:
        return None
    settings = _read(path, 1024 * 1024)
    language = "\0".join(os.environ.get(name, "") for name in LANGUAGE_VARIABLES)
    parts = [__version__, "\0".join(args), language, "-" if settings is None else "+"]
    return "\n".join(parts).encode("utf-8", "surrogateescape") + b"\n" + (settings or b"")


class PreRoll:
    """The opening frames of a session, playing until the session adopts the stream.

    The stream's callback copies the frames; once they run out before the session is ready,
    it plays silence without moving on (the session's clock waits, as in a pause). The session
    hands over with :meth:`hand_over`; at the next callback, on the audio thread, the session's
    own transport starts where the pre-roll is and its callback takes over.

    Attributes:
        rate, latency, blocksize: the stream's parameters (those the session uses).
        frames: how many frames the pre-roll holds.
        fingerprint: what the frames were mixed from (``Mixer.fingerprint``): the session
            compares its own to know whether it continues exactly where these frames end.
    """

    def __init__(
        self,
        pcm: bytes,
        rate: int,
        latency: float,
        blocksize: int,
        fingerprint: str,
        note: str = "",
    ) -> None:
        self.pcm = pcm
        self.note = note
        """The one-line safety note said before the session (empty: none)."""
        self.rate = rate
        self.latency = latency
        self.blocksize = blocksize
        self.fingerprint = fingerprint
        self.frames = len(pcm) // 2
        self.position = 0
        """Frames handed to the device so far (the audio thread writes it)."""
        self.underruns = 0
        self.stream: Any = None
        self._callback: Callable[..., None] | None = None
        self._finished: Callable[[], None] | None = None
        self._pending: (
            tuple[
                Callable[..., None], Callable[[], None], Callable[[int], None], Callable[[], None]
            ]
            | None
        ) = None
        self._wait_for_end = False
        self.ended = threading.Event()
        # start() (on the import thread) and stop() (on the main thread) may cross: once
        # stopped, a stream is never opened.
        self._lock = threading.Lock()
        self._stopped = False

    def _on_audio(self, outdata: Any, frames: int, time: Any, status: Any) -> None:
        callback = self._callback
        if callback is not None:
            callback(outdata, frames, time, status)
            return
        pending = self._pending
        if pending and not self._wait_for_end:
            self._adopt(pending)(outdata, frames, time, status)
            return
        if pending:
            pending[3]()  # still alive, for the session's stall watch, while it plays on
        if status.output_underflow:
            self.underruns += 1
        start = self.position * 2
        chunk = self.pcm[start : start + frames * 2]
        outdata[: len(chunk)] = chunk
        self.position += len(chunk) // 2
        rest = frames - len(chunk) // 2
        if rest and pending:
            # Played to its end: the session's frames follow in the same block, no gap.
            self._adopt(pending)(memoryview(outdata)[len(chunk) :], rest, time, status)
        elif rest:
            # Nothing to follow yet: silence, the clock waiting (as in a pause).
            outdata[len(chunk) : frames * 2] = bytes(rest * 2)

    def _adopt(
        self,
        pending: tuple[
            Callable[..., None], Callable[[], None], Callable[[int], None], Callable[[], None]
        ],
    ) -> Callable[..., None]:
        """Start the session's clock at the frames played so far and pass it the stream."""
        callback, self._finished, begin, _ = pending
        begin(self.position)  # the session's transport, set by its only writer
        self._callback = callback
        return callback

    def _on_finished(self) -> None:
        finished = self._finished
        self.ended.set()
        if finished is not None:
            finished()

    def start(self, sd: Any) -> None:
        """Open the default output device and start playing, unless already stopped (raises
        what sounddevice does)."""
        import atexit

        with self._lock:
            if self._stopped:
                return
            self.stream = sd.RawOutputStream(
                samplerate=self.rate,
                channels=1,
                dtype="int16",
                latency=self.latency,
                blocksize=self.blocksize,
                callback=self._on_audio,
                finished_callback=self._on_finished,
            )
            # After sounddevice's own exit hook, so it runs first (atexit is LIFO):
            # terminating PortAudio under a running callback crashed the interpreter.
            atexit.register(self.stop)
            self.stream.start()

    def hand_over(
        self,
        callback: Callable[..., None],
        finished: Callable[[], None],
        begin: Callable[[int], None],
        alive: Callable[[], None],
        *,
        at_end: bool,
    ) -> None:
        """Give the stream to the session.

        Args:
            callback: the session player's stream callback, called from the next block on.
            finished: the session player's finished callback.
            begin: called once on the audio thread with the frames played so far, just before
                ``callback`` is first called: the session starts its clock there.
            alive: called for each block the pre-roll still plays after the hand-over (the
                session counts a stream that stops calling back as a lost device).
            at_end: play the pre-roll to its end first (the session's frames differ from these:
                it then carries on at its own next step instead of mid-sentence).
        """
        self._wait_for_end = at_end
        self._pending = (callback, finished, begin, alive)

    @property
    def adopted(self) -> bool:
        """Whether a session has been handed the stream."""
        return self._pending is not None

    def stop(self) -> None:
        """Stop and close the stream unless a session took it (then the session does); a
        stream not opened yet never will be."""
        # Bounded: the import thread holds the lock while PortAudio opens the device.
        locked = self._lock.acquire(timeout=WAIT)
        try:
            if self.adopted:
                return
            self._stopped = True
            stream, self.stream = self.stream, None
        finally:
            if locked:
                self._lock.release()
        if stream is None:
            return
        try:
            stream.abort()
            stream.close()
        except Exception:  # noqa: BLE001 - stopping regardless: the device may be gone
            pass


_RUNNING: list[PreRoll] = []


def load(args: list[str]) -> PreRoll | None:
    """The kept pre-roll for this command line and settings, or None (absent or stale)."""
    command = command_of(args)
    path = None if command is None else cache_file(command)
    wanted = key(args)
    if path is None or wanted is None:
        return None
    data = _read(path, LIMIT)
    if data is None or not data.startswith(MAGIC):
        return None
    try:
        header_end = data.index(b"\n", len(MAGIC))
        header = data[len(MAGIC) : header_end].split()
        rate, blocksize, key_length, note_length, latency, fingerprint = header
        start = header_end + 1
        note_at = start + int(key_length)
        pcm_at = note_at + int(note_length)
        stored, pcm = data[start:note_at], data[pcm_at:]
        note = data[note_at:pcm_at].decode("utf-8")
        preroll = PreRoll(
            pcm, int(rate), float(latency), int(blocksize), fingerprint.decode(), note
        )
    except ValueError:  # UnicodeDecodeError is one
        return None
    if stored != wanted or len(pcm) % 2 or not 8000 <= preroll.rate <= 192_000:
        return None
    if not note.isprintable():
        return None  # a note is one line of text, never control codes
    return preroll


def encode(
    pcm: bytes,
    rate: int,
    latency: float,
    blocksize: int,
    fingerprint: str,
    args: list[str],
    note: str = "",
) -> bytes | None:
    """A pre-roll file's bytes (None when there is nowhere to keep one, or for a note that is
    not one printable line)."""
    wanted = key(args)
    if wanted is None or not note.isprintable():
        return None
    said = note.encode("utf-8")
    header = f"{rate} {blocksize} {len(wanted)} {len(said)} {latency!r} {fingerprint}\n"
    return MAGIC + header.encode() + wanted + said + pcm


def start(
    args: list[str],
    sd_wait: Callable[[float], Any],
    when_imported: Callable[[Callable[[Any], None]], bool],
) -> PreRoll | None:
    """Play the kept pre-roll for ``args`` as soon as PortAudio is up, and print its safety
    note meanwhile; None if there is none or it cannot play (the session then opens the sound
    itself, as without a pre-roll).

    Args:
        args: the command line after ``ground``.
        sd_wait: returns the sounddevice module, waiting at most the seconds given.
        when_imported: runs a function on the thread importing sounddevice right after the
            import (False if too late): the stream starts there, with no hand-over to this
            thread first (each one cost a scheduling delay on a busy machine).
    """
    preroll = load(args)
    if preroll is None:
        return None
    _RUNNING.append(preroll)  # from here on stop_unadopted() stops it, whatever comes next
    failed: list[BaseException] = []

    def begin(sd: Any) -> None:
        try:
            preroll.start(sd)
        except Exception as exc:  # noqa: BLE001 - reported to the main thread below
            failed.append(exc)

    try:
        hooked = when_imported(begin)
        # While PortAudio starts on its thread: printing costs this one microseconds.
        say_note(preroll.note, sys.stdout)
        sd = sd_wait(WAIT) if hooked else None
        if preroll.stream is None and not failed:
            preroll.start(sd or sd_wait(WAIT))
    except Exception:  # noqa: BLE001 - no pre-roll then: the session walks the failure ladder
        failed.append(RuntimeError())
    if failed:
        _RUNNING.remove(preroll)
        preroll.stop()
        return None
    return preroll


_SAID: list[str] = []


def note_said() -> bool:
    """Whether a pre-roll has printed the session's safety note already (not to repeat it)."""
    return bool(_SAID)


def say_note(note: str, out: Any) -> None:
    """Print the safety note as ``cli.before`` prints the hotkey's: dim and wrapped to the
    terminal on one, plain otherwise (``textwrap`` only for a note wider than the terminal)."""
    if not note:
        return
    text = note
    try:
        tty = bool(out.isatty())
    except (AttributeError, OSError, ValueError):
        tty = False
    if tty:
        width = max(20, _columns() - 1)
        if len(text) > width or text != text.strip():
            import textwrap

            text = textwrap.fill(text, width)
        if "NO_COLOR" not in os.environ:
            text = f"\x1b[2m{text}\x1b[0m"
    out.write(text + "\n")
    out.flush()
    _SAID.append(note)


def _columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it (shutil is not loaded)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


def take() -> PreRoll | None:
    """The pre-roll playing now, for the session to adopt (once)."""
    return _RUNNING.pop() if _RUNNING else None


def stop_unadopted() -> None:
    """Stop a pre-roll no session took (the command ended or failed before opening one)."""
    while _RUNNING:
        _RUNNING.pop().stop()
