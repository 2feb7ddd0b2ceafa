"""The script library: shipped scripts plus the user's own, with every broken file reported."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from assistant.core.i18n import DEFAULT, SUPPORTED, language
from assistant.core.loader import Problem, ScriptError, load_script, parse_script
from assistant.core.model import Script
from assistant.core.resources import shipped_dir
from assistant.core.safe import one_line

#: A script id (the loader's rule): a name read from the command line never becomes a path.
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


class UnknownScript(LookupError):
    """No script has the id (or path) asked for."""


class ScriptFiles(Protocol):
    """Where parsed scripts can be kept between runs (``storage.script_cache``)."""

    def load(self, path: Path, loader: Callable[[Path], Script], variant: str = "") -> Script:
        """``loader(path)``, or its result (or ScriptError) from before for the same file
        read the same way (``variant``: what else the result depends on, e.g. the language a
        script without ``lang`` is taken to be in)."""
        ...


@dataclass
class Library:
    """Every script that loaded, and the problems of those that did not.

    A script keeps its id in every language it is written in (``scripts/es/box.toml`` is
    ``box`` too), so the log and the ladder name one exercise whatever the language.

    Attributes:
        scripts: the scripts a person is shown, by id: each in the library's language when
            it is written in it, else in English; their own scripts in whatever language.
        problems: one entry per broken user file (a bad file never hides the good ones).
        lang: the language of the person (the interface's).
        every: every script that loaded, by (id, language).
    """

    scripts: dict[str, Script] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    lang: str = DEFAULT
    every: dict[tuple[str, str], Script] = field(default_factory=dict)

    def add(self, script: Script) -> None:
        """Keep ``script`` under (id, language), and show it when it is the best version."""
        self.every[(script.id, script.lang)] = script
        shown = self.scripts.get(script.id)
        if shown is None or _rank(script, self.lang) < _rank(shown, self.lang):
            self.scripts[script.id] = script

    def languages(self, script_id: str) -> dict[str, Script]:
        """The versions of one script, by language (empty for an unknown id)."""
        return {lang: s for (sid, lang), s in self.every.items() if sid == script_id}

    def get(self, ref: str, lang: str | None = None) -> Script:
        """A script by id (in ``lang``, default the library's, else English), or by the path
        of a ``.toml`` file.

        Raises:
            UnknownScript: nothing by that name; the message lists the ids.
            ScriptError: ``ref`` is a file that is not a valid script.
        """
        if lang is not None and (ref, lang) in self.every:
            return self.every[(ref, lang)]
        if ref in self.scripts:
            return self.scripts[ref]
        path = Path(ref).expanduser()
        # exists(), not is_file(): a FIFO or device named here is refused by load_script with
        # its reason, not called missing.
        if ref.endswith(".toml") or (path.exists() and not path.is_dir()):
            if not path.exists():
                raise UnknownScript(f"{one_line(ref)}: no such file")
            return load_script(path, default_lang=self.lang)
        for problem in self.problems:
            if Path(problem.path).stem == ref:
                raise ScriptError([problem])
        ids = ", ".join(sorted(self.scripts))
        raise UnknownScript(
            f"unknown script '{one_line(ref)}'; choose one of: {ids} (or a .toml path)"
        )


def _rank(script: Script, lang: str) -> int:
    """Which version of a script a person sees first: theirs, then English, then any."""
    if script.lang == lang:
        return 0
    return 1 if script.lang == DEFAULT else 2


def shipped_scripts(cache: ScriptFiles | None = None, lang: str | None = None) -> list[Script]:
    """The scripts that come with the program, sorted by id: each in ``lang`` (default: the
    language in use) when it is written in it, else in English."""
    lang = language() if lang is None else lang
    folder = shipped_dir("scripts")
    names = sorted(e.name for e in folder.iterdir() if e.name.endswith(".toml"))
    ids = [name.removesuffix(".toml") for name in names]
    if cache is None:
        return [shipped_script(script_id, lang) for script_id in ids]
    return [
        cache.load(_shipped_path(script_id, lang), lambda path: _parse_shipped(path))
        for script_id in ids
    ]


def every_shipped_script(
    cache: ScriptFiles | None = None, languages: Iterable[str] = SUPPORTED
) -> list[Script]:
    """Every shipped script in ``languages`` (default: all), a language at a time, by id."""
    out: list[Script] = []
    for lang in dict.fromkeys(languages):
        folder = _lang_dir(lang)
        if not folder.is_dir():
            continue
        for name in sorted(e.name for e in folder.iterdir() if e.name.endswith(".toml")):
            path = folder / name
            out.append(_parse_shipped(path) if cache is None else cache.load(path, _parse_shipped))
    return out


def shipped_script(script_id: str, lang: str | None = None) -> Script:
    """One shipped script, read without scanning the rest (the hotkey path).

    Args:
        script_id: its id.
        lang: the language wanted (default: the language in use); English when the script is
            not written in it.

    Raises:
        UnknownScript: no shipped script has that id.
    """
    if not _ID.match(script_id):
        raise UnknownScript(f"no shipped script '{one_line(script_id)}'")
    entry = _shipped_path(script_id, language() if lang is None else lang)
    if not entry.is_file():
        raise UnknownScript(f"no shipped script '{script_id}'")
    return _parse_shipped(entry)


def _lang_dir(lang: str) -> Path:
    """Where the shipped scripts in ``lang`` are: ``scripts/`` for English, else
    ``scripts/<lang>/``."""
    folder = shipped_dir("scripts")
    return folder if lang == DEFAULT else folder / lang


def _shipped_path(script_id: str, lang: str) -> Path:
    """The file of a shipped script in ``lang``, or the English one when there is none."""
    if lang != DEFAULT and lang in SUPPORTED:
        translated = _lang_dir(lang) / f"{script_id}.toml"
        if translated.is_file():
            return translated
    return _lang_dir(DEFAULT) / f"{script_id}.toml"


def _parse_shipped(path: Path) -> Script:
    """A shipped file, named in problems by its place under ``scripts/``."""
    lang = path.parent.name if path.parent.name in SUPPORTED else DEFAULT
    shown = f"scripts/{path.name}" if lang == DEFAULT else f"scripts/{lang}/{path.name}"
    return parse_script(
        path.read_text(encoding="utf-8"),
        shown,
        default_id=path.stem,
        shipped=True,
        default_lang=lang,
    )


def load_library(
    user_dir: Path | None, cache: ScriptFiles | None = None, lang: str | None = None
) -> Library:
    """Shipped scripts in English and the person's language, then every ``*.toml`` in
    ``user_dir`` (parsed through ``cache``).

    A user script that fails to load, or whose id is already taken (by a shipped script, in
    any language, or by another of theirs in the same language), is reported in ``problems``
    instead of replacing anything. One without ``lang`` is in the interface's language.

    Args:
        user_dir: the person's own scripts (None: shipped ones only).
        cache: where parsed scripts are kept between runs.
        lang: the person's language (default: the language in use).
    """
    library = Library(lang=language() if lang is None else lang)
    shipped_ids: set[str] = set()
    for script in every_shipped_script(cache, (DEFAULT, library.lang)):
        library.add(script)
        shipped_ids.add(script.id)
    if user_dir is None or not user_dir.is_dir():
        return library
    default = library.lang
    variant = "" if default == DEFAULT else default  # English: the entries as they always were

    def load(path: Path) -> Script:
        return load_script(path, default_lang=default)

    # By name: comparing Path objects cost 30 ms for 1,000 files (same folder, same order).
    for path in sorted(user_dir.glob("*.toml"), key=_name):
        try:
            script = load(path) if cache is None else cache.load(path, load, variant=variant)
        except ScriptError as exc:
            library.problems.extend(exc.problems[:1])
            continue
        taken = library.every.get((script.id, script.lang))
        if script.id in shipped_ids or taken is not None:
            taken = taken or next(iter(library.languages(script.id).values()))
            owner = "a shipped script" if taken.shipped else taken.source
            library.problems.append(
                Problem(
                    str(path),
                    1,
                    f"id '{script.id}' is already used by {owner}; give this script a different id",
                )
            )
            continue
        library.add(script)
    return library


def _name(path: Path) -> str:
    return path.name
