"""The hotkey path (`ground now`): no Textual, no numpy without sound, and a full run completes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.helpers.cli import ground
from tests.helpers.imports import RECORD_IMPORTS

pytestmark = pytest.mark.slow


def imports_of(*args: str) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """Start `ground ARGS`, stop it after its first caption, list every module it imported."""
    env = dict(os.environ, PULSE_SERVER="unix:/nonexistent/pulse")
    with tempfile.TemporaryDirectory() as folder:
        record = Path(folder) / "imports.txt"
        process = subprocess.Popen(
            [sys.executable, "-c", RECORD_IMPORTS, str(record), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
        )
        assert process.stdout is not None
        first = process.stdout.readline()
        while first and not first.startswith("  "):  # the safety note comes first
            first = process.stdout.readline()
        assert first.strip(), "no first caption"
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
        modules = set(record.read_text(encoding="utf-8").split())
    done = subprocess.CompletedProcess(process.args, process.returncode, first + out, err)
    return modules, done


def _settings(home: Path, text: str) -> None:
    config = home / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text(text + "\n", encoding="utf-8")


def test_now_never_imports_textual() -> None:
    modules, done = imports_of("now", "--no-audio")
    assert "assistant.cli.play_command" in modules  # the probe works
    assert not {m for m in modules if m.split(".")[0] == "textual"}
    assert "numpy" not in modules  # nothing to mix without sound
    assert "pyttsx3" not in modules
    assert "_hashlib" not in modules  # OpenSSL (~3.4 MB): cache keys use CPython's own SHA-256
    assert "soundfile" not in modules  # only `ground render -o x.ogg` needs libsndfile
    assert done.returncode == 130
    assert "Stopped." in done.stderr
    assert "Traceback" not in done.stderr


def test_panic_is_as_light_as_now() -> None:
    modules, done = imports_of("panic", "--no-audio")
    assert "assistant.cli.play_command" in modules
    assert not {m for m in modules if m.split(".")[0] == "textual"}
    assert "numpy" not in modules
    assert "argparse" in modules and "assistant.cli.help_command" not in modules
    assert done.returncode == 130
    assert "Traceback" not in done.stderr


def test_now_with_ambient_and_no_sound_never_makes_the_bed() -> None:
    """Nothing to hear: neither numpy nor the ambient module is loaded (with sound, the bed is
    made off the main thread once the first sound plays: tests/audio/test_ambient_live.py)."""
    modules, done = imports_of(
        "now", "--no-audio", "--ambient", "waves", "--tones", "wood", "--bell", "chime"
    )
    assert "assistant.cli.play_command" in modules
    assert "assistant.core.sounds" in modules  # the choices were read
    assert "numpy" not in modules
    assert "assistant.sound.ambient" not in modules
    assert not {m for m in modules if m.split(".")[0] == "textual"}
    assert "Traceback" not in done.stderr


def test_now_with_the_system_voice_never_looks_for_piper_voices(ground_home: Path) -> None:
    _settings(ground_home, 'engine = "system"')
    modules, done = imports_of("now")  # no sound device: the voice is rendered for captions
    assert "assistant.speech.pyttsx3_engine" in modules  # the probe sees the session's imports
    assert "assistant.speech.piper_voices" not in modules
    assert "Traceback" not in done.stderr


def test_play_never_imports_textual_either() -> None:
    modules, _ = imports_of("play", "box", "--engine", "none")
    assert not {m for m in modules if m.split(".")[0] == "textual"}


def test_now_without_audio_completes_with_captions() -> None:
    done = ground("now", "--no-audio", timeout=240)  # plays in real time: about two minutes
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "If you feel dizzy, make the breaths smaller. You can stop at any time."
    assert lines[1].startswith("  ")  # then, at once, the first spoken sentence
    assert any("things you can see" in line.lower() for line in lines)
    assert sum("breathe in" in line for line in lines) >= 4
    assert lines[-1].startswith("Done.")  # the last line: no debugging line after it


@pytest.mark.parametrize("engine", ["piper", "auto"])
def test_now_with_piper_chosen_never_imports_piper_or_textual(
    ground_home: Path, engine: str
) -> None:
    """Piper runs in its worker process only: the hotkey process never loads it."""
    _settings(ground_home, f'engine = "{engine}"')
    modules, done = imports_of("now")
    assert "assistant.cli.play_command" in modules
    assert "assistant.speech.piper_engine" in modules  # the session did reach Piper
    assert not {m for m in modules if m.split(".")[0] in {"piper", "onnxruntime", "textual"}}
    assert "Traceback" not in done.stderr
