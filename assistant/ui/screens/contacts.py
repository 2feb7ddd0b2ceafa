"""Your people: the names and numbers of people to reach when things are hard, added and
removed here (F1 shows them). They are the person's own words: shown as text, never markup."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from assistant.core.support import (
    CONTACTS_TITLE,
    MAX_CONTACTS,
    NAME_LIMIT,
    NUMBER_LIMIT,
    Contact,
    make_contact,
)
from assistant.storage.settings import SettingsError
from assistant.ui.services import services_of

INTRO = (
    "People you'd like to reach when things are hard. They stay on this computer, in your "
    "settings, and F1 shows them."
)
KEYS = "Enter adds · Tab moves · Del removes the highlighted person · Esc closes"


class ContactsScreen(ModalScreen[None]):
    """The list, and a name and a number to add one more."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="contacts.close"),
        # Only when the list has the focus: in a field, Del deletes a character.
        Binding("delete", "remove", "Remove", id="contacts.remove"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form contacts"):
            yield Static(CONTACTS_TITLE, classes="dialog-title")
            yield Static(Text(INTRO, "dim"))
            # Near the top: at 80×24 nothing below the fields may be in view.
            yield Static(Text(KEYS, "dim"), classes="dialog-hint")
            yield OptionList(id="contact-list")
            with Horizontal(id="contact-fields"):
                yield Input(placeholder="Name", id="contact-name", max_length=NAME_LIMIT)
                yield Input(placeholder="Number", id="contact-number", max_length=NUMBER_LIMIT)

    def on_mount(self) -> None:
        """The list as saved, and the cursor in the name."""
        self._show()
        self.query_one("#contact-name", Input).focus()

    @property
    def contacts(self) -> tuple[Contact, ...]:
        """The contacts as saved."""
        return services_of(self.app).settings.contacts

    def _show(self, highlight: int | None = None) -> None:
        listing = self.query_one("#contact-list", OptionList)
        listing.clear_options()
        if not self.contacts:
            listing.add_option(Option(Text("No one added yet.", "dim italic"), disabled=True))
            return
        listing.add_options(Option(Text(c.line())) for c in self.contacts)
        listing.highlighted = min(highlight or 0, len(self.contacts) - 1)

    @on(Input.Submitted, "#contact-name")
    def _name_given(self) -> None:
        self.query_one("#contact-number", Input).focus()

    @on(Input.Submitted, "#contact-number")
    def _number_given(self) -> None:
        self.action_add()

    def action_add(self) -> None:
        """Add the person typed, or say what is still needed."""
        name = self.query_one("#contact-name", Input)
        number = self.query_one("#contact-number", Input)
        if not name.value.strip():
            name.focus()
            return
        if not number.value.strip():
            number.focus()
            return
        try:
            contact = make_contact(name.value, number.value)
        except ValueError as exc:
            self.notify(str(exc).capitalize() + ".", severity="warning")
            return
        if contact in self.contacts:
            self.notify(f"{contact.name} is already there.")
        elif len(self.contacts) >= MAX_CONTACTS:
            self.notify(f"{MAX_CONTACTS} people is as many as ground keeps; remove one first.")
            return
        elif not self._save((*self.contacts, contact)):
            return
        else:
            self.notify(f"Added {contact.name}.", timeout=3)
        name.value = number.value = ""
        name.focus()
        self._show(len(self.contacts) - 1)

    def action_remove(self) -> None:
        """Remove the highlighted person, after asking (nothing is lost by a stray key)."""
        listing = self.query_one("#contact-list", OptionList)
        if self.focused is not listing or not self.contacts or listing.highlighted is None:
            return
        index = listing.highlighted
        contact = self.contacts[index]
        from assistant.ui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes and contact in self.contacts:
                kept = tuple(c for c in self.contacts if c != contact)
                if self._save(kept):
                    self.notify(f"Removed {contact.name}.", timeout=3)
                    self._show(index)

        self.app.push_screen(
            ConfirmScreen(f"Remove {contact.line()}?", "Enter removes · Esc keeps them"),
            answered,
        )

    def _save(self, contacts: tuple[Contact, ...]) -> bool:
        services = services_of(self.app)
        try:
            services.update_settings(contacts=contacts)
        except (SettingsError, OSError) as exc:
            self.notify(f"Could not save: {exc}", severity="error")
            return False
        return True

    def action_close(self) -> None:
        """Back to where you were."""
        self.dismiss(None)
