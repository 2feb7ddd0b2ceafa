"""The TUI's screens: one module per screen, imported when first shown."""

#: The styles of every screen but Home (``CSS_PATH``, relative to this folder): Textual parses
#: a screen's stylesheet when the screen first opens, so the first frame parses only app.tcss.
SCREENS_CSS = "screens.tcss"
