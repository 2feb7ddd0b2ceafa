"""Which language a voice speaks, and the voice each engine speaks a language with.

A voice id names its language in every engine ground has: espeak-ng's and the system voice's
ids end in a language tag (``roa/es``, ``gmw/en-us``, ``es``), and a Piper voice's config names
it (``"language": {"code": "es_ES"}``). espeak-ng and the system voice (espeak-ng under pyttsx3
on Linux) take the bare tag as a voice, so a script in Spanish is spoken with ``es`` there.
"""

from __future__ import annotations

import re

#: The language the engines' default voices speak (espeak-ng's, and the system voice's on
#: Linux): the language a script is spoken in when no voice is named.
DEFAULT_LANGUAGE = "en"

_TAG = re.compile(r"^[a-z]{2,3}$")


def base(tag: str | None) -> str | None:
    """The language of a tag, locale or voice id, in lower case: ``es_ES``, ``es-419``,
    ``roa/es`` and ``mb/mb-es1`` are all ``es``; None when it names no language."""
    if not tag:
        return None
    last = tag.strip().lower().replace("_", "-").split("/")[-1].split("+", 1)[0]
    parts = last.split("-")
    if parts[0] == "mb" and len(parts) > 1:  # an mbrola voice: mb-es1, mb-de4
        parts = [parts[1].rstrip("0123456789")]
    return parts[0] if _TAG.match(parts[0]) else None


def tagged_voice(lang: str) -> str | None:
    """The voice espeak-ng and the system voice speak ``lang`` with (None: their default).

    English is their default voice, named by None as it always was (clips cached with it stay
    valid); another language is its bare tag (``es``), which both take as a voice.
    """
    return None if lang == DEFAULT_LANGUAGE else lang


def tagged_language(engine: str, voice: str | None) -> str | None:
    """The language ``voice`` speaks in espeak-ng or the system voice, from its id alone
    (None: not known, e.g. a voice named by its full name)."""
    if engine not in ("espeak", "system"):
        return None
    if voice is None:
        return DEFAULT_LANGUAGE
    return base(voice)
