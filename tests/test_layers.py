"""The layers of the package, read from the source: every import counts, even one inside a function.

Nothing imports the CLI; the library of documents (``ifri_cli.library``) stands on the public API
(``ifri_cli``, ``document``, ``model``, ``errors``, ``text``); and no module reaches itself again
through its imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ifri_cli"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The ifri modules ``path`` imports anywhere in it: ``from ifri_cli.pdf import engine``
    names the module ``ifri_cli.pdf.engine``, ``from ifri_cli.model import Page`` the module
    ``ifri_cli.model``."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "ifri_cli")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            if base.split(".")[0] != "ifri_cli":
                continue
            for alias in node.names:
                child = f"{base}.{alias.name}"
                found.add(child if child in known else base)
    return {m for m in found if m in known and m != name}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(path, known) for name, path in known.items()}


def test_the_graph_is_read() -> None:
    edges = graph()
    assert "ifri_cli.library.store" in edges["ifri_cli.library.query"]
    assert "ifri_cli.pdf.engine" in edges["ifri_cli.pdf.pool"]
    assert "ifri_cli.library.indexer" in edges["ifri_cli.library"]  # inside a function


def test_nothing_imports_the_cli() -> None:
    outside = {
        name: sorted(m for m in deps if m == "ifri_cli.cli" or m.startswith("ifri_cli.cli."))
        for name, deps in graph().items()
        if not name.startswith("ifri_cli.cli") and name not in ("ifri_cli._entry", "ifri_cli.__main__")
    }
    assert {k: v for k, v in outside.items() if v} == {}


def test_the_library_stands_on_the_public_api() -> None:
    allowed = ("ifri_cli", "ifri_cli.document", "ifri_cli.model", "ifri_cli.errors", "ifri_cli._version")
    wrong = {
        name: sorted(
            m for m in deps if not (m in allowed or m.startswith(("ifri_cli.text.", "ifri_cli.library")))
        )
        for name, deps in graph().items()
        if name.startswith("ifri_cli.library")
    }
    assert {k: v for k, v in wrong.items() if v} == {}


def test_no_import_cycles() -> None:
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    assert cycles == []
