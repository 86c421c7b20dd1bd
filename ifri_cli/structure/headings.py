"""Headings found in the body, for documents with neither an outline nor a contents page.

A heading is a short line set apart from the running text: a larger or bolder font
than the body (the size most characters are set in), or capitals or a section number,
with space above it. Running headers and footers, page numbers, figure and table
captions, table cells, equations, reference-list items and the title block of the
first page look like headings by some of these signs and are ruled out by others.
Levels come from the ranking of the heading styles and from the numbering depth.
Text input has no fonts: there, numbering, capitals and the shape of the
neighbouring lines decide.
"""

from __future__ import annotations

import bisect
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ifri_cli.model import Document, Line, Page, TocEntry
from ifri_cli.structure.contents import listing_pages
from ifri_cli.structure.titles import _NUMBER_ONLY, NUMBER, is_references_heading, number_depth, split_number
from ifri_cli.text.fold import fold_compact
from ifri_cli.text.patterns import FIGURE_WORDS, NOTE_WORDS, PAGE_NUMBER_LINE, has_leader

# "Figure 3", "Table IV", "Box A", "Sources:", "NOTES" above a list of notes; not a heading
# "Images" or "Tables" (a figure word in the plural labels nothing)
_CAPTION = re.compile(
    rf"^(?:(?:{FIGURE_WORDS})s?|{NOTE_WORDS})(?:\s*(?:\d|:)|\s+(?:[IVX]+|(?-i:[A-Z]))\b)"
    rf"|^(?:{NOTE_WORDS})\s*$",
    re.I,
)


_BARE_NUMBER = re.compile(r"^(?:\d{1,4}|[ivxlc]{1,7})$", re.I)


_REFERENCE_ITEM = re.compile(
    r"^\[\d+\]|\(\d{4}[a-z]?\)|\b(?:19|20)\d{2}[a-z]?\.\s|\bet al\.|\bdoi\b|https?://|www\.|\bpp\.\s*\d|\bvol\.\s*\d",
    re.I,
)


# named sections that may open on page 1, below a title block
_FRONT_NAMES = re.compile(
    r"^(?:abstract|summary|executive summary|introduction|foreword|preface|contents|table of contents|"
    r"r[ée]sum[ée]|sommaire|avant-propos|synth[eè]se|resumen|[ií]ndice|key (?:points|findings|messages)|"
    r"acknowledge?ments?|highlights)$",
    re.I,
)


_LIST_MARK = re.compile(r"^\(?(\d{1,2}|[a-z])[.)]\s", re.I)


_BULLET = re.compile(r"^[•◦▪▫●○■□►▸‣⁃∙·*✓✔➢➤-]\s*")


_END_OF_SENTENCE = re.compile(r"[.!?:;)\]\"”’']\s*$")


MAX_WORDS = 18


MAX_LEVELS = 4
# styles ranked below this many are running text; a style ranked deeper than MAX_LEVELS may still
# give a heading within it, once the levels no heading uses are closed up
MAX_STYLES = 6


Key = tuple[float, bool, bool, bool]  # size, bold, italic, capitals


@dataclass
class _Line:
    """A line with what the detector needs to know about its surroundings."""

    line: Line
    page: int  # physical page
    text: str
    size: float
    bold: bool
    italic: bool
    caps: bool
    order: int = 0  # its index among the page's lines: the order the sections are read in
    column: int | None = None  # 0 left, 1 right on a two-column page; None otherwise or across
    prev: _Line | None = None  # the line above in the same column
    next: _Line | None = None
    row_mates: list[_Line] = field(default_factory=list)  # other fragments at the same height

    @property
    def key(self) -> Key:
        return (self.size, self.bold, self.italic, self.caps)

    @property
    def top(self) -> float:
        return self.line.top or 0.0

    @property
    def width(self) -> float:
        return (self.line.x1 or 0.0) - (self.line.x0 or 0.0)


@dataclass
class _Heading:
    lines: list[_Line]
    text: str
    strong: bool  # set in a larger font than the body

    @property
    def first(self) -> _Line:
        return self.lines[0]


@dataclass(frozen=True)
class _Body:
    size: float
    bold: bool
    italic: bool
    leading: float  # distance between the tops of two consecutive body lines
    width: float  # a typical full body line


def detect_headings(doc: Document) -> list[TocEntry]:
    """The headings of ``doc`` as table-of-contents entries, in document order."""
    pages = doc.body
    if not any(line.size for page in pages for line in page.lines):
        return _text_headings(pages)
    lines_by_page = [_prepare(page) for page in pages]
    all_lines = [ln for page_lines in lines_by_page for ln in page_lines]
    if not all_lines:
        return []
    body = _body_style(all_lines)
    furniture = _furniture(pages, lines_by_page, body)
    skip_pages = _contents_pages(doc, pages, lines_by_page)
    headings: list[_Heading] = []
    title_page = next((page.number for page, lines in zip(pages, lines_by_page, strict=True) if lines), 1)
    for page, page_lines in zip(pages, lines_by_page, strict=True):
        if not page_lines:
            continue
        title_block_end = _title_block_end(page_lines, body) if page.number == title_page else None
        used: set[int] = set()
        for ln in page_lines:
            if id(ln) in used or id(ln) in furniture:
                continue
            heading = _heading_at(ln, body, furniture)
            if heading is None:
                continue
            used.update(id(x) for x in heading.lines)
            # a contents page lists headings without being one; a section may still start below it
            if page.number in skip_pages and not _FRONT_NAMES.match(_bare(heading.text)):
                if not heading.strong or ln.row_mates:
                    continue
            if title_block_end is not None and ln.top < title_block_end and not _opens_section(heading.text):
                continue
            headings.append(heading)
    headings = _drop_running_titles(headings, pages, lines_by_page)
    headings = _drop_text_styles(headings, [ln for ln in all_lines if id(ln) not in furniture])
    headings = _drop_reference_items(headings, body)
    # in the order the page's lines are read, which is the order the sections' text is cut in
    # (the geometric order above only knows two columns: a three-column form mixed them up)
    headings.sort(key=lambda h: (h.first.page, h.first.order))
    return _entries(headings, pages)


def _prepare(page: Page) -> list[_Line]:
    lines = []
    for order, line in enumerate(page.lines):
        text = _without_markers(line)
        if not text:
            continue
        size = round((line.size or 0.0) * 2) / 2
        lines.append(_Line(line, page.number, text, size, line.bold, line.italic, _is_caps(text), order))
    lines = _join_row_fragments(lines)
    by_top = sorted(lines, key=lambda ln: (ln.top, ln.line.x0 or 0.0))
    # the neighbours above and below are looked for in the same column, whatever order
    # pdfminer listed the text boxes in
    tops = [ln.top for ln in by_top]
    for i, ln in enumerate(by_top):
        x0, x1 = ln.line.x0 or 0.0, ln.line.x1 or 0.0
        for j in range(i - 1, -1, -1):
            other = by_top[j]
            if other.top < ln.top - 0.5 * ln.size and _overlap(other, x0, x1):
                ln.prev = other
                if other.next is None:
                    other.next = ln
                break
        start = bisect.bisect_left(tops, ln.top - 0.5 * ln.size)
        stop = bisect.bisect_right(tops, ln.top + 0.5 * ln.size)
        for other in by_top[start:stop]:
            if other is not ln and abs(other.top - ln.top) < 0.5 * ln.size and not _overlap(other, x0, x1):
                ln.row_mates.append(other)
    return _reading_order(by_top, page.width or max((ln.line.x1 or 0.0 for ln in lines), default=600.0))


def _reading_order(lines: list[_Line], width: float) -> list[_Line]:
    """Top to bottom, and on a two-column page the left column before the right one.

    A line across both columns (a title, a wide figure) closes a band: what is above
    it in both columns is read first.
    """
    mid = width / 2

    def column(ln: _Line) -> int | None:
        if (ln.line.x1 or 0.0) <= mid + 0.02 * width:
            return 0
        if (ln.line.x0 or 0.0) >= mid - 0.02 * width:
            return 1
        return None

    columns = Counter(column(ln) for ln in lines if len(ln.text) > 25)
    if columns[0] < 5 or columns[1] < 5:
        return lines
    for ln in lines:
        ln.column = column(ln)
    out: list[_Line] = []
    band: list[_Line] = []
    for ln in lines:
        col = column(ln)
        if col is None:
            out += sorted(band, key=lambda x: (column(x), x.top))
            band = []
            out.append(ln)
        else:
            band.append(ln)
    return out + sorted(band, key=lambda x: (column(x), x.top))


def _without_markers(line: Line) -> str:
    """The text without footnote markers (``METHODS1`` is the heading ``METHODS``)."""
    text = line.text
    for start, end in sorted(line.superscripts, reverse=True):
        if text[start:end].strip().isdigit() or len(text[start:end].strip()) <= 2:
            text = text[:start] + text[end:]
    return re.sub(r"\s+", " ", text).strip()


def _is_caps(text: str) -> bool:
    # an acronym (JSON, HTML) is no sign of a capitals heading style
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 6 and sum(ch.isupper() for ch in letters) >= 0.9 * len(letters)


def _overlap(other: _Line, x0: float, x1: float) -> bool:
    return (other.line.x0 or 0.0) < x1 - 1 and (other.line.x1 or 0.0) > x0 + 1


def _join_row_fragments(lines: list[_Line]) -> list[_Line]:
    """Glue fragments of one visual line: a section number set apart from its title, split words."""
    out: list[_Line] = []
    for ln in sorted(lines, key=lambda x: (round(x.top), x.line.x0 or 0.0)):
        last = out[-1] if out else None
        if last is not None and _same_visual_line(last, ln):
            number = _NUMBER_ONLY.match(last.text) is not None
            # a chapter number set large beside its title: the title's style is the heading's
            style = ln if number else last
            merged = Line(
                text=last.text + " " + ln.text,
                size=style.line.size,
                bold=style.bold,
                italic=style.line.italic,
                x0=last.line.x0,
                top=min(last.top, ln.top),
                x1=ln.line.x1,
                bottom=max(last.line.bottom or 0.0, ln.line.bottom or 0.0),
            )
            out[-1] = _Line(
                merged,
                ln.page,
                merged.text,
                style.size,
                style.bold,
                style.italic,
                _is_caps(ln.text),
                min(last.order, ln.order),
            )
        else:
            out.append(ln)
    return out


def _same_visual_line(left: _Line, right: _Line) -> bool:
    gap = (right.line.x0 or 0.0) - (left.line.x1 or 0.0)
    size = max(left.size, right.size, 1.0)
    if _NUMBER_ONLY.match(left.text):
        return abs(left.top - right.top) < 0.4 * size and 0 <= gap < 4 * size
    same_style = left.size == right.size and left.bold == right.bold
    return same_style and abs(left.top - right.top) < 0.3 * size and 0 <= gap < 1.2 * right.size


def _body_style(lines: Sequence[_Line]) -> _Body:
    chars: Counter[tuple[float, bool, bool]] = Counter()
    for ln in lines:
        chars[(ln.size, ln.bold, ln.italic)] += len(ln.text)
    (size, bold, italic), _ = chars.most_common(1)[0]
    gaps = [
        ln.top - ln.prev.top
        for ln in lines
        if ln.prev is not None
        and ln.size == size
        and ln.prev.size == size
        and 0 < ln.top - ln.prev.top < 3 * size
    ]
    leading = statistics.median(gaps) if gaps else 1.2 * size
    widths = sorted(ln.width for ln in lines if ln.size == size and len(ln.text) > 30)
    width = widths[int(len(widths) * 0.75)] if widths else 300.0
    return _Body(size, bold, italic, leading, width)


def _furniture(pages: Sequence[Page], lines_by_page: Sequence[list[_Line]], body: _Body) -> set[int]:
    """Running headers and footers (text repeated at the page edges) and page numbers."""
    out: set[int] = set()
    repeated: Counter[str] = Counter()
    edge: list[tuple[_Line, str]] = []
    for page, lines in zip(pages, lines_by_page, strict=True):
        height = page.height or max((ln.line.bottom or 0.0 for ln in lines), default=800.0)
        seen = set()
        numbers = {str(page.number), page.label or ""} - {""}
        extent = _extent(lines)
        for ln in lines:
            if _at_edge(ln, extent, height):
                if PAGE_NUMBER_LINE.match(ln.text):
                    out.add(id(ln))
                    continue
                # a running header carries the page number: "38 CHAPTER 7. GUIDANCE", "Title | 12"
                # (a chapter number can equal the page number: only small lines in the margin proper)
                small = ln.size <= body.size * 1.05
                ends = re.findall(r"^\d+|\d+$", ln.text) if small and _in_margin(ln, height) else []
                if any(m.text in numbers for m in ln.row_mates) or any(e in numbers for e in ends):
                    out.add(id(ln))
                    continue
                shape = re.sub(r"\d+", "#", ln.text.lower())
                edge.append((ln, shape))
                if shape not in seen:
                    repeated[shape] += 1
                    seen.add(shape)
    needed = 3 if len(pages) > 6 else 2
    for ln, shape in edge:
        if repeated[shape] >= needed:
            out.add(id(ln))
    return out


def _in_margin(ln: _Line, height: float) -> bool:
    return ln.top < 0.1 * height or (ln.line.bottom or ln.top) > 0.9 * height


def _extent(lines: Sequence[_Line]) -> tuple[float, float]:
    """Where the text of a page starts and ends."""
    if not lines:
        return 0.0, 0.0
    return min(x.top for x in lines), max(x.line.bottom or x.top for x in lines)


def _at_edge(ln: _Line, extent: tuple[float, float], height: float) -> bool:
    """In the top or bottom margin: near the paper's edge, or the first or last line of the page."""
    top, bottom = extent
    return _in_margin(ln, height) or ln.top <= top + 1 or (ln.line.bottom or ln.top) >= bottom - 1


def _contents_pages(doc: Document, pages: Sequence[Page], lines_by_page: Sequence[list[_Line]]) -> set[int]:
    """``listing_pages``, and pages whose layout shows a listing: leaders, or page numbers in a
    right-hand column beside their titles (a listing whose lines do not end in their numbers)."""
    out = set(listing_pages(doc))
    for page, lines in zip(pages, lines_by_page, strict=True):
        width = page.width or max((ln.line.x1 or 0.0 for ln in lines), default=600.0)
        listed = sum(
            1
            for ln in lines
            if has_leader(ln.text)
            or (PAGE_NUMBER_LINE.match(ln.text) and (ln.line.x0 or 0.0) > 0.6 * width and ln.row_mates)
        )
        if listed >= max(5, 0.3 * len(lines)):
            out.add(page.number)
    return out


def _title_block_end(lines: Sequence[_Line], body: _Body) -> float:
    """Where the running text starts on page 1: what is above it is the title block."""
    for ln in lines:
        if ln.size == body.size and not ln.bold and len(ln.text.split()) >= 8:
            return ln.top - 0.1
    return float("inf")


def _heading_at(ln: _Line, body: _Body, furniture: set[int]) -> _Heading | None:
    ratio = ln.size / body.size if body.size else 1.0
    strong = ratio >= 1.12
    emphasis = (ln.bold and not body.bold) or ln.caps or (ln.italic and not body.italic)
    # a numbered line in the body font counts when space sets it apart, above and below
    numbered = not strong and not emphasis and ratio >= 0.95 and bool(NUMBER.match(ln.text))
    if not strong and not (emphasis and ratio >= 0.85) and not numbered:
        return None
    if not _plausible_text(ln.text, wrapped=True) or _is_table_cell(ln, body):
        return None
    lines = _heading_lines(ln, body, furniture, tight=not (strong or emphasis))
    if lines is None:
        return None
    joined = _join(lines)
    if len(joined.split()) > MAX_WORDS or len(joined) > 160 or not _plausible_text(joined):
        return None
    below = lines[-1].next
    if (
        below is not None
        and _numeric(below.text)
        and below.top - lines[-1].top < 3 * max(ln.size, body.leading)
    ):
        return None  # the header row of a table, its figures right below
    if not strong and not _set_apart(lines, joined, body, numbered):
        return None
    return _Heading(lines, joined, strong)


def _heading_lines(ln: _Line, body: _Body, furniture: set[int], tight: bool) -> list[_Line] | None:
    """The line and those that continue it: a title under its number, a wrapped title."""
    lines = [ln]
    if _NUMBER_ONLY.match(ln.text):
        # "Chapter 3" or "2.1" on its own line, the title below it (maybe in another size)
        nxt = ln.next
        if nxt is None or nxt.top - ln.top > 4 * max(ln.size, nxt.size) or id(nxt) in furniture:
            return None
        if nxt.size < body.size * 0.95 or not _plausible_text(nxt.text) or _NUMBER_ONLY.match(nxt.text):
            return None
        lines.append(nxt)
    # wrapped: same style, tight spacing, no number starting the next line; a heading in the
    # body font keeps to the body's spacing, or it would swallow the paragraph below it
    while len(lines) < 3:
        last = lines[-1]
        nxt = last.next
        if (
            nxt is None
            or id(nxt) in furniture
            or nxt.key != last.key
            or nxt.top - last.top > (1.2 * body.leading if tight else 1.8 * max(last.size, 1.0))
            or NUMBER.match(nxt.text)
            or _CAPTION.match(nxt.text)
            or (_END_OF_SENTENCE.search(last.text) and not last.text.endswith(":"))
        ):
            break
        lines.append(nxt)
    return lines


def _set_apart(lines: list[_Line], joined: str, body: _Body, numbered: bool) -> bool:
    """Is a heading in the body size set apart from the text like one, not part of a paragraph?"""
    first, last = lines[0], lines[-1]
    above, below = first.prev, last.next
    # space above: the first line of a column, or more than the body's line spacing
    if above is not None:
        gap = first.top - above.top
        if gap < 1.2 * body.leading or (gap < 1.25 * body.leading and above.key == first.key):
            return False
    if below is not None and below.top - last.top < 1.15 * body.leading:
        # a bold run-in opening a paragraph: the line runs the full width and the text goes on
        if last.width >= 0.85 * body.width and not _END_OF_SENTENCE.search(last.text):
            return False
        if below.text[:1].islower():
            return False
    words = len(joined.split())
    if not first.bold and first.caps and words > 10:
        return False
    if numbered and (
        below is None
        or below.top - last.top < 1.3 * body.leading
        or words > 12
        or _END_OF_SENTENCE.search(joined)
        or last.width >= 0.85 * body.width
    ):
        return False
    if joined.endswith(".") and not joined.endswith("..") and (words > 8 or NUMBER.match(joined)):
        return False  # an emphasised sentence, or a numbered list item
    return not (_list_item(first, first.prev) or _list_item(first, first.next))


def _list_item(ln: _Line, other: _Line | None) -> bool:
    """``1.`` next to ``2.`` (or ``a)`` next to ``b)``) close by: items of a list."""
    if other is None or abs(other.top - ln.top) > 3 * ln.size:
        return False
    a, b = _LIST_MARK.match(ln.text), _LIST_MARK.match(other.text)
    return bool(a and b) and a.group(1).isdigit() == b.group(1).isdigit()


def _plausible_text(text: str, wrapped: bool = False) -> bool:
    """Could this be (the first line of, when ``wrapped``) a heading?"""
    letters = sum(ch.isalpha() for ch in text)
    if letters < 2 or letters < 0.5 * len(text.replace(" ", "")):
        return False  # numbers, equations, symbols
    if _BARE_NUMBER.match(text) or _CAPTION.match(text) or has_leader(text) or _BULLET.match(text):
        return False
    if re.search(r"\s\d{1,4}$", text) and re.search(r"(?:\.\s?){3,}|\t", text):
        return False
    bare = _bare(text)
    first = next((ch for ch in bare if ch.isalnum()), "")
    if first.islower():
        return False  # the rest of a sentence
    if (not wrapped and text.rstrip().endswith((",", ";", "-", "–", "—"))) or re.search(r"[=<>±×∑∫√]", text):
        return False
    if text.count("@") or re.search(r"https?://|www\.", text):
        return False
    return True


def _is_table_cell(ln: _Line, body: _Body) -> bool:
    """Separate short fragments side by side at this height: a table row, not a heading.

    A line of running text in the other column of a two-column page is no table
    cell: it is long, or it ends a paragraph of long lines.
    """

    def running_text(m: _Line) -> bool:
        return any(x is not None and x.width >= 0.6 * body.width for x in (m, m.prev, m.next))

    def other_column(m: _Line) -> bool:
        return ln.column is not None and m.column is not None and m.column != ln.column

    def stray(m: _Line) -> bool:  # a lone letter of a figure's label
        return len(m.text) == 1 and m.text.isalpha()

    return any(not running_text(m) and not other_column(m) and not stray(m) for m in ln.row_mates)


def _numeric(text: str) -> bool:
    chars = text.replace(" ", "")
    return bool(chars) and sum(ch.isdigit() for ch in chars) >= 0.5 * len(chars)


def _opens_section(text: str) -> bool:
    return bool(_FRONT_NAMES.match(_bare(text))) or bool(NUMBER.match(text))


def _bare(text: str) -> str:
    _number, title = split_number(text)
    return re.sub(r"[\s:.]+$", "", title).strip()


def _join(lines: Sequence[_Line]) -> str:
    out = ""
    for ln in lines:
        if out.endswith("-") and ln.text[:1].islower():
            out = out[:-1] + ln.text
        else:
            out = (out + " " + ln.text).strip()
    return out


def _drop_running_titles(
    headings: list[_Heading], pages: Sequence[Page], lines_by_page: Sequence[list[_Line]]
) -> list[_Heading]:
    """A section title repeated at the top or bottom of pages, in another style, is a running header."""
    heights = {p.number: p.height or 800.0 for p in pages}
    extents = {p.number: _extent(lines) for p, lines in zip(pages, lines_by_page, strict=True)}

    def at_edge(h: _Heading) -> bool:
        extent, height = extents[h.first.page], heights[h.first.page]
        return _at_edge(h.first, extent, height) or _at_edge(h.lines[-1], extent, height)

    styles: dict[str, set[Key]] = {}
    for h in headings:
        if not at_edge(h):
            styles.setdefault(fold_compact(_bare(h.text)), set()).add(h.first.key)
    out = []
    for h in headings:
        known = styles.get(fold_compact(_bare(h.text)))
        # (a chapter title set at the top of its first page is no smaller than its repeats)
        if at_edge(h) and known and h.first.key not in known and h.first.size <= min(k[0] for k in known):
            continue
        out.append(h)
    return out


def _drop_text_styles(headings: list[_Heading], lines: Sequence[_Line]) -> list[_Heading]:
    """A weight or case used all through the running text (emphasis, sidebars) is no heading style.

    Headings in the body size are only believed when their style is mostly used for
    isolated short lines, or when they carry a section number.
    """
    per_key_lines: Counter[Key] = Counter(ln.key for ln in lines)
    per_key_heads: Counter[Key] = Counter()
    for h in headings:
        per_key_heads[h.first.key] += len(h.lines)
    out = []
    for h in headings:
        key = h.first.key
        if h.strong or NUMBER.match(h.text):
            out.append(h)
            continue
        if per_key_heads[key] >= 0.3 * per_key_lines[key]:
            out.append(h)
    return out


def _drop_reference_items(headings: list[_Heading], body: _Body) -> list[_Heading]:
    """Inside a reference list, only styles already used for headings before it count."""
    out: list[_Heading] = []
    known: set[Key] = set()
    in_references = False
    for h in headings:
        key = h.first.key
        if _REFERENCE_ITEM.search(h.text) and not h.strong:
            continue
        if in_references and key not in known and not (h.strong and h.first.size > body.size * 1.3):
            continue
        if is_references_heading(h.text):
            in_references = True
        elif in_references and key in known:
            in_references = False  # the next real section (an appendix) ends the list
        known.add(key)
        out.append(h)
    return out


def _entries(headings: list[_Heading], pages: Sequence[Page]) -> list[TocEntry]:
    if not headings:
        return []
    levels = _levels(headings)
    entries = []
    labels = {p.number: p.label for p in pages}
    in_parts = False
    # levels become depths in the tree they imply: a level skipped (1 then 4) is closed up for the
    # whole run of its siblings, not for the first of them only
    stack: list[tuple[int, int]] = []  # (level from the styles, depth given)
    for h, level in zip(headings, levels, strict=True):
        if level is None:
            continue
        number, title = split_number(h.text)
        # "Part I" holds chapters: once parts begin, everything else moves one level down
        is_part = bool(number and re.match(r"^(?:part|partie)\b", number, re.I))
        in_parts = in_parts or is_part
        if in_parts and not is_part:
            level = min(level + 1, MAX_LEVELS)
        title = re.sub(r"\s*[:.]\s*$", "", title) if not title.endswith("...") else title
        while stack and stack[-1][0] >= level:
            stack.pop()
        depth = stack[-1][1] + 1 if stack else 1
        if depth > MAX_LEVELS:
            continue
        stack.append((level, depth))
        level = depth
        entries.append(
            TocEntry(
                title=title, level=level, number=number, page=labels.get(h.first.page), pdf_page=h.first.page
            )
        )
    return entries


def _levels(headings: Sequence[_Heading]) -> list[int | None]:
    """Rank the heading styles (larger, then bold, then capitals first); numbering depth wins."""

    def prominence(key: Key) -> tuple[float, bool, bool, bool]:
        size, bold, italic, caps = key
        return (-size, not bold, not caps, not italic)

    keys = sorted({h.first.key for h in headings}, key=prominence)
    depth_votes: dict[Key, Counter[int]] = {k: Counter() for k in keys}
    for h in headings:
        depth = number_depth(split_number(h.text)[0])
        if depth:
            depth_votes[h.first.key][depth] += 1
    uses = Counter(h.first.key for h in headings)
    key_level: dict[Key, int] = {}
    numbered_keys: set[Key] = set()
    deepest = 0
    pending: list[Key] = []  # styles used once: a cover or contents title, they open no level
    frequent_above = 0  # the deepest level of the frequent styles seen so far
    for key in keys:
        votes = depth_votes[key]
        depth = votes.most_common(1)[0][0] if votes else 0
        # numbers that restart inside a section (points of a list set as small headings) are
        # local: a style below the frequent ones keeps its rank, not its number's depth
        if votes and sum(votes.values()) * 2 >= uses[key] and (depth >= 2 or depth >= frequent_above):
            level = depth
            numbered_keys.add(key)
        elif uses[key] == 1:
            pending.append(key)
            continue
        else:
            level = deepest + 1
        for waiting in pending:
            key_level[waiting] = level
        pending = []
        key_level[key] = level
        deepest = max(deepest, level)
        if uses[key] >= 3:
            frequent_above = max(frequent_above, level)
    for waiting in pending:
        key_level[waiting] = deepest + 1
    # a style ranked below MAX_LEVELS counts only when it titles pages
    titles = _page_title_styles(headings)
    out: list[int | None] = []
    for h in headings:
        depth = number_depth(split_number(h.text)[0])
        # a style that mostly carries section numbers takes each heading's own depth; a few
        # numbered items (principles, steps) in an unnumbered style keep the style's level
        level = depth if depth and h.first.key in numbered_keys else key_level[h.first.key]
        out.append(level if level <= MAX_LEVELS or (level <= MAX_STYLES and h.first.key in titles) else None)
    return out


def _page_title_styles(headings: Sequence[_Heading]) -> set[Key]:
    """Styles used at least three times, never twice on a page nor twice with the same text (a
    running header), each time with nothing above but a smaller line."""
    pages: dict[Key, list[int]] = {}
    texts: dict[Key, set[str]] = {}
    for h in headings:
        above = h.first.prev
        top = above is None or above.size < h.first.size
        pages.setdefault(h.first.key, []).append(h.first.page if top else -1)
        texts.setdefault(h.first.key, set()).add(_repeat_key(h.text))
    return {
        k for k, p in pages.items() if len(p) >= 3 and -1 not in p and len(set(p)) == len(p) == len(texts[k])
    }


_DIGIT = re.compile(r"\d")


def _repeat_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def stands_alone(lines: Sequence[tuple[object, Line]], i: int) -> bool:
    """Whether line ``i`` of a text file stands between blank lines (or a blank line and the end)."""
    return lines[i][1].after_blank and (i + 1 == len(lines) or lines[i + 1][1].after_blank)


# "3", "6.2", "B.2": a section's number (not the "a" of a figure's panel)
_SECTION_NUMBER = re.compile(r"\d{1,2}(?:\.\d{1,2})*|[A-Z](?:\.\d{1,2})+")


def _text_headings(pages: Sequence[Page]) -> list[TocEntry]:
    """Numbered lines, capitals, short lines between sentences: all a text file can tell."""
    entries: list[TocEntry] = []
    kept = [(page, ln) for page in pages for ln in page.lines if ln.text.strip()]
    # only short lines can be headings, and only a short line repeats one (numbers aside): count
    # those; a line of more than 12 words never has the key of one of 12 or fewer (digits become
    # "#" within their words), so the long lines of the body need not be counted
    repeated = Counter(
        _repeat_key(text)
        for text in (ln.text.strip() for _p, ln in kept)
        if (len(text) <= 100 or _DIGIT.search(text)) and len(text.split()) <= 12
    )
    needed = 3 if len(pages) > 6 else max(2, len(pages))
    for i, (page, line) in enumerate(kept):
        text = line.text.strip()
        if len(text) > 100 or len(text.split()) > 12:
            continue
        if repeated[_repeat_key(text)] >= needed and len(pages) > 1:
            continue  # a running header or footer
        if not _plausible_text(text):
            continue
        number, title = split_number(text)
        letters = [ch for ch in title if ch.isalpha()]
        caps = len(letters) >= 4 and sum(ch.isupper() for ch in letters) >= 0.9 * len(letters)
        if text.endswith((".", ",", ";")) and not _NUMBER_ONLY.match(text):
            continue
        before = kept[i - 1][1].text.strip() if i else ""
        after = kept[i + 1][1].text.strip() if i + 1 < len(kept) else ""
        # a heading stands between the end of one sentence and the start of the next
        isolated = (
            not before
            or _END_OF_SENTENCE.search(before)
            or (bool(entries) and entries[-1].title in before)
            or (  # alone between blank lines, whatever the line before says
                bool(_SECTION_NUMBER.fullmatch(number or ""))
                and stands_alone(kept, i)
                and title[:1].isupper()
                and len(title) > 3
            )
        )
        if not (number or caps) or (after and after[:1].islower()):
            continue
        if not isolated and not (number and caps):
            continue
        depth = number_depth(number) or 1
        if number and re.match(r"^[A-H]$", number):
            depth = 2
        entries.append(
            TocEntry(
                title=title,
                level=min(depth, MAX_LEVELS),
                number=number,
                page=page.label,
                pdf_page=page.number,
            )
        )
    previous = 0
    fixed = []
    for e in entries:
        level = min(e.level, previous + 1)
        previous = level
        fixed.append(TocEntry(e.title, level, e.number, e.page, e.pdf_page))
    return fixed
