"""The table of contents: the PDF outline, else the printed contents page, else headings.

Each source is checked before it is believed. Bookmarks can point nowhere (an
excerpt carrying the whole book's outline), repeat themselves, or nest peers one
inside the other; they are repaired, or rejected when too little is left. In
``auto``, an outline or a contents page whose titles cannot be found in the text is
not trusted, and the next source is tried. ``Toc.explain`` says what was chosen and
what was rejected, and why.

Every entry carries ``pdf_page`` (physical, 1-based) and ``page`` (the printed label:
/PageLabels, else the page numbers printed on the pages, both read at ingest).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from difflib import SequenceMatcher

from ifri_cli.headings import NUMBER, detect_headings, number_depth, split_number
from ifri_cli.model import Document, OutlineItem, Toc, TocEntry

__all__ = ["SOURCES", "build_toc", "from_outline", "repair_outline", "split_number", "verify"]

SOURCES = ("auto", "outline", "contents", "headings")

# below this share of titles found in the text, a source is not trusted in auto
TRUST = 0.5
_FILE_NAME = re.compile(r"\.(?:pdf|docx?|odt|indd|rtf|pptx?)\b", re.I)
_LEADERS = re.compile(r"\s*(?:(?:\.\s*){3,}|…+|_{3,}|\t)\s*(?:\d{1,4}|[ivxlc]{1,7})?\s*$", re.I)


def build_toc(doc: Document, source: str = "auto") -> Toc:
    if source not in SOURCES:
        raise ValueError(f"unknown table-of-contents source {source!r}")
    if source == "outline":
        entries, notes, rejected = from_outline(doc)
        if rejected or not entries:
            return Toc("none", (), tuple(notes))
        notes += _verified_note(doc, entries)
        return _finish(doc, "outline", _numbers_from_contents(doc, entries, notes), notes)
    if source == "contents":
        entries, notes = _from_contents(doc)
        if not entries:
            return Toc("none", (), tuple(notes))
        _share, found = verify(doc, entries)
        notes.append(f"{found} of {len(entries)} entries found in the body on or near their page")
        return _finish(doc, "contents", entries, notes)
    if source == "headings":
        entries = detect_headings(doc)
        if not entries:
            return Toc("none", (), ("no headings stand out from the body text",))
        return _finish(doc, "headings", entries, [_headings_note(entries)])
    return _auto(doc)


# --- auto: the best source for this document -------------------------------------------


def _auto(doc: Document) -> Toc:
    notes: list[str] = []
    outline, outline_notes, rejected = from_outline(doc)
    notes += outline_notes
    if outline and not rejected:
        share, found = verify(doc, outline)
        if share >= TRUST:
            if len(outline) >= 3 or doc.page_count <= 8:
                notes.append(f"used the PDF outline: {found} of {len(outline)} titles found in the text")
                outline = _numbers_from_contents(doc, outline, notes)
                return _finish(doc, "outline", outline, notes)
            entries = _count(len(outline), "entry", "entries")
            notes.append(f"the PDF outline has only {entries} for {doc.page_count} pages: looking further")
        else:
            notes.append(
                f"rejected the PDF outline: only {found} of {len(outline)} titles are found in the text "
                "on or near the page they point to"
            )
            outline = []
    contents, contents_notes = _from_contents(doc)
    notes += contents_notes
    if contents:
        share, found = verify(doc, contents)
        if share >= TRUST and len(contents) > len(outline):
            notes.append(
                f"used the printed contents page: {found} of {len(contents)} entries found in the body"
            )
            return _finish(doc, "contents", contents, notes)
        if share < TRUST and _only_contents(doc):
            notes.append("used the printed contents page unchecked: the document has no other text to check")
            return _finish(doc, "contents", contents, notes)
        if share < TRUST:
            notes.append(f"rejected the printed contents page: {found} of {len(contents)} found in the body")
    headings = detect_headings(doc)
    if outline and len(headings) < max(3, 2 * len(outline)):
        notes.append(f"used the PDF outline ({len(outline)} entries): nothing better was found")
        return _finish(doc, "outline", _numbers_from_contents(doc, outline, notes), notes)
    if headings:
        notes.append(_headings_note(headings))
        return _finish(doc, "headings", headings, notes)
    notes.append("no headings stand out from the body text")
    return Toc("none", (), tuple(notes))


def _numbers_from_contents(doc: Document, entries: list[TocEntry], notes: list[str]) -> list[TocEntry]:
    """Outline titles often lack the numbers the printed contents page shows ("2.1 Go"): take them.

    Each unnumbered entry takes the number of the next printed entry with the same title (or
    with the number and title it carries, "I The C API") on the same page, give or take one,
    so that a title repeated in several chapters ("Overview") gets each chapter's number.
    """
    if sum(e.number is None for e in entries) * 2 < len(entries):
        return entries
    from ifri_cli.contents import contents_toc

    printed = contents_toc(doc)[0]
    if not any(p.number for p in printed):
        return entries
    # each printed entry's title, and its number and title together, folded once
    keys = [(_fold(p.title), _fold(f"{p.number or ''}{p.title}")) for p in printed]
    out, start, taken = [], 0, 0
    for entry in entries:
        key = _fold(entry.title)
        for k in range(start, len(printed)):
            p = printed[k]
            near = entry.pdf_page is None or p.pdf_page is None or abs(entry.pdf_page - p.pdf_page) <= 1
            whole = keys[k][1]
            if near and key in keys[k]:
                if entry.number is None and p.number:
                    entry = replace(entry, number=p.number, title=p.title if key == whole else entry.title)
                    taken += 1
                start = k + 1
                break
        out.append(entry)
    if taken:
        notes.append(f"section numbers taken from the printed contents page for {taken} outline entries")
    return out


def _only_contents(doc: Document) -> bool:
    from ifri_cli.contents import find_contents_pages

    listed = set(find_contents_pages(doc))
    return all(page.number in listed for page in doc.pages if page.lines)


def verify(doc: Document, entries: Sequence[TocEntry]) -> tuple[float, int]:
    """The share (and number) of ``entries`` whose title is found in the body near their page.

    An entry with a page is looked for on that page and the next and previous ones, as a
    line, a heading wrapped over lines, or a run-in heading opening a paragraph; an entry
    without a page anywhere after the previous one found.
    """
    from ifri_cli.locate import body_pages, compact, locate_entries

    if not entries:
        return 0.0, 0
    pages = body_pages(doc)
    texts: dict[int, list[str]] = {}

    def page_texts(number: int) -> list[str]:
        if number not in texts:
            lines = [compact(ln.text) for ln in pages[number - 1].lines]
            joined = [a + b for a, b in zip(lines, lines[1:], strict=False)]
            triples = [a + b for a, b in zip(joined, lines[2:], strict=False)]
            texts[number] = [t for t in lines + joined + triples if t]
        return texts[number]

    def near(entry: TocEntry) -> bool:
        target = compact(entry.title)
        if not target or entry.pdf_page is None:
            return False
        for number in (entry.pdf_page, entry.pdf_page + 1, entry.pdf_page - 1):
            if 1 <= number <= len(pages):
                for text in page_texts(number):
                    if text == target or (len(target) >= 6 and text.startswith(target)):
                        return True
                    if abs(len(text) - len(target)) <= max(3, 0.2 * len(target)) and _similar(text, target):
                        return True
        return False

    found = sum(1 for entry in entries if entry.pdf_page is not None and near(entry))
    unplaced = [e for e in entries if e.pdf_page is None]
    if unplaced:
        found += sum(1 for loc in locate_entries(doc, unplaced) if loc is not None)
    return found / len(entries), found


def _similar(a: str, b: str) -> bool:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.quick_ratio() >= 0.85 and matcher.ratio() >= 0.85


def _verified_note(doc: Document, entries: Sequence[TocEntry]) -> list[str]:
    _share, found = verify(doc, entries)
    return [f"{found} of {len(entries)} outline titles found in the text on or near their page"]


def _headings_note(entries: Sequence[TocEntry]) -> str:
    levels = len({e.level for e in entries})
    found = _count(len(entries), "heading", "headings")
    return f"used headings found in the text: {found} on {_count(levels, 'level', 'levels')}"


# --- the PDF outline ------------------------------------------------------------------


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
        if not _fold(title):
            empty += 1
            continue
        if _FILE_NAME.search(title) and len(title.split()) <= 6:
            files += 1
            promote.append(item.level)
            continue
        key = (_fold(title), page)
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
    from ifri_cli.locate import locate_entries

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


# --- the printed contents page ---------------------------------------------------------


def _from_contents(doc: Document) -> tuple[list[TocEntry], list[str]]:
    from ifri_cli import contents

    entries, explanation = contents.contents_toc(doc)
    notes = [explanation] if isinstance(explanation, str) else list(explanation or [])
    entries = list(entries or [])
    if not entries:
        return [], notes or ["no printed contents page found"]
    missing = [e for e in entries if e.pdf_page is None]
    if missing:
        entries = _place_by_heading(doc, entries)
    return entries, notes


def _place_by_heading(doc: Document, entries: list[TocEntry]) -> list[TocEntry]:
    """Entries whose printed page could not be mapped go where their heading is found."""
    from ifri_cli.locate import locate_entries

    out = []
    for entry, loc in zip(entries, locate_entries(doc, entries), strict=True):
        if entry.pdf_page is None and loc is not None:
            entry = replace(entry, pdf_page=loc.pdf_page)
        out.append(entry)
    return out


# --- finishing: clean titles and page labels -------------------------------------------


def clean_title(title: str) -> str:
    """No leaders, no trailing page number, single spaces, no dangling punctuation."""
    title = unicodedata.normalize("NFC", title).replace("\u00a0", " ")
    title = _LEADERS.sub("", title)
    title = re.sub(
        r"(\w)- (\w)", lambda m: m.group(1) + m.group(2) if m.group(2).islower() else m.group(0), title
    )
    title = re.sub(r"\s+", " ", title).strip()
    return title.rstrip(" :;,").strip()


def _finish(doc: Document, source: str, entries: Sequence[TocEntry], notes: Sequence[str]) -> Toc:
    labels = {p.number: p.label for p in doc.pages}
    out = []
    for entry in entries:
        title = clean_title(entry.title)
        number = entry.number
        if number is None and NUMBER.match(title):
            number, title = split_number(title)
        page = (
            entry.page if entry.page is not None else labels.get(entry.pdf_page) if entry.pdf_page else None
        )
        out.append(replace(entry, title=title or entry.title, number=number, page=page))
    return Toc(source, tuple(out), tuple(notes))


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^0-9a-z]+", "", "".join(ch for ch in text if not unicodedata.combining(ch)).lower())


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
