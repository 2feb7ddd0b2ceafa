"""Hostile files are data: text shown as text (never control codes), regular files read bounded."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from assistant.core.i18n import _

#: The largest text file ground reads (a long script is ~10 KB; settings and exports are read
#: through their own limits).
TEXT_LIMIT = 256 * 1024


class UnsafeFile(OSError):
    """A file that is not a regular file, or too big to be one ground wrote or expects.

    Its message says what is wrong without the path (callers name the file).
    """


def _too_big(limit: int) -> str:
    # TRANSLATORS: follows a file's path; {size} is a number of kilobytes.
    return _("is larger than {size} KB; this is not a file ground can use").format(
        size=limit // 1024
    )


def one_line(text: str) -> str:
    """``text`` as one printable line: control characters (escape sequences, newlines, bells,
    bidi overrides) become spaces and runs of spaces one, so nothing from a file ever reaches
    the terminal as a command to it."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def printable(text: str) -> str:
    """``text`` with its line breaks kept and every other control character (escape
    sequences included) made a space: for notes shown over several lines."""
    return "\n".join(one_line(line) for line in text.splitlines())


def read_regular(path: Path, limit: int = TEXT_LIMIT) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Opened without blocking, so a FIFO, a device or a socket planted where a file is expected
    is refused at once instead of hanging the program.

    Raises:
        UnsafeFile: not a regular file, or larger than ``limit``.
        OSError: it cannot be opened or read.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            # TRANSLATORS: follows a file's path: "<path> is not a regular file; …".
            raise UnsafeFile(_("is not a regular file; put a text file there instead"))
        if info.st_size > limit:
            raise UnsafeFile(_too_big(limit))
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, 65536):
            size += len(chunk)
            if size > limit:  # it grew while being read
                raise UnsafeFile(_too_big(limit))
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_regular_text(path: Path, limit: int = TEXT_LIMIT) -> str:
    """:func:`read_regular` decoded as UTF-8 (``UnicodeDecodeError`` if it is not)."""
    return read_regular(path, limit).decode("utf-8")
