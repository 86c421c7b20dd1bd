"""The public ``Document`` and ``open_document``: ifri as a library.

    >>> import ifri_cli
    >>> doc = ifri_cli.open_document("report.pdf")
    >>> doc.toc.entries[0].title, doc.section("venezuela").pdf_page
    >>> [hit.page for hit in doc.search("chavez")]

The model's ``Document`` (``ifri_cli.model``) is data only; this subclass adds what a reader
does with it, each method a thin call into the layer that does the work (``structure``,
``read``, ``render``). A ``Document`` holds all of its own state and pickles whole.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from ifri_cli import model
from ifri_cli.errors import InputError, UsageError
from ifri_cli.model import Abstract, PageText, SearchHit, Section, SectionSummary, SummarySentence

ProgressHook = Callable[[int, int], None]
SectionLike = Section | str | None


class Document(model.Document):
    """A parsed report: its pages, its structure (``toc``, ``sections``) and its text.

    Fields are those of ``ifri_cli.model.Document``: ``path``, ``kind``, ``metadata``, ``pages``,
    ``clean_pages``, ``footnotes``, ``outline``, ``toc``, ``sections``, ``warnings``.
    """

    # --- structure -------------------------------------------------------------------------

    def all_sections(self) -> list[Section]:
        """Every section, the front matter first, in document order (subsections after their parent)."""
        from ifri_cli.structure.sections import all_sections

        return all_sections(self)

    def find_sections(
        self, query: str = "", *, page: str | None = None, first: bool = False
    ) -> list[Section]:
        """What ``ifri section`` prints: the section ``query`` names (words of its title, a number
        such as ``3.2``, a position in the tree, or ``p27``), or every deepest section covering
        printed page ``page``. Raises ``SectionNotFound``, ``SectionNotInDocument`` (listed in the
        contents, not in this file), or ``Ambiguous`` when several fit and ``first`` is false.
        """
        from ifri_cli.structure.address import resolve

        return resolve(self, query, first=first, page=page)

    def section(self, query: str, *, first: bool = False) -> Section:
        """The one section ``query`` names (see ``find_sections``)."""
        return self.find_sections(query, first=first)[0]

    def section_text(self, section: Section, *, subsections: bool = True, raw: bool = False) -> str:
        """A section's text: reflowed paragraphs with its subsections' headings and text, or
        (``raw``) its lines as they are on the page."""
        if raw:
            from ifri_cli.structure.sections import raw_text

            return raw_text(self, section, subsections)
        return section.full_text(subsections)

    def _within(self, section: SectionLike) -> Section | None:
        return self.section(section) if isinstance(section, str) else section

    # --- reading ---------------------------------------------------------------------------

    def search(
        self,
        pattern: str,
        *,
        regex: bool = False,
        word: bool = False,
        case: str = "smart",
        fold: bool = True,
        context: int = 0,
        max_hits: int | None = None,
        section: SectionLike = None,
    ) -> list[SearchHit]:
        """Each match of ``pattern`` with its section and page, as ``ifri search`` finds them.

        Accents are ignored unless ``fold=False``; ``case`` is ``smart`` (ignored unless the pattern
        has capitals), ``sensitive`` or ``insensitive``; ``context`` sentences on each side;
        ``max_hits`` stops early; ``section`` (a ``Section`` or a query) limits the search to it.
        """
        from ifri_cli.read.search import Options, search

        options = Options(regex=regex, word=word, case=case, fold=fold, context=context, max_hits=max_hits)
        return search(self, pattern, options, self._within(section))

    def summary(
        self, sentences: int | None = None, *, ratio: float | None = None, section: SectionLike = None
    ) -> list[SummarySentence]:
        """A few of the paper's own sentences (5, or ``sentences``, or a ``ratio`` of them), in
        document order; of the whole body or of one ``section``."""
        from ifri_cli.read.summary import summarize

        return summarize(self, self._within(section), sentences, ratio)

    def summary_by_section(self, sentences: int = 2) -> list[SectionSummary]:
        """One or two sentences under each top-level section's title: a map of the paper."""
        from ifri_cli.read.summary import by_section

        return by_section(self, sentences)

    def abstract(self) -> Abstract | None:
        """The authors' own abstract, summary or executive summary, whole, if the paper has one."""
        from ifri_cli.read.abstract import find_abstract

        return find_abstract(self)

    def is_abstract(self, section: Section) -> bool:
        """Whether ``section`` is the authors' abstract (printed whole, never summarised)."""
        from ifri_cli.read.abstract import is_abstract

        return is_abstract(self, section)

    def keywords(self, count: int = 10, *, section: SectionLike = None) -> list[str]:
        """The key terms of the paper or of a section (YAKE, offline)."""
        from ifri_cli.read.keywords import keywords

        return keywords(self, count, self._within(section))

    def info(self) -> dict[str, Any]:
        """What ``ifri info --json`` prints: metadata, pages, words, reading time, structure found."""
        from ifri_cli.read.info import describe

        return describe(self)

    def page_texts(self, *, raw: bool = False) -> list[PageText]:
        """Each page's clean text reflowed into paragraphs, its notes last (``raw``: as extracted)."""
        from ifri_cli.read.fulltext import page_texts

        return page_texts(self, raw)

    def text(self, *, raw: bool = False) -> str:
        """The whole text as ``ifri text`` prints it in a pipe: each page ends with a form feed."""
        from ifri_cli.render.text import text_plain

        return text_plain(self.page_texts(raw=raw))

    # --- export ----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The ``ifri export --json`` document: metadata, the structure's source, every section
        flat in document order with its text and notes, and the footnotes."""
        from ifri_cli.render.base import json_dict

        data = json_dict(self, {})
        data["metadata"] = self.metadata.to_dict()
        data["source"] = self.toc.source if self.toc else "none"
        data["sections"] = [s.to_dict() for s in self.all_sections()]
        data["footnotes"] = [n.to_dict() for n in self.footnotes]
        return data

    def to_markdown(self) -> str:
        """The whole document as Markdown (``ifri export --markdown``)."""
        from ifri_cli.render.markdown import export_markdown

        return export_markdown(self, self.all_sections())

    def split(self, directory: str | os.PathLike[str], *, force: bool = False) -> list[str]:
        """Write one Markdown file per top-level section into ``directory``; the paths written.

        Existing files are not overwritten without ``force``. File names come from the titles,
        reduced to ``a-z0-9-``: nothing a document holds can name a file outside ``directory``.
        """
        return _split(self, Path(directory), force)


def _split(doc: Document, target: Path, force: bool) -> list[str]:
    from ifri_cli.render.markdown import export_markdown
    from ifri_cli.text.safe import safe

    if target.exists() and not target.is_dir():
        raise InputError(f"{safe(str(target))}: exists and is not a directory")
    plan: list[tuple[Path, str]] = []
    untitled = replace(doc.metadata, title=None)
    for i, section in enumerate(doc.sections, start=1):
        part = replace(doc, sections=(section,), metadata=untitled)
        name = f"{i:02d}-{safe_name(section.title)}.md"
        plan.append((target / name, export_markdown(part, section.walk())))
    existing = [str(p) for p, _ in plan if p.exists()]
    if existing and not force:
        more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        raise InputError(f"{safe(existing[0])} already exists{more}", hint="use --force to overwrite")
    try:
        target.mkdir(parents=True, exist_ok=True)
        for path, text in plan:
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
    except OSError as exc:
        raise InputError(f"cannot write into {safe(str(target))}: {exc.strerror or exc}") from None
    return [str(p) for p, _ in plan]


def safe_name(text: str, limit: int = 60) -> str:
    """A file name anyone's shell and file system accept."""
    from ifri_cli.text.fold import fold

    name = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return (name[:limit].rstrip("-")) or "section"


def _public(doc: model.Document) -> Document:
    if isinstance(doc, Document):
        return doc
    return Document(**{f.name: getattr(doc, f.name) for f in fields(doc)})


def open_document(
    source: str | os.PathLike[str] | bytes,
    *,
    password: str = "",
    toc_source: str = "auto",
    progress: ProgressHook | None = None,
    jobs: int | None = None,
    cache: bool = True,
    name: str | None = None,
    max_pages: int | None = None,
    engine: str | None = None,
    needs: str = "all",
) -> Document:
    """Read a PDF or text file and find its structure.

    ``source`` is a path, ``"-"`` for standard input, or the document's bytes (``name`` is then
    the name shown for it). The kind is told from the content, not the name. ``toc_source``:
    ``auto``, ``outline``, ``contents`` or ``headings``. ``jobs``: processes laying out PDF
    pages (default: one per core, when this process may fork). ``progress(done, total)`` is
    called as pages are read, and once with ``(0, 0)`` when reading starts (never on a cache hit).

    The result is cached by content in the user cache directory (``ifri_cli.cache``): a second
    call on the same bytes skips every stage. ``cache=False`` (or ``IFRI_NO_CACHE=1``) bypasses
    it. A document opened with a password is never cached: its text would sit decrypted on disk.
    ``engine``: the PDF engine, ``pdfminer`` (the default) or ``pdfium`` (faster; ``pip install
    'ifri[fast]'``); default ``$IFRI_ENGINE``. ``needs="toc"`` says that only ``toc``, ``metadata``,
    ``outline`` and the summary (path, page count, labels, warnings) will be read: from the cache,
    the document then comes without the text of its pages (``ifri toc`` starts faster).
    Raises ``ifri_cli.errors.IfriError`` subclasses for input that cannot be read, and
    ``LimitExceeded`` for one of more than ``max_pages`` pages (default ``$IFRI_MAX_PAGES`` or
    20,000), from the cache too. Every string taken from the document, and ``name``, is made safe
    to print, whichever engine read it.
    """
    from ifri_cli import cache as store
    from ifri_cli import ingest
    from ifri_cli.pdf import engine_name
    from ifri_cli.text.safe import safe

    if toc_source not in model.TOC_SOURCES:
        choices = ", ".join(model.TOC_SOURCES)
        raise UsageError(f"unknown structure source {toc_source!r}: choose one of {choices}")
    pdf_engine = engine_name(engine)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data, path = bytes(source), name
    else:
        data, path = ingest.read_bytes(source)
        path = name or path
    path = None if path is None else safe(path)

    def read(data: bytes) -> model.Document:
        if progress:
            progress(0, 0)
        return ingest.load_bytes(
            data,
            path,
            password=password,
            progress=progress,
            jobs=jobs,
            max_pages=max_pages,
            engine=pdf_engine,
        )

    if not (cache and store.enabled()) or password:
        pages_read = read(data)
        del data  # the stages after reading never need the bytes again
        return structure(pages_read, toc_source)
    digest = store.content_hash(data)
    view_key = store.view_key(digest, "toc", toc_source, pdf_engine) if needs == "toc" else None
    if view_key is not None and (view := store.load(view_key)) is not None:
        ingest.check_page_count(view, max_pages)
        return _public(replace(view, path=path))
    doc_key = store.document_key(digest, toc_source, pdf_engine)
    doc = store.load(doc_key)
    if doc is not None:
        ingest.check_page_count(doc, max_pages)
        if view_key is not None:
            store.store(view_key, toc_view(doc))
        return _public(replace(doc, path=path))
    raw_key = store.raw_key(digest, pdf_engine)
    raw = store.load(raw_key)
    if raw is None:
        raw = read(data)
        store.store(raw_key, raw)
    else:
        ingest.check_page_count(raw, max_pages)
        raw = replace(raw, path=path)
    del data
    doc = structure(raw, toc_source)
    store.store(doc_key, doc)
    if view_key is not None:
        store.store(view_key, toc_view(doc))
    return doc


def pdf_engine(requested: str | None = None) -> str:
    """The PDF engine ``open_document(engine=requested)`` reads with: ``requested``, else
    ``$IFRI_ENGINE``, else pdfminer. A ``UsageError`` when it is unknown or not installed, so that
    a run over many files can say so once, before reading any."""
    from ifri_cli.pdf import check_available, engine_name

    name = engine_name(requested)
    check_available(name)
    return name


def toc_view(doc: model.Document) -> model.Document:
    """``doc`` with what ``ifri toc`` reads only: its pages keep their numbers and labels, not their
    lines, and the cleaned pages, sections and footnotes are left out. A few kilobytes to read back."""
    pages = tuple(model.Page(p.number, p.label, (), p.width, p.height) for p in doc.pages)
    return replace(doc, pages=pages, clean_pages=(), footnotes=(), sections=())


def structure(doc: model.Document, toc_source: str = "auto") -> Document:
    """The stages after reading (cleaning, contents, sections) on a document of raw pages: what
    ``open_document`` does after ``ingest``, and what a document laid out by other means needs."""
    from ifri_cli.structure import contents, sections, toc
    from ifri_cli.text import clean

    cleaned = clean.clean_document(doc)
    found = toc.build_toc(cleaned, toc_source)
    # where the printed contents is, even when the outline gave the structure (for ``ifri info``)
    listing = contents.find_contents_pages(cleaned)
    extra = {**cleaned.extra, "contents_pages": listing}
    if found.source == "contents" and (mapping := contents.page_mapping(cleaned)) is not None:
        # which labelling the printed page numbers went through (page labels can lie)
        extra["page_mapping"] = mapping.name
    doc = replace(cleaned, toc=found, extra=extra)
    return _public(replace(doc, sections=sections.build_sections(doc)))
