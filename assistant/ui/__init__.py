"""The Textual TUI (imported only by `ground` with no command)."""
