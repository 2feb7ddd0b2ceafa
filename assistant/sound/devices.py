"""The sound devices PortAudio knows, listed in one place for doctor, settings and sessions."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.sound.player import import_sounddevice
from assistant.sound.quiet import quiet_stderr


@dataclass(frozen=True)
class Device:
    """One sound device.

    Attributes:
        index: PortAudio's number for it (what ``--device 3`` means).
        name: its name (what settings store).
        outputs: output channels (0: not a speaker).
        inputs: input channels (0: not a microphone).
        sample_rate: its default sample rate, Hz.
        default_output: it is the default output.
    """

    index: int
    name: str
    outputs: int
    inputs: int
    sample_rate: float
    default_output: bool


def list_devices() -> list[Device]:
    """Every device, in PortAudio's order.

    Raises:
        SoundSystemStuck: PortAudio hung while starting.
        OSError: the PortAudio library is missing.
        Exception: anything else PortAudio raised while listing.
    """
    sd = import_sounddevice()
    with quiet_stderr():
        devices = list(sd.query_devices())
        default_out = sd.default.device[1]
    return [
        Device(
            index=i,
            name=str(d["name"]),
            outputs=int(d["max_output_channels"]),
            inputs=int(d["max_input_channels"]),
            sample_rate=float(d["default_samplerate"]),
            default_output=i == default_out,
        )
        for i, d in enumerate(devices)
    ]


def device_names(kind: str) -> list[str]:
    """Names of the ``output`` or ``input`` devices; empty when there is no PortAudio."""
    try:
        devices = list_devices()
    except Exception:  # noqa: BLE001 - no PortAudio: no devices to offer
        return []
    return [d.name for d in devices if (d.outputs if kind == "output" else d.inputs) > 0]
