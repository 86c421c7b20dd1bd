"""Lines reflowed into paragraphs, from the layout (gaps, indents, short lines) or blank lines.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from ifri_cli.model import Line, Page
from ifri_cli.text.patterns import LIST_ITEM, has_leader


def _ends_sentence(text: str) -> bool:
    return text.rstrip().rstrip("\"'’”»)]")[-1:] in (".", "!", "?", ":", ";")


class Paragraph(NamedTuple):
    page: int  # the physical page where the paragraph starts
    text: str
    heading: bool = False


@dataclass(frozen=True)
class _Layout:
    """What a normal line of running text looks like in this document."""

    size: float | None  # body font size
    gap: float  # usual space between two lines of a paragraph
    width: int  # usual length in characters of a full line (text input)
    span: float | None  # usual width in points of a full line of running text


def _layout(lines: Sequence[Line]) -> _Layout:
    sizes: Counter[float] = Counter()
    gaps: list[float] = []
    lengths = sorted(len(line.text) for line in lines if len(line.text) > 20)
    for a, b in zip(lines, lines[1:], strict=False):
        if a.size:
            sizes[a.size] += len(a.text)
        if a.bottom is not None and b.top is not None and a.size == b.size and b.top > a.top:  # type: ignore[operator]
            gaps.append(b.top - a.bottom)
    size = sizes.most_common(1)[0][0] if sizes else None
    spans = sorted(
        line.x1 - line.x0
        for line in lines
        if line.size == size and line.x0 is not None and line.x1 is not None
    )
    return _Layout(
        size,
        sorted(gaps)[len(gaps) // 2] if gaps else 0.0,
        lengths[int(len(lengths) * 0.9)] if lengths else 80,
        spans[int(len(spans) * 0.9)] if spans else None,
    )


def is_heading(line: Line, layout: _Layout) -> bool:
    text = line.text.strip()
    if not text or len(text) > 150 or has_leader(text):
        return False
    if layout.size and line.size:
        if line.size >= layout.size * 1.15:
            return True
        if line.bold and len(text) < 120 and not _ends_sentence(text):
            return True
    # a short line in capitals (``INTRODUCTION``), not an acronym or a number
    return len(text) <= 90 and text.isupper() and sum(map(str.isalpha, text)) >= 3


def _starts_paragraph(a: Line, b: Line, layout: _Layout, right: float | None) -> bool:
    """Whether line ``b`` starts a new paragraph after line ``a``."""
    if has_leader(a.text):
        return True  # a contents line ends with its page number; the next starts another entry
    # a sentence running on: "... (Voorhees, 1999). It" then "not only reduces ..." on the next line
    runs_on = b.text[:1].islower() and not _ends_sentence(a.text)
    if a.top is None or b.top is None or a.bottom is None:
        if b.after_blank:
            return True  # a blank line in a text input
        if len(a.text) < layout.width * 0.75:
            return not runs_on
        # a short line without a full stop after a sentence: a heading (``The author``)
        return (
            len(b.text) < layout.width * 0.6
            and _ends_sentence(a.text)
            and not (_ends_sentence(b.text) or b.text[:1].islower())
        )
    size = a.size or layout.size or 10.0
    if b.top > a.top:  # same column, further down
        if b.top - a.bottom > layout.gap + size * 0.5:
            return True
        if b.x0 is not None and a.x0 is not None and size * 0.8 < b.x0 - a.x0 < size * 6:
            # a first-line indent, unless it is the hanging indent of a list item whose sentence
            # runs on ("• Section 5(1)(b) ... Sri Lanka's" then "relation to ...")
            return not (runs_on and LIST_ITEM.match(a.text) and not LIST_ITEM.match(b.text))
    if right is not None and a.x1 is not None and a.x1 < right - size * 2.5 and _ends_sentence(a.text):
        return True
    # a line far shorter than running text is an item of its own (contents, lists, addresses)
    short = layout.span and a.x0 is not None and a.x1 is not None and a.x1 - a.x0 < layout.span * 0.5
    return bool(short) and not runs_on


def _column_rights(lines: Sequence[Line]) -> list[float | None]:
    """For each line, the right edge of the text column it starts in (lines starting near its left)."""
    edges: dict[int, float] = {}
    for line in lines:
        if line.x0 is not None and line.x1 is not None:
            key = round(line.x0)
            edges[key] = max(edges.get(key, line.x1), line.x1)
    known: dict[tuple[int, float], float | None] = {}
    out: list[float | None] = []
    for line in lines:
        if line.x0 is None:
            out.append(None)
            continue
        key = (round(line.x0), line.size or 10.0)
        if key not in known:
            reach = key[1] * 2
            known[key] = max((x1 for x0, x1 in edges.items() if abs(x0 - line.x0) < reach), default=None)
        out.append(known[key])
    return out


def _paragraph_spans(
    lines: Sequence[Line], layout: _Layout, rights: list[float | None]
) -> list[tuple[int, int, bool]]:
    """(start, end, heading) index ranges of the paragraphs of a page's lines."""
    spans: list[tuple[int, int, bool]] = []
    headings = [is_heading(line, layout) for line in lines]
    start = 0
    for k in range(1, len(lines) + 1):
        if k < len(lines):
            a, b = lines[k - 1], lines[k]
            if headings[k - 1] and headings[k]:
                new = (a.size, a.bold) != (b.size, b.bold) or _starts_paragraph(a, b, layout, None)
            elif headings[k - 1] != headings[k]:
                new = True
            else:
                new = _starts_paragraph(a, b, layout, rights[k - 1])
            if not new:
                continue
        spans.append((start, k, headings[start]))
        start = k
    return spans


def _join_lines(texts: Iterable[str]) -> str:
    return " ".join(" ".join(texts).split())


def paragraphs(lines: Sequence[Line]) -> list[str]:
    """Lines reflowed into paragraphs; headings and contents lines stay paragraphs of their own."""
    spans = _paragraph_spans(lines, _layout(lines), _column_rights(lines))
    return [_join_lines(line.text for line in lines[a:b]) for a, b, _ in spans]


def page_paragraphs(pages: Sequence[Page | Sequence[Line]]) -> list[Paragraph]:
    """The paragraphs of (clean) pages, with their page; one that runs on over a page break is joined.

    ``pages`` may also be plain lists of lines, one per page (numbered from 1 then).
    """
    return _reflow(pages)[0]


def paragraph_starts(pages: Sequence[Page]) -> list[bool]:
    """For each line of ``pages``, in order, whether it starts a paragraph of ``page_paragraphs``:
    a part of the pages (a section) is cut into the very paragraphs the whole text has."""
    return _reflow(pages)[1]


def join_paragraphs(lines: Sequence[Line], starts: Sequence[bool]) -> list[str]:
    """``lines`` cut where ``starts`` says (and at the first), each paragraph on one line."""
    out: list[list[str]] = []
    for k, (line, start) in enumerate(zip(lines, starts, strict=True)):
        if start or k == 0:
            out.append([])
        out[-1].append(line.text)
    return [text for texts in out if (text := _join_lines(texts))]


def _reflow(pages: Sequence[Page | Sequence[Line]]) -> tuple[list[Paragraph], list[bool]]:
    pages = [p if isinstance(p, Page) else Page(n, None, tuple(p)) for n, p in enumerate(pages, start=1)]
    layout = _layout([line for page in pages for line in page.lines])
    out: list[Paragraph] = []
    starts = [False] * sum(len(page.lines) for page in pages)
    base = 0  # where this page's lines are in ``starts``
    last: tuple[Line, float | None] | None = None  # the previous page's last line and its column edge
    for page in pages:
        rights = _column_rights(page.lines)
        spans = _paragraph_spans(page.lines, layout, rights)
        for n, (a, b, heading) in enumerate(spans):
            text = _join_lines(line.text for line in page.lines[a:b])
            if not text:
                continue
            prev = out[-1] if out else None
            runs_on = (
                n == 0
                and prev is not None
                and last is not None
                and not prev.heading
                and not heading
                and not _ends_sentence(prev.text)
                # a blank line at the top of a page parted the running header from the text
                and not _starts_paragraph(last[0], replace(page.lines[a], after_blank=False), layout, last[1])
            )
            if runs_on and prev is not None:
                out[-1] = prev._replace(text=prev.text + " " + text)
            else:
                out.append(Paragraph(page.number, text, heading))
                starts[base + a] = True
        if page.lines:
            last = (page.lines[-1], rights[-1])
        base += len(page.lines)
    return out, starts


def document_paragraphs(pages: Sequence[Page | Sequence[Line]]) -> list[str]:
    """The text of ``page_paragraphs``: one string per paragraph."""
    return [p.text for p in page_paragraphs(pages)]
