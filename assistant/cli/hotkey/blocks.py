"""Ground's marked block in a config file, edited as bytes so every other byte stays as it was.

A config file is the person's: it may be in any encoding and end its lines in CRLF. Only the
lines between ground's own markers are ever added or taken out; the block added uses the file's
own line ending. A file whose markers do not pair up (a begin without its end, an end alone) is
not edited at all: taking out "everything after the begin marker" would take the person's lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.i18n import N_, _

BEGIN = "# >>> ground hotkey (`ground hotkey --remove` takes this block out) >>>"
END = "# <<< ground hotkey <<<"
_BEGIN = BEGIN.encode()
_END = END.encode()
# Lines end at "\n" only (a lone "\r" is part of a line, as sway, i3 and tmux read it).
_LINE = re.compile(rb"[^\n]*\n|[^\n]+\Z")
# TRANSLATORS: {end} is the end marker line, kept as it is.
_UNCLOSED = N_(
    "ground's begin marker has no end marker after it, so ground left the file alone; put "
    "`{end}` after ground's lines (or delete this line) and run this again"
)
_STRAY_END = N_(
    "ground's end marker has no begin marker before it, so ground left the file alone; "
    "delete this line and run this again"
)


class BlockError(ValueError):
    """Ground's markers in a file do not pair up; ``line`` is the first that is wrong (from 1)."""

    def __init__(self, line: int, what: str) -> None:
        super().__init__(f"{line}: {_(what).format(end=END)}")
        self.line = line


@dataclass(frozen=True)
class Block:
    """One complete block: its first and last line (counted from 0) and the lines inside."""

    first: int
    last: int
    inside: tuple[str, ...]


def block_text(lines: list[str]) -> str:
    """The lines between ground's markers, ending in a newline (as shown to the person)."""
    return "\n".join([BEGIN, *lines, END]) + "\n"


def split_lines(data: bytes) -> list[bytes]:
    """``data``'s lines, each with its own ending (the last may have none)."""
    return _LINE.findall(data)


def line_ending(data: bytes) -> bytes:
    """The file's line ending: CRLF if its first line ends so, else LF."""
    newline = data.find(b"\n")
    return b"\r\n" if newline > 0 and data[newline - 1 : newline] == b"\r" else b"\n"


def blocks(data: bytes) -> list[Block]:
    """Ground's complete blocks in ``data``.

    Raises:
        BlockError: a begin marker without its end marker, or an end marker alone.
    """
    found: list[Block] = []
    start: int | None = None
    lines = split_lines(data)
    for number, line in enumerate(lines):
        mark = line.strip()
        if mark == _BEGIN:
            if start is not None:
                break  # a second begin: the first one is never closed
            start = number
        elif mark == _END:
            if start is None:
                raise BlockError(number + 1, _STRAY_END)
            inside = tuple(_text(x) for x in lines[start + 1 : number] if x.strip())
            found.append(Block(start, number, inside))
            start = None
    if start is not None:
        raise BlockError(start + 1, _UNCLOSED)
    return found


def without_blocks(data: bytes, found: list[Block]) -> bytes:
    """``data`` without the lines of ``found`` (from :func:`blocks`); every other byte kept."""
    gone = {n for block in found for n in range(block.first, block.last + 1)}
    return b"".join(line for n, line in enumerate(split_lines(data)) if n not in gone)


def with_block(data: bytes, found: list[Block], lines: list[str]) -> bytes:
    """``data`` with ``found`` taken out and a new block of ``lines`` at its end.

    The block's lines end as the file's do; a last line without an ending gets one first.
    """
    eol = line_ending(data)
    kept = without_blocks(data, found)
    if kept and not kept.endswith(b"\n"):
        kept += eol
    return kept + b"".join(line.encode() + eol for line in [BEGIN, *lines, END])


def outside_lines(data: bytes, found: list[Block]) -> list[str]:
    """The file's lines as text (for reading bindings), without ground's blocks and comments."""
    gone = {n for block in found for n in range(block.first, block.last + 1)}
    lines = (_text(line) for n, line in enumerate(split_lines(data)) if n not in gone)
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _text(line: bytes) -> str:
    return line.decode("utf-8", errors="replace").rstrip("\r\n")
