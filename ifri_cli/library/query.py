"""Ranked search over a library: a user's query made safe for FTS5, filters, BM25, snippets.

What a query means (``ifri search QUERY --library``):

* words are all required (AND); when no section has them all, sections with any of them are
  ranked instead (``relaxed``);
* ``"two words"`` is a phrase; ``word*`` a prefix (at least 3 letters: shorter prefixes expand
  to much of the vocabulary and are read as the word itself);
* case and accents do not matter (``deneigement`` finds ``Déneigement``);
* FTS5's own syntax (``AND``, ``OR``, ``NOT``, ``NEAR``, ``title:``, parentheses, ``^``) has no
  meaning: every word is quoted, so no query is ever a syntax error;
* a word found in more than half of all sections carries no weight in BM25 (its inverse
  document frequency is zero): it is left out when rarer words remain, which keeps a query such
  as ``the treatment of children`` as fast as ``treatment children``.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ifri_cli.errors import Ambiguous, SectionNotFound, UsageError
from ifri_cli.library.results import LibraryHit, LibrarySearch, LibrarySection
from ifri_cli.library.store import WEIGHTS
from ifri_cli.text.safe import safe, safe_or_none

_TERM = re.compile(r'"([^"]*)"?|(\S+)')
_WORD_CHAR = re.compile(r"[^\W_]")  # letters and digits
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")
MIN_PREFIX = 3
# filters that leave at most this many documents search each one's rowid range
RANGE_MAX_DOCS = 20
SNIPPET_WORDS = 24
_START, _END = "\x02", "\x03"  # snippet markers: control characters never survive into the text


@dataclass(frozen=True)
class Term:
    text: str  # as the user wrote it, without quotes or *
    phrase: bool = False
    prefix: bool = False

    def fts(self) -> str:
        quoted = '"' + self.text.replace('"', '""') + '"'
        return quoted + "*" if self.prefix else quoted


@dataclass(frozen=True)
class Filters:
    """Which documents to search: ``doc`` matches a path or title, ``author`` an author's name
    (both by substring, case and accents ignored), ``year`` is ``(first, last)``."""

    doc: str | None = None
    author: str | None = None
    year: tuple[int, int] | None = None

    def __bool__(self) -> bool:
        return bool(self.doc or self.author or self.year)


def parse_year(text: str | None) -> tuple[int, int] | None:
    """``2019``, ``2015-2020``, ``2015-`` or ``-2020`` as an inclusive range."""
    if text is None or not text.strip():
        return None
    match = re.fullmatch(r"\s*(\d{4})?\s*(?:(-|\.\.)\s*(\d{4})?)?\s*", text)
    if not match or not (match.group(1) or match.group(3)):
        raise UsageError(f"--year {text!r}: give a year (2019) or a range (2015-2020, 2015-, -2020)")
    first = int(match.group(1)) if match.group(1) else 0
    last = int(match.group(3)) if match.group(3) else (9999 if match.group(2) else first)
    if first > last:
        raise UsageError(f"--year {text!r}: the range ends before it starts")
    return first, last


def terms(query: str) -> tuple[list[Term], list[str]]:
    """The terms of a user query, and notes on how it was read."""
    # lone surrogates (bytes of a non-UTF-8 argument) cannot be bound by sqlite3; NUL ends an
    # FTS5 string ("unterminated string"): no control character gets through
    query = query.encode("utf-8", "replace").decode("utf-8")
    query = _CONTROL.sub(" ", unicodedata.normalize("NFC", query))
    out: list[Term] = []
    notes: list[str] = []
    for match in _TERM.finditer(query):
        phrase, word = match.group(1), match.group(2)
        if phrase is not None:
            if _WORD_CHAR.search(phrase):
                out.append(Term(" ".join(phrase.split()), phrase=True))
            continue
        prefix = word.endswith("*")
        stem = _EDGE_PUNCTUATION.sub("", word.rstrip("*"))
        if not _WORD_CHAR.search(stem):
            continue
        if prefix and len(_WORD_CHAR.findall(stem)) < MIN_PREFIX:
            notes.append(
                f"'{word}': a prefix needs {MIN_PREFIX} letters or more; searched for the word '{stem}'"
            )
            prefix = False
        out.append(Term(stem, prefix=prefix))
    return out, notes


def _token(text: str) -> str:
    """A word as the FTS5 tokenizer stores it: lower case, accents removed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _common(conn: sqlite3.Connection, found: list[Term]) -> set[Term]:
    """The plain words of the query found in more than half of the sections (their inverse
    document frequency, and so their weight in BM25, is zero)."""
    plain = [t for t in found if not t.phrase and not t.prefix and re.fullmatch(r"[^\W_]+", t.text)]
    if not plain:
        return set()
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.sections_vocab USING fts5vocab(main, 'sections_fts', 'row')"
    )
    total = conn.execute("SELECT coalesce(sum(n_sections), 0) FROM documents").fetchone()[0]
    common = set()
    for t in plain:
        row = conn.execute("SELECT doc FROM temp.sections_vocab WHERE term = ?", (_token(t.text),)).fetchone()
        if row and total and row[0] * 2 > total:
            common.add(t)
    return common


def to_match(found: Sequence[Term], operator: str = "AND") -> str | None:
    """FTS5 expression for the terms; None when there are none."""
    if not found:
        return None
    return f" {operator} ".join(t.fts() for t in found)


def resolve_documents(conn: sqlite3.Connection, filters: Filters) -> list[int] | None:
    """The ids of the documents the filters leave (None: no filter, every document)."""
    if not filters:
        return None
    from ifri_cli.text.fold import fold

    where: list[str] = []
    args: list[object] = []
    if filters.doc:
        where.append("search_key LIKE ? ESCAPE '\\'")
        args.append(f"%{_like(fold(filters.doc))}%")
    if filters.author:
        where.append("id IN (SELECT doc_id FROM authors WHERE folded LIKE ? ESCAPE '\\')")
        args.append(f"%{_like(fold(filters.author))}%")
    if filters.year:
        where.append("year BETWEEN ? AND ?")
        args += list(filters.year)
    sql = "SELECT id FROM documents WHERE " + " AND ".join(where)
    return [row[0] for row in conn.execute(sql, args)]


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _bm25() -> str:
    return "bm25(sections_fts, " + ", ".join(str(w) for w in WEIGHTS) + ")"


_SNIPPET = f"snippet(sections_fts, 1, '{_START}', '{_END}', '…', {SNIPPET_WORDS})"


def _rank(
    conn: sqlite3.Connection, match: str, doc_ids: list[int] | None, limit: int
) -> list[tuple[int, float, str]]:
    """(section id, bm25, snippet) best first."""
    bm25 = _bm25()
    if doc_ids is None:
        # rank inside the FTS table alone, then look up the few winners: joining the sections
        # and documents before sorting doubled the time on common words
        sql = (
            f"SELECT rowid, {bm25} AS score, {_SNIPPET} FROM sections_fts"
            " WHERE sections_fts MATCH ? ORDER BY score LIMIT ?"
        )
        return conn.execute(sql, (match, limit)).fetchall()  # type: ignore[no-any-return]
    if not doc_ids:
        return []
    if len(doc_ids) <= RANGE_MAX_DOCS:
        # a document's sections have consecutive ids, and FTS5 skips to a rowid range inside its
        # lists; BM25's statistics are table-wide, so the scores of several ranges compare
        marks = ",".join("?" * len(doc_ids))
        ranges = conn.execute(
            f"SELECT min(id), max(id) FROM sections WHERE doc_id IN ({marks}) GROUP BY doc_id", doc_ids
        ).fetchall()
        sql = (
            f"SELECT rowid, {bm25} AS score, {_SNIPPET} FROM sections_fts"
            " WHERE sections_fts MATCH ? AND rowid BETWEEN ? AND ? ORDER BY score LIMIT ?"
        )
        rows = [row for lo, hi in ranges for row in conn.execute(sql, (match, lo, hi, limit))]
        return sorted(rows, key=lambda r: r[1])[:limit]
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS filter_docs(id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.filter_docs")
    conn.executemany("INSERT INTO temp.filter_docs VALUES (?)", [(i,) for i in doc_ids])
    sql = (
        f"SELECT sections_fts.rowid, {bm25} AS score, {_SNIPPET} FROM sections_fts"
        " JOIN sections s ON s.id = sections_fts.rowid"
        " WHERE sections_fts MATCH ? AND s.doc_id IN (SELECT id FROM temp.filter_docs)"
        " ORDER BY score LIMIT ?"
    )
    return conn.execute(sql, (match, limit)).fetchall()  # type: ignore[no-any-return]


_HIT_COLUMNS = (
    "s.id, d.path, d.title, s.number, s.position, s.title, s.level, s.kind, s.page, s.pdf_page,"
    " s.pdf_page_end"
)


def _hits(conn: sqlite3.Connection, rows: list[tuple[int, float, str]]) -> list[tuple[int, LibraryHit]]:
    """Each ranked row as (section id, hit)."""
    if not rows:
        return []
    marks = ",".join("?" * len(rows))
    meta = {
        r[0]: r
        for r in conn.execute(
            f"SELECT {_HIT_COLUMNS} FROM sections s JOIN documents d ON d.id = s.doc_id"
            f" WHERE s.id IN ({marks})",
            [r[0] for r in rows],
        )
    }
    hits: list[tuple[int, LibraryHit]] = []
    for section_id, score, marked in rows:
        m = meta.get(section_id)
        if m is None:  # removed by a concurrent index run between the two queries
            continue
        snippet, spans = _unmark(marked or "")
        hits.append(
            (
                section_id,
                LibraryHit(
                    rank=len(hits) + 1,
                    score=round(-score, 3),
                    path=m[1],  # as on disk, to open it again; display_path shows it safely
                    # a library is read as untrusted as a document is: it may have been made by an
                    # older ifri, or by someone else
                    document=safe_or_none(m[2]),
                    number=safe_or_none(m[3]),
                    position=m[4],
                    title=safe(m[5] or ""),
                    level=m[6],
                    kind=m[7],
                    page=safe_or_none(m[8]),
                    pdf_page=m[9],
                    pdf_page_end=m[10],
                    snippet=snippet,
                    highlights=spans,
                ),
            )
        )
    return hits


def _unmark(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Plain snippet text (on one line) and the offsets of the highlighted words in it."""
    marked = " ".join(marked.split())
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    start = None
    for piece in re.split(f"([{_START}{_END}])", marked):
        if piece == _START:
            start = length
        elif piece == _END:
            if start is not None and length > start:
                spans.append((start, length))
            start = None
        else:
            piece = safe(piece)  # the markers are control characters: the text between them
            out.append(piece)
            length += len(piece)
    return "".join(out), tuple(spans)


def search(
    conn: sqlite3.Connection, query: str, *, limit: int = 10, filters: Filters = Filters()
) -> LibrarySearch:
    """The ``limit`` sections that best match ``query``, best first (BM25, title 5 : text 1)."""
    if limit < 1:
        raise UsageError("the number of hits must be at least 1")
    found, notes = terms(query)
    doc_ids = resolve_documents(conn, filters)
    searched = (
        len(doc_ids) if doc_ids is not None else conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    )
    if not found:
        return LibrarySearch(
            query, None, False, (), tuple(notes) + ("the query has no words to search",), searched
        )
    common = _common(conn, found)
    if common and len(common) < len(found):
        found = [t for t in found if t not in common]
        words = ", ".join(sorted({t.text for t in common}))
        notes.append(f"left out words found in most sections (they do not help ranking): {words}")
    match = to_match(found)
    assert match is not None
    rows: list[tuple[int, float, str]] = []
    if common and len(common) == len(found):
        # nothing but words of most sections: ranking them all costs a pass over most of the
        # index (0.4 s on 300,000 sections) to order sections by words that say little; the
        # sections with them in their title answer first, the whole text only if too few do
        title_match = "{title} : (" + match + ")"
        rows = _run(conn, title_match, doc_ids, limit)
        if len(rows) >= limit:
            match = title_match
            notes.append("every word is in most sections: sections with them in their title are shown")
        else:
            rows = []
    if not rows:
        rows = _run(conn, match, doc_ids, limit)
    relaxed = False
    if not rows and len(found) > 1:
        match = to_match(found, "OR")
        assert match is not None
        rows = _run(conn, match, doc_ids, limit)
        relaxed = bool(rows)
        if relaxed:
            notes.append("no section has every word: sections with some of them are shown")
    hits = tuple(hit for _, hit in _hits(conn, rows))
    return LibrarySearch(query, match, relaxed, hits, tuple(notes), searched)


def _run(
    conn: sqlite3.Connection, match: str, doc_ids: list[int] | None, limit: int
) -> list[tuple[int, float, str]]:
    try:
        return _rank(conn, match, doc_ids, limit)
    except sqlite3.OperationalError as exc:  # should not happen (every word is quoted): say which query
        raise UsageError(f"cannot search for {match!r}: {exc}") from None


# --- a section across the library -----------------------------------------------------------

_NUMBER = re.compile(
    r"^(?:(?:annex|appendix|chapter|part|section)\s+)?(?:\d+(?:\.\d+)*|[IVXLC]+|[A-Z])\.?$", re.I
)


def find_section(
    conn: sqlite3.Connection,
    query: str,
    *,
    filters: Filters = Filters(),
    first: bool = False,
    subsections: bool = True,
) -> tuple[LibrarySection, list[str]]:
    """The one section ``query`` names across the library, and notes on how it was chosen.

    Sections whose title has every word of the query (or whose number is the query: ``3.2``,
    ``Annex H``) are the candidates. One candidate, or one whose whole title is the query, is
    the answer; several raise ``Ambiguous`` listing them, unless ``first`` takes the best by BM25.
    No candidate: the best match in the text, said in a note. Nothing: ``SectionNotFound``.
    """
    from ifri_cli.text.fold import fold

    found, notes = terms(query)
    if not found:
        raise UsageError("say which section: words of its title, or its number with --doc")
    doc_ids = resolve_documents(conn, filters)
    candidates: list[tuple[int, LibraryHit]] = []
    if _NUMBER.match(query.strip()) and len(found) <= 2:
        candidates = _by_number(conn, query.strip(), doc_ids)
    if not candidates:
        title_match = "{title} : (" + " AND ".join(t.fts() for t in found) + ")"
        candidates = _hits(conn, _run(conn, title_match, doc_ids, 200))
    if not candidates:
        match = to_match(found)
        assert match is not None
        rows = _run(conn, match, doc_ids, 1)
        if not rows:
            where = " in the documents the filters leave" if filters else " in the library"
            raise SectionNotFound(f"no section matches {query!r}{where}")
        notes.append(f"no section title has all of {query!r}: printing the best match in the text")
        return _with_text(conn, *_hits(conn, rows)[0], subsections), notes
    if len(candidates) > 1:
        wanted = fold(query)
        exact = [c for c in candidates if fold(c[1].title) == wanted or fold(_heading(c[1])) == wanted]
        if len(exact) == 1:
            candidates = exact
    if len(candidates) > 1 and not first:
        shown = [_describe(h) for _, h in candidates[:20]]
        if len(candidates) > 20:
            shown.append(f"... and {len(candidates) - 20} more")
        raise Ambiguous(
            f"{len(candidates)} sections match {query!r}",
            shown,
            hint="use more words, --doc to choose the document, or --first for the best match",
        )
    return _with_text(conn, *candidates[0], subsections), notes


def _by_number(
    conn: sqlite3.Connection, query: str, doc_ids: list[int] | None
) -> list[tuple[int, LibraryHit]]:
    """Sections numbered ``query`` by their paper, else at that place in their tree."""
    number = re.sub(r"\.$", "", query)
    if doc_ids is not None and not doc_ids:
        return []
    within = "" if doc_ids is None else f" AND s.doc_id IN ({','.join('?' * len(doc_ids))})"
    for column in ("s.number = ? COLLATE NOCASE", "s.position = ?"):
        sql = (
            f"SELECT s.id, 0.0, '' FROM sections s WHERE {column}{within} ORDER BY s.doc_id, s.ord LIMIT 200"
        )
        rows = conn.execute(sql, [number, *(doc_ids or [])]).fetchall()
        if rows:
            return _hits(conn, rows)
    return []


def _heading(hit: LibraryHit) -> str:
    return f"{hit.number} {hit.title}" if hit.number else hit.title


def _describe(hit: LibraryHit) -> str:
    page = f"p. {hit.page}" if hit.page else (f"pdf p. {hit.pdf_page}" if hit.pdf_page else "")
    head = _heading(hit)
    return f"{_shown(hit.path)}: {head}" + (f"  ({page})" if page else "")


def _shown(path: str) -> str:
    """A path relative to the current folder when the file is under it."""
    import os

    try:
        relative = os.path.relpath(path)
    except ValueError:
        return safe(path)
    return safe(path if relative.startswith(os.pardir) else relative)


def _with_text(
    conn: sqlite3.Connection, section_id: int, hit: LibraryHit, subsections: bool
) -> LibrarySection:
    """The section's text as ``ifri section`` prints it: its own, then each subsection's heading
    and text, in document order."""
    doc_id, ord_, level, own = conn.execute(
        "SELECT doc_id, ord, level, text FROM sections WHERE id = ?", (section_id,)
    ).fetchone()
    parts = [safe(own)] if own else []
    end = hit.pdf_page_end
    if subsections:
        for number, title, sub_level, text, sub_end in conn.execute(
            "SELECT number, title, level, text, pdf_page_end FROM sections WHERE doc_id = ? AND ord > ?"
            " ORDER BY ord",
            (doc_id, ord_),
        ):
            if sub_level <= level:
                break
            parts.append(safe(f"{number} {title}" if number else title))
            if text:
                parts.append(safe(text))
            if sub_end and (end is None or sub_end > end):
                end = sub_end
    if end != hit.pdf_page_end:
        from dataclasses import replace

        hit = replace(hit, pdf_page_end=end)
    return LibrarySection(hit, "\n\n".join(parts))


def documents(conn: sqlite3.Connection, filters: Filters = Filters()) -> list[tuple]:  # type: ignore[type-arg]
    """The rows ``Library.documents`` makes ``LibraryDocument``s of, by path."""
    doc_ids = resolve_documents(conn, filters)
    sql = (
        "SELECT path, title, authors, date, year, pages, n_sections, kind, source, language, size, sha256,"
        " indexed_at, warnings, engine FROM documents"
    )
    if doc_ids is None:
        return conn.execute(sql + " ORDER BY path").fetchall()
    if not doc_ids:
        return []
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS filter_docs(id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.filter_docs")
    conn.executemany("INSERT INTO temp.filter_docs VALUES (?)", [(i,) for i in doc_ids])
    return conn.execute(sql + " WHERE id IN (SELECT id FROM temp.filter_docs) ORDER BY path").fetchall()


def loads_list(text: str | None) -> tuple[str, ...]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else ()
