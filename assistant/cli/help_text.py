"""What ``ground --help`` ends with: the version, and where every file lives."""

from __future__ import annotations

import argparse

from assistant import __version__


def epilog() -> str:
    """The version and file locations (built only when help is shown: paths cost an import)."""
    from assistant.storage.paths import cache_dir, data_dir, settings_file, user_scripts_dir

    return (
        "Press space to pause and q to stop at any time. This is a self-help tool, not therapy.\n"
        "`ground help` says where to get help.\n"
        "\n"
        f"ground {__version__}. Your files (readable only by you):\n"
        f"  settings      {settings_file()}\n"
        f"  your scripts  {user_scripts_dir()}\n"
        f"  practice log  {data_dir() / 'practice.db'}\n"
        f"  voice cache   {cache_dir() / 'clips'}  (`ground cache` shows its size)\n"
        "`ground doctor` checks sound and voices."
    )


class GroundParser(argparse.ArgumentParser):
    """The top-level parser: its help ends with :func:`epilog`, laid out as written."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs)  # type: ignore[arg-type]

    def format_help(self) -> str:
        """Help text, with the version and file locations filled in now."""
        self.epilog = epilog()
        return super().format_help()
