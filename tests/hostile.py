"""Hostile inputs, written by hand (raw PDF syntax, zlib, fpdf2): nothing is downloaded.

Used by tests/test_untrusted.py, tests/test_limits.py and scripts/fuzz.py. Every builder writes
its file and returns its path; sizes are parameters, small by default.

* ``evil_pdf``: text, /Info metadata, bookmarks and page labels holding any characters (control
  characters, escape sequences, bidi overrides): a font whose /ToUnicode map gives them;
* ``bomb_pdf``: a page whose content stream inflates to ``size`` bytes (Flate, 1 or 2 layers);
* ``outline_pdf``: bookmarks, any number, optionally looping back (/Next or /First);
* ``page_tree_cycle_pdf``: a page tree whose /Kids lead back to an ancestor (or itself);
* ``long_pdf``: an ordinary report of many pages (fpdf2); ``report_text``: the same as text.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Sequence
from pathlib import Path

ESC = "\x1b"
PAYLOADS = {
    "clear": ESC + "[2J",
    "red": ESC + "[31m",
    "osc_title": ESC + "]0;pwned\x07",
    "bel": "\x07",
    "c0": "\x08\x0b\x0d\x7f",  # BS, VT, CR, DEL
    "c1": "\x85\x9b\x9d\x90\x9c",  # NEL, CSI, OSC, DCS, ST as C1 code points
    "bidi": "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
}


def evil(words: str) -> str:
    """``words`` with every payload in them (and the word 'payload', to search for)."""
    p = PAYLOADS
    return (
        f"{words} {p['red']}payload{p['clear']} {p['osc_title']}{p['bel']}{p['c0']}x{p['c1']}y "
        f"{p['bidi']}gnirts{ESC}[0m"
    )


# --- raw PDF writing --------------------------------------------------------------------------


class RawPDF:
    """Objects numbered from 1 in order; ``reserve`` a number to fill in later."""

    def __init__(self) -> None:
        self.objects: list[bytes | None] = []

    def reserve(self) -> int:
        self.objects.append(None)
        return len(self.objects)

    def set(self, number: int, body: bytes) -> int:
        self.objects[number - 1] = body
        return number

    def add(self, body: bytes) -> int:
        return self.set(self.reserve(), body)

    def bytes(self, root: int, info: int | None = None) -> bytes:
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.objects, start=1):
            assert body is not None, f"object {number} was reserved and never set"
            offsets.append(len(out))
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        trailer = b"<< /Size %d /Root %d 0 R" % (len(self.objects) + 1, root)
        if info:
            trailer += b" /Info %d 0 R" % info
        out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
        return bytes(out)


def stream(data: bytes, *, flate: int = 0, raw: bytes | None = None, extra: bytes = b"") -> bytes:
    """A stream object; ``flate``: FlateDecode layers; ``raw``: bytes already encoded that way."""
    if raw is None:
        raw = data
        for _ in range(flate):
            raw = zlib.compress(raw, 9)
    filters = b""
    if flate == 1:
        filters = b" /Filter /FlateDecode"
    elif flate > 1:
        filters = b" /Filter [" + b" ".join([b"/FlateDecode"] * flate) + b"]"
    return b"<< /Length %d%s %s>>\nstream\n" % (len(raw), filters, extra) + raw + b"\nendstream"


def pdf_string(text: str) -> bytes:
    """A PDF text string: UTF-16BE with its byte-order mark, in hex (any code point survives)."""
    return b"<FEFF" + text.encode("utf-16-be", "surrogatepass").hex().upper().encode() + b">"


class Font:
    """A simple font whose one-byte codes mean any characters: printable ASCII stands for itself,
    every other character gets a free code, told by the /ToUnicode map."""

    def __init__(self, texts: Sequence[str]) -> None:
        free = [c for c in range(256) if not 0x20 <= c < 0x7F]
        self.codes: dict[str, int] = {}
        for ch in sorted({ch for text in texts for ch in text if not 0x20 <= ord(ch) < 0x7F}):
            if not free:
                raise ValueError("more than 161 distinct special characters")
            self.codes[ch] = free.pop(0)

    def encode(self, text: str) -> bytes:
        return bytes(self.codes.get(ch, ord(ch)) for ch in text)

    def resources(self, doc: RawPDF) -> bytes:
        lines = [
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            b"/CMapName /Hostile-UCS def /CMapType 2 def",
            b"1 begincodespacerange <00> <FF> endcodespacerange",
            b"1 beginbfrange <20> <7E> <0020> endbfrange",
        ]
        if self.codes:
            lines.append(b"%d beginbfchar" % len(self.codes))
            for ch, code in sorted(self.codes.items(), key=lambda item: item[1]):
                lines.append(
                    b"<%02X> <%s>" % (code, ch.encode("utf-16-be", "surrogatepass").hex().upper().encode())
                )
            lines.append(b"endbfchar")
        lines.append(b"endcmap CMapName currentdict /CMap defineresource pop end end")
        cmap = doc.add(stream(b"\n".join(lines)))
        widths = b" ".join([b"500"] * 256)
        common = b"/FirstChar 0 /LastChar 255 /Widths [%s] /ToUnicode %d 0 R" % (widths, cmap)
        regular = doc.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica %s >>" % common)
        bold = doc.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold %s >>" % common)
        return b"<< /F1 %d 0 R /F2 %d 0 R >>" % (regular, bold)


Line = tuple[str, float, bool]  # text, size, bold


def text_ops(
    lines: Sequence[Line], encode=lambda s: s.encode("latin-1", "replace"), top: float = 780
) -> bytes:  # noqa: ANN001
    ops = [b"BT"]
    y = top
    for text, size, bold in lines:
        ops.append(
            b"/F%d %g Tf 1 0 0 1 72 %g Tm <%s> Tj" % (2 if bold else 1, size, y, encode(text).hex().encode())
        )
        y -= size * 1.5
    ops.append(b"ET")
    return b"\n".join(ops)


WORDS = (
    "policy energy security regional cooperation government strategy market growth reform "
    "agreement defence trade investment sanctions partnership economic political analysis report "
    "institutional framework development capacity infrastructure budget transition climate"
).split()


def sentences(rng: random.Random, count: int) -> list[str]:
    return [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize() + "."
        for _ in range(count)
    ]


def wrap(text: str, width: int = 88) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, current] if current else lines


def report_pages(
    count: int,
    seed: int = 1,
    heading=lambda i: f"{i} Section {i}",
    extra: str = "",  # noqa: ANN001
) -> list[list[Line]]:
    """``count`` ordinary pages: a heading, three paragraphs (each with ``extra`` in it), a page number."""
    rng = random.Random(seed)
    pages = []
    for i in range(1, count + 1):
        lines: list[Line] = [(heading(i), 16, True)]
        for _ in range(3):
            paragraph = (
                " ".join(sentences(rng, 3)) + (f" {extra} " if extra else " ") + " ".join(sentences(rng, 2))
            )
            lines += [(line, 10, False) for line in wrap(paragraph)]
        lines.append((str(i), 9, False))
        pages.append(lines)
    return pages


def _page_objects(
    doc: RawPDF, parent: int, contents: Sequence[bytes], fonts: bytes, flate: int = 1
) -> list[int]:
    kids = []
    for content in contents:
        number = doc.add(stream(content, flate=flate))
        kids.append(
            doc.add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                b"/Resources << /Font %s >> >>" % (parent, number, fonts)
            )
        )
    return kids


def _kids(kids: Sequence[int]) -> bytes:
    return b" ".join(b"%d 0 R" % k for k in kids)


def evil_pdf(
    path: Path,
    pages: Sequence[Sequence[Line]],
    *,
    info: dict[str, str] | None = None,
    outline: Sequence[tuple[str, int]] = (),
    label_prefix: str | None = None,
) -> Path:
    """A PDF whose text, /Info, bookmarks (title, 1-based page) and label prefix hold anything."""
    texts = [text for page in pages for text, _, _ in page]
    font = Font(texts)
    doc = RawPDF()
    catalog, pages_id = doc.reserve(), doc.reserve()
    fonts = font.resources(doc)
    kids = _page_objects(doc, pages_id, [text_ops(page, font.encode) for page in pages], fonts)
    doc.set(pages_id, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (_kids(kids), len(kids)))
    info_id = None
    if info:
        info_id = doc.add(
            b"<< " + b" ".join(b"/%s %s" % (k.encode(), pdf_string(v)) for k, v in info.items()) + b" >>"
        )
    extra = b""
    if label_prefix is not None:
        extra += b" /PageLabels << /Nums [0 << /S /D /P %s >>] >>" % pdf_string(label_prefix)
    if outline:
        root = doc.reserve()
        ids = [doc.reserve() for _ in outline]
        for j, (title, page) in enumerate(outline):
            entry = b"/Title %s /Parent %d 0 R /Dest [%d 0 R /XYZ 0 842 0]" % (
                pdf_string(title),
                root,
                kids[min(max(page, 1), len(kids)) - 1],
            )
            if j:
                entry += b" /Prev %d 0 R" % ids[j - 1]
            if j + 1 < len(ids):
                entry += b" /Next %d 0 R" % ids[j + 1]
            doc.set(ids[j], b"<< " + entry + b" >>")
        doc.set(
            root, b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (ids[0], ids[-1], len(ids))
        )
        extra += b" /Outlines %d 0 R" % root
    doc.set(catalog, b"<< /Type /Catalog /Pages %d 0 R%s >>" % (pages_id, extra))
    path.write_bytes(doc.bytes(catalog, info=info_id))
    return path


def evil_report(path: Path, *, outline: bool = True) -> Path:
    """A five-page report with every payload in its text, metadata, bookmarks and page labels."""
    names = ["Introduction", "Background", "Findings", "Conclusion"]
    rng = random.Random(13)
    pages: list[list[Line]] = [
        [
            (evil("The Title of an Evil Report"), 20, True),
            (evil("By An Author"), 12, False),
            ("March 2026", 12, False),
        ]
    ]
    for i, name in enumerate(names, start=1):
        lines: list[Line] = [(evil(f"{i} {name}"), 16, True)]
        for _ in range(3):
            paragraph = " ".join(sentences(rng, 3)) + " " + evil("This sentence carries the payload word.")
            lines += [(line, 10, False) for line in wrap(paragraph, 90)]
        lines.append((str(i), 9, False))
        pages.append(lines)
    info = {key: evil(f"Evil {key}") for key in ("Title", "Author", "Subject", "Creator", "Producer")}
    marks = [(evil(f"{i} {name}"), i + 1) for i, name in enumerate(names, start=1)] if outline else []
    return evil_pdf(path, pages, info=info, outline=marks, label_prefix=ESC + "[31m\u202e\x07p")


def evil_text(path: Path) -> Path:
    """The same report as a text file, its pages separated by form feeds."""
    rng = random.Random(13)
    pages = [evil("The Title of an Evil Report") + "\n\n" + evil("By An Author") + "\n\nMarch 2026\n"]
    for i, name in enumerate(["Introduction", "Background", "Findings", "Conclusion"], start=1):
        body = "\n".join(
            wrap(" ".join(sentences(rng, 3)) + " " + evil("This sentence carries the payload word."))
        )
        pages.append(f"{evil(f'{i} {name}')}\n\n{body}\n\n{i}\n")
    path.write_text("\f".join(pages), encoding="utf-8")
    return path


# --- limits ------------------------------------------------------------------------------------


def bomb_pdf(path: Path, size: int, *, layers: int = 1, pages: int = 4, fill: bytes = b" ") -> Path:
    """``pages`` ordinary pages and, as page 2, one whose content stream is a heading followed by
    ``size`` bytes of ``fill`` (spaces: nothing to draw), deflated ``layers`` times."""
    doc = RawPDF()
    catalog, pages_id = doc.reserve(), doc.reserve()
    fonts = Font([]).resources(doc)
    contents = [text_ops(page) for page in report_pages(pages, seed=11)]
    kids = _page_objects(doc, pages_id, contents, fonts)
    head = text_ops([("2 Bomb page", 16, True), ("This page inflates to gigabytes.", 10, False)]) + b"\n"
    deflater = zlib.compressobj(9)
    deflated = bytearray(deflater.compress(head))
    chunk = fill * (1 << 20)
    left = size
    while left > 0:
        piece = chunk if left >= len(chunk) else chunk[:left]
        deflated += deflater.compress(piece)
        left -= len(piece)
    deflated += deflater.flush()
    data = bytes(deflated)
    for _ in range(layers - 1):
        data = zlib.compress(data, 9)
    content = doc.add(stream(b"", flate=layers, raw=data))
    bomb = doc.add(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
        b"/Resources << /Font %s >> >>" % (pages_id, content, fonts)
    )
    kids.insert(1, bomb)
    doc.set(pages_id, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (_kids(kids), len(kids)))
    doc.set(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    path.write_bytes(doc.bytes(catalog))
    return path


def outline_pdf(
    path: Path, entries: Sequence[tuple[str, int, int]], pages: int, *, cycle: str | None = None
) -> Path:
    """A report of ``pages`` pages with bookmarks (title, level, page). ``cycle``: ``next`` (the last
    top-level entry's /Next is the first) or ``first`` (a leaf's /First is its own parent)."""
    doc = RawPDF()
    catalog, pages_id, root = doc.reserve(), doc.reserve(), doc.reserve()
    fonts = Font([]).resources(doc)
    kids = _page_objects(
        doc,
        pages_id,
        [text_ops(p) for p in report_pages(pages, seed=5, heading=lambda i: f"{i} Part {i}")],
        fonts,
    )
    doc.set(pages_id, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (_kids(kids), len(kids)))
    ids = [doc.reserve() for _ in entries]
    parent: list[int] = []
    stack: list[int] = []
    for i, (_, level, _) in enumerate(entries):
        while stack and entries[stack[-1]][1] >= level:
            stack.pop()
        parent.append(stack[-1] if stack else -1)
        stack.append(i)
    children: dict[int, list[int]] = {}
    for i, p in enumerate(parent):
        children.setdefault(p, []).append(i)
    for p, mine in children.items():
        for j, i in enumerate(mine):
            title, _, page = entries[i]
            fields = [
                b"/Title " + pdf_string(title),
                b"/Parent %d 0 R" % (ids[p] if p >= 0 else root),
                b"/Dest [%d 0 R /XYZ 0 842 0]" % kids[min(page, pages) - 1],
            ]
            if j > 0:
                fields.append(b"/Prev %d 0 R" % ids[mine[j - 1]])
            if j + 1 < len(mine):
                fields.append(b"/Next %d 0 R" % ids[mine[j + 1]])
            elif cycle == "next" and p == -1:
                fields.append(b"/Next %d 0 R" % ids[mine[0]])
            below = children.get(i, [])
            if below:
                fields.append(
                    b"/First %d 0 R /Last %d 0 R /Count %d" % (ids[below[0]], ids[below[-1]], len(below))
                )
            elif cycle == "first" and p >= 0 and j == 0:
                fields.append(b"/First %d 0 R /Last %d 0 R /Count 1" % (ids[p], ids[p]))
            doc.set(ids[i], b"<< " + b" ".join(fields) + b" >>")
    top = children[-1]
    doc.set(
        root,
        b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (ids[top[0]], ids[top[-1]], len(top)),
    )
    doc.set(catalog, b"<< /Type /Catalog /Pages %d 0 R /Outlines %d 0 R >>" % (pages_id, root))
    path.write_bytes(doc.bytes(catalog))
    return path


def nested_entries(chapters: int, sections: int, pages: int) -> list[tuple[str, int, int]]:
    total = chapters * (sections + 1)
    out = []
    for c in range(1, chapters + 1):
        base = (c - 1) * (sections + 1)
        out.append((f"{c} Part {c}", 1, 1 + base * pages // total))
        out += [
            (f"{c}.{s} Subpart {c}.{s}", 2, 1 + (base + s) * pages // total) for s in range(1, sections + 1)
        ]
    return out


def flat_entries(count: int, pages: int) -> list[tuple[str, int, int]]:
    return [(f"{i} Entry number {i}", 1, 1 + (i - 1) * pages // count) for i in range(1, count + 1)]


def page_tree_cycle_pdf(path: Path, variant: str = "ancestor") -> Path:
    """Eight pages under two /Pages nodes; the inner node's /Kids also names the root
    (``ancestor``) or itself (``self``)."""
    doc = RawPDF()
    catalog, root, inner = doc.reserve(), doc.reserve(), doc.reserve()
    fonts = Font([]).resources(doc)
    first = _page_objects(doc, root, [text_ops(p) for p in report_pages(4, seed=3)], fonts)
    second = _page_objects(
        doc,
        inner,
        [text_ops(p) for p in report_pages(4, seed=4, heading=lambda i: f"{i + 4} Section {i + 4}")],
        fonts,
    )
    back = root if variant == "ancestor" else inner
    doc.set(root, b"<< /Type /Pages /Kids [%s %d 0 R] /Count 8 >>" % (_kids(first), inner))
    doc.set(
        inner, b"<< /Type /Pages /Parent %d 0 R /Kids [%s %d 0 R] /Count 4 >>" % (root, _kids(second), back)
    )
    doc.set(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % root)
    path.write_bytes(doc.bytes(catalog))
    return path


def deep_page_tree_pdf(path: Path, depth: int = 3000) -> Path:
    """One page under ``depth`` nested /Pages nodes: deeper than Python recurses."""
    doc = RawPDF()
    catalog = doc.reserve()
    nodes = [doc.reserve() for _ in range(depth)]
    fonts = Font([]).resources(doc)
    (page,) = _page_objects(doc, nodes[-1], [text_ops(report_pages(1)[0])], fonts)
    for i, node in enumerate(nodes):
        kid = nodes[i + 1] if i + 1 < depth else page
        parent = b" /Parent %d 0 R" % nodes[i - 1] if i else b""
        doc.set(node, b"<< /Type /Pages%s /Kids [%d 0 R] /Count 1 >>" % (parent, kid))
    doc.set(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % nodes[0])
    path.write_bytes(doc.bytes(catalog))
    return path


def many_pages_pdf(path: Path, pages: int) -> Path:
    """``pages`` pages that all share one tiny content stream: a big page count in a small file."""
    doc = RawPDF()
    catalog, pages_id = doc.reserve(), doc.reserve()
    fonts = Font([]).resources(doc)
    content = doc.add(stream(text_ops([("A page of a very long document.", 10, False)]), flate=1))
    kids = [
        doc.add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font %s >> >>" % (pages_id, content, fonts)
        )
        for _ in range(pages)
    ]
    doc.set(pages_id, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (_kids(kids), len(kids)))
    doc.set(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    path.write_bytes(doc.bytes(catalog))
    return path


def long_pdf(path: Path, pages: int = 2000, seed: int = 7) -> Path:
    """A long ordinary report made with fpdf2: running header, chapters every 20 pages, numbered sections."""
    from fpdf import FPDF

    rng = random.Random(seed)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title("A Very Long Report on Regional Policy")
    pdf.set_author("Hostile Generator")
    chapter = section = 0
    for n in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("Helvetica", "", 8)
        pdf.set_xy(20, 10)
        pdf.cell(170, 5, "A Very Long Report on Regional Policy")
        pdf.set_xy(20, 25)
        if n == 1:
            pdf.set_font("Helvetica", "B", 24)
            pdf.multi_cell(
                170, 12, "A Very Long Report on Regional Policy\n\nHostile Generator\n\nMarch 2026"
            )
            continue
        if n % 20 == 2:
            chapter += 1
            section = 0
            pdf.set_font("Helvetica", "B", 18)
            pdf.multi_cell(170, 9, f"{chapter} {rng.choice(WORDS).capitalize()} and {rng.choice(WORDS)}")
            pdf.ln(4)
        while pdf.get_y() < 250:
            if rng.random() < 0.25:
                section += 1
                pdf.set_font("Helvetica", "B", 13)
                pdf.set_x(20)
                pdf.multi_cell(
                    170, 6.5, f"{chapter}.{section} {rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}"
                )
                pdf.ln(2)
            pdf.set_font("Helvetica", "", 10.5)
            pdf.set_x(20)
            pdf.multi_cell(170, 5, " ".join(sentences(rng, rng.randint(3, 6))))
            pdf.ln(3)
        pdf.set_font("Helvetica", "", 9)
        pdf.set_xy(20, 282)
        pdf.cell(170, 5, str(n - 1), align="C")
    pdf.output(str(path))
    return path


def report_text(path: Path, megabytes: float, *, form_feeds: bool = True, seed: int = 9) -> Path:
    """About ``megabytes`` MB of a report as text: 50-line pages, chapters, sections, page numbers."""
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    written = chapter = section = page = 0
    with path.open("w", encoding="utf-8") as out:
        while written < target:
            page += 1
            lines = ["A Very Long Report on Regional Policy", ""]
            if page % 20 == 1:
                chapter += 1
                section = 0
                lines += [f"{chapter} {rng.choice(WORDS).capitalize()} and {rng.choice(WORDS)}", ""]
            while len(lines) < 50:
                if rng.random() < 0.2:
                    section += 1
                    lines += [f"{chapter}.{section} {rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}", ""]
                lines += [*wrap(" ".join(sentences(rng, rng.randint(3, 6))), 80), ""]
            lines.append(str(page))
            text = "\n".join(lines) + ("\n\f" if form_feeds else "\n\n")
            out.write(text)
            written += len(text.encode())
    return path
