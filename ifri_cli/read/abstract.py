"""The authors' own abstract, summary or executive summary: found, never summarised.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from ifri_cli.model import Abstract, Document, Line, Section
from ifri_cli.read.body import _TERMINAL, Unit, _assemble, _flat_lines, _labels, _vocabulary
from ifri_cli.structure.contents import listing_pages
from ifri_cli.structure.headings import stands_alone
from ifri_cli.text import sentences
from ifri_cli.text.patterns import FIGURE_WORDS

_ABSTRACT_TITLE = re.compile(
    r"^(?:abstract|summary|executive summary|r[ée]sum[ée](?: ex[ée]cutif)?|synth[èe]se"
    r"|key (?:findings|messages)"
    r"|summary of (?:findings|the report)|in brief|en bref)$",
    re.I,
)


_ABSTRACT_LINE = re.compile(
    r"^(?P<title>abstract|summary|executive summary|r[ée]sum[ée]|synth[èe]se)\s*(?:[.:—–-]\s*(?P<rest>.*))?$",
    re.I,
)


_STOP_ABSTRACT = re.compile(
    r"^(?:introduction\b|keywords?\b|key ?words\b|index terms\b|jel\b|mots[- ]cl[ée]s\b|acm\b|ccs concepts\b"
    r"|author keywords\b|table of contents\b|contents\b|sommaire\b)",
    re.I,
)


_NUMBERED_HEADING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,5})\.?\s+[A-Z]")


# the Federal Register's preamble: "SUMMARY:" is the abstract, the fields after it are not
_PREAMBLE_FIELD = re.compile(
    r"^(?:DATES?|ADDRESSES|FOR FURTHER INFORMATION CONTACT|SUPPLEMENTARY INFORMATION|EFFECTIVE DATES?"
    r"|AGENCY|ACTION|COMMENTS? DUE DATES?):"
)


def _ends_abstract(text: str) -> bool:
    """A line that cannot be inside an abstract: keywords, a numbered heading, the introduction,
    a caption ("Figure 1: ..." set beside it), a field of a preamble after it ("DATES: ...")."""
    stops = (_STOP_ABSTRACT, _PREAMBLE_FIELD, _CAPTION_LINE)
    return any(stop.match(text) for stop in stops) or _is_numbered_heading(text)


# "Figure 1: Average performance..." set beside an abstract; not "graph-based indexes" or "Table 1 shows"
_CAPTION_LINE = re.compile(rf"^(?=[A-Z])(?i:{FIGURE_WORDS})\s+(?:\d+(?:\.\d+)*|[A-Z](?:\.\d+)?)\s*[:.|—–]\s")


def _is_numbered_heading(text: str) -> bool:
    return bool(_NUMBERED_HEADING.match(text)) and len(text.split()) <= 10 and not text.endswith(".")


_FIRST_CHAPTER = re.compile(r"^(?:(?:chapter|chapitre|part|partie)\s+)?(?:1|i|one)\.?$|^introduction\b", re.I)


_INTRODUCTION_LINE = re.compile(r"^(?:(?:1|I)\.?\s+)?introduction$", re.I)


def _abstract_section(doc: Document) -> Section | None:
    """A section titled Abstract, Summary, Executive summary... before the body begins."""
    limit = max(3, len(doc.pages) // 5)
    for top in doc.sections:
        for sec in top.walk():
            if sec.pdf_page is not None and sec.pdf_page > limit:
                return None
            if sec.found and _ABSTRACT_TITLE.match(_plain_title(sec.title)):
                return sec
            if _FIRST_CHAPTER.match(sec.number or "") or _FIRST_CHAPTER.match(_plain_title(sec.title)):
                return None  # a chapter's "Summary" is not the paper's
    return None


def is_abstract(doc: Document, section: Section) -> bool:
    """Whether ``section`` is the authors' abstract (never summarised: it is printed whole)."""
    found = _abstract_section(doc)
    return found is not None and found.span == section.span and found.title == section.title


def _plain_title(title: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"^[\dIVX.]+\s+", "", title.strip())).strip(" .:")


class _Span(NamedTuple):
    """Where the authors' abstract is among the body lines."""

    start: int  # its first line
    end: int  # the line after its last
    heading: int | None  # its heading line; None when it has none (an unlabelled abstract)
    rest: str | None = None  # text on the heading line after the word: "Abstract: We study..."
    section: Section | None = None  # its section in the tree, when that is where it was found


def _abstract_span(doc: Document, flat: Sequence[tuple[int, Line]]) -> _Span | None:
    """The body lines of the authors' abstract, from its section in the tree or from the lines."""
    sec = _abstract_section(doc)
    if sec is not None:
        spans = [s.span for s in sec.walk() if s.span]
        if spans:
            start, end = min(a for a, _ in spans), max(b for _, b in spans)
            # the tree may have missed the heading after the abstract: "1 Introduction" still ends it
            cut = next(
                (i for i in range(start, min(end, len(flat))) if _ends_abstract(flat[i][1].text.strip())), end
            )
            return _Span(start, cut, start - 1 if start else None, section=sec)
    return _abstract_from_lines(doc, flat)


def _abstract_from_lines(doc: Document, flat: Sequence[tuple[int, Line]]) -> _Span | None:
    limit = min(len(doc.pages), max(3, len(doc.pages) // 5))
    contents = listing_pages(doc)
    for i, (pdf_page, line) in enumerate(flat):
        if pdf_page > limit or _INTRODUCTION_LINE.match(line.text.strip()):
            break  # the body began: a later "Summary" belongs to a chapter
        match = _ABSTRACT_LINE.match(line.text.strip())
        if not match or pdf_page in contents:
            continue
        rest = match.group("rest") or None
        if rest is None and len(line.text.strip()) > 30:
            continue
        end = _abstract_end(flat, i, inline=rest is not None)
        if end - i >= 2 or rest:
            return _Span(i + 1, end, i, rest)
    return _unlabelled_abstract(doc, flat)


# "Keywords: ...", "Index Terms—...", "JEL C90, D31", "KEYWORDS" alone; not "Keywords are..."
_KEYWORDS_LINE = re.compile(
    r"^\(?(?:jel(?:\s+classifications?)?(?:\s+codes?)?\s*[:.—–-]?\s*[A-Z]\d|"
    r"(?:keywords?|key ?words|index terms|mots[- ]cl[ée]s|ccs concepts)\s*(?:[:.—–-]|$))",
    re.I,
)


_BYLINE = re.compile(r"^(?:by|par)\s+\S", re.I)


def _unlabelled_abstract(doc: Document, flat: Sequence[tuple[int, Line]]) -> _Span | None:
    """An abstract with no heading: the paragraph just before the keywords or JEL codes.

    Journals such as the American Economic Review print it under the byline, unlabelled; it runs back
    from the keywords line (on page 1 or 2, before the first numbered heading or the introduction)
    to the byline, a change of type, a paragraph break, or, in a text file, a blank line.
    """
    body = min(
        (s.span[0] for top in doc.sections for s in top.walk() if s.span and s.number and s.found),
        default=len(flat),
    )
    end = 0
    for i, (page, line) in enumerate(flat[:body]):
        text = line.text.strip()
        if page > 2 or _INTRODUCTION_LINE.match(text) or _is_numbered_heading(text):
            return None  # the body began
        if i and _KEYWORDS_LINE.match(text):
            end = i
            break
    after = " ".join(line.text for _, line in flat[end + 1 : end + 40]).split()
    if not end or len(after) < 20:
        return None  # no keywords line, or nothing after it: a note's last words, not an abstract
    page, last = flat[end - 1]
    start, pitch = end, 0.0
    while start > 0:
        before_page, before = flat[start - 1]
        text = before.text.strip()
        if before_page != page or _BYLINE.match(text) or _INTRODUCTION_LINE.match(text):
            break
        if not text or before.bold != last.bold:
            break
        if before.size and last.size and abs(before.size - last.size) > 0.6:
            break
        below = flat[start][1].top
        step = below - before.top if below is not None and before.top is not None else 0.0
        if step > 0:
            if pitch and step > 1.4 * pitch:
                break  # a paragraph break: the author's name or affiliation above the abstract
            pitch = min(pitch, step) if pitch else step
        start -= 1
        if before.after_blank:
            break  # a text file's paragraph starts after a blank line
    words = " ".join(line.text for _, line in flat[start:end]).split()
    if len(words) < 40 or not _TERMINAL.search(words[-1]):
        return None
    return _Span(start, end, None)


def _abstract_end(flat: Sequence[tuple[int, Line]], start: int, inline: bool) -> int:
    """Where an abstract whose heading is line ``start`` ends: at a heading or a change of type."""
    heading = flat[start][1]
    first = heading if inline or start + 1 >= len(flat) else flat[start + 1][1]
    i = start + 1
    while i < len(flat):
        line = flat[i][1]
        text = line.text.strip()
        if not text:
            if line.size is None and i > start + 1:
                break  # a blank line ends it in a text file
            i += 1
            continue
        if _ends_abstract(text):
            break
        if (
            i > start + 1
            and stands_alone(flat, i)
            and len(text.split()) <= 8
            and not re.search(r"[.!?…:;,]$", text)
        ):
            break  # a heading in a text file: "The author", alone between blank lines
        if first.size and line.size and abs(line.size - first.size) > 0.6 and len(text) > 2:
            break
        if line.bold and not first.bold and len(text.split()) <= 12:
            break
        i += 1
    return i


def find_abstract(doc: Document) -> Abstract | None:
    """The authors' abstract, summary or executive summary, if the document has one."""
    flat = _flat_lines(doc)
    found = _abstract_span(doc, flat)
    sec = _abstract_section(doc)
    if found is None and doc.clean_pages:
        # an abstract in small type may have been taken for footnotes by the cleaner
        flat = [(page.number, line) for page in doc.pages for line in page.lines]
        found = _abstract_from_lines(doc, flat)
    if found is None:
        if sec is None or not sec.full_text().strip():
            return None
        return Abstract(_display(sec.title), _reflow(sec.full_text()), sec.page, sec.pdf_page)
    lines = list(flat[found.start : found.end])
    if found.rest and found.heading is not None:
        # the heading line's place on the page, so that its words run on into the next line's
        heading_page, heading_line = flat[found.heading]
        lines.insert(0, (heading_page, replace(heading_line, text=found.rest, superscripts=())))
    text, _ = _assemble(lines, _labels(doc), None, set())  # abstracts are often in small type
    text = _reflow(text, _vocabulary([Unit("\n".join(line.text for _, line in flat))]))
    if found.section is not None:
        sec = found.section
        return Abstract(_display(sec.title), text, sec.page, sec.pdf_page)
    if found.heading is None:
        pdf_page = flat[found.start][0]
        return Abstract("Abstract (unlabelled)", text, _labels(doc).get(pdf_page), pdf_page)
    heading = _ABSTRACT_LINE.match(flat[found.heading][1].text.strip())
    pdf_page = flat[found.heading][0]
    return Abstract(
        _display(heading.group("title") if heading else "Abstract"),
        text,
        _labels(doc).get(pdf_page),
        pdf_page,
    )


def _display(title: str) -> str:
    title = _plain_title(title)
    return title.capitalize() if title.isupper() else title


def _reflow(text: str, vocabulary: set[str] | None = None) -> str:
    paragraphs = [sentences.join_lines(p, vocabulary or set()) for p in re.split(r"\n[ \t]*\n+", text)]
    return "\n\n".join(p for p in paragraphs if p)
