"""Home: pick a script (type to filter), read about it, choose the length, start."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from assistant.core.compiler import CompileOptions, LengthError
from assistant.core.model import Script, length_text
from assistant.session import estimate_timeline
from assistant.ui.services import ground_app, services_of
from assistant.ui.widgets.script_list import Entry, ScriptList

#: Steps for the length chooser.
MINUTE_STEPS = (1, 2, 3, 4, 5, 7, 10, 12, 15, 20, 25, 30, 45, 60)
BREATH_STEPS = (3, 5, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100)


@dataclass(frozen=True)
class Length:
    """A chosen session length: minutes or breaths (None for scripts of fixed length)."""

    minutes: float | None = None
    breaths: int | None = None

    def options(self) -> CompileOptions:
        """As compile options."""
        return CompileOptions(minutes=self.minutes, breaths=self.breaths)


class HomeScreen(Screen[None]):
    """The script picker."""

    BINDINGS = [
        Binding("enter", "start", "Start", id="home.start"),
        Binding(
            "plus,equals_sign",
            "longer",
            "Longer",
            key_display="+",
            priority=True,
            show=False,
            id="home.longer",
        ),
        Binding(
            "minus,underscore",
            "shorter",
            "Shorter",
            key_display="-",
            priority=True,
            show=False,
            id="home.shorter",
        ),
        Binding(
            "tab", "toggle_unit", "Minutes or breaths", priority=True, show=False, id="home.unit"
        ),
        Binding("down", "move(1)", "Down", show=False, id="home.down"),
        Binding("up", "move(-1)", "Up", show=False, id="home.up"),
        # The list fits on one screen; the about text and safety note may not, and the filter
        # keeps the focus, so these keys scroll the text on the right.
        Binding(
            "pagedown", "read(1)", "Read on", key_display="PgDn", show=False, id="home.pagedown"
        ),
        Binding(
            "pageup", "read(-1)", "Read back", key_display="PgUp", show=False, id="home.pageup"
        ),
        Binding("escape", "clear_filter", "Clear", show=False, id="home.clear"),
    ]

    class StartRequested(Message):
        """The person chose a script and a length."""

        def __init__(self, script: Script, length: Length) -> None:
            self.script = script
            self.length = length
            super().__init__()

    def __init__(self) -> None:
        super().__init__()
        self._entries: list[Entry] = []
        self._lengths: dict[str, Length] = {}
        self._by_breaths: set[str] = set()  # ids of the scripts whose length is in breaths

    def compose(self) -> ComposeResult:
        yield Static("ground", id="title")
        yield Input(placeholder="Type to filter…", id="filter")
        with Horizontal(id="home-body"):
            yield ScriptList(id="scripts")
            with Vertical(id="detail"):
                with VerticalScroll(id="detail-scroll"):
                    yield Static(id="detail-text")
                yield Static(id="detail-more")
                yield Static(id="length")
        yield Static("", id="home-notice")

    def on_mount(self) -> None:
        """Fill the list and focus the filter: typing filters straight away."""
        # Textual's footer shows its keys only after a refresh anyway; mounted then, its
        # styling and layout stay out of the first frame (≈ 7 % of its instructions).
        self.call_after_refresh(self._mount_footer)
        self.query_one(ScriptList).can_focus = False
        self.refresh_scripts()
        self.query_one("#filter", Input).focus()
        self.call_after_refresh(ground_app(self.app).check_size)
        self.call_after_refresh(ground_app(self.app).home_ready)
        self.call_after_refresh(_collect_garbage_again)
        services = services_of(self.app)
        if services.notices:
            self.query_one("#home-notice", Static).update(Text(services.notices[-1], "dim"))

    async def _mount_footer(self) -> None:
        await self.mount(Footer())
        self.refresh_bindings()  # the footer lists the keys once told they are known

    def refresh_scripts(self) -> None:
        """Reload the library (the user may have added or fixed a script)."""
        services = services_of(self.app)
        library = services.reload_library()
        entries = []
        for script in library.scripts.values():
            try:  # listed as it will play, with these settings
                minutes = services.script_seconds(script) / 60
            except LengthError:
                minutes = 0.0
            entries.append(Entry(script, None, minutes))
        services.save_script_cache()
        entries.extend(Entry(None, problem, 0.0) for problem in library.problems)
        self._entries = entries
        self.query_one(ScriptList).show(entries, self.query_one("#filter", Input).value)

    # -- events -----------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self.query_one(ScriptList).show(self._entries, event.value)

    @on(Input.Submitted, "#filter")
    def _submitted(self) -> None:
        self.action_start()

    @on(ScriptList.OptionSelected)
    def _clicked(self) -> None:
        self.action_start()

    @on(ScriptList.Highlighted)
    def _describe(self, event: ScriptList.Highlighted) -> None:
        self._show_detail(event.entry)

    # -- actions ----------------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        """Move the highlight (the list itself never takes focus from the filter)."""
        scripts = self.query_one(ScriptList)
        if scripts.option_count == 0:
            return
        step = 1 if delta > 0 else -1
        for _ in range(abs(delta)):
            index = scripts.highlighted if scripts.highlighted is not None else -1
            nxt = index + step
            while 0 <= nxt < scripts.option_count and scripts.get_option_at_index(nxt).disabled:
                nxt += step
            if 0 <= nxt < scripts.option_count:
                scripts.highlighted = nxt

    def action_read(self, direction: int) -> None:
        """Scroll the about text and safety note by a page (the keyboard's way to read it all)."""
        scroll = self.query_one("#detail-scroll", VerticalScroll)
        if direction > 0:
            scroll.scroll_page_down(animate=False)
        else:
            scroll.scroll_page_up(animate=False)
        self.call_after_refresh(self._show_more)

    def _show_more(self) -> None:
        """Say when the text on the right goes on below (or above) what fits."""
        scroll = self.query_one("#detail-scroll", VerticalScroll)
        below = scroll.scroll_y < scroll.max_scroll_y
        above = scroll.scroll_y > 0
        hint = {
            (True, False): "▼ more below: PgDn",
            (True, True): "▲▼ PgUp / PgDn",
            (False, True): "▲ PgUp goes back up",
        }.get((below, above), "")
        self.query_one("#detail-more", Static).update(Text(hint, "italic"))

    def action_clear_filter(self) -> None:
        """Empty the filter."""
        self.query_one("#filter", Input).value = ""

    def action_start(self) -> None:
        """Start the highlighted script with the chosen length."""
        entry = self.query_one(ScriptList).current
        if entry is None:
            self.notify("Nothing matches what you typed; Esc clears it.", timeout=4)
            return
        if entry.script is None:
            self.notify(
                "Fix this script first: the problem is shown on the right.", severity="warning"
            )
            return
        self.post_message(self.StartRequested(entry.script, self._length(entry.script)))

    def action_longer(self) -> None:
        """One step longer."""
        self._step(1)

    def action_shorter(self) -> None:
        """One step shorter."""
        self._step(-1)

    def action_toggle_unit(self) -> None:
        """Choose the highlighted script's length in minutes or in breaths (only that script's)."""
        entry = self.query_one(ScriptList).current
        if entry is None or entry.script is None or not entry.script.stretchable:
            return
        ident = entry.script.id
        self._by_breaths ^= {ident}
        self._lengths.pop(ident, None)
        self._show_detail(entry)

    # -- length -------------------------------------------------------------------------------

    def length_for(self, script: Script) -> Length:
        """The length chosen here for ``script`` (its own default until changed)."""
        return self._length(script)

    def _length(self, script: Script) -> Length:
        if not script.stretchable:
            return Length()
        if script.id not in self._lengths:
            if script.id in self._by_breaths:
                breaths = estimate_timeline(script).breaths
                self._lengths[script.id] = Length(breaths=breaths)
            else:
                self._lengths[script.id] = Length(minutes=script.minutes)
        return self._lengths[script.id]

    def _step(self, direction: int) -> None:
        entry = self.query_one(ScriptList).current
        if entry is None or entry.script is None or not entry.script.stretchable:
            return
        script = entry.script
        current = self._length(script)
        if current.breaths is not None:
            self._lengths[script.id] = Length(
                breaths=_next(BREATH_STEPS, current.breaths, direction)
            )
        else:
            self._lengths[script.id] = Length(
                minutes=_next(MINUTE_STEPS, current.minutes or 5, direction)
            )
        self._show_detail(entry)

    # -- detail -------------------------------------------------------------------------------

    def _show_detail(self, entry: Entry | None) -> None:
        detail = self.query_one("#detail-text", Static)
        length = self.query_one("#length", Static)
        self.query_one("#detail-scroll", VerticalScroll).scroll_home(animate=False)
        self.call_after_refresh(self._show_more)
        if entry is None:
            detail.update(Text("Nothing matches. Esc clears the filter.", "dim"))
            length.update("")
            return
        if entry.problem is not None:
            detail.update(
                Text.assemble(
                    ("This script could not be loaded\n\n", "bold"),
                    (str(entry.problem), ""),
                    ("\n\nFix the file, then run `ground check` on it, or restart.", "dim"),
                )
            )
            length.update("")
            return
        script = entry.script
        assert script is not None
        services = services_of(self.app)
        no_holds = services.settings.no_holds
        parts: list[tuple[str, str]] = [(script.title + "\n", "bold"), (script.summary + "\n", "")]
        for block in script.breathing:
            pattern = block.pattern.without_holds() if no_holds else block.pattern
            note = " (holds off)" if no_holds and block.pattern.has_holds else ""
            parts.append(("\n" + pattern.describe() + note, "italic"))
        # The safety note before the longer about text: it is the part that must be read.
        if script.safety:
            parts.append(("\n\n" + script.safety, "italic"))
        if script.about:
            parts.append(("\n\n" + script.about, ""))
        if not script.shipped:
            parts.append((f"\n\nYour script: {script.source}", "dim"))
        detail.update(Text.assemble(*parts))
        length.update(self._length_text(script, entry.minutes))

    def _length_text(self, script: Script, minutes: float) -> Text:
        if not script.stretchable:
            return Text.assemble(
                (f"Length: {length_text(minutes * 60)}", "bold"), ("\nEnter starts", "dim")
            )
        chosen = self._length(script)
        if chosen.breaths is not None:
            value = f"{chosen.breaths} breaths"
        else:
            value = f"{chosen.minutes:g} min"
        return Text.assemble(
            ("Length: ", "bold"),
            (f"‹ {value} ›", "bold reverse"),
            ("\nEnter starts · + / - length · Tab minutes or breaths", "dim"),
        )


def _next(steps: tuple[int, ...], value: float, direction: int) -> int:
    """The next step above (or below) ``value``."""
    if direction > 0:
        return next((s for s in steps if s > value), steps[-1])
    return next((s for s in reversed(steps) if s < value), steps[0])


def _collect_garbage_again() -> None:
    """Start-up is over: keep what exists out of future collections, and collect again."""
    import gc

    gc.freeze()
    gc.enable()
