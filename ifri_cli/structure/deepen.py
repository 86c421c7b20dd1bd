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
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from ifri_cli.model import TocEntry
from ifri_cli.structure.contents import is_contents_heading
from ifri_cli.structure.locate import compact
from ifri_cli.structure.titles import kind_of
from ifri_cli.text.fold import fold

_LISTS = re.compile(r"^(?:list[ae]? (?:of|des|de)|abbreviations|acronyms)\b")

# how many of the contents page's entries must be found among the headings
AGREEMENT = 0.6
MIN_FOUND = 3


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
    anchors_h = [h for _c, h in pairs]

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
        k = _host(entries, pairs, anchors_h, i, h.pdf_page)
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
    """(entry, heading) pairs of the same title on the same page or the next, in order."""
    keys = [compact(h.title) for h in headings]
    pairs: list[tuple[int, int]] = []
    start = 0
    for c, entry in enumerate(entries):
        target = compact(entry.title)
        if not target:
            continue
        for i in range(start, len(headings)):
            h = headings[i]
            if entry.pdf_page is not None and h.pdf_page is not None:
                if h.pdf_page > entry.pdf_page + 1:
                    break
                if h.pdf_page < entry.pdf_page - 1:
                    continue
            if _same(target, keys[i]):
                pairs.append((c, i))
                start = i + 1
                break
    return pairs


def _same(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b or (min(len(a), len(b)) >= 12 and (a.startswith(b) or b.startswith(a))):
        return True
    if abs(len(a) - len(b)) > max(3, 0.2 * len(a)):
        return False
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.quick_ratio() >= 0.85 and matcher.ratio() >= 0.85


def _host(
    entries: Sequence[TocEntry], pairs: Sequence[tuple[int, int]], anchors_h: list[int], i: int, page: int
) -> int:
    """The contents entry heading ``i`` falls under: the last one before it, by anchors and pages."""
    j = bisect_left(anchors_h, i) - 1  # the last matched heading before i (there is one)
    first, bound = pairs[j][0], pairs[j + 1][0] if j + 1 < len(pairs) else len(entries)
    host = first
    for k in range(first + 1, bound):  # unmatched entries between two anchors: by their page
        p = entries[k].pdf_page
        if p is not None and p <= page:
            host = k
    return host
