"""`.ci/` holds only what CI runs, and that is exactly the README's test command."""

from __future__ import annotations

from tests.helpers.paths import REPO


def test_ci_holds_only_its_entry_point() -> None:
    assert sorted(path.name for path in (REPO / ".ci").iterdir()) == ["run"]


def test_ci_runs_exactly_make_test() -> None:
    lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [line for line in lines if line and not line.startswith("#")]
    # Strict shell, from the clone's top folder, then the README's command and nothing else.
    assert commands == ["set -euo pipefail", 'cd "$(dirname "$0")/.."', "exec make test"]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "```sh\nmake run\nmake test\n```" in readme
