"""ifri: a reader for long reports, as a library first (the ``ifri`` command stands on it).

    >>> import ifri_cli
    >>> doc = ifri_cli.open_document("report.pdf")
    >>> doc.toc.entries[0].title, doc.section("venezuela").page
    >>> [hit.page for hit in doc.search("chavez")]

``__all__`` names what is stable: ``open_document``, ``Document`` and its methods (see
``ifri_cli.document``), the result types of ``ifri_cli.model`` and the errors of
``ifri_cli.errors``. Everything else is the pipeline's inside and may change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ifri_cli._version import __version__

if TYPE_CHECKING:
    from ifri_cli.document import Document, open_document, structure
    from ifri_cli.errors import (
        Ambiguous,
        BrokenPDF,
        EncryptedPDF,
        IfriError,
        InputError,
        NotADocument,
        NoTextLayer,
        NotFound,
        SectionNotFound,
        SectionNotInDocument,
        UsageError,
    )
    from ifri_cli.model import (
        SCHEMA_VERSION,
        Abstract,
        Footnote,
        Line,
        Metadata,
        Page,
        PageText,
        SearchHit,
        Section,
        SectionSummary,
        SummarySentence,
        Toc,
        TocEntry,
    )

# where each public name lives: imported on first use, so that the command line's --help and
# start-up need neither the document model nor the pipeline (``from ifri_cli import X`` works)
_WHERE = {
    **dict.fromkeys(("Document", "open_document", "structure"), "ifri_cli.document"),
    **dict.fromkeys(
        (
            "Ambiguous",
            "BrokenPDF",
            "EncryptedPDF",
            "IfriError",
            "InputError",
            "NoTextLayer",
            "NotADocument",
            "NotFound",
            "SectionNotFound",
            "SectionNotInDocument",
            "UsageError",
        ),
        "ifri_cli.errors",
    ),
    **dict.fromkeys(
        (
            "SCHEMA_VERSION",
            "Abstract",
            "Footnote",
            "Line",
            "Metadata",
            "Page",
            "PageText",
            "SearchHit",
            "Section",
            "SectionSummary",
            "SummarySentence",
            "Toc",
            "TocEntry",
        ),
        "ifri_cli.model",
    ),
}

__all__ = [
    "Abstract",
    "Ambiguous",
    "BrokenPDF",
    "Document",
    "EncryptedPDF",
    "Footnote",
    "IfriError",
    "InputError",
    "Line",
    "Metadata",
    "NoTextLayer",
    "NotADocument",
    "NotFound",
    "Page",
    "PageText",
    "SCHEMA_VERSION",
    "SearchHit",
    "Section",
    "SectionNotFound",
    "SectionNotInDocument",
    "SectionSummary",
    "SummarySentence",
    "Toc",
    "TocEntry",
    "UsageError",
    "__version__",
    "open_document",
    "sample_path",
    "structure",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'ifri_cli' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})


def sample_path() -> str:
    """The path of the sample paper shipped inside the package."""
    from importlib.resources import files

    return str(files("ifri_cli.samples") / "sample.pdf")
