"""Footnotes: the small print at the foot of a page that starts with a marker found in its text.

On a PDF the markers are raised, smaller characters (``Line.superscripts``); in plain text,
digits glued after a word.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet

from ifri_cli.model import Line, Page
from ifri_cli.text.paragraphs import _ends_sentence
from ifri_cli.text.repair import _TRAIL
from ifri_cli.text.vocabulary import _LETTERS

# a note's own number: ``12 Text``, ``12. Text``, ``1University``, ``* Text``, or the number alone on its line
_NOTE_START = re.compile(
    r"^\s*(?:(\d{1,3})(?:[.)]\s*|\s+|(?=[A-Z“\"‘(]))|([*†‡§]+)\s*)(?=\S)|^\s*(\d{1,3}|[*†‡§]+)\s*$"
)


_TEXT_MARKER = re.compile(r"(?:(?<=[^\W\d_]{2})|(?<=[.,;:!?)\]\"'’”]))(\d{1,3})(?=[\s,.;:]|$)")


_UNICODE_MARKER = re.compile(r"(?<=[^\s\d⁰¹²³⁴⁵⁶⁷⁸⁹])[⁰¹²³⁴⁵⁶⁷⁸⁹]+")  # ``clause.’²¹``


_DIGIT = re.compile(r"\d")  # a line without one has no marker: most lines, found at once


_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


_MARKER_SYMBOLS = set("*†‡§")


_Note = tuple[str, list[int]]  # the marker ("" for the rest of a note from the page before), line indexes


def _body_size(pages: Sequence[Page]) -> float | None:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            if line.size:
                sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else None


def _superscript_markers(line: Line) -> list[tuple[int, int, str]]:
    """Superscript spans that read as note markers: digits or note symbols after a word."""
    out: list[tuple[int, int, str]] = []
    if not line.text.isascii():
        out += [
            (m.start(), m.end(), m.group().translate(_SUPERSCRIPT_DIGITS))
            for m in _UNICODE_MARKER.finditer(line.text)
        ]
    if not line.superscripts:
        return out
    for start, end in line.superscripts:
        mark = line.text[start:end].strip()
        if not mark or not (mark.isdigit() or set(mark) <= _MARKER_SYMBOLS):
            continue
        before = line.text[:start].rstrip()
        if start == 0 or not before or before[-1].isdigit():
            continue  # at a line start it is a note's own number; after a digit, see _after_number
        word = _TRAIL.search(before)
        if word and len(word.group()) == 1 and before == line.text[:start]:
            continue  # ``x2``: a variable squared
        out.append((start, end, mark))
    return out


def _after_number(line: Line) -> list[tuple[int, int, str]]:
    """Superscript digits right after a number: ``Act 1923¹³⁰``, ``Rules 2015¹³⁶``, but also ``10²``.

    Extracted, the marker is glued to the number (``1923130``). It reads as a note's marker only
    where the page has that note and nothing else marks it (``_digit_markers``); otherwise it is
    an exponent and stays.
    """
    out: list[tuple[int, int, str]] = []
    for start, end in line.superscripts:
        mark = line.text[start:end].strip()
        if start and mark.isdigit() and line.text[:start].rstrip()[-1:].isdigit():
            out.append((start, end, mark))
    return out


def _digit_markers(lines: Iterable[Line], word_marks: set[str], last_number: int) -> set[str]:
    """The marks of ``_after_number`` that may be notes: not marked after a word on the same page
    (then the number before a word's marker is an exponent: ``10²`` and ``crisis²``), and in
    the notes' numbering: after the last note of the pages before, and not far from it or from
    a word's marker on the page."""
    anchors = [last_number, *(int(m) for m in word_marks if m.isdigit())]
    out = set()
    for line in lines:
        if line.superscripts:
            for *_, mark in _after_number(line):
                n = int(mark)
                if (
                    mark not in word_marks
                    and n > last_number
                    and any(abs(n - a) <= _NOTES_A_PAGE for a in anchors)
                ):
                    out.add(mark)
    return out


_NOTES_A_PAGE = 40  # more notes than this on one page would be a table of small numbers


def _note_start(line: Line) -> str | None:
    """The marker a footnote line starts with, if it starts one."""
    if line.superscripts and line.superscripts[0][0] == 0:
        mark = line.text[: line.superscripts[0][1]].strip()
        if mark.isdigit() or (mark and set(mark) <= _MARKER_SYMBOLS):
            return mark
    match = _NOTE_START.match(line.text.translate(_SUPERSCRIPT_DIGITS))
    if not match:
        return None
    return match.group(1) or match.group(2) or match.group(3)


def _find_notes(page: Page, skip: set[int], body_size: float | None, last_number: int) -> list[_Note]:
    lines = page.lines
    body = [i for i in range(len(lines)) if i not in skip]
    if page.lines and page.lines[0].top is not None and body_size:
        markers = {m for i in body for *_, m in _superscript_markers(lines[i])}
        markers |= _digit_markers((lines[i] for i in body), markers, last_number)
        foot = _foot_lines(page, body, body_size)
        return _group_notes(page, foot, markers, last_number)
    markers = {mark for i in body for *_, mark in _text_markers(lines[i].text)}
    return _text_notes(page, body, markers)


def _text_markers(text: str) -> list[tuple[int, int, str]]:
    """Note markers in a line of plain text: digits glued after a word or punctuation."""
    found = _TEXT_MARKER.finditer(text) if _DIGIT.search(text) else ()
    out = [(m.start(1), m.end(1), m.group(1)) for m in found]
    if not text.isascii():
        out += [
            (m.start(), m.end(), m.group().translate(_SUPERSCRIPT_DIGITS))
            for m in _UNICODE_MARKER.finditer(text)
        ]
    return out


def _foot_lines(page: Page, body: list[int], body_size: float) -> list[int]:
    """Small print in the lower half of the page with no running-text line below it in its column."""
    lines = page.lines
    half = (page.height or 0.0) / 2
    limit = body_size * 0.92
    small = [i for i in body if (lines[i].size or body_size) < limit and (lines[i].top or 0.0) > half]
    if not small:
        return []
    big = sorted(
        (lines[i] for i in body if (lines[i].size or 0) >= limit and len(lines[i].text.strip()) > 3),
        key=lambda b: -(b.top or 0.0),
    )
    out = []
    for i in small:
        line = lines[i]
        top, x0, x1 = line.top or 0.0, line.x0 or 0.0, line.x1 or 0.0
        below = False
        for b in big:  # from the bottom of the page up, only as far as this line
            if (b.top or 0.0) <= top + 1:
                break
            if (b.x0 or 0.0) < x1 and (b.x1 or 0.0) > x0:
                below = True
                break
        if not below:
            out.append(i)
    return _reading_order(lines, out)


def _reading_order(lines: Sequence[Line], indexes: list[int]) -> list[int]:
    """Lines by column (lines overlapping horizontally share one), then from top to bottom."""
    columns: list[list[float]] = []  # [x0, x1] of each column, merged as lines overlap
    for i in sorted(indexes, key=lambda i: lines[i].x0 or 0.0):
        x0, x1 = lines[i].x0 or 0.0, lines[i].x1 or 0.0
        if columns and x0 < columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    starts = [c[0] for c in columns]

    def column(i: int) -> int:
        return max(k for k, start in enumerate(starts) if start <= (lines[i].x0 or 0.0))

    return sorted(indexes, key=lambda i: (column(i), lines[i].top or 0.0, lines[i].x0 or 0.0))


def _group_notes(page: Page, foot: list[int], markers: set[str], last_number: int) -> list[_Note]:
    """Footnotes among the foot lines: each starts with a marker found in the page's running text."""
    notes: list[_Note] = []
    for i in foot:
        mark = _note_start(page.lines[i])
        if mark is not None and mark in markers:
            notes.append((mark, [i]))
        elif notes:
            notes[-1][1].append(i)
        elif last_number:
            notes.append(("", [i]))  # the rest of a note that began on the previous page
    return [n for n in notes if _reads_as_note(page, n)]


def _reads_as_note(page: Page, note: _Note) -> bool:
    """Words rather than a table row or the pieces of a formula in small print."""
    tokens = " ".join(page.lines[i].text for i in note[1]).split()[1 if note[0] else 0 :]
    numeric = sum(1 for t in tokens if not any(ch.isalpha() for ch in t))
    return any(len(w) >= 3 for w in _LETTERS.findall(" ".join(tokens))) and numeric * 2 < len(tokens)


def _text_notes(page: Page, body: list[int], markers: set[str]) -> list[_Note]:
    """Notes at the foot of a text page: lines from the bottom that start with a marker of the page."""
    notes: list[_Note] = []
    pending: list[int] = []
    for i in reversed(body):
        mark = _note_start(page.lines[i])
        if mark is not None and mark in markers:
            notes.insert(0, (mark, [i, *pending]))
            pending = []
        else:
            pending.insert(0, i)
            if len(pending) > 4:
                break
    return notes


def _strip_note_start(text: str, mark: str) -> str:
    if not mark:
        return text
    text = text.lstrip()
    head = text[: len(mark)].translate(_SUPERSCRIPT_DIGITS)
    if head == mark:
        text = text[len(mark) :]
        text = re.sub(r"^[.)]?\s*", "", text)
    return text


def _remove_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + text[end:]
    return text


def _all_notes(
    pages: Sequence[Page], furniture: dict[int, set[int]], body_size: float | None
) -> list[list[_Note]]:
    """The footnotes of every page, found on the raw lines (superscript offsets refer to them)."""
    out: list[list[_Note]] = []
    last = 0
    for p, page in enumerate(pages):
        found = _find_notes(page, furniture.get(p, set()), body_size, last)
        if found and not found[0][0]:
            # small print at the foot before any marker continues the last note only if that one was cut off
            previous = out[-1][-1] if out and out[-1] else None
            if previous is None or _ends_sentence(pages[p - 1].lines[previous[1][-1]].text):
                found.pop(0)
        numbers = [int(m) for m, _ in found if m.isdigit()]
        last = numbers[-1] if numbers else last
        out.append(found)
    return out


def _unmarked_by_words(lines: Iterable[Line], note_marks: set[str]) -> set[str]:
    """The marks of a page's notes that no marker after a word carries: those a marker glued
    to a number (``1923¹³⁰``) may carry."""
    left = set(note_marks)
    for line in lines:
        if left and line.superscripts:
            left -= {mark for *_, mark in _superscript_markers(line)}
    return left


def _remove_markers(
    line: Line, note_marks: set[str], pdf: bool, after_number: AbstractSet[str] = frozenset()
) -> tuple[str, list[str]]:
    """The line without its note markers, and the markers of this page's notes it had.

    ``after_number``: the marks of ``note_marks`` that a marker glued to a number may carry
    (``_unmarked_by_words``); other superscript digits after a number are exponents.
    """
    text = line.text
    if pdf:
        found = [
            (start, end, mark)
            for start, end, mark in _superscript_markers(line)
            if mark in note_marks or text[:start].rstrip()[-1:] in ".,;:!?)]\"'’”"
        ]
        if after_number and line.superscripts:
            found += [m for m in _after_number(line) if m[2] in after_number]
    else:
        found = [(start, end, mark) for start, end, mark in _text_markers(text) if mark in note_marks]
    if not found:
        return text, []
    text = _remove_spans(text, [(start, end) for start, end, _ in found])
    return text, [mark for _, _, mark in found if mark in note_marks]
