"""Where to get help, the breath-holds question, and the person's own contacts: the words every
front end shows, and the bounds on what a person adds.

The words are calm on purpose: nothing here may alarm, hurry or stand in the way of a session.
No country's numbers are written in: a helpline directory covers them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.model import Script

#: The script for the middle of a panic attack: listed first (Home, ``ground list``), under a
#: heading of its own, and started by ``ground panic``.
PANIC_SCRIPT = "panic"
FIRST_HEADING = "In a hard moment"

# -- safety notes ---------------------------------------------------------------------------------


def short_note(note: str, limit: int) -> str:
    """A safety note in at most ``limit`` characters, for a line or two before a session where
    the whole note would crowd it: its first sentence (the main caution; cut with … if it alone
    is too long), then each later sentence that still fits, in order."""
    first, *rest = re.split(r"(?<=[.!?])\s+", " ".join(note.split()))
    if len(first) > limit:
        return first[: limit - 1].rstrip() + "…"
    kept = [first]
    for sentence in rest:
        if len(" ".join([*kept, sentence])) <= limit:
            kept.append(sentence)
    return " ".join(kept)


# -- where to get help ----------------------------------------------------------------------------

HELP_TITLE = "Where to get help"
HELP_PARAGRAPHS = (
    "ground is for practice. It isn't a treatment, and it isn't for emergencies.",
    "If practising makes you feel worse, that happens to some people. Stop, open your eyes, "
    "look around, and feel your feet on the floor. You can try something shorter another time, "
    "or leave it.",
    "If you have chest pain, trouble breathing, or symptoms that are new to you, seek medical "
    "care.",
    "If you are in danger, or thinking of harming yourself, call your local emergency number "
    "now, or find a helpline in your country at findahelpline.com.",
    "If anxiety is getting in the way of your life, a doctor or therapist can help. Anxiety "
    "often responds well to treatment.",
)
CONTACTS_TITLE = "Your people"
NO_CONTACTS = (
    "No one added yet. You can add the names and numbers of people you'd like to reach when "
    'things are hard: in Settings, or with `ground contacts add "Name" "number"`.'
)

# -- breath holds ---------------------------------------------------------------------------------

HOLDS_TITLE = "Breath holds"
HOLDS_INTRO = (
    "Box breathing and 4-7-8 pause the breath for a few seconds. Many people find that "
    "steadying, but for some it isn't a good idea."
)
HOLDS_REASONS_INTRO = "It's better to leave the holds out if you:"
HOLDS_REASONS = (
    "have asthma, or another condition that makes you breathless",
    "have high blood pressure",
    "are pregnant",
    "have panic attacks, or holding your breath makes you anxious",
)
HOLDS_WITHOUT = "Without holds, the same exercises play, just without the pauses."
HOLDS_INCLUDE = "Include the holds"
HOLDS_LEAVE_OUT = "Leave them out"
HOLDS_NOT_NOW = "Not now"
HOLDS_NOT_NOW_MEANS = "no holds this time; you'll be asked again next time"
HOLDS_CHANGE = "You can change this at any time in Settings."
HOLDS_ON = "Holds are on. If one ever feels tight, let the breath keep moving instead."
HOLDS_OFF = "Holds are off. The exercises play without the pauses."
HOLDS_UNCHOSEN = (
    "No breath holds this time, since you haven't chosen yet. Add --holds to include them, "
    "or choose once with `ground holds on` or `ground holds off`."
)


def holds_state(holds: bool | None) -> str:
    """The holds choice in words: ``on``, ``off``, or not chosen yet."""
    if holds is None:
        return "not chosen yet (no holds are played until you choose)"
    return "on" if holds else "off"


def has_holds(script: Script) -> bool:
    """Whether ``script`` holds the breath anywhere (the holds question is about it)."""
    return any(block.pattern.has_holds for block in script.breathing)


# -- the person's own contacts ------------------------------------------------------------------

MAX_CONTACTS = 20
"""More people than anyone lists for a hard moment; the settings file stays small."""
NAME_LIMIT = 60
NUMBER_LIMIT = 40


@dataclass(frozen=True)
class Contact:
    """Someone the person would like to reach when things are hard, in their own words.

    Attributes:
        name: how they call them ("Sam", "my sister").
        number: how to reach them (a phone number, usually).
    """

    name: str
    number: str

    def line(self) -> str:
        """``Name — number``."""
        return f"{self.name} — {self.number}"


def contact_problem(name: object, number: object) -> str | None:
    """Why ``name`` and ``number`` cannot be a contact (None if they can).

    Both are short, one-line, printable text: a contact is shown on screens and printed, so a
    control character or an escape sequence must never get in.
    """
    for what, value, limit in (("name", name, NAME_LIMIT), ("number", number, NUMBER_LIMIT)):
        if not isinstance(value, str):
            return f"a contact's {what} must be text"
        if not value.strip():
            return f"a contact needs a {what}"
        if len(value) > limit:
            return f"a contact's {what} is at most {limit} characters (this one has {len(value)})"
        if not value.isprintable():
            return f"a contact's {what} holds control characters; write it as plain text"
    return None


def make_contact(name: str, number: str) -> Contact:
    """A contact from what a person typed (blanks at the ends trimmed, inner runs kept single).

    Raises:
        ValueError: :func:`contact_problem`'s reason.
    """
    name, number = " ".join(name.split()), " ".join(number.split())
    problem = contact_problem(name, number)
    if problem is not None:
        raise ValueError(problem)
    return Contact(name, number)
