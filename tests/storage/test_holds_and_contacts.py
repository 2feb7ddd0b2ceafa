"""The holds choice (on, off, not chosen) and the person's contacts in the settings file: the
migration from ``no_holds``, comment-keeping saves, and contacts as bounded, printable data."""

from __future__ import annotations

import stat
from dataclasses import replace

import pytest

from assistant.core.support import MAX_CONTACTS, Contact, make_contact, short_note
from assistant.storage.paths import settings_file
from assistant.storage.settings import Settings, SettingsError, load_settings, save_settings


def write(text: str) -> None:
    path = settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_a_fresh_home_has_not_chosen_and_plays_no_holds() -> None:
    settings = load_settings()[0]
    assert settings.holds is None
    assert settings.no_holds  # until the person chooses, no hold plays


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        ("no_holds = true\n", False),  # chosen before holds were asked about: off stays off
        ("no_holds = false\n", None),  # the old default, never a choice: not chosen yet
        ('engine = "espeak"\n', None),  # a file written before this change
        ("holds = true\n", True),
        ("holds = false\n", False),
        ("no_holds = true\nholds = true\n", True),  # the new line wins
    ],
)
def test_the_old_no_holds_setting_migrates(text: str, holds: bool | None) -> None:
    write(text)
    settings, notice = load_settings()
    assert notice is None
    assert settings.holds is holds
    assert settings.no_holds is (holds is not True)


def test_choosing_replaces_the_old_line_and_keeps_the_persons_own() -> None:
    write('# mine\nengine = "espeak"  # robot\nno_holds = true  # asthma\nfuture = 1\n')
    settings = load_settings()[0]
    assert settings.holds is False
    save_settings(replace(settings, holds=True))
    text = settings_file().read_text()
    assert "no_holds" not in text  # it would say "off" again if a later save dropped holds
    assert text.startswith('# mine\nengine = "espeak"  # robot\n')
    assert "future = 1" in text and "holds = true" in text
    assert load_settings()[0].holds is True
    save_settings(replace(load_settings()[0], holds=None))  # back to "ask me"
    assert "holds" not in settings_file().read_text()
    assert load_settings()[0].holds is None


def test_a_file_that_says_off_the_old_way_is_left_alone_when_nothing_changes() -> None:
    write("no_holds = true  # asthma\n")
    settings = load_settings()[0]
    save_settings(replace(settings, volume=0.5))
    assert settings_file().read_text().startswith("no_holds = true  # asthma\n")
    assert load_settings()[0].holds is False


@pytest.mark.parametrize("text", ['holds = "yes"', "holds = 1", 'no_holds = "yes"'])
def test_a_holds_value_of_the_wrong_type_sets_the_file_aside(text: str) -> None:
    write(text)
    settings, notice = load_settings()
    assert settings == Settings()
    assert notice is not None and "moved it to settings.toml.broken-" in notice


def test_contacts_round_trip_private_and_in_order() -> None:
    contacts = (Contact("Sam", "+44 7700 900123"), Contact('Mo "M" \\', "01632 960000"))
    save_settings(replace(Settings(), contacts=contacts))
    assert stat.S_IMODE(settings_file().stat().st_mode) == 0o600
    assert "[[contacts]]" in settings_file().read_text()
    assert load_settings()[0].contacts == contacts
    fewer = replace(load_settings()[0], contacts=contacts[1:])
    save_settings(fewer)
    assert load_settings()[0].contacts == contacts[1:]
    save_settings(replace(fewer, contacts=()))
    assert "contacts" not in settings_file().read_text()


def test_contacts_added_to_a_persons_file_keep_their_lines() -> None:
    write('# mine\nengine = "espeak"  # robot\n\n[keys]\n"session.pause" = "p"  # left hand\n')
    settings = load_settings()[0]
    save_settings(replace(settings, contacts=(Contact("Sam", "123"),)))
    text = settings_file().read_text()
    assert text.startswith('# mine\nengine = "espeak"  # robot\n\n[keys]\n"session.pause" = "p"')
    assert load_settings()[0].contacts == (Contact("Sam", "123"),)


@pytest.mark.parametrize(
    "table",
    [
        'name = "Sam\\u001b[31m"\nnumber = "1"',  # an escape sequence
        'name = "Sam"\nnumber = "1\\u202e2"',  # a bidi override
        'name = "Sam\\nX"\nnumber = "1"',  # a line break
        'name = ""\nnumber = "1"',
        'name = "Sam"',
        'name = "Sam"\nnumber = 123',
        f'name = "{"x" * 61}"\nnumber = "1"',
        'name = "Sam"\nnumber = "1"\nnote = "extra"',
    ],
)
def test_a_hostile_or_broken_contact_sets_the_file_aside(table: str) -> None:
    write(f"[[contacts]]\n{table}\n")
    settings, notice = load_settings()
    assert settings.contacts == ()
    assert notice is not None and "moved it to settings.toml.broken-" in notice


def test_too_many_contacts_are_refused() -> None:
    many = tuple(Contact(f"P{n}", str(n)) for n in range(MAX_CONTACTS + 1))
    with pytest.raises(SettingsError, match=f"at most {MAX_CONTACTS}"):
        save_settings(replace(Settings(), contacts=many))
    assert not settings_file().exists()


def test_what_a_person_types_becomes_a_tidy_contact_or_one_clear_reason() -> None:
    assert make_contact("  Sam   Smith ", " 0161  496 ") == Contact("Sam Smith", "0161 496")
    for name, number, why in (
        ("", "1", "needs a name"),
        ("Sam", " ", "needs a number"),
        ("Sam\x1b[2J", "1", "control characters"),
        ("Sam", "1" * 41, "at most 40"),
    ):
        with pytest.raises(ValueError, match=why):
            make_contact(name, number)


def test_a_short_note_keeps_the_first_sentence_and_what_else_fits() -> None:
    note = "Hold gently. If you have asthma, leave the holds out, always. Stop if dizzy."
    assert short_note(note, 40) == "Hold gently. Stop if dizzy."
    assert short_note(note, 200) == note
    assert short_note("A very long first sentence indeed.", 12) == "A very long…"
    assert short_note("", 80) == ""
