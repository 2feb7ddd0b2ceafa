"""Exit codes and the usage error every ``ground`` command shares (imports nothing)."""

#: Done.
EXIT_OK = 0
#: Something could not be done at run time (a tool missing, a file that cannot be written).
EXIT_FAILURE = 1
#: Bad input or usage: one line says what and how to fix it.
EXIT_USAGE = 2
#: Stopped by Ctrl-C (128 + SIGINT); other signals give 128 + their number.
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """Bad input: the message is one line saying what and how to fix it (exit 2)."""
