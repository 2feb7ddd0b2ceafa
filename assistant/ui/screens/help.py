"""Help: where to get help (with the person's own contacts), and the keys for where you are."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from assistant.core.i18n import N_, _
from assistant.core.support import CONTACTS_TITLE, HELP_PARAGRAPHS, HELP_TITLE
from assistant.ui.screens import SCREENS_CSS
from assistant.ui.screens.confirm import END, key_name, keys_or, stop_keys
from assistant.ui.services import services_of
from assistant.ui.translate import description, translate_bindings

#: The first words of help: in view at 80×24 before anything else.
SAFETY = HELP_PARAGRAPHS[0]
NO_ONE_YET = N_(
    "No one added yet. Press c to add the names and numbers of people you'd like to reach "
    "when things are hard (also in Settings)."
)
#: Over a session, which waits: people are added afterwards (c is not a key there).
NO_ONE_YET_LATER = N_(
    "No one added yet. After the session, you can add the names and numbers of people you'd "
    "like to reach when things are hard, in Settings or here (F1, then c)."
)


class HelpScreen(ModalScreen[bool]):
    """Lists the bindings of the screen underneath, plus the global ones."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("escape,question_mark,q,f1", "close", N_("Close"), id="help.close"),
        Binding("c", "contacts", N_("Your people"), id="help.contacts"),
    ]

    #: The first line: how to close it.
    # TRANSLATORS: Esc, ↓ and PgDn are keys.
    HINT = N_("Esc closes this · ↓ / PgDn read on")
    #: Whether c adds or removes people here.
    EDITS_CONTACTS = True

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        translate_bindings(self)
        self.under = under

    def hint(self) -> str:
        """The first line: how to close it (and, over a session, how to end it)."""
        return _(self.HINT)

    def compose(self) -> ComposeResult:
        # Safety first: at 80×24 the keys run past the bottom (↓ and PgDn scroll them).
        with VerticalScroll(classes="dialog help"):
            yield Static(self.hint(), classes="dim")
            yield Static(_(HELP_TITLE), classes="dialog-title")
            for paragraph in HELP_PARAGRAPHS:
                yield Static(Text(_(paragraph)), classes="help-paragraph")
            yield Static(_(CONTACTS_TITLE), classes="dialog-title")
            yield Static(self._contacts(), id="help-contacts")
            # TRANSLATORS: heading of the list of keys in Help.
            yield Static(_("Keys"), classes="dialog-title")
            yield Static(self._keys())

    def _contacts(self) -> Text:
        """The person's own contacts as plain text (their words, never markup)."""
        contacts = services_of(self.app).settings.contacts
        if not contacts:
            return Text(_(NO_ONE_YET if self.EDITS_CONTACTS else NO_ONE_YET_LATER), "dim")
        text = Text("\n".join(c.line() for c in contacts))
        if self.EDITS_CONTACTS:
            # TRANSLATORS: c is a key.
            text.append("\n" + _("c adds or removes someone"), "dim")
        return text

    def action_contacts(self) -> None:
        """Add or remove people; the list here follows."""
        from assistant.ui.screens.contacts import ContactsScreen

        def closed(_result: None) -> None:
            if self.is_mounted:
                self.query_one("#help-contacts", Static).update(self._contacts())

        self.app.push_screen(ContactsScreen(), closed)

    def _keys(self) -> Text:
        """One row per key: bindings that share a key (Pause, Resume) share the row."""
        rows: dict[str, list[str]] = {}
        remapped: dict[str, str] = dict(getattr(self.app, "keymap", {}))
        for source in (self.under, self.app):
            for binding in getattr(source, "BINDINGS", []):
                if not hasattr(binding, "action") or not binding.description:
                    continue
                key = binding.key_display or ""
                if binding.id in remapped or not key:
                    keys = remapped.get(binding.id or "", binding.key)
                    key = " / ".join(key_name(k) for k in keys.split(","))
                words = description(source, binding)
                if any(words in row for row in rows.values()):
                    continue
                rows.setdefault(key, []).append(words)
        lines = Text()
        for key, descriptions in rows.items():
            lines.append(f"{key:>12}  ", "bold")
            lines.append(" / ".join(descriptions) + "\n")
        return lines

    def action_close(self) -> None:
        """Back to where you were."""
        self.dismiss(False)


class SessionHelpScreen(HelpScreen):
    """Help over a session, which waits, paused, while it is open.

    F1, ? or Enter close it and the session carries on; the session's stop key (q or Esc unless
    remapped) does here what it does in the session: it dismisses with True, and the session
    ends at once in its first seconds, or asks. Esc closes it when it is not a stop key (it is
    bound on its own: a keymap drops every binding of a key it moves).
    """

    INHERIT_BINDINGS = False
    EDITS_CONTACTS = False  # a form over a paused session would stand in its way
    BINDINGS = [
        Binding("q", "end", END, id="session.end"),
        Binding("escape", "escape_key", END, show=False),
        Binding("f1,question_mark,enter", "close", N_("Close"), id="help.close"),
    ]

    def __init__(self, under: Screen[Any], stop_keys: str = "q,escape") -> None:
        super().__init__(under)
        self._stop = keys_or(stop_keys.split(","))

    def hint(self) -> str:
        """How to carry on, and how to end the session."""
        # TRANSLATORS: {keys} is the stop key(s), "q or Esc"; F1 and ↓ are keys.
        return _("Paused · F1 goes on · {keys} ends it · ↓ more").format(keys=self._stop)

    def action_end(self) -> None:
        """The session's stop key."""
        self.dismiss(True)

    def action_escape_key(self) -> None:
        """Esc: the stop key, unless the stop key was remapped without it (then: close)."""
        self.dismiss("escape" in stop_keys(self.app))
