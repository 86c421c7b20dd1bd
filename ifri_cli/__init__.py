"""ifri: a command-line reader for long reports.

    >>> from ifri_cli import open_document
    >>> doc = open_document("paper.pdf")
    >>> print(doc.section("venezuela").text)
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

__version__ = "0.1.0"

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
) -> Document:
    """Read a PDF or text file (``"-"`` for stdin) and find its structure."""
    from dataclasses import replace

    from ifri_cli import clean, ingest, sections, toc

    doc = ingest.load(source, password=password, progress=progress)
    doc = clean.clean_document(doc)
    doc = replace(doc, toc=toc.build_toc(doc, toc_source))
    return replace(doc, sections=sections.build_sections(doc))
