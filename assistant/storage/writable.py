"""One line for a folder of ground's that cannot be written, saying what to do about it."""

from __future__ import annotations

import errno
from pathlib import Path

_NOT_YOURS = {errno.EROFS, errno.EACCES, errno.EPERM}


def cannot_write(path: Path, exc: OSError, what: str = "create") -> str:
    """``could not create PATH (Read-only file system); make it writable, or …``.

    Args:
        path: the file or folder that could not be made or written.
        exc: the error.
        what: the verb (``create``, ``write``).
    """
    why = exc.strerror or str(exc)
    if exc.errno in _NOT_YOURS:
        hint = "make it writable, or set GROUND_HOME to a folder you can write to"
    elif exc.errno == errno.ENOSPC:
        hint = "free some space on that disk"
    else:
        hint = "check the folder"
    return f"could not {what} {path} ({why}); {hint}"
