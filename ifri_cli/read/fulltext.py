"""The whole text, page by page: cleaned and reflowed into paragraphs, or as extracted."""

from __future__ import annotations

from ifri_cli.model import Document, PageText
from ifri_cli.text.paragraphs import page_paragraphs


def page_texts(doc: Document, raw: bool = False) -> list[PageText]:
    """Each page's text: the cleaned text reflowed into paragraphs, or the lines as extracted.

    A paragraph that runs on over a page break is given whole to the page where it starts;
    the page's footnotes follow its text as ``[marker] text``.
    """
    if raw or not doc.clean_pages:
        return [PageText(page.number, page.label, page.text) for page in doc.pages]
    by_page: dict[int, list[str]] = {}
    for para in page_paragraphs(doc.clean_pages):
        by_page.setdefault(para.page, []).append(para.text)
    for note in doc.footnotes:
        by_page.setdefault(note.pdf_page, []).append(f"[{note.marker}] {note.text}")
    return [
        PageText(page.number, page.label, "\n\n".join(by_page.get(page.number, [])))
        for page in doc.clean_pages
    ]
