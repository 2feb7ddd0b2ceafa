"""Shared fixtures: every test gets its own GROUND_HOME, so no test touches a real user's files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def ground_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A private GROUND_HOME for the test (config, data and cache all live under it)."""
    home = tmp_path_factory.mktemp("ground-home")
    monkeypatch.setenv("GROUND_HOME", str(home))
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield home
