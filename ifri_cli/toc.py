"""The table of contents: the PDF outline, else the printed contents page, else headings."""

from __future__ import annotations

import re

from ifri_cli.model import Document, Toc, TocEntry

SOURCES = ("auto", "outline", "contents", "headings")

_NUMBER = re.compile(
    r"^(?P<num>(?:(?:chapter|chapitre|part|partie|section|annex|appendix|annexe)\s+)?"
    r"(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.|[A-H]\.|[A-H]\)|\d+\)))\s+(?P<title>\S.*)$",
    re.I,
)


def split_number(title: str) -> tuple[str | None, str]:
    """``"3.2 The main fields"`` -> ``("3.2", "The main fields")``."""
    match = _NUMBER.match(title.strip())
    if not match:
        return None, title.strip()
    number = match.group("num").strip().rstrip(".)")
    return number, match.group("title").strip()


def from_outline(doc: Document) -> list[TocEntry]:
    entries = []
    for item in doc.outline:
        number, title = split_number(item.title)
        label = doc.pages[item.pdf_page - 1].label if item.pdf_page else None
        entries.append(TocEntry(title=title, level=item.level, number=number, page=label, pdf_page=item.pdf_page))
    return entries


def build_toc(doc: Document, source: str = "auto") -> Toc:
    if source in ("auto", "outline") and doc.outline:
        entries = from_outline(doc)
        return Toc("outline", tuple(entries), (f"the PDF outline has {len(entries)} entries",))
    if source == "outline":
        return Toc("none", (), ("this document has no PDF outline (bookmarks)",))
    return Toc("none", (), ("no PDF outline; the contents-page parser and heading detection are not built yet",))
