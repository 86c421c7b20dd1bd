"""ifri: a command-line reader for long reports.

    >>> from ifri_cli import open_document
    >>> doc = open_document("paper.pdf")
    >>> print(doc.section("venezuela").text)
"""

from __future__ import annotations

from ifri_cli._version import __version__
from ifri_cli.document import Document, open_document

__all__ = ["Document", "__version__", "open_document", "sample_path"]


def sample_path() -> str:
    """The path of the sample paper shipped inside the package."""
    from importlib.resources import files

    return str(files("ifri_cli.samples") / "sample.pdf")
