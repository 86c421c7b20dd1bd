"""What a worker does with one file: parse it and return something small to send back.

These functions run in a forked worker process, on a Dask worker or in this process, and never
raise: a file that cannot be read comes back as a failure with its reason, so that one bad file
never stops a run. What they return pickles cheaply (plain tuples, dicts and strings, never a
``Document``): on a cluster it crosses the network.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

Failure = tuple[str, str]  # (the error's class name, the reason shown to the user)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read(path: str) -> bytes:
    from ifri_cli.errors import InputError

    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})") from None


def _open(data: bytes, path: str, jobs: int, engine: str | None) -> Any:
    from ifri_cli import open_document

    # no parse cache: a bulk run would push out of it the documents someone is reading; the
    # library is the cache of what an index run parsed
    return open_document(data, name=path, jobs=jobs, cache=False, engine=engine)


def _failure(exc: BaseException) -> Failure:
    from ifri_cli.errors import EncryptedPDF, IfriError

    if isinstance(exc, EncryptedPDF):  # its hint names --password, which a batch run does not take
        return type(exc).__name__, exc.message + " (decrypt it first, e.g. qpdf --decrypt in.pdf out.pdf)"
    if isinstance(exc, IfriError):
        reason = exc.message + (f" ({exc.hint})" if exc.hint else "")
        return type(exc).__name__, reason
    return "InternalError", f"internal error: {type(exc).__name__}: {exc}"


def index_record(
    path: str, data: bytes | None = None, jobs: int = 1, engine: str | None = None
) -> dict[str, Any]:
    """The library's record of one file: its hash, metadata and flat sections.

    ``{"ok": True, "sha256": ..., "title": ..., "sections": [(number, position, title, level,
    kind, page, pdf_page, pdf_page_end, found, text), ...], ...}``, or ``{"ok": False, "sha256":
    ..., "kind": ..., "reason": ...}``. ``data``: the file's bytes when the caller read them
    (a cluster worker may not see the caller's files); else the file is read here. ``engine``:
    the PDF engine, resolved by the caller (a worker's ``$IFRI_ENGINE`` is not the caller's).
    """
    digest = ""
    try:
        if data is None:
            data = _read(path)
        digest = sha256(data)
        doc = _open(data, path, jobs, engine)
        del data
        positions = _positions(doc.sections)
        sections = [
            (
                s.number,
                positions.get(id(s)),
                s.title,
                s.level,
                s.kind,
                s.page,
                s.pdf_page,
                s.pdf_page_end,
                int(s.found),
                s.text,
            )
            for s in doc.all_sections()
        ]
        meta = doc.metadata
        return {
            "ok": True,
            "sha256": digest,
            "kind": doc.kind,
            # the document's own name, not ``path``: strings from the document model are the
            # ones made safe to print where they enter it
            "title": meta.title or os.path.basename(doc.path or path),
            "authors": list(meta.authors),
            "date": meta.date,
            "language": meta.language,
            "pages": doc.page_count,
            "source": doc.toc.source if doc.toc else "none",
            "engine": doc.engine,
            "warnings": list(doc.warnings),
            "sections": sections,
        }
    except Exception as exc:  # noqa: BLE001 - reported as this file's failure, never stops the run
        kind, reason = _failure(exc)
        return {"ok": False, "sha256": digest, "kind": kind, "reason": reason}


def _positions(sections: Any) -> dict[int, str]:
    """The tree position of each body section ("3.2", front matter aside), keyed by id()."""
    out: dict[int, str] = {}

    def visit(items: Any, prefix: str) -> None:
        count = 0
        for section in items:
            if section.kind == "front" and not prefix:
                continue
            count += 1
            out[id(section)] = f"{prefix}{count}"
            visit(section.children, f"{prefix}{count}.")

    visit(sections, "")
    return out


def export_line(
    path: str, data: bytes | None = None, jobs: int = 1, engine: str | None = None
) -> tuple[bool, str]:
    """``(True, line)``: the ``ifri export --json`` document of one file on one line of JSON;
    ``(False, line)``: an error record ``{"schema_version", "path", "error": {"kind", "message"}}``."""
    from ifri_cli.model import SCHEMA_VERSION

    try:
        if data is None:
            data = _read(path)
        doc = _open(data, path, jobs, engine)
        del data
        return True, json.dumps(doc.to_dict(), ensure_ascii=False, separators=(",", ":"))
    except Exception as exc:  # noqa: BLE001 - an error record, never the end of the run
        kind, reason = _failure(exc)
        return False, error_line(path, kind, reason, SCHEMA_VERSION)


def error_line(path: str, kind: str, reason: str, schema_version: int = 1) -> str:
    record = {"schema_version": schema_version, "path": path, "error": {"kind": kind, "message": reason}}
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
