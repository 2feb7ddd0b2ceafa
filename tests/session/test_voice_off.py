"""A session with the voice off ("eyes closed, tones only"): a step of words lasts its pause,
not the words nobody hears, so the breathing starts soon, and its caption stays up to be
read; no engine works for it until the voice is turned on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.core.clock import FakeClock
from assistant.core.compiler import (
    MIN_GLANCE_SECONDS,
    MIN_READING_SECONDS,
    CompileOptions,
    compile_timeline,
    reading_seconds,
)
from assistant.core.library import shipped_script
from assistant.core.model import EventKind
from assistant.session import Follower, Practice, listed_seconds, request_for
from assistant.storage.settings import Settings
from tests.helpers import RATE, fixed_lengths, script_from

REPO = Path(__file__).resolve().parents[2]

SCRIPT = """
[[step]]
say = "One two three four five six seven eight nine ten."
pause = 1
[[step]]
say = "Find five things you can see."
pause = 4
[[step]]
breathe = "Slow"
inhale = 4
exhale = 6
cycles = 2
words = { inhale = "in", exhale = "out" }
"""


def test_a_say_lasts_its_pause_and_its_caption_its_reading_time() -> None:
    script = script_from(SCRIPT)
    speech_seconds = 9.0  # however long the voice would take, it does not count
    timeline = compile_timeline(
        script, fixed_lengths(speech_seconds=speech_seconds), CompileOptions(voice=False)
    )
    says = [e for e in timeline.events if e.kind is EventKind.SAY]
    spans = [s for s in timeline.steps if s.kind == "say"]
    ten_words = reading_seconds(says[0].text)
    assert ten_words == pytest.approx(10 * 60 / 250)
    assert says[0].duration == round(ten_words * RATE)  # how long the caption is shown
    assert spans[0].end - spans[0].start == round(MIN_GLANCE_SECONDS * RATE)  # pause 1 s
    assert spans[1].end - spans[1].start == 4 * RATE  # its pause: time to do what it asks
    assert reading_seconds("Hi.") == MIN_READING_SECONDS
    voiced = compile_timeline(script, fixed_lengths(speech_seconds=speech_seconds))
    assert voiced.steps[0].end == round((speech_seconds + 1) * RATE)  # words, then pause


def test_with_the_voice_off_a_caption_stays_until_read_or_replaced() -> None:
    """The follower keeps a short step's caption up for its reading time, unless the next
    caption comes first (then that one is shown)."""
    script = script_from(SCRIPT.replace("pause = 4", "pause = 4\n[[step]]\npause = 9"))
    timeline = compile_timeline(script, fixed_lengths(), CompileOptions(voice=False))

    class Held:
        def __init__(self, timeline: object) -> None:
            self.timeline = timeline
            self.notices: list[str] = []

    follower = Follower(Held(timeline))
    says = [e for e in timeline.events if e.kind is EventKind.SAY]
    first, second = says
    assert second.frame == first.frame + round(MIN_GLANCE_SECONDS * RATE)
    assert not follower.follow(first.frame).caption_over
    moment = follower.follow(second.frame)
    assert [e.text for e in moment.events if e.kind is EventKind.SAY] == [second.text]
    # The second caption's step is 4 s; its reading time (6 words) is shorter: over at 4 s.
    assert not follower.follow(second.frame + 4 * RATE - 1).caption_over
    assert follower.follow(second.frame + 4 * RATE).caption_over


def test_box_with_the_voice_off_sounds_its_first_tone_within_8_s() -> None:
    settings = Settings(engine="none")
    request = request_for(settings, shipped_script("box"), no_voice=True, sound=False)
    practice = Practice.start(request, clock=FakeClock())
    timeline = practice.session.timeline
    practice.close()
    first_tone = next(e for e in timeline.events if e.kind is EventKind.TONE)
    assert first_tone.frame < 8 * RATE
    # The one length: the list with the voice off says what the session plays.
    off = Settings(engine="none", voice_on=False)
    assert listed_seconds(off, shipped_script("box")) == timeline.seconds


class Recorder:
    """A renderer that notes every render (none are cached)."""

    def __init__(self) -> None:
        self.rendered: list[str] = []
        self.voice: str | None = None

        class Engine:
            name = "fake"

            def close(self) -> None:
                pass

        self.engine = Engine()

    def cached(self, text: str) -> bytes | None:
        return None

    def clip(self, text: str) -> bytes:
        self.rendered.append(text)
        return b"\x01\x00" * 4800


def test_no_word_is_rendered_until_the_voice_is_turned_on() -> None:
    renderer = Recorder()
    request = replace(request_for(Settings(), shipped_script("box"), no_voice=True), sound=False)
    practice = Practice.start(request, clock=FakeClock(), renderer=renderer)
    session = practice.session
    assert session.complete  # nothing to wait for: the timing needs no speech
    assert renderer.rendered == []
    timeline = session.timeline
    assert practice.toggle("voice")  # on: the words are rendered now, in the background
    for thread in session._background:
        thread.join(10)
    says = [e.text for e in timeline.events if e.kind is EventKind.SAY]
    assert set(says) <= set(renderer.rendered)
    assert session.timeline is timeline  # the timing stays the same
    practice.close()


@pytest.mark.slow
@pytest.mark.tts
def test_render_no_voice_box_first_tone_within_8_s(tmp_path: Path) -> None:
    out = tmp_path / "box.json"
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "render", "box", "--no-voice", "--engine", "espeak",
         "-o", str(tmp_path / "box.wav"), "--timeline", str(out)],
        capture_output=True, text=True, timeout=120, check=False, cwd=REPO,
        env=dict(os.environ, PULSE_SERVER="unix:/nonexistent/pulse"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    events = json.loads(out.read_text())["events"]
    tone = next(e for e in events if e["kind"] == "tone")
    assert tone["frame"] < 8 * 48_000
    welcome = next(e for e in events if e["kind"] == "say")
    assert welcome["frame"] < tone["frame"]  # the caption is still shown, before the tones


def test_with_the_voice_off_a_short_steps_caption_stays_for_its_reading_time() -> None:
    script = script_from(
        '[[step]]\nsay = "One two three four five six seven eight nine ten."\npause = 1\n'
        "[[step]]\npause = 9\n"
    )
    timeline = compile_timeline(script, fixed_lengths(), CompileOptions(voice=False))

    class Held:
        def __init__(self, timeline: object) -> None:
            self.timeline = timeline
            self.notices: list[str] = []

    follower = Follower(Held(timeline))
    follower.follow(0)
    read = round(reading_seconds("One two three four five six seven eight nine ten.") * RATE)
    assert timeline.steps[0].end == RATE  # the step is over after a second...
    assert not follower.follow(read - 1).caption_over  # ...its words are still up
    assert follower.follow(read).caption_over
