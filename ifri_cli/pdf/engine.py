"""Everything that touches pdfminer.six lives here, and pdfminer is imported lazily.

The rest of ifri sees only ``model`` objects: pages of lines with font size,
weight and position, the outline with destinations resolved to physical pages,
and the /PageLabels when the PDF has them.
"""

from __future__ import annotations

import functools
import io
import re
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ifri_cli.errors import BrokenPDF, EncryptedPDF, IfriError, LimitExceeded
from ifri_cli.model import Line, OutlineItem, Page
from ifri_cli.pdf import limits
from ifri_cli.pdf.glyphs import unmapped

_BOLD = r"bold|black|heavy|semibold|demi|-medi|cmbx|cmb\d|-bd\b|,bd\b|bd$"


_ITALIC = r"italic|oblique|-it\b|cmti|cmsl|-ital"


@dataclass
class RawPDF:
    """What the document catalogue tells without laying out any page."""

    info: dict[str, str]
    page_count: int
    outline: tuple[OutlineItem, ...]
    labels: tuple[str, ...] | None
    warnings: list[str]


@dataclass
class OpenedPDF:
    """A parsed cross-reference table and page tree, ready for reading pages."""

    doc: Any
    pages: list[Any]
    warnings: list[str]  # how the file had to be repaired to be read


def open_pdf(data: bytes, password: str = "", max_pages: int | None = None) -> OpenedPDF:
    """Parse the cross-reference table and the page tree (from a salvaged copy if need be).

    More than ``max_pages`` pages (default ``$IFRI_MAX_PAGES`` or 20,000) raise ``LimitExceeded``.
    """
    doc, pages = _open(data, password, max_pages or limits.default_max_pages())
    return OpenedPDF(doc, pages, _repair_warnings(doc, data, len(pages)))


def _open(data: bytes, password: str, max_pages: int) -> tuple[Any, list[Any]]:
    """The pdfminer document and its pages; a damaged file is read from a salvaged copy if it must."""
    try:
        doc, pages = _open_as_is(data, password, max_pages)
    except BrokenPDF as exc:
        salvaged = _open_salvaged(data, password, max_pages)
        if salvaged is None:
            raise _explained(exc, data) from None
        return salvaged
    if not pages:
        # a cross-reference table that points at the wrong offsets reads as a PDF without pages
        return _open_salvaged(data, password, max_pages) or (doc, pages)
    return doc, pages


def _open_as_is(data: bytes, password: str, max_pages: int) -> tuple[Any, list[Any]]:
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser

    try:
        with limits.bounded():
            parser = PDFParser(io.BytesIO(data))
            doc = PDFDocument(parser, password=password)
            pages = limits.page_objects(doc, max_pages)
    except limits.TooManyPages as exc:
        raise _too_many_pages(exc) from None
    except limits.StreamTooLarge as exc:
        raise LimitExceeded(
            f"this PDF cannot be read: {exc} (a decompression bomb?)",
            hint="if the file is genuine, raise the limit with IFRI_MAX_STREAM_MB",
        ) from None
    except IfriError:
        raise
    except PDFPasswordIncorrect:
        if password:
            raise EncryptedPDF("the password is wrong for this encrypted PDF") from None
        raise EncryptedPDF(
            "this PDF is encrypted and needs a password", hint="give it with --password"
        ) from None
    except PDFEncryptionError as exc:
        raise EncryptedPDF(
            f"this PDF's encryption is damaged or not supported (pdfminer: {_short(exc)})"
        ) from None
    except Exception as exc:  # noqa: BLE001 - pdfminer fails on damaged files with any kind of error
        detail = _short(exc)
        raise BrokenPDF(
            f"this PDF is damaged and cannot be read (pdfminer: {detail})",
            hint="a repair tool may recover it, e.g. `qpdf in.pdf fixed.pdf`",
        ) from None
    return doc, pages


def _short(exc: BaseException) -> str:
    """pdfminer's own words, on one line, short (they may hold a whole dictionary) and with what
    is not printable escaped (they may quote the file)."""
    words = " ".join(str(exc).split())[:80]
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in words) or type(exc).__name__


def _too_many_pages(exc: limits.TooManyPages) -> LimitExceeded:
    if exc.claimed:
        return LimitExceeded(
            f"this PDF has {exc.claimed:,} pages, more than the {exc.limit:,} ifri reads",
            hint=f"raise the limit with --max-pages {exc.claimed}",
        )
    return LimitExceeded(
        f"this PDF has more than {exc.limit:,} pages", hint="raise the limit with --max-pages"
    )


def _explained(exc: BrokenPDF, data: bytes) -> BrokenPDF:
    if _truncated(data):
        return BrokenPDF(
            "this PDF is truncated (it stops before its end marker) and no page could be recovered",
            hint="download or copy it again",
        )
    return exc


def _truncated(data: bytes) -> bool:
    return b"%%EOF" not in data[-2048:]


_OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")


_CATALOG = re.compile(rb"(\d+)\s+(\d+)\s+obj\s*<<(?:(?!endobj).){0,2000}?/Type\s*/Catalog\b", re.S)


def _salvage(data: bytes, catalog: bool) -> bytes | None:
    """A copy of a damaged PDF that pdfminer reads by scanning its objects.

    It ends after the last complete object (a truncated file ends inside one),
    has no ``startxref`` (so the damaged cross-reference table is not used) and a
    trailer naming the catalog: the file's own, or an empty one, which makes
    pdfminer look for the pages among all objects.
    """
    if b"/Encrypt" in data:
        return None  # the keys live in the trailer we would replace
    end = data.rfind(b"endobj")
    if end < 0:
        return None
    body = data[: end + len(b"endobj")].replace(b"startxref", b"startxre_")
    if catalog:
        catalogs = list(_CATALOG.finditer(body))
        if not catalogs:
            return None
        found = catalogs[-1]  # the newest, after incremental updates
        root = b"%s %s R" % (found.group(1), found.group(2))
    else:
        objid = max((int(m.group(1)) for m in _OBJ.finditer(body)), default=0) + 1
        body += b"\n%d 0 obj\n<< /Type /Catalog >>\nendobj" % objid
        root = b"%d 0 R" % objid
    return body + b"\ntrailer\n<< /Root " + root + b" >>\n%%EOF\n"


def _open_salvaged(data: bytes, password: str, max_pages: int) -> tuple[Any, list[Any]] | None:
    for catalog in (True, False):
        copy = _salvage(data, catalog)
        if copy is None:
            continue
        try:
            doc, pages = _open_as_is(copy, password, max_pages)
        except BrokenPDF:
            continue
        if pages:
            doc.ifri_salvaged = True  # read_catalogue turns this into a warning
            return doc, pages
    return None


def _repair_warnings(doc: Any, data: bytes, page_count: int) -> list[str]:
    from pdfminer.pdfdocument import PDFXRefFallback

    if not getattr(doc, "ifri_salvaged", False) and not any(
        isinstance(xref, PDFXRefFallback) for xref in doc.xrefs
    ):
        return []
    if _truncated(data):
        return [f"this PDF is truncated: only what comes before the cut was read ({page_count} pages found)"]
    return [f"this PDF's cross-reference table is damaged: {page_count} pages recovered by scanning the file"]


def read_catalogue(data: bytes | OpenedPDF, password: str = "") -> RawPDF:
    """Metadata, outline and page labels: no page is laid out."""
    opened = data if isinstance(data, OpenedPDF) else open_pdf(data, password)
    doc, pages = opened.doc, opened.pages
    warnings = list(opened.warnings)
    with limits.bounded():
        return RawPDF(
            info=_info(doc),
            page_count=len(pages),
            outline=_outline(doc, pages, warnings),
            labels=_labels(doc, len(pages), warnings),
            warnings=warnings,
        )


def _decode(value: Any) -> str:
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral
    from pdfminer.utils import decode_text

    value = resolve1(value)
    if isinstance(value, bytes):
        return decode_text(value).replace("\x00", "").strip()
    if isinstance(value, PSLiteral):
        return str(value.name)
    return str(value).strip() if value is not None else ""


def _info(doc: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for info in getattr(doc, "info", []) or []:
        try:
            for key, value in info.items():
                text = _decode(value)
                if text:
                    out[str(key)] = text[: limits.MAX_INFO]
        except (Exception, limits.StreamTooLarge):  # noqa: BLE001 - a broken /Info dict must not stop the read
            continue
    return out


def _labels(doc: Any, count: int, warnings: list[str]) -> tuple[str, ...] | None:
    from pdfminer.pdfdocument import PDFNoPageLabels

    try:
        if not limits.labels_within_limits(doc):
            warnings.append("the PDF's page labels have a prefix of thousands of characters: ignored")
            return None
        labels = []
        for label in doc.get_page_labels():
            labels.append(str(label)[: limits.MAX_LABEL])
            if len(labels) >= count:
                break
    except PDFNoPageLabels:
        return None
    except (Exception, limits.StreamTooLarge):  # noqa: BLE001 - malformed /PageLabels: behave as if absent
        return None
    return tuple(labels) if len(labels) == count else None


def _outline(doc: Any, pages: list[Any], warnings: list[str]) -> tuple[OutlineItem, ...]:
    from pdfminer.pdfdocument import PDFNoOutlines
    from pdfminer.pdftypes import PDFObjRef, resolve1

    page_index = {page.pageid: i + 1 for i, page in enumerate(pages)}

    def resolve_dest(dest: Any, depth: int = 0) -> int | None:
        if depth > 5:
            return None
        dest = resolve1(dest)
        if isinstance(dest, (bytes, str)) or type(dest).__name__ == "PSLiteral":
            name = dest.name if type(dest).__name__ == "PSLiteral" else dest
            try:
                return resolve_dest(doc.get_dest(name), depth + 1)
            except Exception:  # noqa: BLE001 - a dangling named destination
                return None
        if isinstance(dest, dict):
            return resolve_dest(dest.get("D"), depth + 1)
        if isinstance(dest, list) and dest:
            target = dest[0]
            if isinstance(target, PDFObjRef):
                return page_index.get(target.objid)
            if isinstance(target, int) and 0 <= target < len(pages):
                return target + 1  # remote-style destinations count from 0
        return None

    items: list[OutlineItem] = []
    try:
        for level, title, dest, action in limits.outline_entries(doc):
            if dest is None and action is not None:
                action = resolve1(action)
                dest = action.get("D") if isinstance(action, dict) else None
            title_text = _decode(title)[: limits.MAX_INFO] if title is not None else ""
            title_text = re.sub(r"\s+", " ", title_text).strip()
            if not title_text:
                continue
            items.append(OutlineItem(title_text, max(1, int(level)), resolve_dest(dest)))
    except PDFNoOutlines:
        return ()
    except limits.OutlineLoop:
        warnings.append(f"the PDF outline loops back on itself: each entry read once ({len(items)} entries)")
    except limits.OutlineTooLong:
        most = f"{limits.MAX_OUTLINE_ENTRIES:,}"
        warnings.append(f"the PDF outline has more than {most} entries: the rest is ignored")
    except (Exception, limits.StreamTooLarge) as exc:  # noqa: BLE001 - a broken outline is reported, not fatal
        warnings.append(
            f"the PDF outline is damaged ({type(exc).__name__}); ignored after entry {len(items)}"
        )
    return tuple(items)


def _laparams() -> Any:
    from pdfminer.layout import LAParams

    return LAParams(all_texts=True)


class PageTimeout(BaseException):
    """Raised by SIGPROF in a page that takes too long.

    A BaseException so that pdfminer's own ``except Exception`` blocks cannot swallow it.
    """


def _on_alarm(_signum: int, _frame: Any) -> None:
    raise PageTimeout


def can_time_pages() -> bool:
    """The timer's signal interrupts only the main thread, and setitimer is not on Windows."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


class PageReader:
    """An opened PDF laying out one page at a time, each under an optional time limit.

    One per process: it keeps pdfminer's font cache warm across the pages it reads. A page that
    fails or takes too long comes back empty, with a warning. The PDFium engine's reader is this
    one with its own ``_layout`` and ``_recover``.
    """

    def __init__(self, opened: OpenedPDF, time_limit: float | None = None) -> None:
        self.opened = opened
        self.time_limit = time_limit if time_limit and can_time_pages() else None
        self._recover()

    def _recover(self) -> None:
        """Get ready for the next page: before the first, and after a page that failed."""
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager

        # a page interrupted halfway leaves the device's figure stack dirty: start over after a failure
        if not hasattr(self, "manager"):
            self.manager = PDFResourceManager(caching=True)
        self.device = limits.text_device(self.manager, _laparams())
        self.interpreter = PDFPageInterpreter(self.manager, self.device)

    @property
    def page_count(self) -> int:
        return len(self.opened.pages)

    def read(self, start: int = 0, stop: int | None = None) -> Iterator[tuple[Page, str | None]]:
        """Pages ``start``..``stop`` (0-based), each with a warning when it could not be read."""
        stop = self.page_count if stop is None else min(stop, self.page_count)
        # CPU time, not wall time (ITIMER_PROF): on a busy machine a heavy page (ITU T.81's
        # page 22: 20 s) must not be skipped, and the skipped page would be cached
        previous = signal.signal(signal.SIGPROF, _on_alarm) if self.time_limit else None
        try:
            for index in range(max(0, start), stop):
                yield self._read_one(index)
        finally:
            if self.time_limit:
                signal.setitimer(signal.ITIMER_PROF, 0)
                signal.signal(signal.SIGPROF, previous)

    def _read_one(self, index: int) -> tuple[Page, str | None]:
        number = index + 1
        try:
            if self.time_limit:
                signal.setitimer(signal.ITIMER_PROF, self.time_limit)
            try:
                page = self._layout(index)
            finally:
                if self.time_limit:
                    signal.setitimer(signal.ITIMER_PROF, 0)
        except PageTimeout:
            warning = f"page {number} took more than {self.time_limit:g} s of CPU and was skipped"
        except limits.StreamTooLarge as exc:
            bomb = "a decompression bomb? IFRI_MAX_STREAM_MB raises the limit"
            warning = f"page {number} was skipped: {exc} ({bomb})"
        except limits.PageTooLarge:
            warning = f"page {number} draws more than {limits.MAX_PAGE_CHARS:,} characters and was skipped"
        except Exception as exc:  # noqa: BLE001 - one bad page must not cost the others
            warning = f"page {number} could not be read ({_short(exc)}) and was skipped"
        else:
            return page, None
        self._recover()
        return Page(number, None, ()), warning

    def _layout(self, index: int) -> Page:
        with limits.bounded():
            pdf_page = limits.with_fresh_contents(self.opened.pages[index])
            self.interpreter.process_page(pdf_page)
            layout = self.device.get_result()
            lines = tuple(_lines(layout, layout.height))
            page = Page(index + 1, None, lines, round(layout.width, 1), round(layout.height, 1))
            self.device.result = None  # let the layout tree go before the next page
            if not lines and _lost_contents(pdf_page):
                raise BrokenPDF("its compressed text is damaged")
            return page


def _lost_contents(pdf_page: Any) -> bool:
    """A content stream that had bytes but decoded to nothing.

    pdfminer silently drops a compressed stream that no longer inflates; the
    page would then pass for a scan.
    """
    from pdfminer.pdftypes import PDFStream, resolve1

    for ref in pdf_page.contents or []:
        stream = resolve1(ref)
        if isinstance(stream, PDFStream):
            length = resolve1(stream.get("Length"))
            if isinstance(length, int) and length > 32 and not stream.get_data():
                return True
    return False


def layout_pages(data: bytes, password: str = "", start: int = 0, stop: int | None = None) -> Iterator[Page]:
    """Lay out physical pages ``start``..``stop`` (0-based, ``stop`` excluded) one by one."""
    reader = PageReader(open_pdf(data, password))
    for page, _warning in reader.read(start, stop):
        yield page


def _lines(layout: Any, page_height: float) -> Iterator[Line]:
    from pdfminer.layout import LTFigure, LTTextBox, LTTextLine

    def walk(container: Any) -> Iterator[Any]:
        for obj in container:
            if isinstance(obj, LTTextBox):
                yield from (o for o in obj if isinstance(o, LTTextLine))
            elif isinstance(obj, LTTextLine):
                yield obj
            elif isinstance(obj, LTFigure):
                yield from walk(obj)

    for text_line in walk(layout):
        line = _line(text_line, page_height)
        if line is not None:
            yield line


def _line(text_line: Any, page_height: float) -> Line | None:
    from pdfminer.layout import LTChar

    parts: list[str] = []
    chars: list[tuple[int, Any, str]] = []
    offset = 0
    for obj in text_line:
        text = obj.get_text()
        if isinstance(obj, LTChar):
            if text.startswith("(cid:"):
                text = unmapped(obj.fontname, text)
            chars.append((offset, obj, text))
        parts.append(text)
        offset += len(text)
    text = "".join(parts).rstrip("\n").rstrip()
    return line_of_chars(text, chars, lambda c: _font_style(c.fontname), text_line, page_height)


def line_of_chars(
    text: str,
    chars: list[tuple[int, Any, str]],
    style: Callable[[Any], tuple[bool, bool]],
    box: Any,
    page_height: float,
) -> Line | None:
    """A line from its text and its characters (offset, char, text), the same for both engines:
    the most common size, bold and italic by majority (``style(char)``), superscript spans, and
    ``box`` (x0, y0, x1, y1 from the page's foot) turned to top-down positions."""
    if not text.strip() or not chars:
        return None
    sizes = Counter(round(c.size, 1) for _, c, t in chars if t.strip())
    size = sizes.most_common(1)[0][0] if sizes else round(chars[0][1].size, 1)
    visible = [c for _, c, t in chars if t.strip()] or [c for _, c, _ in chars]
    styles = [style(c) for c in visible]
    bold = sum(1 for b, _ in styles if b) * 2 > len(visible)
    italic = sum(1 for _, i in styles if i) * 2 > len(visible)
    return Line(
        text=text,
        size=size,
        bold=bold,
        italic=italic,
        x0=round(box.x0, 1),
        top=round(page_height - box.y1, 1),
        x1=round(box.x1, 1),
        bottom=round(page_height - box.y0, 1),
        superscripts=_superscripts(chars, size, len(text)),
    )


@functools.lru_cache(maxsize=512)
def _font_style(fontname: str) -> tuple[bool, bool]:
    """(bold, italic) from a font's name; asked once per character, so remembered."""
    return bool(re.search(_BOLD, fontname, re.I)), bool(re.search(_ITALIC, fontname, re.I))


def _superscripts(chars: list[tuple[int, Any, str]], size: float, length: int) -> tuple[tuple[int, int], ...]:
    """Spans of small raised characters: footnote markers like the 12 in ``Venezuela.12``."""
    normal = [c.y0 for _, c, _ in chars if c.size >= size * 0.9]
    if not normal:
        return ()
    baseline = sorted(normal)[len(normal) // 2]
    spans: list[list[int]] = []
    for offset, char, text in chars:
        if offset >= length:
            break
        raised = char.size < size * 0.85 and char.y0 > baseline + size * 0.15
        if raised and text.strip():
            if spans and spans[-1][1] == offset:
                spans[-1][1] = offset + len(text)
            else:
                spans.append([offset, offset + len(text)])
    return tuple((a, b) for a, b in spans)
