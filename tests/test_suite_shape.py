"""The test suite's own shape: what tests share lives in ``tests/helpers`` (or a conftest's
fixtures), never in a test module that others import."""

from __future__ import annotations

import ast

from tests.helpers.paths import REPO


def imported_test_modules(source: str, module: str) -> list[str]:
    """The test modules (``test_*``) and conftests that ``source`` imports by name.

    Args:
        source: the text of a Python file.
        module: its dotted name (``tests.cli.test_cli``), to resolve relative imports.

    Returns:
        The dotted names imported, in order of appearance.
    """
    found = []
    package = module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], base]).strip(".")
            # `from tests.cli import test_cli` imports a module too, not only a name.
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        for name in names:
            last = name.rsplit(".", 1)[-1]
            if last.startswith("test_") or last == "conftest":
                found.append(name)
    return found


def test_the_check_sees_every_way_of_importing_a_test_module() -> None:
    """The check itself can fail."""
    source = (
        "from tests.cli.test_cli import ground\n"
        "import tests.ui.test_flows\n"
        "from tests.cli import test_tty\n"
        "from .test_log_command import fill\n"
        "from tests.conftest import REPO\n"
        "def f():\n    from tests.hardening.test_tui_stop import quiet_app\n"
        "from tests.helpers.cli import ground\n"
        "from tests.helpers import script_from\n"
    )
    assert imported_test_modules(source, "tests.storage.test_log_csv") == [
        "tests.cli.test_cli",
        "tests.ui.test_flows",
        "tests.cli.test_tty",
        "tests.storage.test_log_command",
        "tests.conftest",
        "tests.hardening.test_tui_stop",
    ]


def test_no_test_module_imports_another() -> None:
    """Tests share helpers through ``tests/helpers`` or fixtures: importing a test module runs
    its module-level code again and ties one test file's edits to another's results."""
    offenders = []
    for folder in ("tests", "bench"):
        for path in sorted((REPO / folder).rglob("*.py")):
            module = ".".join(path.relative_to(REPO).with_suffix("").parts)
            for name in imported_test_modules(path.read_text(encoding="utf-8"), module):
                offenders.append(f"{path.relative_to(REPO)} imports {name}")
    assert not offenders, "move what they share into tests/helpers:\n" + "\n".join(offenders)
