"""The render cache: finished cue clips on disk, addressed by a hash of everything that shaped them.

Reading uses the stdlib ``wave`` module only, so a warm cache serves the hotkey path without numpy.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import stat
import struct
import tempfile
import wave
from pathlib import Path

from assistant.core.digest import sha256
from assistant.core.files import private_dirs
from assistant.core.safe import read_regular

#: Measure the folder (and prune it) after this many bytes of new clips: a full voice is ~60 MB.
PRUNE_EVERY = 8 * 1024 * 1024

#: Bump whenever ``prepare_clip`` changes what it produces, so old clips are not reused.
PROCESSING_VERSION = 3


#: The largest clip file read (a long phrase is a few hundred KB).
CLIP_LIMIT = 16 * 1024 * 1024


class ClipCache:
    """Content-addressed clips: ``root/<first 2 hex>/<sha256>.wav``, mono 16-bit WAV.

    Entries are ordinary WAV files any player can open. Writes are atomic (a temporary file in
    the same folder, then ``os.replace``), folders are created ``0700`` and files ``0600``.
    A corrupt, truncated or wrong-format entry is deleted on read and reported as a miss, so it
    gets rendered again.
    """

    def __init__(self, root: Path, sample_rate: int = 48000, limit: int | None = None) -> None:
        """Use ``root`` (created on first write) for clips at ``sample_rate``.

        Args:
            root: the cache folder, e.g. the user cache dir's ``clips``.
            sample_rate: the rate every clip is stored at.
            limit: keep the folder under this many bytes, least recently used clips going
                first (None: :data:`~assistant.speech.cache_limit.LIMIT_BYTES`).
        """
        from .cache_limit import LIMIT_BYTES

        self.root = Path(root)
        self.sample_rate = sample_rate
        self.limit = LIMIT_BYTES if limit is None else limit
        self._written = 0  # bytes written since the folder was last measured

    @staticmethod
    def key(
        engine: str,
        version: str,
        voice: str | None,
        rate: int | None,
        sample_rate: int,
        text: str,
        voice_files: str | None = None,
    ) -> str:
        """The cache key for one clip: a sha256 over everything that changes its audio.

        Args:
            engine: engine name.
            version: engine version string.
            voice: the voice (None for the default); for an engine whose voices are files,
                the id of the voice it resolves to, so one voice has one key.
            rate: words per minute as asked for (None for the default).
            sample_rate: the clip's sample rate.
            text: the words.
            voice_files: a hash of the voice's model files, for engines whose voices are files
                (Piper); None leaves the key as it was for the other engines.

        Returns:
            64 hex digits.
        """
        # JSON keeps the fields apart unambiguously ("a|b" + "c" vs "a" + "b|c").
        fields: list[object] = [PROCESSING_VERSION, engine, version, voice, rate, sample_rate, text]
        if voice_files is not None:
            fields.append(voice_files)
        blob = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
        return sha256(blob.encode("utf-8")).hexdigest()

    def path(self, key: str) -> Path:
        """Where the clip for ``key`` lives (whether or not it exists)."""
        if len(key) < 3 or not all(c in "0123456789abcdef" for c in key):
            msg = f"not a cache key: {key!r}"
            raise ValueError(msg)
        return self.root / key[:2] / f"{key}.wav"

    def get(self, key: str) -> bytes | None:
        """The clip's samples, or None when absent or unusable (an unusable file is removed).

        Args:
            key: from :meth:`key`.

        Returns:
            Mono 16-bit little-endian samples at ``sample_rate``, or None.
        """
        path = self.path(key)
        try:
            # A FIFO or device planted in the cache is refused (and removed), never waited on.
            raw = read_regular(path, CLIP_LIMIT)
            with wave.open(io.BytesIO(raw), "rb") as w:
                params = w.getparams()
                data = w.readframes(params.nframes)
        except FileNotFoundError:
            return None
        except (wave.Error, EOFError, struct.error, OSError):
            self._discard(path)
            return None
        if (
            params.nchannels != 1
            or params.sampwidth != 2
            or params.framerate != self.sample_rate
            or len(data) != params.nframes * 2
        ):
            self._discard(path)
            return None
        with contextlib.suppress(OSError):  # its time of last use, for pruning (a read-only
            os.utime(path)  # cache simply keeps the old time)
        return data

    def frames(self, key: str) -> int | None:
        """The clip's length in frames, from its header alone (no samples are read): for
        working out a session's length without loading its clips.

        Returns:
            The frame count, or None when the clip is absent or not one of this cache's
            (:meth:`get` would render it again).
        """
        path = self.path(key)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
            try:
                info = os.fstat(fd)
                if not stat.S_ISREG(info.st_mode):  # a planted FIFO is never waited on
                    return None
                head = os.read(fd, 1024)
            finally:
                os.close(fd)
            with wave.open(io.BytesIO(head), "rb") as w:
                params = w.getparams()
        except (wave.Error, EOFError, struct.error, OSError):
            return None
        if (
            params.nchannels != 1
            or params.sampwidth != 2
            or params.framerate != self.sample_rate
            or params.nframes * 2 > info.st_size
        ):
            return None
        return params.nframes

    def put(self, key: str, pcm: bytes) -> Path:
        """Store a clip atomically; readers see the old file or the whole new one, never a part.

        Args:
            key: from :meth:`key`.
            pcm: mono 16-bit little-endian samples at ``sample_rate``.

        Returns:
            The file written.

        Raises:
            OSError: the cache folder cannot be written.
        """
        path = self.path(key)
        private_dirs(path.parent)  # every level 0700, the cache folder above ``clips`` too
        # mkstemp creates the file 0600. No fsync: a clip lost in a power cut is only a cache miss,
        # and get() rejects a half-written file anyway.
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".wav", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f, wave.open(f, "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(self.sample_rate)
                w.writeframes(pcm)
            Path(tmp).replace(path)
        except BaseException:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
            raise
        self._written += len(pcm)
        if self._written >= PRUNE_EVERY:
            self.prune()
        return path

    def prune(self) -> None:
        """Bring the folder back under its limit (least recently used clips go first)."""
        from .cache_limit import prune

        self._written = 0
        with contextlib.suppress(OSError):
            prune(self.root, self.limit)

    @staticmethod
    def _discard(path: Path) -> None:
        """Remove a bad entry; if even that fails, the next read will simply try again."""
        with contextlib.suppress(OSError):
            path.unlink()
