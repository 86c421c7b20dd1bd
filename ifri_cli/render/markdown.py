"""Markdown: a section with its subsections, or the whole document with a YAML title block."""

from __future__ import annotations

import json
from typing import Any

from ifri_cli.model import Document
from ifri_cli.render.base import heading_text


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
