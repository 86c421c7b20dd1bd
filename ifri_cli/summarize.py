"""Extractive summaries: a few sentences of the body that carry its gist, with where they are.

The pipeline is three pure steps over a list of ``Unit`` (a stretch of body text under one
heading, with its page breaks): ``candidates`` splits the units into sentences and drops what
is never a summary sentence (fragments, captions, table rows, references, boilerplate);
``score`` ranks them (continuous LexRank centrality plus what helps on long reports: position
in the section and paragraph, the document's and sections' titles, cue phrases such as "this
paper shows", sentence length); ``select`` picks the best with maximal marginal relevance so no
two near-identical sentences are chosen, and returns them in document order.

``units`` is the adapter from a ``Document``: one unit per section of the tree when there is
one, else one unit for the whole body. The authors' own abstract or executive summary is found
by ``find_abstract`` and is never part of the units.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from ifri_cli import sentences as splitter
from ifri_cli.contents import is_contents_heading
from ifri_cli.errors import UsageError
from ifri_cli.headings import NUMBER, is_references_heading, stands_alone
from ifri_cli.locate import body_pages, contents_like_pages
from ifri_cli.model import Document, Line, Section, SummarySentence

# --- units ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """Body text under one heading; ``marks`` maps character offsets to pages."""

    text: str
    section: str | None = None
    number: str | None = None
    kind: str = "section"
    marks: tuple[tuple[int, str | None, int | None], ...] = ((0, None, None),)  # (offset, label, pdf page)
    top: str | None = None  # the title of the top-level section this unit belongs to
    weight: float = 1.0  # how much its position in the section means (0 for unstructured text)

    def page_at(self, offset: int) -> tuple[str | None, int | None]:
        label, pdf_page = self.marks[0][1], self.marks[0][2]
        for start, mark_label, mark_page in self.marks:
            if start > offset:
                break
            label, pdf_page = mark_label, mark_page
        return label, pdf_page


@dataclass(frozen=True)
class Abstract:
    """The authors' own summary of the paper, as printed."""

    title: str
    text: str
    page: str | None
    pdf_page: int | None

    def to_dict(self) -> dict[str, object]:
        return {"title": self.title, "text": self.text, "page": self.page, "pdf_page": self.pdf_page}


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
_CAPTION_LINE = re.compile(
    r"^(?:Figure|Fig\.|FIGURE|Table|TABLE|Tableau|Graphique|Chart|Exhibit|Box|Encadré|Map|Carte)"
    r"\s+(?:\d+(?:\.\d+)*|[A-Z](?:\.\d+)?)\s*[:.|—–]\s"
)


def _is_numbered_heading(text: str) -> bool:
    return bool(_NUMBERED_HEADING.match(text)) and len(text.split()) <= 10 and not text.endswith(".")


def _flat_lines(doc: Document) -> list[tuple[int, Line]]:
    # the same order as the sections tree's ``span`` indices
    pages = doc.clean_pages or doc.pages
    return [(page.number, line) for page in pages for line in page.lines]


def _labels(doc: Document) -> dict[int, str | None]:
    return {page.number: page.label for page in doc.pages}


def _body_size(lines: Sequence[tuple[int, Line]]) -> float | None:
    sizes: Counter[float] = Counter()
    for _, line in lines:
        if line.size:
            sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else None


def _contents_lines(flat: Sequence[tuple[int, Line]], pages: int) -> set[int]:
    """Lines under a "Contents" heading in the front of the document, up to the first line of prose.

    A contents page set as titles in one column and page numbers in another has no line ending in
    a number; its heading still says what it is. A line of prose (ten words or more, neither
    numbered nor ending in a page number) ends it: the text after a short contents, or the body.
    """
    limit = max(3, pages // 5)
    out: set[int] = set()
    i = 0
    while i < len(flat) and flat[i][0] <= limit:
        line = flat[i][1]
        if is_contents_heading(line.text.strip()):
            out.add(i)
            i += 1
            while i < len(flat) and flat[i][0] <= limit:
                text = flat[i][1].text.strip()
                if len(text.split()) >= 10 and not text[-1:].isdigit() and not NUMBER.match(text):
                    break
                out.add(i)
                i += 1
            continue
        i += 1
    return out


def _assemble(
    lines: Sequence[tuple[int, Line]],
    labels: dict[int, str | None],
    body_size: float | None,
    skip: set[int],
    typical: int | None = None,
) -> tuple[str, tuple[tuple[int, str | None, int | None], ...]]:
    """Lines -> text with blank lines between paragraphs, and the offsets where pages start.

    A paragraph ends at a vertical gap, a change of font size, a blank line, or a short line
    ending a sentence; small print (footnotes, captions) is left out when the cleaner has not
    already removed it.
    """
    parts: list[str] = []
    marks: list[tuple[int, str | None, int | None]] = []
    length = 0
    prev: Line | None = None
    prev_page = None
    right = max((line.x1 for _, line in lines if line.x1 is not None), default=None)
    typical = typical or _typical_length(lines)
    for k, (pdf_page, line) in enumerate(lines):
        text = line.text.strip()
        if (
            pdf_page in skip
            or (len(text) <= 2 and not _word_of_the_text(text, lines, k))
            or (body_size and line.size and line.size < body_size - 1.2)
        ):
            if not text and prev is not None:
                prev = None  # a blank line in a text file ends the paragraph
            continue
        if pdf_page != prev_page:
            marks.append((length, labels.get(pdf_page), pdf_page))
        new_paragraph = prev is None or _paragraph_break(prev, line, right, pdf_page == prev_page, typical)
        sep = "" if not parts else ("\n\n" if new_paragraph else "\n")
        parts.append(sep + text)
        length += len(sep) + len(text)
        prev, prev_page = line, pdf_page
    if not marks:
        marks.append((0, None, None))
    return "".join(parts), tuple(marks)


# words of one or two letters that a line may hold alone ("It" / "not only reduces..."), unlike a
# stray mark, a subscript, a panel letter or a page number
_SHORT_WORDS = frozenset(
    "a i an as at be by do he if in is it me my no of on or so to up us we au ce de du en et il la le "
    "ne se un".split()
)
_RUNS_ON = re.compile(r"[^\W\d_]{2,}(?:[\s,;:]|$)")  # "not only", not "in−1" or "j"


def _word_of_the_text(text: str, lines: Sequence[tuple[int, Line]], k: int) -> bool:
    """Whether a line of one or two characters is a word that the next line goes on from."""
    if text.lower() not in _SHORT_WORDS or (len(text) == 1 and text.islower()):
        return False
    following = lines[k + 1][1].text.lstrip() if k + 1 < len(lines) else ""
    return following[:1].islower() and bool(_RUNS_ON.match(following))


def _typical_length(lines: Sequence[tuple[int, Line]]) -> int:
    lengths = sorted(len(line.text.strip()) for _, line in lines)
    return lengths[int(len(lengths) * 0.8)] if lengths else 60


def _paragraph_break(prev: Line, line: Line, right: float | None, same_page: bool, typical: int) -> bool:
    ends_sentence = prev.text.rstrip().endswith((".", "!", "?", ":", "”", '"', "»"))
    if prev.top is None or line.top is None or prev.bottom is None:
        if line.after_blank and same_page:
            return True
        # a text file: a short line ends a paragraph, and a short line without a full stop is a heading
        short = len(prev.text.strip()) < 0.6 * typical
        heading_next = len(line.text.strip()) < 0.6 * typical and not line.text.rstrip().endswith(
            (".", ",", ";")
        )
        return short or heading_next and ends_sentence
    if prev.size and line.size and abs(prev.size - line.size) > 0.6:
        return True
    height = max(prev.bottom - prev.top, 1.0)
    if same_page and line.top > prev.top and line.top - prev.bottom > 0.8 * height:
        return True
    indented = prev.x0 is not None and line.x0 is not None and line.x0 > prev.x0 + 6
    if ends_sentence and indented and line.top > prev.top:
        return True  # first-line indent
    return bool(
        ends_sentence
        and right is not None
        and prev.x1 is not None
        and prev.x0 is not None
        and prev.x1 < prev.x0 + 0.6 * (right - prev.x0)
        and line.top > prev.top
    )


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
    skip = contents_like_pages(body_pages(doc))
    typical = _typical_length(flat)
    abstract = _abstract_span(doc, flat)
    drop = (
        set(range(abstract.start if abstract.heading is None else abstract.heading, abstract.end))
        if abstract
        else set()
    )
    if section is None:
        drop |= _contents_lines(flat, len(doc.pages)) | _preamble_lines(flat)
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


# --- the authors' abstract -------------------------------------------------------------


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
    contents = contents_like_pages(body_pages(doc))
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
    paragraphs = [splitter.join_lines(p, vocabulary or set()) for p in re.split(r"\n[ \t]*\n+", text)]
    return "\n\n".join(p for p in paragraphs if p)


# --- candidates ----------------------------------------------------------------------


@dataclass
class Candidate:
    text: str
    unit: int  # index of its unit
    position: int  # index of the sentence inside its unit
    paragraph_first: bool
    page: str | None
    pdf_page: int | None
    section: str | None
    number: str | None
    top: str | None
    weight: float
    terms: Counter[str] = field(default_factory=Counter)
    score: float = 0.0


_TERMINAL = re.compile(r"[.!?…][\"”’»)\]]*$")
_CAPTION = re.compile(
    r"^(?:figure|fig\.|table|tableau|graphique|graph|chart|exhibit|box|encadr[ée]|map|carte|photo|image|"
    r"illustration|panel|source|sources|note|notes|lecture)\s*[\dA-Z]*(?:[.-]\d+)*\s*[:.|—–-]",
    re.I,
)
_BOILERPLATE = re.compile(
    r"(all rights reserved|copyright|©|\bisbn\b|\bissn\b|\bdoi\b|reproduced|views expressed"
    r"|do not necessarily"
    r"|published by|suggested citation|creative commons|licen[cs]ed? under|tous droits|n'engagent que"
    r"|we thank|we are grateful|we gratefully|acknowledg|nous remercions|funded by|grant no|gratitude"
    r"|would (?:also )?like to thank|in partial fulfil|^keywords?\b|^key ?words|^index terms|^mots[- ]cl)",
    re.I,
)
_URL = re.compile(r"(https?://|www\.|\S+@\S+\.\w+)")
_INITIALS = re.compile(r"\b[A-Z]\.(?:\s?[A-Z]\.)*,")
_INITIAL = re.compile(r"(?<![\w.])[A-Z]\.(?=[\s,])")
_YEAR = re.compile(r"\((?:19|20)\d\d[a-z]?\)|\b(?:19|20)\d\d[a-z]?\.")
# "... treatment 4.1 New recommendations ...": a numbered heading run into the text
_MERGED_HEADING = re.compile(
    r"(?<!section )(?<!chapter )(?<!table )(?<!figure )(?<!annex )(?<!appendix )"
    r"\b\d{1,2}\.\d{1,2}\s+[A-Z][a-z]"
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.U)
_LIST_ITEM = re.compile(r"^\d{1,3}\.\s+[a-z]")  # "3. go get github.com/...": an item cut from its list
_FIELD = re.compile(r"^[A-Z][A-Z &/-]{2,}:\s")  # "ACTION: Notice of proposed rulemaking."
# a lone letter that is not a word ("F", "M1", "x′"), or a run of mathematical signs
_MATH_SIGN = re.compile(r"[′″‴∈∉⊂⊆∪∩→←↦≤≥≠≃≅∼⊗⊕×∘∀∃∞∂∑∏∫±=<>+]|[^\W\d_]\d")
_SYMBOL = re.compile(r"(?![aAIàyo]$)[^\W\d_]\d*[′″‴'*]*|[′″‴∈∉⊂⊆∪∩↦≤≥≠≃≅∼⊗⊕×∘∀∃∞∂∑∏∫±=<>+]+")


def _reject(text: str) -> str | None:
    """Why ``text`` is never a summary sentence, or None."""
    words = text.split()
    if len(words) < 6:
        return "fragment"
    if len(words) > 80:
        return "too long"
    first = text.lstrip('"“‘«([')[:1]
    if not (first.isupper() or first.isdigit()) or _LIST_ITEM.match(text):
        return "fragment"
    if not _TERMINAL.search(text):
        return "fragment"
    letters = sum(ch.isalpha() for ch in text)
    if letters < 0.65 * len(text.replace(" ", "")):
        return "table or formula"
    if sum(1 for w in words if any(ch.isdigit() for ch in w)) > 0.3 * len(words):
        return "table"
    if _CAPTION.match(text):
        return "caption"
    if _URL.search(text):
        return "link"
    if _BOILERPLATE.search(text):
        return "boilerplate"
    if len(_INITIALS.findall(text)) >= 2 or (len(_INITIAL.findall(text)) >= 2 and _YEAR.search(text)):
        return "reference"
    capitals = [w for w in words if len(w) >= 3 and w.isalpha()]
    if _MERGED_HEADING.search(text) or (
        capitals and sum(w.isupper() for w in capitals) > 0.4 * len(capitals)
    ):
        return "heading or contents"
    if text.count("(") != text.count(")"):
        return "fragment"
    if "\ufffd" in text:
        return "damaged text"  # a glyph that could not be read
    if _FIELD.match(text) and len(words) < 12:
        return "form field"
    symbols = [w for w in (w.strip(".,;:") for w in words) if _SYMBOL.fullmatch(w)]
    if len(symbols) > 0.15 * len(words) and (len(symbols) >= 3 or _MATH_SIGN.search(" ".join(symbols))):
        return "formula"
    return None


# "Feasibility The WHO 2020 progress report...": a paragraph's heading printed on its first line
_RUN_IN_HEADING = re.compile(
    r"^[A-Z][^.!?:;,()\"“”]{1,60}?[a-z0-9)] (?=(?:Because|The|We|In|For|To|As|This|Our|Each|When|While|If"
    r"|Although|Since|It|An|These|Given|Following|Unlike|Here|There|Most|Many|All|One|Using|With|After"
    r"|Before|Finally|First|Second) [A-Za-z])"
)
# what begins a sentence, not a heading ("In chapter 9 The Device interface..."), and what ends a
# phrase that goes on ("...a key element in The Roadmap to Prosperity")
_NOT_HEADING_START = frozenset("In On The A An As At If When Where For To Suppose Soit Dans Le La".split())
_NOT_HEADING_END = frozenset("in on of the a an and or to for with at by from de du des la le les et".split())


def _run_in_heading_end(text: str) -> int:
    """Where the run-in heading at the start of ``text`` ends (0 if there is none)."""
    match = _RUN_IN_HEADING.match(text)
    if not match:
        return 0
    words = match.group(0).split()
    if words[0] in _NOT_HEADING_START or words[-1].lower() in _NOT_HEADING_END:
        return 0
    return match.end()


def candidates(unit_list: Sequence[Unit]) -> list[Candidate]:
    """The sentences of the units that may be summary sentences, in document order."""
    vocabulary = _vocabulary(unit_list)
    out: list[Candidate] = []
    for u, unit in enumerate(unit_list):
        paragraph_starts = set(splitter.paragraph_starts(unit.text))
        position = 0
        for start, end in splitter.split_spans(unit.text):
            text = splitter.join_lines(unit.text[start:end], vocabulary)
            first_in_paragraph = start in paragraph_starts
            if first_in_paragraph:
                text = text[_run_in_heading_end(text) :]
            if _reject(text) is not None:
                continue
            page, pdf_page = unit.page_at(start)
            out.append(
                Candidate(
                    text,
                    u,
                    position,
                    first_in_paragraph,
                    page,
                    pdf_page,
                    unit.section,
                    unit.number,
                    unit.top,
                    unit.weight,
                    Counter(terms(text)),
                )
            )
            position += 1
    return out


def _vocabulary(unit_list: Iterable[Unit]) -> set[str]:
    vocab: set[str] = set()
    for unit in unit_list:
        vocab.update(w.lower() for w in re.findall(r"\w+(?:-\w+)+", unit.text))
    return vocab


# --- scoring -------------------------------------------------------------------------

STOPWORDS = frozenset(
    """
    a about above after again against all also although am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either few for from
    further had has have having he her here hers him his how however i if in into is it its itself
    just more most much must my no nor not now of off on once only or other our ours out over own per
    same she should so some such than that the their theirs them then there these they this those
    through thus to too under until up upon us very via was we were what when where whether which while
    who whom whose why will with within without would yet you your one two three may might also well
    et al le la les un une des du de d l à au aux ce ces cet cette il elle ils elles on nous vous je
    est sont été être avoir ont a qui que quoi dont où en dans par pour sur avec sans sous entre plus
    moins ne pas se sa son ses leur leurs y ou mais donc car ni comme aussi très tout tous toute toutes
    """.split()
)

_CUES = re.compile(
    r"\b(this (?:paper|article|report|study|brief|work|thesis|document|analysis)"
    r"|in this (?:paper|article|report|study|brief|work|thesis)|we (?:propose|present|show|find|found|argue"
    r"|introduce|demonstrate|develop|describe|conclude|recommend|suggest|examine|investigate|evaluate"
    r"|identify|explore|discuss|provide|outline|offer|focus|address)|our (?:results|findings|analysis|"
    r"approach|method|model|work|contribution|study)|results (?:show|suggest|indicate)|findings"
    r"|(?:this|the) (?:paper|report|study|brief) (?:shows|argues|finds|proposes|presents|examines|explores)"
    r"|cet (?:article|ouvrage)|ce (?:rapport|document|travail|papier|mémoire)|nous (?:proposons|présentons|"
    r"montrons|décrivons|étudions|développons|recommandons)|dans ce (?:papier|rapport|travail|mémoire)"
    r"|in summary|in conclusion|to summarize|en conclusion|en résumé)\b",
    re.I,
)
_WEAK_START = re.compile(
    r"^(?:for (?:example|instance)|e\.g\.|see |as (?:shown|seen|illustrated) in"
    r"|table |figure |fig\. |first,|second,|third,|finally,|lastly,"
    r"|however|moreover|furthermore|in addition|also|then|thus|hence|therefore|similarly|likewise"
    r"|these|those|they|it |this (?:is|was|means|implies|suggests|can|may)|such|here"
    r"|par exemple|ces |ils |elles |ainsi|donc|alors|de plus|en outre|cependant|toutefois|enfin|puis"
    r"|par conséquent|d'où|or,|soit )",
    re.I,
)
_KEY_SECTION = re.compile(
    r"\b(introduction|conclusions?|concluding|summary|discussion|findings|recommendations|overview|"
    r"implications|contributions?|synth[eè]se|recommandations|bilan|perspectives)\b",
    re.I,
)
_SIDE_SECTION = re.compile(
    r"\b(related work|previous work|prior work|literature|acknowledg\w*|appendix|methods?|"
    r"methodology|experimental setup|setup|implementation details|data|dataset|notation|preliminaries|"
    r"état de l'art|travaux (?:connexes|existants)|annexe)\b",
    re.I,
)


def terms(text: str) -> list[str]:
    """Content words of ``text``, lower case and lightly stemmed, for similarity."""
    out = []
    for word in _WORD.findall(text.lower()):
        word = word.strip("'’-")
        if len(word) < 3 or word in STOPWORDS:
            continue
        out.append(_stem(word))
    return out


def _stem(word: str) -> str:
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: -len(suffix)] + repl
    return word


def _tfidf(
    cands: Sequence[Candidate], bigrams: bool = False
) -> tuple[list[dict[str, float]], dict[str, float]]:
    bags = [_bag(cand, bigrams) for cand in cands]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(cands)
    idf = {term: math.log((n + 1) / (count + 0.5)) for term, count in df.items()}
    vectors = []
    for bag in bags:
        vec = {t: (1 + math.log(c)) * idf[t] for t, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({t: v / norm for t, v in vec.items()})
    return vectors, idf


def _bag(cand: Candidate, bigrams: bool) -> Counter[str]:
    if not bigrams:
        return cand.terms
    # pairs of adjacent content words carry the paper's key phrases ("dense retrieval")
    words = terms(cand.text)
    return cand.terms + Counter(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def lexrank(
    vectors: Sequence[dict[str, float]],
    damping: float = 0.85,
    iterations: int = 40,
    prior: Sequence[float] | None = None,
) -> list[float]:
    """Continuous LexRank without building the n x n matrix: ``S = X Xt``, applied as ``X (Xt p)``.

    With a ``prior`` the random walk restarts at sentences in proportion to it (biased LexRank):
    importance flows from the sentences the prior favours to those that say the same things.
    """
    import numpy as np

    n = len(vectors)
    if n == 0:
        return []
    index: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, vec in enumerate(vectors):
        for term, value in vec.items():
            rows.append(i)
            cols.append(index.setdefault(term, len(index)))
            vals.append(value)
    r, c, v = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(vals)
    m = len(index)

    def similarity_times(p: np.ndarray) -> np.ndarray:
        xtp = np.bincount(c, weights=v * p[r], minlength=m)
        return np.bincount(r, weights=v * xtp[c], minlength=n)

    degree = similarity_times(np.ones(n))
    degree[degree == 0] = 1.0
    restart = np.full(n, 1.0 / n) if prior is None else np.asarray(prior, dtype=float)
    restart = restart / restart.sum() if restart.sum() > 0 else np.full(n, 1.0 / n)
    p = restart.copy()
    for _ in range(iterations):
        nxt = (1 - damping) * restart + damping * similarity_times(p / degree)
        if np.abs(nxt - p).sum() < 1e-9:
            p = nxt
            break
        p = nxt
    return [float(x) for x in p]


WEIGHTS = {
    "central": 1.0,  # continuous LexRank over words and word pairs, as a percentile among the candidates
    "title": 0.4,  # share of the document title's words in the sentence
    "key": 0.35,  # +1 in an introduction, conclusion, summary, findings; -1 in related work, methods
    "lead": 0.35,  # first sentences of a chapter, decaying
    "cue": 0.15,  # "this paper shows", "we find", "nous proposons"
    "heading": 0.15,  # share of its own section title's words (specific headings only)
    "sub_lead": -0.15,  # first sentence of a subsection: it sets up a detail (a step, a dataset, a metric)
    "paragraph": 0.05,  # first sentence of a paragraph
    "weak": -0.1,  # opens with a connective or a pronoun that needs the previous sentence
    "meta": -0.15,  # talks about the document's layout: "in this section", "see Appendix B"
    "short": -0.1,  # under 8 words
    "question": -0.15,  # a question asks, a summary tells
    "long": -0.05,  # over 45 words, growing to 70
    "citations": -0.05,  # parentheses and brackets, per pair, up to two
}

_META = re.compile(
    r"\b(?:this (?:section|chapter|appendix|annex|table|figure)"
    r"|(?:in|see) (?:section|chapter|appendix|annex|table|"
    r"figure|fig\.)\s*[\dA-Z]|cette (?:section|partie|annexe)|la section \d"
    # the paper's plan in prose: "Section 5 describes...", "Conclusions are contained in Section 8"
    r"|^(?:the )?(?:next |following |last |final )?(?:section|chapter|part)s?\s*\d*(?:\s*(?:and|,)\s*\d+)*"
    r"\s+(?:describes?|contains?|gives?|presents?|discusses?|introduces?|reviews?|concludes?|provides?"
    r"|explains?|covers?|outlines?|summari[sz]es?|deals?|focuses?|examines?|reports?)\b"
    r"|\b(?:is|are) (?:organi[sz]ed|structured) as follows|\b(?:is|are) contained in (?:section|chapter)"
    # a pointer elsewhere: "See the instructions for line 39 on page 18.", "Voir la page 12."
    r"|^(?:see|voir) )",
    re.I,
)


def features(cands: Sequence[Candidate], title: str | None = None) -> list[dict[str, float]]:
    """What each candidate has going for it (or against it), each feature in [-1, 1]."""
    if not cands:
        return []
    vectors, _ = _tfidf(cands, bigrams=True)
    central = lexrank(vectors)
    order = sorted(range(len(cands)), key=lambda i: central[i])
    percentile = [0.0] * len(cands)
    for rank, i in enumerate(order):
        percentile[i] = rank / max(1, len(cands) - 1)
    title_terms = set(terms(title or ""))
    in_top: Counter[str | None] = Counter()
    # the first and last chapters of a report are its introduction and conclusion, whatever their titles
    chapters_seen = [c.top for c in cands if c.weight > 0]
    ends = {chapters_seen[0], chapters_seen[-1]} if chapters_seen else set()
    out = []
    for i, cand in enumerate(cands):
        words = len(cand.text.split())
        cand_terms = set(cand.terms)
        section_terms = set(terms(cand.section or ""))
        heading = " ".join(filter(None, (cand.top, cand.section)))
        if _KEY_SECTION.search(heading) or (cand.weight > 0 and cand.top in ends and len(ends) > 1):
            key = 1.0
        else:
            key = -1.0 if _SIDE_SECTION.search(heading) else 0.0
        top_position = in_top[cand.top]
        in_top[cand.top] += 1
        out.append(
            {
                "central": percentile[i],
                "cue": 1.0 if _CUES.search(cand.text) else 0.0,
                "title": len(title_terms & cand_terms) / len(title_terms) if title_terms else 0.0,
                "heading": (
                    len(section_terms & cand_terms) / len(section_terms)
                    if section_terms and not _KEY_SECTION.search(cand.section or "")
                    else 0.0
                ),
                "key": key * cand.weight,
                "lead": cand.weight / (1 + top_position),
                "sub_lead": cand.weight if cand.position == 0 else 0.0,
                "paragraph": 1.0 if cand.paragraph_first else 0.0,
                "weak": 1.0 if _WEAK_START.match(cand.text) else 0.0,
                "meta": 1.0 if _META.search(cand.text) else 0.0,
                "short": 1.0 if words < 8 else 0.0,
                "question": 1.0 if cand.text.rstrip('"”’»)] ').endswith("?") else 0.0,
                "long": min(1.0, max(0, words - 45) / 25),
                "citations": min(2, cand.text.count("(") + cand.text.count("[")) / 2,
            }
        )
    return out


def score(
    cands: Sequence[Candidate], title: str | None = None, weights: dict[str, float] | None = None
) -> None:
    """Set each candidate's ``score``: centrality plus the signals long reports give."""
    weights = weights or WEIGHTS
    for cand, feats in zip(cands, features(cands, title), strict=True):
        cand.score = round(sum(weights.get(name, 0.0) * value for name, value in feats.items()), 4)


def select(cands: Sequence[Candidate], count: int, redundancy: float = 0.3) -> list[Candidate]:
    """The ``count`` best candidates by maximal marginal relevance, in document order.

    Each pick updates every pooled candidate's overlap with what is chosen through an index of
    terms, so choosing hundreds of sentences (``--ratio 0.5`` of a long report) stays fast.
    """
    import numpy as np

    if count <= 0 or not cands:
        return []
    vectors, _ = _tfidf(cands)
    pool = sorted(range(len(cands)), key=lambda i: -cands[i].score)[: max(50, count * 10)]
    postings: dict[str, list[tuple[int, float]]] = {}
    for slot, i in enumerate(pool):
        for term, weight in vectors[i].items():
            postings.setdefault(term, []).append((slot, weight))
    scores = np.array([cands[i].score for i in pool], dtype=float)
    overlap = np.zeros(len(pool))  # each pooled candidate's greatest cosine with a chosen one
    open_ = np.ones(len(pool), dtype=bool)
    chosen: list[int] = []
    seen_texts: set[str] = set()
    while len(chosen) < count:
        value = np.where(open_ & (overlap <= 0.6), scores - redundancy * overlap * 2, -np.inf)
        slot = int(np.argmax(value))
        if value[slot] == -np.inf:
            break  # what is left is near-identical to a chosen sentence
        open_[slot] = False
        best = pool[slot]
        key = re.sub(r"\W+", " ", cands[best].text.lower()).strip()
        if key in seen_texts:
            continue
        seen_texts.add(key)
        chosen.append(best)
        dots: dict[int, float] = {}
        for term, weight in vectors[best].items():
            for other, w in postings.get(term, ()):
                dots[other] = dots.get(other, 0.0) + weight * w
        for other, dot in dots.items():
            if dot > overlap[other]:
                overlap[other] = dot
    return [cands[i] for i in sorted(chosen)]


# --- the API -------------------------------------------------------------------------


def check_count(sentences: int | None, ratio: float | None) -> None:
    """Refuse a count of sentences that cannot be: raised before any parsing."""
    if sentences is not None and sentences < 1:
        raise UsageError(f"--sentences must be at least 1 (got {sentences})")
    if ratio is not None and not 0 < ratio <= 1:
        raise UsageError(f"--ratio must be more than 0 and at most 1 (got {ratio:g})")


def _count(total: int, sentences: int | None, ratio: float | None) -> int:
    check_count(sentences, ratio)
    if ratio is not None:
        return max(1, round(ratio * total))
    return sentences if sentences is not None else 5


def _to_model(cands: Iterable[Candidate]) -> list[SummarySentence]:
    return [SummarySentence(c.text, c.section, c.number, c.page, c.pdf_page, c.score) for c in cands]


def summarize(
    doc: Document, section: Section | None = None, sentences: int | None = None, ratio: float | None = None
) -> list[SummarySentence]:
    """The best sentences of the body (or of ``section``), in document order."""
    cands = candidates(units(doc, section))
    count = _count(len(cands), sentences, ratio)
    score(cands, doc.metadata.title)
    return _to_model(select(cands, count))


@dataclass(frozen=True)
class SectionSummary:
    title: str
    number: str | None
    page: str | None
    pdf_page: int | None
    sentences: tuple[SummarySentence, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "number": self.number,
            "page": self.page,
            "pdf_page": self.pdf_page,
            "sentences": [s.to_dict() for s in self.sentences],
        }


def by_section(doc: Document, per_section: int = 2) -> list[SectionSummary]:
    """One or two sentences for each top-level section: a map of the paper."""
    if per_section < 1:
        raise UsageError(f"--sentences must be at least 1 (got {per_section})")
    cands = candidates(units(doc))
    score(cands, doc.metadata.title)
    vectors = dict(zip(map(id, cands), _tfidf(cands)[0], strict=True))
    out = []
    taken: list[dict[str, float]] = []
    for top in chapters(doc):
        # a sentence that repeats one already quoted under an earlier title is not quoted again
        mine = [
            c for c in cands if c.top == top.title and all(_cosine(vectors[id(c)], v) <= 0.6 for v in taken)
        ]
        chosen = select(mine, per_section if len(mine) >= 12 else 1)
        taken.extend(vectors[id(c)] for c in chosen)
        if chosen:
            quoted = tuple(_to_model(chosen))
            out.append(SectionSummary(top.title, top.number, top.page, top.pdf_page, quoted))
    return out


# words YAKE ranks high in reports that are not what they are about: layout, forms, adverbs
_NOT_KEYWORDS = frozenset(
    "figure fig table section chapter appendix annex page line lines enter see pub form note notes "
    "example part alors maintenant donc ainsi ensuite enfin aussi cependant voir tableau".split()
)


def keywords(doc: Document, count: int = 10, section: Section | None = None) -> list[str]:
    """The key terms of the body, by YAKE (statistical, offline), without near-repeats."""
    import yake

    body = "\n".join(c.text for c in candidates(units(doc, section)))
    if not body.strip():
        return []
    language = "fr" if _looks_french(body) else "en"
    extractor = yake.KeywordExtractor(lan=language, n=3, top=count * 5, dedupLim=0.7)
    out: list[str] = []
    for kw, _ in extractor.extract_keywords(body):
        kw = kw.strip("\"'“”‘’«»()[]{}.,;:!? ")
        words = set(kw.lower().split())
        if not words or words <= _NOT_KEYWORDS or any(kw.lower() in other.lower() for other in out):
            continue
        # "capital tax" says more than "capital": the phrase takes the word's place
        inside = [i for i, other in enumerate(out) if other.lower() in kw.lower()]
        # "HCV RNA testing" after "HCV RNA NAT": two of three words again say nothing new
        if any(_near_repeat(words, set(o.lower().split())) for i, o in enumerate(out) if i not in inside):
            continue
        if inside:
            out[inside[0]] = kw
            out = [w for i, w in enumerate(out) if i not in inside[1:]]
        else:
            out.append(kw)
    return out[:count]


def _near_repeat(a: set[str], b: set[str]) -> bool:
    shared = len(a & b)
    return shared >= 2 and shared >= 2 / 3 * min(len(a), len(b))


def _looks_french(text: str) -> bool:
    words = Counter(w.lower() for w in text.split()[:5000])
    fr = sum(words[w] for w in ("le", "la", "les", "des", "est", "une", "dans", "pour"))
    en = sum(words[w] for w in ("the", "of", "and", "is", "to", "in", "for", "that"))
    return fr > en
