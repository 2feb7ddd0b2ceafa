"""The footer: every key it shows is whole; what does not fit is left out, least needed first.

Textual's footer cuts its row at the window's edge, mid-label ("f2" with no name, "] L").
This one leaves out whole entries instead: the command palette's hint first, then the app's
own keys from the least needed, then the screen's keys from the last. The screen's first key
(the way back, or out of a session) always stays. Every key still works, and Help (F1) lists
them all.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

#: The app's keys by binding id, the first left out first.
LEAST_NEEDED = ("app.ladder", "app.settings", "app.history", "app.quit", "app.now", "app.help")


class KeyFooter(Footer):
    """A footer that never shows part of a key."""

    async def recompose(self) -> None:
        """Compose the keys, then leave out what does not fit, in one screen update."""
        with self.app.batch_update():
            await super().recompose()
            self.fit()

    def on_resize(self, event: events.Resize) -> None:
        """The window changed: fit the keys to the new width."""
        self.fit()

    def fit(self) -> None:
        """Show as many whole entries as the width allows (see the module's docstring)."""
        entries: list[Widget] = [
            child for child in self.children if isinstance(child, (FooterKey, KeyGroup))
        ]
        if not entries or not self.size.width:
            return
        palette = [e for e in entries if e.has_class("-command-palette")]
        keys = [e for e in entries if not e.has_class("-command-palette")]
        dropped = [*palette, *self._app_keys_least_needed_first(keys), *reversed(keys[1:])]
        # A group's label follows it in the footer's children: it goes with the group.
        labels = {id(e): _label_after(self, e) for e in keys if isinstance(e, KeyGroup)}
        for entry in entries:
            entry.display = True
            label = labels.get(id(entry))
            if label is not None:
                label.display = True
        total = sum(_width(e) + _width(labels.get(id(e))) for e in entries)
        for entry in dropped:
            if total <= self.size.width:
                break
            if not entry.display:
                continue
            entry.display = False
            total -= _width(entry)
            label = labels.get(id(entry))
            if label is not None:
                label.display = False
                total -= _width(label)

    def _app_keys_least_needed_first(self, keys: list[Widget]) -> list[Widget]:
        """The entries for the app's own keys, the least needed first."""
        active = self.screen.active_bindings
        ranked: list[tuple[int, Widget]] = []
        for entry in keys:
            if not isinstance(entry, FooterKey):
                continue
            found = active.get(entry.key)
            if found is None or found.node is not self.app:
                continue
            ident = found.binding.id or ""
            if ident in LEAST_NEEDED:
                ranked.append((LEAST_NEEDED.index(ident), entry))
        return [entry for _, entry in sorted(ranked, key=lambda pair: pair[0])]


def _label_after(footer: Footer, group: Widget) -> FooterLabel | None:
    children = list(footer.children)
    at = children.index(group)
    following = children[at + 1] if at + 1 < len(children) else None
    return following if isinstance(following, FooterLabel) else None


def _width(widget: Widget | None) -> int:
    """Columns ``widget`` takes in the row: its text, padding, border and margins."""
    if widget is None:
        return 0
    styles = widget.styles
    outside = styles.margin.width + styles.gutter.width
    if isinstance(widget, KeyGroup):
        return outside + sum(_width(child) for child in widget.children)
    if isinstance(widget, FooterKey):
        return outside + widget.render().cell_len
    if isinstance(widget, FooterLabel):
        return outside + cell_len(str(widget.render()))
    return outside + widget.outer_size.width
