"""``ground doctor``: what works on this machine, what does not, and the line that fixes it."""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from assistant import __version__
from assistant.cli.errors import EXIT_OK
from assistant.cli.wording import one_decimal, whole
from assistant.core.i18n import _, ngettext
from assistant.core.model import ENGINE_NAMES
from assistant.storage.paths import cache_dir, config_dir, data_dir, user_scripts_dir
from assistant.storage.settings import load_settings

if TYPE_CHECKING:
    from assistant.sound.devices import Device

OK = "ok "
NO = "-- "


def doctor(args: argparse.Namespace) -> int:
    """Explain what works here (sound, devices, speech, paths) and what to install."""
    print(report())
    return EXIT_OK


def report() -> str:
    """The whole report as text."""
    lines = [
        _("ground {version} on Python {python} ({platform})").format(
            version=__version__, python=platform.python_version(), platform=sys.platform
        ),
        "",
    ]
    lines += _paths()
    lines += ["", *_sound()]
    lines += ["", *_speech()]
    lines += ["", _("Nothing here is sent anywhere: ground never uses the network.")]
    return "\n".join(lines)


def _paths() -> list[str]:
    settings, notice = load_settings()
    home = os.environ.get("GROUND_HOME")
    lines = [_("Files (GROUND_HOME={home})").format(home=home) if home else _("Files")]
    clips = cache_dir() / "clips"
    files = list(clips.rglob("*.wav")) if clips.is_dir() else []
    size = sum(f.stat().st_size for f in files) / 1e6
    # TRANSLATORS: the voice cache's size: {count} clips (sound files), {size} megabytes.
    held = ngettext(
        "{folder} ({count} clip, {size} MB)", "{folder} ({count} clips, {size} MB)", len(files)
    )
    where = [
        # The same labels as `ground --help` lists its files with.
        (_("settings"), str(config_dir() / "settings.toml")),
        (_("your scripts"), str(user_scripts_dir())),
        (_("practice log"), str(data_dir() / "practice.db")),
        (
            _("voice cache"),
            held.format(folder=clips, count=whole(len(files)), size=one_decimal(size)),
        ),
    ]
    width = max(len(label) for label, _path in where) + 2  # labels differ by language
    lines += [f"  {label:<{width}}{path}" for label, path in where]
    if notice:
        lines.append(f"  {NO}{notice}")
    default = _("default")
    lines.append(
        "  "
        + _("in use: engine {engine}, voice {voice}, rate {rate}, device {device}").format(
            engine=settings.engine,
            voice=settings.voice or default,
            rate=settings.rate or default,
            device=settings.device or default,
        )
    )
    return lines


def _automatic() -> list[str]:
    """What ``auto`` speaks with here, and (when not the natural voice) how to get it."""
    from assistant.core.i18n import language
    from assistant.session import automatic_voice

    choice = automatic_voice(lang=language())
    lines = [f"  {OK if choice.natural else NO}auto: {choice.describe()}"]
    if choice.hint:
        lines.append(f"     {choice.hint}")
    return lines


def _sound() -> list[str]:
    from assistant.sound.devices import list_devices
    from assistant.sound.player import INSTALL_PORTAUDIO, SoundSystemStuck, import_sounddevice

    lines = [_("Sound")]
    try:
        sd = import_sounddevice()
    except SoundSystemStuck as exc:
        lines.append(
            f"  {NO}"
            + _("{problem}: sessions run silently, with captions and the pacer.").format(
                problem=exc
            )
        )
        lines.extend(f"     {line}" for line in stuck_portaudio_advice())
        return lines
    except OSError:
        lines.append(
            f"  {NO}"
            + _("PortAudio library missing: no sound. Install: {command}").format(
                command=INSTALL_PORTAUDIO
            )
        )
        lines.append("     " + _("Sessions still run, with captions and the pacer."))
        return lines
    lines.append(f"  {OK}PortAudio {sd.get_portaudio_version()[1]}")
    try:
        devices = list_devices()
    except Exception as exc:  # noqa: BLE001 - doctor reports every failure, never crashes
        lines.append(f"  {NO}" + _("cannot list devices: {problem}").format(problem=exc))
        return lines
    outputs = [d for d in devices if d.outputs > 0]
    lines.extend(_outputs(outputs))
    lines.extend(_inputs([d for d in devices if d.inputs > 0]))
    if outputs:
        lines.append(_output_check(sd))
    return lines


def _outputs(outputs: list[Device]) -> list[str]:
    """One line per output device, or why sessions will be silent."""
    lines = []
    if not outputs:
        lines.append(
            f"  {NO}"
            + _(
                "no output device: sessions run silently with captions. On a desktop, "
                "check that PulseAudio/PipeWire is running; on a server, there is no sound "
                "card"
            )
        )
    for dev in outputs:
        mark = "*" if dev.default_output else " "
        # TRANSLATORS: a sound output: {index} its number (* marks the default), {name} its name.
        output = _("output {index}{mark} {name} ({rate} Hz)")
        lines.append(
            f"  {OK}"
            + output.format(index=dev.index, mark=mark, name=dev.name, rate=int(dev.sample_rate))
        )
    return lines


def _inputs(inputs: list[Device]) -> list[str]:
    """Whether the breath meter has a microphone, and what happens to its audio."""
    if inputs:
        inputs_line = ngettext(
            "{count} input device(s) for the optional breath meter (`--meter`, or m in a session)",
            "{count} input device(s) for the optional breath meter (`--meter`, or m in a session)",
            len(inputs),
        )
        return [
            f"  {OK}" + inputs_line.format(count=len(inputs)),
            "     " + _("Microphone audio stays in memory: it is never saved, logged or sent."),
        ]
    return [f"  {NO}" + _("no microphone: the breath meter stays hidden")]


def _output_check(sd: ModuleType) -> str:
    """Whether the default output takes the 48 kHz mono int16 a session plays."""
    from assistant.sound.quiet import quiet_stderr

    try:
        with quiet_stderr():
            sd.check_output_settings(samplerate=48000, channels=1, dtype="int16")
        return f"  {OK}" + _("default output accepts 48 kHz mono")
    except Exception as exc:  # noqa: BLE001 - doctor reports every failure, never crashes
        return f"  {NO}" + _("default output refuses 48 kHz mono: {problem}").format(problem=exc)


def stuck_portaudio_advice(shm: Path = Path("/dev/shm")) -> list[str]:
    """Why PortAudio may hang at start-up, and the line that fixes it, for this machine."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    jack_db = shm / f"jack_db-{uid}"
    if not jack_db.exists():
        return [_("Check that no other program has the sound system stuck, then try again.")]
    if _process_running("jackd") or _process_running("jackdbus"):
        return [
            _(
                "A JACK server is running: its lock may be held by a stuck JACK client; "
                "restarting JACK usually clears it."
            )
        ]
    # TRANSLATORS: three lines (keep the line breaks, each under 80 characters).
    advice = _(
        "Likely cause: a stale JACK lock, left by an audio program that was killed while\n"
        "starting (Debian's PortAudio loads JACK). No JACK server is running, so it is\n"
        "safe to remove it: rm -rf {folder}"
    )
    return advice.format(folder=jack_db).split("\n")


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

    lines = [_("Speech")]
    if shutil.which("espeak-ng") is None:
        lines.append(f"  {NO}" + _("espeak-ng not found. Install: sudo apt-get install espeak-ng"))
    lines += _automatic()
    for name in ENGINE_NAMES:
        if name == "auto":
            continue
        if name == "none":
            lines.append(f"  {OK}" + _("none: tones and captions only (always available)"))
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
            failed = _("{engine}: failed to start ({problem})")
            lines.append(f"  {NO}" + failed.format(engine=name, problem=exc))
            continue
        english = [v.id for v in voices if any(lang.startswith("en") for lang in v.languages)]
        sample = ", ".join(english[:6]) + (" …" if len(english) > 6 else "")
        if sample:
            # TRANSLATORS: {sample} lists a few English voices' ids.
            found = ngettext(
                "{engine}: {version}, {count} voice; English: {sample}",
                "{engine}: {version}, {count} voices; English: {sample}",
                len(voices),
            )
        else:
            found = ngettext(
                "{engine}: {version}, {count} voice",
                "{engine}: {version}, {count} voices",
                len(voices),
            )
        lines.append(
            f"  {OK}"
            + found.format(engine=name, version=version, count=whole(len(voices)), sample=sample)
        )
    lines.append("     " + _("Choose with: ground play box --engine espeak --voice en-us"))
    lines.append("     " + _("Every voice, its source and licence: ground voices"))
    return lines
