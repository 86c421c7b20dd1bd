"""Read a path or standard input and return a ``Document`` of pages of lines.

The kind of input is sniffed from its bytes (``%PDF-`` or text), never from the
file name. Printed page labels come from /PageLabels, else from page-number
lines found on the pages.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ifri_cli.errors import InputError, NoTextLayer, NotADocument
from ifri_cli.meta import read_metadata
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
        return sys.stdin.buffer.read(), None
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
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    chunks = text.split("\f")
    if len(chunks) > 1 and not chunks[-1].strip():
        chunks.pop()  # pdftotext ends the last page with a form feed too
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        lines = tuple(Line(text=t.rstrip()) for t in chunk.split("\n") if t.strip())
        pages.append(Page(number=number, label=None, lines=lines))
    return tuple(pages)


def load(
    source: str | os.PathLike[str],
    *,
    password: str = "",
    progress: ProgressHook | None = None,
) -> Document:
    data, path = read_bytes(source)
    return load_bytes(data, path, password=password, progress=progress)


def load_bytes(
    data: bytes,
    path: str | None,
    *,
    password: str = "",
    progress: ProgressHook | None = None,
) -> Document:
    kind = sniff(data)
    if kind == "text":
        text, warning = decode_text(data)
        pages = infer_labels(text_pages(text))
        doc = Document(
            path=path,
            kind="text",
            metadata=read_metadata({}, pages),
            pages=pages,
            warnings=(warning,) if warning else (),
        )
        return doc
    return _load_pdf(data, path, password, progress)


def _load_pdf(data: bytes, path: str | None, password: str, progress: ProgressHook | None) -> Document:
    from ifri_cli import _pdf

    raw = _pdf.read_catalogue(data, password)
    warnings = list(raw.warnings)
    if raw.page_count == 0:
        raise NotADocument("this PDF has no pages")
    pages = []
    for page in _pdf.layout_pages(data, password):
        pages.append(page)
        if progress:
            progress(len(pages), raw.page_count)
    if raw.labels:
        pages = [replace(p, label=label) for p, label in zip(pages, raw.labels, strict=False)]
    else:
        pages = list(infer_labels(tuple(pages)))
    if not any(p.lines for p in pages):
        raise NoTextLayer(
            "this PDF has no text layer (a scan or images only)",
            hint="run OCR first, e.g. `ocrmypdf in.pdf out.pdf`",
        )
    empty = [p.number for p in pages if not p.lines]
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


# --- printed page numbers -----------------------------------------------------------

_ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.I)
_PAGE_LINE = re.compile(
    r"^(?:[-–—]\s*)?(?:page\s+|p\.\s*)?(\d{1,4}|[ivxlc]{1,7})(?:\s*[-–—])?(?:\s*(?:/|of)\s*\d+)?$",
    re.I,
)


def roman_to_int(text: str) -> int | None:
    if not text or not _ROMAN.match(text):
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
        match = _PAGE_LINE.match(text)
        if match:
            found.append(match.group(1))
        else:
            # a running header or footer ending or starting with the number: "Title | 12"
            m2 = re.match(r"^(\d{1,4})\s{2,}\S|.*\S\s{2,}(\d{1,4})$|^(\d{1,4})\s*[|•·]\s|.*\s[|•·]\s*(\d{1,4})$", line.text)
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
        (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):
        while value >= number:
            out.append(numeral)
            value -= number
    return "".join(out)
