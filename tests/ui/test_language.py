"""The home screen in the person's language: its footer's keys, and the scripts listed."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import pytest
from textual.widgets._footer import FooterKey

from assistant.core import i18n
from assistant.ui.app import GroundApp
from assistant.ui.screens.home import HomeScreen
from assistant.ui.widgets.script_list import ScriptList

SIZE = (80, 24)

FOOTERS = {
    "en": ["Quit", "Now", "History", "Settings", "Ladder", "Help", "palette"],
    "es": ["Salir", "Ahora", "Historial", "Ajustes", "Escalera", "Ayuda", "paleta"],
    "de": ["Beenden", "Jetzt", "Verlauf", "Optionen", "Leiter", "Hilfe", "Palette"],
}


@pytest.mark.parametrize("lang", list(FOOTERS))
async def test_the_home_footer_is_in_the_persons_language(
    lang: str, make_app: Callable[..., GroundApp]
) -> None:
    i18n.install(lang)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        keys = list(app.screen.query(FooterKey))
        shown = [key.description for key in keys]
        assert shown == FOOTERS[lang]
        # Every label fits in 80 columns, none under the next (the palette's is docked right).
        regions = sorted(key.region for key in keys)
        assert regions[-1].right <= SIZE[0]
        assert all(a.right <= b.x for a, b in pairwise(regions))
        assert all(key.region.width > len(key.description) for key in keys)
        # The keys the person may remap keep their ids whatever the language.
        ids = {binding.id for _, binding in app.screen._bindings}
        assert {"home.start", "home.longer", "home.shorter"} <= ids


async def test_a_remapped_key_keeps_its_translated_label(
    make_app: Callable[..., GroundApp],
) -> None:
    i18n.install("de")
    app = make_app(keys=(("app.settings", "f9"),))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keys = {key.key: key.description for key in app.screen.query(FooterKey)}
        assert keys.get("f9") == "Optionen"


@pytest.mark.parametrize("lang", ["es", "de"])
async def test_home_lists_the_scripts_in_the_persons_language(
    lang: str, make_app: Callable[..., GroundApp]
) -> None:
    i18n.install(lang)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        library = app.services.library
        assert len(library.scripts) == 16
        assert {s.lang for s in library.scripts.values()} == {lang}
        assert app.screen.query_one(ScriptList) is not None


@pytest.mark.parametrize("lang", ["es", "de"])
async def test_panic_is_first_on_home_in_every_language(
    lang: str, make_app: Callable[..., GroundApp]
) -> None:
    i18n.install(lang)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listed = app.screen.query_one(ScriptList)
        first = next(o for o in listed.options if o.id)  # after the heading
        panic = app.services.library.get("panic")
        assert first.id == "panic" and panic.lang == lang
        assert listed.highlighted == listed.get_option_index("panic")  # Enter plays it
