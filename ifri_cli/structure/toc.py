"""The table of contents: the PDF outline, else the printed contents page, else headings.

A printed contents page that the body's headings agree with is filled in with the headings
it leaves out (``deepen``): below its deepest level, parts of their own, an unlisted annex.

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

from collections.abc import Sequence
from dataclasses import replace

from ifri_cli.model import TOC_SOURCES, Document, Toc, TocEntry
from ifri_cli.structure.headings import detect_headings
from ifri_cli.structure.outline import from_outline
from ifri_cli.structure.titles import NUMBER, clean_title, kind_of, split_number
from ifri_cli.text.fold import fold_compact

SOURCES = TOC_SOURCES


# below this share of titles found in the text, a source is not trusted in auto
TRUST = 0.5


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
        return _finish(doc, "contents", _filled_in(doc, entries, notes), notes)
    if source == "headings":
        entries = detect_headings(doc)
        if not entries:
            return Toc("none", (), ("no headings stand out from the body text",))
        return _finish(doc, "headings", entries, [_headings_note(entries)])
    return _auto(doc)


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
            return _finish(doc, "contents", _filled_in(doc, contents, notes), notes)
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
    from ifri_cli.structure.contents import contents_toc

    printed = contents_toc(doc)[0]
    if not any(p.number for p in printed):
        return entries
    # each printed entry's title, and its number and title together, folded once
    keys = [(fold_compact(p.title), fold_compact(f"{p.number or ''}{p.title}")) for p in printed]
    out, start, taken = [], 0, 0
    for entry in entries:
        key = fold_compact(entry.title)
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
    from ifri_cli.structure.contents import find_contents_pages

    listed = set(find_contents_pages(doc))
    return all(page.number in listed for page in doc.pages if page.lines)


def verify(doc: Document, entries: Sequence[TocEntry]) -> tuple[float, int]:
    """The share (and number) of ``entries`` whose title is found in the body near their page.

    An entry with a page is looked for on that page and the next and previous ones, as a
    line, a heading wrapped over lines, or a run-in heading opening a paragraph; an entry
    without a page anywhere after the previous one found.
    """
    from ifri_cli.structure.locate import compact, locate_entries, similar

    if not entries:
        return 0.0, 0
    pages = doc.body
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
                    if similar(text, target):
                        return True
        return False

    found = sum(1 for entry in entries if entry.pdf_page is not None and near(entry))
    unplaced = [e for e in entries if e.pdf_page is None]
    if unplaced:
        found += sum(1 for loc in locate_entries(doc, unplaced) if loc is not None)
    return found / len(entries), found


def _verified_note(doc: Document, entries: Sequence[TocEntry]) -> list[str]:
    _share, found = verify(doc, entries)
    return [f"{found} of {len(entries)} outline titles found in the text on or near their page"]


def _headings_note(entries: Sequence[TocEntry]) -> str:
    levels = len({e.level for e in entries})
    found = _count(len(entries), "heading", "headings")
    return f"used headings found in the text: {found} on {_count(levels, 'level', 'levels')}"


def _from_contents(doc: Document) -> tuple[list[TocEntry], list[str]]:
    from ifri_cli.structure import contents

    entries, explanation = contents.contents_toc(doc)
    notes = [explanation] if isinstance(explanation, str) else list(explanation or [])
    entries = list(entries or [])
    if not entries:
        return [], notes or ["no printed contents page found"]
    missing = [e for e in entries if e.pdf_page is None]
    if missing:
        entries = _place_by_heading(doc, entries)
    return entries, notes


def _filled_in(doc: Document, entries: list[TocEntry], notes: list[str]) -> list[TocEntry]:
    """The printed entries, with the body's headings that they leave out (see ``deepen``)."""
    from ifri_cli.structure.deepen import fill_in

    filled = fill_in(entries, detect_headings(doc))
    if filled.among:
        headings = _count(filled.among, "heading", "headings")
        notes.append(
            f"added {headings} found in the body that the contents page leaves out: below its deepest "
            f"level ({filled.level}), or parts of their own such as acknowledgements"
        )
    if filled.after:
        headings = _count(filled.after, "heading", "headings")
        notes.append(f"added {headings} found in the body after the contents page's last entry")
    if filled.moved:
        entries = _count(filled.moved, "entry", "entries")
        notes.append(f"moved {entries} to the page next to the printed one where the heading is")
    return filled.entries


def _place_by_heading(doc: Document, entries: list[TocEntry]) -> list[TocEntry]:
    """Entries whose printed page could not be mapped go where their heading is found; not those
    whose printed page is past the end of this document (a heading of that name here is another)."""
    from ifri_cli.structure.locate import locate_entries
    from ifri_cli.structure.pagemap import past_the_end

    out = []
    outside = past_the_end(doc, entries)
    for i, (entry, loc) in enumerate(zip(entries, locate_entries(doc, entries), strict=True)):
        if entry.pdf_page is None and loc is not None and i not in outside:
            entry = replace(entry, pdf_page=loc.pdf_page)
        out.append(entry)
    return out


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
        title = title or entry.title
        if entry.kind == "section":  # what the title says the section is, whatever the source
            head = f"{number} {title}" if number and not number[0].isdigit() else title
            entry = replace(entry, kind=kind_of(head))
        out.append(replace(entry, title=title, number=number, page=page))
    return Toc(source, tuple(out), tuple(notes))


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
