"""Keeping the voice cache bounded: least recently used clips go first, and it can be emptied.

A clip's modification time is its last use: :meth:`ClipCache.get` touches it on every hit.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

#: The cache is kept under this many bytes: about two voices' worth of every shipped script.
LIMIT_BYTES = 128 * 1024 * 1024


@dataclass(frozen=True)
class Usage:
    """How much a set of clips holds."""

    clips: int
    bytes: int

    @property
    def megabytes(self) -> float:
        """Size in MB (2**20 bytes), for people."""
        return self.bytes / (1024 * 1024)


def _clips(root: Path) -> list[tuple[float, int, Path]]:
    """(last used, size, path) of every clip under ``root``; unreadable entries are skipped."""
    found: list[tuple[float, int, Path]] = []
    if not root.is_dir():
        return found
    for folder in root.iterdir():
        if len(folder.name) != 2 or not folder.is_dir() or folder.is_symlink():
            continue  # only the cache's own two-hex-digit folders
        for path in folder.glob("*.wav"):
            with contextlib.suppress(OSError):
                info = path.lstat()
                if path.is_file() and not path.is_symlink():
                    found.append((info.st_mtime, info.st_size, path))
    return found


def usage(root: Path) -> Usage:
    """What the cache at ``root`` holds now."""
    clips = _clips(root)
    return Usage(len(clips), sum(size for _, size, _ in clips))


def prune(root: Path, limit: int = LIMIT_BYTES) -> Usage:
    """Delete the least recently used clips until the cache is at most ``limit`` bytes.

    Returns:
        What was removed.
    """
    clips = sorted(_clips(root), key=lambda clip: clip[0])
    total = sum(size for _, size, _ in clips)
    removed = freed = 0
    for _, size, path in clips:
        if total <= limit:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            total -= size
            removed += 1
            freed += size
    return Usage(removed, freed)


def clear(root: Path) -> Usage:
    """Delete every clip (they are made again when next needed); returns what was removed."""
    return prune(root, limit=0)
