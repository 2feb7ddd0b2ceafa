"""Editing the person's config files: ground's block in or out, ground's own files written or
removed; byte-exact or not at all, atomically, never through a link or onto a special file.

A symlinked config (dotfiles kept elsewhere) is left alone with one line and the lines to add by
hand: ground writes only the path it was given, and replacing the link with a file would
silently cut the person's dotfiles off. So is a config with other names (hard links), which
the rename of an atomic write would cut off as well.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from assistant.cli.errors import EXIT_FAILURE, EXIT_USAGE
from assistant.cli.hotkey.blocks import (
    END,
    Block,
    BlockError,
    block_text,
    blocks,
    with_block,
    without_blocks,
)
from assistant.cli.system import Report
from assistant.core.files import atomic_write, read_own, shared_mode
from assistant.core.i18n import N_, _
from assistant.core.safe import read_regular

#: Larger than any window manager's or tmux's config a person writes by hand.
LIMIT = 1024 * 1024
#: The first line of a whole file ``ground hotkey`` wrote (KDE's launcher).
HEADER = "# Written by `ground hotkey`; `ground hotkey --remove` removes it."
_NOW = re.compile(r"\bnow'?\s*$")
# TRANSLATORS: why a config file was left alone; it follows the file's path.
_LEFT_ALONE = {
    "link": N_("is a symlink or not a regular file"),
    "special": N_("is a symlink or not a regular file"),
    "hard link": N_("has other names (hard links) that a rewrite would cut off"),
}


class Refused(Exception):
    """An edit that must not happen; ``report`` says why (and what to add by hand)."""

    def __init__(self, report: Report) -> None:
        super().__init__(report)
        self.report = report


@dataclass(frozen=True)
class Edit:
    """Ground's block of ``lines`` to add to (or take out of) the config file at ``path``."""

    path: Path
    lines: tuple[str, ...]
    directive: str
    """How each of ground's lines starts (``bindsym``): a block holding others is not ground's."""
    must_exist: bool = True
    """True where a new file would replace the program's defaults (sway, i3, Hyprland)."""

    @property
    def block(self) -> str:
        """The block as it is shown to the person."""
        return block_text(list(self.lines))


@dataclass(frozen=True)
class Config:
    """A config file as found: what is at the path, its bytes, its mode and ground's blocks."""

    path: Path
    kind: Literal["missing", "file", "link", "special", "hard link"]
    data: bytes = b""
    mode: int | None = None
    found: list[Block] = field(default_factory=list)


def by_hand(path: Path, why: str, content: str) -> Report:
    """``path`` left alone: one line why, and on stdout what the person can add themselves."""
    # TRANSLATORS: {why} follows the path: "is a symlink…", "could not be read (…)".
    err = _(
        "{file} {why}, so ground left it alone. To add the shortcut yourself, put this in it:"
    ).format(file=path, why=why)
    return Report(EXIT_FAILURE, out=tuple(content.rstrip("\n").splitlines()), err=(err,))


def load(edit: Edit, adding: bool) -> Config:
    """The config ``edit`` changes, read whole and its ground blocks checked.

    Raises:
        Refused: it cannot be read, its markers do not pair up, or a block of ground's holds
            lines ground did not write.
    """
    path = edit.path
    try:
        info = path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return Config(path, "missing")
    if stat.S_ISLNK(info.st_mode):
        try:  # read only: to find a key it binds, or a block it holds
            data = read_regular(path, LIMIT)
        except OSError:
            data = b""
        return Config(path, "link", data, found=_checked(edit, data))
    if not stat.S_ISREG(info.st_mode):
        return Config(path, "special")
    try:
        data = read_own(path, LIMIT)
    except OSError as exc:
        why = _("could not be read ({why})").format(why=exc.strerror or exc)
        report = by_hand(path, why, edit.block) if adding else _failed(f"{path} {why}")
        raise Refused(report) from None
    # A file with other names (hard links) would lose them to the rename: leave it alone too.
    kind: Literal["file", "hard link"] = "file" if info.st_nlink == 1 else "hard link"
    return Config(path, kind, data, stat.S_IMODE(info.st_mode), _checked(edit, data))


def add_block(edit: Edit, config: Config) -> None:
    """Put ground's block at the end of the config (in place of one already there).

    Raises:
        Refused: the path is a link or not a regular file, the file is missing where a new one
            would replace the program's defaults, or it could not be written.
    """
    path = edit.path
    if config.kind in _LEFT_ALONE:
        raise Refused(by_hand(path, _(_LEFT_ALONE[config.kind]), edit.block))
    if config.kind == "missing" and edit.must_exist:
        why = _("does not exist (the defaults are in use; copy them there first)")
        raise Refused(by_hand(path, why, edit.block))
    data = with_block(config.data, config.found, list(edit.lines))
    try:
        _write(config, data)
    except OSError as exc:
        why = _("could not be written ({why})").format(why=exc.strerror or exc)
        raise Refused(by_hand(path, why, edit.block)) from None


def remove_block(config: Config) -> bool:
    """Take ground's complete blocks out of the config; False if it has none.

    Raises:
        Refused: the blocks are in a file behind a link, or it could not be written.
    """
    if not config.found:
        return False
    if config.kind in _LEFT_ALONE:
        raise Refused(
            _failed(
                _(
                    "{file} {why}, so ground left it alone; "
                    "take the lines from ground's begin marker to `{end}` out yourself"
                ).format(file=config.path, why=_(_LEFT_ALONE[config.kind]), end=END)
            )
        )
    try:
        _write(config, without_blocks(config.data, config.found))
    except OSError as exc:
        could_not = _("could not change {file}: {why}")
        raise Refused(
            _failed(could_not.format(file=config.path, why=exc.strerror or exc))
        ) from None
    return True


def write_own(path: Path, content: str) -> None:
    """Write a whole file of ground's (KDE's launcher), unless something not ground's is there.

    Raises:
        Refused: a link, a special file or a file of someone else's is at ``path``, or the
            write failed.
    """
    if exists(path) and not is_ours(path):
        raise Refused(by_hand(path, _("already exists and is not ground's"), content))
    try:
        mode = stat.S_IMODE(path.stat().st_mode) if exists(path) else shared_mode()
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, content.encode(), mode=mode)
    except OSError as exc:
        why = _("could not be written ({why})").format(why=exc.strerror or exc)
        raise Refused(by_hand(path, why, content)) from None


def remove_own(path: Path) -> bool:
    """Delete a whole file of ground's; False (and nothing touched) if it is not ground's.

    Raises:
        Refused: it could not be deleted.
    """
    if not is_ours(path):
        return False
    try:
        path.unlink()
    except OSError as exc:
        could_not = _("could not remove {file}: {why}")
        raise Refused(_failed(could_not.format(file=path, why=exc.strerror or exc))) from None
    return True


def is_ours(path: Path) -> bool:
    """Whether ``path`` is a regular file (not a link) that ``ground hotkey`` wrote."""
    try:
        return HEADER.encode() in read_own(path, LIMIT)
    except OSError:
        return False


def exists(path: Path) -> bool:
    """Whether anything (a dangling link included) is at ``path``."""
    return path.exists() or path.is_symlink()


def _checked(edit: Edit, data: bytes) -> list[Block]:
    path = edit.path
    try:
        found = blocks(data)
    except BlockError as exc:
        raise Refused(Report(EXIT_USAGE, err=(f"{path}:{exc}",))) from None
    for block in found:
        strange = [
            line
            for line in block.inside
            if not (line.lstrip().startswith(edit.directive) and _NOW.search(line))
        ]
        if strange:
            raise Refused(
                Report(
                    EXIT_USAGE,
                    err=(
                        f"{path}:{block.first + 1}: "
                        + _(
                            "ground's block holds a line ground did not write ({line}), so "
                            "ground left the file alone; move your own lines out of the block "
                            "and run this again"
                        ).format(line=repr(strange[0].strip())),
                    ),
                )
            )
    return found


def _write(config: Config, data: bytes) -> None:
    if config.kind == "missing":
        config.path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(config.path, data, mode=shared_mode() if config.mode is None else config.mode)


def _failed(line: str) -> Report:
    return Report(EXIT_FAILURE, err=(line,))
