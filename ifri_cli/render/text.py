"""``ifri text``: the pages, parted by rules on a terminal and by form feeds in a pipe."""

from __future__ import annotations

from typing import Any

from ifri_cli.model import PageText


def page_header(page: PageText) -> str:
    label = f"page {page.label}" if page.label else "unnumbered"
    return f"PDF page {page.pdf_page} ({label})"


def text_plain(pages: list[PageText]) -> str:
    # pages end with a form feed, as pdftotext writes them: `split -p` and `csplit` know it
    return "".join(page.text + "\n\f" for page in pages)


def text_rich(pages: list[PageText]) -> Any:
    from rich.console import Group
    from rich.rule import Rule
    from rich.text import Text

    parts: list[Any] = []
    for page in pages:
        parts.append(Rule(Text(page_header(page), style="dim"), style="dim"))
        parts.append(Text(page.text))
    return Group(*parts)
