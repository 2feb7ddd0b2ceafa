"""Home: pick a script (type to filter), read about it, choose the length, start.

What the right side says about a script's breathing is read from the plan that will play: the
timeline compiled with the person's settings (holds, pace) and the length chosen here, in the
words the script speaks for each phase. It is redrawn whenever a setting changes, and the list
follows the scripts folder: a script added, fixed or broken while the app is open shows up
(the folder is looked at when Home comes back, when the terminal regains focus, and every few
seconds while Home is shown: a handful of ``stat`` calls, never a busy poll).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from assistant.core.compiler import CompileOptions, LengthError
from assistant.core.i18n import N_, _, ngettext
from assistant.core.model import Breathe, Script, Timeline, length_text, value_type
from assistant.core.safe import one_line
from assistant.session import listed_timeline
from assistant.ui.services import ground_app, services_of
from assistant.ui.translate import translate_bindings
from assistant.ui.widgets.key_footer import KeyFooter
from assistant.ui.widgets.script_list import Entry, ScriptList

if TYPE_CHECKING:
    from assistant.core.loader import Problem

#: How often the scripts folder is looked at while Home is shown, in seconds.
WATCH_EVERY = 3.0
#: Steps for the length chooser.
MINUTE_STEPS = (1, 2, 3, 4, 5, 7, 10, 12, 15, 20, 25, 30, 45, 60)
BREATH_STEPS = (3, 5, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100)


@value_type
@dataclass(frozen=True, eq=False, repr=False)
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
        Binding("enter", "start", N_("Start"), id="home.start"),
        Binding(
            "plus,equals_sign",
            "longer",
            N_("Longer"),
            key_display="+",
            priority=True,
            show=False,
            id="home.longer",
        ),
        Binding(
            "minus,underscore",
            "shorter",
            N_("Shorter"),
            key_display="-",
            priority=True,
            show=False,
            id="home.shorter",
        ),
        Binding(
            "tab",
            "toggle_unit",
            N_("Minutes or breaths"),
            priority=True,
            show=False,
            id="home.unit",
        ),
        Binding("down", "move(1)", N_("Down"), show=False, id="home.down"),
        Binding("up", "move(-1)", N_("Up"), show=False, id="home.up"),
        # The list fits on one screen; the about text and safety note may not, and the filter
        # keeps the focus, so these keys scroll the text on the right.
        Binding(
            "pagedown", "read(1)", N_("Read on"), key_display="PgDn", show=False, id="home.pagedown"
        ),
        Binding(
            "pageup", "read(-1)", N_("Read back"), key_display="PgUp", show=False, id="home.pageup"
        ),
        Binding("escape", "clear_filter", N_("Clear"), show=False, id="home.clear"),
    ]

    class StartRequested(Message):
        """The person chose a script and a length."""

        def __init__(self, script: Script, length: Length) -> None:
            self.script = script
            self.length = length
            super().__init__()

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self._entries: list[Entry] = []
        # Each script's chosen length in each unit (its default until changed): switching
        # between minutes and breaths keeps both choices.
        self._minutes: dict[str, float] = {}
        self._breaths: dict[str, int] = {}
        self._by_breaths: set[str] = set()  # ids of the scripts whose length is in breaths
        # The plans of lengths chosen here, worked out when first shown (a script's own length
        # is the list's, kept in the script cache): forgotten when the list is redrawn.
        self._plans: dict[tuple[str, Length], Timeline | None] = {}
        self._shown_for: tuple[object, object] | None = None  # (settings, scripts folder)

    def compose(self) -> ComposeResult:
        yield Static("ground", id="title")
        yield Input(placeholder=_("Type to filter…"), id="filter")
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
        self.set_interval(WATCH_EVERY, self.catch_up)
        services = services_of(self.app)
        if services.notices:
            self.query_one("#home-notice", Static).update(Text(services.notices[-1], "dim"))

    async def _mount_footer(self) -> None:
        await self.mount(KeyFooter())
        self.refresh_bindings()  # the footer lists the keys once told they are known

    def on_screen_resume(self) -> None:
        """Back on Home (from Settings, the palette, a session…): show what changed meanwhile."""
        self.catch_up()

    def catch_up(self) -> None:
        """Redraw if the settings or the scripts folder changed since the list was drawn (only
        while Home is the screen shown; it catches up when it comes back)."""
        if not self.is_current or self._shown_for is None:
            return
        services = services_of(self.app)
        if self._shown_for != (services.settings, services.scripts_stamp()):
            self.refresh_scripts()

    def settings_changed(self) -> None:
        """A setting changed: lengths and the breathing described follow it."""
        if self.is_mounted:
            self.refresh_scripts()

    def refresh_scripts(self) -> None:
        """Reload the library (the user may have added or fixed a script), with lengths and
        descriptions from the settings as they are now."""
        services = services_of(self.app)
        self._shown_for = (services.settings, services.scripts_stamp())
        self._plans.clear()
        library = services.reload_library()
        entries = []
        for script in library.scripts.values():
            try:  # listed as it will play, with these settings
                minutes = services.script_seconds(script) / 60
            except LengthError:
                minutes = 0.0
            entries.append(Entry(script, None, minutes))
        services.save_script_cache()
        entries.append(_timer_entry(services.settings.timer_minutes))
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
        for _step in range(abs(delta)):
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
        # TRANSLATORS: one line under the text on the right (PgDn, PgUp are key names).
        hint = {
            (True, False): _("▼ more below: PgDn"),
            (True, True): "▲▼ PgUp / PgDn",
            (False, True): _("▲ PgUp goes back up"),
        }.get((below, above), "")
        self.query_one("#detail-more", Static).update(Text(hint, "italic"))

    def action_clear_filter(self) -> None:
        """Empty the filter."""
        self.query_one("#filter", Input).value = ""

    def action_start(self) -> None:
        """Start the highlighted script with the chosen length."""
        entry = self.query_one(ScriptList).current
        if entry is None:
            self.notify(_("Nothing matches what you typed; Esc clears it."), timeout=4)
            return
        if entry.script is None:
            self.notify(
                _("Fix this script first: the problem is shown on the right."), severity="warning"
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
        """Choose the highlighted script's length in minutes or in breaths (only that script's).

        Both choices are kept; the first switch to breaths starts at as many breaths as the
        minutes chosen hold.
        """
        entry = self.query_one(ScriptList).current
        if entry is None or entry.script is None or not entry.script.stretchable:
            return
        script = entry.script
        ident = script.id
        if ident not in self._by_breaths and ident not in self._breaths:
            breaths = _open_breaths(script, self._plan(script, self._length(script)))
            if breaths > 0:
                self._breaths[ident] = breaths
        self._by_breaths ^= {ident}
        self._show_detail(entry)

    # -- length -------------------------------------------------------------------------------

    def length_for(self, script: Script) -> Length:
        """The length chosen here for ``script`` (its own default until changed)."""
        return self._length(script)

    def _length(self, script: Script) -> Length:
        if not script.stretchable:
            return Length()
        if script.id in self._by_breaths:
            if script.id not in self._breaths:
                breaths = _open_breaths(script, self._plan(script, Length()))
                self._breaths[script.id] = breaths or BREATH_STEPS[2]
            return Length(breaths=self._breaths[script.id])
        return Length(minutes=self._minutes.get(script.id, script.minutes))

    def _plan(self, script: Script, length: Length) -> Timeline | None:
        """The timeline ``script`` plays at ``length`` with the settings, measured as every
        listing and the countdown measure it (``session.listed_timeline``: the voice's cached
        clips, estimates for the rest); None when that length cannot be played."""
        key = (script.id, length)
        if key not in self._plans:
            settings = services_of(self.app).settings
            try:
                plan: Timeline | None = listed_timeline(
                    settings, script, minutes=length.minutes, breaths=length.breaths
                )
            except LengthError:
                plan = None
            self._plans[key] = plan
        return self._plans[key]

    def _step(self, direction: int) -> None:
        entry = self.query_one(ScriptList).current
        if entry is None or entry.script is None or not entry.script.stretchable:
            return
        script = entry.script
        current = self._length(script)
        if current.breaths is not None:
            self._breaths[script.id] = _next(BREATH_STEPS, current.breaths, direction)
        else:
            self._minutes[script.id] = _next(MINUTE_STEPS, current.minutes or 5, direction)
        self._show_detail(entry)

    # -- detail -------------------------------------------------------------------------------

    def _show_detail(self, entry: Entry | None) -> None:
        detail = self.query_one("#detail-text", Static)
        length = self.query_one("#length", Static)
        self.query_one("#detail-scroll", VerticalScroll).scroll_home(animate=False)
        self.call_after_refresh(self._show_more)
        if entry is None:
            detail.update(Text(_("Nothing matches. Esc clears the filter."), "dim"))
            length.update("")
            return
        if entry.problem is not None:
            detail.update(_problem_text(entry.problem))
            length.update("")
            return
        script = entry.script
        assert script is not None
        parts: list[tuple[str, str]] = [(script.title + "\n", "bold"), (script.summary + "\n", "")]
        services = services_of(self.app)
        chosen = self._length(script)
        own = chosen.breaths is None and chosen.minutes in (None, script.minutes)  # cached
        no_holds = services.request(script).options.no_holds
        # Holds not chosen yet: none play, and the question comes when the script starts.
        off = " " + (
            _("(holds off)") if services.settings.holds is False else _("(holds: asked first)")
        )
        for index, line in services.breathing(script, None if own else chosen.options()):
            block = script.steps[index]
            holds = isinstance(block, Breathe) and block.pattern.has_holds
            note = off if no_holds and holds else ""
            parts.append(("\n" + line + note, "italic"))
        # The safety note before the longer about text: it is the part that must be read.
        if script.safety:
            parts.append(("\n\n" + script.safety, "italic"))
        if script.about:
            parts.append(("\n\n" + script.about, ""))
        if not script.shipped:
            # TRANSLATORS: {path} is the script's file.
            parts.append(("\n\n" + _("Your script: {path}").format(path=script.source), "dim"))
        detail.update(Text.assemble(*parts))
        length.update(self._length_text(script, entry.minutes))
        # The breathing lines just worked out are kept for the next start (refresh_scripts
        # saved before they were): otherwise every start compiled the highlighted script and
        # imported the speech package for its first frame. After the frame; a no-op if kept.
        self.call_after_refresh(services.save_script_cache)

    def _length_text(self, script: Script, minutes: float) -> Text:
        # TRANSLATORS: {length} is m:ss, or a number of breaths (with m:ss).
        sentence = _("Length: {length}")
        if not script.stretchable:
            return Text.assemble(
                (sentence.format(length=length_text(minutes * 60)), "bold"),
                ("\n" + _("Enter starts"), "dim"),
            )
        chosen = self._length(script)
        if chosen.breaths is None and chosen.minutes == script.minutes and minutes > 0:
            value = length_text(minutes * 60)  # its own length: as the list says it
        else:  # what the choice plays, worked out now (not the minutes asked for)
            plan = self._plan(script, chosen)
            played = length_text(plan.seconds) if plan is not None else None
            if chosen.breaths is not None:
                count = chosen.breaths
                value = ngettext("{count} breath", "{count} breaths", count).format(count=count)
                value += f" · {played}" if played else ""
            else:
                value = played or _("{minutes} min").format(minutes=f"{chosen.minutes:g}")
        # The chooser stands where {length} is in the sentence, in its own style.
        before, _mark, after = sentence.partition("{length}")
        return Text.assemble(
            (before, "bold"),
            (f"‹ {value} ›", "bold reverse"),
            (after, "bold"),
            # TRANSLATORS: Enter, +, - and Tab are keys.
            ("\n" + _("Enter starts · + / - length · Tab minutes or breaths"), "dim"),
        )


def _timer_entry(minutes: float) -> Entry:
    """The plain timer, listed with the scripts: Enter opens its set-up (``TimerScreen``)."""
    from assistant.session import TIMER_SCRIPT

    return Entry(TIMER_SCRIPT, None, minutes)


def _every_problem(problem: Problem) -> list[str]:
    """Every problem of a broken file, by line, as ``name.toml:line: message`` (the list keeps
    only the first); read again now, so what is shown is the file as it is."""
    from pathlib import Path

    from assistant.core.loader import Problem as Found
    from assistant.core.loader import ScriptError, load_script

    found = [problem]  # if it loads, the problem is the library's (an id already used)
    try:
        load_script(Path(problem.path))
    except ScriptError as exc:
        found = exc.problems or found
    ordered = sorted(found, key=lambda p: p.line)
    return [str(Found(Path(p.path).name, p.line, p.message, p.warning)) for p in ordered]


def _open_breaths(script: Script, plan: Timeline | None) -> int:
    """The breaths of ``script``'s open-ended breathing in ``plan`` (what a length in breaths
    counts: the fixed blocks' breaths are played whatever the length); 0 without a plan."""
    if plan is None:
        return 0
    return plan.breaths - sum(b.cycles or 0 for b in script.breathing if not b.fills)


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


def _problem_text(problem: Problem) -> Text:
    """The detail of a script that could not be loaded: every problem, and what to do."""
    problems = _every_problem(problem)
    count = len(problems)
    heading = (
        ngettext(
            "This script could not be loaded ({count} problem)",
            "This script could not be loaded ({count} problems)",
            count,
        ).format(count=count)
        if count > 1
        else _("This script could not be loaded")
    )
    return Text.assemble(
        (heading + "\n", "bold"),
        (one_line(problem.path) + "\n\n", "dim"),
        ("\n".join(problems), ""),
        ("\n\n" + _("Fix the file: it is listed here as soon as it loads."), "dim"),
    )
