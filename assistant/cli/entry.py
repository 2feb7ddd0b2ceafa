"""The very first code ``ground`` runs: the Ctrl-C handler, then the command line.

The handler (:mod:`assistant.cli.interrupt`) is in place before :mod:`assistant.cli.main` and
everything it imports start loading.
"""

from __future__ import annotations

import sys

from assistant.cli import interrupt


def run() -> int:
    """The ``ground`` console script and ``python -m assistant``."""
    interrupt.install()
    try:
        from assistant.cli.main import main
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return interrupt.exit_code
    return main()
