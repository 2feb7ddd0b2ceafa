"""Settings: defaults, round trip, private file, and a corrupt file moved aside (never lost)."""

from __future__ import annotations

import stat
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.core.support import Contact
from assistant.storage.paths import settings_file
from assistant.storage.settings import Settings, SettingsError, load_settings, save_settings


def test_missing_file_gives_defaults() -> None:
    settings, notice = load_settings()
    assert settings == Settings()
    assert notice is None


def test_round_trip_and_private_permissions(ground_home: Path) -> None:
    wanted = replace(
        Settings(),
        engine="espeak",
        voice='en-gb "x"',
        rate=130,
        holds=False,
        pace=1.2,
        theme="light",
        device=None,
        contacts=(Contact("Sam", "+44 7700 900123"), Contact('Mo "the" \\ one', "01632 960000")),
    )
    save_settings(wanted)
    path = settings_file()
    assert path.is_relative_to(ground_home)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert load_settings() == (wanted, None)


@pytest.mark.parametrize(
    "text", ["engine = [", 'engine = "klingon"', "pace = 5.0", 'no_holds = "yes"', "rate = true"]
)
def test_corrupt_file_is_moved_aside_with_a_notice(text: str) -> None:
    path = settings_file()
    path.parent.mkdir(parents=True)
    path.write_text(text)
    settings, notice = load_settings()
    assert settings == Settings()
    assert notice is not None and "moved it to settings.toml.broken-" in notice
    (aside,) = path.parent.glob("settings.toml.broken-*")
    assert aside.read_text() == text  # nothing the person wrote is lost
    assert not path.exists()


def test_unknown_keys_from_a_newer_version_are_ignored() -> None:
    path = settings_file()
    path.parent.mkdir(parents=True)
    path.write_text('engine = "espeak"\nfuture_thing = 3\n')
    settings, notice = load_settings()
    assert settings.engine == "espeak"
    assert notice is None


def test_invalid_values_are_refused_on_save() -> None:
    with pytest.raises(SettingsError, match="volume"):
        save_settings(replace(Settings(), volume=3.0))
    assert not settings_file().exists()


PERSONS_FILE = """\
# My settings: slow and quiet, please.
engine = "espeak"   # the robot voice, I like it
volume = 0.50

future_thing = { colour = "teal" }  # a newer version's setting

[keys]
# my left hand rests here
"session.pause" = "p"
"""


def test_saving_keeps_comments_unknown_keys_and_untouched_lines() -> None:
    path = settings_file()
    path.parent.mkdir(parents=True)
    path.write_text(PERSONS_FILE)
    settings, _ = load_settings()
    notice = save_settings(replace(settings, volume=0.7, keys=(("session.pause", "q"),)))
    assert notice is None
    # before: the file was rewritten from the dataclass, comments and future_thing gone
    assert path.read_text() == PERSONS_FILE.replace("0.50", "0.7").replace('"p"', '"q"')
    assert load_settings()[0] == replace(settings, volume=0.7, keys=(("session.pause", "q"),))


def test_saving_adds_and_removes_only_its_own_lines() -> None:
    path = settings_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(b'# mine\r\nvoice = "en-gb"  # British\r\nunknown = 1\r\n')
    settings, _ = load_settings()
    save_settings(replace(settings, voice=None, theme="light"))
    assert path.read_bytes() == b'# mine\r\nunknown = 1\r\ntheme = "light"\r\n'
    assert load_settings()[0] == replace(Settings(), theme="light")


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (b'engine = "espeak"\n# caf\xe9\n', "not UTF-8"),
        (b'engine = "espeak"\n' + b"#" * (65 * 1024) + b"\n", "larger than 64 KB"),
    ],
    ids=["latin-1 byte", "over 64 KB"],
)
def test_an_unreadable_file_is_set_aside_and_never_replaced(raw: bytes, why: str) -> None:
    path = settings_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(raw)
    settings, notice = load_settings()
    assert settings == Settings()
    assert notice is not None and why in notice and "moved it to settings.toml.broken-" in notice
    save_settings(replace(settings, volume=0.5))
    (aside,) = path.parent.glob("settings.toml.broken-*")
    assert aside.read_bytes() == raw  # before: left in place, then overwritten with defaults


def test_a_file_spoiled_while_running_is_set_aside_by_the_save() -> None:
    path = settings_file()
    path.parent.mkdir(parents=True)
    path.write_text('engine = "espeak"\n')
    settings, _ = load_settings()
    path.write_bytes(b'engine = "espeak"\n# caf\xe9\n')  # the person edits it meanwhile
    notice = save_settings(replace(settings, volume=0.5))
    assert notice is not None and "moved it to settings.toml.broken-" in notice
    (aside,) = path.parent.glob("settings.toml.broken-*")
    assert aside.read_bytes() == b'engine = "espeak"\n# caf\xe9\n'
    assert load_settings() == (replace(settings, volume=0.5), None)
