"""A library: many reports in one SQLite database, searched by section, ranked by BM25.

    >>> from ifri_cli.library import Library
    >>> with Library("reports.db") as lib:            # or Library(): $IFRI_DB, else the user data dir
    ...     report = lib.index(["reports/"], jobs=2)  # parse what is new or changed, in parallel
    ...     for hit in lib.search("sovereign debt", limit=5).hits:
    ...         print(hit.path, hit.page, hit.title, hit.snippet)
    ...     print(lib.section("oil and debt", first=True).text)

Batch export without a library: ``ifri_cli.library.export(paths, jobs=2)`` yields the
``ifri export --json`` document of each file as it is ready. ``dask="tcp://host:8786"`` (or a
``distributed.Client``) runs the parsing of ``index`` and ``export`` on a Dask cluster.

Opening a library for a query imports only ``sqlite3``: neither pdfminer nor Dask.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from ifri_cli.library.query import Filters, parse_year
from ifri_cli.library.results import IndexReport, LibraryDocument, LibrarySearch, LibrarySection
from ifri_cli.library.store import default_path

__all__ = [
    "ExportResult",
    "Filters",
    "IndexEvent",
    "Library",
    "default_path",
    "export",
    "find_documents",
    "parse_year",
]


class Library:
    """The library in the SQLite file ``path`` (default: ``default_path()``).

    Nothing is created until ``index`` runs: a query on a library that does not exist raises
    ``ifri_cli.errors.LibraryError``. Each thread gets its own connection; the database may be
    searched while another process indexes into it.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = os.path.abspath(os.fspath(path)) if path is not None else default_path()
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Library({self.path!r})"

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _conn(self, create: bool = False) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            from ifri_cli.library import store

            conn = store.connect(self.path, create=create)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn  # type: ignore[no-any-return]

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()

    def exists(self) -> bool:
        return os.path.exists(self.path)

    # --- building ------------------------------------------------------------------------------

    def index(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        jobs: int | None = None,
        prune: bool = False,
        force: bool = False,
        progress: Any = None,
        dask: Any = None,
        engine: str | None = None,
    ) -> IndexReport:
        """Add the files named and the PDFs and ``.txt`` files under the folders named; update
        the ones that changed. ``jobs``: worker processes (default one per core); ``prune``:
        drop documents whose file is gone; ``force``: parse everything again; ``progress``: a
        callable given each ``IndexEvent``; ``dask``: a scheduler address or a Client;
        ``engine``: the PDF engine (default ``$IFRI_ENGINE``, else pdfminer), recorded with each
        document: a PDF read by another engine is read again.

        A file that cannot be read is skipped and listed in ``report.failed`` with its reason.
        Interrupted at any moment, the library stays consistent; the next call finishes the job.
        """
        from ifri_cli.document import pdf_engine
        from ifri_cli.library.indexer import find_documents, index
        from ifri_cli.library.run import dask_client

        # an unknown engine, a missing path or a scheduler out of reach: said before a library is made
        engine = pdf_engine(engine)
        files = find_documents(paths)
        with dask_client(dask) as client:
            return index(
                self._conn(create=True),
                self.path,
                files,
                jobs=jobs,
                prune=prune,
                force=force,
                progress=progress,
                dask=client,
                engine=engine,
            )

    # --- reading -------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        doc: str | None = None,
        author: str | None = None,
        year: int | str | tuple[int, int] | None = None,
    ) -> LibrarySearch:
        """The ``limit`` sections that best match ``query`` (see ``ifri_cli.library.query``)."""
        from ifri_cli.library.query import search

        return search(self._conn(), query, limit=limit, filters=_filters(doc, author, year))

    def section(
        self,
        query: str,
        *,
        first: bool = False,
        subsections: bool = True,
        doc: str | None = None,
        author: str | None = None,
        year: int | str | tuple[int, int] | None = None,
    ) -> LibrarySection:
        """The one section whose title has the words of ``query`` (or whose number it is), with
        its text; raises ``Ambiguous`` when several fit (unless ``first``), ``SectionNotFound``."""
        return self.find_section(
            query, first=first, subsections=subsections, doc=doc, author=author, year=year
        )[0]

    def find_section(
        self,
        query: str,
        *,
        first: bool = False,
        subsections: bool = True,
        doc: str | None = None,
        author: str | None = None,
        year: int | str | tuple[int, int] | None = None,
    ) -> tuple[LibrarySection, list[str]]:
        """``section``, with notes on how it was chosen (a best match in the text, say)."""
        from ifri_cli.library.query import find_section

        return find_section(
            self._conn(), query, filters=_filters(doc, author, year), first=first, subsections=subsections
        )

    def documents(
        self,
        *,
        doc: str | None = None,
        author: str | None = None,
        year: int | str | tuple[int, int] | None = None,
    ) -> list[LibraryDocument]:
        """The documents of the library, by path."""
        from ifri_cli.library.query import documents, loads_list
        from ifri_cli.text.safe import safe, safe_or_none

        return [
            LibraryDocument(
                path=r[0],
                title=safe_or_none(r[1]),
                authors=tuple(map(safe, loads_list(r[2]))),
                date=safe_or_none(r[3]),
                year=r[4],
                pages=r[5],
                sections=r[6],
                kind=r[7],
                source=r[8],
                language=r[9],
                size=r[10],
                sha256=r[11],
                indexed_at=datetime.fromtimestamp(r[12], timezone.utc).isoformat(timespec="seconds"),
                warnings=tuple(map(safe, loads_list(r[13]))),
                engine=r[14],
            )
            for r in documents(self._conn(), _filters(doc, author, year))
        ]

    def failures(self) -> list[tuple[str, str, str]]:
        """(path, kind, reason) of each file the last runs could not read."""
        from ifri_cli.text.safe import safe

        rows = self._conn().execute("SELECT path, kind, reason FROM failures ORDER BY path").fetchall()
        return [(path, kind, safe(reason or "")) for path, kind, reason in rows]

    def stats(self) -> dict[str, Any]:
        """Documents, sections and size on disk."""
        from ifri_cli.library import store

        documents, sections = store.counts(self._conn())
        return {
            "db": self.path,
            "documents": documents,
            "sections": sections,
            "bytes": store.size_on_disk(self.path),
        }

    def check(self) -> list[str]:
        """What is inconsistent in the database (an empty list when all is well)."""
        from ifri_cli.library import store

        return store.check(self._conn())


def _filters(doc: str | None, author: str | None, year: int | str | tuple[int, int] | None) -> Filters:
    if isinstance(year, int):
        span: tuple[int, int] | None = (year, year)
    elif isinstance(year, str):
        span = parse_year(year)
    else:
        span = year
    return Filters(doc=doc or None, author=author or None, year=span)


def __getattr__(name: str) -> Any:
    # the indexing side (and, through it, the document parser) is imported only when used
    if name in ("ExportResult", "IndexEvent", "export", "find_documents"):
        from ifri_cli.library import indexer

        return getattr(indexer, name)
    raise AttributeError(name)
