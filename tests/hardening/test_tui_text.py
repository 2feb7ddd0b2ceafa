"""Text from files and the ladder is shown as written on every screen: never as Textual markup
(a step titled "[/]" crashed the Put-away dialog) nor as terminal control codes."""

from __future__ import annotations

from assistant.storage.ladder import Ladder
from assistant.storage.log import PracticeLog
from assistant.ui.screens.confirm import ConfirmScreen
from assistant.ui.screens.ladder import LadderScreen
from tests.helpers.pilot import quiet_app

TITLE = "say [/] hi [bold red]now\x1b[2J"


async def test_a_ladder_title_with_markup_and_escapes_is_shown_as_text() -> None:
    with PracticeLog.open() as log:
        Ladder(log).add(TITLE, 30, ["[link=x]door\x07"])
    app = quiet_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, LadderScreen)
        await pilot.press("x")  # put it away: the dialog quotes the title
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        shown = str(app.screen.query_one(".dialog-title").render())
        assert "say [/] hi [bold red]now" in shown
        assert "\x1b" not in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LadderScreen)
