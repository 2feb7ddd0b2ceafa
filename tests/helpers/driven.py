"""A sound card a test drives block by block, and a voice that is slow for some words.

The test is the audio thread: it asks the mixer for blocks itself, so every frame is where the
test put it. The ``device`` fixture (tests/session/conftest.py) opens every session on one.
"""

from __future__ import annotations

import threading
import time

from assistant.sound import player as player_module

#: Frames the device holds between mixing and hearing (0.15 s, the default latency).
LATENCY = 7200
BLOCK = 2048


class FakeEngine:
    name = "fake"

    def close(self) -> None:
        pass


class SlowVoice:
    """A voice whose cache holds ``warm``; anything else waits for ``gate`` (a slow engine)."""

    def __init__(self, warm: set[str], gate: threading.Event) -> None:
        self.warm = warm
        self.gate = gate
        self.engine = FakeEngine()
        self.voice: str | None = None

    @staticmethod
    def pcm(text: str) -> bytes:
        return b"\x10\x00" * (len(text) * 720)  # 15 ms of audio per character

    def cached(self, text: str) -> bytes | None:
        return self.pcm(text) if text in self.warm else None

    def clip(self, text: str) -> bytes:
        if text not in self.warm:
            assert self.gate.wait(30), "the test never let the slow voice finish"
        return self.pcm(text)


class Device(player_module.SoundDevicePlayer):
    """A sound card the test drives: each pump is the callbacks of that many frames."""

    def start(self) -> None:
        self._latency_frames = LATENCY
        self._last_callback = time.monotonic()

    def pump(self, frames: int) -> None:
        out = memoryview(bytearray(BLOCK * 2))
        for _ in range(-(-frames // BLOCK)):
            self.mixer.fill(out, BLOCK)
            self._last_callback = time.monotonic()
