"""Addressing: the section a user means by words of its title, a number (``3.2``), a tree
position or a page (``p27``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher, get_close_matches

from ifri_cli.errors import Ambiguous, SectionNotFound, SectionNotInDocument, UsageError
from ifri_cli.model import Document, Section
from ifri_cli.structure.sections import all_sections
from ifri_cli.text.fold import fold


def positions(doc: Document) -> dict[int, str]:
    """The tree position of each body section ("3.2"), keyed by id(section)."""
    out: dict[int, str] = {}

    def visit(sections: Sequence[Section], prefix: str) -> None:
        count = 0
        for section in sections:
            if section.kind == "front" and not prefix:
                continue
            count += 1
            here = f"{prefix}{count}"
            out[id(section)] = here
            visit(section.children, here + ".")

    visit(doc.sections, "")
    return out


def describe(section: Section) -> str:
    head = f"{section.number} {section.title}" if section.number else section.title
    page = (
        f"p. {section.page}" if section.page else (f"pdf p. {section.pdf_page}" if section.pdf_page else "")
    )
    return f"{head}  ({page})" if page else head


_PAGE_QUERY = re.compile(r"^(?:p\.?\s*|page\s+)(\w+)$", re.I)


_NUMBER_QUERY = re.compile(r"^(?:\d+(?:\.\d+)*|[IVXLC]+|[A-H])\.?$")


def resolve(doc: Document, query: str, first: bool = False, page: str | None = None) -> list[Section]:
    """The section(s) a query means: title words, a number, a tree position, or ``p27``."""
    query = query.strip()
    if page is None and (m := _PAGE_QUERY.match(query)):
        page = m.group(1)
    if page is not None:
        return _by_page_label(doc, page)
    if not query:
        raise UsageError(
            "the section query is empty", hint="give words of a title, a number like 3.2 or a page like p12"
        )
    sections = [s for s in all_sections(doc)]
    if not sections or (len(sections) == 1 and sections[0].kind == "front"):
        raise SectionNotFound("this document has no sections to choose from (no table of contents was found)")
    if _NUMBER_QUERY.match(query):
        wanted = query.rstrip(".")
        numbered = [s for s in sections if s.number and s.number.rstrip(".").lower() == wanted.lower()]
        if not numbered:
            pos = positions(doc)
            numbered = [s for s in sections if pos.get(id(s)) == wanted]
        if numbered:
            return [_check_found(numbered[0])]
    return [_check_found(_by_title(sections, query, first))]


def _check_found(section: Section) -> Section:
    if not section.found:
        where = (
            f"page {section.page}"
            if section.page
            else (f"PDF page {section.pdf_page}" if section.pdf_page else "no page")
        )
        raise SectionNotInDocument(
            f"'{section.title}' is listed in the contents ({where}) but its text is not in this document"
        )
    return section


def _words(text: str) -> list[str]:
    return fold(text).split()


def _title_score(query_words: list[str], section: Section) -> float:
    title_words = _words(section.title) + (_words(section.number) if section.number else [])
    if not title_words:
        return 0.0
    total = 0.0
    for word in query_words:
        if word in title_words:
            total += 1.0
            continue
        prefix = [t for t in title_words if len(word) >= 3 and t.startswith(word)]
        if prefix:
            total += 0.9
            continue
        close = get_close_matches(word, title_words, n=1, cutoff=0.75)
        if close:
            total += SequenceMatcher(None, word, close[0]).ratio() * 0.9
    score = total / len(query_words)
    # among equal word matches, prefer the title the query covers best
    coverage = sum(1 for t in title_words if t in query_words) / len(title_words)
    return score + 0.05 * coverage


def _by_title(sections: list[Section], query: str, first: bool) -> Section:
    query_words = _words(query)
    if not query_words:
        raise UsageError(
            "the section query has no words",
            hint="give words of a title, a number like 3.2 or a page like p12",
        )
    scored = sorted(
        ((_title_score(query_words, s), i, s) for i, s in enumerate(sections)), key=lambda t: (-t[0], t[1])
    )
    best_score = scored[0][0]
    if best_score < 0.6:
        titles = [s.title for s in sections if s.kind != "front"]
        near = get_close_matches(query, titles, n=3, cutoff=0.4)
        near += [s.title for score, _, s in scored[:3] if score >= 0.3 and s.title not in near]
        hint = "nearest: " + "; ".join(near[:3]) if near else "`ifri toc` lists the titles"
        raise SectionNotFound(f"no section matches '{query}'", hint=hint)
    close = [s for score, _, s in scored if score >= best_score - 0.02]
    if len(close) == 1 or first:
        return close[0]
    # one candidate containing all the others (a section and its subsections): take it
    for candidate in close:
        inside = {id(s) for s in candidate.walk()}
        if all(id(s) in inside for s in close):
            return candidate
    raise Ambiguous(
        f"'{query}' matches {len(close)} sections; be more precise or use --first",
        [describe(s) for s in close[:10]],
    )


def _by_page_label(doc: Document, label: str) -> list[Section]:
    pdf_pages = [p.number for p in doc.pages if p.label and p.label.lower() == label.lower()]
    if not pdf_pages and label.isdigit() and not any(p.label for p in doc.pages):
        pdf_pages = [int(label)]  # no printed numbers at all: the physical page
    if not pdf_pages:
        raise SectionNotFound(f"no page is numbered '{label}' in this document")
    wanted = pdf_pages[0]
    covering = [
        s
        for s in all_sections(doc)
        if s.found and s.pdf_page is not None and s.pdf_page <= wanted <= (s.pdf_page_end or s.pdf_page)
    ]
    if not covering:
        raise SectionNotFound(f"no section covers page {label}")
    # the deepest sections on that page: their ancestors are implied
    deepest = [s for s in covering if not any(c in covering for c in s.children)]
    return deepest
