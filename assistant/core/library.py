"""The script library: shipped scripts plus the user's own, with every broken file reported."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from assistant.core.loader import Problem, ScriptError, load_script, parse_script
from assistant.core.model import Script
from assistant.core.resources import shipped_dir
from assistant.core.safe import one_line


class UnknownScript(LookupError):
    """No script has the id (or path) asked for."""


class ScriptFiles(Protocol):
    """Where parsed scripts can be kept between runs (``storage.script_cache``)."""

    def load(self, path: Path, loader: Callable[[Path], Script]) -> Script:
        """``loader(path)``, or its result (or ScriptError) from before for the same file."""
        ...


@dataclass
class Library:
    """Every script that loaded, and the problems of those that did not.

    Attributes:
        scripts: valid scripts by id, shipped first, then the user's.
        problems: one entry per broken user file (a bad file never hides the good ones).
    """

    scripts: dict[str, Script] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def get(self, ref: str) -> Script:
        """A script by id, or by the path of a ``.toml`` file.

        Raises:
            UnknownScript: nothing by that name; the message lists the ids.
            ScriptError: ``ref`` is a file that is not a valid script.
        """
        if ref in self.scripts:
            return self.scripts[ref]
        path = Path(ref).expanduser()
        # exists(), not is_file(): a FIFO or device named here is refused by load_script with
        # its reason, not called missing.
        if ref.endswith(".toml") or (path.exists() and not path.is_dir()):
            if not path.exists():
                raise UnknownScript(f"{one_line(ref)}: no such file")
            return load_script(path)
        for problem in self.problems:
            if Path(problem.path).stem == ref:
                raise ScriptError([problem])
        ids = ", ".join(sorted(self.scripts))
        raise UnknownScript(
            f"unknown script '{one_line(ref)}'; choose one of: {ids} (or a .toml path)"
        )


def shipped_scripts(cache: ScriptFiles | None = None) -> list[Script]:
    """The scripts that come with the program, sorted by id."""
    folder = shipped_dir("scripts")
    names = sorted(e.name for e in folder.iterdir() if e.name.endswith(".toml"))
    if cache is None:
        return [shipped_script(name.removesuffix(".toml")) for name in names]
    return [cache.load(folder / name, lambda path: shipped_script(path.stem)) for name in names]


def shipped_script(script_id: str) -> Script:
    """One shipped script, read without scanning the rest (the hotkey path).

    Raises:
        UnknownScript: no shipped script has that id.
    """
    entry = shipped_dir("scripts") / f"{script_id}.toml"
    if not entry.is_file():
        raise UnknownScript(f"no shipped script '{script_id}'")
    return parse_script(
        entry.read_text(encoding="utf-8"),
        f"scripts/{script_id}.toml",
        default_id=script_id,
        shipped=True,
    )


def load_library(user_dir: Path | None, cache: ScriptFiles | None = None) -> Library:
    """Shipped scripts, then every ``*.toml`` in ``user_dir`` (parsed through ``cache``).

    A user script that fails to load, or whose id is already taken, is reported in
    ``problems`` instead of replacing anything.
    """
    library = Library()
    for script in shipped_scripts(cache):
        library.scripts[script.id] = script
    if user_dir is None or not user_dir.is_dir():
        return library
    # By name: comparing Path objects cost 30 ms for 1,000 files (same folder, same order).
    for path in sorted(user_dir.glob("*.toml"), key=_name):
        try:
            script = load_script(path) if cache is None else cache.load(path, load_script)
        except ScriptError as exc:
            library.problems.extend(exc.problems[:1])
            continue
        if script.id in library.scripts:
            taken = library.scripts[script.id]
            owner = "a shipped script" if taken.shipped else taken.source
            library.problems.append(
                Problem(
                    str(path),
                    1,
                    f"id '{script.id}' is already used by {owner}; give this script a different id",
                )
            )
            continue
        library.scripts[script.id] = script
    return library


def _name(path: Path) -> str:
    return path.name
