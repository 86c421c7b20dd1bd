"""Find where each table-of-contents entry's heading is in the body.

Titles differ between the contents page and the body (case, spacing, numbering,
hyphenation, wrapping), so matching is done on a compact form: accents folded,
numbering dropped, only letters and digits kept. Entries are found in order,
each after the previous one, near the page the contents give when there is one;
contents pages and lines that look like contents lines are never taken.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from ifri_cli.model import Document, Line, Page, TocEntry
from ifri_cli.structure.contents import listing_pages
from ifri_cli.text.fold import fold
from ifri_cli.text.patterns import LEADER_SEARCH, LISTING_LINE

# "Appendix B", "Chapter 3", "Part IV": a label word and what it numbers
_LABEL_WORD = (
    r"(?:chapter|chapitre|part|partie|section|annex|appendix|annexe)\s+(?:\d+(?:\.\d+)*|(?-i:[IVXLC]+|[A-Z]))"
)


_NUMBERING = re.compile(
    # "Appendix B: Model Construction", "Chapter 3. Oil", "Part IV Debt"
    rf"^\s*(?:{_LABEL_WORD}[.:)]?\s+"
    # "3.2 Rosneft", "IV. Debt", "b) Scope"
    r"|(?:\d+(?:\.\d+)*\.?|[ivxlc]+\.|[a-h][.)])\s+)",
    re.I,
)




# "Appendix A. Synoptic Report Template": the heading of an entry the contents call "Appendix A"
_LABEL = re.compile(rf"^\s*({_LABEL_WORD})\s*[.:–—-]\s+\S", re.I)


_LABEL_SCORE = 0.9


# "(Appendix A)." alone on a line is a reference to the heading, never the heading
_PARENTHESES = re.compile(r"^\s*\([^()]*\)[.,;:]?\s*$")


MIN_SCORE = 0.84


@dataclass(frozen=True)
class Location:
    pdf_page: int
    line: int  # index into the page's lines
    lines: int  # how many lines the heading spans (a wrapped heading); 0: its line is text too
    score: float  # similarity, 0..1


def compact(title: str) -> str:
    """The form titles are compared in: no numbering, no spaces, no punctuation."""
    return fold(_NUMBERING.sub("", title, count=1)).replace(" ", "")


def similar(text: str, target: str) -> bool:
    """Whether two compact titles are the same but for a few letters (extraction, typos): of
    lengths close to the target's, and alike by at least 0.85 of their characters."""
    if abs(len(text) - len(target)) > max(3, 0.2 * len(target)):
        return False
    matcher = SequenceMatcher(None, text, target, autojunk=False)
    return matcher.quick_ratio() >= 0.85 and matcher.ratio() >= 0.85


def _score(target: str, candidate: str) -> float:
    if not candidate or not target:
        return 0.0
    if candidate == target:
        return 1.0
    if len(target) >= 12 and candidate.startswith(target):
        return 0.86  # a run-in heading: the paragraph starts on the heading's line
    if abs(len(candidate) - len(target)) > max(4, 0.25 * len(target)):
        return 0.0
    matcher = SequenceMatcher(None, target, candidate, autojunk=False)
    if matcher.real_quick_ratio() < MIN_SCORE or matcher.quick_ratio() < MIN_SCORE:
        return 0.0
    return matcher.ratio()


class _PageText:
    """A page's lines in compact form, from which single lines and 2-3 line joins are compared.

    ``compact(a + " " + b)`` is ``opening[a] + rest[b]``: the numbering is dropped from the start of
    the join only, and hyphens and spaces go in either. Three strings a line, not the joins.
    """

    __slots__ = ("alone", "label", "opening", "rest")

    def __init__(self, lines: Sequence[Line]) -> None:
        self.alone: list[str | None] = []  # the line on its own; None for a contents line
        self.opening: list[str] = []  # the line starting a join ("3" then "Title": the 3 is numbering)
        self.rest: list[str] = []  # the line inside a join (numbering kept)
        self.label: dict[int, str] = {}  # "appendixa" for "Appendix A. Synoptic Report Template"
        for index, line in enumerate(lines):
            text = line.text
            alone = compact(text)
            opening = compact(text + " ")
            self.opening.append(alone if opening == alone else opening)
            self.rest.append(fold(text).replace(" ", ""))
            leader = LISTING_LINE.search(text) and LEADER_SEARCH.search(text)
            self.alone.append(None if leader or _PARENTHESES.match(text) else alone)
            if label := _LABEL.match(text):
                self.label[index] = fold(label.group(1)).replace(" ", "")


def _candidates_cache(doc: Document, pages: Sequence[Page]) -> tuple[set[int], dict[int, _PageText | None]]:
    """The contents-like pages to skip and the candidates of each page searched so far.

    The contents check, the placing of entries and the sections tree each locate entries in the
    same pages: the candidates are made once, and kept with the document.
    """
    return doc.derived("locate.candidates", pages, lambda: (listing_pages(doc), {}))


def locate_entries(doc: Document, entries: Sequence[TocEntry]) -> list[Location | None]:
    """Where each entry's heading line is, in document order; ``None`` when not found."""
    pages = doc.body
    skip, cache = _candidates_cache(doc, pages)

    def candidates(number: int) -> _PageText | None:
        if number not in cache:
            cache[number] = None if number in skip else _PageText(pages[number - 1].lines)
        return cache[number]

    result: list[Location | None] = []
    after = (0, -1)  # (page, line) of the previous heading found
    # the page the next entries point to: a heading found past it would put the sections out of order
    limits: list[int | None] = []
    limit = None
    for entry in reversed(entries):
        limits.append(limit)
        if entry.pdf_page and 1 <= entry.pdf_page <= len(pages):
            limit = entry.pdf_page if limit is None else min(limit, entry.pdf_page)
    limits.reverse()
    for entry, limit in zip(entries, limits, strict=True):
        target = compact(entry.title)
        if not target:
            result.append(None)
            continue
        hint = entry.pdf_page if entry.pdf_page and 1 <= entry.pdf_page <= len(pages) else None
        if hint:
            near = [hint, hint + 1, hint - 1, hint + 2]
            order = [p for p in near if 1 <= p <= len(pages) and p >= after[0]]
        else:
            order = list(range(max(1, after[0]), len(pages) + 1))
        found = _search(order, candidates, target, after)
        if found is None and hint and entry.number:
            found = _by_number(order, pages, skip, entry.number, target, after)
        if found is None and hint:
            # the contents may point a few pages off (a shifted layout): look further, strictly
            rest = [p for p in range(max(1, after[0]), len(pages) + 1) if p not in order]
            found = _search(rest, candidates, target, after, minimum=0.93)
            if found is not None and limit is not None and found.pdf_page > limit + 2:
                found = None  # a mention far on, past the headings that follow (irs: p19 for p6)
        result.append(found)
        # a match far from the page the contents give is kept, but does not move the search
        # point past the entries that follow (one bad match must not hide all the rest)
        if found is not None and (hint is None or found.pdf_page <= hint + 2):
            after = (found.pdf_page, found.line + max(1, found.lines) - 1)
    return result


def _search(order, candidates, target: str, after: tuple[int, int], minimum: float = MIN_SCORE):  # type: ignore[no-untyped-def]
    best: Location | None = None
    # _score's cheap tests, inline: most lines are too long or too short to be the heading
    slack, run_in = max(4, 0.25 * len(target)), len(target) >= 12
    for number in order:
        if number < after[0]:
            continue
        page = candidates(number)
        if page is None:
            continue
        alone, opening, rest, labels = page.alone, page.opening, page.rest, page.label
        # the lines up to the previous heading are passed over at once: a text file without form
        # feeds is one page of thousands of headings
        for index in range(after[1] + 1 if number == after[0] else 0, len(alone)):
            head = alone[index]
            if head is None:
                continue
            label_wins = minimum <= _LABEL_SCORE and not (best and best.score >= _LABEL_SCORE)
            if label_wins and labels.get(index) == target:
                best = Location(number, index, 0, _LABEL_SCORE)  # 0: the line's title stays in the text
            for span in range(1, 4):
                if index + span > len(alone):
                    break
                if span == 2:
                    head = opening[index]
                length = len(head) + sum(len(rest[k]) for k in range(index + 1, index + span))
                # _score's cheap tests first: most lines are too long or too short to be the heading
                if abs(length - len(target)) > slack and not (
                    run_in and length > len(target) and (head.startswith(target) or target.startswith(head))
                ):
                    continue
                text = head if span == 1 else head + "".join(rest[index + 1 : index + span])
                score = _score(target, text)
                if score >= minimum and (best is None or score > best.score + 1e-9):
                    best = Location(number, index, span, score)
                    if score == 1.0:
                        return best
        if best is not None:
            return best  # the first page in preference order that has a match wins
    return best


def _by_number(order, pages, skip, number: str, target: str, after: tuple[int, int]):  # type: ignore[no-untyped-def]
    """A heading whose number is printed but whose wording differs from the outline's.

    "5.4 Rationale for the recommendations" in the body, "5.4 Rationale for recommendation" in
    the bookmarks: on the pages the entry points to, a line opening with the entry's number
    and a title like it (most letters in common, or one the start of the other) is the heading.
    """
    opening = re.compile(rf"^\s*{re.escape(number)}\.?\s+(?=\S)")
    best: Location | None = None
    for page_number in order:
        if page_number < after[0] or page_number in skip:
            continue
        lines = pages[page_number - 1].lines
        for index in range(after[1] + 1 if page_number == after[0] else 0, len(lines)):
            if not (numbered := opening.match(lines[index].text)):
                continue
            for span in (1, 2):
                joined = " ".join(ln.text for ln in lines[index : index + span])
                text = fold(joined[numbered.end() :]).replace(" ", "")  # "A.3." is not numbering to compact
                if span == 2 and (index + 1 >= len(lines) or len(text) > len(target) + 4):
                    break
                short = min(len(text), len(target))
                prefix = short >= 4 and (text.startswith(target[:short]) or target.startswith(text[:short]))
                score = SequenceMatcher(None, target, text, autojunk=False).ratio()
                if (prefix or score >= 0.6) and (best is None or score > best.score):
                    best = Location(page_number, index, span, score)
        if best is not None:
            return best
    return None
