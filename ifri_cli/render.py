"""Model -> output. Rich renderables for a terminal, plain stable text for a pipe, JSON.

Document text is never Rich markup: it goes through ``Text(...)`` so a PDF that
contains ``[bold]`` prints unchanged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ifri_cli.model import SCHEMA_VERSION, Document, Page, Toc


@dataclass(frozen=True)
class OutputConfig:
    is_terminal: bool
    color: bool = True
    width: int = 100


def to_json(data: dict[str, Any]) -> str:
    if "schema_version" not in data:
        data = {"schema_version": SCHEMA_VERSION, **data}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- toc ---------------------------------------------------------------------------


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
    root_label.append(f"  ({_source_name(toc.source)}, {len(toc.entries)} entries)", style="dim")
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
            if entry.pdf_page is not None and entry.page != str(entry.pdf_page):
                label.append(f" (pdf {entry.pdf_page})", style="dim")
        elif entry.pdf_page is not None:
            label.append(f"  pdf p. {entry.pdf_page}", style="dim")
        node = parent.add(label)
        stack.append((entry.level, node))
    return root


def _source_name(source: str) -> str:
    return {
        "outline": "from the PDF outline",
        "contents": "from the printed contents page",
        "headings": "from headings in the text",
        "none": "no structure found",
    }.get(source, source)


def explain_plain(toc: Toc) -> str:
    lines = [f"source: {toc.source} ({_source_name(toc.source)})"]
    lines += [f"- {reason}" for reason in toc.explain]
    return "\n".join(lines) + "\n"


# --- info --------------------------------------------------------------------------


def info_dict(doc: Document) -> dict[str, Any]:
    words = word_count(doc)
    toc = doc.toc
    return {
        "schema_version": SCHEMA_VERSION,
        "document": doc.summary_dict(),
        "kind": doc.kind,
        "metadata": doc.metadata.to_dict(),
        "pages": doc.page_count,
        "words": words,
        "reading_minutes": max(1, round(words / 230)) if words else 0,
        "page_labels": "pdf"
        if doc.has_page_labels
        else ("printed" if any(p.label for p in doc.pages) else None),
        "outline_entries": len(doc.outline),
        "contents_page": bool(toc and toc.source == "contents") or bool(doc.extra.get("contents_pages")),
        "contents_pages": list(doc.extra.get("contents_pages", [])),
        "toc_source": toc.source if toc else None,
        "toc_entries": len(toc.entries) if toc else 0,
        "warnings": list(doc.warnings),
        "abstract": _abstract_info(doc),
    }


def _abstract_info(doc: Document) -> dict[str, Any] | None:
    """Where the authors' own abstract or executive summary is (``ifri summary --abstract`` prints it)."""
    from ifri_cli.read.abstract import find_abstract

    found = find_abstract(doc)
    if found is None:
        return None
    return {
        "title": found.title,
        "page": found.page,
        "pdf_page": found.pdf_page,
        "words": len(found.text.split()),
    }


def word_count(doc: Document) -> int:
    pages = doc.clean_pages or doc.pages
    return sum(len(line.text.split()) for page in pages for line in page.lines)


_INFO_FIELDS = (
    ("title", "Title"),
    ("authors", "Authors"),
    ("date", "Date"),
    ("series", "Series"),
    ("publisher", "Publisher"),
    ("isbn", "ISBN"),
    ("doi", "DOI"),
    ("language", "Language"),
)


def _info_rows(data: dict[str, Any]) -> list[tuple[str, str]]:
    meta = data["metadata"]
    rows = [("File", data["document"]["path"] or "<stdin>"), ("Kind", data["kind"].upper())]
    for key, name in _INFO_FIELDS:
        value = meta.get(key)
        if value:
            rows.append((name, ", ".join(value) if isinstance(value, list) else str(value)))
    rows.append(("Pages", str(data["pages"])))
    rows.append(("Words", f"{data['words']:,}"))
    rows.append(("Reading time", f"about {data['reading_minutes']} min"))
    rows.append(
        (
            "Page labels",
            {"pdf": "from the PDF (/PageLabels)", "printed": "read from printed page numbers"}.get(
                data["page_labels"] or "", "none found"
            ),
        )
    )
    rows.append(("Outline", f"{data['outline_entries']} bookmarks" if data["outline_entries"] else "none"))
    from ifri_cli.structure.contents import page_span  # (info has imported it already, for the abstract)

    listing = data["contents_pages"]
    page = "pdf page" if data["kind"] == "pdf" else "page"
    where = f"{page}{'s' * (len(listing) > 1)} {page_span(listing)}" if listing else "found"
    rows.append(("Contents page", where if data["contents_page"] else "not found"))
    rows.append(("Structure", f"{data['toc_entries']} entries, {_source_name(data['toc_source'] or 'none')}"))
    abstract = data["abstract"]
    if abstract:
        where = f"p. {abstract['page']}" if abstract["page"] else f"{page} {abstract['pdf_page']}"
        words = f"{abstract['words']:,} words"
        rows.append(("Abstract", f"{abstract['title']}, {where}, {words} (summary --abstract)"))
    else:
        rows.append(("Abstract", "not found"))
    for warning in data["warnings"]:
        rows.append(("Warning", warning))
    return rows


def info_plain(data: dict[str, Any]) -> str:
    return "".join(f"{key}: {value}\n" for key, value in _info_rows(data))


def info_rich(data: dict[str, Any]) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for key, value in _info_rows(data):
        table.add_row(key, Text(value))
    return table


# --- text --------------------------------------------------------------------------


def pages_for_text(doc: Document, raw: bool) -> list[tuple[str, str]]:
    """(header, text) for each page: the cleaned text reflowed into paragraphs, or the lines as extracted.

    A paragraph that runs on over a page break is printed whole on the page where it
    starts; the page's footnotes follow its text as ``[marker] text``.
    """
    if raw or not doc.clean_pages:
        return [(_page_header(page), page.text) for page in doc.pages]
    from ifri_cli.text.paragraphs import page_paragraphs

    by_page: dict[int, list[str]] = {}
    for para in page_paragraphs(doc.clean_pages):
        by_page.setdefault(para.page, []).append(para.text)
    for note in doc.footnotes:
        by_page.setdefault(note.pdf_page, []).append(f"[{note.marker}] {note.text}")
    return [(_page_header(page), "\n\n".join(by_page.get(page.number, []))) for page in doc.clean_pages]


def _page_header(page: Page) -> str:
    label = f"page {page.label}" if page.label else "unnumbered"
    return f"PDF page {page.number} ({label})"


def text_plain(pages: list[tuple[str, str]]) -> str:
    # pages end with a form feed, as pdftotext writes them: `split -p` and `csplit` know it
    return "".join(text + "\n\f" for _, text in pages)


def text_rich(pages: list[tuple[str, str]]) -> Any:
    from rich.console import Group
    from rich.rule import Rule
    from rich.text import Text

    parts: list[Any] = []
    for header, text in pages:
        parts.append(Rule(Text(header, style="dim"), style="dim"))
        parts.append(Text(text))
    return Group(*parts)


def json_dict(doc: Document, payload: dict[str, Any]) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "document": doc.summary_dict(), **payload}


# --- sections and export -------------------------------------------------------------


def heading_text(section: Any) -> str:
    return f"{section.number} {section.title}" if section.number else section.title


def page_range(doc: Document, section: Any) -> str:
    """``pp. 4–7`` from printed labels where known, else physical pages."""

    def label(pdf_page: int) -> str:
        page = doc.pages[pdf_page - 1] if 0 < pdf_page <= doc.page_count else None
        return page.label if page and page.label else f"pdf {pdf_page}"

    if not section.pdf_page:
        return f"p. {section.page}" if section.page else ""
    end = section.pdf_page_end or section.pdf_page
    if end != section.pdf_page:
        return f"pp. {label(section.pdf_page)}–{label(end)}"
    return f"p. {label(section.pdf_page)}"


def notes_plain(notes: Any) -> str:
    return "\n".join(f"[{n.marker}] {n.text}" for n in notes)


def section_plain(body: str, notes: Any = ()) -> str:
    out = body.strip() + "\n" if body.strip() else ""
    if notes:
        out += "\nNotes\n\n" + notes_plain(notes) + "\n"
    return out


def section_rich(section: Any, body: str, pages: str, notes: Any = ()) -> Any:
    from rich.console import Group
    from rich.rule import Rule
    from rich.text import Text

    title = Text(heading_text(section), style="bold")
    parts: list[Any] = [Rule(title, style="cyan"), Text(pages, style="dim", justify="right")]
    for paragraph in body.split("\n\n"):
        if paragraph.strip():
            parts.extend((Text(paragraph), Text("")))
    if notes:
        parts.append(Rule(Text("Notes", style="dim"), style="dim"))
        for note in notes:
            line = Text(f"[{note.marker}] ", style="dim")
            line.append(note.text)
            parts.append(line)
    return Group(*parts)


def section_markdown(section: Any, body_sections: list[tuple[int, str, str]], notes: Any = ()) -> str:
    """``body_sections``: (level, heading, text) for the section and each subsection."""
    out = []
    base = body_sections[0][0] if body_sections else 1
    for level, heading, text in body_sections:
        out.append("#" * max(1, min(6, level - base + 1)) + " " + heading)
        if text.strip():
            out.append(text.strip())
    if notes:
        out.append("**Notes**")
        out.append("\n".join(f"[^{n.marker}]: {n.text}" for n in notes))
    return "\n\n".join(out) + "\n"


def section_json(doc: Document, sections: list[Any], texts: list[str]) -> dict[str, Any]:
    items = []
    for section, body in zip(sections, texts, strict=True):
        data = section.to_dict()
        data["text"] = body
        items.append(data)
    return json_dict(doc, {"sections": items})


def export_dict(doc: Document, flat: list[Any]) -> dict[str, Any]:
    data = json_dict(doc, {})
    data["metadata"] = doc.metadata.to_dict()
    data["source"] = doc.toc.source if doc.toc else "none"
    data["sections"] = [s.to_dict() for s in flat]
    data["footnotes"] = [n.to_dict() for n in doc.footnotes]
    return data


def export_markdown(doc: Document, flat: list[Any]) -> str:
    meta = doc.metadata
    out = []
    if meta.title:
        out.append(f"---\ntitle: {json.dumps(meta.title, ensure_ascii=False)}")
        if meta.authors:
            out.append("author: " + json.dumps(list(meta.authors), ensure_ascii=False))
        if meta.date:
            out.append(f"date: {json.dumps(meta.date, ensure_ascii=False)}")
        out.append("---")
    for section in flat:
        if section.kind == "front":
            if section.text.strip():
                out.append(section.text.strip())
            continue
        out.append("#" * max(1, min(6, section.level)) + " " + heading_text(section))
        if section.text.strip():
            out.append(section.text.strip())
        if section.notes:
            out.append("\n".join(f"[^{n.marker}-p{n.pdf_page}]: {n.text}" for n in section.notes))
    return "\n\n".join(out) + "\n"


# --- search --------------------------------------------------------------------------


def _hit_page(hit: Any) -> str:
    return hit.page if hit.page is not None else str(hit.pdf_page)


def _hit_section(hit: Any) -> str:
    head = f"{hit.number} {hit.section}" if hit.number else (hit.section or "")
    return head + (" (note)" if hit.where == "note" else "")


def search_plain(hits: list[Any]) -> str:
    """grep-like and stable: ``FILE:PAGE:NUMBER TITLE: snippet``, one hit a line."""
    return "".join(
        f"{hit.file}:{_hit_page(hit)}:{_hit_section(hit)}: {' '.join(hit.text.split())}\n" for hit in hits
    )


def search_count_plain(rows: list[tuple[str, str | None, str | None, int]]) -> str:
    return "".join(
        f"{file}:{(number + ' ') if number else ''}{title or ''}:{count}\n"
        for file, number, title, count in rows
    )


def search_rich(hits: list[Any], several_files: bool) -> Any:
    from rich.console import Group
    from rich.text import Text

    parts: list[Any] = []
    current: tuple[str, str] | None = None
    for hit in hits:
        key = (hit.file, _hit_section(hit))
        if key != current:
            if current is not None:
                parts.append(Text(""))
            header = Text(_hit_section(hit) or "(no section)", style="bold cyan")
            if several_files:
                header.append(f"  {hit.file}", style="dim")
            parts.append(header)
            current = key
        line = Text()
        line.append(f"  p. {_hit_page(hit):>4}  ", style="dim")
        snippet = Text(hit.text)
        snippet.stylize("bold black on yellow", hit.start, hit.end)
        line.append_text(snippet)
        parts.append(line)
    return Group(*parts)


def search_json(pattern: str, hits: list[Any], files: list[str]) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "pattern": pattern,
        "files": files,
        "count": len(hits),
        "hits": [h.to_dict() for h in hits],
    }


# --- summary -------------------------------------------------------------------------


def _where(sentence: Any) -> str:
    """``3.2 Oil and debt, p. 14``: where a summary sentence comes from."""
    head = " ".join(filter(None, (sentence.number, sentence.section)))
    return ", ".join(filter(None, (head, _page_of(sentence))))


def _page_of(item: Any) -> str:
    if item.page:
        return f"p. {item.page}"
    return f"pdf p. {item.pdf_page}" if item.pdf_page else ""


def summary_plain(sentences: list[Any], lines: bool = False) -> str:
    """A plain paragraph (or one sentence a line), for pipes."""
    if not sentences:
        return ""
    if lines:
        return "".join(s.text + "\n" for s in sentences)
    return " ".join(s.text for s in sentences) + "\n"


def summary_rich(sentences: list[Any]) -> Any:
    from rich.console import Group
    from rich.text import Text

    parts: list[Any] = []
    for i, sentence in enumerate(sentences):
        if i:
            parts.append(Text(""))
        parts.append(Text(sentence.text))
        where = _where(sentence)
        if where:
            parts.append(Text(f"  — {where}", style="dim"))
    return Group(*parts)


def summary_json(doc: Document, sentences: list[Any], section: Any = None) -> dict[str, Any]:
    payload: dict[str, Any] = {"sentences": [s.to_dict() for s in sentences]}
    if section is not None:
        where = {"number": section.number, "title": section.title, "page": section.page}
        payload = {"section": where, **payload}
    return json_dict(doc, payload)


def by_section_plain(groups: list[Any], lines: bool = False) -> str:
    """Each top-level section's title, then its sentences; a blank line between sections."""
    blocks = []
    for group in groups:
        head = " ".join(filter(None, (group.number, group.title)))
        body = summary_plain(list(group.sentences), lines).rstrip("\n")
        blocks.append(head + ("\n" + body if body else ""))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def by_section_rich(groups: list[Any]) -> Any:
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    parts: list[Any] = []
    for i, group in enumerate(groups):
        if i:
            parts.append(Text(""))
        head = Text()
        if group.number:
            head.append(group.number + " ", style="cyan")
        head.append(group.title, style="bold")
        if group.page:
            head.append(f"  p. {group.page}", style="dim")
        parts.append(head)
        for sentence in group.sentences:
            line = Text(sentence.text)
            if sentence.page and sentence.page != group.page:
                line.append(f"  (p. {sentence.page})", style="dim")
            parts.append(Padding(line, (0, 0, 0, 2)))
        if not group.sentences:
            parts.append(Padding(Text("(nothing to quote)", style="dim"), (0, 0, 0, 2)))
    return Group(*parts)


def by_section_json(doc: Document, groups: list[Any]) -> dict[str, Any]:
    return json_dict(doc, {"sections": [g.to_dict() for g in groups]})


def abstract_plain(abstract: Any) -> str:
    return abstract.text.rstrip("\n") + "\n"


def abstract_rich(abstract: Any) -> Any:
    from rich.console import Group
    from rich.text import Text

    head = Text(abstract.title, style="bold")
    page = _page_of(abstract)
    head.append(f"  (the authors' own{', ' + page if page else ''})", style="dim")
    paragraphs = [Text(p) for p in abstract.text.split("\n\n")]
    parts: list[Any] = [head]
    for paragraph in paragraphs:
        parts.extend([Text(""), paragraph])
    return Group(*parts)


def abstract_json(doc: Document, abstract: Any) -> dict[str, Any]:
    return json_dict(doc, {"abstract": abstract.to_dict() if abstract else None})


def keywords_plain(words: list[str]) -> str:
    return "".join(w + "\n" for w in words)


def keywords_rich(words: list[str]) -> Any:
    from rich.text import Text

    out = Text()
    for i, word in enumerate(words):
        if i:
            out.append(" · ", style="dim")
        out.append(word, style="bold")
    return out


def keywords_json(doc: Document, words: list[str]) -> dict[str, Any]:
    return json_dict(doc, {"keywords": words})
