""" "Get ready" with the real espeak-ng: the step's name is really spoken, not only captioned."""

from __future__ import annotations

import array
import math

import pytest

from assistant.core.compiler import CompileOptions
from assistant.core.ladder import READY_SCRIPT, ready_script
from assistant.core.library import shipped_script
from assistant.core.model import ClipKind, ClipRef, EventKind
from assistant.session import SessionRequest, build_offline


@pytest.mark.tts
def test_the_steps_name_is_spoken_with_espeak() -> None:
    script = ready_script(shipped_script(READY_SCRIPT), "Say hello to a neighbour")
    mixer, notices = build_offline(
        SessionRequest(script=script, options=CompileOptions(), engine="espeak")
    )
    assert notices == []
    line = (
        "In a moment, you'll say hello to a neighbour. "
        "Picture it through your own eyes: the place, and the people there."
    )
    event = next(e for e in mixer.timeline.events if e.kind is EventKind.SAY and e.text == line)
    pcm = mixer._pcm[ClipRef(ClipKind.SPEECH, line)]
    samples = array.array("h", pcm)
    seconds = len(samples) / mixer.timeline.sample_rate
    rms = math.sqrt(sum(s * s for s in samples[::16]) / max(1, len(samples[::16])))
    assert 3.0 < seconds < 12.0  # a spoken sentence, not silence standing in for one
    assert rms > 500
    assert event.duration == len(samples)
