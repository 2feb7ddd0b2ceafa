"""Where the shipped data folders (``scripts/``, ``audio/``) are, installed or in a checkout."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def data_dir(name: str) -> Traversable:
    """The shipped folder ``name`` (``scripts`` or ``audio``).

    In a wheel the folders live at ``assistant/_data/<name>`` (hatch force-include); in a
    source checkout or editable install they are the top-level folders beside the package.
    """
    packaged = resources.files("assistant") / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name
