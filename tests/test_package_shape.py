"""Every folder of modules is a package, the layer contract names every part of it, and no
function is longer than a reader can hold.

A folder without ``__init__.py`` is a namespace package: import-linter and the cycle test in
``tests/test_architecture.py`` never see its modules, so a forbidden import there passes.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import assistant

ROOT = Path(assistant.__file__).parent


def folders_without_init(root: Path) -> list[str]:
    """Folders under ``root`` (itself included) that hold ``.py`` modules but no ``__init__.py``."""
    folders = {path.parent for path in root.rglob("*.py")}
    return sorted(
        str(folder.relative_to(root.parent))
        for folder in folders
        if not (folder / "__init__.py").is_file()
    )


def test_every_folder_of_modules_is_a_package() -> None:
    assert folders_without_init(ROOT) == []


def test_the_finder_sees_a_folder_without_init(tmp_path: Path) -> None:
    """The check itself can fail."""
    (tmp_path / "pkg" / "inner").mkdir(parents=True)
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "inner" / "module.py").write_text("")
    assert folders_without_init(tmp_path / "pkg") == ["pkg/inner"]


def test_the_layers_name_every_part_of_assistant() -> None:
    """Each package and module directly under ``assistant`` sits in one layer of the contract."""
    config = tomllib.loads((ROOT.parent / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if c["type"] == "layers"]
    named = {name.strip() for layer in layers for name in layer.split("|")}
    parts = {
        f"assistant.{path.stem if path.is_file() else path.name}"
        for path in ROOT.iterdir()
        if (path.suffix == ".py" and path.stem not in ("__init__", "__main__"))
        or (path / "__init__.py").is_file()
    }
    assert parts - named == set()


#: The most lines a function (its ``def`` line to its last, docstring included) may take.
MAX_FUNCTION_LINES = 60
#: Functions allowed over the limit, each at the length it may not grow past (none now).
LONG_FUNCTIONS: dict[str, int] = {}


def function_lengths(root: Path) -> dict[str, int]:
    """``{"folder/module.py:Class.function": lines}`` for every function under ``root``."""
    lengths: dict[str, int] = {}

    def visit(node: ast.AST, module: str, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    assert child.end_lineno is not None
                    lengths[f"{module}:{name}"] = child.end_lineno - child.lineno + 1
                visit(child, module, f"{name}.")
            else:
                visit(child, module, prefix)

    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        visit(tree, path.relative_to(root).as_posix(), "")
    return lengths


def too_long(lengths: dict[str, int], allowed: dict[str, int], limit: int) -> list[str]:
    """``"name: lines"`` for each function longer than ``limit`` (or its own allowed length)."""
    return [
        f"{name}: {lines} lines"
        for name, lines in sorted(lengths.items())
        if lines > max(limit, allowed.get(name, 0))
    ]


def test_no_function_is_over_60_lines() -> None:
    """Split one that grows past it where a reader would: a step, a case, a part of the set-up."""
    assert too_long(function_lengths(ROOT), LONG_FUNCTIONS, MAX_FUNCTION_LINES) == []


def test_the_long_functions_allowed_are_still_there() -> None:
    """An entry of :data:`LONG_FUNCTIONS` names a function that exists (a rename would
    otherwise leave a stale entry that lets a new function grow to its length)."""
    lengths = function_lengths(ROOT)
    assert [name for name in LONG_FUNCTIONS if name not in lengths] == []


def test_the_length_check_can_fail(tmp_path: Path) -> None:
    """A long function, a long method, and an allowed one that grew are all named."""
    body = "".join(f"    x{i} = {i}\n" for i in range(60))
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text(
        f"def short():\n    pass\n\n\ndef long():\n{body}\n\nclass K:\n"
        + f"    def method(self):\n{body.replace('    ', '        ')}"
    )
    lengths = function_lengths(tmp_path)
    assert lengths == {"pkg/mod.py:short": 2, "pkg/mod.py:long": 61, "pkg/mod.py:K.method": 61}
    assert too_long(lengths, {"pkg/mod.py:long": 61}, 60) == ["pkg/mod.py:K.method: 61 lines"]
    assert too_long(lengths, {"pkg/mod.py:long": 60}, 60) == [
        "pkg/mod.py:K.method: 61 lines",
        "pkg/mod.py:long: 61 lines",
    ]
