"""What a library of documents answers (``ifri_cli.library``): its documents, ranked hits,
a section found across it, an index run's report. Frozen dataclasses with ``to_dict()``, as the
single-document results in ``ifri_cli.model`` are; kept apart so that reading one document does
not pay for defining them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class LibraryDocument:
    """One document of a library, as ``ifri library`` lists it."""

    path: str
    title: str | None
    authors: tuple[str, ...]
    date: str | None
    year: int | None
    pages: int | None
    sections: int
    kind: str  # pdf | text
    source: str  # where its structure came from: outline | contents | headings | none
    language: str | None
    size: int  # bytes
    sha256: str
    indexed_at: str  # ISO 8601, UTC
    warnings: tuple[str, ...] = ()
    engine: str | None = None  # the PDF engine that read it (pdfminer, pdfium); None for a text file

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["authors"] = list(self.authors)
        data["warnings"] = list(self.warnings)
        return data


@dataclass(frozen=True)
class LibraryHit:
    """A section of a library document that matches a query, best first.

    ``number`` is the paper's own section number (None when it has none) and ``position`` its
    place in the tree ("2.1"), what ``ifri search`` shows when there is no number. ``snippet`` is
    plain text; ``highlights`` are the ``(start, end)`` offsets of the matched words inside it.
    """

    rank: int
    score: float  # BM25, higher is better
    path: str
    document: str | None  # the document's title
    number: str | None
    position: str | None
    title: str
    level: int
    kind: str
    page: str | None  # printed page label where the section starts
    pdf_page: int | None
    pdf_page_end: int | None
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["highlights"] = [list(h) for h in self.highlights]
        return data


@dataclass(frozen=True)
class LibrarySearch:
    """The answer to a query over a library: the hits and how the query was read."""

    query: str
    match: str | None  # the FTS5 expression run (None: the query had no words)
    relaxed: bool  # no section had every word: sections with any of them are ranked instead
    hits: tuple[LibraryHit, ...]
    notes: tuple[str, ...] = ()  # how the query was read (a word left out, a prefix too short)
    documents: int = 0  # documents searched (after the filters)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "match": self.match,
            "relaxed": self.relaxed,
            "notes": list(self.notes),
            "documents": self.documents,
            "count": len(self.hits),
            "hits": [h.to_dict() for h in self.hits],
        }


@dataclass(frozen=True)
class LibrarySection:
    """A section found across a library, with its text (and its subsections' when asked)."""

    hit: LibraryHit
    text: str

    def to_dict(self) -> dict[str, Any]:
        h = self.hit
        return {
            "path": h.path,
            "document": h.document,
            "number": h.number,
            "position": h.position,
            "title": h.title,
            "level": h.level,
            "kind": h.kind,
            "page": h.page,
            "pdf_page": h.pdf_page,
            "pdf_page_end": h.pdf_page_end,
            "text": self.text,
        }


@dataclass(frozen=True)
class IndexFailure:
    path: str
    kind: str  # the error's class: EncryptedPDF, NoTextLayer, BrokenPDF, NotADocument, InputError...
    reason: str
    known: bool = False  # unchanged since a run that already failed on it: not read again

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class IndexReport:
    """What ``ifri index`` did, for its one-line summary and ``--json``."""

    db: str
    added: int
    updated: int
    unchanged: int
    failed: tuple[IndexFailure, ...]
    removed: int  # documents dropped because their file is gone (``--prune``)
    missing: int  # documents whose file is gone, kept (no ``--prune``)
    documents: int  # in the library after the run
    sections: int
    bytes: int  # the database's size on disk
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["failed"] = [f.to_dict() for f in self.failed]
        return data
