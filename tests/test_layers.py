"""The package's layers point one way: no import cycle, not even through an import made inside a
function, and no layer imports one above it (``ifri_cli/__init__.py`` and STYLE.md say which)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ifri_cli"

# lowest first; a module may import its own layer and those below
LAYERS = [
    {"_version", "errors", "model"},
    {"pdf"},
    {"text"},
    {"ingest"},
    {"structure"},
    {"read"},
    {"render"},
    {"cache", "document", "__init__"},
    {"library"},
    {"cli", "_entry", "__main__"},
]
# narrower than their place in the list: renderers format what the library computed (and may
# make a string safe to print: a file's name is shown as it is on disk), and a collection of
# documents (library/) stands on the public API, never on the pipeline's stages
ALLOWED = {
    "render": {"_version", "errors", "model", "render", "text.safe"},
    # (and pdf.pool's rule of when worker processes may be forked, and how many)
    "library": {"_version", "errors", "model", "text", "document", "__init__", "library", "pdf.pool"},
}


def modules() -> dict[str, Path]:
    """Dotted names relative to the package ("pdf.engine", "__init__") -> files."""
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(parts[:-1]) if parts[-1] == "__init__" and len(parts) > 1 else ".".join(parts)
        out[name] = path
    return out


def _type_checking(node: ast.If) -> bool:
    return "TYPE_CHECKING" in ast.unparse(node.test)


def imports(path: Path, known: set[str]) -> set[str]:
    """The ifri modules a file imports when it runs, wherever the import stands (a function body
    too), except under ``if TYPE_CHECKING:``."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "ifri_cli" or node.module.startswith("ifri_cli."):
                base = node.module[len("ifri_cli") :].lstrip(".")
                for alias in node.names:
                    child = f"{base}.{alias.name}" if base else alias.name
                    found.add(child if child in known else (base or "__init__"))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("ifri_cli."):
                    found.add(alias.name[len("ifri_cli.") :])
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports(path, known) - {name} for name, path in mods.items()}


def test_no_import_cycle() -> None:
    edges = graph()
    state: dict[str, int] = {}  # 1 on the path, 2 done
    path: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                cycles.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target)
        path.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def _layer(module: str) -> int:
    top = module.split(".")[0]
    return next(i for i, layer in enumerate(LAYERS) if top in layer)


def test_imports_point_down_the_layers() -> None:
    wrong = []
    for module, targets in graph().items():
        top = module.split(".")[0]
        for target in targets:
            target_top = target.split(".")[0]
            allowed = ALLOWED.get(top)
            named = allowed is not None and (target_top in allowed or target in allowed)
            if (allowed is not None and not named) or _layer(target) > _layer(module):
                wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(sorted(wrong))


def test_nothing_imports_the_cli() -> None:
    users = {m for m, targets in graph().items() if any(t.split(".")[0] == "cli" for t in targets)}
    assert users <= {"_entry", "__main__"} | {m for m in users if m.startswith("cli")}


def test_the_checker_sees_cycles_and_imports_inside_functions(tmp_path: Path) -> None:
    source = "def f():\n    from ifri_cli.structure import toc\n"
    assert imports(_write(tmp_path / "a.py", source), {"structure.toc", "structure"}) == {"structure.toc"}
    hidden = "if TYPE_CHECKING:\n    from ifri_cli.read import search\n"
    assert imports(_write(tmp_path / "b.py", hidden), {"read.search"}) == set()
    assert imports(_write(tmp_path / "c.py", "from ifri_cli import open_document\n"), set()) == {"__init__"}


def test_the_graph_is_read() -> None:
    edges = graph()
    assert "library.store" in edges["library.query"]
    assert "pdf.engine" in edges["pdf.pool"]
    assert "library.indexer" in edges["library"]  # inside a function


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
