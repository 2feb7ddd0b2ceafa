"""The sounds a person can choose, by name: tone sets, bells and ambient beds, and their files.

Pure names and paths (stdlib only), so the CLI parser, settings and the TUI can list the
choices without importing numpy or touching the sound card. The files themselves are
``audio/`` paths relative to the shipped data folder (``assistant.core.resources.shipped_dir``);
``audio/README.md`` describes the layout.
"""

from __future__ import annotations

#: The breathing tones every set has, by the asset names the compiler's TONE events play.
TONE_KINDS = ("inhale", "exhale", "hold", "top_up")

#: Tone sets, the default first: ``soft-sine`` is the set ground has always played.
TONE_SETS = ("soft-sine", "hum", "wood")
DEFAULT_TONES = "soft-sine"

#: Bells for the start and end of a session (and the timer's bells), the default first.
BELLS = ("bell", "chime", "woodblock")
DEFAULT_BELL = "bell"
#: The bell choice that plays no bell at all.
NO_BELL = "none"
BELL_CHOICES = (*BELLS, NO_BELL)

#: Ambient beds made in code (``assistant.sound.ambient``); ``none`` plays nothing.
NO_AMBIENT = "none"
AMBIENTS = (NO_AMBIENT, "waves", "rain", "brown")
DEFAULT_AMBIENT = NO_AMBIENT


def tone_file(tone_set: str, tone: str) -> str:
    """Where ``tone`` of ``tone_set`` lives, relative to the audio folder.

    The default set keeps today's files at the top (``inhale.wav``), so every existing path
    still works; other sets live in ``tones/<set>/``.

    Raises:
        ValueError: an unknown set or tone.
    """
    if tone_set not in TONE_SETS:
        raise ValueError(f"unknown tone set '{tone_set}'; use one of: {', '.join(TONE_SETS)}")
    if tone not in TONE_KINDS:
        raise ValueError(f"unknown tone '{tone}'; use one of: {', '.join(TONE_KINDS)}")
    if tone_set == DEFAULT_TONES:
        return f"{tone}.wav"
    return f"tones/{tone_set}/{tone}.wav"


def bell_file(bell: str) -> str:
    """Where ``bell`` lives, relative to the audio folder (today's ``bell.wav`` for the default).

    Raises:
        ValueError: an unknown bell, or ``none`` (which has no file).
    """
    if bell not in BELLS:
        raise ValueError(f"unknown bell '{bell}'; use one of: {', '.join(BELLS)}")
    if bell == DEFAULT_BELL:
        return "bell.wav"
    return f"bells/{bell}.wav"


def all_files() -> tuple[str, ...]:
    """Every shipped sound file, relative to the audio folder, in a stable order."""
    tones = tuple(tone_file(s, t) for s in TONE_SETS for t in TONE_KINDS)
    return (*(bell_file(b) for b in BELLS), *tones)
