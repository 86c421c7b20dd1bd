"""The table of contents: a tree on a terminal, an indented list in a pipe, JSON."""

from __future__ import annotations

from typing import Any

from ifri_cli.model import SCHEMA_VERSION, Document, Toc
from ifri_cli.render.base import source_name


def toc_dict(doc: Document, toc: Toc, explain: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "document": doc.summary_dict(),
        "source": toc.source,
        "entries": [e.to_dict() for e in toc.entries],
    }
    if explain:
        data["explain"] = list(toc.explain)
    return data


def toc_plain(toc: Toc) -> str:
    lines = []
    for entry in toc.entries:
        head = f"{entry.number} {entry.title}" if entry.number else entry.title
        line = "  " * (entry.level - 1) + head
        if entry.page is not None or entry.pdf_page is not None:
            line += "\t" + (entry.page if entry.page is not None else f"pdf {entry.pdf_page}")
        lines.append(line)
    return "\n".join(lines) + ("\n" if lines else "")


def toc_rich(doc: Document, toc: Toc) -> Any:
    from rich.text import Text
    from rich.tree import Tree

    root_label = Text(doc.metadata.title or doc.name, style="bold")
    root_label.append(f"  ({source_name(toc.source)}, {len(toc.entries)} entries)", style="dim")
    root = Tree(root_label, guide_style="dim")
    stack: list[tuple[int, Tree]] = [(0, root)]
    for entry in toc.entries:
        while stack and stack[-1][0] >= entry.level:
            stack.pop()
        parent = stack[-1][1] if stack else root
        label = Text()
        if entry.number:
            label.append(entry.number + " ", style="cyan")
        label.append(entry.title, style="bold" if entry.level == 1 else "")
        if entry.page is not None:
            label.append(f"  p. {entry.page}", style="dim")
            # where to go in a PDF viewer, when the printed number does not say it
            if entry.pdf_page is None:
                label.append(" (not in this document)", style="dim")
            elif entry.page != str(entry.pdf_page):
                label.append(f" (pdf {entry.pdf_page})", style="dim")
        elif entry.pdf_page is not None:
            label.append(f"  pdf p. {entry.pdf_page}", style="dim")
        node = parent.add(label)
        stack.append((entry.level, node))
    return root


def explain_plain(toc: Toc) -> str:
    lines = [f"source: {toc.source} ({source_name(toc.source)})"]
    lines += [f"- {reason}" for reason in toc.explain]
    return "\n".join(lines) + "\n"
