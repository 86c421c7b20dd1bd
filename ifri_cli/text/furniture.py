"""Page furniture: running headers and footers and page-number lines, found by repetition.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ifri_cli.model import Line, Page
from ifri_cli.text.patterns import PAGE_NUMBER_LINE

_EDGE_ROWS = 2  # rows at the top and at the bottom of a page where furniture lives


def _rows(page: Page) -> list[list[int]]:
    """Line indexes grouped into rows from top to bottom (lines in order for text input)."""
    lines = page.lines
    if not lines or lines[0].top is None:
        return [[i] for i in range(len(lines))]
    order = sorted(range(len(lines)), key=lambda i: lines[i].top or 0.0)
    rows: list[list[int]] = []
    for i in order:
        if rows and abs((lines[i].top or 0.0) - (lines[rows[-1][0]].top or 0.0)) < 3:
            rows[-1].append(i)
        else:
            rows.append([i])
    return rows


def _edge_lines(page: Page) -> dict[int, str]:
    """Index -> zone (``top``/``bottom``) of the lines in the first and last rows of a page.

    With positions, a line is in the top zone only in the top fifth of the page and in
    the bottom zone only in its bottom quarter (a short page's rows are all first or last).
    """
    rows = _rows(page)
    edge = rows[:_EDGE_ROWS] + rows[-_EDGE_ROWS:]
    out: dict[int, str] = {}
    height = page.height
    for rank, row in enumerate(edge):
        for i in row:
            top = page.lines[i].top
            if height and top is not None:
                zone = "top" if top < height * 0.2 else "bottom" if top > height * 0.75 else None
            else:
                zone = "top" if rank < _EDGE_ROWS else "bottom"
            if zone and i not in out:
                out[i] = zone
    return out


def _furniture_key(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip().lower())
    text = re.sub(r"^[ivxlc]+\b|\b[ivxlc]+$", "#", text)
    return re.sub(r"\d+", "#", text)


def _is_page_number(text: str, page: Page) -> bool:
    compact = re.sub(r"\s+", "", text) if len(text) <= 12 else text.strip()
    match = PAGE_NUMBER_LINE.match(compact)
    if not match:
        return False
    if page.label is None:
        return True
    return match.group(1).lower() in (page.label.lower(), str(page.number))


def find_furniture(pages: Sequence[Page]) -> set[tuple[int, int]]:
    """(page index, line index) of running headers and footers and page-number lines.

    A header or footer is an edge line whose text, with numbers blanked out, comes back
    at the same edge on several pages (odd and even pages may carry different ones),
    at the same height and in the same size: the cover's title, bigger and lower than
    the running header that repeats it, stays.
    """
    edges = [_edge_lines(page) for page in pages]
    seen: dict[tuple[str, str], list[Line]] = {}
    for page, edge in zip(pages, edges, strict=True):
        for i, zone in edge.items():
            key = _furniture_key(page.lines[i].text)
            if key and key != "#":
                seen.setdefault((zone, key), []).append(page.lines[i])
    need = 3 if len(pages) >= 6 else 2
    repeated = {key: lines for key, lines in seen.items() if len(lines) >= need and not _numbered_run(lines)}
    usual = {key: _usual_place(lines) for key, lines in repeated.items()}
    out: set[tuple[int, int]] = set()
    for p, (page, edge) in enumerate(zip(pages, edges, strict=True)):
        for i, zone in edge.items():
            line = page.lines[i]
            key = (zone, _furniture_key(line.text))
            if (key in usual and _in_place(line, usual[key], page)) or _is_page_number(line.text, page):
                out.add((p, i))
    return out


_SECTION_NUMBER = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})+)\.?\s")


def _numbered_run(lines: list[Line]) -> bool:
    """Headings, not a running header: "5.4 Rationale", "6.4 Rationale", "10.4 Rationale" at the
    top of pages, each its own number (a header showing its section, "2.1 Go", repeats one)."""
    numbers = [_SECTION_NUMBER.match(line.text) for line in lines]
    return all(numbers) and len({m.group(1) for m in numbers if m}) == len(numbers)


def _usual_place(lines: list[Line]) -> tuple[float, float] | None:
    """Median top and size of a repeated line (None for text input)."""
    tops = sorted(line.top for line in lines if line.top is not None)
    sizes = sorted(line.size for line in lines if line.size)
    if not tops or not sizes:
        return None
    return tops[len(tops) // 2], sizes[len(sizes) // 2]


def _in_place(line: Line, place: tuple[float, float] | None, page: Page) -> bool:
    if place is None or line.top is None or not line.size:
        return True
    top, size = place
    return (
        abs(line.top - top) <= max(12.0, (page.height or 800.0) * 0.02)
        and abs(line.size - size) <= size * 0.15
    )
