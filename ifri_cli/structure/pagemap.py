"""Printed page numbers to PDF pages: through the page labels, an offset, or where the titles are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from ifri_cli.model import Document, Page, TocEntry
from ifri_cli.text.fold import fold_letters
from ifri_cli.text.patterns import page_value


def _map(
    doc: Document, entries: Sequence[TocEntry], skipped: set[int]
) -> tuple[list[TocEntry], Counter[str]]:
    pages = doc.body
    how: Counter[str] = Counter()
    by_label: dict[str, list[int]] = {}
    for page in pages:
        if page.label and page.number not in skipped:
            by_label.setdefault(page.label.strip().lower(), []).append(page.number)
    samples = _label_offsets(pages, skipped)
    out: list[TocEntry] = []
    previous = 0
    for entry in entries:
        key = (entry.page or "").strip().lower()
        candidates = [n for n in by_label.get(key, []) if n >= previous] or by_label.get(key, [])
        pdf_page = None
        if candidates:
            pdf_page = _showing_title(pages, candidates, entry.title)
            how["labels"] += 1
        elif (value := page_value(key)) is not None and samples[key.isdigit()]:
            guess = value + _nearest_offset(samples[key.isdigit()], value)
            if 1 <= guess <= len(pages):
                pdf_page = guess
                how["offset"] += 1
        previous = pdf_page or previous
        out.append(replace(entry, pdf_page=pdf_page))
    how["moved"], how["title"] = _check_in_body(pages, out, skipped)
    how["unmapped"] = sum(1 for e in out if e.pdf_page is None)
    return out, how


def _showing_title(pages: Sequence[Page], candidates: Sequence[int], title: str) -> int:
    """Of several pages with the same label, the first that shows the title."""
    target = fold_letters(title)[:40]
    if len(candidates) > 1 and target:
        for number in candidates:
            if target in fold_letters(pages[number - 1].text):
                return number
    return candidates[0]


def _label_offsets(pages: Sequence[Page], skipped: set[int]) -> dict[bool, list[tuple[int, int]]]:
    """(printed value, physical - printed) of every labelled page, arabic (True) and roman apart."""
    out: dict[bool, list[tuple[int, int]]] = {True: [], False: []}
    for page in pages:
        value = page_value(page.label)
        if value is not None and page.number not in skipped:
            out[(page.label or "").strip().isdigit()].append((value, page.number - value))
    return out


def _nearest_offset(samples: Sequence[tuple[int, int]], value: int) -> int:
    below = [s for s in samples if s[0] <= value]
    return (max(below) if below else min(samples))[1]


def _check_in_body(pages: Sequence[Page], out: list[TocEntry], skipped: set[int]) -> tuple[int, int]:
    """Correct and complete the mapping from where the titles are in the body (in place).

    A contents page can be off by a page (made before a page was inserted): entries whose
    heading is on the next page move there, all of them when most do. Entries still
    unmapped take the printed-to-physical offset that found titles agree on, and entries
    without a page number go where their heading is between their neighbours.
    Returns (moved, placed).
    """
    texts: dict[int, str] = {}
    lines: dict[int, list[str]] = {}

    def on(number: int, key: str) -> bool:
        if number in skipped or not 1 <= number <= len(pages):
            return False
        if number not in texts:
            texts[number] = fold_letters(pages[number - 1].text)
        return key in texts[number]

    def heading_on(number: int, key: str) -> bool:
        if number in skipped or not 1 <= number <= len(pages):
            return False
        if number not in lines:
            lines[number] = [fold_letters(ln.text) for ln in pages[number - 1].lines]
        return any(text and _same_heading(text, key) for text in lines[number])

    keys = [fold_letters(e.title)[:40] for e in out]
    moved = _shift_to_headings(out, keys, on, heading_on, len(pages))
    placed = _place_by_offset(out, keys, on, len(pages)) + _place_between(out, keys, heading_on, len(pages))
    return moved, placed


def _same_heading(line: str, key: str) -> bool:
    if line == key:
        return True
    short, long_ = sorted((line, key), key=len)
    return long_.startswith(short) and len(short) >= 0.6 * len(long_)


_Finder = Callable[[int, str], bool]


def _shift_to_headings(
    out: list[TocEntry], keys: Sequence[str], on: _Finder, heading_on: _Finder, count: int
) -> int:
    shifts: list[int | None] = []
    for entry, key in zip(out, keys, strict=True):
        page = entry.pdf_page
        if page is None or len(key) < 4 or heading_on(page, key):
            shifts.append(None)
        else:
            shifts.append(next((k for k in (1, 2, -1) if heading_on(page + k, key)), None))
    votes = Counter(k for k in shifts if k)
    common, n = votes.most_common(1)[0] if votes else (0, 0)
    systematic = common if n >= 3 and n >= 0.5 * sum(1 for e in out if e.pdf_page) else 0
    moved = 0
    for i, (entry, key, shift) in enumerate(zip(out, keys, shifts, strict=True)):
        if entry.pdf_page is None:
            continue
        if shift and (len(key) >= 8 or shift == systematic):
            out[i] = replace(entry, pdf_page=entry.pdf_page + shift)
            moved += 1
        elif systematic and not shift and not on(entry.pdf_page, key):
            out[i] = replace(entry, pdf_page=min(count, max(1, entry.pdf_page + systematic)))
            moved += 1
    return moved


def _place_by_offset(out: list[TocEntry], keys: Sequence[str], on: _Finder, count: int) -> int:
    """Unmapped entries with a printed page: the offset (physical - printed) found titles agree on."""
    if not any(e.pdf_page is None and e.page for e in out):
        return 0
    votes: Counter[tuple[bool, int]] = Counter()
    for entry, key in zip(out, keys, strict=True):
        value = page_value(entry.page)
        if value is None or len(key) < 8:
            continue
        hits = [n for n in range(1, count + 1) if on(n, key)]
        if 1 <= len(hits) <= 3:
            votes.update({((entry.page or "").strip().isdigit(), n - value) for n in hits})
    placed = 0
    for i, entry in enumerate(out):
        value = page_value(entry.page)
        if entry.pdf_page is not None or value is None:
            continue
        arabic = (entry.page or "").strip().isdigit()
        n, offset = max(((n, off) for (style, off), n in votes.items() if style == arabic), default=(0, 0))
        if n >= 2 and 1 <= value + offset <= count:
            out[i] = replace(entry, pdf_page=value + offset)
            placed += 1
    return placed


def _place_between(out: list[TocEntry], keys: Sequence[str], heading_on: _Finder, count: int) -> int:
    """Entries still unmapped: the first page between their neighbours that shows the heading."""
    placed = 0
    for i, entry in enumerate(out):
        if entry.pdf_page is not None or not keys[i]:
            continue
        low = max((e.pdf_page for e in out[:i] if e.pdf_page), default=1)
        high = min((e.pdf_page for e in out[i + 1 :] if e.pdf_page), default=count)
        target = next((n for n in range(low, max(low, high) + 1) if heading_on(n, keys[i])), None)
        if target is not None:
            out[i] = replace(entry, pdf_page=target)
            placed += 1
    return placed
