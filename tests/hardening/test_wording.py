"""Words and exit codes that say what happened: never "ready" when nothing was kept, never
"some words" when none were spoken."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.cli import ground


def test_warm_with_an_unwritable_cache_says_so_and_fails(ground_home: Path) -> None:
    (ground_home / "cache").write_text("a file where the cache folder should be")
    done = ground("warm", "now", "--engine", "espeak")
    assert done.returncode == 1, done.stdout
    assert "ready" not in done.stdout
    assert "could not be saved" in done.stderr and "a file is in the way" in done.stderr
    assert done.stderr.count("\n") == 1
