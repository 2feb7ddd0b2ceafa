"""Where to get help, the breath-holds question, and the person's own contacts: the words every
front end shows, and the bounds on what a person adds.

The words are calm on purpose: nothing here may alarm, hurry or stand in the way of a session.
No country's numbers are written in: a helpline directory covers them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.i18n import N_, _, pgettext
from assistant.core.model import Script, value_type

#: The script for the middle of a panic attack: listed first (Home, ``ground list``), under a
#: heading of its own, and started by ``ground panic``.
PANIC_SCRIPT = "panic"
FIRST_HEADING = N_("In a hard moment")

# The words below are module constants, marked with N_ (the language is chosen after import):
# each is translated with _() where it is shown.

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

HELP_TITLE = N_("Where to get help")
HELP_PARAGRAPHS = (
    N_("ground is for practice. It isn't a treatment, and it isn't for emergencies."),
    N_(
        "If practising makes you feel worse, that happens to some people. Stop, open your eyes, "
        "look around, and feel your feet on the floor. You can try something shorter another "
        "time, or leave it."
    ),
    N_(
        "If you have chest pain, trouble breathing, or symptoms that are new to you, seek "
        "medical care."
    ),
    # TRANSLATORS: findahelpline.com lists helplines in every country; keep it as it is.
    N_(
        "If you are in danger, or thinking of harming yourself, call your local emergency "
        "number now, or find a helpline in your country at findahelpline.com."
    ),
    N_(
        "If anxiety is getting in the way of your life, a doctor or therapist can help. Anxiety "
        "often responds well to treatment."
    ),
)
CONTACTS_TITLE = N_("Your people")
# TRANSLATORS: `ground contacts add "Name" "number"` is a command: translate only the words
# "Name" and "number" in it, if you like.
NO_CONTACTS = N_(
    "No one added yet. You can add the names and numbers of people you'd like to reach when "
    'things are hard: in Settings, or with `ground contacts add "Name" "number"`.'
)

# -- breath holds ---------------------------------------------------------------------------------

HOLDS_TITLE = N_("Breath holds")
HOLDS_INTRO = N_(
    "Box breathing and 4-7-8 pause the breath for a few seconds. Many people find that "
    "steadying, but for some it isn't a good idea."
)
# TRANSLATORS: followed by the reasons below, one a line.
HOLDS_REASONS_INTRO = N_("It's better to leave the holds out if you:")
HOLDS_REASONS = (
    # TRANSLATORS: each reason follows "It's better to leave the holds out if you:".
    N_("have asthma, or another condition that makes you breathless"),
    N_("have high blood pressure"),
    N_("are pregnant"),
    N_("have panic attacks, or holding your breath makes you anxious"),
)
HOLDS_WITHOUT = N_("Without holds, the same exercises play, just without the pauses.")
# TRANSLATORS: a button; keep it short.
HOLDS_INCLUDE = N_("Include the holds")
# TRANSLATORS: a button; keep it short.
HOLDS_LEAVE_OUT = N_("Leave them out")
# TRANSLATORS: a button; keep it short.
HOLDS_NOT_NOW = N_("Not now")
HOLDS_NOT_NOW_MEANS = N_("no holds this time; you'll be asked again next time")
HOLDS_CHANGE = N_("You can change this at any time in Settings.")
HOLDS_ON = N_("Holds are on. If one ever feels tight, let the breath keep moving instead.")
HOLDS_OFF = N_("Holds are off. The exercises play without the pauses.")
# TRANSLATORS: --holds, `ground holds on` and `ground holds off` are commands: keep them.
HOLDS_UNCHOSEN = N_(
    "No breath holds this time, since you haven't chosen yet. Add --holds to include them, "
    "or choose once with `ground holds on` or `ground holds off`."
)


def holds_state(holds: bool | None) -> str:
    """The holds choice in words, in the interface's language: ``on``, ``off``, or not chosen
    yet."""
    if holds is None:
        return _("not chosen yet (no holds are played until you choose)")
    # TRANSLATORS: the breath holds are switched on, or off.
    return pgettext("holds", "on") if holds else pgettext("holds", "off")


def has_holds(script: Script) -> bool:
    """Whether ``script`` holds the breath anywhere (the holds question is about it)."""
    return any(block.pattern.has_holds for block in script.breathing)


# -- the person's own contacts ------------------------------------------------------------------

MAX_CONTACTS = 20
"""More people than anyone lists for a hard moment; the settings file stays small."""
NAME_LIMIT = 60
NUMBER_LIMIT = 40
#: Why a contact's name or number cannot be: not text, empty, too long, control characters
#: (a sentence each, not a word put into one: "name" and "number" decline differently).
CONTACT_PROBLEMS = {
    "name": (
        N_("a contact's name must be text"),
        N_("a contact needs a name"),
        # TRANSLATORS: {limit} and {length} are numbers of characters.
        N_("a contact's name is at most {limit} characters (this one has {length})"),
        N_("a contact's name holds control characters; write it as plain text"),
    ),
    "number": (
        N_("a contact's number must be text"),
        N_("a contact needs a number"),
        # TRANSLATORS: {limit} and {length} are numbers of characters.
        N_("a contact's number is at most {limit} characters (this one has {length})"),
        N_("a contact's number holds control characters; write it as plain text"),
    ),
}


@value_type
@dataclass(frozen=True, eq=False, repr=False)
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
        problems = CONTACT_PROBLEMS[what]
        if not isinstance(value, str):
            return _(problems[0])
        if not value.strip():
            return _(problems[1])
        if len(value) > limit:
            return _(problems[2]).format(limit=limit, length=len(value))
        if not value.isprintable():
            return _(problems[3])
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
