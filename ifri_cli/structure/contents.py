"""The printed contents page: find it, read its entries, map its page numbers to PDF pages.

A contents page is found by its heading ("Contents", "Sommaire", "Table des matières",
"Índice", ..., even letter-spaced or with its accent extracted apart) or, without one,
by the shape of its lines: most of them end in a page number, in increasing order.
Lists of figures and tables are recognised and left out: they are not sections.

Extraction scatters a contents line: the title, the dotted leader and the right-aligned
page number often come out as separate lines that share a height. Lines are first
merged into *rows* (same height, read left to right, a wide gap kept as a tab) and the
rows are parsed. Text input has no positions: each line is a row, runs of spaces stand
for the gaps.

    entries, notes = contents_toc(doc)      # what ``toc.build_toc`` calls
    pages = find_contents_pages(doc)        # 1-based PDF pages
    entries = map_to_pdf_pages(doc, parse_contents(doc, pages))
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ifri_cli.model import Document, Line, Page, TocEntry, page_span
from ifri_cli.structure.pagemap import PageMapping, _map, choose_mapping
from ifri_cli.structure.titles import NUMBER, kind_of
from ifri_cli.text.fold import fold_letters
from ifri_cli.text.patterns import (
    FIGURE_WORDS,
    FOLDED_FIGURE_WORDS,
    LEADER,
    LEADER_SEARCH,
    LISTING_LINE,
    ROMAN,
    roman_value,
)
from ifri_cli.text.vocabulary import Vocabulary

# headings, folded to letters only ("Table des matières" -> "tabledesmatieres")
_CONTENTS_KEYS = {
    *("contents", "content", "tableofcontents", "tableofcontent", "contentspage"),
    *("sommaire", "tabledesmatieres", "matieres", "contenu", "contenus"),
    *("indice", "indicegeneral", "indicegenerale", "contenido", "contenidos", "sumario", "sommario"),
    *("inhalt", "inhaltsverzeichnis", "inhoud", "inhoudsopgave", "spistresci"),
    *("sumari", "conteudo", "indiceanalitico", "innehall", "indholdsfortegnelse", "innhold", "sisallys"),
    *("obsah", "tartalom", "cuprins", "icindekiler", "περιεχομενα", "содержание", "оглавление", "зміст"),
    *("目录", "目錄", "目次", "차례", "목차"),
}


_LIST_KEY = re.compile(
    r"^(?:listof|listedes|listede|listade|listadelas|listadelos|listados|tabledes|indicede|indicedelas|"
    rf"indicedelos|elencodelle|elencodei)(?:{FOLDED_FIGURE_WORDS})"
    r"|^(?:abbildungs|tabellen)verzeichnis$|^(?:figures|tables|figuresandtables|tablesandfigures)$"
    r"|^список(?:иллюстрации|рисунков|таблиц)$|^(?:插图|图|表|図|表)目[录錄次]$"
)


# an entry of a list of figures or tables: "Figure 3 ...", "Tableau 2 : ..."
_FIGURE_ENTRY = re.compile(rf"^(?:{FIGURE_WORDS})\s*[A-Z]?\d", re.I)


_COLUMN_HEADS = {"page", "pages", "pagina", "paginas", "seite", "p", "pp", "pg", "chapter", "chapitre"}


_LEADER = rf"[ \t]*(?:{LEADER})[ \t]*"


_LEADER_END = re.compile(rf"(?:{_LEADER})$")


# the page number ending a row; "1 4" is a 14 split by the extractor, "MuPDF 1.8" has none
_PAGE_TAIL = re.compile(
    r"(?:(?<=[\s…·_])|(?<=\D\.)|^)(?P<page>\d{1,4}(?: \d{1,3}){0,2}|[ivxlcdm]{1,8}|[IVXLCDM]{1,8})$"
)


# entries run together on one line: a leader or tab, a page number, the next title
_RUN_TOGETHER = re.compile(
    rf"(?:{_LEADER}|\t[ \t]*)(?P<page>\d{{1,4}}(?: \d{{1,3}})*|[ivxlc]{{1,7}})[ \t]+"
    r"(?=[^\s.…·_\d]|\d+[.)]?\s*\D)"
)


# ... and without leaders: "1 Introduction 1 2 Background 4 2.1 Law 5"
_RUN_TOGETHER_BARE = re.compile(
    r"(?<=[^\d\s.])[ \t]+(?P<page>\d{1,4}(?: \d{1,3})*)[ \t]+(?=[A-ZÀ-Ý]|\d+(?:\.\d+)+\s)"
)


# after these words a number is the title's, not a page: "Chapter 3", "Act No 12"
_NUMBERED_WORDS = re.compile(
    r"(?:chapter|chapitre|part|partie|section|annex|annexe|appendix|no\.?|n°|article|figure|table|volume|"
    r"phase|step|level|version|kapitel|cap[ií]tulo|tome|livre|book)$",
    re.I,
)


_SECTION_NUMBER = re.compile(r"(?:\d{1,2}|[A-Z])(?:\.\d{1,2})+\.?")


_LETTER_NUMBER = re.compile(r"^(?P<num>[A-Z](?:\.\d{1,2}){1,4})\.?\s+(?P<title>\S.*)$")


_PART = re.compile(r"[IVXLC]+|(?i:part|partie|teil|parte|book|livre)\s+\S+")


_EDGE_NUMBER = re.compile(r"^(?:\d{1,4}|[ivxlcdm]{1,8})\s+|\s+(?:\d{1,4}|[ivxlcdm]{1,8})$")


def is_contents_heading(text: str) -> bool:
    """Whether a line heads a contents listing: ``Contents``, ``Table des matières``, ``C O N T E N T S``."""
    return len(text) <= 60 and fold_letters(text) in _CONTENTS_KEYS


@dataclass(frozen=True)
class Row:
    """Lines of a page that share a height, joined left to right (a wide gap becomes a tab)."""

    text: str
    page: int
    top: float | None
    x0: float | None  # left edge of the title (a chapter number hanging in the margin left out)
    size: float | None
    bold: bool
    index: int  # position among the page's rows


@dataclass(frozen=True)
class Parsed:
    kind: str  # entry | number | text
    title: str
    page: str | None = None
    strong: bool = False  # a leader, a tab or a wide gap before the page number
    options: tuple[tuple[str, str], ...] = ()  # (title, page) readings when a space may split the number


def page_rows(page: Page) -> list[Row]:
    """The page's lines merged into rows, top to bottom."""
    lines = [ln for ln in page.lines if ln.text.strip()]
    if not lines:
        return []
    if any(ln.top is None or ln.x0 is None for ln in lines):
        return _text_rows(page.number, lines)
    groups: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: (ln.top or 0.0, ln.x0 or 0.0)):
        size = line.size or 10.0
        for group in reversed(groups[-3:]):
            if abs((group[0].top or 0.0) - (line.top or 0.0)) <= 0.4 * min(size, group[0].size or 10.0):
                group.append(line)
                break
        else:
            groups.append([line])
    return [_row(page.number, index, group) for index, group in enumerate(groups)]


def _row(page: int, index: int, group: list[Line]) -> Row:
    group.sort(key=lambda ln: ln.x0 or 0.0)
    size = max((ln.size or 0.0) for ln in group) or None
    parts = [group[0].text.strip()]
    for prev, line in zip(group, group[1:], strict=False):
        gap = (line.x0 or 0.0) - (prev.x1 or 0.0)
        parts += ["\t" if gap > 1.2 * (size or 10.0) else " ", line.text.strip()]
    words = [ln for ln in group if not _is_number_text(ln.text)] or group
    bold = sum(len(ln.text) for ln in words if ln.bold) * 2 > sum(len(ln.text) for ln in words)
    return Row("".join(parts), page, group[0].top, words[0].x0, size, bold, index)


def _text_rows(number: int, lines: Sequence[Line]) -> list[Row]:
    """Rows of a text page: indentation stands for x0, runs of spaces for gaps."""
    indented = any(ln.text[:1].isspace() for ln in lines)
    rows: list[Row] = []
    for line in lines:
        text = line.text.replace("\u00a0", " ").rstrip()
        indent = (len(text) - len(text.lstrip())) * 5.0 if indented else None
        for part in _split_heading(re.sub(r" {3,}", "\t", text.strip())):
            rows.append(Row(part, number, None, indent, None, line.bold, len(rows)))
    return rows




def _split_heading(text: str) -> list[str]:
    """``Contents INTRODUCTION .... 1 ...``: a whole listing run onto its heading's line."""
    if not LEADER_SEARCH.search(text):
        return [text]  # (most lines: no leader, no listing)
    words = text.split()
    for count in range(min(4, len(words) - 1), 0, -1):  # the longest heading: "Cont ent s", not "Cont ent"
        if fold_letters(" ".join(words[:count])) in _CONTENTS_KEYS:
            rest = " ".join(words[count:])
            if re.search(_LEADER, rest):
                return [" ".join(words[:count]), rest]
    return [text]


def _is_number_text(text: str) -> bool:
    """A page number or a section number on its own: ``12``, ``xiv``, ``3.2``, ``A.1``."""
    return bool(
        re.fullmatch(
            r"\s*(?:\d{1,4}(?:\.\d{1,2})*|[A-Z](?:\.\d{1,2})+|[ivxlcdm]{1,8}|[IVXLC]{1,6})[.)]?\s*", text
        )
    )


def parse_row(text: str) -> Parsed:
    """A title with its page number (``entry``), a page number alone (``number``), or ``text``."""
    text = text.replace("\u00a0", " ").strip()
    match = _PAGE_TAIL.search(text)
    if not match or _SECTION_NUMBER.fullmatch(text):  # "2.1" alone: the numbering of the next line
        return Parsed("text", _LEADER_END.sub("", text).strip())
    page = match.group("page")
    groups = page.split()
    head = text[: match.start()]
    leader = _LEADER_END.search(head)
    strong = bool(leader) or head.endswith("\t") or bool(re.search(r"\s{2,}$", head))
    title = (head[: leader.start()] if leader else head).strip()
    if not title:
        return Parsed("number", "", "".join(groups) if len("".join(groups)) <= 4 else groups[-1])
    if " " not in page and not page.isdigit():  # a roman numeral
        if not ROMAN.match(page) or (not strong and (not page.islower() or len(page) == 1)):
            return Parsed("text", text)  # "World War II", "Vitamin C", "Appendix i"
    if strong:
        joined = "".join(groups)
        if len(joined) > 4:
            title, joined = f"{title} {' '.join(groups[:-1])}", groups[-1]
        return Parsed("entry", title, joined, strong=True)
    if len(groups) == 1 and (_NUMBERED_WORDS.search(title) or re.fullmatch(r"(?:19|20)\d\d", page)):
        return Parsed("text", text)  # "Chapter 3", "... assays from 2017": the number is the title's
    options = [(f"{title} {' '.join(groups[:-1])}".strip(), groups[-1])]
    if len(groups) > 1 and len("".join(groups)) <= 4:
        options.append((title, "".join(groups)))
    return Parsed("entry", options[0][0], options[0][1], options=tuple(options))


def listing_pages(doc: Document) -> set[int]:
    """Pages set as a listing, most of their lines ending in a page number: the contents, lists of
    figures and tables, an index. Wider than ``find_contents_pages`` (the table of contents
    proper): no stage takes a heading, a summary sentence or a search hit from these pages."""
    pages = doc.body
    return doc.derived("contents.listing_pages", pages, lambda: _listing_shaped(pages))


def _listing_shaped(pages: Sequence[Page]) -> set[int]:
    out = set()
    for page in pages:
        texts = [ln.text for ln in page.lines if ln.text.strip()]
        if len(texts) < 4:
            continue
        allowed = len(texts) // 2  # lines without a page number; one more and it is not a listing
        for text in texts:
            if not LISTING_LINE.search(text):
                allowed -= 1
                if allowed < 0:
                    break
        else:
            out.add(page.number)
    return out


def contents_heading_lines(flat: Sequence[tuple[int, Line]], page_count: int) -> set[int]:
    """Indexes of the lines under a "Contents" heading in the front of the document, up to the first
    line of prose.

    A contents page set as titles in one column and page numbers in another has no line ending in
    a number; its heading still says what it is. A line of prose (ten words or more, neither
    numbered nor ending in a page number) ends it: the text after a short contents, or the body.
    """
    limit = max(3, page_count // 5)
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


@dataclass
class _Scan:
    contents: list[int]
    lists: dict[int, list[str]]  # pdf page -> headings of the lists of figures or tables on it
    list_entries: dict[int, int]  # pdf page -> how many entries those lists have on it
    heading: dict[int, int]  # pdf page -> index of the heading row the listing starts after
    furniture: set[str]  # folded running headers and footers


def find_contents_pages(doc: Document) -> list[int]:
    """1-based PDF pages holding the printed table of contents (lists of figures excluded)."""
    return _scan_document(doc).contents


def _scan_document(doc: Document) -> _Scan:
    """``_scan`` of the document's listing pages, done once when several stages ask for it."""
    pages = _listing_pages(doc)
    return doc.derived("contents.scan", pages, lambda: _scan(pages))


def _listing_pages(doc: Document) -> tuple[Page, ...]:
    """The pages a listing is read from: the raw ones.

    Cleaning is made for running text; on a contents page it takes the column of page
    numbers for page-number lines and numbered titles for footnotes. Running headers
    are dropped here instead, and titles are repaired one by one.
    """
    return doc.pages


def _scan(pages: Sequence[Page]) -> _Scan:
    by_number = {p.number: p for p in pages}
    # every page's rows are seen once, for the furniture and the few rows that could head a listing;
    # only the pages that may carry a listing are parsed (parsing every row of a long file is costly)
    edges: list[list[Row]] = []
    candidates: list[int] = []
    for page in pages:
        rows = page_rows(page)
        edges.append([*rows[:2], *rows[-2:]])
        if any(_heading_kind(r, _NO_PARSE) for r in rows):
            candidates.append(page.number)
    furniture = _running_rows(edges)
    del edges
    parsed = _ParsedPages(by_number, furniture)
    headings: dict[int, int] = {}
    lists: dict[int, list[str]] = {}
    counts: Counter[int] = Counter()
    for number in candidates:  # (the other pages have no heading row)
        rows = parsed[number]
        for i, (row, p) in enumerate(rows):
            kind = _heading_kind(row, p)
            if kind == "contents" and p.kind == "entry" and i > 2:
                continue  # "Contents ... 4" inside a listing; a running header sits at the top
            if kind == "list" and (n := _entries_until_heading(rows[i + 1 :])):
                lists.setdefault(number, []).append(row.text.strip())
                counts[number] += n
            elif kind == "contents" and number not in headings and _listing_after(rows[i + 1 :]):
                headings[number] = i
    starts = sorted(headings) or [
        next((n for n in sorted(by_number)[: max(12, len(pages) // 6)] if _headless(parsed[n])), None)
    ]
    starts = [n for n in starts if n is not None]
    runs: list[list[int]] = []
    for number in starts:
        if runs and number in runs[-1]:
            continue
        run: list[int] = []
        while number in by_number and (number not in lists or number in headings):
            if run and number not in headings and not _continues(parsed[number]):
                break
            run.append(number)
            number += 1
        runs.append(run)
    # a short "Sommaire" first and a full "Table des matières" at the end, or a chapter's own
    # contents: the longest listing is the table of contents
    contents = max(runs, key=lambda run: sum(_entry_like(p) for n in run for _r, p in parsed[n]), default=[])
    for number in sorted(lists):  # a list of figures running over several pages
        follow = number + 1
        while (
            follow in by_number
            and follow not in contents
            and follow not in lists
            and _continues(parsed[follow])
        ):
            lists[follow] = lists[number]
            counts[follow] = _entries_until_heading(parsed[follow])
            follow += 1
    for number in contents:  # those are counted as the contents pages are read
        counts.pop(number, None)
    return _Scan(sorted(contents), lists, dict(counts), {n: headings.get(n, -1) for n in contents}, furniture)


_NO_PARSE = Parsed("text", "")  # a heading row is one whatever its parse, unless it is an entry


class _ParsedPages(dict[int, list[tuple["Row", Parsed]]]):
    """Page number -> its rows without furniture, parsed: each page parsed when first asked for."""

    def __init__(self, pages: dict[int, Page], furniture: set[str]):
        super().__init__()
        self.pages, self.furniture = pages, furniture

    def __missing__(self, number: int) -> list[tuple[Row, Parsed]]:
        rows = _without_furniture(page_rows(self.pages[number]), self.furniture)
        parsed = self[number] = [(r, parse_row(r.text)) for r in rows]
        return parsed


def _entries_until_heading(rows: Sequence[tuple[Row, Parsed]]) -> int:
    count = 0
    for row, parsed in rows:
        if _heading_kind(row, parsed):
            break
        count += _entry_like(parsed)
    return count


def _running_rows(pages: Iterable[Sequence[Row]]) -> set[str]:
    """Folded texts of rows repeated at the top or bottom of many pages: headers and footers.

    Contents headings are not furniture: "CONTENTS" on top of every page of a long
    listing is what says the listing goes on.
    """
    counts: Counter[str] = Counter()
    total = 0
    for rows in pages:
        total += 1
        counts.update({_edge_key(r.text) for r in [*rows[:2], *rows[-2:]]})
    need = max(3, total // 4)
    return {
        key
        for key, n in counts.items()
        if n >= need and key and key not in _CONTENTS_KEYS and not _LIST_KEY.search(key)
    }


def _without_furniture(rows: list[Row], furniture: set[str]) -> list[Row]:
    if not furniture:
        return rows
    edge = {r.index for r in [*rows[:2], *rows[-2:]] if _edge_key(r.text) in furniture}
    return [r for r in rows if r.index not in edge]


def _edge_key(text: str) -> str:
    """A header's or footer's folded text without the page number at either end."""
    return fold_letters(_EDGE_NUMBER.sub("", text.strip()))


def _heading_kind(row: Row, parsed: Parsed) -> str | None:
    """``contents`` or ``list`` when the row is such a heading (a running header counts)."""
    if len(row.text) > 60 or (parsed.kind == "entry" and re.search(_LEADER, row.text)):
        return None  # "Table of Contents ........ 4" is an entry of the listing
    key = re.sub(r"(?:page|pages|pagina|seite)$", "", _edge_key(row.text))
    if key in _CONTENTS_KEYS:
        return "contents"
    if _LIST_KEY.search(key):
        return "list"
    return None


def _entry_like(parsed: Parsed) -> bool:
    if parsed.kind == "number":
        return True
    return parsed.kind == "entry" and (
        len(parsed.title) <= 90 or (parsed.strong and len(parsed.title) <= 160)
    )


def _listing_after(rows: Sequence[tuple[Row, Parsed]]) -> bool:
    """Do the rows after a contents heading look like a listing (with or without page numbers)?"""
    window = rows[:40]
    # a row holding several entries run together counts for each of its leaders
    entries = sum(max(1, len(re.findall(_LEADER, r.text))) for r, p in window if _entry_like(p) or (
        p.kind == "entry" and len(re.findall(_LEADER, r.text)) >= 3))
    if entries >= 3 or (entries >= 2 and len(window) <= 4):
        return True
    # a listing without page numbers: short numbered titles, one a row
    numbered = sum(
        1 for _r, p in window if p.kind == "text" and len(p.title) <= 90 and _split_number(p.title)[0]
    )
    return numbered >= 3 and numbered >= 0.6 * len(window)


def _continues(rows: Sequence[tuple[Row, Parsed]]) -> bool:
    """Does this page carry a listing on (no heading needed)?"""
    entries = [p for _r, p in rows if _entry_like(p)]
    if len(entries) < 3 or len(entries) < 0.4 * len(rows) or _tabular(rows):
        return False
    return _increasing(entries) >= 0.7


def _headless(rows: Sequence[tuple[Row, Parsed]]) -> bool:
    """A listing without a heading: mostly titles with leaders and page numbers, in order."""
    entries = [p for _r, p in rows if p.kind == "entry" and _entry_like(p)]
    if len(entries) < 5 or len(entries) < 0.5 * len(rows) or _tabular(rows):
        return False
    strong = sum(1 for p in entries if p.strong)
    arabic = sum(1 for p in entries if (p.page or "").isdigit())
    return strong >= 0.5 * len(entries) and arabic >= 4 and _increasing(entries) >= 0.8


def _increasing(entries: Sequence[Parsed]) -> float:
    values = [int(p.page) for p in entries if p.page and p.page.isdigit()]
    if len(values) < 2:
        return 1.0 if values or entries else 0.0
    return sum(1 for a, b in zip(values, values[1:], strict=False) if b >= a) / (len(values) - 1)


def _tabular(rows: Sequence[tuple[Row, Parsed]]) -> bool:
    """Rows ending in several numbers: a table of figures, not a listing."""
    many = sum(1 for row, _p in rows if re.search(r"\d[\d,.]*\s+\d[\d,.]*\s+\d[\d,.]*\s*$", row.text))
    return many > 0.3 * max(1, len(rows))


@dataclass
class _Item:
    """An entry before its level is known."""

    title: str
    page: str | None
    row: Row
    number: str | None = None
    tentative: bool = False  # no page number: kept only if an entry with one follows


@dataclass
class _Context:
    """What the listing read so far says about the next row."""

    max_page: int | None
    prev_page: int | None = None
    prev_number: str | None = None
    figures: int = 0  # entries of lists of figures or tables left out
    vocab: Vocabulary | None = None  # the document's words: titles get the body's spacing repair


def parse_contents(doc: Document, pages: Sequence[int] | None = None) -> list[TocEntry]:
    """The entries listed on the contents ``pages`` (found when not given), with levels, unmapped."""
    items, _ctx = _read(doc, pages)
    return _with_levels(items)


def _read(
    doc: Document, pages: Sequence[int] | None, scan: _Scan | None = None
) -> tuple[list[_Item], _Context]:
    all_pages = _listing_pages(doc)
    scan = scan or _scan_document(doc)
    ctx = _Context(max_page=len(all_pages) + 40 if len(all_pages) > 10 else None, vocab=_vocabulary(doc))
    items: list[_Item] = []
    for number in scan.contents if pages is None else sorted(pages):
        if not 1 <= number <= len(all_pages):
            continue
        rows = _without_furniture(page_rows(all_pages[number - 1]), scan.furniture)
        start = scan.heading[number] if number in scan.heading else _heading_index(rows)
        if not _read_page(_pair_columns(rows[start + 1 :]), ctx, items):
            break
    if any(it.page for it in items):
        items = [it for it in items if not it.tentative]
    _bare_roman_numbers(items)
    return items, ctx


def _pair_columns(rows: list[Row]) -> list[Row]:
    """Text input: a block of titles followed by a block of as many page numbers, paired in order.

    That is how a listing comes out of text extractors when the numbers are set in a
    column of their own. Lines not starting with a number continue the title above
    when the block mixes both.
    """
    if not rows or rows[0].top is not None:
        return rows
    parsed = [parse_row(r.text) for r in rows]
    out: list[Row] = []
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and parsed[j].kind == "text" and not _heading_kind(rows[j], parsed[j]):
            j += 1
        k = j
        while k < len(rows) and parsed[k].kind == "number":
            k += 1
        titles = _title_groups(rows[i:j])
        if k - j >= 2 and titles and len(titles) == k - j:
            for group, number in zip(titles, rows[j:k], strict=True):
                text = " ".join(parse_row(r.text).title for r in group)
                out.append(replace(group[0], text=f"{text}\t{number.text.strip()}"))
        else:
            out.extend(rows[i : max(k, i + 1)])
        i = max(k, i + 1)
    return out


def _title_groups(rows: Sequence[Row]) -> list[list[Row]]:
    """Titles of a block: each numbered line starts one; other lines continue it."""
    if not any(_split_number(r.text)[0] for r in rows):
        return [[r] for r in rows]
    groups: list[list[Row]] = []
    for row in rows:
        if (
            groups
            and not _split_number(row.text)[0]
            and not _SECTION_NUMBER.fullmatch(groups[-1][-1].text.strip())
        ):
            groups[-1].append(row)
        elif groups and _SECTION_NUMBER.fullmatch(groups[-1][-1].text.strip()):
            groups[-1].append(row)  # "2.1" on a line of its own, the title on the next
        else:
            groups.append([row])
    return groups


def _heading_index(rows: Sequence[Row]) -> int:
    return next(
        (i for i, row in enumerate(rows) if _heading_kind(row, parse_row(row.text)) == "contents"), -1
    )


def _read_page(rows: Sequence[Row], ctx: _Context, items: list[_Item]) -> bool:
    """Read one page's share of the listing into ``items``; False when the listing ends on it."""
    pitch = _pitch(rows)
    sizes = Counter(round(r.size) for r in rows if r.size)
    body_size = sizes.most_common(1)[0][0] if sizes else None
    pending: list[Row] = []  # rows of a title still waiting for its page number
    loose = 0  # unnumbered text rows in a row
    in_list = False
    for row in rows:
        parsed = parse_row(row.text)
        kind = _heading_kind(row, parsed)
        if kind:
            in_list, pending = kind == "list", []
            continue
        if in_list:
            ctx.figures += parsed.kind == "entry"
            continue
        if parsed.kind == "text" and fold_letters(row.text) in _COLUMN_HEADS:
            continue  # the "Page" above the column of numbers
        if body_size and row.size and row.size < 0.8 * body_size and len(row.text.strip()) <= 3:
            continue  # a subscript pulled out of its line
        if parsed.kind == "number":
            if pending and _close(pending[-1], row, pitch) and _fits(parsed.page or "", ctx):
                _emit(items, ctx, pending, "", parsed.page)
                pending, loose = [], 0
            continue
        if parsed.kind == "entry" and not parsed.strong:
            # a number after a plain space may end a line of prose: "...personnel and some 35"
            joined = pending and _joins(pending, row, pitch)
            wrapped = [parse_row(r.text).title for r in pending] if joined else []
            if _prose(" ".join([*wrapped, parsed.title])) or not _plausible(parsed, ctx):
                parsed = Parsed("text", row.text.strip())
        if parsed.kind == "entry":
            if pending and not _joins(pending, row, pitch):
                _flush(items, ctx, pending)
                pending = []
            for title, page, options in _split_run(row.text, parsed, ctx):
                _emit(items, ctx, pending or [row], title, page, options, title_row=not pending)
                pending = []
            loose = 0
            continue
        if not parsed.title:
            continue
        if _prose(parsed.title):
            return False
        numbered = bool(_split_number(parsed.title)[0])
        if pending and (numbered or not _joins(pending, row, pitch)):
            _flush(items, ctx, pending)
            pending = []
        pending.append(row)
        loose = 0 if numbered else loose + 1
        if loose > 3:
            return False
    _flush(items, ctx, pending)
    return True


def _pitch(rows: Sequence[Row]) -> float | None:
    """The usual distance between two rows."""
    tops = [r.top for r in rows if r.top is not None]
    gaps = sorted(b - a for a, b in zip(tops, tops[1:], strict=False) if b - a > 0.5)
    return gaps[len(gaps) // 2] if gaps else None


def _plausible(parsed: Parsed, ctx: _Context) -> bool:
    """A page number after a plain space is believed only if it keeps the listing in order."""
    values = [int(page) for _t, page in parsed.options if page.isdigit()]
    return not values or any(_in_order(v, ctx) for v in values)


def _fits(page: str, ctx: _Context) -> bool:
    """Does a page number alone on its line keep the listing in order (roman ones come first)?"""
    return _in_order(int(page), ctx) if page.isdigit() else ctx.prev_page is None


def _in_order(value: int, ctx: _Context) -> bool:
    return (ctx.prev_page is None or value >= ctx.prev_page) and (
        ctx.max_page is None or value <= ctx.max_page
    )


def _prose(title: str) -> bool:
    return len(title) > 130 or (len(title.split()) > 10 and title.rstrip().endswith((".", ":", ";")))


def _close(above: Row, row: Row, pitch: float | None) -> bool:
    if above.top is None or row.top is None or pitch is None:
        return True
    return 0 <= row.top - above.top <= 1.7 * pitch


def _joins(pending: Sequence[Row], row: Row, pitch: float | None) -> bool:
    """Is ``row`` the next line of the title begun in ``pending`` (a wrapped title)?"""
    if len(pending) >= 3:
        return False
    text = row.text.strip()
    if _split_number(text)[0] and not text[:1].islower():
        return False  # a new numbered entry
    if row.x0 is not None and pending[-1].x0 is not None and row.x0 < pending[-1].x0 - 3:
        if not _split_number(pending[0].text)[0]:
            return False  # less indented than an unnumbered title: a new entry
    return _close(pending[-1], row, pitch)


def _flush(items: list[_Item], ctx: _Context, pending: Sequence[Row]) -> None:
    """Rows that never got a page number: an entry of their own if they look like a heading.

    It stays tentative until an entry with a page number follows: the body text after
    the listing must not become an entry.
    """
    text = " ".join(parse_row(r.text).title for r in pending)
    if pending and len(text) <= 140 and not _prose(text) and re.search(r"[^\W\d_]", text):
        _emit(items, ctx, pending, "", None, tentative=True)


def _emit(
    items: list[_Item],
    ctx: _Context,
    rows: Sequence[Row],
    title: str,
    page: str | None,
    options: tuple[tuple[str, str], ...] = (),
    *,
    title_row: bool = False,
    tentative: bool = False,
) -> None:
    """Add the entry made of ``rows`` (the wrapped title's lines) and the ``title`` read last.

    ``title_row``: ``rows`` is the row ``title`` comes from, not lines before it.
    """
    if options:
        numeric = [o for o in options if o[1].isdigit()]  # a roman page ("ii") has a single reading
        title, page = min(
            (o for o in numeric if _in_order(int(o[1]), ctx)), key=lambda o: int(o[1]), default=options[0]
        )
    parts = [] if title_row else [parse_row(r.text).title for r in rows]
    text = _clean_title(_join_wrapped([*parts, title]), ctx.vocab)
    if not text:
        return
    if _FIGURE_ENTRY.match(text):
        ctx.figures += 1
        return
    number, bare = _split_number(text)
    if not tentative:
        for item in items:
            item.tentative = False
    items.append(_Item(bare, page, rows[0], number, tentative))
    if page and page.isdigit():
        ctx.prev_page = int(page)
    if number and re.fullmatch(r"\d+(?:\.\d+)*", number):
        ctx.prev_number = number


_Piece = tuple[str, str | None, tuple[tuple[str, str], ...]]


def _split_run(text: str, parsed: Parsed, ctx: _Context) -> list[_Piece]:
    """Entries run together on one line, cut at each page number followed by a new title."""
    matches = _titled(text, _RUN_TOGETHER.finditer(text))
    if not matches and len(text) > 100 and not re.search(_LEADER, text):
        matches = _titled(text, _RUN_TOGETHER_BARE.finditer(text))
        matches = matches if len(matches) >= 2 else []
    if not matches:
        return [(parsed.title, parsed.page, parsed.options)]
    out: list[_Piece] = []
    start, carry = 0, ""  # carry: numbering that belongs to the next title
    prev_page, prev_number = ctx.prev_page, ctx.prev_number
    for match in matches:
        title = f"{carry} {text[start : match.start()]}".strip()
        number = _split_number(title)[0]
        prev_number = number if number and number[0].isdigit() else prev_number
        page, carry = _resolve_run(match.group("page").split(), prev_page, prev_number, ctx.max_page)
        prev_page = int(page) if page.isdigit() else prev_page
        out.append((title, page, ()))
        start = match.end()
    rest = parse_row(f"{carry} {text[start:]}".strip())
    out.append((rest.title, rest.page, rest.options))
    return out


def _titled(text: str, matches: Iterable[re.Match[str]]) -> list[re.Match[str]]:
    """The cuts with a title before them: in ``12<tab>64 kbit/s option .... 17`` the ``64`` after
    the clause number begins the title, it is not the page of an entry ``12``."""
    out: list[re.Match[str]] = []
    start = 0
    for match in matches:
        if re.search(r"[^\W\d_]", text[start : match.start()]):
            out.append(match)
            start = match.end()
    return out


def _resolve_run(
    tokens: list[str], prev_page: int | None, prev_number: str | None, max_page: int | None
) -> tuple[str, str]:
    """Cut ``["1", "4", "3"]`` into the page (``14``) and the next entry's numbering (``3``).

    The page must keep the listing in order and not jump far; the numbering should
    follow the previous entry's.
    """
    if not tokens[0].isdigit():
        return tokens[0], " ".join(tokens[1:])
    best: tuple[float, str, str] | None = None
    for cut in range(1, len(tokens) + 1):
        page = "".join(tokens[:cut])
        if len(page) > 4:
            break
        value, rest = int(page), tokens[cut:]
        score = 0.0
        if prev_page is not None:
            score -= (
                3 if value < prev_page else min(2.0, (value - prev_page) / max(30.0, (max_page or 0) / 4))
            )
        if max_page is not None and value > max_page:
            score -= 4
        if rest:
            score += (2 if _next_number(prev_number, rest[0]) else -0.5) - (len(rest) - 1)
        if best is None or score > best[0]:
            best = (score, page, " ".join(rest))
    assert best is not None
    return best[1], best[2]


def _next_number(prev: str | None, candidate: str) -> bool:
    if not candidate.isdigit():
        return False
    if prev is None:
        return candidate in ("0", "1")
    head = prev.split(".")[0]
    return head.isdigit() and int(candidate) == int(head) + 1


def _bare_roman_numbers(items: list[_Item]) -> None:
    """``I The C API``, ``II Internals``: roman numbers without a dot, believed when they count up."""
    found = [
        (it, m) for it in items if not it.number and (m := re.match(r"([IVXLC]{1,5})\s+(\S.*)", it.title))
    ]
    if len(found) >= 2 and [roman_value(m.group(1)) for _it, m in found[:2]] == [1, 2]:
        for item, match in found:
            item.number, item.title = match.group(1), match.group(2)


def _join_wrapped(parts: Sequence[str]) -> str:
    text = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if text.endswith("-") and not text.endswith(" -") and part[:1].islower():
            text = text[:-1] + part  # a word hyphenated at the end of the line
        else:
            text = f"{text} {part}" if text else part
    return text


def _vocabulary(doc: Document) -> Vocabulary:
    """The words of the document's running text, to repair titles as its lines were repaired
    (``I NTRODUCTI ON`` is joined because the body says ``introduction``)."""
    pages = doc.body
    return doc.derived(
        "contents.vocabulary", pages, lambda: Vocabulary.from_pages(pages, doc.metadata.language)
    )


def _clean_title(text: str, vocab: Vocabulary | None = None) -> str:
    text = re.sub(rf"\(cid:\d+\)|{_LEADER}", " ", text.replace("\t", " "))
    text = re.sub(r"\s+", " ", _repair(text, vocab)).strip()
    return text if text.endswith(("...", "?", "!", ")")) else text.strip(" .·…_-–—:")


def _repair(text: str, vocab: Vocabulary | None = None) -> str:
    from ifri_cli.text.repair import repair_text

    return repair_text(text, vocab)


def _split_number(text: str) -> tuple[str | None, str]:
    """``toc.split_number`` plus appendix numbering (``A.1``) and a lost space (``10.10Text``)."""
    from ifri_cli.structure.titles import split_number

    text = re.sub(r"^(\s*\d{1,2}(?:\.\d{1,2})+)(?=[^\W\d_])", r"\1 ", text)
    match = _LETTER_NUMBER.match(text.strip())
    if match:
        return match.group("num"), match.group("title").strip()
    number, title = split_number(text)
    if not number:
        return None, title
    title = title.lstrip("–—-:. ")  # "Annex A – Mathematical definitions"
    return (number, title) if title else (None, text.strip())


def _letter_numbers(items: Sequence[_Item]) -> None:
    """A title "A Design Pattern Catalogue" followed by "A.1 ...": that "A" is a number, not an article."""
    for item, following in zip(items, items[1:], strict=False):
        match = re.match(r"([A-Z]) (\S.*)", item.title)
        if item.number is None and match and (following.number or "").startswith(match.group(1) + "."):
            item.number, item.title = match.groups()


def _with_levels(items: Sequence[_Item]) -> list[TocEntry]:
    """Levels from numbering where there is some, else from indentation, else from type.

    Entries without a number take the depth of the numbered entries styled like them
    (same indentation, size, weight and case).
    """
    if not items:
        return []
    indents = _relative_indents(items)
    indent_centres = _clusters([x for x in indents if x is not None], 4.0)
    indent_rank = [_rank(x, indent_centres, 4.0) if x is not None else None for x in indents]
    sizes = _clusters([it.row.size for it in items if it.row.size], 0.6)
    typo = [
        (-_rank(it.row.size, sizes, 0.6) if it.row.size else 0, not it.row.bold, not _is_caps(it.title))
        for it in items
    ]
    order = sorted(set(typo))
    typo_rank = [order.index(t) for t in typo]
    depths = [_depth(it.number) for it in items]
    numbered = sum(1 for d in depths if d)
    if numbered >= min(3, len(items)) or numbered >= 0.4 * len(items):
        levels = _levels_from_numbers(depths, indent_rank, typo_rank)
    elif len(indent_centres) > 1:
        levels = [(r or 0) + 1 for r in indent_rank]
    else:
        levels = [r + 1 for r in typo_rank]
    levels = _under_parts(items, depths, levels)
    return [
        TocEntry(item.title, max(1, min(level, 6)), item.number, item.page, kind=_kind(item))
        for item, level in zip(items, levels, strict=True)
    ]


def _depth(number: str | None) -> int | None:
    if not number:
        return None
    if re.fullmatch(r"(?:\d+|[A-Z](?=\.))(?:\.\d+)*", number):
        return number.count(".") + 1
    if re.match(
        r"(?:chapter|chapitre|part|partie|kapitel|teil|cap[ií]tulo|parte|book|livre)\s", number, re.I
    ):
        return 1
    return None  # letters, roman numerals, "Annex 2": their depth varies from one document to another


def _relative_indents(items: Sequence[_Item]) -> list[float | None]:
    """Title x0 from the listing's left edge; odd and even pages may have different margins."""
    lefts: dict[int, float] = {}
    for it in items:
        if it.row.x0 is not None:
            side = it.row.page % 2 if it.row.top is not None else 0
            lefts[side] = min(lefts.get(side, it.row.x0), it.row.x0)
    return [
        None if it.row.x0 is None else it.row.x0 - lefts[it.row.page % 2 if it.row.top is not None else 0]
        for it in items
    ]


def _clusters(values: Sequence[float], tolerance: float) -> list[float]:
    """The smallest value of each group of nearby values, ascending."""
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > tolerance:
            out.append(value)
    return out


def _rank(value: float, centres: Sequence[float], tolerance: float) -> int:
    return next((i for i, centre in enumerate(centres) if value - centre <= tolerance), len(centres) - 1)


def _levels_from_numbers(
    depths: Sequence[int | None], indent: Sequence[int | None], typo: Sequence[int]
) -> list[int]:
    by_style: dict[tuple[int | None, int], Counter[int]] = {}
    by_indent: dict[int, Counter[int]] = {}
    by_typo: dict[int, Counter[int]] = {}
    for depth, ind, ty in zip(depths, indent, typo, strict=True):
        if depth:
            by_style.setdefault((ind, ty), Counter())[depth] += 1
            if ind is not None:
                by_indent.setdefault(ind, Counter())[depth] += 1
            by_typo.setdefault(ty, Counter())[depth] += 1
    known = sorted((ind, _usual(c)) for ind, c in by_indent.items())
    levels = []
    for depth, ind, ty in zip(depths, indent, typo, strict=True):
        if depth:
            levels.append(depth)
        elif (ind, ty) in by_style:
            levels.append(_usual(by_style[(ind, ty)]))
        elif ind is not None and ind in by_indent:
            levels.append(_usual(by_indent[ind]))
        elif ind is not None and known:  # deeper than any numbered entry: one level below
            levels.append(max((lvl for k, lvl in known if k < ind), default=0) + 1)
        else:
            levels.append(_usual(by_typo[ty]) if ty in by_typo else 1)
    return levels


def _usual(depths: Counter[int]) -> int:
    """The depth of a style; the shallowest when the style does not tell depths apart.

    Unnumbered entries styled like numbered ones of several depths are front or back
    matter (Introduction, References): top level.
    """
    enough = max(2, 0.1 * sum(depths.values()))
    shallow = min(depths)
    if depths[shallow] >= enough and any(n >= enough for d, n in depths.items() if d != shallow):
        return shallow
    return depths.most_common(1)[0][0]


def _under_parts(items: Sequence[_Item], depths: Sequence[int | None], levels: list[int]) -> list[int]:
    """Parts (``I``, ``Part 2``) above numbered chapters: what follows the first part goes one level down."""
    parts = {i for i, it in enumerate(items) if it.number and _PART.fullmatch(it.number)}
    if not parts:
        return levels
    first = min(parts)
    if not any(depths[i] == 1 and (items[i].number or "")[:1].isdigit() for i in range(first, len(items))):
        return levels
    return [level if i < first else 1 if i in parts else level + 1 for i, level in enumerate(levels)]


def _is_caps(title: str) -> bool:
    letters = [ch for ch in title if ch.isalpha()]
    if len(letters) < 8 and len(title.split()) < 2:
        return False  # an acronym ("MRI") is not a heading in capitals
    return sum(1 for ch in letters if ch.isupper()) >= 0.8 * len(letters)


def _kind(item: _Item) -> str:
    head = f"{item.number} {item.title}" if item.number and not item.number[0].isdigit() else item.title
    kind = kind_of(head)
    # front matter is numbered in roman numerals: "Foreword ... iii"
    return "front" if kind == "section" and item.page and not item.page.isdigit() else kind


def map_to_pdf_pages(
    doc: Document, entries: Sequence[TocEntry], skip: Sequence[int] | None = None
) -> list[TocEntry]:
    """Each entry with ``pdf_page``: the physical page its printed page number stands for.

    From the page labels (/PageLabels, or the numbers printed on the pages), else from a
    printed-to-physical offset; then checked against where the titles are in the body.
    ``skip``: the contents pages (found when not given). ``None`` where nothing tells.
    """
    return _map(doc, entries, set(find_contents_pages(doc) if skip is None else skip))[0]


def contents_toc(doc: Document) -> tuple[list[TocEntry], list[str]]:
    """The entries of the printed contents page, mapped to PDF pages, and what was done."""
    entries, notes, _mapping = _contents(doc)
    return list(entries), list(notes)


def page_mapping(doc: Document) -> PageMapping | None:
    """How the contents page's printed numbers were mapped to PDF pages (``None``: no contents)."""
    return _contents(doc)[2]


def _contents(doc: Document) -> tuple[tuple[TocEntry, ...], tuple[str, ...], PageMapping | None]:
    pages = doc.body
    return doc.derived("contents.toc", pages, lambda: _read_contents(doc))


def _read_contents(doc: Document) -> tuple[tuple[TocEntry, ...], tuple[str, ...], PageMapping | None]:
    scan = _scan_document(doc)
    if not scan.contents:
        notes = ["no printed contents page found"]
        if scan.lists:
            notes.append(f"found only lists of figures or tables (pdf page {page_span(scan.lists)})")
        return (), tuple(notes), None
    items, ctx = _read(doc, None, scan)
    _letter_numbers(items)
    mapping = choose_mapping(doc, _with_levels(items), set(scan.contents) | set(scan.lists))
    entries, how = list(mapping.entries), mapping.how
    plural = "s" * (len(scan.contents) > 1)
    notes = [f"contents page{plural} on pdf page{plural} {page_span(scan.contents)}: {len(entries)} entries"]
    figures = ctx.figures + sum(scan.list_entries.values())
    if figures:
        names = ", ".join(dict.fromkeys(repr(n) for page in sorted(scan.lists) for n in scan.lists[page]))
        notes.append(
            f"left out lists of figures or tables: {names or 'figure and table entries'} ({figures} entries)"
        )
    ways = [
        f"{how[k]} by {name}"
        for k, name in (
            ("labels", "page labels"),
            ("printed", "the numbers printed on the pages"),
            ("headings", "the offset at which the titles are headings"),
            ("offset", "offset"),
            ("title", "title"),
        )
    ]
    mapping_note = ", ".join(w for w in ways if not w.startswith("0 ")) or "none"
    notes.append(f"printed page numbers mapped to pdf pages: {mapping_note}")
    if how["unmapped"]:
        notes[-1] += f"; {how['unmapped']} not mapped"
    if how["outside"]:
        notes[-1] += f"; {how['outside']} not in this document (printed pages past its last page)"
    if how["moved"]:
        moved = how["moved"]
        notes.append(f"{moved} entr{'ies' if moved > 1 else 'y'} moved to the page where the heading is")
    if len(mapping.scores) > 1:
        notes.append(_verified_note(mapping))
    return tuple(entries), tuple(notes), mapping


def _verified_note(mapping: PageMapping) -> str:
    """Which labelling the mapping went through, and what the others scored."""
    first = mapping.scores[0][0]
    kept = mapping.name or "none"
    tried = "; ".join(f"{name} {n}" for name, n in mapping.scores)
    if kept == first:
        return (
            f"page mapping checked: {first} kept ({tried} of {mapping.checked} titles found where they point)"
        )
    return (
        f"page mapping checked: the {first} disagree with where the titles are; used the {kept} "
        f"({tried} of {mapping.checked} titles found where they point)"
    )
