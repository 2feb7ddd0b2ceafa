"""SHA-256 for short inputs without loading OpenSSL.

``import hashlib`` loads OpenSSL's libcrypto (~3.4 MB resident) to offer its many algorithms.
The hotkey path only hashes a few hundred short strings (the cache keys), for which CPython's
own SHA-256 module, the one ``hashlib`` falls back to, is just as good. Hash large files with
``hashlib`` (OpenSSL is several times faster there), imported where it is needed.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Protocol, cast


class Hash(Protocol):
    """What a SHA-256 object offers here."""

    def update(self, data: bytes, /) -> None:
        """Feed more bytes."""

    def hexdigest(self) -> str:
        """The digest so far, as 64 hex digits."""


def _builtin_sha256() -> Callable[..., Hash]:
    """CPython's own SHA-256 (``_sha2`` from 3.12, ``_sha256`` before); hashlib's if absent."""
    name = "_sha2" if sys.version_info >= (3, 12) else "_sha256"
    try:
        return cast("Callable[..., Hash]", importlib.import_module(name).sha256)
    except (ImportError, AttributeError):  # a Python built without them: OpenSSL it is
        import hashlib

        return hashlib.sha256


#: ``sha256(data=b"")`` → a hash object with ``update`` and ``hexdigest``.
sha256 = _builtin_sha256()

__all__ = ["Hash", "sha256"]
