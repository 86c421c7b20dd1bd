"""What ``ifri info`` tells about a document: metadata, size, reading time, where its structure
and its abstract come from."""

from __future__ import annotations

from typing import Any

from ifri_cli.model import SCHEMA_VERSION, Document
from ifri_cli.read.abstract import find_abstract

WORDS_A_MINUTE = 230


def word_count(doc: Document) -> int:
    return sum(len(line.text.split()) for page in doc.body for line in page.lines)


def describe(doc: Document) -> dict[str, Any]:
    """The ``ifri info --json`` document."""
    words = word_count(doc)
    toc = doc.toc
    return {
        "schema_version": SCHEMA_VERSION,
        "document": doc.summary_dict(),
        "kind": doc.kind,
        "engine": doc.engine,  # the PDF engine that read it (pdfminer, pdfium); null for a text file
        "metadata": doc.metadata.to_dict(),
        "pages": doc.page_count,
        "words": words,
        "reading_minutes": max(1, round(words / WORDS_A_MINUTE)) if words else 0,
        "page_labels": "pdf"
        if doc.has_page_labels
        else ("printed" if any(p.label for p in doc.pages) else None),
        # what the contents page's printed numbers were mapped through when it gave the structure:
        # "page labels", "printed numbers" (read on the pages) or "offset from headings"; else null
        "page_mapping": doc.extra.get("page_mapping"),
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
    found = find_abstract(doc)
    if found is None:
        return None
    return {
        "title": found.title,
        "page": found.page,
        "pdf_page": found.pdf_page,
        "words": len(found.text.split()),
    }
