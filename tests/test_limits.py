"""Limits that hold under hostile input: no PDF or text file takes unbounded time or memory.

Decompression bombs, bookmark lists that loop or run to 20,000 entries, page trees that loop
or nest thousands deep, page counts past ``--max-pages``, page labels with a huge prefix, pages
of absurdly many characters, and (slow) the 2,000-page PDF and the 50 MB text with their time
and peak memory. Every input is generated (tests/hostile.py).
"""

from __future__ import annotations

import io
import os
import time
import zlib
from importlib.util import find_spec
from pathlib import Path

import pytest
from hostile import (
    bomb_pdf,
    deep_page_tree_pdf,
    flat_entries,
    long_pdf,
    many_pages_pdf,
    nested_entries,
    outline_pdf,
    page_tree_cycle_pdf,
    report_text,
)
from peak import peak_run
from typer.testing import CliRunner

from ifri_cli import ingest, open_document
from ifri_cli.cli import app
from ifri_cli.errors import BrokenPDF, LimitExceeded
from ifri_cli.pdf import engine, limits

runner = CliRunner()

# the limits hold whichever engine reads the PDF: PDFium, in C, is checked before it reads
PDFIUM = pytest.param(
    "pdfium",
    marks=pytest.mark.skipif(find_spec("pypdfium2") is None, reason="pypdfium2 is not installed"),
)
ENGINES = ["pdfminer", PDFIUM]


# --- decompression bombs ---------------------------------------------------------------------------


def test_the_guard_sees_every_stream_pdfminer_decodes() -> None:
    """pdfminer decodes every stream through ``PDFStream.decode``: if it stops doing so, or the
    guard is no longer installed there, this fails (and the bomb tests below with it)."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream

    LITERAL_FLATE_DECODE = LITERALS_FLATE_DECODE[0]

    bomb = zlib.compress(b" " * (3 << 20), 9)
    with limits.bounded():
        pass  # installs the guard
    assert getattr(PDFStream.decode, "__wrapped__", None) is not None
    os.environ["IFRI_MAX_STREAM_MB"] = "1"
    try:
        with limits.bounded(), pytest.raises(limits.StreamTooLarge):
            PDFStream({"Filter": LITERAL_FLATE_DECODE, "Length": len(bomb)}, bomb).get_data()
        for layers in (2, 3):
            data = bomb
            for _ in range(layers - 1):
                data = zlib.compress(data)
            attrs = {"Filter": [LITERAL_FLATE_DECODE] * layers, "Length": len(data)}
            with limits.bounded(), pytest.raises(limits.StreamTooLarge):
                PDFStream(attrs, data).get_data()
        # outside ifri's reading, pdfminer behaves as it always did
        assert len(PDFStream({"Filter": LITERAL_FLATE_DECODE}, bomb).get_data()) == 3 << 20
        # and a stream under the limit decodes as ever inside it
        small = zlib.compress(b"BT ET " * 1000)
        with limits.bounded():
            assert PDFStream({"Filter": LITERAL_FLATE_DECODE}, small).get_data() == b"BT ET " * 1000
    finally:
        del os.environ["IFRI_MAX_STREAM_MB"]


@pytest.mark.parametrize("engine_name", ENGINES)
@pytest.mark.parametrize("layers", [1, 2])
def test_a_decompression_bomb_page_is_skipped_and_the_rest_read(
    layers: int, engine_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IFRI_MAX_STREAM_MB", "2")
    path = bomb_pdf(tmp_path / "bomb.pdf", 24 << 20, layers=layers)
    result = runner.invoke(app, ["text", str(path), "--jobs", "1", "--engine", engine_name])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\f") == 5 and result.stdout.split("\f")[1] == "\n"  # page 2 is empty
    assert "Bomb page" not in result.stdout and "Climate political climate" in result.stdout
    assert result.stderr == (
        f"ifri: warning: {path}: page 2 was skipped: a compressed stream inflates past 2 MB "
        "(a decompression bomb? IFRI_MAX_STREAM_MB raises the limit)\n"
    )


@pytest.mark.parametrize("engine_name", ENGINES)
def test_a_bomb_under_the_limit_is_read(
    engine_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IFRI_MAX_STREAM_MB", "8")
    path = bomb_pdf(tmp_path / "bomb.pdf", 2 << 20)
    result = runner.invoke(app, ["text", str(path), "--jobs", "1", "--engine", engine_name])
    assert result.exit_code == 0 and result.stderr == ""
    assert "Bomb page" in result.stdout


@pytest.mark.parametrize("engine_name", ENGINES)
def test_a_bomb_in_the_document_structure_is_one_error(
    engine_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An object stream (where the page objects live) that inflates past the limit: nothing can be
    read, and ifri says which limit and how to raise it."""
    monkeypatch.setenv("IFRI_MAX_STREAM_MB", "1")
    pages = b"<< /Type /Pages /Kids [] /Count 0 >>"
    body = b"2 0 " + b" " * 20 + pages + b" " * (3 << 20)
    objstm = zlib.compress(body, 9)
    out = bytearray(b"%PDF-1.7\n")
    offsets = [len(out)]
    out += b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    offsets.append(len(out))
    out += b"3 0 obj\n<< /Type /ObjStm /N 1 /First 24 /Filter /FlateDecode /Length %d >>\nstream\n" % len(
        objstm
    )
    out += objstm + b"\nendstream\nendobj\n"
    xref = len(out)
    # a cross-reference stream names object 2 as the first in object stream 3
    rows = b"".join(
        [
            b"\x00\x00\x00\x00",
            b"\x01" + offsets[0].to_bytes(2, "big") + b"\x00",
            b"\x02\x00\x03\x00",
            b"\x01" + offsets[1].to_bytes(2, "big") + b"\x00",
            b"\x01" + xref.to_bytes(2, "big") + b"\x00",
        ]
    )
    out += b"4 0 obj\n<< /Type /XRef /Size 5 /W [1 2 1] /Root 1 0 R /Length %d >>\nstream\n" % len(rows)
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref
    path = tmp_path / "objstm-bomb.pdf"
    path.write_bytes(bytes(out))
    result = runner.invoke(app, ["toc", str(path), "--engine", engine_name])
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(
        "ifri: error: this PDF cannot be read: a compressed stream inflates past 1 MB"
    )
    assert "IFRI_MAX_STREAM_MB" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize("engine_name", ENGINES)
def test_a_page_of_absurdly_many_characters_is_skipped(
    engine_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_PAGE_CHARS", 2000)
    doc = ingest.load_bytes(_with_long_page(tmp_path), None, jobs=1, engine=engine_name)
    assert not doc.pages[1].lines and doc.pages[0].lines and doc.pages[2].lines
    assert "page 2 draws more than 2,000 characters and was skipped" in doc.warnings


def _with_long_page(tmp: Path) -> bytes:
    from hostile import Font, RawPDF, _kids, _page_objects, report_pages, text_ops

    doc = RawPDF()
    catalog, pages_id = doc.reserve(), doc.reserve()
    fonts = Font([]).resources(doc)
    contents = [text_ops(page) for page in report_pages(3)]
    contents[1] = b"BT /F1 2 Tf 10 800 Td " + b"(xxxxxxxxxx) Tj 0 -2 Td " * 500 + b"ET"
    kids = _page_objects(doc, pages_id, contents, fonts)
    doc.set(pages_id, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (_kids(kids), len(kids)))
    doc.set(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    return doc.bytes(catalog)


def test_drawings_are_not_kept_in_the_layout() -> None:
    """ifri reads text only: lines and shapes are never made into layout objects."""
    from pdfminer.pdfinterp import PDFResourceManager

    device = limits.text_device(PDFResourceManager(), engine._laparams())
    device.begin_page(
        type("P", (), {"mediabox": (0, 0, 100, 100), "pageid": 1, "rotate": 0})(), (1, 0, 0, 1, 0, 0)
    )
    device.paint_path(None, True, False, False, [("m", 0, 0), ("l", 10, 10)])
    assert list(device.cur_item) == []


# --- outlines ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine_name", ENGINES)
@pytest.mark.parametrize("cycle", ["next", "first"])
def test_a_bookmark_list_that_loops_is_read_up_to_the_loop(
    cycle: str, engine_name: str, tmp_path: Path
) -> None:
    path = outline_pdf(tmp_path / "loop.pdf", nested_entries(5, 2, 10), 10, cycle=cycle)
    start = time.monotonic()
    doc = open_document(path, cache=False, jobs=1, engine=engine_name)
    assert time.monotonic() - start < 30
    titles = [item.title for item in doc.outline]
    assert titles[:3] == ["1 Part 1", "1.1 Subpart 1.1", "1.2 Subpart 1.2"]
    assert len(titles) == len(set(titles))  # each entry once
    assert any("the PDF outline loops back on itself" in w for w in doc.warnings), doc.warnings
    assert len(titles) == 15  # every entry, the link back not followed


@pytest.mark.parametrize("engine_name", ENGINES)
def test_twenty_thousand_bookmarks_are_all_read(engine_name: str, tmp_path: Path) -> None:
    """pdfminer walks the outline recursively: past about 960 top-level entries it overflowed, and
    the outline was reported damaged and cut. It is walked iteratively now."""
    path = outline_pdf(tmp_path / "big.pdf", flat_entries(20_000, 20), 20)
    start = time.monotonic()
    doc = open_document(path, cache=False, jobs=1, engine=engine_name)
    assert time.monotonic() - start < 120
    assert len(doc.outline) == 20_000 and not doc.warnings
    assert doc.outline[-1].title == "20000 Entry number 20000" and doc.outline[-1].pdf_page == 20


@pytest.mark.parametrize("engine_name", ENGINES)
def test_an_outline_past_the_entry_limit_is_cut_with_a_warning(
    engine_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_OUTLINE_ENTRIES", 50)
    path = outline_pdf(tmp_path / "big.pdf", flat_entries(80, 8), 8)
    doc = open_document(path, cache=False, jobs=1, engine=engine_name)
    assert len(doc.outline) == 50
    assert "the PDF outline has more than 50 entries: the rest is ignored" in doc.warnings


def test_the_outline_walk_matches_pdfminers(tmp_path: Path) -> None:
    """On a well-formed outline the walk gives what pdfminer's ``get_outlines`` gives."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    path = outline_pdf(tmp_path / "nested.pdf", nested_entries(6, 3, 12), 12)
    doc = PDFDocument(PDFParser(io.BytesIO(path.read_bytes())))
    ours = [(level, title, dest) for level, title, dest, _action in limits.outline_entries(doc)]
    theirs = [(level, title, dest) for level, title, dest, _action, _se in doc.get_outlines()]
    assert [(lv, str(d)) for lv, _t, d in ours] == [(lv, str(d)) for lv, _t, d in theirs]
    from pdfminer.utils import decode_text

    assert [decode_text(t) for _lv, t, _d in ours] == [t for _lv, t, _d in theirs]


# --- page trees and page counts ------------------------------------------------------------------


@pytest.mark.parametrize("engine_name", ENGINES)
@pytest.mark.parametrize("variant", ["ancestor", "self"])
def test_a_page_tree_that_loops_reads_each_page_once(variant: str, engine_name: str, tmp_path: Path) -> None:
    path = page_tree_cycle_pdf(tmp_path / "loop.pdf", variant)
    doc = open_document(path, cache=False, jobs=1, engine=engine_name)
    assert doc.page_count == 8
    assert [p.lines[0].text for p in doc.pages][:1] == ["1 Section 1"]


@pytest.mark.parametrize("engine_name", ENGINES)
def test_a_page_tree_nested_thousands_deep_is_read(engine_name: str, tmp_path: Path) -> None:
    path = deep_page_tree_pdf(tmp_path / "deep.pdf", 3000)
    if engine_name == "pdfium":  # PDFium loads no page deeper than 1,024 levels: said in one line
        with pytest.raises(BrokenPDF, match="1 of 1 pages could not be read"):
            open_document(path, cache=False, jobs=1, engine=engine_name)
        path = deep_page_tree_pdf(tmp_path / "deep.pdf", 1000)
    doc = open_document(path, cache=False, jobs=1, engine=engine_name)
    assert doc.page_count == 1 and doc.pages[0].lines and not doc.warnings


def test_the_page_walk_matches_pdfminers(tmp_path: Path) -> None:
    from pdfgen import simple_report
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    for path in (simple_report(tmp_path / "r.pdf", labels=True), page_tree_cycle_pdf(tmp_path / "c.pdf")):
        doc = PDFDocument(PDFParser(io.BytesIO(path.read_bytes())))
        ours = limits.page_objects(doc, 100)
        theirs = list(PDFPage.create_pages(doc))
        assert [p.pageid for p in ours] == [p.pageid for p in theirs]
        assert [p.mediabox for p in ours] == [p.mediabox for p in theirs]
        assert [p.resources for p in ours] == [p.resources for p in theirs]


@pytest.mark.parametrize("engine_name", ENGINES)
def test_more_pages_than_max_pages_is_one_error_saying_what_to_do(
    engine_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IFRI_ENGINE", engine_name)
    path = many_pages_pdf(tmp_path / "many.pdf", 60)
    result = runner.invoke(app, ["toc", str(path), "--max-pages", "50"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "ifri: error: this PDF has 60 pages, more than the 50 ifri reads "
        "(raise the limit with --max-pages 60)\n"
    )
    assert runner.invoke(app, ["info", str(path), "--max-pages", "60"]).exit_code == 0
    # served from the cache now, and the limit still holds
    assert runner.invoke(app, ["info", str(path), "--max-pages", "59"]).exit_code == 2
    with pytest.raises(LimitExceeded):
        open_document(path, max_pages=10)


def test_max_pages_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IFRI_MAX_PAGES", "5")
    path = many_pages_pdf(tmp_path / "many.pdf", 6)
    result = runner.invoke(app, ["text", str(path), "--no-cache"])
    assert result.exit_code == 2 and "--max-pages 6" in result.stderr


def test_a_text_of_too_many_form_feeds_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "feeds.txt"
    path.write_bytes(b"x\f" * 2_000_000)  # two million pages in 4 MB
    start = time.monotonic()
    result = runner.invoke(app, ["toc", str(path)])
    assert time.monotonic() - start < 10
    assert result.exit_code == 2
    assert result.stderr == (
        "ifri: error: this text has 2,000,000 pages (form feeds), more than the 20,000 ifri reads "
        "(raise the limit with --max-pages 2000000)\n"
    )


@pytest.mark.parametrize("engine_name", ENGINES)
def test_page_labels_with_a_huge_prefix_are_ignored(engine_name: str, tmp_path: Path) -> None:
    from hostile import evil_pdf, report_pages

    path = evil_pdf(tmp_path / "labels.pdf", report_pages(3), label_prefix="P" * 5000)
    doc = open_document(path, cache=False, jobs=1, engine=engine_name)
    assert not doc.has_page_labels
    assert any("page labels" in w for w in doc.warnings)
    path = evil_pdf(tmp_path / "long.pdf", report_pages(3), label_prefix="Appendix " * 20)
    doc = open_document(path, cache=False, jobs=1, engine=engine_name)
    assert doc.has_page_labels and all(len(p.label or "") <= limits.MAX_LABEL for p in doc.pages)


# --- big inputs: time and peak memory (slow) --------------------------------------------------------

BOMB_GIB = 1


@pytest.mark.slow
@pytest.mark.parametrize("engine_name", ENGINES)
def test_a_gigabyte_bomb_takes_seconds_and_little_memory(engine_name: str, tmp_path: Path) -> None:
    """PDFium on its own inflated it whole: 1 GiB took 6 s and 2.1 GB, 4 GiB 27 s and 5.2 GB."""
    path = bomb_pdf(tmp_path / "bomb.pdf", BOMB_GIB << 30)
    wall, peak, proc = peak_run(["toc", str(path), "--engine", engine_name])
    assert proc.returncode in (0, 1), proc.stderr[-500:]
    assert b"page 2 was skipped: a compressed stream inflates past 64 MB" in proc.stderr
    assert wall < 60 and peak < 250, (wall, peak)


@pytest.fixture(scope="module")
def long_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return long_pdf(tmp_path_factory.mktemp("long") / "report-2000.pdf", 2000)


@pytest.mark.slow
def test_a_2000_page_pdf_within_bounds(long_report: Path) -> None:
    wall, peak, proc = peak_run(["toc", str(long_report)])
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout.count(b"\n") > 100  # a contents of chapters and sections
    assert peak < 400, peak
    assert wall < 900, wall


@pytest.fixture(scope="module")
def big_text(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return report_text(tmp_path_factory.mktemp("bigtext") / "report-50mb.txt", 50)


@pytest.mark.slow
def test_a_50_mb_text_within_bounds(big_text: Path) -> None:
    size = big_text.stat().st_size / 1e6
    wall, peak, proc = peak_run(["toc", str(big_text)])
    assert proc.returncode == 0, proc.stderr[-500:]
    # chapters only: the generated section titles ("N.M Word word") repeat, so they read as
    # running heads (the same 81 entries before and after the limits)
    assert proc.stdout.count(b"\n") > 50
    assert peak < 8 * size, f"peak {peak:.0f} MB for {size:.0f} MB"
    assert wall < 600, wall
