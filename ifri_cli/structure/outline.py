"""The PDF outline (bookmarks) as table-of-contents entries, repaired.

Bookmarks can point nowhere (an excerpt carrying the whole book's outline), repeat
themselves, be named like files (PDFs merged together) or nest peers one inside the other;
they are repaired here, or rejected when too little is left.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ifri_cli.model import Document, OutlineItem, TocEntry
from ifri_cli.structure.titles import clean_title, number_depth, split_number
from ifri_cli.text.fold import fold_compact

_FILE_NAME = re.compile(r"\.(?:pdf|docx?|odt|indd|rtf|pptx?)\b", re.I)


def from_outline(doc: Document) -> tuple[list[TocEntry], list[str], bool]:
    """The repaired outline as entries, what was done to it, and whether it is rejected."""
    if not doc.outline:
        return [], ["this document has no PDF outline (bookmarks)"], False
    items, notes = repair_outline(doc.outline, doc.page_count)
    if not items:
        return [], notes + ["rejected the PDF outline: no usable bookmark is left"], True
    dangling = [i for i, item in enumerate(items) if item.pdf_page is None]
    entries = [_outline_entry(item) for item in items]
    if len(dangling) * 2 > len(items):
        # an excerpt carrying the whole book's outline: what points inside this file is still right
        kept = [e for e in entries if e.pdf_page is not None]
        if len(kept) < 2:
            notes.append(
                f"rejected the PDF outline: {len(dangling)} of {len(items)} bookmarks point nowhere "
                "(an excerpt carrying a longer document's outline?)"
            )
            return [], notes, True
        notes.append(
            f"{len(dangling)} of {len(items)} bookmarks point nowhere (an excerpt carrying a longer "
            f"document's outline?): kept the {len(kept)} that point inside this file"
        )
        return kept, notes, False
    if dangling:
        entries, placed = _place_dangling(doc, entries)
        notes.append(
            f"{len(dangling)} bookmarks point nowhere: {placed} placed where their title is found, "
            f"{len(dangling) - placed} dropped"
        )
    return entries, notes, False


def _outline_entry(item: OutlineItem) -> TocEntry:
    number, title = split_number(clean_title(item.title))
    return TocEntry(title=title, level=item.level, number=number, pdf_page=item.pdf_page)


def repair_outline(items: Sequence[OutlineItem], page_count: int) -> tuple[list[OutlineItem], list[str]]:
    """Drop empty, file-name and duplicated bookmarks; fix levels; mark dangling destinations.

    A bookmark past the last page is made dangling (``pdf_page`` None) so that the caller
    decides what to do with it.
    """
    notes: list[str] = []
    out: list[OutlineItem] = []
    seen: set[tuple[str, int | None]] = set()
    empty = files = dups = past = 0
    promote: list[int] = []  # levels of dropped file-name bookmarks: their children move up
    for item in items:
        while promote and item.level <= promote[-1]:
            promote.pop()
        level = item.level - len(promote)
        title = clean_title(item.title)
        page = item.pdf_page
        if page is not None and not 1 <= page <= page_count:
            page = None
            past += 1
        if not fold_compact(title):
            empty += 1
            continue
        if _FILE_NAME.search(title) and len(title.split()) <= 6:
            files += 1
            promote.append(item.level)
            continue
        key = (fold_compact(title), page)
        if page is not None and key in seen:
            dups += 1
            continue
        seen.add(key)
        out.append(OutlineItem(title, max(1, level), page))
    if empty:
        notes.append(f"dropped {empty} bookmark{'s' * (empty > 1)} without a title")
    if files:
        notes.append(f"dropped {files} bookmark{'s' * (files > 1)} named like a file (PDFs merged together)")
    if dups:
        notes.append(f"dropped {dups} duplicated bookmark{'s' * (dups > 1)}")
    if past:
        notes.append(f"{past} bookmark{'s' * (past > 1)} point past the last page")
    out, fixes = _fix_levels(out)
    notes += fixes
    return out, notes


def _fix_levels(items: list[OutlineItem]) -> tuple[list[OutlineItem], list[str]]:
    notes: list[str] = []
    if not items:
        return items, notes
    levels = [item.level for item in items]
    pages = [item.pdf_page for item in items]
    flattened = 0
    i = 0
    while i < len(levels):
        j = staircase_end(levels, pages, i)
        if j is not None and not _nested_numbers(items[i : j + 1]):
            for k in range(i + 1, j + 1):
                levels[k] = levels[i]
            flattened += j - i + 1
            i = j + 1
        else:
            i += 1
    if flattened:
        notes.append(f"flattened {flattened} bookmarks nested one inside the other although they are peers")
    jumps = 0
    shift = min(levels) - 1
    previous = 0
    for k, level in enumerate(levels):
        level -= shift
        if level > previous + 1:
            jumps += 1
            level = previous + 1
        levels[k] = level
        previous = level
    if jumps:
        notes.append(f"raised {jumps} bookmark{'s' * (jumps > 1)} that skipped a level")
    return [replace(item, level=level) for item, level in zip(items, levels, strict=True)], notes


def staircase_end(levels: Sequence[int], pages: Sequence[int | None], i: int) -> int | None:
    """The last entry of a staircase starting at ``i``, or None: three or more peers each nested one
    level inside the previous one, as some authoring tools write them.

    The deepest step is a depth the outline never uses elsewhere, and each peer starts pages after
    the previous one, where a real lone child follows its parent on the same page.
    """
    j = i
    while j + 1 < len(levels) and levels[j + 1] == levels[j] + 1:
        j += 1
    if j - i < 2:
        return None
    closed = j + 1 >= len(levels) or levels[j + 1] <= levels[i]
    elsewhere = sum(1 for k, level in enumerate(levels) if level >= levels[j] and not i <= k <= j)
    steps = pages[i : j + 1]
    apart = all(a is not None and b is not None and b > a for a, b in zip(steps, steps[1:], strict=False))
    return j if closed and elsewhere <= 1 and apart else None


def _nested_numbers(items: Sequence[OutlineItem]) -> bool:
    """True when numbering shows real nesting (1, 1.1, 1.1.1), so a staircase is right."""
    depths = [number_depth(split_number(item.title)[0]) for item in items]
    return all(depths) and len(set(depths)) > 1


def _place_dangling(doc: Document, entries: list[TocEntry]) -> tuple[list[TocEntry], int]:
    from ifri_cli.structure.locate import locate_entries

    locations = locate_entries(doc, entries)
    out = []
    placed = 0
    for entry, loc in zip(entries, locations, strict=True):
        if entry.pdf_page is not None:
            out.append(entry)
        elif loc is not None:
            out.append(replace(entry, pdf_page=loc.pdf_page))
            placed += 1
    return out, placed
