"""A clip's length from its header alone: what listings measure a session with."""

from __future__ import annotations

import os
from pathlib import Path

from assistant.speech.cache import ClipCache


def test_frames_from_the_header(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "clips")
    key = ClipCache.key("espeak", "1", None, 150, 48000, "Hello.")
    assert cache.frames(key) is None  # absent
    cache.put(key, b"\x01\x00" * 12345)
    assert cache.frames(key) == 12345 == len(cache.get(key) or b"") // 2


def test_a_truncated_or_foreign_clip_is_not_measured(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "clips")
    key = ClipCache.key("espeak", "1", None, 150, 48000, "Hello.")
    path = cache.put(key, b"\x01\x00" * 48000)
    path.write_bytes(path.read_bytes()[:1000])  # cut short
    assert cache.frames(key) is None
    other = ClipCache(tmp_path / "clips", sample_rate=22050)
    cache.put(key, b"\x01\x00" * 100)
    assert other.frames(key) is None  # not at its rate


def test_a_fifo_in_the_cache_is_never_waited_on(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "clips")
    key = ClipCache.key("espeak", "1", None, 150, 48000, "Hello.")
    path: Path = cache.path(key)
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    assert cache.frames(key) is None
