"""Where ground keeps its files; ``GROUND_HOME`` puts them all under one folder (tests use it)."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from assistant.core.files import private_dirs

APP = "ground"


def _home() -> Path | None:
    value = os.environ.get("GROUND_HOME")
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    """Settings and the user's own scripts (``~/.config/ground`` on Linux)."""
    home = _home()
    if home is not None:
        return home / "config"
    import platformdirs  # deferred: only paths that touch user files pay for it (~5 ms)

    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def data_dir() -> Path:
    """The practice log (``~/.local/share/ground`` on Linux)."""
    home = _home()
    if home is not None:
        return home / "data"
    import platformdirs

    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def cache_dir() -> Path:
    """Rendered speech clips (``~/.cache/ground`` on Linux); safe to delete."""
    home = _home()
    if home is not None:
        return home / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP, appauthor=False))


def user_scripts_dir() -> Path:
    """Where a person's own scripts live."""
    return config_dir() / "scripts"


def settings_file() -> Path:
    """The settings TOML file."""
    return config_dir() / "settings.toml"


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by this user only; returns it.

    Every level it creates is 0700 whatever the umask, and ground's own config, data and cache
    folders above it are made 0700 too (an older version left the cache folder 0755).
    """
    private_dirs(path)
    for root in (config_dir(), data_dir(), cache_dir()):
        if path == root or root in path.parents:
            with contextlib.suppress(OSError):
                if stat.S_IMODE(root.stat().st_mode) & 0o077:
                    root.chmod(0o700)
    return path
