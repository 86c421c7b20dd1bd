"""Read a path or standard input and return a ``Document`` of pages of lines.

The kind of input is sniffed from its bytes (``%PDF-`` or text), never from the
file name. Printed page labels come from /PageLabels, else from page-number
lines found on the pages.
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, AnyStr

from ifri_cli.errors import BrokenPDF, InputError, NotADocument, NoTextLayer
from ifri_cli.model import Document, Line, Page

_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or a .docx/.epub)",
    b"\x1f\x8b": "a gzip archive",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file",
    b"7z\xbc\xaf": "a 7-zip archive",
    b"%!PS": "a PostScript file",
}

ProgressHook = Callable[[int, int], None]


def read_bytes(source: str | os.PathLike[str]) -> tuple[bytes, str | None]:
    """The raw bytes of ``source`` (``-`` for stdin) and its display path."""
    if str(source) == "-":
        try:
            return sys.stdin.buffer.read(), None
        except OSError as exc:
            raise InputError(f"standard input: cannot read ({exc.strerror or exc})") from None
    path = Path(source)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{source}: is a directory, not a document") from None
    except PermissionError:
        raise InputError(f"{source}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror or exc})") from None
    return data, str(source)


def sniff(data: bytes) -> str:
    """``pdf`` or ``text``; raise ``NotADocument`` for anything else."""
    if not data:
        raise InputError("the input is empty")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise NotADocument(f"this is {what}, not a PDF or a text file")
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return "text"
    head = data[:4096]
    if b"\x00" in head:
        raise NotADocument("this is binary data, not a PDF or a text file")
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if controls > len(head) * 0.05:
        raise NotADocument("this is binary data, not a PDF or a text file")
    return "text"


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


def text_pages(text: str) -> tuple[Page, ...]:
    """Pages split on form feeds, as pdftotext writes them."""
    return _pages_of(_split_pages(text, "\f"), str)


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


def _pages_of(chunks: Iterable[AnyStr], decode: Callable[[AnyStr], str]) -> tuple[Page, ...]:
    pages: list[Page] = []
    last_blank = False
    for chunk in chunks:
        text = decode(chunk)
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = _text_lines(text)
        pages.append(Page(number=len(pages) + 1, label=None, lines=lines))
        last_blank = not text.strip()
    if len(pages) > 1 and last_blank:
        pages.pop()  # pdftotext ends the last page with a form feed too
    return tuple(pages)


def _text_lines(text: str) -> tuple[Line, ...]:
    """The lines of a page of text; blank lines are dropped and marked on the line after them."""
    out: list[Line] = []
    blank = False
    for raw in text.split("\n"):
        if not raw.strip():
            blank = True
            continue
        out.append(Line(text=raw.rstrip(), after_blank=blank and bool(out)))
        blank = False
    return tuple(out)


def text_file_pages(data: bytes) -> tuple[tuple[Page, ...], str | None]:
    """The pages of a text file and a warning when it was not UTF-8 (see ``decode_text``).

    Each page is decoded on its own: the whole text is never held as one string, which
    would take up to four times the file's size (one emoji widens every character of it).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: a form feed is two bytes there
        text, warning = decode_text(data)
        return text_pages(text), warning
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return _pages_of(_split_pages(body, b"\f"), _strict_utf8), None
    except UnicodeDecodeError:
        pass
    if data is body:
        return _pages_of(_split_pages(body, b"\f"), _latin1), "not valid UTF-8: decoded as Latin-1"
    return _pages_of(_split_pages(body, b"\f"), _lenient_utf8), None


def _strict_utf8(chunk: bytes) -> str:
    return chunk.decode("utf-8")


def _lenient_utf8(chunk: bytes) -> str:
    return chunk.decode("utf-8", errors="replace")


def _latin1(chunk: bytes) -> str:
    return chunk.decode("latin-1")


def load(
    source: str | os.PathLike[str],
    *,
    password: str = "",
    progress: ProgressHook | None = None,
    jobs: int | None = None,
    page_time_limit: float | None = None,
) -> Document:
    data, path = read_bytes(source)
    return load_bytes(
        data, path, password=password, progress=progress, jobs=jobs, page_time_limit=page_time_limit
    )


def load_bytes(
    data: bytes,
    path: str | None,
    *,
    password: str = "",
    progress: ProgressHook | None = None,
    jobs: int | None = None,
    page_time_limit: float | None = None,
) -> Document:
    """A Document of raw pages. ``jobs``: processes laying out PDF pages (default: one per core).

    ``page_time_limit``: CPU seconds one PDF page may take before it is skipped with a warning
    (default ``$IFRI_PAGE_TIMEOUT`` or 30; 0 for none).
    """
    from ifri_cli.meta import read_metadata  # here: a cached run reads files but never parses them

    kind = sniff(data)
    if kind == "text":
        pages, warning = text_file_pages(data)
        if len(pages) == 1:
            pages = split_at_page_numbers(pages[0])
        pages = infer_labels(pages)
        if not any(page.lines for page in pages):
            raise InputError("the input has no text (only blank lines)")
        doc = Document(
            path=path,
            kind="text",
            metadata=read_metadata({}, pages),
            pages=pages,
            warnings=(warning,) if warning else (),
        )
        return doc
    limit = default_page_time_limit() if page_time_limit is None else page_time_limit
    return _load_pdf(data, path, password, progress, jobs or default_jobs(), limit or None)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))  # the cores this process may use, not the machine's
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def default_page_time_limit() -> float:
    try:
        return max(0.0, float(os.environ.get("IFRI_PAGE_TIMEOUT", DEFAULT_PAGE_TIME_LIMIT)))
    except ValueError:
        return DEFAULT_PAGE_TIME_LIMIT


def _load_pdf(
    data: bytes,
    path: str | None,
    password: str,
    progress: ProgressHook | None,
    jobs: int,
    limit: float | None,
) -> Document:
    from ifri_cli import _pdf
    from ifri_cli.meta import read_metadata

    opened = _pdf.open_pdf(data, password)
    if not opened.pages:
        raise NotADocument("this PDF has no pages")
    catalogue: list[_pdf.RawPDF] = []  # read while the workers lay out the pages
    read = read_pages(
        data,
        password,
        opened,
        jobs=jobs,
        time_limit=limit,
        progress=progress,
        meanwhile=lambda doc=opened: catalogue.append(_pdf.read_catalogue(doc)),
    )
    raw = catalogue[0] if catalogue else _pdf.read_catalogue(opened)  # (a pool that broke at once)
    warnings = list(raw.warnings)
    del opened  # the workers' copies are gone; let pdfminer's object cache go too
    pages = [page for page, _ in read]
    failed = {page.number for page, warning in read if warning}
    warnings.extend(_summarise([warning for _, warning in read if warning]))
    del read
    if raw.labels:
        pages = [replace(p, label=label) for p, label in zip(pages, raw.labels, strict=False)]
    else:
        pages = list(infer_labels(tuple(pages)))
    if not any(p.lines for p in pages):
        if failed:  # damaged, or too slow: not a scan, and OCR would not help
            others = " and the others have no text" if len(failed) < len(pages) else ""
            damaged = f"{len(failed)} of {len(pages)} pages could not be read{others}"
            raise BrokenPDF(f"no text could be read from this PDF: {damaged}")
        raise NoTextLayer(
            "this PDF has no text layer (a scan or images only)",
            hint="run OCR first, e.g. `ocrmypdf in.pdf out.pdf`",
        )
    empty = [p.number for p in pages if not p.lines and p.number not in failed]
    if empty and len(empty) > len(pages) // 2:
        warnings.append(f"{len(empty)} of {len(pages)} pages have no text (scanned?)")
    return Document(
        path=path,
        kind="pdf",
        metadata=read_metadata(raw.info, tuple(pages)),
        pages=tuple(pages),
        outline=raw.outline,
        has_page_labels=raw.labels is not None,
        warnings=tuple(warnings),
    )


def _summarise(page_warnings: list[str], keep: int = 3) -> list[str]:
    if len(page_warnings) <= keep + 1:
        return page_warnings
    more = len(page_warnings) - keep
    return page_warnings[:keep] + [f"{more} more pages could not be read and were skipped"]


# --- laying out pages, in parallel when it pays ----------------------------------------

DEFAULT_PAGE_TIME_LIMIT = 30.0
MIN_PAGES_PER_WORKER = 4  # below this, starting a process costs more than it saves
MAX_CHUNK = 8  # pages per task: small enough to balance the load and move the progress bar

PageResult = tuple[Page, "str | None"]


def read_pages(
    data: bytes,
    password: str,
    opened: Any,
    *,
    jobs: int = 1,
    time_limit: float | None = None,
    progress: ProgressHook | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> list[PageResult]:
    """Every page of an opened PDF with its warning, in order; identical whatever ``jobs`` is.

    ``meanwhile`` is called in this process once the workers have started (first when there
    are none): other work on the same document, done while they read.
    """
    from ifri_cli import _pdf

    total = len(opened.pages)
    workers = min(jobs, total // MIN_PAGES_PER_WORKER)
    if workers > 1 and not _in_daemon_process():
        return _read_in_workers(data, password, opened, workers, time_limit, progress, meanwhile)
    if meanwhile:
        meanwhile()
    out: list[PageResult] = []
    for item in _pdf.PageReader(opened, time_limit).read():
        out.append(item)
        if progress:
            progress(len(out), total)
    return out


def _in_daemon_process() -> bool:
    """A daemonic process (a multiprocessing.Pool worker calling ifri) may not start children."""
    import multiprocessing

    return bool(multiprocessing.current_process().daemon)


def _read_in_workers(
    data: bytes,
    password: str,
    opened: Any,
    workers: int,
    time_limit: float | None,
    progress: ProgressHook | None,
    meanwhile: Callable[[], object] | None = None,
) -> list[PageResult]:
    """Contiguous page ranges spread over processes.

    When a worker dies (a page that crashes it or exhausts memory) or stops answering, the
    pages not yet read are read again one at a time by a single worker until the page at
    fault is found: only that page is lost.
    """
    total = len(opened.pages)
    todo = _tasks(list(range(total)), workers)
    results: dict[int, list[PageResult]] = {}
    isolating = False
    while todo:
        count = 1 if isolating else workers
        unfinished = _pool_pass(
            data, password, opened, todo, count, time_limit, results, progress, meanwhile, isolating
        )
        meanwhile = None
        if not unfinished:
            break
        left = [i for a, b in unfinished for i in range(a, b)]
        if isolating:  # one worker, one page per task, in order: the first page not done is at fault
            culprit = left.pop(0)
            results[culprit] = [
                (Page(culprit + 1, None, ()), f"page {culprit + 1} stopped the PDF reader and was skipped")
            ]
            todo, isolating = _tasks(left, workers), False
        else:
            todo, isolating = [(i, i + 1) for i in left], True
    return [item for start in sorted(results) for item in results[start]]


def _tasks(indices: list[int], workers: int) -> list[tuple[int, int]]:
    """Runs of consecutive page indices, long first and single pages at the end.

    (Guided scheduling: few tasks to send, yet the workers run out of work together, so no
    core waits long for the last page.)
    """
    out: list[tuple[int, int]] = []
    size = 0
    for n, i in enumerate(indices):
        if out and out[-1][1] == i and out[-1][1] - out[-1][0] < size:
            out[-1] = (out[-1][0], i + 1)
        else:
            size = max(1, min(MAX_CHUNK, math.ceil((len(indices) - n) / (workers * 4))))
            out.append((i, i + 1))
    return out


def _pool_pass(
    data: bytes,
    password: str,
    opened: Any,
    todo: list[tuple[int, int]],
    workers: int,
    time_limit: float | None,
    results: dict[int, list[PageResult]],
    progress: ProgressHook | None,
    meanwhile: Callable[[], object] | None = None,
    one_at_a_time: bool = False,
) -> list[tuple[int, int]]:
    """Read ``todo`` in a pool; return the ranges left unread when the pool broke or stalled.

    ``one_at_a_time``: a task is sent only when the one before has answered. When a worker dies,
    the pool fails every task it has not yet delivered, even one whose answer was on its way:
    with one task in flight, the task left unread is the one that killed it.
    """
    import multiprocessing
    import secrets
    import threading
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    from ifri_cli import _pdf

    total = len(opened.pages)
    # fork lets the workers start without importing pdfminer or parsing the file again, but
    # forking a process with other threads can deadlock: then start them afresh
    fork = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    token = secrets.token_hex(8)
    _pdf.share_with_forked_workers(token, opened if fork else None)
    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork" if fork else "spawn"),
        initializer=_pdf.init_worker,
        initargs=(token, data, password, time_limit, _pdf._VERBOSE[0], os.getpid()),
    )
    # with a time limit per page, a task that answers far later than its pages allow is stuck
    # somewhere a signal cannot reach (inside C code)
    stall = None if time_limit is None else max(b - a for a, b in todo) * time_limit + 30
    pending: dict[Any, tuple[int, int]] = {}
    waiting = list(reversed(todo))
    in_flight = 1 if one_at_a_time else len(todo)

    def send() -> None:
        while waiting and len(pending) < in_flight:
            a, b = waiting.pop()
            pending[executor.submit(_pdf.worker_read, a, b)] = (a, b)

    try:
        send()
        if meanwhile:
            meanwhile()
        while pending:
            done, _ = wait(pending, timeout=stall, return_when=FIRST_COMPLETED)
            if not done:
                break
            for future in done:
                results[pending[future][0]] = future.result()
                del pending[future]
            send()
            if progress:
                progress(sum(len(r) for r in results.values()), total)
    except BrokenProcessPool:
        pass
    except BaseException:
        _stop(executor)
        raise
    finally:
        _pdf.share_with_forked_workers(token, None)
    unfinished = [(a, b) for a, b in todo if a not in results]
    if unfinished:
        _stop(executor)
    else:
        executor.shutdown(wait=True)
    return unfinished


def _stop(executor: Any) -> None:
    """Stop the workers now, even one stuck in a page (shutdown alone would wait for it)."""
    kill = getattr(executor, "kill_workers", None)  # Python 3.14+
    if kill is not None:
        kill()
    else:
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            process.kill()
    # and wait for the pool's own threads, so that the next pool may fork again
    executor.shutdown(wait=True, cancel_futures=True)


# --- printed page numbers -----------------------------------------------------------

# compiled on first use (the re module keeps them): a cached run imports this module but
# never looks for page numbers
_ROMAN = r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$"
_HEADER_NUMBER = r"^(\d{1,4})\s{2,}\S|.*\S\s{2,}(\d{1,4})$|^(\d{1,4})\s*[|•·]\s|.*\s[|•·]\s*(\d{1,4})$"
_PAGE_LINE = r"^(?:[-–—]\s*)?(?:page\s+|p\.\s*)?(\d{1,4}|[ivxlc]{1,7})(?:\s*[-–—])?(?:\s*(?:/|of)\s*\d+)?$"


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
        match = re.match(_PAGE_LINE, re.sub(r"\s+", " ", line.text.strip()), re.I)
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


def roman_to_int(text: str) -> int | None:
    if not text or not re.match(_ROMAN, text, re.I):
        return None
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total = 0
    text = text.lower()
    for i, ch in enumerate(text):
        value = values[ch]
        if i + 1 < len(text) and values[text[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


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
        match = re.match(_PAGE_LINE, text, re.I)
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
            elif (value := roman_to_int(cand)) is not None:
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
    return _to_roman(value) if value > 0 else str(value)


def _to_roman(value: int) -> str:
    out = []
    for number, numeral in (
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while value >= number:
            out.append(numeral)
            value -= number
    return "".join(out)
