"""What ``ground --help`` ends with: the version, and where every file lives."""

from __future__ import annotations

import argparse

from assistant import __version__
from assistant.core.i18n import _


def epilog() -> str:
    """The version and file locations (built only when help is shown: paths cost an import)."""
    from assistant.storage.paths import cache_dir, data_dir, settings_file, user_scripts_dir

    files = [
        (_("settings"), str(settings_file())),
        (_("your scripts"), str(user_scripts_dir())),
        (_("practice log"), str(data_dir() / "practice.db")),
        (
            _("voice cache"),
            _("{folder}  (`ground cache` shows its size)").format(folder=cache_dir() / "clips"),
        ),
    ]
    # Padded to the longest label: the labels' lengths differ from one language to another.
    width = max(len(label) for label, _where in files) + 2
    return "\n".join(
        [
            _(
                "Press space to pause and q to stop at any time. "
                "This is a self-help tool, not therapy."
            ),
            _("`ground help` says where to get help."),
            "",
            _("ground {version}. Your files (readable only by you):").format(version=__version__),
            *(f"  {label:<{width}}{where}" for label, where in files),
            _("`ground doctor` checks sound and voices."),
        ]
    )


class GroundParser(argparse.ArgumentParser):
    """The top-level parser: its help ends with :func:`epilog`, laid out as written."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs)  # type: ignore[arg-type]

    def format_help(self) -> str:
        """Help text, with the version and file locations filled in now."""
        self.epilog = epilog()
        return super().format_help()
