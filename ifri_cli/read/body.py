"""The body as lines, and lines assembled into units of text that remember their pages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ifri_cli.model import Document, Line


@dataclass(frozen=True)
class Unit:
    """Body text under one heading; ``marks`` maps character offsets to pages."""

    text: str
    section: str | None = None
    number: str | None = None
    kind: str = "section"
    marks: tuple[tuple[int, str | None, int | None], ...] = ((0, None, None),)  # (offset, label, pdf page)
    top: str | None = None  # the title of the top-level section this unit belongs to
    weight: float = 1.0  # how much its position in the section means (0 for unstructured text)

    def page_at(self, offset: int) -> tuple[str | None, int | None]:
        label, pdf_page = self.marks[0][1], self.marks[0][2]
        for start, mark_label, mark_page in self.marks:
            if start > offset:
                break
            label, pdf_page = mark_label, mark_page
        return label, pdf_page


def _assemble(
    lines: Sequence[tuple[int, Line]],
    labels: dict[int, str | None],
    body_size: float | None,
    skip: set[int],
    typical: int | None = None,
) -> tuple[str, tuple[tuple[int, str | None, int | None], ...]]:
    """Lines -> text with blank lines between paragraphs, and the offsets where pages start.

    A paragraph ends at a vertical gap, a change of font size, a blank line, or a short line
    ending a sentence; small print (footnotes, captions) is left out when the cleaner has not
    already removed it.
    """
    parts: list[str] = []
    marks: list[tuple[int, str | None, int | None]] = []
    length = 0
    prev: Line | None = None
    prev_page = None
    right = max((line.x1 for _, line in lines if line.x1 is not None), default=None)
    typical = typical or _typical_length(lines)
    for k, (pdf_page, line) in enumerate(lines):
        text = line.text.strip()
        if (
            pdf_page in skip
            or (len(text) <= 2 and not _word_of_the_text(text, lines, k))
            or (body_size and line.size and line.size < body_size - 1.2)
        ):
            if not text and prev is not None:
                prev = None  # a blank line in a text file ends the paragraph
            continue
        if pdf_page != prev_page:
            marks.append((length, labels.get(pdf_page), pdf_page))
        new_paragraph = prev is None or _paragraph_break(prev, line, right, pdf_page == prev_page, typical)
        sep = "" if not parts else ("\n\n" if new_paragraph else "\n")
        parts.append(sep + text)
        length += len(sep) + len(text)
        prev, prev_page = line, pdf_page
    if not marks:
        marks.append((0, None, None))
    return "".join(parts), tuple(marks)


# words of one or two letters that a line may hold alone ("It" / "not only reduces..."), unlike a
# stray mark, a subscript, a panel letter or a page number
_SHORT_WORDS = frozenset(
    "a i an as at be by do he if in is it me my no of on or so to up us we au ce de du en et il la le "
    "ne se un".split()
)


_RUNS_ON = re.compile(r"[^\W\d_]{2,}(?:[\s,;:]|$)")  # "not only", not "in−1" or "j"


def _word_of_the_text(text: str, lines: Sequence[tuple[int, Line]], k: int) -> bool:
    """Whether a line of one or two characters is a word that the next line goes on from."""
    if text.lower() not in _SHORT_WORDS or (len(text) == 1 and text.islower()):
        return False
    following = lines[k + 1][1].text.lstrip() if k + 1 < len(lines) else ""
    return following[:1].islower() and bool(_RUNS_ON.match(following))


def _typical_length(lines: Sequence[tuple[int, Line]]) -> int:
    lengths = sorted(len(line.text.strip()) for _, line in lines)
    return lengths[int(len(lengths) * 0.8)] if lengths else 60


def _paragraph_break(prev: Line, line: Line, right: float | None, same_page: bool, typical: int) -> bool:
    ends_sentence = prev.text.rstrip().endswith((".", "!", "?", ":", "”", '"', "»"))
    if prev.top is None or line.top is None or prev.bottom is None:
        if line.after_blank and same_page:
            return True
        # a text file: a short line ends a paragraph, and a short line without a full stop is a heading
        short = len(prev.text.strip()) < 0.6 * typical
        heading_next = len(line.text.strip()) < 0.6 * typical and not line.text.rstrip().endswith(
            (".", ",", ";")
        )
        return short or heading_next and ends_sentence
    if prev.size and line.size and abs(prev.size - line.size) > 0.6:
        return True
    height = max(prev.bottom - prev.top, 1.0)
    if same_page and line.top > prev.top and line.top - prev.bottom > 0.8 * height:
        return True
    indented = prev.x0 is not None and line.x0 is not None and line.x0 > prev.x0 + 6
    if ends_sentence and indented and line.top > prev.top:
        return True  # first-line indent
    return bool(
        ends_sentence
        and right is not None
        and prev.x1 is not None
        and prev.x0 is not None
        and prev.x1 < prev.x0 + 0.6 * (right - prev.x0)
        and line.top > prev.top
    )


def _flat_lines(doc: Document) -> list[tuple[int, Line]]:
    # the same order as the sections tree's ``span`` indices
    pages = doc.body
    return [(page.number, line) for page in pages for line in page.lines]


def _labels(doc: Document) -> dict[int, str | None]:
    return {page.number: page.label for page in doc.pages}


def _body_size(lines: Sequence[tuple[int, Line]]) -> float | None:
    sizes: Counter[float] = Counter()
    for _, line in lines:
        if line.size:
            sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else None


_TERMINAL = re.compile(r"[.!?…][\"”’»)\]]*$")


def _vocabulary(unit_list: Iterable[Unit]) -> set[str]:
    vocab: set[str] = set()
    for unit in unit_list:
        vocab.update(w.lower() for w in re.findall(r"\w+(?:-\w+)+", unit.text))
    return vocab
