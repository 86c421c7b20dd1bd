"""A library: ranked hits across documents, the list of documents, an index run's summary."""

from __future__ import annotations

import os
from typing import Any

from ifri_cli.model import SCHEMA_VERSION
from ifri_cli.text.safe import safe


def display_path(path: str) -> str:
    """Relative to the current folder when the file is under it, else as stored (absolute); a
    file's name is a stranger's text too: its control characters are shown, not sent."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive
        return safe(path)
    return safe(path if relative.startswith(os.pardir) else relative)


def _heading(hit: Any) -> str:
    number = hit.number or hit.position
    return f"{number} {hit.title}" if number else hit.title


def _page(hit: Any) -> str:
    if hit.page:
        return str(hit.page)
    return f"pdf {hit.pdf_page}" if hit.pdf_page else "-"


def _pages(hit: Any) -> str:
    """``p. 27 (pdf 30-32)``: the printed page where the section starts and its pdf pages."""
    pdf = ""
    if hit.pdf_page:
        end = hit.pdf_page_end or hit.pdf_page
        pdf = f"pdf {hit.pdf_page}" + (f"–{end}" if end != hit.pdf_page else "")
    if hit.page:
        return f"p. {hit.page}" + (f" ({pdf})" if pdf else "")
    return pdf


def library_hits_plain(result: Any) -> str:
    """grep-like, one hit a line, best first: ``FILE:PAGE:SECTION: snippet``."""
    return "".join(f"{display_path(h.path)}:{_page(h)}:{_heading(h)}: {h.snippet}\n" for h in result.hits)


def library_hits_rich(result: Any) -> Any:
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    parts: list[Any] = []
    for hit in result.hits:
        if parts:
            parts.append(Text(""))
        head = Text(f"{hit.rank:>2}. ", style="dim")
        head.append(_heading(hit), style="bold cyan")
        head.append(f"  {_pages(hit)}", style="dim")
        parts.append(head)
        where = Text(hit.document or os.path.basename(hit.path), style="italic")
        where.append(f"  {display_path(hit.path)}", style="dim")
        body = [where]
        if hit.snippet:
            snippet = Text(hit.snippet)
            for start, end in hit.highlights:
                snippet.stylize("bold black on yellow", start, end)
            body.append(snippet)
        parts.append(Padding(Group(*body), (0, 0, 0, 4)))  # wrapped lines keep the indent
    return Group(*parts)


def library_search_json(result: Any, db: str) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "library": db, **result.to_dict()}


def library_section_json(found: Any, db: str) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "library": db,
        "document": {"path": found.hit.path, "title": found.hit.document},
        "sections": [found.to_dict()],
    }


def library_section_where(found: Any) -> str:
    """Which document and pages a section printed from a library comes from (for stderr)."""
    hit = found.hit
    title = f"{hit.document}, " if hit.document else ""
    return f"{_heading(hit)} — {title}{display_path(hit.path)}, {_pages(hit)}"


def library_section_rich(found: Any) -> Any:
    from rich.console import Group
    from rich.rule import Rule
    from rich.text import Text

    hit = found.hit
    source = Text(hit.document or "", style="italic")
    source.append(f"  {display_path(hit.path)}  {_pages(hit)}", style="dim")
    parts: list[Any] = [Rule(Text(_heading(hit), style="bold"), style="cyan"), source, Text("")]
    for paragraph in found.text.split("\n\n"):
        if paragraph.strip():
            parts.extend((Text(paragraph), Text("")))
    return Group(*parts)


def _authors(doc: Any) -> str:
    return "; ".join(doc.authors)


def library_documents_plain(documents: list[Any]) -> str:
    """One document a line: ``PATH<TAB>TITLE<TAB>AUTHORS<TAB>DATE<TAB>PAGES<TAB>SECTIONS``."""
    return "".join(
        "\t".join(
            (
                display_path(d.path),
                _one_line(d.title or ""),
                _one_line(_authors(d)),
                _one_line(d.date or ""),
                str(d.pages if d.pages is not None else ""),
                str(d.sections),
            )
        )
        + "\n"
        for d in documents
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def library_documents_rich(documents: list[Any]) -> Any:
    from rich.table import Table
    from rich.text import Text

    # one line a document, the full width: long titles and paths are cut short on a terminal,
    # the pipe output has them whole
    table = Table(box=None, header_style="bold", pad_edge=False, expand=True)
    table.add_column("Title", overflow="ellipsis", no_wrap=True, ratio=4)
    table.add_column("Authors", overflow="ellipsis", no_wrap=True, ratio=2)
    table.add_column("Date", overflow="ellipsis", no_wrap=True, width=10)
    table.add_column("Pages", justify="right", no_wrap=True, width=5)
    table.add_column("Sections", justify="right", no_wrap=True, width=8)
    table.add_column("File", overflow="ellipsis", no_wrap=True, ratio=3)
    for d in documents:
        table.add_row(
            Text(d.title or "", style="bold"),
            Text(_authors(d)),
            Text(d.date or ""),
            str(d.pages if d.pages is not None else ""),
            str(d.sections),
            Text(display_path(d.path), style="dim"),
        )
    return table


def library_documents_json(
    documents: list[Any], db: str, failures: list[tuple[str, str, str]]
) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "library": db,
        "count": len(documents),
        "documents": [d.to_dict() for d in documents],
        "failures": [{"path": p, "kind": k, "reason": r} for p, k, r in failures],
    }


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.0f} kB"


def index_summary_plain(report: Any) -> str:
    """One line: what the run did, then what the library holds."""
    files = report.added + report.updated + report.unchanged + len(report.failed)
    parts = [
        f"{report.added} added",
        f"{report.updated} updated",
        f"{report.unchanged} unchanged",
        f"{len(report.failed)} failed",
    ]
    if report.removed:
        parts.append(f"{report.removed} removed")
    return (
        f"{files} file{'s' if files != 1 else ''}: {', '.join(parts)}; "
        f"library: {report.documents:,} documents, {report.sections:,} sections, {_size(report.bytes)}"
        f" ({report.seconds:.1f} s, {display_path(report.db)})\n"
    )


def index_json(report: Any) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, **report.to_dict()}
