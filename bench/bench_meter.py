"""Breath-meter benchmarks (part of ``python -m bench``): accuracy, CPU, latency.

Accuracy runs the detector over synthetic breathing (``tests/data/make_breathing.py``) across
a grid of rates, noises and signal-to-noise ratios and reports the worst rate error and the
exhale-onset error. CPU is sampled from /proc for ``ground play --meter`` while ``paplay``
feeds breathing into the private sink whose monitor is the default source. Latency is the
callback's own work from a block's arrival to the new level being readable.
"""

from __future__ import annotations

import subprocess
import threading
import time
from typing import Any

import numpy as np

from bench.main import CLK_TCK, Row, cpu_percent, median, percentile, proc_ticks
from tests.data.make_breathing import breathing, write_wav
from tests.helpers.paths import REPO

RATES = (4.0, 8.0, 12.0, 20.0)
SNRS = (20.0, 10.0, 5.0)
NOISES = ("fan", "hum")
METER_CPU = "CPU, headless session with the meter on (% of a core)"
LATENCY = "meter: block arrival → level available (callback work)"
METER_ROWS = (
    *((f"breath detection at {snr:g} dB SNR", "rate ±1 /min, onsets ≤ 150 ms") for snr in SNRS),
    (METER_CPU, "≤ 10 %"),
    (LATENCY, "—"),
)


def accuracy(snr: float) -> tuple[float, float, float]:
    """(worst |rate error| /min, median onset error ms, p95 onset error ms) over the grid."""
    from assistant.sound.breath import analyse

    rate_errors, onset_errors = [], []
    for noise in NOISES:
        for rate in RATES:
            samples, truth = breathing(rate, max(60.0, 6 * 60 / rate), snr, noise, seed=11)
            result = analyse(samples, 48000)
            if result.rate_per_min is not None:
                rate_errors.append(abs(result.rate_per_min - rate))
            else:
                rate_errors.append(float("inf"))
            onsets = [e.start for e in result.events if e.kind == "exhale"]
            for start, _ in truth:
                if onsets:
                    onset_errors.append(min(abs(o - start) for o in onsets) * 1000)
    return max(rate_errors), median(onset_errors), percentile(onset_errors, 95)


def bench_meter(bench: Any) -> None:
    """Accuracy grid, CPU of a metered session, and the callback's latency."""
    for snr in SNRS:
        worst, med, p95 = accuracy(snr)
        bench.rows.append(
            Row(
                f"breath detection at {snr:g} dB SNR",
                f"rate error ≤ {worst:.2f} /min",
                f"onset error median {med:.0f} ms, p95 {p95:.0f} ms",
                f"{len(RATES) * len(NOISES)} recordings",
                "rate ±1 /min, onsets ≤ 150 ms",
            )
        )

    samples, _ = breathing(8.0, 60.0, 15.0, "fan", seed=5)
    wav = bench.work / "breathing.wav"
    write_wav(wav, samples, 48000)
    env = bench.env(bench.home("meter"))
    process = subprocess.Popen(
        [*bench.ground, "play", str(REPO / "tests/data/meter.toml"), "--engine", "none", "--meter"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        cwd=bench.work,
    )
    feeder = subprocess.Popen(["paplay", str(wav)], env=env)
    try:
        threading.Event().wait(10)
        start_ticks, start = proc_ticks(process.pid), time.monotonic()
        threading.Event().wait(40)
        end_ticks, end = proc_ticks(process.pid), time.monotonic()
    finally:
        feeder.kill()
        process.kill()
        feeder.wait(10)
        process.wait(10)
    if start_ticks is None or end_ticks is None:
        raise RuntimeError("the metered session ended early")
    cpu = cpu_percent(end_ticks - start_ticks, end - start, CLK_TCK)
    bench.rows.append(Row(METER_CPU, f"{cpu:.2f} %", f"{end - start:.0f} s sampled", "1", "≤ 10 %"))

    from assistant.sound.meter import BLOCK, InputMeter

    class Status:
        input_overflow = False

    meter = InputMeter(sd=None, analyse=True)
    block = (np.random.default_rng(1).normal(0, 3000, BLOCK)).astype(np.int16).tobytes()
    times = []
    for _ in range(500):
        began = time.perf_counter()
        meter._callback(block, BLOCK, None, Status())
        times.append((time.perf_counter() - began) * 1e6)
        if meter._blocks.full():
            meter._blocks.get_nowait()
    bench.rows.append(
        Row(
            LATENCY,
            f"{median(times):.0f} µs",
            f"p95 {percentile(times, 95):.0f} µs",
            str(len(times)),
            "—",
            f"block period {BLOCK / 48:.0f} ms",
        )
    )
