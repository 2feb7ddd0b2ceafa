"""Key labels in the person's language: bindings are declared in English, marked with ``N_``,
and translated on each screen (and the app) as it is made, so the language chosen at start-up
(or by a test) is the one shown, whatever was imported before."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from assistant.core.i18n import N_, _

#: Textual's own words in the footer (its command palette's key), for extraction.
TEXTUAL_WORDS = (N_("palette"), N_("Open the command palette"))


def translate_bindings(node: DOMNode) -> None:
    """Put ``node``'s key descriptions and tooltips into the language in use.

    Call it in ``__init__``, after ``super().__init__()``: each node copies its class's bindings
    there, and a remapped key (the keymap, by binding id) is applied to the copy later.
    """
    bindings = node._bindings.key_to_bindings  # Textual's per-node copy
    for key, found in bindings.items():
        bindings[key] = [_translated(binding) for binding in found]


def _translated(binding: Binding) -> Binding:
    return replace(
        binding,
        description=_(binding.description) if binding.description else "",
        tooltip=_(binding.tooltip) if binding.tooltip else "",
    )
