"""Key labels in the person's language: bindings are declared in English, marked with ``N_``,
and translated on each screen (and the app) as it is made, so the language chosen at start-up
(or by a test) is the one shown, whatever was imported before."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from assistant.core.i18n import N_, _

#: Textual's own words in the footer (its command palette's key), for extraction.
TEXTUAL_WORDS = (N_("palette"), N_("Open the command palette"))


def translate_bindings(node: DOMNode, labels: Mapping[str, str] | None = None) -> None:
    """Put ``node``'s key descriptions and tooltips into the language in use.

    Call it in ``__init__``, after ``super().__init__()``: each node copies its class's bindings
    there, and a remapped key (the keymap, by binding id) is applied to the copy later.

    Args:
        node: a screen, or the app.
        labels: descriptions already translated, by binding id, for a word that translates
            differently on this screen (``pgettext``): "Skip" a step, not "Skip" the questions.
    """
    bindings = node._bindings.key_to_bindings  # Textual's per-node copy
    for key, found in bindings.items():
        bindings[key] = [_translated(binding, labels or {}) for binding in found]


def _translated(binding: Binding, labels: Mapping[str, str]) -> Binding:
    group = binding.group
    if group is not None and group.description:
        # A group's label stands for its keys in the footer (↑↓ Volume): translated too.
        group = replace(group, description=_(group.description))
    description = binding.description
    if binding.id is not None and binding.id in labels:
        description = labels[binding.id]
    elif description:
        description = _(description)
    return replace(
        binding,
        description=description,
        tooltip=_(binding.tooltip) if binding.tooltip else "",
        group=group,
    )


def description(node: object, binding: Binding) -> str:
    """What ``binding`` (one of ``node``'s class ``BINDINGS``) is called on ``node``, in the
    language in use: the translated copy's words (see :func:`translate_bindings`)."""
    copies = getattr(node, "_bindings", None)
    if copies is not None:
        for found in copies.key_to_bindings.values():
            for copy in found:
                if copy.action == binding.action and copy.id == binding.id:
                    return str(copy.description)
    return _(binding.description) if binding.description else ""
