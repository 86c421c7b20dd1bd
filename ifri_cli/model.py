"""The document model: frozen dataclasses that every pipeline stage passes along.

Pages are 1-based everywhere a user can see them. ``to_dict()`` is what ``--json``
prints; keys are only ever added, never renamed or removed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, fields
from typing import Any, TypeVar

T = TypeVar("T")

SCHEMA_VERSION = 1
# where a table of contents may come from (``auto``: the best of the others for the document)
TOC_SOURCES = ("auto", "outline", "contents", "headings")


@dataclass(frozen=True, slots=True)  # slots: a long text file makes millions of lines
class Line:
    """One line of text as laid out on the page.

    Positions are in PDF points with ``top`` measured from the top of the page
    (so lines sort in reading order by ``top``). Text inputs have no positions.
    ``superscripts`` holds ``(start, end)`` offsets of raised, smaller characters
    (footnote markers) inside ``text``. ``after_blank`` marks a line of a text input that
    follows a blank line: the paragraph break the blank line stood for.
    """

    text: str
    size: float | None = None
    bold: bool = False
    italic: bool = False
    x0: float | None = None
    top: float | None = None
    x1: float | None = None
    bottom: float | None = None
    superscripts: tuple[tuple[int, int], ...] = ()
    after_blank: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    # pickled as the list of its fields' values, the way dataclasses do it for a frozen class with
    # slots, but without looking the fields up again for each of the thousands of lines a cached
    # document holds (that made reading a cache entry several times slower)
    def __getstate__(self) -> list[Any]:
        return [getattr(self, name) for name in _LINE_FIELDS]

    def __setstate__(self, state: list[Any]) -> None:
        for name, value in zip(_LINE_FIELDS, state, strict=False):
            object.__setattr__(self, name, value)


_LINE_FIELDS = tuple(f.name for f in fields(Line))


@dataclass(frozen=True)
class Page:
    number: int  # 1-based physical page
    label: str | None  # the printed page number, where known
    lines: tuple[Line, ...]
    width: float | None = None
    height: float | None = None

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "label": self.label,
            "width": self.width,
            "height": self.height,
            "lines": [line.to_dict() for line in self.lines],
        }


@dataclass(frozen=True)
class OutlineItem:
    """A PDF bookmark with its destination resolved to a physical page."""

    title: str
    level: int
    pdf_page: int | None


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None
    series: str | None = None
    publisher: str | None = None
    isbn: str | None = None
    doi: str | None = None
    language: str | None = None
    producer: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["authors"] = list(self.authors)
        return data


@dataclass(frozen=True)
class TocEntry:
    title: str
    level: int
    number: str | None = None
    page: str | None = None  # printed label
    pdf_page: int | None = None  # 1-based physical page
    kind: str = "section"  # section | front | notes | references | annex

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "level": self.level,
            "page": self.page,
            "pdf_page": self.pdf_page,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Toc:
    source: str  # outline | contents | headings | none
    entries: tuple[TocEntry, ...] = ()
    explain: tuple[str, ...] = ()  # why this source was chosen, what was rejected

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "entries": [e.to_dict() for e in self.entries],
            "explain": list(self.explain),
        }


@dataclass(frozen=True)
class Footnote:
    marker: str
    text: str
    pdf_page: int
    # where its marker is: the index of the line in the page's clean lines (None when not seen)
    line: int | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"marker": self.marker, "text": self.text, "pdf_page": self.pdf_page}


@dataclass(frozen=True)
class Section:
    title: str
    level: int
    number: str | None
    page: str | None
    pdf_page: int | None
    pdf_page_end: int | None
    text: str  # this section's own text, without its subsections
    notes: tuple[Footnote, ...] = ()
    children: tuple[Section, ...] = ()
    kind: str = "section"
    found: bool = True  # False when the heading could not be located in the body
    # the section's own lines as [start, end) indices into the document's body lines
    span: tuple[int, int] | None = field(default=None, compare=False)

    def walk(self) -> list[Section]:
        """This section and all its descendants, in document order."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out

    def full_text(self, subsections: bool = True) -> str:
        parts = [self.text] if self.text else []
        if subsections:
            for child in self.children:
                heading = child.title if not child.number else f"{child.number} {child.title}"
                body = child.full_text(True)
                parts.append(heading + ("\n\n" + body if body else ""))
        return "\n\n".join(parts)

    def to_dict(self, text: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "number": self.number,
            "title": self.title,
            "level": self.level,
            "kind": self.kind,
            "page": self.page,
            "pdf_page": self.pdf_page,
            "pdf_page_end": self.pdf_page_end,
            "found": self.found,
        }
        if text:
            data["text"] = self.text
            data["notes"] = [n.to_dict() for n in self.notes]
        return data


@dataclass(frozen=True)
class Document:
    path: str | None  # None for standard input
    kind: str  # pdf | text
    metadata: Metadata
    pages: tuple[Page, ...]
    outline: tuple[OutlineItem, ...] = ()
    has_page_labels: bool = False  # the PDF carries /PageLabels
    warnings: tuple[str, ...] = ()
    # filled by clean: pages with furniture and footnotes removed, lines repaired
    clean_pages: tuple[Page, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    toc: Toc | None = None
    sections: tuple[Section, ...] = ()  # top-level sections (front matter first)
    engine: str | None = None  # the PDF engine that read the pages (pdfminer, pdfium); None for text
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    # what the stages derive from the pages and look up again (see ``derived``); shared with the
    # documents made from this one by ``dataclasses.replace``, never pickled
    _memo: dict[str, tuple[object, Any]] = field(default_factory=dict, compare=False, repr=False)

    def derived(self, key: str, source: object, make: Callable[[], T]) -> T:
        """``make()``, computed once for ``source`` (this document's pages, say) and kept with the document.

        Several stages look at the same pages (the contents check, placing entries, the sections
        tree): what they derive from them is kept here rather than in a module, so that two
        documents, or two threads, never see each other's. An entry is recomputed when ``source``
        is not the very object it was made from (a document whose pages were replaced).
        """
        found = self._memo.get(key)
        if found is not None and found[0] is source:
            return found[1]  # type: ignore[no-any-return]
        value = make()
        self._memo[key] = (source, value)
        return value

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_memo": {}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update({"_memo": {}, **state})  # (a document pickled before there was a memo)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def body(self) -> tuple[Page, ...]:
        """The pages the body text is read from: the clean ones (furniture and notes taken out,
        words repaired) once the clean stage has run, else the pages as extracted."""
        return self.clean_pages or self.pages

    @property
    def name(self) -> str:
        return self.path or "<stdin>"

    def summary_dict(self) -> dict[str, Any]:
        # warnings tell a JSON reader that the text is incomplete (a damaged PDF) or was guessed (decoding)
        return {
            "path": self.path,
            "title": self.metadata.title,
            "pages": self.page_count,
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class PageText:
    """A page's text as ``ifri text`` prints it."""

    pdf_page: int
    label: str | None  # the printed page number
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"pdf_page": self.pdf_page, "page": self.label, "text": self.text}


@dataclass(frozen=True)
class SearchHit:
    file: str
    number: str | None
    section: str | None
    page: str | None
    pdf_page: int | None
    text: str  # the snippet
    start: int  # match offsets inside text
    end: int
    where: str = "text"  # text | note (a hit inside a footnote)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SummarySentence:
    text: str
    section: str | None
    number: str | None
    page: str | None
    pdf_page: int | None
    score: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Abstract:
    """The authors' own summary of the paper, as printed."""

    title: str
    text: str
    page: str | None
    pdf_page: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "text": self.text, "page": self.page, "pdf_page": self.pdf_page}


@dataclass(frozen=True)
class SectionSummary:
    title: str
    number: str | None
    page: str | None
    pdf_page: int | None
    sentences: tuple[SummarySentence, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "number": self.number,
            "page": self.page,
            "pdf_page": self.pdf_page,
            "sentences": [s.to_dict() for s in self.sentences],
        }


def page_span(numbers: Iterable[int]) -> str:
    """How a set of pages is written: [7, 8, 9, 10] -> "7-10"; [2, 5] -> "2, 5"."""
    ordered = sorted(numbers)
    if len(ordered) > 1 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}-{ordered[-1]}"
    return ", ".join(str(n) for n in ordered)
