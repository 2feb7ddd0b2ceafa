"""The audio tier: a private PulseAudio null sink. Skipped only when PulseAudio is absent and
never in CI (CI=true), where a missing server is a failure."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.pulse import PulseServer, PulseUnavailable


@pytest.fixture(scope="session")
def pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseServer]:
    server = PulseServer(tmp_path_factory.mktemp("pulse"))
    try:
        server.start()
    except PulseUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"the audio tier must run in CI: {exc}")
        pytest.skip(f"audio tier needs PulseAudio: {exc}")
    _portaudio_must_start(server)
    yield server
    server.stop()


def _portaudio_must_start(server: PulseServer) -> None:
    """Fail at once, with the reason, when PortAudio cannot start on this machine (every
    audio test would otherwise wait out its own timeout)."""
    from assistant.cli.doctor_command import stuck_portaudio_advice

    try:
        subprocess.run(
            [sys.executable, "-c", "import sounddevice"],
            env=server.env,
            capture_output=True,
            timeout=30,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("PortAudio does not start here: " + " ".join(stuck_portaudio_advice()))


@pytest.fixture
def shared_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("audio-home")
    # Holds chosen (on), as for someone who has answered the holds question once: the sessions
    # here play them, and nothing is said before the first caption.
    (home / "config").mkdir()
    (home / "config" / "settings.toml").write_text("holds = true\n")
    return home
