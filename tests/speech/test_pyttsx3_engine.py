"""The system voice: pyttsx3 in a worker process, against the real pyttsx3 + espeak-ng library."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant.speech import EngineUnavailable, Pyttsx3Engine, RenderFailed, UnknownVoice
from tests.helpers.paths import REPO
from tests.speech import faulty_pyttsx3_worker

pytestmark = [
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="these tests drive the espeak-ng library"
    ),
    pytest.mark.slow,
]


@pytest.fixture
def engine() -> Iterator[Pyttsx3Engine]:
    eng = Pyttsx3Engine(timeout=10.0)
    yield eng
    eng.close()


@pytest.fixture
def faults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fault script the worker consumes one line per render (see faulty_pyttsx3_worker)."""
    path = tmp_path / "faults"
    path.write_text("")
    monkeypatch.setenv(faulty_pyttsx3_worker.FAULTS_ENV, str(path))
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    monkeypatch.setattr(
        "assistant.speech.pyttsx3_engine.WORKER_MODULE", faulty_pyttsx3_worker.MODULE
    )
    return path


def audible(pcm: bytes) -> bool:
    return bool(np.abs(np.frombuffer(pcm, dtype="<i2").astype(np.int32)).max() > 1000)


@pytest.mark.tts
def test_renders_a_sentence(engine: Pyttsx3Engine) -> None:
    rendered = engine.render("Breathe in slowly.", None, None)
    assert rendered.sample_rate == 22050
    assert rendered.seconds > 0.3
    assert audible(rendered.pcm)


@pytest.mark.tts
def test_worker_starts_lazily_and_close_ends_it(engine: Pyttsx3Engine) -> None:
    assert engine.version().startswith("pyttsx3 ")
    assert engine.pid is None  # version() must not start the worker (warm-cache path)
    engine.start()
    pid = engine.pid
    assert pid is not None
    engine.close()
    assert engine.pid is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert engine.render("Again.", None, None).seconds > 0.2  # a closed engine starts anew


@pytest.mark.tts
def test_prints_nothing_on_our_stdout_or_stderr(
    engine: Pyttsx3Engine, capfd: pytest.CaptureFixture[str]
) -> None:
    for text in ("Breathe in.", "Hold.", "Breathe out."):
        engine.render(text, None, None)
    engine.voices()
    engine.close()
    out, err = capfd.readouterr()
    assert out == ""  # pyttsx3 prints "Audio saved to …" for every file
    assert err == ""


@pytest.mark.tts
def test_voices_include_english(engine: Pyttsx3Engine) -> None:
    voices = engine.voices()
    assert any(lang.lower().startswith("en") for v in voices for lang in v.languages)


@pytest.mark.tts
def test_voice_by_id_or_language(engine: Pyttsx3Engine) -> None:
    english = next(v for v in engine.voices() if "en-us" in v.languages)
    assert engine.render("Breathe out.", english.id, None).seconds > 0.3
    assert engine.render("Breathe out.", "EN-US", None).seconds > 0.3


@pytest.mark.tts
def test_unknown_voice(engine: Pyttsx3Engine) -> None:
    with pytest.raises(UnknownVoice, match=r"no-such-voice.*ground voices"):
        engine.render("Breathe in.", "no-such-voice", None)


@pytest.mark.tts
def test_rate_is_applied_every_time(engine: Pyttsx3Engine) -> None:
    # pyttsx3 2.99 + espeak-ng drops a rate change now and then (it cancels the pending
    # command); alternating rates shows whether every request really gets its own rate.
    lengths: dict[int, set[float]] = {100: set(), 300: set()}
    for rate in (100, 300, 100, 300, 100, 300):
        lengths[rate].add(round(engine.render("Breathe in slowly.", None, rate).seconds, 2))
    assert max(lengths[300]) * 1.8 < min(lengths[100])
    assert max(lengths[100]) - min(lengths[100]) < 0.05


@pytest.mark.tts
def test_twenty_utterances_in_a_row(engine: Pyttsx3Engine) -> None:
    texts = ["Breathe in" + ", and out" * i + "." for i in range(20)]
    start = time.perf_counter()
    rendered = [engine.render(t, None, None) for t in texts]
    elapsed = time.perf_counter() - start
    assert all(r.seconds > 0.3 and audible(r.pcm) for r in rendered)
    lengths = [r.frames for r in rendered]
    assert lengths == sorted(lengths)
    assert len(set(lengths)) == 20  # one utterance per file: no lost or merged texts
    assert elapsed < 20  # ≈ 0.25 s here


@pytest.mark.tts
def test_killed_worker_is_restarted(engine: Pyttsx3Engine) -> None:
    engine.render("Breathe in.", None, None)
    pid = engine.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    assert engine.render("Breathe out.", None, None).seconds > 0.3
    assert engine.pid not in (None, pid)
    assert engine.restarts == 1


@pytest.mark.tts
def test_hung_worker_is_killed_and_the_render_retried(faults: Path) -> None:
    engine = Pyttsx3Engine(timeout=1.5)
    try:
        engine.start()
        first = engine.pid
        faults.write_text("hang\n")
        start = time.perf_counter()
        rendered = engine.render("Breathe in slowly.", None, None)
        elapsed = time.perf_counter() - start
        assert rendered.seconds > 0.3
        assert engine.restarts == 1
        assert engine.pid != first
        assert 1.5 <= elapsed < 8
        assert first is not None
        with pytest.raises(ProcessLookupError):
            os.kill(first, 0)
    finally:
        engine.close()


@pytest.mark.tts
def test_hanging_twice_fails_plainly(faults: Path) -> None:
    engine = Pyttsx3Engine(timeout=1.0)
    try:
        faults.write_text("hang\nhang\n")
        with pytest.raises(RenderFailed, match="stopped responding twice"):
            engine.render("Breathe in.", None, None)
        faults.write_text("")
        assert engine.render("Breathe in.", None, None).seconds > 0.2  # and recovers after
    finally:
        engine.close()


@pytest.mark.tts
def test_crashed_worker_is_restarted(engine: Pyttsx3Engine, faults: Path) -> None:
    faults.write_text("crash\n")
    assert engine.render("Breathe in.", None, None).seconds > 0.2
    assert engine.restarts == 1


@pytest.mark.tts
def test_empty_or_bad_files_are_retried(engine: Pyttsx3Engine, faults: Path) -> None:
    faults.write_text("empty\ngarbage\n")
    assert engine.render("Breathe in.", None, None).seconds > 0.2
    assert faults.read_text() == ""  # both faults were consumed: three tries
    assert engine.restarts == 0


@pytest.mark.tts
def test_three_bad_files_fail_plainly(engine: Pyttsx3Engine, faults: Path) -> None:
    faults.write_text("empty\nempty\ngarbage\n")
    with pytest.raises(RenderFailed, match="3 tries"):
        engine.render("Breathe in.", None, None)


def test_missing_speech_library_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stand-in pyttsx3 that fails the way 2.99 does when libespeak-ng is missing.
    fake = tmp_path / "fake" / "pyttsx3"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(
        "def init(*args, **kwargs):\n"
        "    raise RuntimeError("
        "'This means you probably do not have eSpeak or eSpeak-ng installed!')\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(fake.parent))
    engine = Pyttsx3Engine(timeout=20)
    try:
        with pytest.raises(EngineUnavailable) as info:
            engine.start()
        message = str(info.value)
        assert "\n" not in message
        assert "espeak-ng library" in message
        assert "apt-get install libespeak-ng1" in message
        assert engine.pid is None
        with pytest.raises(EngineUnavailable):  # remembered: no second worker is started
            engine.render("Breathe in.", None, None)
    finally:
        engine.close()


def test_missing_pyttsx3_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "block"
    blocker.mkdir()
    # A module named pyttsx3 that raises ImportError as if it were not installed.
    (blocker / "pyttsx3.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'pyttsx3'\", name='pyttsx3')\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(blocker))
    engine = Pyttsx3Engine(timeout=20)
    try:
        with pytest.raises(EngineUnavailable, match=r"pyttsx3 is not installed: pip install"):
            engine.start()
    finally:
        engine.close()


def test_blank_text_needs_no_worker() -> None:
    engine = Pyttsx3Engine()
    assert engine.render("  ", None, None).pcm == b""
    assert engine.pid is None


def test_worker_that_cannot_start_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    import assistant.speech.pyttsx3_engine as module

    monkeypatch.setattr(module, "WORKER_MODULE", "assistant.speech._no_such_worker")
    engine = Pyttsx3Engine(timeout=20)
    try:
        with pytest.raises(EngineUnavailable, match=r"exited while starting \(.*No module named"):
            engine.start()
    finally:
        engine.close()
