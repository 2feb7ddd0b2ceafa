"""A speech engine that fails or hangs: the next engine speaks, captions keep time, the words
say what happened, and nothing it started is left behind."""

from __future__ import annotations

import json
import os
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from tests.helpers.cli import ground


def fake_espeak(folder: Path, body: str) -> dict[str, str]:
    """An ``espeak-ng`` first on PATH that runs ``body`` (a shell script)."""
    folder.mkdir(exist_ok=True)
    program = folder / "espeak-ng"
    program.write_text("#!/bin/sh\n" + body)
    program.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


def loudness(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return float(np.abs(pcm.astype(np.int32)).max())


@pytest.mark.tts
def test_espeak_exiting_1_hands_over_to_the_system_voice(tmp_path: Path) -> None:
    env = fake_espeak(tmp_path / "bin", 'echo "espeak-ng 1.51" ; exit 1\n')
    out = tmp_path / "now.wav"
    done = ground("render", "now", "--engine", "espeak", "-o", str(out), env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Speaking with the system voice instead" in done.stderr, done.stderr
    assert "could not be spoken" not in done.stderr
    assert loudness(out) > 3000  # words, not just the soft tones


def test_when_no_engine_can_speak_it_never_says_some_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: espeak-ng failing every phrase said "Some words could not be spoken"."""
    from assistant.core.library import shipped_script
    from assistant.session import SessionRequest, build_offline
    from assistant.speech import factory

    env = fake_espeak(tmp_path / "bin", 'echo "espeak-ng 1.51"; exit 1\n')
    monkeypatch.setenv("PATH", env["PATH"])
    monkeypatch.setattr(factory, "LADDER", ("espeak", "none"))  # nothing to fall back to
    _, notices = build_offline(SessionRequest(script=shipped_script("now"), engine="espeak"))
    text = " ".join(notices)
    assert "Some words" not in text
    assert "No speech engine could start" in text, text


@pytest.mark.tts
def test_a_hanging_espeak_is_given_up_once_and_leaves_nothing_behind(tmp_path: Path) -> None:
    marker = tmp_path / "children"
    body = (
        'case "$1" in --version|--voices*) echo "espeak-ng 1.51"; exit 0;; esac\n'
        f'sleep 300 & echo $! >> "{marker}"\n'
        "wait\n"
    )
    env = fake_espeak(tmp_path / "bin", body)
    out = tmp_path / "now.wav"
    start = time.monotonic()
    done = ground("render", "now", "--engine", "espeak", "-o", str(out), env=env, timeout=200)
    took = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    assert took < 45, took  # one timeout for the session, not one per phrase
    assert "instead" in done.stderr
    for pid in marker.read_text().split():
        assert gone(int(pid)), pid


def gone(pid: int, within: float = 5.0) -> bool:
    """Whether ``pid`` ends within ``within`` seconds: a process group's SIGKILL is delivered
    by the kernel asynchronously, so a loaded machine may show the child for a moment."""
    deadline = time.monotonic() + within
    while running(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def running(pid: int) -> bool:
    """Alive and not a zombie (a container's init may never reap what it inherits)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def test_a_hanging_version_question_waits_briefly_and_leaves_nothing(tmp_path: Path) -> None:
    """Before: the hotkey path waited 10 s for ``espeak-ng --version`` (and the system voice's
    cache key asks it too)."""
    from assistant.speech.espeak import VERSION_TIMEOUT, espeak_version

    marker = tmp_path / "children"
    fake_espeak(tmp_path / "bin", f'sleep 300 & echo $! >> "{marker}"\nwait\n')
    start = time.monotonic()
    assert espeak_version(str(tmp_path / "bin" / "espeak-ng")) == "unknown"
    assert time.monotonic() - start < VERSION_TIMEOUT + 1.5
    assert VERSION_TIMEOUT <= 2
    for pid in marker.read_text().split():
        assert gone(int(pid)), pid


def test_a_remembered_version_asks_no_hung_espeak(tmp_path: Path) -> None:
    """The engine's version is part of every cache key: once known it is remembered, so a warm
    hotkey start asks no process at all, even one that has stopped answering since."""
    from assistant.speech import espeak

    asked = tmp_path / "asked"
    fake_espeak(
        tmp_path / "bin",
        f'echo x >> "{asked}"\n'
        f'if [ "$(wc -l < "{asked}")" -gt 1 ]; then sleep 300; fi\n'
        'echo "eSpeak NG text-to-speech: 1.51  Data at: /usr/lib"\n',
    )
    binary = str(tmp_path / "bin" / "espeak-ng")
    memo = tmp_path / "cache" / "engine-versions.json"
    espeak.remember_versions_in(memo)
    try:
        assert espeak.espeak_version(binary) == "1.51"  # asked once, and remembered
        start = time.monotonic()
        assert espeak.espeak_version(binary) == "1.51"  # it would hang now: not asked
        assert time.monotonic() - start < 0.5
        assert asked.read_text().count("x") == 1
        assert oct(memo.stat().st_mode & 0o777) == "0o600"
        # A changed program (an upgrade) is asked again: here it hangs, and the wait is short.
        (tmp_path / "bin" / "espeak-ng").write_text("#!/bin/sh\nsleep 300\n")
        assert espeak.espeak_version(binary) == "unknown"
    finally:
        espeak.remember_versions_in(None)


@pytest.mark.tts
def test_sessions_remember_the_engine_version(ground_home: Path) -> None:
    """``make_renderer`` points the memo into the cache folder; a warm puts the version there."""
    done = ground("warm", "now", "--engine", "espeak")
    assert done.returncode == 0, done.stderr
    memo = ground_home / "cache" / "engine-versions.json"
    versions = list(json.loads(memo.read_text()).values())
    assert len(versions) == 1
    assert versions[0].split(".")[0].isdigit()  # "1.51"


@pytest.mark.tts
def test_a_hung_espeak_first_on_path_delays_the_start_only_briefly(tmp_path: Path) -> None:
    """Before: the version question waited 2 s, then the first phrase the render timeout (10
    s) more, before the system voice spoke: 14.6 s of nothing. Not answering --version is
    enough to give it up."""
    import subprocess
    import sys

    from assistant.speech.espeak import DEFAULT_TIMEOUT, VERSION_TIMEOUT

    env = {**os.environ, **fake_espeak(tmp_path / "bin", "exec sleep 300\n")}
    env["PULSE_SERVER"] = "unix:/nonexistent"
    start = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "play", "now", "--engine", "espeak"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        notice = ""
        for line in process.stdout:
            if "instead" in line:
                notice = line
                break
        took = time.monotonic() - start
    finally:
        os.killpg(process.pid, 9)
        process.wait()
    assert "--version took over" in notice, notice
    assert took < VERSION_TIMEOUT + DEFAULT_TIMEOUT - 3, took  # measured 4.7 s here
