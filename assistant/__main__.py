"""``python -m assistant`` runs the ``ground`` command."""

from assistant.cli.main import main

raise SystemExit(main())
