"""The audio tier: a private PulseAudio null sink. Skipped only when PulseAudio is absent and
never in CI (CI=true), where a missing server is a failure."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.audio.pulse import PulseServer, PulseUnavailable


@pytest.fixture(scope="session")
def pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseServer]:
    server = PulseServer(tmp_path_factory.mktemp("pulse"))
    try:
        server.start()
    except PulseUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"the audio tier must run in CI: {exc}")
        pytest.skip(f"audio tier needs PulseAudio: {exc}")
    yield server
    server.stop()


@pytest.fixture
def shared_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("audio-home")
