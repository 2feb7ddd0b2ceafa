"""The voice cache stays bounded (least recently used first) and can be seen and emptied."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import assistant.speech.cache as cache_module
from assistant.speech.cache import ClipCache
from assistant.speech.cache_limit import clear, prune, usage
from tests.helpers.cli import ground

CLIP = b"\x01\x00" * 48_000  # one second, 96 000 bytes of samples


def fill(cache: ClipCache, count: int) -> list[str]:
    """``count`` clips, the first the oldest (modification times a minute apart)."""
    keys = [ClipCache.key("espeak", "1", None, None, 48_000, f"phrase {n}") for n in range(count)]
    for n, key in enumerate(keys):
        path = cache.put(key, CLIP)
        os.utime(path, (1_000_000 + 60 * n, 1_000_000 + 60 * n))
    return keys


def test_pruning_removes_the_least_recently_used_first(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "clips", limit=10**9)
    keys = fill(cache, 5)
    one = cache.path(keys[0]).stat().st_size
    assert cache.get(keys[0]) is not None  # the oldest is used again: now the newest
    removed = prune(cache.root, limit=3 * one)
    assert removed.clips == 2
    kept = [k for k in keys if cache.path(k).exists()]
    assert kept == [keys[0], keys[3], keys[4]]
    assert usage(cache.root).bytes <= 3 * one


def test_writing_keeps_the_cache_under_its_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "PRUNE_EVERY", 1)  # measure after every clip
    probe = ClipCache(tmp_path / "probe")
    one = probe.put(ClipCache.key("e", "1", None, None, 48_000, "x"), CLIP).stat().st_size
    cache = ClipCache(tmp_path / "clips", limit=4 * one)
    keys = fill(cache, 10)
    assert usage(cache.root).clips == 4
    assert cache.get(keys[-1]) is not None  # the newest stayed


def test_clear_empties_it_and_leaves_other_files(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "clips")
    fill(cache, 3)
    (cache.root / "notes.txt").write_text("mine", encoding="utf-8")
    assert clear(cache.root).clips == 3
    assert usage(cache.root).clips == 0
    assert (cache.root / "notes.txt").exists()


def test_ground_cache_shows_and_clears(ground_home: Path) -> None:
    cache = ClipCache(ground_home / "cache" / "clips")
    fill(cache, 3)
    shown = ground("cache")
    assert shown.returncode == 0, shown.stderr
    assert str(cache.root) in shown.stdout and "3 clips" in shown.stdout
    assert "least recently" in shown.stdout and "ground cache --clear" in shown.stdout
    cleared = ground("cache", "--clear")
    assert cleared.returncode == 0 and "Removed 3 clips" in cleared.stdout
    assert usage(cache.root).clips == 0


def test_help_ends_with_the_version_and_every_file(ground_home: Path) -> None:
    from assistant import __version__

    shown = ground("--help")
    assert shown.returncode == 0
    tail = shown.stdout.split("not therapy.", 1)[1]
    assert f"ground {__version__}" in tail
    for part in ("config/settings.toml", "config/scripts", "data/practice.db", "cache/clips"):
        assert str(ground_home / part) in tail
    assert str(ground_home) not in ground("play", "--help").stdout  # subcommands stay short
