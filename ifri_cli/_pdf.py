"""Everything that touches pdfminer.six lives here, and pdfminer is imported lazily.

The rest of ifri sees only ``model`` objects: pages of lines with font size,
weight and position, the outline with destinations resolved to physical pages,
and the /PageLabels when the PDF has them.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ifri_cli.errors import BrokenPDF, EncryptedPDF
from ifri_cli.model import Line, OutlineItem, Page

_BOLD = re.compile(r"bold|black|heavy|semibold|demi|-medi|cmbx|cmb\d|-bd\b|,bd\b|bd$", re.I)
_ITALIC = re.compile(r"italic|oblique|-it\b|cmti|cmsl|-ital", re.I)


@dataclass
class RawPDF:
    """What the document catalogue tells without laying out any page."""

    info: dict[str, str]
    page_count: int
    outline: tuple[OutlineItem, ...]
    labels: tuple[str, ...] | None
    warnings: list[str]


def quiet_pdfminer(verbose: bool = False) -> None:
    logging.getLogger("pdfminer").setLevel(logging.DEBUG if verbose else logging.ERROR)


def _open(data: bytes, password: str) -> tuple[Any, list[Any]]:
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.psparser import PSException

    try:
        parser = PDFParser(io.BytesIO(data))
        doc = PDFDocument(parser, password=password)
        pages = list(PDFPage.create_pages(doc))
    except PDFPasswordIncorrect:
        if password:
            raise EncryptedPDF("the password is wrong for this encrypted PDF") from None
        raise EncryptedPDF(
            "this PDF is encrypted and needs a password", hint="give it with --password"
        ) from None
    except PDFEncryptionError as exc:
        raise EncryptedPDF(f"cannot decrypt this PDF: {exc}") from None
    except (PSException, ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        raise BrokenPDF(f"cannot read this PDF: {exc or type(exc).__name__}") from None
    return doc, pages


def read_catalogue(data: bytes, password: str = "") -> RawPDF:
    doc, pages = _open(data, password)
    warnings: list[str] = []
    return RawPDF(
        info=_info(doc),
        page_count=len(pages),
        outline=_outline(doc, pages, warnings),
        labels=_labels(doc, len(pages)),
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
                    out[str(key)] = text
        except Exception:  # noqa: BLE001 - a broken /Info dict must not stop the read
            continue
    return out


def _labels(doc: Any, count: int) -> tuple[str, ...] | None:
    from pdfminer.pdfdocument import PDFNoPageLabels

    try:
        labels = []
        for label in doc.get_page_labels():
            labels.append(str(label))
            if len(labels) >= count:
                break
    except PDFNoPageLabels:
        return None
    except Exception:  # noqa: BLE001 - malformed /PageLabels: behave as if absent
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
        for level, title, dest, action, _se in doc.get_outlines():
            if dest is None and action is not None:
                action = resolve1(action)
                dest = action.get("D") if isinstance(action, dict) else None
            title_text = _decode(title) if title is not None else ""
            title_text = re.sub(r"\s+", " ", title_text).strip()
            if not title_text:
                continue
            items.append(OutlineItem(title_text, max(1, int(level)), resolve_dest(dest)))
    except PDFNoOutlines:
        return ()
    except Exception as exc:  # noqa: BLE001 - a broken outline is reported, not fatal
        warnings.append(f"the PDF outline is damaged ({type(exc).__name__}); ignored after entry {len(items)}")
    return tuple(items)


def _laparams() -> Any:
    from pdfminer.layout import LAParams

    return LAParams(all_texts=True)


def layout_pages(
    data: bytes, password: str = "", start: int = 0, stop: int | None = None
) -> Iterator[Page]:
    """Lay out physical pages ``start``..``stop`` (0-based, ``stop`` excluded) one by one."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager

    _doc, pages = _open(data, password)
    manager = PDFResourceManager(caching=True)
    device = PDFPageAggregator(manager, laparams=_laparams())
    interpreter = PDFPageInterpreter(manager, device)
    for index in range(start, len(pages) if stop is None else min(stop, len(pages))):
        pdf_page = pages[index]
        try:
            interpreter.process_page(pdf_page)
            layout = device.get_result()
            lines = tuple(_lines(layout, layout.height))
            yield Page(index + 1, None, lines, round(layout.width, 1), round(layout.height, 1))
        except Exception:  # noqa: BLE001 - one bad page must not cost the others
            yield Page(index + 1, None, (), None, None)


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
    chars: list[tuple[int, Any]] = []
    offset = 0
    for obj in text_line:
        text = obj.get_text()
        if isinstance(obj, LTChar):
            chars.append((offset, obj))
        parts.append(text)
        offset += len(text)
    raw = "".join(parts)
    text = raw.rstrip("\n").rstrip()
    if not text.strip() or not chars:
        return None
    sizes = Counter(round(c.size, 1) for _, c in chars if c.get_text().strip())
    size = sizes.most_common(1)[0][0] if sizes else round(chars[0][1].size, 1)
    visible = [c for _, c in chars if c.get_text().strip()] or [c for _, c in chars]
    bold = sum(1 for c in visible if _BOLD.search(c.fontname)) * 2 > len(visible)
    italic = sum(1 for c in visible if _ITALIC.search(c.fontname)) * 2 > len(visible)
    return Line(
        text=text,
        size=size,
        bold=bold,
        italic=italic,
        x0=round(text_line.x0, 1),
        top=round(page_height - text_line.y1, 1),
        x1=round(text_line.x1, 1),
        bottom=round(page_height - text_line.y0, 1),
        superscripts=_superscripts(chars, size, len(text)),
    )


def _superscripts(chars: list[tuple[int, Any]], size: float, length: int) -> tuple[tuple[int, int], ...]:
    """Spans of small raised characters: footnote markers like the 12 in ``Venezuela.12``."""
    normal = [c.y0 for _, c in chars if c.size >= size * 0.9]
    if not normal:
        return ()
    baseline = sorted(normal)[len(normal) // 2]
    spans: list[list[int]] = []
    for offset, char in chars:
        if offset >= length:
            break
        raised = char.size < size * 0.85 and char.y0 > baseline + size * 0.15
        if raised and char.get_text().strip():
            if spans and spans[-1][1] == offset:
                spans[-1][1] = offset + len(char.get_text())
            else:
                spans.append([offset, offset + len(char.get_text())])
    return tuple((a, b) for a, b in spans)
