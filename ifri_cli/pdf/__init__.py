"""Reading PDFs: the only package that imports a PDF engine.

``engine`` (pdfminer.six, the default) opens a file (salvaging a damaged one), reads its
catalogue (metadata, outline, page labels) and lays out pages as ``model.Line`` objects;
``pdfium`` does the same with PDFium (pypdfium2, ``pip install 'ifri[fast]'``), several times
faster; ``pool`` lays out pages in worker processes. Which engine reads a PDF is chosen by name:
the caller's, else ``$IFRI_ENGINE``, else pdfminer. Nothing here imports an engine.
"""

from __future__ import annotations

import os

from ifri_cli.errors import UsageError

ENGINES = ("pdfminer", "pdfium")
DEFAULT_ENGINE = "pdfminer"
INSTALL_HINT = "pip install 'ifri[fast]'"


def engine_name(requested: str | None = None) -> str:
    """The engine to read PDFs with: ``requested``, else ``$IFRI_ENGINE``, else pdfminer."""
    name = (requested or os.environ.get("IFRI_ENGINE", "") or DEFAULT_ENGINE).strip().lower()
    if name not in ENGINES:
        where = "" if requested else " (from $IFRI_ENGINE)"
        raise UsageError(f"unknown PDF engine {name!r}{where}: choose one of {', '.join(ENGINES)}")
    return name


def check_available(name: str) -> None:
    """Raise a usage error, saying how to install it, when engine ``name`` cannot be imported."""
    if name == "pdfium":
        from importlib.util import find_spec

        if find_spec("pypdfium2") is None:
            raise UsageError("the pdfium engine needs pypdfium2, which is not installed", hint=INSTALL_HINT)
