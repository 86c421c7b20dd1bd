"""Fill in what a printed contents page leaves out, from the headings found in the body.

A contents page often stops at the second level while the text goes down to a third
or fourth, and an annex added after the contents was set is not listed at all. The
printed entries stay as they are (titles, numbers, levels, pages); headings from the
body are added only where the contents page cannot have listed them:

- below its deepest level: a heading set in a style deeper than every style of the
  headings that the contents page does list, nested under the entry it falls in (and,
  when numbered, only under its own number);
- between its entries, a part of its own that contents pages often leave out
  (acknowledgements, notes, an index, an appendix);
- after its last entry: from the first heading in a top-level style that the contents
  page does not list (an annex) to the end, with what it holds.

Front matter before the first listed entry stays front matter.

This is done only when the body's headings agree with the contents page: most of its
entries are found among them, in order, on their page or next to it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ifri_cli.model import TocEntry
from ifri_cli.structure.contents import is_contents_heading
from ifri_cli.structure.locate import compact, similar
from ifri_cli.structure.titles import kind_of
from ifri_cli.text.fold import fold

_LISTS = re.compile(r"^(?:list[ae]? (?:of|des|de)|abbreviations|acronyms)\b")

# how many of the contents page's entries must be found among the headings
AGREEMENT = 0.6
MIN_FOUND = 3
# how many headings an entry is compared with, at most
SCAN = 200


@dataclass(frozen=True)
class Filled:
    entries: list[TocEntry]
    among: int = 0  # headings added among the entries: below their deepest level, or parts left out
    after: int = 0  # headings added after the last entry
    level: int = 0  # the deepest level the contents page lists
    moved: int = 0  # entries moved to the page their heading is on, next to the printed one


def fill_in(contents: Sequence[TocEntry], headings: Sequence[TocEntry]) -> Filled:
    """``contents`` with the body ``headings`` it leaves out, in document order."""
    entries = list(contents)
    if not entries or not headings:
        return Filled(entries)
    pairs = _align(entries, headings)
    if len(pairs) < max(MIN_FOUND, AGREEMENT * len(entries)):
        return Filled(entries)
    deepest = max(e.level for e in entries)
    style_floor = max(headings[h].level for _c, h in pairs)  # the deepest heading level listed
    top_levels = [headings[h].level for c, h in pairs if entries[c].level == 1]
    top = min(top_levels) if top_levels else None
    matched = {h for _c, h in pairs}
    last_page = max((e.pdf_page for e in entries if e.pdf_page is not None), default=0)
    host = _Hosts(entries, pairs)

    # after the last entry: from the first unlisted top-level heading on
    tail_start = len(headings)
    if top is not None:
        for i in range(pairs[-1][1] + 1, len(headings)):
            h = headings[i]
            if h.level <= top and h.pdf_page is not None and h.pdf_page > last_page:
                tail_start = i
                break

    inserts: dict[int, list[tuple[TocEntry, int]]] = {}  # after contents entry k: (heading, level)
    tail: list[TocEntry] = []
    listed = {compact(e.title) for e in entries}
    # (front matter before the first listed entry stays front matter)
    for i in range(pairs[0][1] + 1, len(headings)):
        h = headings[i]
        # a title the contents page lists, found again, is a running header repeating it
        if i in matched or h.pdf_page is None or compact(h.title) in listed:
            continue
        if i >= tail_start:
            tail.append(h)
            continue
        k = host(i, h.pdf_page)
        if not _fits(h, entries[k]):
            continue
        if h.level > style_floor:
            inserts.setdefault(k, []).append((h, deepest + h.level - style_floor))
        elif _named_part(h):
            inserts.setdefault(k, []).append((h, 1))  # "Acknowledgements", "Index": seldom listed

    # an entry whose heading is on the page before or after the one printed goes where it is
    # (its label then is that page's: ``page`` is left for the caller to fill in)
    moved = 0
    for c, i in pairs:
        page = headings[i].pdf_page
        if entries[c].pdf_page is not None and page is not None and page != entries[c].pdf_page:
            entries[c] = replace(entries[c], pdf_page=page, page=None)
            moved += 1

    out: list[TocEntry] = []
    added = 0
    for k, entry in enumerate(entries):
        out.append(entry)
        for h, level in inserts.get(k, ()):
            out.append(replace(h, level=min(level, out[-1].level + 1)))  # no level skipped
            added += 1
    for h in tail:
        out.append(replace(h, level=min(1 + max(0, h.level - (top or 1)), out[-1].level + 1)))
    return Filled(out, added, len(tail), deepest, moved)


def _fits(h: TocEntry, host: TocEntry) -> bool:
    """A heading numbered "4.2.1" belongs under "4.2" or "4", not under "5" or "4.3"."""
    number = _root(h.number)
    if "." not in number or not host.number:
        return True
    return number.startswith(_root(host.number) + ".")


def _root(number: str | None) -> str:
    """ "Annex B" -> "B", "3.2." -> "3.2" """
    return number.split()[-1].rstrip(".").upper() if number else ""


def _named_part(h: TocEntry) -> bool:
    """A part of its own that a contents page may leave out ("Acknowledgements", "Appendix B"):
    not the contents page itself, nor a list of figures or tables."""
    head = f"{h.number} {h.title}" if h.number else h.title
    return kind_of(head) != "section" and not is_contents_heading(h.title) and not _LISTS.match(fold(h.title))


def _align(entries: Sequence[TocEntry], headings: Sequence[TocEntry]) -> list[tuple[int, int]]:
    """(entry, heading) pairs of the same title on the same page or the next, in order.

    Headings come in page order: each entry looks only at those of its page and the pages
    on either side (at most ``SCAN`` of them, so that no page of a hostile file makes it slow).
    An entry placed on no page (past the end of an extract) has no heading here.
    """
    keys = [compact(h.title) for h in headings]
    pages = [h.pdf_page or 0 for h in headings]
    pairs: list[tuple[int, int]] = []
    start = 0
    for c, entry in enumerate(entries):
        target = compact(entry.title)
        if not target or entry.pdf_page is None:
            continue
        lo = max(start, bisect_left(pages, entry.pdf_page - 1))
        hi = min(bisect_right(pages, entry.pdf_page + 1), lo + SCAN)
        for i in range(lo, hi):
            if _same(target, keys[i]):
                pairs.append((c, i))
                start = i + 1
                break
    return pairs


def _same(target: str, key: str) -> bool:
    """An entry's title and a heading's: alike (``locate.similar``), or one the start of the other."""
    if not key:
        return False
    if target == key:
        return True
    if min(len(target), len(key)) >= 12 and (target.startswith(key) or key.startswith(target)):
        return True
    return similar(key, target)


class _Hosts:
    """The contents entry a heading falls under: the last matched one before it or, listed after
    that one and before the next matched one, the last whose page the heading is on or past."""

    def __init__(self, entries: Sequence[TocEntry], pairs: Sequence[tuple[int, int]]) -> None:
        self.pairs = pairs
        self.anchors = [h for _c, h in pairs]
        self.count = len(entries)
        self.pages: list[int] = []  # each entry's page; one placed nowhere takes the page before
        self.placed: list[int] = []  # the last entry placed on a page, at or before each
        page = last = 0
        for k, entry in enumerate(entries):
            if entry.pdf_page is not None:
                page, last = entry.pdf_page, k
            self.pages.append(page)
            self.placed.append(last)

    def __call__(self, i: int, page: int) -> int:
        j = bisect_left(self.anchors, i) - 1  # the last matched heading before i (there is one)
        first = self.pairs[j][0]
        bound = self.pairs[j + 1][0] if j + 1 < len(self.pairs) else self.count
        k = bisect_right(self.pages, page, first + 1, bound) - 1
        return max(first, self.placed[k]) if k > first else first
