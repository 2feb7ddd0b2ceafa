"""The sounds' names as Settings and the timer list them, in the person's language: tone sets,
bells and ambient sounds are settings values (``soft-sine``, ``bell``), shown as words."""

from __future__ import annotations

from assistant.core.i18n import pgettext


def sound_name(name: str) -> str:
    """How the tone set, bell or ambient sound ``name`` is listed (unknown: as it is)."""
    # TRANSLATORS: names of sounds in Settings and the timer: tone sets (soft-sine, hum,
    # wood), bells (bell, chime, woodblock), ambient sounds (waves, rain), or none.
    names = {
        "soft-sine": pgettext("sound", "soft-sine"),
        "hum": pgettext("sound", "hum"),
        "wood": pgettext("sound", "wood"),
        "bell": pgettext("sound", "bell"),
        "chime": pgettext("sound", "chime"),
        "woodblock": pgettext("sound", "woodblock"),
        "waves": pgettext("sound", "waves"),
        "rain": pgettext("sound", "rain"),
        "brown": pgettext("sound", "brown"),
        "none": pgettext("sound", "none"),
    }
    return names.get(name, name)
