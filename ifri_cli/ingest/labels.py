"""Printed page numbers read from the pages themselves, when the PDF has no /PageLabels.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ifri_cli.model import Page
from ifri_cli.text.patterns import PAGE_NUMBER_LINE, roman_value, to_roman

# compiled on first use (the re module keeps them): a cached run imports this module but
# never looks for page numbers
_HEADER_NUMBER = r"^(\d{1,4})\s{2,}\S|.*\S\s{2,}(\d{1,4})$|^(\d{1,4})\s*[|•·]\s|.*\s[|•·]\s*(\d{1,4})$"




def page_number_candidates(page: Page) -> list[str]:
    """Page-number-like lines at the top or bottom of a page (or its edges in a header)."""
    lines = [ln for ln in page.lines if ln.text.strip()]
    if not lines:
        return []
    if lines[0].top is not None:
        lines = sorted(lines, key=lambda ln: (ln.top or 0.0, ln.x0 or 0.0))
    edge = lines[:3] + lines[-3:]
    found = []
    for line in edge:
        text = re.sub(r"\s+", "", line.text) if len(line.text) <= 12 else line.text.strip()
        match = PAGE_NUMBER_LINE.match(text)
        if match:
            found.append(match.group(1))
        else:
            # a running header or footer ending or starting with the number: "Title | 12"
            m2 = re.match(_HEADER_NUMBER, line.text)
            if m2:
                found.append(next(g for g in m2.groups() if g))
    return found


def infer_labels(pages: tuple[Page, ...]) -> tuple[Page, ...]:
    """Give pages the printed number found on them, trusting only consistent runs.

    A number is believed when it agrees with the page's neighbours: the offset
    between printed and physical numbers must be shared by at least two pages
    (or be the only evidence in a short document). Pages between two pages with
    the same offset get the label the offset implies, so an unnumbered page in a
    run (a chapter opening) is still labelled.
    """
    candidates: dict[int, list[tuple[int, str]]] = {}  # physical -> possible (offset, style)
    for page in pages:
        for cand in page_number_candidates(page):
            if cand.isdigit():
                candidates.setdefault(page.number, []).append((page.number - int(cand), "arabic"))
            elif (value := roman_value(cand)) is not None:
                candidates.setdefault(page.number, []).append((page.number - value, "roman"))
    if not candidates:
        return pages
    votes: dict[tuple[int, str], int] = {}
    for keys in candidates.values():
        for key in set(keys):
            votes[key] = votes.get(key, 0) + 1
    trusted = {key for key, n in votes.items() if n >= 2 or (len(pages) <= 3 and n >= 1)}
    good: dict[int, tuple[int, str]] = {}
    offsets: dict[int, tuple[int, str]] = {}
    for num, keys in candidates.items():
        best = max(keys, key=lambda k: votes[k])
        offsets[num] = best
        if best in trusted:
            good[num] = best
    if not good:
        return pages
    numbers = sorted(good)
    labels: dict[int, str] = {}
    for i, num in enumerate(numbers):
        offset, style = good[num]
        labels[num] = _format(num - offset, style)
        if i + 1 < len(numbers) and good[numbers[i + 1]] == (offset, style):
            for gap in range(num + 1, numbers[i + 1]):
                labels[gap] = _format(gap - offset, style)
    # extend the last run to the end and the first run backwards, while the numbers stay positive
    last = numbers[-1]
    offset, style = good[last]
    for num in range(last + 1, len(pages) + 1):
        if offsets.get(num) and offsets[num] not in trusted:
            break
        labels[num] = _format(num - offset, style)
    return tuple(replace(p, label=labels.get(p.number, p.label)) for p in pages)


def _format(value: int, style: str) -> str:
    if style == "arabic":
        return str(value)
    return to_roman(value) if value > 0 else str(value)
