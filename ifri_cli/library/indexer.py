"""Building and updating a library: which files are new, changed, unchanged or gone; parsing
the ones that need it in parallel; writing each to the database as it arrives.

The parent alone writes, one transaction per document: worker processes (or Dask workers)
only parse and send back a small record. A file is read again only when its size or
modification time changed *and* its content hash differs from what was indexed; a file whose
bytes are already in the library under another path (a copy, a moved file) is copied from
there without parsing.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ifri_cli.errors import InputError
from ifri_cli.library import parse, run, store
from ifri_cli.library.results import IndexFailure, IndexReport
from ifri_cli.pdf.pool import default_jobs

# what a folder is searched for (a file named on the command line is read whatever its name)
EXTENSIONS = (".pdf", ".txt")


@dataclass(frozen=True)
class IndexEvent:
    """Progress of an index run: ``kind`` is ``"plan"`` once the files to parse are known
    (``total``), then ``"file"`` as each is written (``status``: added, updated or failed)."""

    kind: str
    done: int
    total: int
    path: str | None = None
    status: str | None = None
    reason: str | None = None


Progress = Callable[[IndexEvent], None]


def find_documents(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The files named and, under each folder, its PDFs and ``.txt`` files (recursively, hidden
    files and folders left out), each once, in order. A path that does not exist is an
    ``InputError``, raised before anything is done."""
    out: list[str] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            out.append(path)

    for given in paths:
        path = os.fspath(given)
        if os.path.isdir(path):
            found = []
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [
                    os.path.join(root, f)
                    for f in files
                    if not f.startswith(".") and f.lower().endswith(EXTENSIONS)
                ]
            for f in sorted(found):
                add(f)
        elif os.path.exists(path):
            add(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return out


def index(
    conn: sqlite3.Connection,
    db: str,
    paths: Iterable[str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    prune: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    dask: Any = None,
    engine: str | None = None,
) -> IndexReport:
    from ifri_cli.document import pdf_engine

    start = time.monotonic()
    engine = pdf_engine(engine)  # an unknown or missing engine fails now, before any work
    files = [os.path.abspath(p) for p in find_documents(paths)]
    with run.dask_client(dask) as client:  # a wrong address fails now, before any work
        return _index(conn, db, files, start, jobs or default_jobs(), prune, force, progress, client, engine)


def _index(
    conn: sqlite3.Connection,
    db: str,
    files: list[str],
    start: float,
    jobs: int,
    prune: bool,
    force: bool,
    progress: Progress | None,
    dask: Any,
    engine: str,
) -> IndexReport:
    """``engine`` reads the PDFs: a PDF that another engine read counts as changed (as the parse
    cache keys on the engine); a text file is read without one."""
    from ifri_cli._version import __version__

    counts = {"added": 0, "updated": 0, "unchanged": 0}
    failed: list[IndexFailure] = []
    stats: dict[str, tuple[int, int]] = {}
    to_parse: list[str] = []
    for path in files:
        try:
            st = os.stat(path)
        except OSError as exc:
            failed.append(IndexFailure(path, "InputError", f"cannot read ({exc.strerror or exc})"))
            continue
        size, mtime = st.st_size, st.st_mtime_ns
        row = conn.execute(
            "SELECT id, size, mtime_ns, sha256, engine FROM documents WHERE path = ?", (path,)
        ).fetchone()
        if row and row[4] not in (None, engine):
            row = None  # read by the other engine: read it again with this one
        if row and not force and (row[1], row[2]) == (size, mtime):
            counts["unchanged"] += 1
            continue
        known = store.known_failure(conn, path)
        if known and (force or known[5] != __version__ or known[6] not in (None, engine)):
            known = None  # another ifri, or another engine, may read it now
        if known and (known[0], known[1]) == (size, mtime):
            failed.append(IndexFailure(path, known[3], known[4], known=True))
            continue
        try:
            digest = parse.file_sha256(path)
        except OSError as exc:
            failed.append(IndexFailure(path, "InputError", f"cannot read ({exc.strerror or exc})"))
            continue
        if row and not force and row[3] == digest:
            store.touch_document(conn, row[0], size, mtime)
            counts["unchanged"] += 1
            continue
        if known and known[2] == digest:
            store.record_failure(conn, path, size, mtime, digest, known[3], known[4], engine)
            failed.append(IndexFailure(path, known[3], known[4], known=True))
            continue
        twin = (
            None
            if force
            else conn.execute(
                "SELECT id FROM documents WHERE sha256 = ? AND path != ?"
                " AND (engine IS NULL OR engine = ?) LIMIT 1",
                (digest, path, engine),
            ).fetchone()
        )
        if twin:
            counts[store.copy_document(conn, twin[0], path, size, mtime)] += 1
            continue
        stats[path] = (size, mtime)
        to_parse.append(path)

    total = len(to_parse)
    if progress:
        progress(IndexEvent("plan", 0, total))
    done = 0
    task = functools.partial(parse.index_record, engine=engine)
    for path, record in run.run(task, to_parse, jobs=jobs, crashed=_crashed, dask=dask):
        size, mtime = stats[path]
        if record["ok"]:
            status = store.write_document(conn, path, size, mtime, record)
            counts[status] += 1
            reason = None
        else:
            status, reason = "failed", record["reason"]
            digest = record.get("sha256") or ""
            store.record_failure(conn, path, size, mtime, digest, record["kind"], reason, engine)
            failed.append(IndexFailure(path, record["kind"], reason))
        done += 1
        if progress:
            progress(IndexEvent("file", done, total, path, status, reason))

    removed = missing = 0
    for doc_id, path in store.paths(conn):
        if os.path.exists(path):
            continue
        if prune:
            store.remove_document(conn, doc_id)
            removed += 1
        else:
            missing += 1
    if prune:
        for (path,) in conn.execute("SELECT path FROM failures").fetchall():
            if not os.path.exists(path):
                store.forget_failure(conn, path)
    store.checkpoint(conn)
    documents, sections = store.counts(conn)
    return IndexReport(
        db=db,
        added=counts["added"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        failed=tuple(failed),
        removed=removed,
        missing=missing,
        documents=documents,
        sections=sections,
        bytes=store.size_on_disk(db),
        seconds=round(time.monotonic() - start, 3),
    )


def _crashed(path: str, kind: str, reason: str) -> dict[str, Any]:
    return {"ok": False, "sha256": "", "kind": kind, "reason": reason}


@dataclass(frozen=True)
class ExportResult:
    """One file of a batch export: ``line`` is its ``export --json`` document on one line of
    JSON, or, when ``ok`` is false, an error record ``{"schema_version", "path", "error":
    {"kind", "message"}}``."""

    path: str
    ok: bool
    line: str

    @property
    def data(self) -> dict[str, Any]:
        import json

        return json.loads(self.line)  # type: ignore[no-any-return]

    @property
    def error(self) -> str | None:
        return None if self.ok else str(self.data["error"]["message"])


def export(
    paths: Iterable[str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    dask: Any = None,
    engine: str | None = None,
) -> Iterator[ExportResult]:
    """The export document of every file named or found under the folders, as each is ready
    (in order with one job). ``engine``: the PDF engine (default ``$IFRI_ENGINE``, else pdfminer)."""
    from ifri_cli.document import pdf_engine

    engine = pdf_engine(engine)
    files = find_documents(paths)
    task = functools.partial(parse.export_line, engine=engine)
    with run.dask_client(dask) as client:
        for path, (ok, line) in run.run(
            task, files, jobs=jobs or default_jobs(), crashed=_export_crashed, dask=client
        ):
            yield ExportResult(path, ok, line)


def _export_crashed(path: str, kind: str, reason: str) -> tuple[bool, str]:
    return False, parse.error_line(path, kind, reason)
