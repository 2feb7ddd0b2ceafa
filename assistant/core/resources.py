"""Where the shipped data folders (``scripts/``, ``audio/``) are, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path


def shipped_dir(name: str) -> Path:
    """The shipped folder ``name`` (``scripts`` or ``audio``).

    In a wheel the folders live at ``assistant/_data/<name>`` (hatch force-include); in a
    source checkout or editable install they are the top-level folders beside the package.
    Found from this file's own path: ``importlib.resources`` cost the hotkey ~10 ms to import,
    and a wheel installs as plain files.
    """
    package = Path(__file__).resolve().parents[1]
    packaged = package / "_data" / name
    if packaged.is_dir():
        return packaged
    return package.parent / name
