"""Every screen but Home and TooSmallScreen names screens.tcss (their rules left app.tcss)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.command import CommandPalette
from textual.screen import Screen

import assistant.ui.screens as screens_package
from assistant.ui.screens import SCREENS_CSS

#: Styled by app.tcss, parsed before the first frame (TooSmallScreen can be the first screen).
IN_APP_CSS = {"HomeScreen", "TooSmallScreen"}


def _screens() -> list[type[Screen[object]]]:
    found = []
    for info in pkgutil.iter_modules(screens_package.__path__):
        module = importlib.import_module(f"{screens_package.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            # A command palette is Textual's own, styled by its DEFAULT_CSS.
            own = cls.__module__ == module.__name__ and not issubclass(cls, CommandPalette)
            if issubclass(cls, Screen) and own:
                found.append(cls)
    return found


def test_every_other_screen_loads_the_screens_stylesheet() -> None:
    classes = _screens()
    assert len(classes) >= 17
    missing = [
        c.__name__ for c in classes if c.__name__ not in IN_APP_CSS and c.CSS_PATH != SCREENS_CSS
    ]
    assert missing == []


def test_the_stylesheet_is_beside_the_screens() -> None:
    folder = Path(screens_package.__file__).parent
    text = (folder / SCREENS_CSS).read_text(encoding="utf-8")
    assert "#session-body" in text and "#ladder" in text
    app_css = (folder.parent / "app.tcss").read_text(encoding="utf-8")
    assert "#session-body" not in app_css and "#scripts" in app_css
