"""Home, Settings and a session in Spanish and German at 80×24: the longer words still fit
(update with `pytest tests/ui --snapshot-update`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assistant.core import i18n
from assistant.core.model import PhaseKind
from assistant.ui.app import GroundApp
from tests.ui.test_snapshots import SIZE, into_box_at

LANGUAGES = ["es", "de"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home(lang: str, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
    i18n.install(lang)
    assert snap_compare(make_app(), terminal_size=SIZE)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_settings(lang: str, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("f4")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    i18n.install(lang)
    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_session(lang: str, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await into_box_at(pilot, PhaseKind.INHALE, 0.6)

    i18n.install(lang)
    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_session_paused(lang: str, snap_compare, make_app: Callable[..., GroundApp]) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await into_box_at(pilot, PhaseKind.INHALE, 0.3, pause=True)

    i18n.install(lang)
    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)
