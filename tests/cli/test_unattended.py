"""A session nobody can steer (no terminal, no keyboard, no meter) buffers more and wakes less;
the hotkey and anything on a terminal keep the usual, quick-to-answer stream."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.cli.main import main
from assistant.sound.player import (
    BLOCKSIZE,
    DEFAULT_LATENCY,
    UNATTENDED_BLOCKSIZE,
    UNATTENDED_LATENCY,
    blocksize_for,
)


@pytest.fixture
def latencies(monkeypatch: pytest.MonkeyPatch, ground_home: Path) -> list[Any]:
    """The latency each session asks its player for (then it is stopped, as by Ctrl-C)."""
    (ground_home / "config").mkdir()
    (ground_home / "config" / "settings.toml").write_text('engine = "none"\n')
    seen: list[Any] = []

    def fake_open(mixer, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(kwargs["latency"])
        raise KeyboardInterrupt

    monkeypatch.setattr("assistant.session.live.open_player", fake_open)
    return seen


def test_play_with_no_terminal_is_unattended(latencies: list[Any]) -> None:
    assert main(["play", "box", "--minutes", "1"]) == 130
    assert latencies == [UNATTENDED_LATENCY]


def test_play_on_a_terminal_keeps_the_usual_latency(
    latencies: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert main(["play", "box", "--minutes", "1"]) == 130
    assert latencies == [DEFAULT_LATENCY]


def test_the_hotkey_keeps_the_usual_latency(latencies: list[Any]) -> None:
    assert main(["now"]) == 130
    assert latencies == [DEFAULT_LATENCY]


def test_blocks_follow_the_latency() -> None:
    assert blocksize_for(DEFAULT_LATENCY) == BLOCKSIZE
    assert blocksize_for("high") == BLOCKSIZE
    assert blocksize_for(UNATTENDED_LATENCY) == UNATTENDED_BLOCKSIZE
