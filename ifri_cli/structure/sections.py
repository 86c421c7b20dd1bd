"""Cut the body into sections at the located headings, build the tree, resolve queries.

A section's own text runs from its heading to the next located heading of any
level; its subsections are its children, so ``Section.full_text()`` gives the
whole span. Text before the first heading is front matter. An entry whose
heading cannot be found keeps ``found=False`` and no text, rather than
swallowing its neighbours.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ifri_cli.model import Document, Footnote, Line, Section, TocEntry
from ifri_cli.structure.locate import locate_entries
from ifri_cli.structure.titles import kind_of
from ifri_cli.text.paragraphs import join_paragraphs, paragraph_starts


@dataclass
class _Node:
    entry: TocEntry
    start: int | None  # index into the flat line list where the section's text starts
    heading_at: int | None
    end: int = 0
    children: list[_Node] = field(default_factory=list)


class _LineIndex:
    """Where line ``i`` of page ``n`` is in the flat line list: ``index[(n, i)]``, ``index.get((n, i))``.

    Kept as each page's first position rather than as a dict of every line (a text file of
    50 MB has 600,000 lines: a dict of them took 80 MB).
    """

    def __init__(self) -> None:
        self.starts: dict[int, tuple[int, int]] = {}  # page number -> (first position, line count)

    def get(self, key: tuple[int, int], default: int | None = None) -> int | None:
        found = self.starts.get(key[0])
        if found is None or not 0 <= key[1] < found[1]:
            return default
        return found[0] + key[1]

    def __getitem__(self, key: tuple[int, int]) -> int:
        at = self.get(key)
        if at is None:
            raise KeyError(key)
        return at


def _flat_lines(doc: Document) -> tuple[list[tuple[int, Line]], _LineIndex]:
    flat: list[tuple[int, Line]] = []
    index = _LineIndex()
    for page in doc.body:
        index.starts[page.number] = (len(flat), len(page.lines))
        flat.extend((page.number, line) for line in page.lines)
    return flat, index


def build_sections(doc: Document) -> tuple[Section, ...]:
    entries = list(doc.toc.entries) if doc.toc else []
    flat, index = _flat_lines(doc)
    locations = locate_entries(doc, entries) if entries else []
    nodes: list[_Node] = []
    for entry, loc in zip(entries, locations, strict=True):
        if loc is None:
            nodes.append(_Node(entry, None, None))
        else:
            at = index[(loc.pdf_page, loc.line)]
            nodes.append(_Node(entry, at + loc.lines, at))
    starts = sorted(n.heading_at for n in nodes if n.heading_at is not None)
    for node in nodes:
        if node.start is not None:
            following = [s for s in starts if s > (node.heading_at or 0)]
            node.end = following[0] if following else len(flat)
    first = starts[0] if starts else len(flat)
    sections: list[Section] = []
    if first > 0:
        sections.append(_make_front(doc, flat[:first], index))
    sections.extend(_tree(doc, nodes, flat, index))
    return tuple(sections)


def _make_front(doc: Document, lines: list[tuple[int, Line]], index: _LineIndex) -> Section:
    first_page, last_page = lines[0][0], lines[-1][0]
    return Section(
        title="Front matter",
        level=1,
        number=None,
        page=doc.pages[first_page - 1].label,
        pdf_page=first_page,
        pdf_page_end=last_page,
        text=_text(doc, lines, 0, len(lines)),
        notes=_notes(doc, first_page, last_page, (0, len(lines)), index),
        kind="front",
        span=(0, len(lines)),
    )


def _tree(
    doc: Document, nodes: list[_Node], flat: list[tuple[int, Line]], index: _LineIndex
) -> list[Section]:
    roots: list[_Node] = []
    stack: list[_Node] = []
    for node in nodes:
        while stack and stack[-1].entry.level >= node.entry.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return _siblings(doc, roots, flat, index)


def _siblings(
    doc: Document, nodes: list[_Node], flat: list[tuple[int, Line]], index: _LineIndex
) -> list[Section]:
    """Sections of one level; "Appendix B", or "A" after numbered chapters (1, 2, 3), are annexes."""
    out: list[Section] = []
    numbered = False
    for node in nodes:
        entry = node.entry
        kind = entry.kind if entry.kind != "section" else kind_of(entry.title)
        number = entry.number or ""
        if kind == "section" and (kind_of(number) == "annex" or (numbered and re.fullmatch("[A-Z]", number))):
            kind = "annex"
        numbered = numbered or number[:1].isdigit()
        out.append(_section(doc, node, kind, flat, index))
    return out


def _span_end(node: _Node) -> int:
    ends = [node.end] + [_span_end(child) for child in node.children]
    return max(ends)


def _section(
    doc: Document, node: _Node, kind: str, flat: list[tuple[int, Line]], index: _LineIndex
) -> Section:
    entry = node.entry
    children = tuple(_siblings(doc, node.children, flat, index))
    if node.start is None:
        return Section(
            title=entry.title,
            level=entry.level,
            number=entry.number,
            page=entry.page,
            pdf_page=entry.pdf_page,
            pdf_page_end=None,
            text="",
            children=children,
            kind=kind,
            found=False,
        )
    assert node.heading_at is not None
    end_index = max(_span_end(node), node.start) - 1
    heading_page = flat[node.heading_at][0]
    end_page = (
        flat[end_index][0] if 0 <= end_index < len(flat) and end_index >= node.heading_at else heading_page
    )
    return Section(
        title=entry.title,
        level=entry.level,
        number=entry.number,
        page=doc.pages[heading_page - 1].label or entry.page,
        pdf_page=heading_page,
        pdf_page_end=end_page,
        text=_text(doc, flat, node.start, node.end),
        notes=_notes(
            doc,
            heading_page,
            flat[node.end - 1][0] if node.end > node.start else heading_page,
            (node.heading_at, node.end),
            index,
        ),
        children=children,
        kind=kind,
        span=(node.start, node.end),
    )


def raw_text(doc: Document, section: Section, subsections: bool = True) -> str:
    """The section's lines as they are on the page, without reflowing paragraphs."""
    flat, _ = _flat_lines(doc)
    spans = [s.span for s in (section.walk() if subsections else [section]) if s.span]
    if not spans:
        return ""
    start, end = min(a for a, _ in spans), max(b for _, b in spans)
    return "\n".join(line.text for _, line in flat[start:end])


def _text(doc: Document, flat: Sequence[tuple[int, Line]], start: int, end: int) -> str:
    """Lines ``start``..``end`` of the body in paragraphs: the paragraphs of the whole text
    (``ifri text``), cut where the section starts."""
    if end <= start:
        return ""
    pages = doc.body
    starts = doc.derived("paragraphs.starts", pages, lambda: paragraph_starts(pages))
    return "\n\n".join(join_paragraphs([line for _, line in flat[start:end]], starts[start:end]))


def _notes(
    doc: Document, first_page: int, last_page: int, lines: tuple[int, int], index: _LineIndex
) -> tuple[Footnote, ...]:
    """The notes whose marker is in the section's ``lines`` (a range of body lines, its heading
    included); a note whose marker was not seen goes by the pages the section's own text is on."""

    def here(note: Footnote) -> bool:
        at = index.get((note.pdf_page, note.line)) if note.line is not None else None
        if at is None:
            return first_page <= note.pdf_page <= last_page
        return lines[0] <= at < lines[1]

    return tuple(n for n in doc.footnotes if here(n))


def all_sections(doc: Document) -> list[Section]:
    out: list[Section] = []
    for section in doc.sections:
        out.extend(section.walk())
    return out


def with_sections(doc: Document) -> Document:
    return replace(doc, sections=build_sections(doc))
