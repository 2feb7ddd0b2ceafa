"""The sound choices by name and their files under audio/."""

from __future__ import annotations

import pytest

from assistant.core.sounds import (
    AMBIENTS,
    BELL_CHOICES,
    BELLS,
    DEFAULT_AMBIENT,
    DEFAULT_BELL,
    DEFAULT_TONES,
    NO_BELL,
    TONE_KINDS,
    TONE_SETS,
    all_files,
    bell_file,
    tone_file,
)


def test_the_defaults_are_todays_sounds_and_no_ambient() -> None:
    assert TONE_SETS[0] == DEFAULT_TONES
    assert DEFAULT_BELL == BELLS[0] == "bell"
    assert DEFAULT_AMBIENT == "none"
    assert [tone_file(DEFAULT_TONES, t) for t in TONE_KINDS] == [f"{t}.wav" for t in TONE_KINDS]
    assert bell_file("bell") == "bell.wav"


def test_choices_are_enough_and_none_is_offered() -> None:
    assert len(TONE_SETS) >= 3
    assert len(BELLS) >= 2
    assert NO_BELL in BELL_CHOICES
    assert {"none", "waves", "rain", "brown"} <= set(AMBIENTS)


def test_other_sets_and_bells_live_in_their_folders() -> None:
    assert tone_file("hum", "top_up") == "tones/hum/top_up.wav"
    assert bell_file("chime") == "bells/chime.wav"
    files = all_files()
    assert len(files) == len(set(files)) == len(BELLS) + len(TONE_SETS) * len(TONE_KINDS)


@pytest.mark.parametrize(
    ("call", "says"),
    [
        (lambda: tone_file("loud", "inhale"), "unknown tone set 'loud'"),
        (lambda: tone_file("hum", "bell"), "unknown tone 'bell'"),
        (lambda: bell_file("none"), "unknown bell 'none'"),
        (lambda: bell_file("../x"), "unknown bell"),
    ],
)
def test_unknown_names_are_refused_naming_the_choices(call, says: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=says) as caught:
        call()
    assert "use one of" in str(caught.value)
