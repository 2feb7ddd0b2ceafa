"""The renderer: cache first, engine on a miss, the rest in order in the background."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from assistant.speech import (
    ClipCache,
    EngineUnavailable,
    Pyttsx3Engine,
    Rendered,
    RenderFailed,
    SpeechRenderer,
    Voice,
)


def speech_like(text: str) -> Rendered:
    """A tone whose length depends on the text, with silence around it like real engine output."""
    rate = 22050
    n = 2000 + 300 * len(text)
    t = np.arange(n) / rate
    body = 0.5 * np.sin(2 * np.pi * (200 + 10 * len(text)) * t)
    x = np.concatenate([np.zeros(500), body, np.zeros(800)])
    return Rendered((x * 32767).astype("<i2").tobytes(), rate)


class FakeEngine:
    """Counts renders; can block on a gate, and fail for chosen texts."""

    name = "fake"

    def __init__(self, fail: dict[str, Exception] | None = None) -> None:
        self.calls: list[str] = []
        self.fail = fail or {}
        self.gate = threading.Event()
        self.gate.set()
        self.lock = threading.Lock()

    def version(self) -> str:
        return "1"

    def voices(self) -> list[Voice]:
        return []

    def render(self, text: str, voice: str | None, rate: int | None) -> Rendered:
        assert self.gate.wait(10)
        with self.lock:
            self.calls.append(text)
        if text in self.fail:
            raise self.fail[text]
        return speech_like(text)

    def close(self) -> None:
        pass


TEXTS = ["Breathe in.", "Hold.", "Breathe out.", "Rest.", "Well done."]


def test_miss_renders_and_caches_then_hits(tmp_path: Path) -> None:
    engine = FakeEngine()
    renderer = SpeechRenderer(engine, ClipCache(tmp_path))
    assert renderer.cached("Breathe in.") is None
    pcm = renderer.clip("Breathe in.")
    assert pcm and renderer.cached("Breathe in.") == pcm
    assert renderer.clip("Breathe in.") == pcm
    assert engine.calls == ["Breathe in."]


def test_without_cache_it_still_renders() -> None:
    engine = FakeEngine()
    renderer = SpeechRenderer(engine, None)
    assert renderer.cached("Hold.") is None
    assert renderer.clip("Hold.") == renderer.clip("Hold.")
    assert engine.calls == ["Hold.", "Hold."]


def test_renders_all_in_order(tmp_path: Path) -> None:
    engine = FakeEngine()
    renderer = SpeechRenderer(engine, ClipCache(tmp_path))
    seen: list[str] = []
    thread = renderer.render_all(TEXTS, lambda text, pcm: seen.append(text))
    assert thread.daemon
    assert renderer.done.wait(10)
    thread.join(5)
    assert seen == TEXTS
    assert engine.calls == TEXTS
    assert renderer.errors == []


def test_first_cue_is_ready_before_the_rest(tmp_path: Path) -> None:
    engine = FakeEngine()
    renderer = SpeechRenderer(engine, ClipCache(tmp_path))
    first = renderer.clip(TEXTS[0])  # the caller renders the first cue itself
    engine.gate.clear()  # the background thread now blocks in the engine
    ready: list[str] = []
    first_ready = threading.Event()

    def on_ready(text: str, pcm: bytes) -> None:
        ready.append(text)
        if text == TEXTS[0]:
            assert pcm == first
            first_ready.set()

    renderer.render_all(TEXTS, on_ready)
    # The first text is a cache hit, so it is delivered at once; the rest wait for the engine.
    assert first_ready.wait(10)
    assert ready == [TEXTS[0]]
    assert not renderer.done.is_set()
    engine.gate.set()
    assert renderer.done.wait(10)
    assert ready == TEXTS
    assert engine.calls == TEXTS  # the first one was not rendered twice


def test_errors_are_recorded_not_raised(tmp_path: Path) -> None:
    engine = FakeEngine(fail={"Hold.": RenderFailed("boom")})
    renderer = SpeechRenderer(engine, ClipCache(tmp_path))
    seen: list[str] = []
    renderer.render_all(TEXTS, lambda text, pcm: seen.append(text))
    assert renderer.done.wait(10)
    assert seen == [t for t in TEXTS if t != "Hold."]
    assert [(t, type(e)) for t, e in renderer.errors] == [("Hold.", RenderFailed)]


def test_unavailable_engine_stops_the_run(tmp_path: Path) -> None:
    engine = FakeEngine(fail={"Hold.": EngineUnavailable("gone")})
    renderer = SpeechRenderer(engine, ClipCache(tmp_path))
    renderer.render_all(TEXTS)
    assert renderer.done.wait(10)
    assert engine.calls == TEXTS[:2]
    assert len(renderer.errors) == 1


def test_callback_errors_are_recorded(tmp_path: Path) -> None:
    renderer = SpeechRenderer(FakeEngine(), ClipCache(tmp_path))

    def bad(text: str, pcm: bytes) -> None:
        raise KeyError(text)

    renderer.render_all(TEXTS[:2], bad)
    assert renderer.done.wait(10)
    assert [t for t, _ in renderer.errors] == TEXTS[:2]


def test_cancel_stops_after_the_current_clip(tmp_path: Path) -> None:
    engine = FakeEngine()
    renderer = SpeechRenderer(engine, ClipCache(tmp_path))
    engine.gate.clear()
    renderer.render_all(TEXTS)
    renderer.cancel()
    engine.gate.set()
    assert renderer.done.wait(10)
    assert len(engine.calls) <= 1


def test_concurrent_requests_render_once(tmp_path: Path) -> None:
    engine = FakeEngine()
    renderer = SpeechRenderer(engine, ClipCache(tmp_path))
    results: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: results.append(renderer.clip("Breathe in.")))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(results) == 8 and len(set(results)) == 1
    assert engine.calls == ["Breathe in."]


def test_cache_write_failure_is_not_fatal(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder should be")
    renderer = SpeechRenderer(FakeEngine(), ClipCache(blocked))
    assert renderer.clip("Hold.")
    assert len(renderer.cache_errors) == 1


def test_sample_rate_must_match_cache(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        SpeechRenderer(FakeEngine(), ClipCache(tmp_path, sample_rate=44100), sample_rate=48000)


WARM_HIT = """
import json, sys
from pathlib import Path
from assistant.speech import ClipCache, SpeechRenderer, make_engine
engine = make_engine("system")
renderer = SpeechRenderer(engine, ClipCache(Path(sys.argv[1])))
pcm = renderer.clip("Breathe in.")
print(json.dumps({
    "bytes": len(pcm),
    "numpy": "numpy" in sys.modules,
    "pyttsx3": "pyttsx3" in sys.modules,
    "worker": engine.pid,
}))
"""


def test_warm_cache_hit_needs_no_numpy_and_no_worker(tmp_path: Path) -> None:
    # Fill the cache the way an earlier session would have, under the system engine's key.
    renderer = SpeechRenderer(Pyttsx3Engine(), ClipCache(tmp_path))
    ClipCache(tmp_path).put(renderer.key("Breathe in."), b"\x01\x00" * 4800)
    done = subprocess.run(
        [sys.executable, "-c", WARM_HIT, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    report = json.loads(done.stdout)
    assert report == {"bytes": 9600, "numpy": False, "pyttsx3": False, "worker": None}
