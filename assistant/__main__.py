"""``python -m assistant`` runs the ``ground`` command."""

from assistant.cli.entry import run

raise SystemExit(run())
