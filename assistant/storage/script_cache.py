"""Parsed scripts kept between runs, by file path, size and times: a big library loads at once.

``ground list`` with 1,000 scripts of one's own spent 2 s parsing TOML and estimating lengths on
every run; with this cache it reads one file. An entry is used only while its file's size,
mtime and ctime are unchanged, and the whole cache only for the same program files (an update
or an edit of the code starts it afresh). It lives in the private cache folder (0700, the file
0600, written whole then renamed into place); one that is not ours, not a regular file, too big
or unreadable is ignored (and never replaced), and the scripts are parsed as before.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from assistant import __version__
from assistant.core.files import atomic_write
from assistant.core.library import Library, load_library
from assistant.core.loader import ScriptError
from assistant.core.model import Script
from assistant.storage.paths import cache_dir, private_dir, user_scripts_dir

T = TypeVar("T")

CACHE_NAME = "scripts.cache"
#: Bigger than 1,000 scripts need by far (≈ 3 MB); anything larger is not ours to trust.
MAX_BYTES = 64 * 1024 * 1024
_FORMAT = 1

FileKey = tuple[int, int, int]
"""size, mtime and ctime in nanoseconds: any write to the file changes one of them."""


def _file_key(info: os.stat_result) -> FileKey:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def program_stamp() -> str:
    """What the cached results depend on: the version, Python, and every module's file."""
    package = Path(__file__).resolve().parents[1]
    total, newest, count = 0, 0, 0
    # os.walk, not Path.rglob: the same files in a sixth of the time (rglob took ~5 ms of the
    # TUI's first frame on its first call, compiling its pattern and making a Path per file).
    for folder, _, names in os.walk(package):
        for name in names:
            if not name.endswith(".py"):
                continue
            with contextlib.suppress(OSError):
                info = os.stat(os.path.join(folder, name))  # noqa: PTH116, PTH118 - as above
                total += info.st_size
                newest = max(newest, info.st_mtime_ns)
                count += 1
    return f"{_FORMAT}:{__version__}:{sys.version}:{count}:{total}:{newest}"


class ScriptCache:
    """Scripts (or their problems) by file, and values worked out from them (their length).

    Use :meth:`open`; :meth:`load` is what :func:`assistant.core.library.load_library` calls
    for each file; :meth:`save` writes back what this run used (and drops files now gone).
    """

    def __init__(self, file: Path | None, stamp: str, entries: dict[str, Any]) -> None:
        self.file = file
        self.stamp = stamp
        self._old = entries
        self._used: dict[str, list[Any]] = {}
        self._of_script: dict[int, list[Any]] = {}
        self._changed = False

    @classmethod
    def open(cls, file: Path | None = None) -> ScriptCache:
        """The cache in ``file`` (default: the private cache folder); empty if unusable."""
        stamp = program_stamp()
        if file is None:
            try:
                file = private_dir(cache_dir()) / CACHE_NAME
            except OSError:
                return cls(None, stamp, {})
        return cls(file, stamp, _read(file, stamp))

    def load(self, path: Path, loader: Callable[[Path], Script], variant: str = "") -> Script:
        """``loader(path)``, or what it returned (or raised) for this very file before, read
        the same way (``variant``: the language a script without ``lang`` is taken to be in).

        Raises:
            ScriptError: the file is not a valid script (cached like a script).
        """
        try:
            key: FileKey | None = _file_key(path.stat())
        except OSError:
            key = None
        # The variant is part of the entry's name: a script without ``lang`` read in Spanish
        # is another result than the same file read in English.
        name = f"{path}\0{variant}" if variant else str(path)
        entry = self._old.get(name)
        if key is None or entry is None or entry[0] != key:
            try:
                entry = [key, loader(path), {}]
            except ScriptError as exc:
                entry = [key, exc.problems, {}]
            if key is not None:
                self._changed = True
        self._used[name] = entry
        result = entry[1]
        if isinstance(result, Script):
            self._of_script[id(result)] = entry
            return result
        raise ScriptError(list(result))

    def derived(self, script: Script, name: str, compute: Callable[[Script], T]) -> T:
        """``compute(script)``, kept with the script's file entry (computed once per file)."""
        entry = self._of_script.get(id(script))
        if entry is None:
            return compute(script)
        values: dict[str, Any] = entry[2]
        if name not in values:
            values[name] = compute(script)
            self._changed = True
        return values[name]  # type: ignore[no-any-return]

    def save(self) -> None:
        """Write the entries this run used, if anything changed (best effort: it is a cache)."""
        if self.file is None or not (self._changed or set(self._old) != set(self._used)):
            return
        payload = pickle.dumps((self.stamp, self._used), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            # A fresh temporary file (never opened through a link planted beside the cache),
            # renamed over a regular file only: anything else at the path is left, unused.
            atomic_write(self.file, payload)
        except OSError:
            return
        self._old = dict(self._used)
        self._changed = False


def _read(file: Path, stamp: str) -> dict[str, Any]:
    """The entries in ``file`` if it is a regular file of ours, bounded, of this program."""
    try:
        # Not blocking: a FIFO planted at the cache's path is refused, never waited on.
        fd = os.open(file, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return {}
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if (
                not stat.S_ISREG(info.st_mode)
                or info.st_uid != os.getuid()
                or info.st_mode & 0o022  # writable by others: not ours to trust
                or info.st_size > MAX_BYTES
            ):
                return {}
            stored_stamp, entries = pickle.loads(handle.read())  # our own file, checked above
    except Exception:  # noqa: BLE001 - a damaged cache is only a slower start
        return {}
    if stored_stamp != stamp or not isinstance(entries, dict):
        return {}
    return entries


def cached_library(user_dir: Path | None = None) -> tuple[Library, ScriptCache]:
    """Shipped and user scripts through the cache (saved at once; save again after
    :meth:`ScriptCache.derived` values were added)."""
    cache = ScriptCache.open()
    library = load_library(user_scripts_dir() if user_dir is None else user_dir, cache)
    cache.save()
    return library, cache
