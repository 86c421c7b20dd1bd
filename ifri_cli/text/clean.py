"""Clean extracted text: repair what PDF extraction breaks and strip page furniture.

``clean_document`` is the pipeline stage. It removes running headers and footers,
page-number lines and footnotes from the pages (the footnotes are kept apart in
``doc.footnotes``), removes footnote markers from the running text, repairs every
line (``repair_text``) and joins words hyphenated at a line end.

Broken words are repaired from evidence, never from a hand-typed word list: the
document's own vocabulary (a joined form that occurs elsewhere in it) and the
word frequencies of ``wordfreq``. Removing a space is a bet against the prior that
the space is real; that prior is estimated per document from how many spaces are
certainly spurious (``a major`` stays apart in a clean paper, ``at tract i on``
is joined in a badly extracted one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import accumulate

from ifri_cli.model import Document, Footnote, Line, Page
from ifri_cli.text.chars import _ACCENT_CHARS, accent_votes, fix_characters
from ifri_cli.text.footnotes import (
    _all_notes,
    _body_size,
    _remove_markers,
    _strip_note_start,
    _unmarked_by_words,
)
from ifri_cli.text.furniture import find_furniture
from ifri_cli.text.paragraphs import _join_lines
from ifri_cli.text.repair import _join_hyphenated, _repair_line
from ifri_cli.text.vocabulary import Vocabulary, _chunks


def clean_document(doc: Document) -> Document:
    """Fill ``clean_pages`` (furniture and footnotes removed, text repaired) and ``footnotes``."""
    pages = doc.pages
    furniture: dict[int, set[int]] = {}
    for p, i in find_furniture(pages):
        furniture.setdefault(p, set()).add(i)
    notes = _all_notes(pages, furniture, _body_size(pages) if doc.kind == "pdf" else None)

    # the running text without furniture, notes and note markers, characters repaired
    accents_follow = _accents_follow(pages)
    bodies: list[list[tuple[int, str]]] = []
    marked: list[dict[str, int]] = []  # for each page, the line where each note's marker stands
    for p, page in enumerate(pages):
        skip = furniture.get(p, set()) | {i for _, idx in notes[p] for i in idx}
        marks = {m for m, _ in notes[p] if m}
        pdf = doc.kind == "pdf"
        kept = [i for i in range(len(page.lines)) if i not in skip]
        after_number = _unmarked_by_words((page.lines[i] for i in kept), marks) if pdf and marks else set()
        body: list[tuple[int, str]] = []
        where: dict[str, int] = {}
        for i in kept:
            text, found = _remove_markers(page.lines[i], marks, pdf, after_number)
            for mark in found:
                where.setdefault(mark, i)
            body.append((i, fix_characters(text, accents_follow)))
        bodies.append(body)
        marked.append(where)
    note_texts = [
        [(mark, [fix_characters(pages[p].lines[i].text, accents_follow) for i in idx]) for mark, idx in pn]
        for p, pn in enumerate(notes)
    ]
    all_texts = [t for body in bodies for _, t in body] + [t for ns in note_texts for _, ts in ns for t in ts]
    vocab = Vocabulary(all_texts, doc.metadata.language, accents_follow)

    # repair line by line, then join words hyphenated over line (and page) ends
    # (flat lists rather than one record a line: a long text file has millions of lines)
    flow = [_repair_line(t, vocab, fixed=True) for body in bodies for _, t in body]
    flow_lines = [pages[p].lines[i] for p, body in enumerate(bodies) for i, _ in body]
    can_join = [_continues(a, b) for a, b in zip(flow_lines, flow_lines[1:], strict=False)]
    del flow_lines
    joined = iter(_join_hyphenated(flow, vocab, can_join))
    del flow, can_join
    clean_pages = []
    for p, (page, body) in enumerate(zip(pages, bodies, strict=True)):
        new_text = {i: next(joined) for i, _ in body}
        lines = [_with_text(line, new_text.get(i, "")) for i, line in enumerate(page.lines)]
        # a marker's line, counted among the lines that stay (or the next one, if its own went)
        kept_before = [0, *accumulate(1 if line.text else 0 for line in lines)]
        marked[p] = {mark: kept_before[i] for mark, i in marked[p].items()}
        clean_pages.append(replace(page, lines=tuple(line for line in lines if line.text)))
    footnotes = _footnotes(pages, note_texts, vocab, marked)
    return replace(doc, clean_pages=tuple(clean_pages), footnotes=footnotes)


def _with_text(line: Line, text: str) -> Line:
    if line.text == text and not line.superscripts:
        return line
    return replace(line, text=text, superscripts=())  # the offsets would be wrong in the new text


def _accents_follow(pages: Sequence[Page]) -> bool:
    """Whether this document's separated accents follow their letter (see ``accent_votes``)."""
    after = before = 0
    texts = [line.text for page in pages for line in page.lines]
    if any(_ACCENT_CHARS.search(chunk) for chunk in _chunks(texts)):
        for text in texts:
            if _ACCENT_CHARS.search(text):
                a, b = accent_votes(text)
                after, before = after + a, before + b
    return after > before


def _footnotes(
    pages: Sequence[Page],
    note_texts: list[list[tuple[str, list[str]]]],
    vocab: Vocabulary,
    marked: list[dict[str, int]],
) -> tuple[Footnote, ...]:
    footnotes: list[Footnote] = []
    for p, notes in enumerate(note_texts):
        for mark, texts in notes:
            texts = [_repair_line(t, vocab, fixed=True) for t in texts]
            texts[0] = _strip_note_start(texts[0], mark)
            text = _join_lines(_join_hyphenated(texts, vocab, [True] * len(texts)))
            if not mark and footnotes:
                footnotes[-1] = replace(footnotes[-1], text=footnotes[-1].text + " " + text)
            elif text:
                footnotes.append(Footnote(mark or "?", text, pages[p].number, marked[p].get(mark)))
    return tuple(footnotes)


def _continues(a: Line, b: Line) -> bool:
    """Whether line ``b`` can carry the end of a word hyphenated at the end of line ``a``."""
    if a.size and b.size and abs(a.size - b.size) > a.size * 0.1:
        return False
    return not (b.bold and not a.bold)
