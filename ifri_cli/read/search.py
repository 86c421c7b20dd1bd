"""Find text in the cleaned body and say where it is: section, printed page.

Each section is searched in its own lines joined with spaces (clean has already
joined words hyphenated across lines), so a phrase broken over a line, or a word
the PDF split with stray spaces, is still found. Matching is accent-insensitive
unless ``fold=False``, and case-insensitive unless the pattern has capitals.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from ifri_cli.errors import UsageError
from ifri_cli.model import Document, SearchHit, Section
from ifri_cli.structure.address import positions
from ifri_cli.structure.contents import listing_pages
from ifri_cli.structure.sections import all_sections
from ifri_cli.text.fold import strip_accents

_SENTENCE_END = re.compile(
    r"(?<!\b[Nn]o)(?<!\bpp)(?<!\b[Vv]ol)(?<!\b[Aa]rt)(?<!\bcf)(?<!\b[Mm]r)(?<!\b[Dd]r)(?<!\be\.g)(?<!\bi\.e)"
    r"(?<!\b[A-Z])(?<!\bU\.S)(?<!\bet al)"
    r"[.!?…][)\]\"”’»]*\s+(?=[\"“«(]?[A-ZÀ-Ý0-9])"
)


@dataclass(frozen=True)
class Options:
    regex: bool = False
    word: bool = False
    case: str = "smart"  # smart | sensitive | insensitive
    fold: bool = True
    context: int = 0  # sentences of context on each side
    max_hits: int | None = None  # per document, like grep -m

    def to_kwargs(self) -> dict[str, object]:
        """As ``Document.search`` takes them."""
        return {field: getattr(self, field) for field in self.__dataclass_fields__}


def compile_pattern(pattern: str, options: Options) -> re.Pattern[str]:
    if not pattern.strip():
        raise UsageError("the search pattern is empty")
    text = strip_accents(pattern) if options.fold else pattern
    source = text if options.regex else r"\s+".join(re.escape(part) for part in text.split())
    if options.word:
        source = rf"(?<!\w)(?:{source})(?!\w)"
    sensitive = options.case == "sensitive" or (options.case == "smart" and pattern != pattern.lower())
    try:
        return re.compile(source, 0 if sensitive else re.IGNORECASE)
    except re.error as exc:
        raise UsageError(f"bad regular expression {pattern!r}: {exc}") from None


class _Offsets:
    """For each character of a folded text, its offset in the original.

    Kept as the points where the two drift apart (the characters outside ASCII) rather than
    one number a character: a section of a long file runs to millions of characters.
    """

    def __init__(self) -> None:
        self.folded: list[int] = [0]  # from folded[k] on ...
        self.original: list[int] = [0]  # ... the original offset is original[k] ...
        self.step: list[int] = [1]  # ... plus the distance from folded[k] (0: parts of one character)

    def add(self, folded: int, original: int, step: int) -> None:
        self.folded.append(folded)
        self.original.append(original)
        self.step.append(step)

    def __getitem__(self, at: int) -> int:
        k = bisect_right(self.folded, at) - 1
        return self.original[k] + (at - self.folded[k]) * self.step[k]


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _fold_with_offsets(text: str) -> tuple[str, _Offsets]:
    """Text without accents, and for each of its characters the offset in the original."""
    out: list[str] = []
    index = _Offsets()
    done = length = 0  # characters of ``text`` read, of the folded text written
    for run in _NON_ASCII.finditer(text):
        out.append(text[done : run.start()])
        length += run.start() - done
        for i in range(run.start(), run.end()):
            parts = strip_accents(text[i])
            index.add(length, i, 0)
            out.extend(parts)
            length += len(parts)
        done = run.end()
        index.add(length, done, 1)
    out.append(text[done:])
    return "".join(out), index


class _Same:
    def __getitem__(self, at: int) -> int:
        return at


@dataclass
class _Haystack:
    text: str
    page_starts: list[int]  # offset where each page's text starts
    pages: list[int]  # pdf page numbers, parallel to page_starts


def _body_lines(doc: Document) -> list[tuple[int, str | None]]:
    """(pdf page, text) for every body line, in the order ``Section.span`` counts them;
    lines of contents pages are ``None``: a listing is not text to find things in."""
    pages = doc.body
    skip = listing_pages(doc)
    return [
        (page.number, None if page.number in skip else " ".join(line.text.split()))
        for page in pages
        for line in page.lines
    ]


def _haystacks(section: Section, lines: list[tuple[int, str | None]]) -> Iterator[tuple[str, _Haystack]]:
    """The section's own text (one line a space) and each of its footnotes."""
    if section.span:
        text_parts: list[str] = []
        page_starts: list[int] = []
        page_numbers: list[int] = []
        offset = 0
        for number, piece in lines[section.span[0] : section.span[1]]:
            if piece is None:
                continue
            if not page_numbers or page_numbers[-1] != number:
                page_starts.append(offset)
                page_numbers.append(number)
            text_parts.append(piece)
            offset += len(piece) + 1
        if text_parts:
            yield "text", _Haystack(" ".join(text_parts), page_starts, page_numbers)
    for note in section.notes:
        yield "note", _Haystack(f"[{note.marker}] " + " ".join(note.text.split()), [0], [note.pdf_page])


def search(
    doc: Document, pattern: str, options: Options = Options(), within: Section | None = None
) -> list[SearchHit]:
    regex = compile_pattern(pattern, options)
    lines = _body_lines(doc)
    pos = positions(doc)
    scope = within.walk() if within else all_sections(doc)
    hits: list[SearchHit] = []
    for section in scope:
        number = section.number or pos.get(id(section))
        for where, hay in _haystacks(section, lines):
            folded, index = _fold_with_offsets(hay.text) if options.fold else (hay.text, _Same())
            bounds = None
            for match in regex.finditer(folded):
                if match.end() == match.start():
                    continue
                start = index[match.start()]
                end = index[match.end() - 1] + 1
                pdf_page = hay.pages[max(0, bisect_right(hay.page_starts, start) - 1)]
                bounds = bounds or _sentence_bounds(hay.text)
                snippet, s_start, s_end = _snippet(hay.text, start, end, options.context, bounds)
                hits.append(
                    SearchHit(
                        file=doc.name,
                        number=number,
                        section=section.title,
                        page=doc.pages[pdf_page - 1].label,
                        pdf_page=pdf_page,
                        text=snippet,
                        start=s_start,
                        end=s_end,
                        where=where,
                    )
                )
                if options.max_hits and len(hits) >= options.max_hits:
                    return hits
    return hits


def _sentence_bounds(text: str) -> tuple[list[int], frozenset[int]]:
    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    return bounds, frozenset(bounds)


def _snippet(
    text: str, start: int, end: int, context: int, bounds: tuple[list[int], frozenset[int]], limit: int = 320
) -> tuple[str, int, int]:
    """The sentence(s) around ``text[start:end]``, with the match offsets inside them.

    ``bounds``: ``_sentence_bounds(text)``, computed once per text, not once per hit (a long
    section with thousands of hits was quadratic).
    """
    bounds, bound_set = bounds
    first = max(0, bisect_right(bounds, start) - 1 - context)
    last = min(len(bounds) - 1, bisect_right(bounds, max(start, end - 1)) + context)
    lo, hi = bounds[first], bounds[last]
    # a very long "sentence" (a table, a list): cut around the match
    if hi - lo > limit + (end - start):
        lo = max(lo, start - limit // 2)
        hi = min(hi, end + limit // 2)
        while lo > 0 and lo < start and not text[lo - 1].isspace():
            lo += 1
        while hi < len(text) and hi > end and not text[hi].isspace():
            hi -= 1
    raw = text[lo:hi]
    stripped = raw.lstrip()
    shift = lo + (len(raw) - len(stripped))
    snippet = stripped.rstrip()
    prefix = "…" if lo > 0 and not text[lo - 1 : lo].isspace() and lo not in bound_set else ""
    suffix = "…" if hi < len(text) and hi not in bound_set else ""
    return prefix + snippet + suffix, start - shift + len(prefix), end - shift + len(prefix)


def count_by_section(hits: list[SearchHit]) -> list[tuple[str, str | None, str | None, int]]:
    """(file, number, title, hits) for each section with hits, in document order."""
    counts: dict[tuple[str, str | None, str | None], int] = {}
    for hit in hits:
        key = (hit.file, hit.number, hit.section)
        counts[key] = counts.get(key, 0) + 1
    return [(file, number, title, n) for (file, number, title), n in counts.items()]
