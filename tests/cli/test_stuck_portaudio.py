"""PortAudio that never finishes starting: ground says so in one line and carries on.

Debian's PortAudio loads JACK, and JACK waits forever on a lock in /dev/shm/jack_db-UID when a
program was killed while holding it. The real lock cannot be made stale on purpose without
killing a process at the right microsecond, so these tests put a ``sounddevice`` that blocks
forever on import first on the path; everything else (the CLI, espeak, the session) is real.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.cli.doctor_command import stuck_portaudio_advice
from assistant.sound.player import STUCK_NOTICE
from tests.helpers.paths import REPO

pytestmark = pytest.mark.slow

DATA = REPO / "tests" / "data"


@pytest.fixture
def stuck_env(tmp_path: Path) -> dict[str, str]:
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sounddevice.py").write_text(
        "import threading\nthreading.Event().wait()  # PortAudio's start-up, stuck for good\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(shim), env.get("PYTHONPATH")]))
    return env


def _ground(env: dict[str, str], *args: str, merged: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "assistant", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merged else subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def test_a_stuck_sound_system_gives_one_line_and_captions(stuck_env: dict[str, str]) -> None:
    process = _ground(stuck_env, "play", str(DATA / "short.toml"), "--engine", "none")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert (out + err).count(STUCK_NOTICE) == 1
    assert "Hello, this is a test." in out  # the captions carried on
    assert "Traceback" not in out + err


def test_the_hotkey_path_with_a_stuck_sound_system_still_stops(stuck_env: dict[str, str]) -> None:
    process = _ground(stuck_env, "now", "--minutes", "1", merged=True)
    assert process.stdout is not None
    seen = []
    for line in process.stdout:  # the notice comes after the 4 s wait; EOF would end the loop
        seen.append(line)
        if STUCK_NOTICE in line:
            break
    assert any(STUCK_NOTICE in line for line in seen), seen
    # Once it has carried on, Ctrl-C must still end it at once.
    os.killpg(process.pid, signal.SIGINT)
    out, _ = process.communicate(timeout=20)
    assert process.returncode == 130, out
    assert "Traceback" not in "".join(seen) + out


def test_ctrl_c_while_the_sound_system_hangs_stops_at_once(stuck_env: dict[str, str]) -> None:
    process = _ground(stuck_env, "play", str(DATA / "short.toml"), "--engine", "none")
    threading.Event().wait(1.0)  # inside the 4 s wait for PortAudio
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 130, err
    assert "Stopped." in err and "Traceback" not in out + err


def test_doctor_explains_a_stuck_sound_system(stuck_env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "doctor"],
        env=stuck_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "PortAudio did not start within 4 s" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_stale_jack_lock_advice(tmp_path: Path) -> None:
    assert "try again" in stuck_portaudio_advice(tmp_path)[0]
    (tmp_path / f"jack_db-{os.getuid()}").mkdir()
    advice = " ".join(stuck_portaudio_advice(tmp_path))
    assert f"rm -rf {tmp_path / f'jack_db-{os.getuid()}'}" in advice


def test_sigterm_unwinds_like_ctrl_c(stuck_env: dict[str, str]) -> None:
    process = _ground(stuck_env, "play", str(DATA / "short.toml"), "--engine", "none")
    threading.Event().wait(1.0)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 128 + signal.SIGTERM, err
    assert "Traceback" not in out + err


def test_a_stuck_sound_system_is_not_waited_for_again_at_exit(stuck_env: dict[str, str]) -> None:
    process = _ground(stuck_env, "play", str(DATA / "short.toml"), "--engine", "none")
    assert process.stdout is not None
    for line in process.stdout:  # the session's last line
        if "practised" in line:
            break
    ended = time.monotonic()
    out, err = process.communicate(timeout=20)
    # Before: the exit waited START_TIMEOUT (4 s) again for the PortAudio that had hung.
    assert time.monotonic() - ended < 2.0, (out, err)
    assert process.returncode == 0, err
    assert err.count(STUCK_NOTICE) + out.count(STUCK_NOTICE) <= 1


def test_ctrl_c_late_in_the_wait_ends_within_the_same_bound(stuck_env: dict[str, str]) -> None:
    process = _ground(stuck_env, "play", str(DATA / "short.toml"), "--engine", "none")
    started = time.monotonic()
    threading.Event().wait(3.0)  # late inside the 4 s wait for PortAudio
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=20)
    # PortAudio gets 4 s in all, from the process's start: before, 4 s more after the Ctrl-C.
    assert time.monotonic() - started < 6.0, err
    assert process.returncode == 130, err
    assert "Traceback" not in out + err
