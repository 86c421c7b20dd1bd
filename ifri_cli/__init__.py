"""ifri: a command-line reader for long reports.

    >>> from ifri_cli import open_document
    >>> doc = open_document("paper.pdf")
    >>> print(doc.section("venezuela").text)
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ifri_cli._version import __version__

if TYPE_CHECKING:
    from ifri_cli.ingest import ProgressHook
    from ifri_cli.model import Document

__all__ = ["__version__", "open_document", "sample_path"]


def sample_path() -> str:
    """The path of the sample paper shipped inside the package."""
    from importlib.resources import files

    return str(files("ifri_cli.samples") / "sample.pdf")


def open_document(
    source: str | os.PathLike[str],
    *,
    password: str = "",
    toc_source: str = "auto",
    progress: ProgressHook | None = None,
    jobs: int | None = None,
    cache: bool = True,
) -> Document:
    """Read a PDF or text file (``"-"`` for stdin) and find its structure.

    The result is cached by content (see ``ifri_cli.cache``): a second call on the same
    bytes skips every stage. ``cache=False`` (or ``IFRI_NO_CACHE=1``) bypasses it; ``jobs``
    is the number of processes laying out PDF pages (default: one per core).
    """
    from dataclasses import replace

    from ifri_cli import cache as store
    from ifri_cli import ingest

    data, path = ingest.read_bytes(source)
    # a document unlocked with a password is not cached: its text would sit decrypted on disk
    if not (cache and store.enabled()) or password:
        doc = ingest.load_bytes(data, path, password=password, progress=progress, jobs=jobs)
        return _structure(doc, toc_source)
    digest = store.content_hash(data)
    doc_key = store.document_key(digest, toc_source)
    doc = store.load(doc_key)
    if doc is not None:
        return replace(doc, path=path)
    raw_key = store.raw_key(digest)
    raw = store.load(raw_key)
    if raw is None:
        raw = ingest.load_bytes(data, path, password=password, progress=progress, jobs=jobs)
        store.store(raw_key, raw)
    else:
        raw = replace(raw, path=path)
    del data
    doc = _structure(raw, toc_source)
    store.store(doc_key, doc)
    return doc


def _structure(doc: Document, toc_source: str) -> Document:
    """The stages after ingest (cleaning, contents, sections), cached with the rest."""
    from dataclasses import replace

    from ifri_cli import clean, contents, sections, toc

    cleaned = clean.clean_document(doc)
    found = toc.build_toc(cleaned, toc_source)
    # where the printed contents is, even when the outline gave the structure (for ``ifri info``)
    listing = contents.find_contents_pages(cleaned)
    doc = replace(cleaned, toc=found, extra={**cleaned.extra, "contents_pages": listing})
    return replace(doc, sections=sections.build_sections(doc))
