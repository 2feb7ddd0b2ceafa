"""Fault and hostile-input tests: most run ``ground`` or a worker in a real subprocess (a FIFO,
a hanging engine, planted modules, real escape bytes), so all of them count as slow and are
left out of ``make check``; ``make test`` runs them."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder ``slow``."""
    for item in items:
        if "tests/hardening/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.slow)
