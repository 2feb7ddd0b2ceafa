"""``ground doctor``: what works on this machine, what does not, and the line that fixes it."""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import sys
from pathlib import Path

from assistant import __version__
from assistant.cli.errors import EXIT_OK
from assistant.core.model import ENGINE_NAMES, counted
from assistant.storage.paths import cache_dir, config_dir, data_dir, user_scripts_dir
from assistant.storage.settings import load_settings

OK = "ok "
NO = "-- "


def doctor(args: argparse.Namespace) -> int:
    """Explain what works here (sound, devices, speech, paths) and what to install."""
    print(report())
    return EXIT_OK


def report() -> str:
    """The whole report as text."""
    lines = [f"ground {__version__} on Python {platform.python_version()} ({sys.platform})", ""]
    lines += _paths()
    lines += ["", *_sound()]
    lines += ["", *_speech()]
    lines += ["", "Nothing here is sent anywhere: ground never uses the network."]
    return "\n".join(lines)


def _paths() -> list[str]:
    settings, notice = load_settings()
    home = os.environ.get("GROUND_HOME")
    lines = ["Files" + (f" (GROUND_HOME={home})" if home else "")]
    lines.append(f"  settings      {config_dir() / 'settings.toml'}")
    lines.append(f"  your scripts  {user_scripts_dir()}")
    lines.append(f"  practice log  {data_dir() / 'practice.db'}")
    clips = cache_dir() / "clips"
    files = list(clips.rglob("*.wav")) if clips.is_dir() else []
    size = sum(f.stat().st_size for f in files) / 1e6
    lines.append(f"  voice cache   {clips} ({counted(len(files), 'clip')}, {size:.1f} MB)")
    if notice:
        lines.append(f"  {NO}{notice}")
    lines.append(
        f"  in use: engine {settings.engine}, voice {settings.voice or 'default'}, "
        f"rate {settings.rate or 'default'}, device {settings.device or 'default'}"
    )
    return lines


def _automatic() -> list[str]:
    """What ``auto`` speaks with here, and (when not the natural voice) how to get it."""
    from assistant.session import automatic_voice

    choice = automatic_voice()
    lines = [f"  {OK if choice.natural else NO}auto: {choice.describe()}"]
    if choice.hint:
        lines.append(f"     {choice.hint}")
    return lines


def _sound() -> list[str]:
    from assistant.sound.devices import list_devices
    from assistant.sound.player import INSTALL_PORTAUDIO, SoundSystemStuck, import_sounddevice
    from assistant.sound.quiet import quiet_stderr

    lines = ["Sound"]
    try:
        sd = import_sounddevice()
    except SoundSystemStuck as exc:
        lines.append(f"  {NO}{exc}: sessions run silently, with captions and the pacer.")
        lines.extend(f"     {line}" for line in stuck_portaudio_advice())
        return lines
    except OSError:
        lines.append(f"  {NO}PortAudio library missing: no sound. Install: {INSTALL_PORTAUDIO}")
        lines.append("     Sessions still run, with captions and the pacer.")
        return lines
    lines.append(f"  {OK}PortAudio {sd.get_portaudio_version()[1]}")
    try:
        devices = list_devices()
    except Exception as exc:  # noqa: BLE001 - doctor reports every failure, never crashes
        lines.append(f"  {NO}cannot list devices: {exc}")
        return lines
    outputs = [d for d in devices if d.outputs > 0]
    inputs = [d for d in devices if d.inputs > 0]
    if not outputs:
        lines.append(
            f"  {NO}no output device: sessions run silently with captions. On a desktop, "
            "check that PulseAudio/PipeWire is running; on a server, there is no sound "
            "card"
        )
    for dev in outputs:
        mark = "*" if dev.default_output else " "
        lines.append(f"  {OK}output {dev.index}{mark} {dev.name} ({int(dev.sample_rate)} Hz)")
    if inputs:
        lines.append(
            f"  {OK}{len(inputs)} input device(s) for the optional breath meter "
            "(`--meter`, or m in a session)"
        )
        lines.append("     Microphone audio stays in memory: it is never saved, logged or sent.")
    else:
        lines.append(f"  {NO}no microphone: the breath meter stays hidden")
    if outputs:
        try:
            with quiet_stderr():
                sd.check_output_settings(samplerate=48000, channels=1, dtype="int16")
            lines.append(f"  {OK}default output accepts 48 kHz mono")
        except Exception as exc:  # noqa: BLE001 - doctor reports every failure, never crashes
            lines.append(f"  {NO}default output refuses 48 kHz mono: {exc}")
    return lines


def stuck_portaudio_advice(shm: Path = Path("/dev/shm")) -> list[str]:
    """Why PortAudio may hang at start-up, and the line that fixes it, for this machine."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    jack_db = shm / f"jack_db-{uid}"
    if not jack_db.exists():
        return ["Check that no other program has the sound system stuck, then try again."]
    if _process_running("jackd") or _process_running("jackdbus"):
        return [
            "A JACK server is running: its lock may be held by a stuck JACK client; "
            "restarting JACK usually clears it."
        ]
    return [
        "Likely cause: a stale JACK lock, left by an audio program that was killed while",
        "starting (Debian's PortAudio loads JACK). No JACK server is running, so it is",
        f"safe to remove it: rm -rf {jack_db}",
    ]


def _process_running(name: str) -> bool:
    """Whether a process with this exact command name runs (Linux /proc; False elsewhere)."""
    proc = Path("/proc")
    with contextlib.suppress(OSError):
        for entry in proc.iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    if (entry / "comm").read_text().strip() == name:
                        return True
    return False


def _speech() -> list[str]:
    from assistant.session import voice_library
    from assistant.speech.base import EngineUnavailable
    from assistant.speech.factory import make_engine

    lines = ["Speech"]
    if shutil.which("espeak-ng") is None:
        lines.append(f"  {NO}espeak-ng not found. Install: sudo apt-get install espeak-ng")
    lines += _automatic()
    for name in ENGINE_NAMES:
        if name == "auto":
            continue
        if name == "none":
            lines.append(f"  {OK}none: tones and captions only (always available)")
            continue
        try:
            engine = make_engine(name, voice_library())
            try:
                voices = engine.voices()
                version = engine.version()
            finally:
                engine.close()
        except EngineUnavailable as exc:
            lines.append(f"  {NO}{name}: {exc}")
            continue
        except Exception as exc:  # noqa: BLE001 - doctor reports every failure, never crashes
            lines.append(f"  {NO}{name}: failed to start ({exc})")
            continue
        english = [v.id for v in voices if any(lang.startswith("en") for lang in v.languages)]
        sample = ", ".join(english[:6]) + (" …" if len(english) > 6 else "")
        lines.append(
            f"  {OK}{name}: {version}, {counted(len(voices), 'voice')}"
            + (f"; English: {sample}" if sample else "")
        )
    lines.append("     Choose with: ground play box --engine espeak --voice en-us")
    lines.append("     Every voice, its source and licence: ground voices")
    return lines
