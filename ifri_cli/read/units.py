"""The body text worth summarising, as units under their headings: no abstract, contents,
preamble, references or appendices.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ifri_cli.model import Document, Line, Section
from ifri_cli.read.abstract import (
    _PREAMBLE_FIELD,
    _STOP_ABSTRACT,
    _abstract_section,
    _abstract_span,
    _plain_title,
)
from ifri_cli.read.body import Unit, _assemble, _body_size, _flat_lines, _labels, _typical_length
from ifri_cli.structure.contents import contents_heading_lines, listing_pages
from ifri_cli.structure.titles import is_references_heading


def chapters(doc: Document) -> list[Section]:
    """The top-level body sections; under a lone root (the title as the only outline entry), its children."""
    roots = [s for s in doc.sections if s.kind == "section"]
    while len(roots) == 1 and len(roots[0].children) >= 2:
        roots = [c for c in roots[0].children if c.kind == "section"]
    return roots


def _chapter_titles(doc: Document) -> dict[int, str]:
    out: dict[int, str] = {}
    for top in doc.sections:
        for sec in top.walk():
            out[id(sec)] = top.title
    for chapter in chapters(doc):
        for sec in chapter.walk():
            out[id(sec)] = chapter.title
    return out


def units(doc: Document, section: Section | None = None) -> list[Unit]:
    """The document's body (or one section's) as units, without the abstract."""
    flat = _flat_lines(doc)
    labels = _labels(doc)
    size = _body_size(flat)
    skip = listing_pages(doc)
    typical = _typical_length(flat)
    abstract = _abstract_span(doc, flat)
    drop = (
        set(range(abstract.start if abstract.heading is None else abstract.heading, abstract.end))
        if abstract
        else set()
    )
    if section is None:
        drop |= contents_heading_lines(flat, len(doc.pages)) | _preamble_lines(flat)
    out: list[Unit] = []

    def add(lines: list[tuple[int, Line]], sec: Section | None, top: str | None, weight: float) -> None:
        text, marks = _assemble(lines, labels, size, skip, typical)
        if text.strip():
            out.append(
                Unit(
                    text,
                    sec.title if sec else None,
                    sec.number if sec else None,
                    sec.kind if sec else "section",
                    marks,
                    top,
                    weight,
                )
            )

    roots = [section] if section is not None else list(doc.sections)
    if not any(s.span for root in roots for s in root.walk()):
        if section is not None:
            text = section.full_text()
            return (
                [
                    Unit(
                        text,
                        section.title,
                        section.number,
                        section.kind,
                        ((0, section.page, section.pdf_page),),
                        section.title,
                        1.0,
                    )
                ]
                if text.strip()
                else []
            )
        end = _references_start(flat)
        add([item for i, item in enumerate(flat[:end]) if i not in drop], None, None, 0.0)
        return out
    abstract_section = _abstract_section(doc)
    chapter_of = _chapter_titles(doc)
    outside = _outside_body(doc) if section is None else set()
    # where in out the units after a references list the tree missed start, and if it is past half-way
    references_after: list[tuple[int, bool]] = []
    for root in roots:
        for sec in root.walk():
            if not sec.span:
                continue
            lines = [flat[i] for i in range(*sec.span) if i not in drop and i < len(flat)]
            if section is None and sec is abstract_section and lines:
                # what follows the abstract under its heading is body text whose heading the tree missed
                title = _plain_title(lines[0][1].text)
                if _STOP_ABSTRACT.match(title) and not re.match(r"(?i)introduction\b", title):
                    continue
                heading = replace(sec, title=title if len(title.split()) <= 8 else sec.title, number=None)
                add(lines[1:] if heading.title == title else lines, heading, heading.title, 1.0)
                continue
            if section is None and id(sec) in outside:
                continue
            # a references list the tree does not know of ends the section's text ("Conclusions", then
            # "References" with no bookmark of its own)
            ends = (
                k
                for k, (page, line) in enumerate(lines)
                if k and page not in skip and is_references_heading(line.text)
            )
            # (past the first third: frbny-dsge's come at 43%, before long appendices)
            end = next(ends, None) if sec.kind != "front" and sec.span[1] > len(flat) // 3 else None
            add(lines[:end], sec, chapter_of.get(id(sec), root.title), 0.0 if sec.kind == "front" else 1.0)
            if end is not None:
                references_after.append((len(out), sec.span[1] > len(flat) // 2))
    if section is None and len(references_after) == 1 and references_after[0][1]:
        # one references list for the whole paper, in its second half: what the tree has after it are
        # its appendices (a paper with references after each chapter has several, and keeps its
        # chapters; one list nearer the start may be a chapter's, with more body after it)
        del out[references_after[0][0] :]
    return out


def _preamble_lines(flat: Sequence[tuple[int, Line]]) -> set[int]:
    """A Federal Register preamble: from "AGENCY:", "DATES:"... to "SUPPLEMENTARY INFORMATION:".

    Its fields (deadlines, addresses, contacts) are not the body; a notice with no
    "SUPPLEMENTARY INFORMATION:" within a few hundred lines loses nothing.
    """
    out: set[int] = set()
    start = None
    for i, (_, line) in enumerate(flat):
        text = line.text.strip()
        if start is not None and i - start > 400:
            start = None
        if text.startswith("SUPPLEMENTARY INFORMATION:"):
            if start is not None:
                out.update(range(start, i if text.rstrip(": ") != "SUPPLEMENTARY INFORMATION" else i + 1))
            start = None
        elif start is None and _PREAMBLE_FIELD.match(text):
            start = i
    return out


def _outside_body(doc: Document) -> set[int]:
    """Sections that are not body text: front and back matter, annexes, and everything under them."""
    out: set[int] = set()

    def visit(sec: Section, outside: bool) -> None:
        outside = outside or (sec.kind != "section" and not _is_lead_in(sec, doc))
        if outside:
            out.add(id(sec))
        for child in sec.children:
            visit(child, outside)

    for top in doc.sections:
        visit(top, False)
    # after the paper's one references list come its appendices, however they are numbered
    # ("A Distant Supervision" with no number of its own); several lists: references by chapter
    tops = doc.sections[0].children if len(doc.sections) == 1 else doc.sections
    lists = [i for i, top in enumerate(tops) if top.kind == "references"]
    if len(lists) == 1:
        for top in tops[lists[0] + 1 :]:
            visit(top, True)
    return out


def _is_lead_in(sec: Section, doc: Document) -> bool:
    # text before the first heading is body text when the tree has no real front matter title
    return sec.kind == "front" and sec is doc.sections[0] and sec.title == "Front matter"


def _references_start(flat: Sequence[tuple[int, Line]]) -> int:
    """Where the references start in a document with no sections tree (the end if none)."""
    for i in range(len(flat) - 1, int(len(flat) * 0.3), -1):
        if is_references_heading(flat[i][1].text.strip()):
            return i
    return len(flat)
