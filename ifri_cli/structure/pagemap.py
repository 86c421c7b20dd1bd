"""Printed page numbers to PDF pages: through the page labels, an offset, or where the titles are.

Page labels can lie: a PDF's /PageLabels may disagree with the numbers printed on its pages
(a standards document whose labels count the cover pages). So the mapping is verified: each
candidate (the labels as given, the numbers printed in the page furniture, the offsets at which
the titles are found as headings) maps the entries, and the one under which the most titles
are found on or next to the page they point to is kept. The labels as given win a tie.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

from ifri_cli.model import Document, Page, TocEntry
from ifri_cli.text.fold import fold_letters
from ifri_cli.text.patterns import page_value

Labels = tuple[str | None, ...]  # a printed label for each physical page, first page first

# what each candidate mapping is called in ``--explain``, ``ifri info`` and ``extra["page_mapping"]``
PAGE_LABELS = "page labels"  # the PDF's /PageLabels
PRINTED = "printed numbers"  # the numbers printed in the page furniture
HEADINGS = "offset from headings"  # where the titles are found as headings, a constant offset per part

# the ``how`` counter's key for entries mapped through each candidate other than the first
_HOW = {PAGE_LABELS: "labels", PRINTED: "printed", HEADINGS: "headings", None: "labels"}


@dataclass(frozen=True)
class PageMapping:
    """The mapping kept, how each entry was placed, and what the candidates scored."""

    name: str | None  # PAGE_LABELS, PRINTED, HEADINGS; None when the pages carry no numbers at all
    entries: tuple[TocEntry, ...]
    how: Counter[str]
    scores: tuple[tuple[str, int], ...] = ()  # (candidate, titles found where it points), tried ones
    checked: int = 0  # the entries a score can count (a printed page, a title long enough)


def _map(
    doc: Document, entries: Sequence[TocEntry], skipped: set[int]
) -> tuple[list[TocEntry], Counter[str]]:
    found = choose_mapping(doc, entries, skipped)
    return list(found.entries), found.how


def choose_mapping(doc: Document, entries: Sequence[TocEntry], skipped: set[int]) -> PageMapping:
    """Map ``entries`` under each candidate labelling and keep the one that puts the most titles
    where they are; another beats the labels as given only by a clear margin."""
    pages = doc.body
    keys = [fold_letters(e.title)[:40] for e in entries]
    texts: dict[int, str] = {}

    def on(number: int, key: str) -> bool:
        if number in skipped or not 1 <= number <= len(pages):
            return False
        if number not in texts:
            texts[number] = fold_letters(pages[number - 1].text)
        return key in texts[number]

    def score(mapped: Sequence[TocEntry]) -> int:
        return sum(
            1
            for entry, key in zip(mapped, keys, strict=True)
            if entry.pdf_page and len(key) >= 4 and any(on(entry.pdf_page + k, key) for k in (0, 1, -1))
        )

    candidates = _candidates(doc, entries, keys, skipped)
    best: tuple[str | None, list[TocEntry], Counter[str], set[int]] | None = None
    best_score, scores = -1, []
    checked = sum(
        1 for e, key in zip(entries, keys, strict=True) if page_value(e.page) is not None and len(key) >= 4
    )
    margin = max(2, checked // 10)
    for i, (name, labels) in enumerate(candidates):
        outside = past_the_end(doc, entries, labels)
        mapped, how = _through_labels(pages, labels, entries, skipped, outside, _HOW[name])
        n = score(mapped)
        scores.append((name or "none", n))
        if best is None or n >= best_score + margin:
            best, best_score = (name, mapped, how, outside), n
        if i == 0 and n == checked:
            break  # every title is where the labels say: nothing to verify
    assert best is not None
    name, out, how, outside = best
    how["moved"], how["title"] = _check_in_body(pages, out, skipped, outside)
    how["outside"] = len(outside)
    how["unmapped"] = sum(1 for e in out if e.pdf_page is None) - len(outside)
    return PageMapping(name, tuple(out), how, tuple(scores), checked)


def _candidates(
    doc: Document, entries: Sequence[TocEntry], keys: Sequence[str], skipped: set[int]
) -> list[tuple[str | None, Labels]]:
    """The labellings to try, the labels as given first."""
    given: Labels = tuple(p.label for p in doc.body)
    first = PAGE_LABELS if doc.has_page_labels else PRINTED if any(given) else None
    out: list[tuple[str | None, Labels]] = [(first, given)]
    if not any(page_value(e.page) is not None for e in entries):
        return out
    if doc.has_page_labels:
        printed = printed_labels(doc)
        if any(printed) and printed != given:
            out.append((PRINTED, printed))
    offsets = _offsets_from_headings(doc, entries, keys, skipped)
    if offsets is not None and offsets not in (labels for _, labels in out):
        out.append((HEADINGS, offsets))
    return out


def printed_labels(doc: Document) -> Labels:
    """The numbers printed on the pages (running headers and footers), whatever /PageLabels say."""
    from ifri_cli.ingest.labels import infer_labels

    raw = doc.pages

    def read() -> Labels:
        bare = tuple(replace(p, label=None) for p in raw)
        return tuple(p.label for p in infer_labels(bare))

    return doc.derived("pagemap.printed_labels", raw, read)


def _heading_lines(doc: Document) -> dict[str, list[tuple[int, str]]]:
    """Every line of the body, folded, by its first five letters: (physical page, folded line).
    A heading that matches a title of eight letters or more (``_same_heading``) shares them."""
    pages = doc.body

    def index() -> dict[str, list[tuple[int, str]]]:
        out: dict[str, list[tuple[int, str]]] = {}
        for page in pages:
            for line in page.lines:
                text = fold_letters(line.text)
                if len(text) >= 5:
                    out.setdefault(text[:5], []).append((page.number, text))
        return out

    return doc.derived("pagemap.heading_lines", pages, index)


def _offsets_from_headings(
    doc: Document, entries: Sequence[TocEntry], keys: Sequence[str], skipped: set[int]
) -> Labels | None:
    """Arabic labels from the offsets (physical - printed) at which the titles are headings.

    Each title long enough to tell is looked for as a heading line; one found on one to three
    pages votes for the offsets they imply. Walking the entries in order, an offset holds until
    two entries in a row agree on another (a part or annex numbered apart): every page from the
    first heading of a run on is labelled with that run's offset. ``None`` without two agreeing
    entries.
    """
    lines = _heading_lines(doc)
    given = [p.label for p in doc.body]
    count = len(given)
    found: list[tuple[int, set[int]]] = []  # (physical page of the heading, offsets) in entry order
    for entry, key in zip(entries, keys, strict=True):
        value = page_value(entry.page)
        if value is None or not (entry.page or "").strip().isdigit() or len(key) < 8:
            continue
        # the heading may carry the entry's number in words: "Annex A Informative examples"
        spelled = fold_letters(f"{entry.number or ''} {entry.title}")[:40]
        hits = sorted(
            {
                n
                for k in {key, spelled}
                for n, text in lines.get(k[:5], ())
                if n not in skipped and _same_heading(text, k)
            }
        )
        if 1 <= len(hits) <= 3:
            found.append((min(hits), {n - value for n in hits}))
    runs: list[tuple[int, int]] = []  # (first physical page, offset)
    current: int | None = None
    for i, (page, offsets) in enumerate(found):
        if current in offsets:
            continue
        following = found[i + 1][1] if i + 1 < len(found) else set()
        shared = offsets & following
        if shared:
            current = min(shared, key=abs)
            runs.append((page, current))
    if not runs:
        return None
    labels: list[str | None] = []
    run = 0
    for n in range(1, count + 1):
        while run + 1 < len(runs) and runs[run + 1][0] <= n:
            run += 1
        value = n - runs[run][1]
        if value >= 1:
            labels.append(str(value))
        else:  # front matter before the first part: its roman labels, if it has them
            label = given[n - 1]
            labels.append(label if label and not label.strip().isdigit() else None)
    return tuple(labels)


def _through_labels(
    pages: Sequence[Page],
    labels: Labels,
    entries: Sequence[TocEntry],
    skipped: set[int],
    outside: set[int],
    by: str,
) -> tuple[list[TocEntry], Counter[str]]:
    how: Counter[str] = Counter()
    by_label: dict[str, list[int]] = {}
    for number, label in enumerate(labels, 1):
        if label and number not in skipped:
            by_label.setdefault(label.strip().lower(), []).append(number)
    samples = _label_offsets(labels, skipped)
    out: list[TocEntry] = []
    previous = 0
    for i, entry in enumerate(entries):
        key = (entry.page or "").strip().lower()
        candidates = [n for n in by_label.get(key, []) if n >= previous] or by_label.get(key, [])
        pdf_page = None
        if i in outside:
            pass
        elif candidates:
            pdf_page = _showing_title(pages, candidates, entry.title)
            how[by] += 1
        elif (value := page_value(key)) is not None and samples[key.isdigit()]:
            guess = value + _nearest_offset(samples[key.isdigit()], value)
            if 1 <= guess <= len(pages):
                pdf_page = guess
                how["offset"] += 1
        previous = pdf_page or previous
        out.append(replace(entry, pdf_page=pdf_page))
    return out, how


def past_the_end(doc: Document, entries: Sequence[TocEntry], labels: Labels | None = None) -> set[int]:
    """Indexes of the entries whose printed page comes after the last page of this document: an
    extract's contents lists the whole study. Their headings are not to be looked for here.
    ``labels``: the labelling the entries are mapped through (default: the pages' own)."""
    pages = doc.body
    samples = _label_offsets(tuple(p.label for p in pages) if labels is None else labels, set())
    out = set()
    for i, entry in enumerate(entries):
        key = (entry.page or "").strip().lower()
        value = page_value(key)
        style = samples[key.isdigit()]
        if value is not None and style and value > max(v for v, _off in style):
            if value + _nearest_offset(style, value) > len(pages):
                out.add(i)
    return out


def _showing_title(pages: Sequence[Page], candidates: Sequence[int], title: str) -> int:
    """Of several pages with the same label, the first that shows the title."""
    target = fold_letters(title)[:40]
    if len(candidates) > 1 and target:
        for number in candidates:
            if target in fold_letters(pages[number - 1].text):
                return number
    return candidates[0]


def _label_offsets(labels: Labels, skipped: set[int]) -> dict[bool, list[tuple[int, int]]]:
    """(printed value, physical - printed) of every labelled page, arabic (True) and roman apart."""
    out: dict[bool, list[tuple[int, int]]] = {True: [], False: []}
    for number, label in enumerate(labels, 1):
        value = page_value(label)
        if value is not None and number not in skipped:
            out[(label or "").strip().isdigit()].append((value, number - value))
    return out


def _nearest_offset(samples: Sequence[tuple[int, int]], value: int) -> int:
    below = [s for s in samples if s[0] <= value]
    return (max(below) if below else min(samples))[1]


def _check_in_body(
    pages: Sequence[Page], out: list[TocEntry], skipped: set[int], outside: Collection[int] = ()
) -> tuple[int, int]:
    """Correct and complete the mapping from where the titles are in the body (in place).

    A contents page can be off by a page (made before a page was inserted): entries whose
    heading is on the next page move there, all of them when most do. Entries still
    unmapped take the printed-to-physical offset that found titles agree on, and entries
    without a page number go where their heading is between their neighbours.
    Entries in ``outside`` (printed pages past the document's last) are never placed: a
    heading of the same name in this extract is not theirs. Returns (moved, placed).
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

    keys = [("" if i in outside else fold_letters(e.title)[:40]) for i, e in enumerate(out)]
    moved = _shift_to_headings(out, keys, on, heading_on, len(pages))
    placed = _place_by_offset(out, keys, on, len(pages), outside)
    return moved, placed + _place_between(out, keys, heading_on, len(pages))


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


def _place_by_offset(
    out: list[TocEntry], keys: Sequence[str], on: _Finder, count: int, outside: Collection[int]
) -> int:
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
        if entry.pdf_page is not None or value is None or i in outside:
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
