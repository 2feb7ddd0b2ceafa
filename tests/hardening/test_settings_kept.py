"""A settings file ground cannot read survives a change made in the Settings screen: it is set
aside (never over an earlier one) before the new file is written, and one notice says so."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Switch

from assistant.core.clock import FakeClock
from assistant.storage.settings import load_settings
from assistant.ui.app import GroundApp
from assistant.ui.screens.settings import SettingsScreen
from assistant.ui.services import Services

LATIN1 = b'engine = "none"\nask_before = false\n# Ren\xe9e\'s settings\n'
TOO_BIG = b'engine = "none"\n' + b"# padding\n" * 7000


async def turn_on_reduced_motion(app: GroundApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        switch = app.screen.query_one("#reduced_motion", Switch)
        switch.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert switch.value


@pytest.mark.parametrize("raw", [LATIN1, TOO_BIG], ids=["latin-1 byte", "over 64 KB"])
async def test_an_unreadable_settings_file_survives_a_change_in_settings(
    ground_home: Path, raw: bytes
) -> None:
    path = ground_home / "config" / "settings.toml"
    path.parent.mkdir(parents=True)
    path.write_bytes(raw)
    services = Services.load(sound=False, clock=FakeClock(1000.0))
    services.settings = replace(services.settings, engine="none", ask_before=False)
    assert len(services.notices) == 1 and "settings.toml.broken-" in services.notices[0]
    await turn_on_reduced_motion(GroundApp(services))
    assert load_settings()[0].reduced_motion
    kept = [p.read_bytes() for p in path.parent.glob("settings.toml*")]
    assert raw in kept  # before the fix: overwritten with the defaults, no copy anywhere


async def test_a_file_spoiled_while_the_app_runs_is_set_aside_on_save(ground_home: Path) -> None:
    path = ground_home / "config" / "settings.toml"
    path.parent.mkdir(parents=True)
    path.write_bytes(b'engine = "none"\nask_before = false\n')
    services = Services.load(sound=False, clock=FakeClock(1000.0))
    assert not services.notices
    path.write_bytes(LATIN1)  # edited by hand in another window meanwhile
    await turn_on_reduced_motion(GroundApp(services))
    (aside,) = path.parent.glob("settings.toml.broken-*")
    assert aside.read_bytes() == LATIN1
    assert len(services.notices) == 1 and aside.name in services.notices[0]
    assert load_settings()[0].reduced_motion
