"""Rendering: model -> output. Rich renderables for a terminal, plain stable text for a pipe, JSON, Markdown.

Document text is never Rich markup: it goes through ``Text(...)`` so a PDF that contains
``[bold]`` prints unchanged. Renderers only format what the library computed; each command's
renderers are in a module of their own, and all are named here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ifri_cli.model import SCHEMA_VERSION, Document


@dataclass(frozen=True)
class OutputConfig:
    is_terminal: bool
    color: bool = True
    width: int = 100


def to_json(data: dict[str, Any]) -> str:
    if "schema_version" not in data:
        data = {"schema_version": SCHEMA_VERSION, **data}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def json_dict(doc: Document, payload: dict[str, Any]) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "document": doc.summary_dict(), **payload}


def source_name(source: str) -> str:
    return {
        "outline": "from the PDF outline",
        "contents": "from the printed contents page",
        "headings": "from headings in the text",
        "none": "no structure found",
    }.get(source, source)


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


def page_of(item: Any) -> str:
    if item.page:
        return f"p. {item.page}"
    return f"pdf p. {item.pdf_page}" if item.pdf_page else ""
