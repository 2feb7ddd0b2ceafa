"""The TUI's screens: one module per screen, imported when first shown."""
