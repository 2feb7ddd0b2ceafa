"""One line for a folder of ground's that cannot be written, saying what to do about it."""

from __future__ import annotations

import errno
from pathlib import Path

from assistant.core.i18n import _

_NOT_YOURS = {errno.EROFS, errno.EACCES, errno.EPERM}


def cannot_write(path: Path, exc: OSError, what: str = "create") -> str:
    """``could not create PATH (Read-only file system); make it writable, or …``.

    Args:
        path: the file or folder that could not be made or written.
        exc: the error.
        what: what could not be done: ``create`` or ``write``.
    """
    why = exc.strerror or str(exc)
    if exc.errno in _NOT_YOURS:
        # TRANSLATORS: GROUND_HOME is a variable's name: keep it.
        hint = _("make it writable, or set GROUND_HOME to a folder you can write to")
    elif exc.errno == errno.ENOSPC:
        hint = _("free some space on that disk")
    else:
        hint = _("check the folder")
    # TRANSLATORS: {why} is the system's reason; {hint} says what to do ("check the folder").
    line = (
        _("could not write {path} ({why}); {hint}")
        if what == "write"
        else _("could not create {path} ({why}); {hint}")
    )
    return line.format(path=path, why=why, hint=hint)
