"""A FIFO planted wherever ground reads one of its own files never hangs it."""

from __future__ import annotations

import os
from pathlib import Path

from assistant.speech.cache import ClipCache
from assistant.speech.piper_voices import VoiceLibrary
from tests.helpers.cli import ground


def test_a_fifo_in_the_clip_cache_is_a_miss_and_removed(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path / "clips")
    key = "a" * 64
    path = cache.path(key)
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    assert cache.get(key) is None
    assert not path.exists()


def test_a_fifo_as_the_piper_memo_is_ignored(tmp_path: Path) -> None:
    memo = tmp_path / "piper-voices.json"
    os.mkfifo(memo)
    assert VoiceLibrary(tmp_path / "voices", memo)._read_memo() == {}


def test_a_fifo_as_the_practice_log_is_one_line(ground_home: Path) -> None:
    data = ground_home / "data"
    data.mkdir(mode=0o700)
    os.mkfifo(data / "practice.db")
    done = ground("log", timeout=20)
    assert done.returncode in (1, 2), done.stderr
    assert "not a regular file" in done.stderr and done.stderr.count("\n") == 1


def test_a_fifo_as_the_warm_turn_file_never_blocks(ground_home: Path) -> None:
    from assistant.session.warm import WarmTurn

    cache = ground_home / "cache"
    cache.mkdir(mode=0o700)
    os.mkfifo(cache / "warm.pid")
    assert WarmTurn(cache / "warm.pid").still_mine()


def test_a_model_card_licence_is_shown_as_text(tmp_path: Path) -> None:
    from assistant.speech.piper_voices import _licence

    card = tmp_path / "MODEL_CARD"
    card.write_text("License: CC0\x1b]2;pwned\x07\n")
    assert _licence(card) is not None and "\x1b" not in (_licence(card) or "")
    fifo = tmp_path / "FIFO_CARD"
    os.mkfifo(fifo)
    assert _licence(fifo) is None
