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

from assistant.core.i18n import N_, _
from assistant.core.support import (
    CONTACTS_TITLE,
    MAX_CONTACTS,
    NAME_LIMIT,
    NUMBER_LIMIT,
    Contact,
    make_contact,
)
from assistant.storage.settings import SettingsError
from assistant.ui.saved import could_not_save
from assistant.ui.screens import SCREENS_CSS
from assistant.ui.services import services_of
from assistant.ui.translate import translate_bindings

INTRO = N_(
    "People you'd like to reach when things are hard. They stay on this computer, in your "
    "settings, and F1 shows them."
)
# TRANSLATORS: Enter, Tab, Del and Esc are keys.
KEYS = N_("Enter adds · Tab moves · Del removes the highlighted person · Esc closes")


class ContactsScreen(ModalScreen[None]):
    """The list, and a name and a number to add one more."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("escape", "close", N_("Close"), id="contacts.close"),
        # Only when the list has the focus: in a field, Del deletes a character.
        Binding("delete", "remove", N_("Remove"), id="contacts.remove"),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form contacts"):
            yield Static(_(CONTACTS_TITLE), classes="dialog-title")
            yield Static(Text(_(INTRO), "dim"))
            # Near the top: at 80×24 nothing below the fields may be in view.
            yield Static(Text(_(KEYS), "dim"), classes="dialog-hint")
            yield OptionList(id="contact-list")
            with Horizontal(id="contact-fields"):
                # TRANSLATORS: the fields to add a contact: their name, their phone number.
                name = _("Name")
                yield Input(placeholder=name, id="contact-name", max_length=NAME_LIMIT)
                number = _("Number")
                yield Input(placeholder=number, id="contact-number", max_length=NUMBER_LIMIT)

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
            listing.add_option(Option(Text(_("No one added yet."), "dim italic"), disabled=True))
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
            # TRANSLATORS: {name} is a contact's name, as the person typed it.
            self.notify(_("{name} is already there.").format(name=contact.name))
        elif len(self.contacts) >= MAX_CONTACTS:
            self.notify(
                _("{count} people is as many as ground keeps; remove one first.").format(
                    count=MAX_CONTACTS
                )
            )
            return
        elif not self._save((*self.contacts, contact)):
            return
        else:
            self.notify(_("Added {name}.").format(name=contact.name), timeout=3)
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
                    self.notify(_("Removed {name}.").format(name=contact.name), timeout=3)
                    self._show(index)

        self.app.push_screen(
            ConfirmScreen(
                # TRANSLATORS: {contact} is "Name — number".
                _("Remove {contact}?").format(contact=contact.line()),
                # TRANSLATORS: Enter and Esc are keys.
                _("Enter removes · Esc keeps them"),
            ),
            answered,
        )

    def _save(self, contacts: tuple[Contact, ...]) -> bool:
        services = services_of(self.app)
        try:
            services.update_settings(contacts=contacts)
        except (SettingsError, OSError) as exc:
            self.notify(could_not_save(exc), severity="error")
            return False
        return True

    def action_close(self) -> None:
        """Back to where you were."""
        self.dismiss(None)
