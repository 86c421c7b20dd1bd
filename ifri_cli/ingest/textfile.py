"""Text files: decoding, and pages split on form feeds or, without them, after page numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import AnyStr

from ifri_cli.errors import LimitExceeded
from ifri_cli.model import Line, Page
from ifri_cli.text.patterns import PAGE_NUMBER_LINE
from ifri_cli.text.safe import safe


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Decode a text file; the second value is a warning when it was not UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "decoded as UTF-16 (byte-order mark)"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return data.decode("latin-1"), "not valid UTF-8: decoded as Latin-1"


def text_pages(text: str, max_pages: int | None = None) -> tuple[Page, ...]:
    """Pages split on form feeds, as pdftotext writes them."""
    return _pages_of(_split_pages(text, "\f"), str, max_pages)


def _split_pages(text: AnyStr, feed: AnyStr) -> Iterator[AnyStr]:
    """The pieces of ``text`` between form feeds, one at a time (no list of copies of them all)."""
    start = 0
    while True:
        end = text.find(feed, start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


def _pages_of(
    chunks: Iterable[AnyStr], decode: Callable[[AnyStr], str], max_pages: int | None = None
) -> tuple[Page, ...]:
    pages: list[Page] = []
    last_blank = False
    for chunk in chunks:
        if max_pages is not None and len(pages) > max_pages:  # (one more: a last empty page goes)
            raise _too_many(max_pages)
        text = decode(chunk)
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = _text_lines(text)
        pages.append(Page(number=len(pages) + 1, label=None, lines=lines))
        last_blank = not text.strip()
    if len(pages) > 1 and last_blank:
        pages.pop()  # pdftotext ends the last page with a form feed too
    if max_pages is not None and len(pages) > max_pages:
        raise _too_many(max_pages)
    return tuple(pages)


def _too_many(max_pages: int) -> LimitExceeded:
    return LimitExceeded(
        f"this text has more than {max_pages:,} pages (form feeds)", hint="raise the limit with --max-pages"
    )


def _text_lines(text: str) -> tuple[Line, ...]:
    """The lines of a page of text, made safe to print; blank lines are dropped and marked on the
    line after them."""
    out: list[Line] = []
    blank = False
    for raw in text.split("\n"):
        if not raw.strip():
            blank = True
            continue
        out.append(Line(text=safe(raw.rstrip()), after_blank=blank and bool(out)))
        blank = False
    return tuple(out)


def text_file_pages(data: bytes, max_pages: int | None = None) -> tuple[tuple[Page, ...], str | None]:
    """The pages of a text file and a warning when it was not UTF-8 (see ``decode_text``).

    Each page is decoded on its own: the whole text is never held as one string, which
    would take up to four times the file's size (one emoji widens every character of it).
    More than ``max_pages`` pages raise ``LimitExceeded`` before they are all made.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: a form feed is two bytes there
        text, warning = decode_text(data)
        return text_pages(text, max_pages), warning
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if max_pages is not None and body.count(b"\f") >= max_pages:  # counted before any page is made
        count = body.count(b"\f") + (1 if body[body.rfind(b"\f") + 1 :].strip() else 0)
        if count > max_pages:
            raise LimitExceeded(
                f"this text has {count:,} pages (form feeds), more than the {max_pages:,} ifri reads",
                hint=f"raise the limit with --max-pages {count}",
            )
    try:
        return _pages_of(_split_pages(body, b"\f"), _strict_utf8, max_pages), None
    except UnicodeDecodeError:
        pass
    if data is body:
        pages = _pages_of(_split_pages(body, b"\f"), _latin1, max_pages)
        return pages, "not valid UTF-8: decoded as Latin-1"
    return _pages_of(_split_pages(body, b"\f"), _lenient_utf8, max_pages), None


def _strict_utf8(chunk: bytes) -> str:
    return chunk.decode("utf-8")


def _lenient_utf8(chunk: bytes) -> str:
    return chunk.decode("utf-8", errors="replace")


def _latin1(chunk: bytes) -> str:
    return chunk.decode("latin-1")


def split_at_page_numbers(page: Page, min_lines: int = 5, min_median: int = 15) -> tuple[Page, ...]:
    """Text without form feeds (copied, or from another extractor) still carries its page numbers.

    A run of at least three lines that are nothing but a page number ("12", "- 13 -", "Page 14"),
    each one more than the last (or two: a page without a number), standing alone, at least
    ``min_lines`` and usually ``min_median`` lines apart, marks where pages ended: the text is split
    after each. Runs may start again (front matter numbered apart, then 1). The pages are the paper's,
    so running headers and page numbers come off as they do from a PDF.
    """
    lines = page.lines
    chains: list[list[tuple[int, int]]] = []  # runs of (line index, printed number)
    open_chains: list[list[tuple[int, int]]] = []
    for i, line in enumerate(lines):
        if len(line.text) > 16 or not (line.after_blank or (i + 1 < len(lines) and lines[i + 1].after_blank)):
            continue
        match = PAGE_NUMBER_LINE.match(re.sub(r"\s+", " ", line.text.strip()))
        if not (match and match.group(1).isdigit()):
            continue
        value = int(match.group(1))
        open_chains = [c for c in open_chains if i - c[-1][0] <= 400]  # no page is that long
        fits = [c for c in open_chains if i - c[-1][0] >= min_lines and value - c[-1][1] in (1, 2)]
        if fits:
            max(fits, key=len).append((i, value))
        else:
            chain = [(i, value)]
            chains.append(chain)
            open_chains.append(chain)
    cuts: list[int] = []
    for chain in chains:
        gaps = sorted(b[0] - a[0] for a, b in zip(chain, chain[1:], strict=False))
        if len(chain) >= 3 and gaps[len(gaps) // 2] >= min_median:
            cuts.extend(i + 1 for i, _ in chain)
    if not cuts:
        return (page,)
    out: list[Page] = []
    start = 0
    for end in [*sorted(cuts), len(lines)]:
        chunk = lines[start:end]
        if chunk:
            chunk = (replace(chunk[0], after_blank=False), *chunk[1:])
            out.append(Page(number=len(out) + 1, label=None, lines=chunk))
        start = end
    return tuple(out)
