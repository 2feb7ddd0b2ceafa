"""The ``ground`` command line; the TUI is imported lazily, and never on the ``now`` path."""
