"""Writing the person's files safely: private modes, atomic replaces, never a device or symlink."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import time
from pathlib import Path

from assistant.core.i18n import _

#: Folders ground creates are the user's alone, whatever the umask.
DIR_MODE = 0o700
#: And so are the files in them.
FILE_MODE = 0o600


class UnsafeTarget(OSError):
    """A path to write that is a symlink, a device or anything else but a regular file.

    Its message says what the path is and what to do, without the path (callers name it).
    """


def private_dirs(path: Path) -> Path:
    """Create ``path`` and every missing parent with mode 0700; returns ``path``.

    ``Path.mkdir(parents=True)`` gives the parents it creates the default mode (0755 under
    the usual umask): this creates each level itself.
    """
    missing: list[Path] = []
    for level in (path, *path.parents):
        if level.is_dir():
            break
        missing.append(level)
    for level in reversed(missing):
        try:
            level.mkdir(mode=DIR_MODE)
        except FileExistsError:
            if not level.is_dir():  # a file where a folder should be: say so plainly
                in_the_way = _("a file is in the way")
                raise NotADirectoryError(errno.ENOTDIR, in_the_way, str(level)) from None
    return path


def check_target(path: Path) -> None:
    """Refuse to write over anything but a regular file (or a new path).

    Raises:
        UnsafeTarget: ``path`` is a symlink, a folder, a device, a FIFO or a socket.
    """
    try:
        info = path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return  # a new path (writing it may still fail, with its own error)
    if stat.S_ISREG(info.st_mode):
        return
    if stat.S_ISLNK(info.st_mode):
        # TRANSLATORS: follows a file's path ("<path> is a symbolic link; …"), as the others.
        what = _("is a symbolic link; ground does not write through links, give the real file")
    elif stat.S_ISDIR(info.st_mode):
        what = _("is a folder; give a file name inside it")
    else:
        what = _("is a device or special file, not a regular file; give a file name")
    raise UnsafeTarget(what)


def atomic_write(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, with ``mode``.

    A reader never sees half a file, and a crash leaves the old one. Only a regular file or a
    new path is replaced: a symlink, device or FIFO at ``path`` is refused, never followed. The
    temporary file gets a random name and is created exclusively, never through a link
    (``mkstemp``: ``O_EXCL | O_NOFOLLOW``), so a link planted beside ``path`` is never opened.

    Raises:
        UnsafeTarget: see :func:`check_target`.
        OSError: the folder is missing or not writable, or the disk is full.
    """
    check_target(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        check_target(path)  # something planted meanwhile is refused, not replaced
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_own(path: Path, limit: int) -> bytes:
    """The bytes of the person's file at ``path``, read to be rewritten: a regular file of at
    most ``limit`` bytes, never read through a symlink at ``path`` and never waited on.

    Raises:
        UnsafeTarget: ``path`` is a symlink, a device, a FIFO or a folder, or is too big.
        OSError: it cannot be opened or read (``FileNotFoundError`` if it is not there).
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link
            check_target(path)
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            check_target(path)
            # TRANSLATORS: follows a file's path: "<path> is not a regular file".
            raise UnsafeTarget(_("is not a regular file"))
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, 65536):
            size += len(chunk)
            if size > limit:  # bigger than any such file of the person's, or growing
                # TRANSLATORS: follows a file's path; {size} is a number of kilobytes.
                raise UnsafeTarget(
                    _("is larger than {size} KB; ground left it alone").format(size=limit // 1024)
                )
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def shared_mode() -> int:
    """The mode a new file of the person's own gets under their umask (a render, an export
    they asked for in a folder of their choosing)."""
    umask = os.umask(0o077)
    os.umask(umask)
    return 0o666 & ~umask


def create_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (mode 0600 whatever the umask), never through a symlink.

    For small files that are rewritten in place (a pid file, an error report).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags | os.O_NONBLOCK, FILE_MODE)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnsafeTarget(_("is not a regular file"))
        os.fchmod(fd, FILE_MODE)
        os.write(fd, data)
    finally:
        os.close(fd)


def set_aside(path: Path) -> Path:
    """Rename a damaged file to ``<name>.broken-<time>`` (``-2``, ``-3``… if taken); returns it.

    Never overwrites: the new name is claimed with a hard link, which fails if it exists, so
    two set-asides in the same second (or two processes at once) keep both files.
    """
    stamp = time.strftime("%Y%m%d-%H%M%S")
    count = 1
    while True:
        aside = path.with_name(f"{path.name}.broken-{stamp}" + (f"-{count}" if count > 1 else ""))
        try:
            os.link(path, aside, follow_symlinks=False)
        except FileExistsError:
            count += 1
            continue
        except OSError:
            # No hard links here (some network or FAT file systems): check, then rename.
            if aside.exists() or aside.is_symlink():
                count += 1
                continue
            path.rename(aside)
        else:
            path.unlink()
        aside.chmod(FILE_MODE)
        return aside
