"""The line that confirms a saved setting: what changed, in its new state ("breath holds on")."""

from __future__ import annotations

from assistant.core.i18n import N_, _

#: For each on/off setting, how its new state reads: (when on, when off).
STATES: dict[str, tuple[str, str]] = {
    "voice_on": (N_("the words are spoken"), N_("the words are not spoken (tones only)")),
    "tones_on": (N_("phase tones on"), N_("phase tones off")),
    "holds": (N_("breath holds on"), N_("breath holds off")),
    "reduced_motion": (N_("reduced motion on"), N_("reduced motion off")),
    "ask_before": (N_("asks how tense before a session"), N_("no question before a session")),
    "ladder_on": (N_("exposure ladder on (F5)"), N_("exposure ladder off")),
    "meter_on": (N_("breath meter on"), N_("breath meter off")),
    "gate_voice": (N_("the meter ignores the voice"), N_("the meter hears the voice too")),
    "speak_feedback": (N_("the pacing hint is said aloud"), N_("the pacing hint is shown only")),
}

#: How the other settings are named before their new value.
NAMES = {
    "engine": N_("speech engine"),
    "voice": N_("voice"),
    "rate": N_("speaking rate"),
    "sentence_pause": N_("pause between sentences"),
    "volume": N_("volume"),
    "pace": N_("breathing pace"),
    "holds": N_("breath holds"),
    "device": N_("output device"),
    "input_device": N_("microphone"),
    "theme": N_("theme"),
    "tones": N_("tones"),
    "bell": N_("bell"),
    "ambient": N_("ambient"),
    "voice_volume": N_("voice volume"),
    "tones_volume": N_("tones volume"),
    "ambient_volume": N_("ambient volume"),
}


def saved_text(name: str, value: object, shown: str | None = None) -> str:
    """``Saved: breath holds on.``: the setting ``name`` now set to ``value``.

    Args:
        name: the setting's name in the settings file.
        value: its new value.
        shown: how the value is shown where it was chosen (a list's label, translated), if not
            ``value``.
    """
    if name in STATES and isinstance(value, bool):
        on, off = STATES[name]
        # TRANSLATORS: {state} is a setting in its new state: "breath holds on".
        return _("Saved: {state}.").format(state=_(on if value else off))
    label = _(NAMES[name]) if name in NAMES else name.replace("_", " ")
    if shown is None:
        shown = _("the default") if value in (None, "") else str(value)
    # TRANSLATORS: {setting} is a setting's name ("speaking rate"), {value} its new value.
    return _("Saved: {setting} {value}.").format(setting=label, value=shown)


def could_not_save(why: object) -> str:
    """``Could not save: …``: a setting that was not saved, and why."""
    # TRANSLATORS: {why} says what went wrong (a file that could not be written, …).
    return _("Could not save: {why}").format(why=why)
