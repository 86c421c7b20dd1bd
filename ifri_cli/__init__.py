"""ifri: a command-line reader for long reports.

    >>> from ifri_cli import open_document
    >>> doc = open_document("paper.pdf")
    >>> print(doc.section("venezuela").text)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ifri_cli._version import __version__

if TYPE_CHECKING:
    from ifri_cli.document import Document, open_document

__all__ = ["Document", "__version__", "open_document", "sample_path"]


def __getattr__(name: str) -> Any:
    # imported on first use: the command line's --help and start-up need neither the document
    # model nor the pipeline (``from ifri_cli import open_document`` works as ever)
    if name in ("Document", "open_document"):
        from ifri_cli import document

        return getattr(document, name)
    raise AttributeError(f"module 'ifri_cli' has no attribute {name!r}")


def sample_path() -> str:
    """The path of the sample paper shipped inside the package."""
    from importlib.resources import files

    return str(files("ifri_cli.samples") / "sample.pdf")
