"""Settings: defaults, round trip, private file, and a corrupt file moved aside (never lost)."""

from __future__ import annotations

import stat
from dataclasses import replace
from pathlib import Path

import pytest

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
        no_holds=True,
        pace=1.2,
        theme="light",
        device=None,
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
