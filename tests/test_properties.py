"""Property tests: arbitrary text never makes an exception escape.

Text of every kind (control characters, form feeds, very long lines, any
unicode, contents-like rows with leaders and page numbers) goes through the text
path (``ingest.load_bytes``, the whole ``open_document`` pipeline from a file and
from stdin, the commands themselves) and through the contents-page parser on
positioned lines. ``IfriError`` is the one exception allowed out: it is how the
library says "bad input". Example counts stay small so the suite stays fast.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ifri_cli import ingest, open_document, render
from ifri_cli.cli import app
from ifri_cli.document import structure
from ifri_cli.errors import IfriError
from ifri_cli.model import Document, Line, Metadata, Page
from ifri_cli.structure import address, contents, sections, toc

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# any character a str can hold and a codec can write (no lone surrogates)
ANY_CHAR = st.characters(exclude_categories=("Cs",))
AWKWARD = st.sampled_from(
    list("\x00\x01\x07\x08\x0b\x0c\x0e\x1b\x7f\r\t\f\u0085\u2028\u2029\ufeff\u200b\u00ad\u00a0\u202e\ufffd")
    + ["ﬁ", "e\u0301", "\U0001f600", "…", "—", "·", "[bold]", "%PDF-"]
)
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèàçñüÉ'-"
WORD = st.text(st.sampled_from(LETTERS), min_size=1, max_size=12)
NUMBER = st.one_of(
    st.integers(0, 10_000).map(str),
    st.lists(st.integers(0, 30).map(str), min_size=1, max_size=4).map(".".join),
    st.sampled_from(["i", "ii", "iv", "ix", "xl", "A", "B.2", "IV", "12a", "3–7", "-1", "007"]),
)
LEADER = st.sampled_from(["", " ", "\t", " .......... ", ". . . . ", "…", " ____ ", "   ", " · · · "])
CONTENTS_ROW = st.builds(
    lambda number, words, leader, page: f"{number} {' '.join(words)}{leader}{page}",
    st.one_of(NUMBER, st.just("")),
    st.lists(WORD, min_size=1, max_size=8),
    LEADER,
    NUMBER,
)
HEADING_WORDS = st.sampled_from(
    ["Contents", "CONTENTS", "Table of Contents", "Sommaire", "Table des matières", "C o n t e n t s",
     "List of Figures", "Index", "Chapter", "Introduction", "Conclusion", "Annex", "Page"]
)
LONG_LINE = st.builds(lambda word, n: (word + " ") * n, WORD, st.integers(100, 600))
LINE = st.one_of(
    st.text(ANY_CHAR, max_size=60),
    st.lists(st.one_of(WORD, AWKWARD, NUMBER), max_size=12).map(" ".join),
    CONTENTS_ROW,
    HEADING_WORDS,
    LONG_LINE,
    st.just(""),
    st.just("\f"),
)
TEXT = st.lists(LINE, max_size=30).map("\n".join)
ENCODING = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252"])


def encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


@FAST
@given(TEXT, ENCODING)
def test_load_bytes_never_raises_anything_but_ifri_errors(text: str, encoding: str) -> None:
    try:
        doc = ingest.load_bytes(encode(text, encoding), "notes.txt")
    except IfriError:
        return
    assert doc.kind in ("text", "pdf") and all(page.number >= 1 for page in doc.pages)


@FAST
@given(st.binary(max_size=2000))
def test_any_bytes_are_a_document_or_an_ifri_error(data: bytes) -> None:
    try:
        ingest.load_bytes(data, None)
    except IfriError:
        pass


def _exercise(doc: Document) -> None:
    """What the commands do with a document: render, export, resolve a query, search."""
    from ifri_cli.read import search

    assert doc.toc is not None
    render.toc_plain(doc.toc)
    render.to_json(render.toc_dict(doc, doc.toc, True))
    render.to_json(doc.info())
    flat = sections.all_sections(doc)
    render.to_json(doc.to_dict())
    render.export_markdown(doc, flat)
    doc.text()
    words = [w for page in doc.pages for line in page.lines for w in line.text.split()]
    for query in (words[:1] + words[-1:] + ["1", "p2"]):
        try:
            found = address.resolve(doc, query, first=True)
            assert found and all(s.full_text() is not None for s in found)
        except IfriError:
            pass
        try:
            search.search(doc, query, search.Options())
        except IfriError:
            pass


@SLOW
@given(TEXT, ENCODING)
def test_open_document_from_a_file(text: str, encoding: str) -> None:
    handle, name = tempfile.mkstemp(suffix=".txt")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(encode(text, encoding))
        try:
            doc = open_document(name)
        except IfriError:
            return
        _exercise(doc)
    finally:
        os.unlink(name)


@SLOW
@given(TEXT)
def test_open_document_from_stdin(text: str) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(text.encode("utf-8", errors="replace")), encoding="utf-8")
    with mock.patch.object(sys, "stdin", stdin):
        try:
            doc = open_document("-")
        except IfriError:
            return
    assert doc.path is None
    _exercise(doc)


runner = CliRunner()


@SLOW
@given(TEXT, st.sampled_from([["toc"], ["text"], ["info", "--json"], ["export", "--json"], ["search", "a"]]))
def test_commands_on_arbitrary_text_never_crash(text: str, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "-"], input=text.encode("utf-8", errors="replace"))
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr, result.exception)
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    if result.exit_code == 2:
        assert result.stderr.startswith("ifri: error: ") and result.stdout == ""


# --- the contents-page parser on positioned lines ------------------------------------------

FINITE = st.floats(-50, 900, allow_nan=False, allow_infinity=False)


@st.composite
def positioned_page(draw: st.DrawFn, number: int) -> Page:
    lines = []
    for text in draw(st.lists(st.one_of(CONTENTS_ROW, HEADING_WORDS, LINE), max_size=25)):
        x0 = draw(FINITE)
        top = draw(FINITE)
        lines.append(
            Line(
                text=text,
                size=draw(st.one_of(st.none(), st.floats(0.5, 40, allow_nan=False))),
                bold=draw(st.booleans()),
                italic=draw(st.booleans()),
                x0=x0,
                top=top,
                x1=x0 + draw(st.floats(0, 500, allow_nan=False)),
                bottom=top + draw(st.floats(0, 30, allow_nan=False)),
            )
        )
    label = draw(st.one_of(st.none(), NUMBER))
    return Page(number=number, label=label, lines=tuple(lines), width=595.0, height=842.0)


@st.composite
def positioned_document(draw: st.DrawFn) -> Document:
    count = draw(st.integers(1, 6))
    pages = tuple(draw(positioned_page(n)) for n in range(1, count + 1))
    return Document(path="x.pdf", kind="pdf", metadata=Metadata(), pages=pages)


@FAST
@given(st.one_of(CONTENTS_ROW, LINE, st.text(ANY_CHAR, max_size=200)))
def test_parse_row_takes_any_line(text: str) -> None:
    parsed = contents.parse_row(text)
    assert parsed.kind in ("entry", "number", "text")


@FAST
@given(positioned_document())
def test_contents_parser_takes_any_positioned_page(doc: Document) -> None:
    for page in doc.pages:
        contents.page_rows(page)
    entries, notes = contents.contents_toc(doc)
    assert all(e.title for e in entries) and all(isinstance(n, str) for n in notes)
    contents.parse_contents(doc, [p.number for p in doc.pages])


@SLOW
@given(positioned_document(), st.sampled_from(sorted(toc.SOURCES)))
def test_toc_and_sections_take_any_positioned_document(doc: Document, source: str) -> None:
    _exercise(structure(doc, source))
