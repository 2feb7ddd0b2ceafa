"""`--meter` without a microphone: one plain line, and the session carries on."""

from __future__ import annotations

import pytest

from tests.helpers.cli import ground
from tests.helpers.paths import DATA

pytestmark = pytest.mark.slow


def test_no_microphone_hides_the_meter_with_one_notice() -> None:
    done = ground("play", str(DATA / "short.toml"), "--engine", "none", "--meter")
    assert done.returncode == 0, done.stderr
    text = done.stdout + done.stderr
    assert text.count("breath meter is off") == 1
    assert "Done." in done.stdout


def test_unknown_input_device_is_explained() -> None:
    done = ground(
        "play",
        str(DATA / "short.toml"),
        "--engine",
        "none",
        "--meter",
        "--input-device",
        "no-such-mic",
    )
    assert done.returncode == 0, done.stderr
    assert "breath meter is off" in done.stdout + done.stderr
