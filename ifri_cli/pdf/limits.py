"""Limits that hold whatever a PDF holds: how far pdfminer may inflate, walk and lay out.

A PDF is untrusted input. A 16 KB file can hold a content stream that inflates to 4 GiB (a
decompression bomb: pdfminer would inflate all of it before the per-page time limit could act),
a bookmark list that loops back on itself or is thousands of entries long (pdfminer walks it
recursively), a page tree nested deeper than Python recurses, a million pages, page labels with
a prefix of a megabyte, or a page of a million drawing operators. So:

* every stream pdfminer decodes while ifri reads (content, fonts, object and cross-reference
  streams) is first checked, through pdfminer's public objects, not to inflate past
  ``max_stream_bytes()`` (``$IFRI_MAX_STREAM_MB``, 64 by default); ``StreamTooLarge`` otherwise;
* a page's layout keeps no drawing (ifri reads text only) and at most ``MAX_PAGE_CHARS``
  characters (``PageTooLarge``); its content streams are decoded for that page only, so a
  process that lays out many pages does not keep them all inflated;
* the page tree and the outline are walked here, without recursion, each object once, at most
  ``max_pages`` pages and ``MAX_OUTLINE_ENTRIES`` bookmarks;
* page labels beyond ``MAX_LABEL`` characters are cut.

The one thing done to pdfminer itself is ``_install_guard``: a wrapper around
``PDFStream.decode`` (the method every decoding goes through) that checks a stream's size
first, and only while ifri reads (a context variable set by ``bounded``): other users of
pdfminer in the process are not affected. ``tests/test_limits.py`` fails if pdfminer stops
decoding through it.
"""

from __future__ import annotations

import copy
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from io import BytesIO
from typing import Any

DEFAULT_MAX_STREAM_MB = 64
MAX_PAGE_CHARS = 200_000  # a dense page holds 5,000; a poster in 4-point type, 100,000
MAX_OUTLINE_ENTRIES = 100_000
MAX_LABEL = 64
MAX_LABEL_PREFIX = 1_000  # pdfminer writes the prefix into every page's label
MAX_INFO = 2_000  # characters of a metadata value or a bookmark title
DEFAULT_MAX_PAGES = 20_000  # a 50 MB text of 50-line pages has 12,000


class StreamTooLarge(BaseException):
    """A stream that would inflate past the limit.

    A BaseException, like the page timer's, so that no ``except Exception`` in pdfminer swallows it.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit

    def __str__(self) -> str:
        return f"a compressed stream inflates past {self.limit >> 20} MB"


class PageTooLarge(BaseException):
    """A page that draws more characters than any real page holds."""


def max_stream_bytes() -> int:
    try:
        megabytes = float(os.environ.get("IFRI_MAX_STREAM_MB", DEFAULT_MAX_STREAM_MB))
    except ValueError:
        megabytes = DEFAULT_MAX_STREAM_MB
    return max(1, int(megabytes * (1 << 20)))


def default_max_pages() -> int:
    try:
        return max(1, int(os.environ.get("IFRI_MAX_PAGES", DEFAULT_MAX_PAGES)))
    except ValueError:
        return DEFAULT_MAX_PAGES


# --- streams ------------------------------------------------------------------------------------

_LIMIT: ContextVar[int | None] = ContextVar("ifri_stream_limit", default=None)


@contextmanager
def bounded() -> Iterator[None]:
    """Inside this block, pdfminer decodes no stream that inflates past ``max_stream_bytes()``."""
    _install_guard()
    token = _LIMIT.set(max_stream_bytes())
    try:
        yield
    finally:
        _LIMIT.reset(token)


_INSTALLED: list[bool] = []


def _install_guard() -> None:
    if _INSTALLED:
        return
    from pdfminer.pdftypes import PDFStream

    original = PDFStream.decode

    def decode(self: Any) -> None:
        limit = _LIMIT.get()
        if limit is not None:
            check_stream(self, limit)
        original(self)

    decode.__wrapped__ = original  # type: ignore[attr-defined]
    PDFStream.decode = decode  # type: ignore[method-assign]
    _INSTALLED.append(True)


# the most bytes one input byte can become, per filter (Flate: 1032; LZW with 12-bit codes: a
# code of 1.5 bytes names at most 3,840 bytes; RunLength: 2 bytes for 128; ASCII85: "z" for 4)
_RATIO = {
    "FlateDecode": 1032,
    "Fl": 1032,
    "LZWDecode": 2600,
    "LZW": 2600,
    "RunLengthDecode": 64,
    "RL": 64,
    "ASCII85Decode": 4,
    "A85": 4,
    "ASCIIHexDecode": 1,
    "AHx": 1,
    "DCTDecode": 1,
    "DCT": 1,
    "JPXDecode": 1,
    "JBIG2Decode": 1,  # passed through as they are
}


def _name(literal: Any) -> str:
    return str(getattr(literal, "name", literal))


def check_stream(stream: Any, limit: int) -> None:
    """Raise ``StreamTooLarge`` when decoding ``stream`` would make more than ``limit`` bytes.

    Only pdfminer's public objects are used: the filters (``get_filters``), the raw bytes
    (``get_rawdata``) and the decryption callback. Most streams are small enough that no
    filter could make them reach the limit: those are let through at once. The others are
    decoded here with every step bounded (a kilobyte at a time past the limit costs nothing),
    then decoded again by pdfminer if they fit; a filter this check does not know is left to
    pdfminer, which raises on it or passes it through.
    """
    raw = stream.get_rawdata()
    if raw is None:  # decoded already
        return
    filters = stream.get_filters()
    bound = len(raw)
    for name in (_name(f) for f, _ in filters):
        bound *= _RATIO.get(name, 1 << 20)
    if bound <= limit:
        return
    data = raw
    if stream.decipher is not None:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    for step, (f, _params) in enumerate(filters, start=1):
        name = _name(f)
        if name in ("FlateDecode", "Fl") and step == len(filters):
            _measure_inflated(data, limit)  # the last step: its size is all that matters
            return
        if name in ("FlateDecode", "Fl"):
            data = _inflate(data, limit)
        elif name in ("LZWDecode", "LZW"):
            data = _unlzw(data, limit)
        elif name in ("RunLengthDecode", "RL"):
            data = _unrun(data, limit)
        elif name in ("ASCII85Decode", "A85"):
            from pdfminer.ascii85 import ascii85decode

            data = ascii85decode(data)
        elif name in ("ASCIIHexDecode", "AHx"):
            from pdfminer.ascii85 import asciihexdecode

            data = asciihexdecode(data)
        elif _RATIO.get(name) != 1:
            return  # unknown to this check (or CCITT, never decoded for text): pdfminer's turn
        if data is None:
            return  # damaged: pdfminer reads what it can of it, no more than was inflated here
        if len(data) > limit:
            raise StreamTooLarge(limit)


def _measure_inflated(data: bytes, limit: int) -> None:
    """Raise ``StreamTooLarge`` if ``data`` inflates past ``limit``, holding a megabyte at a time."""
    inflater = zlib.decompressobj()
    size = 0
    try:
        piece = inflater.decompress(data, 1 << 20)
        while piece:
            size += len(piece)
            if size > limit:
                raise StreamTooLarge(limit)
            piece = inflater.decompress(inflater.unconsumed_tail, 1 << 20)
    except zlib.error:
        return  # damaged: pdfminer reads what it can of it, no more than was inflated here


def _inflate(data: bytes, limit: int) -> bytes | None:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error:
        return None
    if len(out) > limit or inflater.unconsumed_tail:
        raise StreamTooLarge(limit)
    return out


def _unlzw(data: bytes, limit: int) -> bytes | None:
    from pdfminer.lzw import LZWDecoder

    out = bytearray()
    try:
        for piece in LZWDecoder(BytesIO(data)).run():
            out += piece
            if len(out) > limit:
                raise StreamTooLarge(limit)
    except Exception:  # noqa: BLE001 - damaged: pdfminer's own decoding decides
        return None
    return bytes(out)


def _unrun(data: bytes, limit: int) -> bytes | None:
    """RunLength: the decoded length is read from the run headers before anything is decoded."""
    from pdfminer.runlength import rldecode

    size = i = 0
    while i < len(data) and data[i] != 128:
        length = data[i]
        size += length + 1 if length < 128 else 257 - length
        i += length + 2 if length < 128 else 2
        if size > limit:
            raise StreamTooLarge(limit)
    try:
        return rldecode(data)
    except Exception:  # noqa: BLE001 - truncated runs
        return None


# --- pages --------------------------------------------------------------------------------------


def text_device(manager: Any, laparams: Any) -> Any:
    """pdfminer's page aggregator, keeping characters only, and at most ``MAX_PAGE_CHARS`` of them."""
    return _device_class()(manager, laparams=laparams)


_DEVICE: list[type] = []


def _device_class() -> type:
    if _DEVICE:
        return _DEVICE[0]
    from pdfminer.converter import PDFPageAggregator

    class TextOnly(PDFPageAggregator):  # type: ignore[misc]
        chars = 0

        def begin_page(self, *args: Any, **kwargs: Any) -> None:
            self.chars = 0
            super().begin_page(*args, **kwargs)

        def paint_path(self, *args: Any, **kwargs: Any) -> None:
            """Lines and shapes: ifri reads none of them, and a page of a million costs memory."""

        def render_char(self, *args: Any, **kwargs: Any) -> float:
            self.chars += 1
            if self.chars > MAX_PAGE_CHARS:
                raise PageTooLarge
            return super().render_char(*args, **kwargs)  # type: ignore[no-any-return]

    _DEVICE.append(TextOnly)
    return TextOnly


def with_fresh_contents(page: Any) -> Any:
    """A copy of ``page`` whose content streams are new, undecoded copies of its own.

    pdfminer keeps a stream's inflated bytes in the stream object, and the page keeps its
    streams: laid out as they are, every page read would stay inflated in memory until the
    document is closed. The copy is decoded, laid out and dropped.
    """
    from pdfminer.pdftypes import PDFStream, resolve1

    fresh = []
    for ref in page.contents or []:
        stream = resolve1(ref)
        raw = stream.get_rawdata() if isinstance(stream, PDFStream) else None
        if raw is not None:
            copied = PDFStream(stream.attrs, raw, stream.decipher)
            copied.set_objid(stream.objid, stream.genno)
            stream = copied
        fresh.append(stream)
    page = copy.copy(page)
    page.contents = fresh
    return page


class TooManyPages(Exception):
    def __init__(self, limit: int, claimed: int | None) -> None:
        super().__init__(limit)
        self.limit = limit
        self.claimed = claimed


def page_objects(doc: Any, max_pages: int) -> list[Any]:
    """The pages of ``doc`` in order, as ``PDFPage.create_pages`` finds them, but walked without
    recursion (a tree nested thousands deep), each node once (a tree that loops back on itself),
    with no page labels (``_labels`` reads them, within limits) and at most ``max_pages`` pages:
    ``TooManyPages`` past that."""
    from pdfminer.pdfpage import LITERAL_PAGE, LITERAL_PAGES, PDFPage
    from pdfminer.pdftypes import dict_value, list_value

    catalog = doc.catalog
    pages: list[Any] = []
    if "Pages" in catalog:
        seen: set[Any] = set()
        stack: list[tuple[Any, dict[str, Any]]] = [(catalog["Pages"], catalog)]
        while stack:
            obj, parent = stack.pop()
            if isinstance(obj, int):
                objid, attrs = obj, dict_value(doc.getobj(obj)).copy()
            else:
                objid, attrs = getattr(obj, "objid", id(obj)), dict_value(obj).copy()
            if objid in seen:
                continue
            seen.add(objid)
            for key, value in parent.items():
                if key in PDFPage.INHERITABLE_ATTRS and key not in attrs:
                    attrs[key] = value
            kind = attrs.get("Type", attrs.get("type"))
            if kind is LITERAL_PAGES and "Kids" in attrs:
                stack.extend((kid, attrs) for kid in reversed(list_value(attrs["Kids"])))
            elif kind is LITERAL_PAGE:
                if len(pages) >= max_pages:
                    raise TooManyPages(max_pages, _claimed_count(catalog))
                pages.append(PDFPage(doc, objid, attrs, None))
    if not pages:  # no page tree: pdfminer looks for pages among all the objects, and so do we
        for page in PDFPage.create_pages(doc):
            if len(pages) >= max_pages:
                raise TooManyPages(max_pages, None)
            page.label = None
            pages.append(page)
    return pages


def _claimed_count(catalog: Any) -> int | None:
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(catalog["Pages"]).get("Count"))
    except Exception:  # noqa: BLE001 - only for the message
        return None
    return count if isinstance(count, int) and count > 0 else None


def labels_within_limits(doc: Any) -> bool:
    """Whether the /PageLabels can be read: pdfminer copies a range's prefix into the label of each
    of its pages, and a prefix of a megabyte (a few bytes in a compressed object stream) over ten
    thousand pages is ten gigabytes to copy."""
    from pdfminer.data_structures import NumberTree
    from pdfminer.pdftypes import dict_value, resolve1

    tree = doc.catalog.get("PageLabels")
    if tree is None:
        return True
    for _start, value in NumberTree(tree).values:
        prefix = resolve1(dict_value(value).get("P", b""))
        if isinstance(prefix, (bytes, str)) and len(prefix) > MAX_LABEL_PREFIX:
            return False
    return True


# --- the outline --------------------------------------------------------------------------------


class OutlineLoop(Exception):
    """The outline's /Next or /First links lead back to an entry already read."""


class OutlineTooLong(Exception):
    pass


def outline_entries(doc: Any) -> Iterator[tuple[int, Any, Any, Any]]:
    """(level, title, /Dest, /A) of each bookmark in document order, as pdfminer's
    ``get_outlines`` gives them, walked without recursion (a flat list of thousands of entries
    overflowed Python's stack there), each entry once: a link that leads back to an entry already
    read is not followed, and ``OutlineLoop`` is raised at the end; ``OutlineTooLong`` past
    ``MAX_OUTLINE_ENTRIES``, after yielding what came before.
    Raises pdfminer's ``PDFNoOutlines`` when there is no outline."""
    from pdfminer.pdfdocument import PDFNoOutlines
    from pdfminer.pdftypes import PDFObjRef, dict_value, str_value

    if "Outlines" not in doc.catalog:
        raise PDFNoOutlines
    seen: set[int] = set()
    stack: list[tuple[Any, int]] = [(doc.catalog["Outlines"], 0)]
    count = 0
    looped = False
    while stack:
        node, level = stack.pop()
        if isinstance(node, PDFObjRef):
            if node.objid in seen:
                looped = True  # a link back: not followed, the rest is read
                continue
            seen.add(node.objid)
        count += 1
        if count > MAX_OUTLINE_ENTRIES + 1:  # (the outline's root is no entry)
            raise OutlineTooLong
        entry = dict_value(node)
        if "Title" in entry and ("A" in entry or "Dest" in entry):
            yield level, str_value(entry["Title"]), entry.get("Dest"), entry.get("A")
        if "Next" in entry:
            stack.append((entry["Next"], level))
        if "First" in entry and "Last" in entry:
            stack.append((entry["First"], level + 1))
    if looped:
        raise OutlineLoop


# --- what PDFium decodes, checked before it does ----------------------------------------------

MAX_CHECKED_OBJECTS = 10_000  # objects looked at for one page: its contents, fonts, forms...
_NOT_FOLLOWED = frozenset({"Parent", "P", "Annots", "Thumb", "B", "Metadata", "PieceInfo"})


def page_streams(page: Any) -> Iterator[Any]:
    """The streams a text reader may decode to read ``page``, found through pdfminer's objects:
    its contents and what its resources reach (forms and their resources, fonts' programs and
    /ToUnicode maps, Type 3 glyphs), images excepted (text extraction never decodes them).
    Each object once, at most ``MAX_CHECKED_OBJECTS`` of them."""
    from pdfminer.pdftypes import PDFObjRef, PDFStream
    from pdfminer.psparser import PSLiteral

    seen: set[int] = set()
    stack: list[Any] = [page.attrs.get("Contents"), page.attrs.get("Resources")]
    looked = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, PDFObjRef):
            if obj.objid in seen:
                continue
            seen.add(obj.objid)
            try:
                obj = obj.resolve()
            except Exception:  # noqa: BLE001 - a dangling or damaged object: the reader's problem
                continue
        looked += 1
        if looked > MAX_CHECKED_OBJECTS:
            return
        if isinstance(obj, PDFStream):
            subtype = obj.attrs.get("Subtype")
            if isinstance(subtype, PSLiteral) and subtype.name == "Image":
                continue
            yield obj
            stack.extend(v for k, v in obj.attrs.items() if k not in _NOT_FOLLOWED)
        elif isinstance(obj, dict):
            stack.extend(v for k, v in obj.items() if k not in _NOT_FOLLOWED)
        elif isinstance(obj, list):
            stack.extend(obj)


class StreamCheck:
    """For an engine that decodes streams where ifri cannot bound it (PDFium, in C): the PDF as
    pdfminer reads it, to check each page's streams (``page_streams``) before that engine reads the
    page. ``check_page`` raises ``StreamTooLarge``; a stream found within the limit is not checked
    again on a later page (fonts are shared)."""

    def __init__(self, pages: list[Any]) -> None:
        self.pages = pages
        self.checked: set[int] = set()

    def check_page(self, index: int) -> None:
        with bounded():
            limit = _LIMIT.get()
            assert limit is not None
            for stream in page_streams(self.pages[index]):
                key = stream.objid if stream.objid is not None else id(stream)
                if key in self.checked:
                    continue
                try:
                    check_stream(stream, limit)
                except Exception:  # noqa: BLE001 - damaged: the reader reads what it can of it
                    pass
                self.checked.add(key)

    def check_all(self) -> None:
        for index in range(len(self.pages)):
            self.check_page(index)
