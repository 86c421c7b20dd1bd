"""The library's SQLite database: schema, connections, the one writer, and a consistency check.

One row per document, one per section, and an FTS5 index over the sections' titles and text
kept in step by triggers (an *external content* table: the text is stored once). Every change
to a document is one ``BEGIN IMMEDIATE`` transaction, so a run killed at any moment (Ctrl-C,
``kill -9``, a power cut in WAL mode loses at most the last commits) leaves each document wholly
in or wholly out; the next run sees what is missing by path, size, time and content hash.

A document's sections get consecutive ids (one writer, one transaction): searching inside a
few documents is then a rowid range that FTS5 can skip to (``check`` verifies it).

Only the standard library: opening a library for a query costs the import of ``sqlite3``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ifri_cli.errors import LibraryError

SCHEMA = 2  # bump with a migration in ``_MIGRATIONS`` when the tables change
# BM25 weights of the FTS columns (title, text): a word of the title counts five times a word
# of the text (measured on 20 corpus queries and 200 known-item queries: 5:1 beats 1:1 and
# equals 3:1 and 10:1)
WEIGHTS = (5.0, 1.0)
TOKENIZER = "unicode61 remove_diacritics 2"  # case and accents folded, as in single-file search

_TABLES = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents(
    id           INTEGER PRIMARY KEY,
    path         TEXT NOT NULL UNIQUE,   -- absolute, as found on disk
    size         INTEGER NOT NULL,
    mtime_ns     INTEGER NOT NULL,
    sha256       TEXT NOT NULL,          -- of the bytes that were parsed
    kind         TEXT NOT NULL,          -- pdf | text
    title        TEXT,
    authors      TEXT NOT NULL,          -- JSON list
    date         TEXT,
    year         INTEGER,
    language     TEXT,
    pages        INTEGER,
    source       TEXT NOT NULL,          -- where the structure came from
    warnings     TEXT NOT NULL,          -- JSON list
    n_sections   INTEGER NOT NULL,       -- lets check() see a document written by halves
    search_key   TEXT NOT NULL,          -- folded path and title, for --doc
    ifri_version TEXT NOT NULL,
    indexed_at   REAL NOT NULL,
    engine       TEXT                    -- the PDF engine that read it (pdfminer, pdfium); NULL for text
);
CREATE INDEX IF NOT EXISTS documents_sha ON documents(sha256);
CREATE INDEX IF NOT EXISTS documents_year ON documents(year);
CREATE TABLE IF NOT EXISTS authors(
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    name   TEXT NOT NULL,
    folded TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS authors_doc ON authors(doc_id);
CREATE TABLE IF NOT EXISTS sections(
    id           INTEGER PRIMARY KEY,    -- the FTS rowid
    doc_id       INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord          INTEGER NOT NULL,       -- document order, subsections after their parent
    number       TEXT,                   -- the paper's own
    position     TEXT,                   -- place in the tree, "2.1"
    title        TEXT NOT NULL,
    level        INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    page         TEXT,                   -- printed label of its first page
    pdf_page     INTEGER,
    pdf_page_end INTEGER,
    found        INTEGER NOT NULL,
    text         TEXT NOT NULL           -- last: reading the other columns skips its overflow pages
);
CREATE INDEX IF NOT EXISTS sections_doc ON sections(doc_id, ord);
CREATE TABLE IF NOT EXISTS failures(
    path         TEXT PRIMARY KEY,
    size         INTEGER NOT NULL,
    mtime_ns     INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    reason       TEXT NOT NULL,
    ifri_version TEXT NOT NULL,
    at           REAL NOT NULL,
    engine       TEXT                    -- the PDF engine that failed on it
);
CREATE VIRTUAL TABLE IF NOT EXISTS sections_fts USING fts5(
    title, text, tokenize = '{tokenizer}', content = 'sections', content_rowid = 'id'
);
CREATE TRIGGER IF NOT EXISTS sections_ai AFTER INSERT ON sections BEGIN
    INSERT INTO sections_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER IF NOT EXISTS sections_ad AFTER DELETE ON sections BEGIN
    INSERT INTO sections_fts(sections_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER IF NOT EXISTS sections_au AFTER UPDATE ON sections BEGIN
    INSERT INTO sections_fts(sections_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO sections_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
""".replace("{tokenizer}", TOKENIZER)

SECTION_COLUMNS = (
    "number",
    "position",
    "title",
    "level",
    "kind",
    "page",
    "pdf_page",
    "pdf_page_end",
    "found",
    "text",
)


def default_path() -> str:
    """``$IFRI_DB``, else ``library.db`` in the user data directory (platformdirs)."""
    env = os.environ.get("IFRI_DB")
    if env:
        return os.path.abspath(os.path.expanduser(env))
    try:
        from platformdirs import user_data_dir
    except ImportError:  # a dependency, but a library is not worth a crash
        base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
        return os.path.join(base, "ifri", "library.db")
    return os.path.join(user_data_dir("ifri", appauthor=False), "library.db")


def connect(path: str, *, create: bool) -> sqlite3.Connection:
    """A connection to the library at ``path``; ``create`` makes it (and its folder) when missing.

    Without ``create`` a missing file is a ``LibraryError``, never an empty new library.
    """
    if path != ":memory:":
        if not create and not os.path.exists(path):
            raise LibraryError(f"no library at {path}", hint="build one with 'ifri index FOLDER'")
        if os.path.isdir(path):
            raise LibraryError(f"{path}: is a directory, not a library database")
        if create:
            try:
                os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            except OSError as exc:
                raise LibraryError(f"cannot create the folder of {path}: {exc.strerror or exc}") from None
    try:
        # isolation_level=None: no implicit transactions; the writer says BEGIN and COMMIT itself
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        conn.execute("PRAGMA busy_timeout = 30000")  # an index run and a search may overlap
        conn.execute("PRAGMA foreign_keys = ON")
        _check_fts5(conn)
        version = _schema_version(conn)
        if version is None and create:
            conn.execute("PRAGMA journal_mode = WAL")  # readers never wait for the writer
            _create(conn)
        elif version is None:
            raise LibraryError(f"{path}: not an ifri library", hint="build one with 'ifri index FOLDER'")
        elif version > SCHEMA:
            raise LibraryError(
                f"{path}: made by a newer ifri (library format {version}, this one reads {SCHEMA})",
                hint="upgrade ifri",
            )
        elif version < SCHEMA:
            _migrate(conn)
        conn.execute("PRAGMA synchronous = NORMAL")  # in WAL mode: safe against a killed process
    except sqlite3.DatabaseError as exc:
        raise LibraryError(f"{path}: cannot use this library ({exc})") from None
    return conn


# schema n -> n + 1; new columns go last, where ALTER TABLE puts them, so that a migrated library
# and a new one have the same tables
_MIGRATIONS = {
    1: (
        "ALTER TABLE documents ADD COLUMN engine TEXT",
        # every PDF of a format-1 library was read by pdfminer, the only engine then
        "UPDATE documents SET engine = 'pdfminer' WHERE kind = 'pdf'",
        "ALTER TABLE failures ADD COLUMN engine TEXT",
        "UPDATE failures SET engine = 'pdfminer'",
    ),
}


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring a library made by an older ifri up to ``SCHEMA``, in one transaction."""
    with transaction(conn):
        version = _schema_version(conn) or SCHEMA
        while version < SCHEMA:
            for statement in _MIGRATIONS[version]:
                conn.execute(statement)
            version += 1
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))


def _check_fts5(conn: sqlite3.Connection) -> None:
    options = {row[0] for row in conn.execute("PRAGMA compile_options")}
    if "ENABLE_FTS5" in options:
        return
    try:  # built as a loadable or core extension without the compile option
        conn.execute("CREATE VIRTUAL TABLE temp.ifri_fts5_probe USING fts5(x)")
        conn.execute("DROP TABLE temp.ifri_fts5_probe")
    except sqlite3.OperationalError:
        raise LibraryError(
            f"this Python's SQLite ({sqlite3.sqlite_version}) has no FTS5 full-text search",
            hint="use a Python whose sqlite3 module has FTS5, as python.org's and most Linux builds do",
        ) from None


def _schema_version(conn: sqlite3.Connection) -> int | None:
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "meta" not in names:
        if names:
            raise sqlite3.DatabaseError("it holds other tables: not an ifri library")
        return None
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    return int(row[0]) if row else None


def _create(conn: sqlite3.Connection) -> None:
    from ifri_cli._version import __version__

    with transaction(conn):
        for statement in _statements(_TABLES):
            conn.execute(statement)
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('created_by', ?)", (f"ifri {__version__}",))


def _statements(script: str) -> Iterator[str]:
    # executescript() would COMMIT an open transaction first: split by hand instead
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer
            buffer = ""


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction: all of it lands, or none of it (also on KeyboardInterrupt)."""
    conn.execute("BEGIN IMMEDIATE")  # the write lock now, not half-way through
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


# --- the writer ------------------------------------------------------------------------------


def write_document(
    conn: sqlite3.Connection, path: str, size: int, mtime_ns: int, record: dict[str, Any]
) -> str:
    """Add the parsed document ``record`` (see ``parse.index_record``) under ``path``, replacing
    what was there; ``"added"`` or ``"updated"``. One transaction."""
    from ifri_cli._version import __version__
    from ifri_cli.text.fold import fold

    authors = [str(a) for a in record.get("authors") or ()]
    title = record.get("title")
    sections = record["sections"]
    with transaction(conn):
        old = conn.execute("SELECT id FROM documents WHERE path = ?", (path,)).fetchone()
        if old:
            _delete(conn, old[0])
        cur = conn.execute(
            "INSERT INTO documents(path, size, mtime_ns, sha256, kind, title, authors, date, year, language,"
            " pages, source, warnings, n_sections, search_key, ifri_version, indexed_at, engine)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                path,
                size,
                mtime_ns,
                record["sha256"],
                record.get("kind") or "pdf",
                title,
                json.dumps(authors, ensure_ascii=False),
                record.get("date"),
                year_of(record.get("date")),
                record.get("language"),
                record.get("pages"),
                record.get("source") or "none",
                json.dumps(list(record.get("warnings") or ()), ensure_ascii=False),
                len(sections),
                fold(f"{path} {title or ''}"),
                __version__,
                time.time(),
                record.get("engine"),
            ),
        )
        doc_id = cur.lastrowid
        conn.executemany(
            "INSERT INTO authors(doc_id, name, folded) VALUES (?,?,?)",
            [(doc_id, a, fold(a)) for a in authors],
        )
        conn.executemany(
            f"INSERT INTO sections(doc_id, ord, {', '.join(SECTION_COLUMNS)})"
            f" VALUES (?,?,{','.join('?' * len(SECTION_COLUMNS))})",
            [(doc_id, i, *row) for i, row in enumerate(sections)],
        )
        conn.execute("DELETE FROM failures WHERE path = ?", (path,))
    return "updated" if old else "added"


def copy_document(conn: sqlite3.Connection, source_id: int, path: str, size: int, mtime_ns: int) -> str:
    """The same bytes are indexed under another path (a copy, a moved file): copy its rows
    instead of parsing it again. ``"added"`` or ``"updated"``."""
    from ifri_cli.text.fold import fold

    with transaction(conn):
        old = conn.execute("SELECT id FROM documents WHERE path = ?", (path,)).fetchone()
        if old:
            _delete(conn, old[0])
        src = conn.execute("SELECT title FROM documents WHERE id = ?", (source_id,)).fetchone()
        columns = (
            "sha256, kind, title, authors, date, year, language, pages, source, warnings, n_sections,"
            " ifri_version, engine"
        )
        cur = conn.execute(
            f"INSERT INTO documents(path, size, mtime_ns, search_key, indexed_at, {columns})"
            f" SELECT ?, ?, ?, ?, ?, {columns} FROM documents WHERE id = ?",
            (path, size, mtime_ns, fold(f"{path} {src[0] or ''}"), time.time(), source_id),
        )
        doc_id = cur.lastrowid
        conn.execute(
            "INSERT INTO authors(doc_id, name, folded) SELECT ?, name, folded FROM authors WHERE doc_id = ?",
            (doc_id, source_id),
        )
        cols = ", ".join(SECTION_COLUMNS)
        conn.execute(
            f"INSERT INTO sections(doc_id, ord, {cols}) SELECT ?, ord, {cols} FROM sections"
            " WHERE doc_id = ? ORDER BY ord",
            (doc_id, source_id),
        )
        conn.execute("DELETE FROM failures WHERE path = ?", (path,))
    return "updated" if old else "added"


def touch_document(conn: sqlite3.Connection, doc_id: int, size: int, mtime_ns: int) -> None:
    """Same content, new modification time (a copy, ``touch``): remember it, parse nothing."""
    with transaction(conn):
        conn.execute("UPDATE documents SET size = ?, mtime_ns = ? WHERE id = ?", (size, mtime_ns, doc_id))


def remove_document(conn: sqlite3.Connection, doc_id: int) -> None:
    with transaction(conn):
        _delete(conn, doc_id)


def _delete(conn: sqlite3.Connection, doc_id: int) -> None:
    # sections first, row by row: the trigger removes each from the FTS index with its old text
    conn.execute("DELETE FROM sections WHERE doc_id = ?", (doc_id,))
    conn.execute("DELETE FROM authors WHERE doc_id = ?", (doc_id,))
    conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))


def record_failure(
    conn: sqlite3.Connection,
    path: str,
    size: int,
    mtime_ns: int,
    sha256: str,
    kind: str,
    reason: str,
    engine: str | None,
) -> None:
    """Remember that ``path`` could not be read: unchanged, it is not read again by the next run
    of the same ifri with the same engine. A document indexed under that path before stays (its
    last good version)."""
    from ifri_cli._version import __version__

    with transaction(conn):
        conn.execute(
            "INSERT OR REPLACE INTO failures(path, size, mtime_ns, sha256, kind, reason, ifri_version, at,"
            " engine) VALUES (?,?,?,?,?,?,?,?,?)",
            (path, size, mtime_ns, sha256, kind, reason, __version__, time.time(), engine),
        )


def known_failure(
    conn: sqlite3.Connection, path: str
) -> tuple[int, int, str, str, str, str, str | None] | None:
    """(size, mtime_ns, sha256, kind, reason, ifri_version, engine) of the last failure on ``path``."""
    return conn.execute(  # type: ignore[no-any-return]
        "SELECT size, mtime_ns, sha256, kind, reason, ifri_version, engine FROM failures WHERE path = ?",
        (path,),
    ).fetchone()


def forget_failure(conn: sqlite3.Connection, path: str) -> None:
    with transaction(conn):
        conn.execute("DELETE FROM failures WHERE path = ?", (path,))


def year_of(date: str | None) -> int | None:
    """The first plausible year in a date as printed ("March 2019", "2020-10-01")."""
    import re

    match = re.search(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)", date or "")
    return int(match.group(1)) if match else None


# --- reading ---------------------------------------------------------------------------------


def counts(conn: sqlite3.Connection) -> tuple[int, int]:
    """(documents, sections) in the library."""
    row = conn.execute("SELECT count(*), coalesce(sum(n_sections), 0) FROM documents").fetchone()
    return int(row[0]), int(row[1])


def checkpoint(conn: sqlite3.Connection) -> None:
    """Fold the write-ahead log into the database (so that its size on disk is the library's)."""
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError:  # a reader holds it: the next run will do it
        pass


def size_on_disk(path: str) -> int:
    total = 0
    for suffix in ("", "-wal"):
        try:
            total += os.path.getsize(path + suffix)
        except OSError:
            pass
    return total


def check(conn: sqlite3.Connection) -> list[str]:
    """What is wrong with the library; an empty list when it is consistent."""
    problems = []
    result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        problems.append(f"integrity_check: {result}")
    try:  # compares the FTS index with the sections it was built from
        conn.execute("INSERT INTO sections_fts(sections_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError as exc:
        problems.append(f"full-text index: {exc}")
    bad = conn.execute(
        "SELECT d.path, d.n_sections, count(s.id) FROM documents d LEFT JOIN sections s ON s.doc_id = d.id"
        " GROUP BY d.id HAVING count(s.id) != d.n_sections"
    ).fetchall()
    problems += [f"{path}: {n} sections expected, {found} found" for path, n, found in bad]
    gaps = conn.execute(
        "SELECT count(*) FROM (SELECT doc_id FROM sections GROUP BY doc_id"
        " HAVING max(id) - min(id) + 1 != count(*))"
    ).fetchone()[0]
    if gaps:
        problems.append(f"{gaps} documents whose sections are not stored together")
    orphans = conn.execute(
        "SELECT count(*) FROM sections WHERE doc_id NOT IN (SELECT id FROM documents)"
    ).fetchone()[0]
    if orphans:
        problems.append(f"{orphans} sections without their document")
    return problems


def paths(conn: sqlite3.Connection) -> Sequence[tuple[int, str]]:
    return conn.execute("SELECT id, path FROM documents ORDER BY path").fetchall()
