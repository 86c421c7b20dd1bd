"""Read a path or standard input and return a ``Document`` of pages of lines.

The kind of input is sniffed from its bytes (``%PDF-`` or text), never from the
file name. Printed page labels come from /PageLabels, else from page-number
lines found on the pages.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ifri_cli.errors import BrokenPDF, InputError, LimitExceeded, NotADocument, NoTextLayer
from ifri_cli.model import Document, Page
from ifri_cli.pdf import check_available, engine_name
from ifri_cli.text.safe import safe, safe_outline, safe_page

if TYPE_CHECKING:
    from ifri_cli.pdf.pool import ProgressHook

# the modules that read a document are imported when one is read: a cached run only reads bytes

_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or a .docx/.epub)",
    b"\x1f\x8b": "a gzip archive",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file",
    b"7z\xbc\xaf": "a 7-zip archive",
    b"%!PS": "a PostScript file",
}


def read_bytes(source: str | os.PathLike[str]) -> tuple[bytes, str | None]:
    """The raw bytes of ``source`` (``-`` for stdin) and its display path.

    The display path is made safe to print (``text.safe``): a file name is shown back in
    errors, search hits and ``info``, and may hold escape sequences like any document string.
    """
    if str(source) == "-":
        try:
            return sys.stdin.buffer.read(), None
        except OSError as exc:
            raise InputError(f"standard input: cannot read ({exc.strerror or exc})") from None
    path = Path(source)
    shown = safe(str(source))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{shown}: is a directory, not a document") from None
    except PermissionError:
        raise InputError(f"{shown}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot read ({exc.strerror or exc})") from None
    return data, shown


def sniff(data: bytes) -> str:
    """``pdf`` or ``text``; raise ``NotADocument`` for anything else."""
    if not data:
        raise InputError("the input is empty")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise NotADocument(f"this is {what}, not a PDF or a text file")
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return "text"
    head = data[:4096]
    if b"\x00" in data:  # anywhere, as grep decides
        raise NotADocument("this is binary data (it holds NUL bytes), not a PDF or a text file")
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if controls > len(head) * 0.05:
        raise NotADocument("this is binary data, not a PDF or a text file")
    return "text"


def load(
    source: str | os.PathLike[str],
    *,
    password: str = "",
    progress: ProgressHook | None = None,
    jobs: int | None = None,
    page_time_limit: float | None = None,
    max_pages: int | None = None,
    engine: str | None = None,
) -> Document:
    data, path = read_bytes(source)
    return load_bytes(
        data,
        path,
        password=password,
        progress=progress,
        jobs=jobs,
        page_time_limit=page_time_limit,
        max_pages=max_pages,
        engine=engine,
    )


def load_bytes(
    data: bytes,
    path: str | None,
    *,
    password: str = "",
    progress: ProgressHook | None = None,
    jobs: int | None = None,
    page_time_limit: float | None = None,
    max_pages: int | None = None,
    engine: str | None = None,
) -> Document:
    """A Document of raw pages. ``jobs``: processes laying out PDF pages (default: one per core).

    ``page_time_limit``: CPU seconds one PDF page may take before it is skipped with a warning
    (default ``$IFRI_PAGE_TIMEOUT`` or 30; 0 for none). ``max_pages``: more pages than this
    (default ``$IFRI_MAX_PAGES`` or 20,000) raise ``LimitExceeded``. ``engine``: ``pdfminer`` or
    ``pdfium`` (default ``$IFRI_ENGINE``, else pdfminer).

    Every string taken from the input (lines, bookmark titles, metadata, page labels, what the
    engine says about the file) is made safe to print here (``text.safe``), once, whichever
    engine read it.
    """
    from ifri_cli.ingest.labels import infer_labels
    from ifri_cli.ingest.metadata import read_metadata
    from ifri_cli.ingest.textfile import split_at_page_numbers, text_file_pages
    from ifri_cli.pdf.pool import default_jobs, default_page_time_limit

    kind = sniff(data)
    max_pages = max_pages or default_max_pages()
    if kind == "text":
        pages, warning = text_file_pages(data, max_pages)
        if len(pages) == 1:
            pages = _within(split_at_page_numbers(pages[0]), max_pages)
        pages = infer_labels(pages)
        if not any(page.lines for page in pages):
            raise InputError("the input has no text (only blank lines)")
        doc = Document(
            path=path,
            kind="text",
            metadata=read_metadata({}, pages),
            pages=pages,
            warnings=(warning,) if warning else (),
        )
        return doc
    limit = default_page_time_limit() if page_time_limit is None else page_time_limit
    name = engine_name(engine)
    check_available(name)
    return _load_pdf(data, path, password, progress, jobs or default_jobs(), limit or None, max_pages, name)


def _within(pages: tuple[Page, ...], max_pages: int, kind: str = "text") -> tuple[Page, ...]:
    if len(pages) > max_pages:
        what = "PDF" if kind == "pdf" else "text"
        raise LimitExceeded(
            f"this {what} has {len(pages):,} pages, more than the {max_pages:,} ifri reads",
            hint=f"raise the limit with --max-pages {len(pages)}",
        )
    return pages


def default_max_pages() -> int:
    """``$IFRI_MAX_PAGES`` or the default (the limits module is loaded only when a file is read)."""
    from ifri_cli.pdf.limits import default_max_pages as limit

    return limit()


def check_page_count(doc: Document, max_pages: int | None = None) -> None:
    """The page limit holds for a document served from the cache too (``LimitExceeded``)."""
    _within(doc.pages, max_pages or default_max_pages(), doc.kind)


def _load_pdf(
    data: bytes,
    path: str | None,
    password: str,
    progress: ProgressHook | None,
    jobs: int,
    limit: float | None,
    max_pages: int,
    engine_used: str = "pdfminer",
) -> Document:
    from ifri_cli.ingest.labels import infer_labels
    from ifri_cli.ingest.metadata import read_metadata
    from ifri_cli.pdf.pool import read_pages

    if engine_used == "pdfium":
        from ifri_cli.pdf import pdfium as engine
    else:
        from ifri_cli.pdf import engine  # type: ignore[no-redef]

    opened: Any = engine.open_pdf(data, password, max_pages)
    if not opened.pages:
        raise NotADocument("this PDF has no pages")
    catalogue: list[Any] = []  # read while the workers lay out the pages
    read = read_pages(
        opened,
        jobs=jobs,
        time_limit=limit,
        progress=progress,
        meanwhile=lambda doc=opened: catalogue.append(engine.read_catalogue(doc)),
    )
    raw = catalogue[0] if catalogue else engine.read_catalogue(opened)  # (a pool that broke at once)
    warnings = [safe(w) for w in raw.warnings]
    del opened  # the workers' copies are gone; let pdfminer's object cache go too
    pages = [safe_page(page) for page, _ in read]
    failed = {page.number for page, warning in read if warning}
    warnings.extend(safe(w) for w in _summarise([warning for _, warning in read if warning]))
    del read
    if raw.labels:
        labels = [safe(label) for label in raw.labels]
        pages = [replace(p, label=label) for p, label in zip(pages, labels, strict=False)]
    else:
        pages = list(infer_labels(tuple(pages)))
    if not any(p.lines for p in pages):
        if failed:  # damaged, or too slow: not a scan, and OCR would not help
            others = " and the others have no text" if len(failed) < len(pages) else ""
            damaged = f"{len(failed)} of {len(pages)} pages could not be read{others}"
            raise BrokenPDF(f"no text could be read from this PDF: {damaged}")
        raise NoTextLayer(
            "this PDF has no text layer (a scan or images only)",
            hint="run OCR first, e.g. `ocrmypdf in.pdf out.pdf`",
        )
    empty = [p.number for p in pages if not p.lines and p.number not in failed]
    if empty and len(empty) > len(pages) // 2:
        warnings.append(f"{len(empty)} of {len(pages)} pages have no text (scanned?)")
    return Document(
        path=path,
        kind="pdf",
        metadata=read_metadata({key: safe(value) for key, value in raw.info.items()}, tuple(pages)),
        pages=tuple(pages),
        outline=safe_outline(raw.outline),
        has_page_labels=raw.labels is not None,
        warnings=tuple(warnings),
        engine=engine_used,
    )


def _summarise(page_warnings: list[str], keep: int = 3) -> list[str]:
    if len(page_warnings) <= keep + 1:
        return page_warnings
    more = len(page_warnings) - keep
    return page_warnings[:keep] + [f"{more} more pages could not be read and were skipped"]
