"""The public ``Document``: a parsed report with the reading features as methods, and ``open_document``.

The model's ``Document`` is data only; this subclass adds what a reader does with it, so that
no module below needs to know about the features above it.
"""

from __future__ import annotations

import os
from dataclasses import fields, replace

from ifri_cli import model
from ifri_cli.model import Section
from ifri_cli.pdf.pool import ProgressHook


class Document(model.Document):
    """A parsed report: its pages, its structure and its text (see ``ifri_cli.model.Document``)."""

    def section(self, query: str, first: bool = True) -> Section:
        """The section a user means by ``query`` (title words, number or ``p27``)."""
        from ifri_cli.structure.address import resolve

        matches = resolve(self, query, first=first)
        return matches[0]


def _public(doc: model.Document) -> Document:
    if isinstance(doc, Document):
        return doc
    return Document(**{f.name: getattr(doc, f.name) for f in fields(doc)})


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
    from ifri_cli import cache as store
    from ifri_cli import ingest

    data, path = ingest.read_bytes(source)
    # a document unlocked with a password is not cached: its text would sit decrypted on disk
    if not (cache and store.enabled()) or password:
        doc = ingest.load_bytes(data, path, password=password, progress=progress, jobs=jobs)
        return _public(_structure(doc, toc_source))
    digest = store.content_hash(data)
    doc_key = store.document_key(digest, toc_source)
    doc = store.load(doc_key)
    if doc is not None:
        return _public(replace(doc, path=path))
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
    return _public(doc)


def _structure(doc: model.Document, toc_source: str) -> model.Document:
    """The stages after ingest (cleaning, contents, sections), cached with the rest."""
    from ifri_cli.structure import contents, sections, toc
    from ifri_cli.text import clean

    cleaned = clean.clean_document(doc)
    found = toc.build_toc(cleaned, toc_source)
    # where the printed contents is, even when the outline gave the structure (for ``ifri info``)
    listing = contents.find_contents_pages(cleaned)
    doc = replace(cleaned, toc=found, extra={**cleaned.extra, "contents_pages": listing})
    return replace(doc, sections=sections.build_sections(doc))
