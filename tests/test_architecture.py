"""The package's shape: no import cycles anywhere in ``assistant`` (see ARCHITECTURE.md)."""

from __future__ import annotations

import grimp


def import_cycles(package: str) -> list[list[str]]:
    """Every set of modules that import each other in a ring (Tarjan's strongly connected parts).

    Imports inside functions count too: a cycle through a deferred import still ties the
    modules together.
    """
    graph = grimp.build_graph(package, exclude_type_checking_imports=True)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(start: str) -> None:
        # Iterative, so a deep chain of imports cannot hit the recursion limit.
        work = [(start, iter(edges.get(start, ())))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                ring = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    ring.append(member)
                    if member == node:
                        break
                if len(ring) > 1 or node in edges.get(node, ()):
                    cycles.append(sorted(ring))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return cycles


def test_the_finder_sees_a_ring() -> None:
    """The check itself can fail: a ring built by hand is found."""
    import sys
    import tempfile
    import textwrap
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ringpkg"
        root.mkdir()
        (root / "__init__.py").write_text("")
        (root / "a.py").write_text("from ringpkg import b\n")
        (root / "b.py").write_text(textwrap.dedent("def f():\n    from ringpkg import a\n"))
        (root / "c.py").write_text("from ringpkg import a\n")
        sys.path.insert(0, tmp)
        try:
            assert import_cycles("ringpkg") == [["ringpkg.a", "ringpkg.b"]]
        finally:
            sys.path.remove(tmp)


def test_no_import_cycles_in_assistant() -> None:
    assert import_cycles("assistant") == []
