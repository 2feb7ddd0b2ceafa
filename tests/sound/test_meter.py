"""The microphone meter's callback: level in one slot, blocks handed on, never blocking."""

from __future__ import annotations

import math

import numpy as np

from assistant.sound.meter import BLOCK, RATE, InputMeter, Level, level_bar, to_db


class Status:
    input_overflow = False


def block(amplitude: float, freq: float = 440.0) -> bytes:
    t = np.arange(BLOCK) / RATE
    return (amplitude * 32767 * np.sin(2 * math.pi * freq * t)).astype(np.int16).tobytes()


def test_level_of_a_sine() -> None:
    meter = InputMeter(sd=None, analyse=False)
    meter._callback(block(0.5), BLOCK, None, Status())
    level = meter.level
    assert abs(level.peak_db - to_db(0.5)) < 0.5  # -6 dBFS
    assert abs(level.rms_db - to_db(0.5 / math.sqrt(2))) < 0.5  # -9 dBFS
    assert level.blocks == 1


def test_peak_hold_falls_back_after_a_while() -> None:
    meter = InputMeter(sd=None, analyse=False)
    meter._callback(block(0.9), BLOCK, None, Status())
    for _ in range(10):
        meter._callback(block(0.01), BLOCK, None, Status())
    assert meter.level.peak_hold_db > -2  # still holding the loud peak
    for _ in range(40):
        meter._callback(block(0.01), BLOCK, None, Status())
    assert meter.level.peak_hold_db < -35  # ~1.5 s later it has let go


def test_blocks_are_dropped_not_queued_without_bound() -> None:
    meter = InputMeter(sd=None, analyse=True)
    for _ in range(meter._blocks.maxsize + 44):  # nobody drains: the callback still returns
        meter._callback(block(0.1), BLOCK, None, Status())
    assert meter._blocks.qsize() == meter._blocks.maxsize
    assert meter.dropped == 44  # counted, so the detector can keep time with silence
    meter.gated = True
    meter._blocks.get_nowait()
    meter._callback(block(0.1), BLOCK, None, Status())
    assert list(meter._blocks.queue)[-1][1] is True  # the gate travels with its block


def test_level_bar() -> None:
    assert level_bar(Level(-90, -90, -90, 1), 8).strip() == ""
    loud = level_bar(Level(-6, -3, -3, 1), 8)
    assert loud.startswith("███████")
    quiet = level_bar(Level(-45, -40, -20, 1), 8)
    assert "│" in quiet  # the peak-hold tick stands above the level
