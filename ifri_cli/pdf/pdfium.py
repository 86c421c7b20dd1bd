"""The optional PDFium engine (``pip install 'ifri[fast]'``, pypdfium2): what ``engine`` gives, faster.

It gives what ``engine`` (pdfminer.six) gives: the catalogue (the /Info strings, page count,
outline resolved to 1-based physical pages, /PageLabels) and, page by page, ``model.Page``
objects of ``model.Line`` with the same text, size, bold/italic, positions and superscript spans,
so that every later stage works unchanged.

PDFium does the parsing and text extraction (fonts, encodings, positions) in C; what PDFium has
no equivalent for is pdfminer's layout analysis, so that part is re-done here in plain Python,
step for step the algorithm of pdfminer's ``LTLayoutContainer.analyze`` with
``LAParams(all_texts=True)`` (``group_objects`` -> ``group_textlines`` -> ``group_textboxes``;
pdfminer.six is MIT-licensed), on characters whose boxes are built the way pdfminer builds an
LTChar's box (advance width x (descent .. descent + font size)). Its text page is first *undone*
back to pdfminer's stream of characters: content-stream order restored from the page-object
tree (Form XObjects are figures, laid out apart), generated spaces and line breaks dropped,
spaces PDFium deletes put back, line-end hyphens (U+0002) made "-" again, glyphs of several
characters merged, unmapped glyphs mapped as pdfminer's ``(cid:N)``.

Only pypdfium2's public API is used (``PdfDocument`` and the ``pypdfium2.raw`` FPDF* functions);
a few hot per-character functions are re-declared with plain integer and pointer argument
types (the same C symbols) to save ctypes conversions. pypdfium2 is Apache-2.0/BSD-3-Clause:
never PyMuPDF (AGPL).
"""

from __future__ import annotations

import ctypes
import heapq
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as R

from ifri_cli.errors import BrokenPDF, EncryptedPDF, IfriError, LimitExceeded
from ifri_cli.model import Line, OutlineItem, Page
from ifri_cli.pdf import engine, limits
from ifri_cli.pdf.engine import RawPDF, _font_style, _truncated, line_of_chars
from ifri_cli.pdf.glyphs import unmapped as _cid_unmapped

# pdfminer's LAParams(all_texts=True) defaults
LINE_OVERLAP = 0.5
CHAR_MARGIN = 2.0
LINE_MARGIN = 0.5
WORD_MARGIN = 0.1
BOXES_FLOW = 0.5

_INF = float("inf")


@dataclass
class OpenedPDF:
    """A document PDFium has loaded, ready for reading pages (in this process or forked workers)."""

    doc: Any  # pypdfium2.PdfDocument
    data: bytes  # PDFium reads from this buffer: keep it alive with the document
    warnings: list[str]  # how the file had to be repaired to be read
    check: limits.StreamCheck | None = None  # what PDFium would inflate, checked first

    @property
    def page_count(self) -> int:
        return len(self.doc)

    @property
    def pages(self) -> range:
        """One item a page, as ``engine.OpenedPDF.pages`` (the worker pool counts them)."""
        return range(len(self.doc))

    def reader(self, time_limit: float | None = None) -> PageReader:
        return PageReader(self, time_limit)


# --- opening ---------------------------------------------------------------------------------


def open_pdf(data: bytes, password: str = "", max_pages: int | None = None) -> OpenedPDF:
    """Load the document (PDFium repairs a damaged cross-reference table by itself).

    More than ``max_pages`` pages (default ``$IFRI_MAX_PAGES`` or 20,000) raise ``LimitExceeded``.

    PDFium inflates every stream it needs whole, in C, where no limit of ifri's can stop it (a
    content stream of 4 GiB: 27 s and 5 GB), so the file is first read as pdfminer reads it, with
    the limits of ``limits``: a decompression bomb in its structure is refused here, and each
    page's streams are checked before PDFium reads that page (``limits.StreamCheck``).
    """
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError("open_pdf wants the PDF's bytes")
    data = bytes(data)
    most = max_pages or limits.default_max_pages()
    check = _stream_check(data, password, most)
    try:
        doc = pdfium.PdfDocument(data, password=password or None)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == R.FPDF_ERR_PASSWORD:
            if password:
                raise EncryptedPDF("the password is wrong for this encrypted PDF") from None
            raise EncryptedPDF(
                "this PDF is encrypted and needs a password", hint="give it with --password"
            ) from None
        if code == R.FPDF_ERR_SECURITY:
            raise EncryptedPDF("this PDF's encryption is damaged or not supported (pdfium)") from None
        if _truncated(data):
            raise BrokenPDF(
                "this PDF is truncated (it stops before its end marker) and no page could be recovered",
                hint="download or copy it again",
            ) from None
        raise BrokenPDF(
            f"this PDF is damaged and cannot be read (pdfium: {exc})",
            hint="a repair tool may recover it, e.g. `qpdf in.pdf fixed.pdf`",
        ) from None
    if len(doc) > most:
        count = len(doc)
        doc.close()
        raise LimitExceeded(
            f"this PDF has {count:,} pages, more than the {most:,} ifri reads",
            hint=f"raise the limit with --max-pages {count}",
        )
    if check is not None and len(check.pages) != len(doc):
        # the engines disagree on the pages (a damaged page tree): every page is checked now
        try:
            check.check_all()
        except limits.StreamTooLarge as exc:
            doc.close()
            raise _bomb(exc) from None
        check = None
    return OpenedPDF(doc, data, _repair_warnings(data, len(doc)), check)


def _stream_check(data: bytes, password: str, max_pages: int) -> limits.StreamCheck | None:
    """The PDF's pages as pdfminer finds them, within the limits; None when pdfminer cannot read
    what PDFium may (a file too damaged, an encryption it lacks): PDFium's own limits then hold."""
    from ifri_cli.pdf.engine import _open

    try:
        _doc, pages = _open(data, password, max_pages)
    except LimitExceeded:
        raise
    except IfriError:
        return None
    return limits.StreamCheck(pages)


def _bomb(exc: limits.StreamTooLarge) -> LimitExceeded:
    return LimitExceeded(
        f"this PDF cannot be read: {exc} (a decompression bomb?)",
        hint="if the file is genuine, raise the limit with IFRI_MAX_STREAM_MB",
    )


_STARTXREF = re.compile(rb"startxref\s+(\d+)")


def _repair_warnings(data: bytes, page_count: int) -> list[str]:
    """PDFium repairs silently: tell what pdfminer's path tells, from a look at the bytes.

    A file is called damaged when it is cut before its end marker, or when its last
    ``startxref`` does not point at a cross-reference table or stream.
    """
    if _truncated(data):
        return [f"this PDF is truncated: only what comes before the cut was read ({page_count} pages found)"]
    found = list(_STARTXREF.finditer(data[-4096:]))
    if found:
        offset = int(found[-1].group(1))
        head = data[offset : offset + 40].lstrip()
        if not (head.startswith(b"xref") or re.match(rb"\d+\s+\d+\s+obj", head)):
            damaged = "this PDF's cross-reference table is damaged"
            return [f"{damaged}: {page_count} pages recovered by scanning the file"]
    return []


# --- the catalogue ---------------------------------------------------------------------------

# FPDF_GetMetaText reads any key of /Info, but PDFium cannot list them: the standard ones
_INFO_KEYS = (
    "Title", "Author", "Subject", "Keywords", "Creator", "Producer",
    "CreationDate", "ModDate", "Trapped",
)  # fmt: skip


def read_catalogue(data: bytes | OpenedPDF, password: str = "") -> RawPDF:
    opened = data if isinstance(data, OpenedPDF) else open_pdf(data, password)
    warnings = list(opened.warnings)
    doc = opened.doc
    return RawPDF(
        info=_info(doc),
        page_count=len(doc),
        outline=_outline(doc, warnings),
        labels=_labels(doc, warnings),
        warnings=warnings,
    )


def _utf16(fn: Any, *args: Any) -> str:
    """Call a PDFium getter that fills a UTF-16LE buffer (length in bytes, terminator included)."""
    n = fn(*args, None, 0)
    if n <= 2:
        return ""
    buf = ctypes.create_string_buffer(n)
    fn(*args, buf, n)
    return buf.raw[: n - 2].decode("utf-16-le", errors="replace")


def _info(doc: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for key in _INFO_KEYS:
        try:
            text = _utf16(R.FPDF_GetMetaText, doc.raw, key.encode("ascii") + b"\x00")
        except Exception:  # noqa: BLE001
            continue
        text = text.replace("\x00", "").strip()
        if text:
            out[key] = text[: limits.MAX_INFO]
    return out


def _labels(doc: Any, warnings: list[str]) -> tuple[str, ...] | None:
    """The /PageLabels, one per page; None when the PDF has none, or when a label runs to
    thousands of characters (as ``engine``: a prefix of a megabyte on every page)."""
    count = len(doc)
    labels = []
    any_label = False
    for i in range(count):
        n = R.FPDF_GetPageLabel(doc.raw, i, None, 0)
        if n <= 0:  # no /PageLabels at all (PDFium answers 0 only then)
            labels.append("")
            continue
        if n > 2 * limits.MAX_LABEL_PREFIX:  # UTF-16: two bytes a character
            warnings.append("the PDF's page labels have a prefix of thousands of characters: ignored")
            return None
        any_label = True
        buf = ctypes.create_string_buffer(n)
        R.FPDF_GetPageLabel(doc.raw, i, buf, n)
        labels.append(buf.raw[: max(0, n - 2)].decode("utf-16-le", errors="replace")[: limits.MAX_LABEL])
    return tuple(labels) if any_label else None


def _addr(handle: Any) -> int:
    """The address a ctypes pointer holds; 0 for NULL."""
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def _outline(doc: Any, warnings: list[str]) -> tuple[OutlineItem, ...]:
    """The bookmarks depth first, levels from 1, destinations as 1-based physical pages."""
    pdf = doc.raw
    items: list[OutlineItem] = []
    seen: set[int] = set()

    def page_of(bookmark: Any) -> int | None | bool:
        """The bookmark's page; False when it has neither a /Dest nor an action (pdfminer skips those)."""
        dest = R.FPDFBookmark_GetDest(pdf, bookmark)
        if not _addr(dest):
            action = R.FPDFBookmark_GetAction(bookmark)
            if not _addr(action):
                return False
            # pdfminer takes the /D of any action; PDFium gives a destination for GoTo only
            if R.FPDFAction_GetType(action) != R.PDFACTION_GOTO:
                return None
            dest = R.FPDFAction_GetDest(pdf, action)
            if not _addr(dest):
                return None
        index = R.FPDFDest_GetDestPageIndex(pdf, dest)
        return index + 1 if 0 <= index < len(doc) else None

    # depth first without recursion, each entry once (as ``limits.outline_entries``): a /Next or
    # /First that leads back is not followed; at most MAX_OUTLINE_ENTRIES entries
    looped = False
    try:
        stack = [(R.FPDFBookmark_GetFirstChild(pdf, None), 1)]
        while stack:
            node, level = stack.pop()
            key = _addr(node)
            if not key:
                continue
            if key in seen:
                looped = True
                continue
            seen.add(key)
            if len(seen) > limits.MAX_OUTLINE_ENTRIES:
                most = f"{limits.MAX_OUTLINE_ENTRIES:,}"
                warnings.append(f"the PDF outline has more than {most} entries: the rest is ignored")
                break
            title = _utf16(R.FPDFBookmark_GetTitle, node)[: limits.MAX_INFO].replace("\x00", "")
            title = re.sub(r"\s+", " ", title).strip()
            page = page_of(node) if title else False
            if page is not False:
                items.append(OutlineItem(title, level, page))
            stack.append((R.FPDFBookmark_GetNextSibling(pdf, node), level))
            stack.append((R.FPDFBookmark_GetFirstChild(pdf, node), level + 1))
        if looped:
            read = f"each entry read once ({len(items)} entries)"
            warnings.append(f"the PDF outline loops back on itself: {read}")
    except Exception as exc:  # noqa: BLE001 - a broken outline is reported, not fatal
        warnings.append(
            f"the PDF outline is damaged ({type(exc).__name__}); ignored after entry {len(items)}"
        )
    return tuple(items)


# --- hot per-character functions, re-declared with plain argument types ------------------------


def _redeclare(fn: Any, restype: Any, *argtypes: Any) -> Any:
    return ctypes.CFUNCTYPE(restype, *argtypes)(_addr(fn))


_P, _I, _D = ctypes.c_void_p, ctypes.c_int, ctypes.c_double
_count_chars = _redeclare(R.FPDFText_CountChars, _I, _P)
_is_generated = _redeclare(R.FPDFText_IsGenerated, _I, _P, _I)
_unicode = _redeclare(R.FPDFText_GetUnicode, ctypes.c_uint, _P, _I)
_text_object = _redeclare(R.FPDFText_GetTextObject, _P, _P, _I)
_loose_box = _redeclare(R.FPDFText_GetLooseCharBox, _I, _P, _I, ctypes.POINTER(R.FS_RECTF))
_origin = _redeclare(R.FPDFText_GetCharOrigin, _I, _P, _I, ctypes.POINTER(_D), ctypes.POINTER(_D))
_font_size = _redeclare(R.FPDFText_GetFontSize, _D, _P, _I)
_font_weight = _redeclare(R.FPDFText_GetFontWeight, _I, _P, _I)
_font_info = _redeclare(
    R.FPDFText_GetFontInfo, ctypes.c_ulong, _P, _I, ctypes.c_char_p, ctypes.c_ulong, ctypes.POINTER(_I)
)
_matrix = _redeclare(R.FPDFText_GetMatrix, _I, _P, _I, ctypes.POINTER(R.FS_MATRIX))
_has_map_error = _redeclare(R.FPDFText_HasUnicodeMapError, _I, _P, _I)
_is_hyphen = _redeclare(R.FPDFText_IsHyphen, _I, _P, _I)
_F = ctypes.POINTER(ctypes.c_float)
_obj_bounds = _redeclare(R.FPDFPageObj_GetBounds, _I, _P, _F, _F, _F, _F)
_textobj_font = _redeclare(R.FPDFTextObj_GetFont, _P, _P)
_glyph_width = _redeclare(R.FPDFFont_GetGlyphWidth, _I, _P, ctypes.c_uint32, ctypes.c_float, _F)
_font_descent = _redeclare(R.FPDFFont_GetDescent, _I, _P, ctypes.c_float, _F)


def _font_name(handle: int) -> str:
    buf = ctypes.create_string_buffer(256)
    n = R.FPDFFont_GetBaseFontName(ctypes.cast(handle, R.FPDF_FONT), buf, 256)
    return buf.raw[: max(0, n - 1)].decode("latin-1", errors="replace") if n else ""


def _unmapped(fontname: str, code: int) -> str:
    """A glyph PDFium found no Unicode for (it then reports the char code): as pdfminer's (cid:N)."""
    return _cid_unmapped(fontname, f"(cid:{code})")


# --- characters ------------------------------------------------------------------------------


class _Char:
    """A character as pdfminer's LTChar would have it: box in page space, y up."""

    __slots__ = ("text", "x0", "y0", "x1", "y1", "width", "height", "size", "font", "weight", "flags")

    def __init__(self, text: str, x0: float, y0: float, x1: float, y1: float, size: float, font: Any) -> None:
        self.text = text
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1
        self.width = x1 - x0
        self.height = y1 - y0
        self.size = size
        self.font = font  # (name, bold, italic, weight, flags)


class _Font:
    __slots__ = ("name", "bold", "italic", "weight", "flags")

    def __init__(self, name: str, weight: int, flags: int) -> None:
        self.name = name
        self.bold, self.italic = _font_style(name)
        self.weight = weight
        self.flags = flags


def _mul(m1: tuple[float, ...], m2: tuple[float, ...]) -> tuple[float, ...]:
    """m1 then m2 (PDF row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (
        a1 * a2 + b1 * c2, a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2,
    )  # fmt: skip


def _page_objects(
    page_raw: Any,
) -> tuple[dict[int, tuple[int, int]], list[int], list[tuple[int, int, int, tuple[float, ...]]]]:
    """Text objects in content-stream order: address -> (order, figure); each figure's parent;
    and the text objects with no ink (spaces), which PDFium's text page often drops:
    (address, order, figure, text matrix on the page, form matrix, (left, right) in the form).

    A figure is a Form XObject (pdfminer's LTFigure): its text is laid out on its own.
    Figure 0 is the page.
    """
    where: dict[int, tuple[int, int]] = {}
    parents: list[int] = [-1]
    blank: list[tuple[Any, ...]] = []
    order = 0
    text_t, form_t = R.FPDF_PAGEOBJ_TEXT, R.FPDF_PAGEOBJ_FORM
    lb, bb, rb, tb = (ctypes.c_float() for _ in range(4))
    lb_p, bb_p, rb_p, tb_p = (ctypes.byref(v) for v in (lb, bb, rb, tb))
    mat = R.FS_MATRIX()
    mat_p = ctypes.byref(mat)

    def visit(count: Any, get: Any, holder: Any, figure: int, depth: int, m: tuple[float, ...]) -> None:
        nonlocal order
        for k in range(count(holder)):
            obj = get(holder, k)
            kind = R.FPDFPageObj_GetType(obj)
            if kind == text_t:
                key = _addr(obj)
                where[key] = (order, figure)
                if _obj_bounds(key, lb_p, bb_p, rb_p, tb_p) and abs(tb.value - bb.value) < 0.01:
                    # no ink: spaces. Its bounds run from the first char's origin to the last's
                    R.FPDFPageObj_GetMatrix(obj, mat_p)
                    span = (lb.value, rb.value)
                    blank.append(
                        (key, order, figure, _mul((mat.a, mat.b, mat.c, mat.d, mat.e, mat.f), m), m, span)
                    )
                order += 1
            elif kind == form_t and depth < 32:
                parents.append(figure)
                R.FPDFPageObj_GetMatrix(obj, mat_p)
                fm = _mul((mat.a, mat.b, mat.c, mat.d, mat.e, mat.f), m)
                visit(
                    R.FPDFFormObj_CountObjects, R.FPDFFormObj_GetObject, obj, len(parents) - 1, depth + 1, fm
                )

    visit(R.FPDFPage_CountObjects, R.FPDFPage_GetObject, page_raw, 0, 0, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    return where, parents, blank


def _page_transform(mediabox: tuple[float, float, float, float], rotate: int) -> tuple[Any, float, float]:
    """pdfminer's page matrix (process_page) and the laid-out page's width and height."""
    x0, y0, x1, y1 = mediabox
    if rotate == 90:
        ctm = (0, -1, 1, 0, -y0, x1)
    elif rotate == 180:
        ctm = (-1, 0, 0, -1, x1, y1)
    elif rotate == 270:
        ctm = (0, 1, -1, 0, y1, -x0)
    else:
        ctm = (1, 0, 0, 1, -x0, -y0)
    a, b, c, d, e, f = ctm
    xs = [a * x + c * y + e for x, y in ((x0, y0), (x1, y1))]
    ys = [b * x + d * y + f for x, y in ((x0, y0), (x1, y1))]
    return ctm, abs(xs[0] - xs[1]), abs(ys[0] - ys[1])


def _chars(page: Any, ctm: Any) -> tuple[dict[int, list[_Char]], list[int]]:
    """The page's characters, grouped by figure, in content-stream order."""
    where, parents, blank = _page_objects(page.raw)
    textpage = R.FPDFText_LoadPage(page.raw)
    if not _addr(textpage):
        raise RuntimeError("PDFium could not load the page's text")
    tp = _addr(textpage)
    try:
        return _read_chars(tp, where, blank, ctm), parents
    finally:
        R.FPDFText_ClosePage(textpage)


def _object_state(
    tp: int, i: int, obj: int | None, where: Any, mat_p: Any, namebuf: Any, flags_p: Any
) -> tuple[Any, ...]:
    """What all chars of one text object share: font, size, orientation, stream order, figure."""
    mat = mat_p.contents
    _matrix(tp, i, mat_p)
    fs = _font_size(tp, i)  # Tf, before the text matrix and the CTM
    _font_info(tp, i, namebuf, 256, flags_p)
    name = namebuf.value.decode("latin-1", errors="replace")
    font = _Font(name, _font_weight(tp, i), flags_p.contents.value)
    a, b, c, d = mat.a, mat.b, mat.c, mat.d
    order, figure = where.get(obj, (1 << 30, 0))
    handle = _textobj_font(obj) if obj else None
    descent = ctypes.c_float()
    if not (handle and _font_descent(handle, fs, ctypes.byref(descent))):
        descent.value = 0.0  # pdfminer's descent when the font has none
    if abs(b) < 1e-6 and abs(c) < 1e-6:
        mode = 0 if a > 0 and d > 0 else 1
        size = fs * abs(d)
    else:
        mode, size = 2, None
    if size is not None:
        size = round(size, 4)
    return (font, size, mode, order, figure, fs * a, descent.value * d, handle)


def _read_chars(
    tp: int, where: dict[int, tuple[int, int]], blank: list[Any], ctm: Any
) -> dict[int, list[_Char]]:
    """Every character PDFium found, made into pdfminer's LTChar, with what PDFium changed undone.

    PDFium's text page (core/fpdftext/cpdf_textpage.cpp) differs from pdfminer's stream of
    LTChars in ways that are undone here, as far as the public API shows them:

    - it reorders the text objects of one line by x: chars are put back in content-stream order;
    - it inserts "generated" spaces and line breaks: dropped;
    - a gap (a TJ kerning) right before a real space makes a generated space, and the real space is
      then deleted as a double space: put back when the next character of that text object starts
      further right than the generated space, or the object ends further right (a real space was
      there: as wide as that font's other spaces on the page, else its space glyph, at most the gap);
    - a run of spaces is cut to its first (code listings, leaders): put back where the gap after
      the surviving space holds whole spaces;
    - a text object of no width (a lone space, as some producers write every word apart) is
      skipped: a space is put back at its origin, as wide as its font's space;
    - a hyphen ending a line becomes U+0002: made "-" again;
    - a glyph of several characters (ToUnicode "fi", or U+FB00..FB06, which PDFium splits into
      letters) comes as chars sharing one origin: one char again, of the letters ("fi" where
      pdfminer may say U+FB01: the public API does not tell which it was);
    - a glyph with no Unicode comes as its char code: mapped as pdfminer's (cid:N) is.
    """
    n = _count_chars(tp)
    if n > limits.MAX_PAGE_CHARS:
        raise limits.PageTooLarge
    rect = R.FS_RECTF()
    rect_p = ctypes.pointer(rect)
    ox, oy = _D(), _D()
    ox_p, oy_p = ctypes.pointer(ox), ctypes.pointer(oy)
    mat = R.FS_MATRIX()
    mat_p = ctypes.pointer(mat)
    namebuf = ctypes.create_string_buffer(256)
    flags = _I()
    flags_p = ctypes.pointer(flags)
    objects: dict[int | None, tuple[Any, ...]] = {}
    keyed: list[tuple[int, int, float, int, _Char]] = []
    gen_spaces: dict[int, tuple[float, int]] = {}  # object -> (origin x, index) of its last generated space
    recovered: list[tuple[_Char, float, Any]] = []  # spaces put back, the most width they can have, font
    # font name -> width of its space / font size, as seen on this page (only this page: a page reads
    # the same whichever worker reads it, after whichever pages)
    space_ratio: dict[str, float] = {}
    last_of: dict[int, _Char] = {}
    first_of: dict[int, _Char] = {}
    widths: dict[tuple[int, int], float] = {}  # (font, unicode) -> advance at size 1
    after_space: dict[int, list[tuple[Any, ...]]] = {}  # object -> the chars that follow its real spaces
    prev_obj = None
    prev_char: _Char | None = None
    prev_origin = (_INF, _INF)
    gw = ctypes.c_float()
    gw_p = ctypes.pointer(gw)
    for i in range(n):
        u = _unicode(tp, i)
        if _is_generated(tp, i):
            prev_char = None
            if u == 32:
                obj = _text_object(tp, i)
                if obj and obj in last_of:  # inside an object: from a kerning
                    _origin(tp, i, ox_p, oy_p)
                    gen_spaces[obj] = (ox.value, i)
            continue
        obj = _text_object(tp, i)
        state = objects.get(obj)
        if state is None:
            state = objects[obj] = _object_state(tp, i, obj, where, mat_p, namebuf, flags_p)
        font, size, mode, order, figure, fs_a, desc_d, font_handle = state
        if u == 2 and _is_hyphen(tp, i):
            text = "-"
        elif _has_map_error(tp, i) == 1:
            text = _unmapped(font.name, u)
        elif 0 < u < 0x110000 and not 0xD800 <= u < 0xE000 and u != 0xFFFE:
            text = chr(u)
        else:
            text = "\ufffd"
        _origin(tp, i, ox_p, oy_p)
        # PDFium computes in single precision; the PDF's numbers rarely have more than 4 decimals:
        # rounded, they come back as pdfminer's doubles, and its ties (dot leaders exactly
        # char_margin apart) fall the same way
        gx, gy = round(ox.value, 4), round(oy.value, 4)
        if prev_char is not None and obj == prev_obj and (gx, gy) == prev_origin:
            # one glyph, several characters (a ligature split by PDFium): pdfminer has one LTChar,
            # as wide as the ligature's advance (in the loose box), not the first letter's
            prev_char.text += text
            if mode == 0:
                _loose_box(tp, i, rect_p)
                prev_char.x1 = max(prev_char.x0, rect.right)
                prev_char.width = prev_char.x1 - prev_char.x0
            continue
        if mode == 0:
            # LTChar's box: origin .. origin + advance, baseline + descent .. + font size
            key = (font_handle, u)
            w = widths.get(key)
            if w is None:
                w = widths[key] = gw.value if font_handle and _glyph_width(font_handle, u, 1.0, gw_p) else 0.0
            x0 = gx
            if w > 0:
                x1 = gx + round(w * fs_a, 5)
            else:
                _loose_box(tp, i, rect_p)
                x1 = max(gx, rect.right)
            y0 = gy + desc_d
            y1 = y0 + size
        else:
            _loose_box(tp, i, rect_p)
            left, right, bottom, top = rect.left, rect.right, rect.bottom, rect.top
            if left > right:
                left, right = right, left
            x0, x1 = left, right
            if mode == 1:  # upright but mirrored or upside down
                if desc_d > 0:  # d < 0: the box hangs from the baseline
                    y1 = gy + desc_d
                    y0 = y1 - size
                else:
                    y0, y1 = gy + desc_d, gy + desc_d + size
            else:  # rotated text: PDFium's loose box is all we have
                y0, y1 = min(bottom, top), max(bottom, top)
        if prev_char is not None and prev_char.text == " " and obj == prev_obj and mode == 0 and text != " ":
            # the gap after a real space: the word spacing, or a run PDFium collapsed (below)
            after_space.setdefault(obj, []).append((prev_char, x0, y0, y1, size, font, order, i, figure))
        pending = gen_spaces.pop(obj, None) if gen_spaces else None
        if pending is not None and mode == 0 and x0 - pending[0] > 0.05 * size:
            # a real space stood where the generated one is; PDFium dropped it
            space = _Char(" ", pending[0], y0, pending[0], y1, size, font)
            keyed.append((order, i, -0.5, figure, space))
            recovered.append((space, x0 - pending[0], font_handle))
        # LTChar.size is its box's height: the font size for upright text
        ch = _Char(text, x0, y0, x1, y1, size if mode != 2 else y1 - y0, font)
        if u == 32 and mode == 0 and size:
            space_ratio.setdefault(font.name, (x1 - x0) / size)
        keyed.append((order, i, 0, figure, ch))
        if obj not in last_of:
            first_of[obj] = ch
        last_of[obj] = ch
        prev_obj, prev_char, prev_origin = obj, ch, (gx, gy)
    # a run of spaces is cut to its first: the gap after it holds the others, each as wide as the
    # first plus the word spacing (Tw: the smallest gap after a space in that object, when it has
    # several; a lone gap counts only after a leading space, as in an indented line of code)
    for obj, gaps in after_space.items():
        if len(gaps) == 1 and first_of.get(obj) is not gaps[0][0]:
            continue  # one gap, not an indent: a tab stop or a positioning gap as likely as spaces
        tw = max(0.0, min(nx - sp.x1 for sp, nx, *_ in gaps)) if len(gaps) > 1 else 0.0
        for sp, nx, y0, y1, size, font, order, i, figure in gaps:
            sw = sp.x1 - sp.x0
            gap = nx - sp.x1 - tw
            runs = round(gap / (sw + tw)) if sw > 0 else 0
            if runs >= 1 and abs(gap - runs * (sw + tw)) <= 0.05 * sw:  # exact multiples only
                for r in range(runs):
                    sx = round(sp.x1 + tw + r * (sw + tw), 4)
                    keyed.append(
                        (order, i, -0.9 + r * 0.01, figure, _Char(" ", sx, y0, sx + sw, y1, size, font))
                    )
    # a generated space is made just before a char of its object: when none of the object's chars
    # followed, that char was the real space PDFium deleted (the object ended with it)
    for obj, (gx, gi) in gen_spaces.items():
        last = last_of.get(obj)
        font, size, mode, order, figure = objects[obj][:5]
        if last is None or mode != 0:
            continue
        space = _Char(" ", gx, last.y0, gx, last.y1, size, font)
        keyed.append((order, gi, 0, figure, space))
        recovered.append((space, _INF, objects[obj][7]))
    # text objects of spaces only that PDFium dropped (it skips an object of no width, and
    # removes a space after a space): a space at each end of the object
    fsz = ctypes.c_float()
    for obj, order, figure, (a, b, c, d, e, f), fm, (left, right) in blank:
        if obj in last_of or abs(b) > 1e-6 or abs(c) > 1e-6 or a <= 0 or d <= 0:
            continue
        handle = _textobj_font(obj)
        if not handle or not R.FPDFTextObj_GetFontSize(
            ctypes.cast(obj, R.FPDF_PAGEOBJECT), ctypes.byref(fsz)
        ):
            continue
        fs = fsz.value
        width = gw.value * fs * a if _glyph_width(handle, 32, 1.0, gw_p) else 0.0
        descent = ctypes.c_float()
        if not _font_descent(handle, fs, ctypes.byref(descent)):
            descent.value = 0.0
        font = _Font(_font_name(handle), 400, 0)
        y0, size = round(f + descent.value * d, 4), round(fs * d, 4)
        ends = (left, right) if right - left > 0.01 else (left,)
        fa, fb, fc, fd, fe, ff = fm
        for k, x in enumerate(ends):
            x0 = round(fa * x + fe, 4) if (fb, fc) == (0, 0) else round(e, 4)
            space = _Char(" ", x0, y0, x0 + round(width, 5), y0 + size, size, font)
            keyed.append((order, -1, k, figure, space))
    for space, most, handle in recovered:
        ratio = space_ratio.get(space.font.name)
        if ratio is None and handle and space.size and _glyph_width(handle, 32, 1.0, gw_p) and gw.value > 0:
            ratio = gw.value  # the font's space glyph, at size 1
        width = min(most, (ratio or 0.25) * space.size)  # 0.25 em when the font has no space
        space.x1 = space.x0 + width
        space.width = width
    # content-stream order (PDFium's text page is nearly that already), split by figure
    keyed.sort(key=lambda k: (k[0], k[1], k[2]))
    ca, cb, cc, cd, ce, cf = ctm
    identity = (ca, cb, cc, cd, ce, cf) == (1, 0, 0, 1, 0, 0)
    out: dict[int, list[_Char]] = {}
    for _order, _i, _sub, figure, ch in keyed:
        if not identity:  # into pdfminer's page space (MediaBox origin, /Rotate)
            xa, ya = ca * ch.x0 + cc * ch.y0 + ce, cb * ch.x0 + cd * ch.y0 + cf
            xb, yb = ca * ch.x1 + cc * ch.y1 + ce, cb * ch.x1 + cd * ch.y1 + cf
            ch.x0, ch.x1 = (xa, xb) if xa <= xb else (xb, xa)
            ch.y0, ch.y1 = (ya, yb) if ya <= yb else (yb, ya)
            ch.width, ch.height = ch.x1 - ch.x0, ch.y1 - ch.y0
        out.setdefault(figure, []).append(ch)
    return out


# --- pdfminer's layout analysis, re-done on _Char ---------------------------------------------


class _Bounds:
    """A rectangle's width and height, from the x0, y0, x1, y1 its subclasses keep."""

    __slots__ = ()
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


class _TextLine(_Bounds):
    __slots__ = ("items", "x0", "y0", "x1", "y1", "_x1", "seq")

    def __init__(self, seq: int) -> None:
        self.items: list[Any] = []  # _Char or " " (pdfminer's LTAnno)
        self.x0 = self.y0 = _INF
        self.x1 = self.y1 = -_INF
        self._x1 = _INF
        self.seq = seq

    def add(self, ch: _Char) -> None:
        margin = WORD_MARGIN * max(ch.width, ch.height)
        if self._x1 < ch.x0 - margin:
            self.items.append(" ")
        self._x1 = ch.x1
        self.items.append(ch)
        if ch.x0 < self.x0:
            self.x0 = ch.x0
        if ch.y0 < self.y0:
            self.y0 = ch.y0
        if ch.x1 > self.x1:
            self.x1 = ch.x1
        if ch.y1 > self.y1:
            self.y1 = ch.y1

    def text(self) -> str:
        return "".join(o if isinstance(o, str) else o.text for o in self.items)

    def is_empty(self) -> bool:
        return self.x1 - self.x0 <= 0 or self.y1 - self.y0 <= 0 or self.text().isspace()


class _Box(_Bounds):
    """A text box or a group of boxes (pdfminer's LTTextBoxHorizontal / LTTextGroupLRTB)."""

    __slots__ = ("objs", "x0", "y0", "x1", "y1", "seq", "is_group", "index")

    def __init__(self, seq: int, objs: list[Any], is_group: bool) -> None:
        self.seq = seq
        self.objs = objs
        self.is_group = is_group
        self.index = -1
        self.x0 = min(o.x0 for o in objs) if objs else _INF
        self.y0 = min(o.y0 for o in objs) if objs else _INF
        self.x1 = max(o.x1 for o in objs) if objs else -_INF
        self.y1 = max(o.y1 for o in objs) if objs else -_INF

    def add(self, obj: Any) -> None:
        self.objs.append(obj)
        self.x0, self.y0 = min(self.x0, obj.x0), min(self.y0, obj.y0)
        self.x1, self.y1 = max(self.x1, obj.x1), max(self.y1, obj.y1)


class _Plane:
    """pdfminer's Plane: a grid of 50-pt cells, clipped to the container's box."""

    __slots__ = ("seq", "objs", "grid", "x0", "y0", "x1", "y1")

    def __init__(self, bbox: tuple[float, float, float, float]) -> None:
        self.seq: list[Any] = []
        self.objs: set[Any] = set()
        self.grid: dict[tuple[int, int], list[Any]] = {}
        self.x0, self.y0, self.x1, self.y1 = bbox

    def _range(self, x0: float, y0: float, x1: float, y1: float) -> Iterator[tuple[int, int]]:
        if x1 <= self.x0 or self.x1 <= x0 or y1 <= self.y0 or self.y1 <= y0:
            return
        x0, y0 = max(self.x0, x0), max(self.y0, y0)
        x1, y1 = min(self.x1, x1), min(self.y1, y1)
        xs = range(int(x0) // 50, int(x1 + 50) // 50)
        for gy in range(int(y0) // 50, int(y1 + 50) // 50):
            for gx in xs:
                yield (gx, gy)

    def add(self, obj: Any) -> None:
        for k in self._range(obj.x0, obj.y0, obj.x1, obj.y1):
            cell = self.grid.get(k)
            if cell is None:
                self.grid[k] = [obj]
            else:
                cell.append(obj)
        self.seq.append(obj)
        self.objs.add(obj)

    def remove(self, obj: Any) -> None:
        for k in self._range(obj.x0, obj.y0, obj.x1, obj.y1):
            cell = self.grid.get(k)
            if cell is not None:
                try:
                    cell.remove(obj)
                except ValueError:
                    pass
        self.objs.discard(obj)

    def __iter__(self) -> Iterator[Any]:
        return (o for o in self.seq if o in self.objs)

    def any_in(self, x0: float, y0: float, x1: float, y1: float, not1: Any, not2: Any) -> bool:
        """Whether an object other than the two given overlaps the area."""
        grid = self.grid
        for k in self._range(x0, y0, x1, y1):
            cell = grid.get(k)
            if not cell:
                continue
            for obj in cell:
                if obj is not1 or obj is not2:
                    continue
                if obj.x1 <= x0 or x1 <= obj.x0 or obj.y1 <= y0 or y1 <= obj.y0:
                    continue
                return True
        return False

    def find(self, x0: float, y0: float, x1: float, y1: float) -> list[Any]:
        done: set[int] = set()
        out = []
        grid = self.grid
        for k in self._range(x0, y0, x1, y1):
            cell = grid.get(k)
            if not cell:
                continue
            for obj in cell:
                oid = id(obj)
                if oid in done:
                    continue
                done.add(oid)
                if obj.x1 <= x0 or x1 <= obj.x0 or obj.y1 <= y0 or y1 <= obj.y0:
                    continue
                out.append(obj)
        return out


def _group_chars(chars: list[_Char]) -> list[_TextLine]:
    """pdfminer's group_objects (horizontal lines only, as with detect_vertical=False)."""
    lines: list[_TextLine] = []
    line: _TextLine | None = None
    obj0: _Char | None = None
    for obj1 in chars:
        if obj0 is not None:
            # is_voverlap and the overlap more than line_overlap x the smaller height
            if obj1.y0 <= obj0.y1 and obj0.y0 <= obj1.y1:
                voverlap = min(abs(obj0.y0 - obj1.y1), abs(obj0.y1 - obj1.y0))
                if obj0.x0 <= obj1.x1 and obj1.x0 <= obj0.x1:
                    hdist = 0.0
                else:
                    hdist = min(abs(obj0.x0 - obj1.x1), abs(obj0.x1 - obj1.x0))
                halign = (
                    min(obj0.height, obj1.height) * LINE_OVERLAP < voverlap
                    and hdist < max(obj0.width, obj1.width) * CHAR_MARGIN
                )
            else:
                halign = False
            if halign and line is not None:
                line.add(obj1)
            elif line is not None:
                lines.append(line)
                line = None
            elif halign:
                line = _TextLine(len(lines))
                line.add(obj0)
                line.add(obj1)
            else:
                single = _TextLine(len(lines))
                single.add(obj0)
                lines.append(single)
        obj0 = obj1
    if line is None and obj0 is not None:
        line = _TextLine(len(lines))
        line.add(obj0)
    if line is not None:
        lines.append(line)
    return lines


def _group_lines(lines: list[_TextLine], bbox: tuple[float, float, float, float]) -> list[_Box]:
    """pdfminer's group_textlines: neighbouring lines of the same height and alignment."""
    plane = _Plane(bbox)
    for line in lines:
        plane.add(line)
    boxes: dict[int, _Box] = {}
    seq = 0
    for line in lines:
        d = LINE_MARGIN * line.height
        found = plane.find(line.x0, line.y0 - d, line.x1, line.y1 + d)
        members = [line]
        for obj1 in found:
            if not (
                abs(obj1.height - line.height) <= d
                and (
                    abs(obj1.x0 - line.x0) <= d
                    or abs(obj1.x1 - line.x1) <= d
                    or abs((obj1.x0 + obj1.x1) / 2 - (line.x0 + line.x1) / 2) <= d
                )
            ):
                continue
            members.append(obj1)
            old = boxes.pop(id(obj1), None)
            if old is not None:
                members.extend(old.objs)
        box = _Box(seq, [], False)
        seq += 1
        seen: set[int] = set()
        for obj in members:
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            box.add(obj)
            boxes[id(obj)] = box
    out: list[_Box] = []
    done: set[int] = set()
    for line in lines:
        found_box = boxes.get(id(line))
        if found_box is None or id(found_box) in done:
            continue
        done.add(id(found_box))
        # LTTextBox.is_empty (its text is never all spaces here)
        if not (found_box.width <= 0 or found_box.height <= 0):
            out.append(found_box)
    return out


def _group_boxes(boxes: list[_Box], bbox: tuple[float, float, float, float]) -> list[_Box]:
    """pdfminer's group_textboxes: merge the closest pair first, into a tree of groups.

    The same order of merges as pdfminer's single heap of (skip, distance, id1, id2): entries
    without the skip mark all come before those with it, so two heaps keyed by (distance, id1,
    id2) pop the same sequence; "is any other box in between" stops at the first one found.
    """
    plane = _Plane(bbox)

    def isany(o1: Any, o2: Any) -> bool:
        x0 = o1.x0 if o1.x0 < o2.x0 else o2.x0
        y0 = o1.y0 if o1.y0 < o2.y0 else o2.y0
        x1 = o1.x1 if o1.x1 > o2.x1 else o2.x1
        y1 = o1.y1 if o1.y1 > o2.y1 else o2.y1
        return plane.any_in(x0, y0, x1, y1, o1, o2)

    # pdfminer breaks ties by id() (memory order); a creation number is the stable stand-in
    for i, box in enumerate(boxes):
        box.seq = i
    seq = len(boxes)
    fresh: list[tuple[float, int, int, Any, Any]] = []
    geo = [(b.x0, b.y0, b.x1, b.y1, (b.x1 - b.x0) * (b.y1 - b.y0), b) for b in boxes]
    n = len(geo)
    for i in range(n):
        ax0, ay0, ax1, ay1, aa, b1 = geo[i]
        s1 = b1.seq
        for j in range(i + 1, n):
            bx0, by0, bx1, by1, ba, b2 = geo[j]
            d = (
                ((ax1 if ax1 > bx1 else bx1) - (ax0 if ax0 < bx0 else bx0))
                * ((ay1 if ay1 > by1 else by1) - (ay0 if ay0 < by0 else by0))
                - aa
                - ba
            )
            fresh.append((d, s1, b2.seq, b1, b2))
    fresh.sort()  # the pairs of boxes: read in order, with a heap only for the groups' pairs
    k, nfresh = 0, len(fresh)
    newer: list[tuple[float, int, int, Any, Any]] = []
    skipped: list[tuple[float, int, int, Any, Any]] = []
    live: dict[int, _Box] = {}
    for box in boxes:
        plane.add(box)
        live[box.seq] = box
    done: set[int] = set()
    pop, push = heapq.heappop, heapq.heappush
    while k < nfresh or newer or skipped:
        if k < nfresh or newer:
            # on equal distances a pair of boxes comes first: its id1 is below every group's
            if k < nfresh and (not newer or fresh[k][0] <= newer[0][0]):
                d, id1, id2, o1, o2 = fresh[k]
                k += 1
            else:
                d, id1, id2, o1, o2 = pop(newer)
            if id1 in done or id2 in done:
                continue
            if isany(o1, o2):
                push(skipped, (d, id1, id2, o1, o2))
                continue
        else:
            d, id1, id2, o1, o2 = pop(skipped)
            if id1 in done or id2 in done:
                continue
        group = _Box(seq, [o1, o2], True)
        seq += 1
        plane.remove(o1)
        plane.remove(o2)
        del live[id1], live[id2]
        done.add(id1)
        done.add(id2)
        gx0, gy0, gx1, gy1 = group.x0, group.y0, group.x1, group.y1
        ga = (gx1 - gx0) * (gy1 - gy0)
        gs = group.seq
        for other in live.values():
            d = (
                ((gx1 if gx1 > other.x1 else other.x1) - (gx0 if gx0 < other.x0 else other.x0))
                * ((gy1 if gy1 > other.y1 else other.y1) - (gy0 if gy0 < other.y0 else other.y0))
                - ga
                - (other.x1 - other.x0) * (other.y1 - other.y0)
            )
            push(newer, (d, gs, other.seq, group, other))
        plane.add(group)
        live[gs] = group
    return list(live.values())


def _sort_group(group: _Box) -> None:
    for child in group.objs:
        if child.is_group:
            _sort_group(child)
    group.objs.sort(key=lambda o: (1 - BOXES_FLOW) * o.x0 - (1 + BOXES_FLOW) * (o.y0 + o.y1))


def _assign(group: _Box, counter: list[int]) -> None:
    for child in group.objs:
        if child.is_group:
            _assign(child, counter)
        else:
            child.index = counter[0]
            counter[0] += 1


def _analyze(
    chars: list[_Char], bbox: tuple[float, float, float, float]
) -> tuple[list[_TextLine], list[_TextLine]]:
    """LTLayoutContainer.analyze: (lines of the text boxes in reading order, empty lines)."""
    if not chars:
        return [], []
    lines = _group_chars(chars)
    empties = [ln for ln in lines if ln.is_empty()]
    lines = [ln for ln in lines if not ln.is_empty()]
    boxes = _group_lines(lines, bbox)
    out: list[_TextLine] = []
    if boxes:
        groups = _group_boxes(boxes, bbox)
        counter = [0]
        for group in groups:
            if group.is_group:
                _sort_group(group)
                _assign(group, counter)
            else:
                group.index = counter[0]
                counter[0] += 1
        boxes.sort(key=lambda b: b.index)
        for box in boxes:
            box.objs.sort(key=lambda ln: -ln.y1)
            out.extend(box.objs)
    return out, empties


# --- pages -----------------------------------------------------------------------------------


class PageReader(engine.PageReader):
    """``engine.PageReader`` with PDFium laying out the pages: the same time limit, and the same
    empty page and warning for a page that fails or takes too long."""

    opened: OpenedPDF  # type: ignore[assignment]  # PDFium's, not pdfminer's

    def _recover(self) -> None:
        pass  # PDFium keeps nothing from one page to the next

    @property
    def page_count(self) -> int:
        return len(self.opened.doc)

    def _layout(self, index: int) -> Page:
        if self.opened.check is not None:
            self.opened.check.check_page(index)
        return _layout(self.opened.doc, index)


def _layout(doc: Any, index: int) -> Page:
    page = doc.get_page(index)
    try:
        # the page's own MediaBox, else the inherited one (as the page's bounding box: PDFium's
        # box getters do not look at the parents, crbug.com/pdfium/1786)
        mediabox = page.get_mediabox(fallback_ok=False) or page.get_bbox()
        rotate = page.get_rotation() % 360
        ctm, width, height = _page_transform(mediabox, rotate)
        by_figure, parents = _chars(page, ctm)
    finally:
        page.close()
    bbox = (0.0, 0.0, width, height)
    lines = tuple(_lines(by_figure, parents, bbox, height))
    return Page(index + 1, None, lines, round(width, 1), round(height, 1))


def _lines(
    by_figure: dict[int, list[_Char]], parents: list[int], bbox: Any, page_height: float
) -> Iterator[Line]:
    """Lines in pdfminer's order: the page's boxes, then each figure's (depth first), then empty lines."""
    children: dict[int, list[int]] = {}
    for fig, parent in enumerate(parents):
        if parent >= 0:
            children.setdefault(parent, []).append(fig)

    def has_text(fig: int) -> bool:
        return bool(by_figure.get(fig)) or any(has_text(c) for c in children.get(fig, ()))

    def walk(fig: int) -> Iterator[_TextLine]:
        # a figure's plane is the page's here: PDFium does not give the form's /BBox
        boxed, empties = _analyze(by_figure.get(fig, []), bbox)
        yield from boxed
        for child in children.get(fig, ()):
            if has_text(child):
                yield from walk(child)
        yield from empties

    for text_line in walk(0):
        line = _line(text_line, page_height)
        if line is not None:
            yield line


def _line(text_line: _TextLine, page_height: float) -> Line | None:
    """As ``engine._line``: the text of a line's characters and its spaces."""
    parts: list[str] = []
    chars: list[tuple[int, _Char, str]] = []
    offset = 0
    for obj in text_line.items:
        if isinstance(obj, str):
            text = obj
        else:
            text = obj.text
            chars.append((offset, obj, text))
        parts.append(text)
        offset += len(text)
    text = "".join(parts).rstrip()
    return line_of_chars(text, chars, lambda c: (c.font.bold, c.font.italic), text_line, page_height)


def layout_pages(
    data: bytes | OpenedPDF, password: str = "", start: int = 0, stop: int | None = None
) -> Iterator[Page]:
    """Lay out physical pages ``start``..``stop`` (0-based, ``stop`` excluded) one by one."""
    opened = data if isinstance(data, OpenedPDF) else open_pdf(data, password)
    for page, _warning in PageReader(opened).read(start, stop):
        yield page
