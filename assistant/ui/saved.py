"""The line that confirms a saved setting: what changed, in its new state ("breath holds on")."""

from __future__ import annotations

#: For each on/off setting, how its new state reads: (when on, when off).
STATES: dict[str, tuple[str, str]] = {
    "voice_on": ("the words are spoken", "the words are not spoken (tones only)"),
    "tones_on": ("phase tones on", "phase tones off"),
    "holds": ("breath holds on", "breath holds off"),
    "reduced_motion": ("reduced motion on", "reduced motion off"),
    "ask_before": ("asks how tense before a session", "no question before a session"),
    "ladder_on": ("exposure ladder on (F5)", "exposure ladder off"),
    "meter_on": ("breath meter on", "breath meter off"),
    "gate_voice": ("the meter ignores the voice", "the meter hears the voice too"),
    "speak_feedback": ("the pacing hint is said aloud", "the pacing hint is shown only"),
}

#: How the other settings are named before their new value.
NAMES = {
    "engine": "speech engine",
    "voice": "voice",
    "rate": "speaking rate",
    "sentence_pause": "pause between sentences",
    "volume": "volume",
    "pace": "breathing pace",
    "holds": "breath holds",
    "device": "output device",
    "input_device": "microphone",
    "theme": "theme",
}


def saved_text(name: str, value: object, shown: str | None = None) -> str:
    """``Saved: breath holds on.``: the setting ``name`` now set to ``value``.

    Args:
        name: the setting's name in the settings file.
        value: its new value.
        shown: how the value is shown where it was chosen (a list's label), if not ``value``.
    """
    if name in STATES and isinstance(value, bool):
        on, off = STATES[name]
        return f"Saved: {on if value else off}."
    label = NAMES.get(name, name.replace("_", " "))
    if shown is None:
        shown = "the default" if value in (None, "") else str(value)
    return f"Saved: {label} {shown}."
