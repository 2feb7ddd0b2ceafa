"""Every folder of modules is a package, and the layer contract names every part of it.

A folder without ``__init__.py`` is a namespace package: import-linter and the cycle test in
``tests/test_architecture.py`` never see its modules, so a forbidden import there passes.
"""

from __future__ import annotations

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
