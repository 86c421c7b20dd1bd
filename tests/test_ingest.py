from __future__ import annotations

from pathlib import Path

import pytest
from pdfgen import PageSpec, Para, Spec, make_pdf, simple_report

from ifri_cli import ingest, open_document
from ifri_cli.errors import EncryptedPDF, InputError, NotADocument, NoTextLayer
from ifri_cli.ingest import labels as ingest_labels
from ifri_cli.ingest import textfile
from ifri_cli.model import Line, Page
from ifri_cli.read.search import search
from ifri_cli.text.patterns import roman_value, to_roman


def test_sniff_by_content_not_extension(tmp_path: Path) -> None:
    pdf = simple_report(tmp_path / "report.txt")  # a PDF with a misleading name
    doc = ingest.load(pdf)
    assert doc.kind == "pdf"
    text = tmp_path / "notes.pdf"
    text.write_text("Just some notes\nabout a paper.\n", encoding="utf-8")
    assert ingest.load(text).kind == "text"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "PNG"),
        (b"PK\x03\x04" + bytes(50), "ZIP"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_sniff_rejects_binary(data: bytes, what: str) -> None:
    with pytest.raises(NotADocument, match=what):
        ingest.sniff(data)


def test_missing_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        ingest.load(tmp_path / "nope.pdf")
    with pytest.raises(InputError, match="directory"):
        ingest.load(tmp_path)
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        ingest.load(tmp_path / "empty.txt")


def test_text_pages_split_on_form_feeds() -> None:
    pages = textfile.text_pages("Title\n\nfirst page\n\fsecond page\nmore\n\f")
    assert [p.number for p in pages] == [1, 2]
    assert [ln.text for ln in pages[1].lines] == ["second page", "more"]
    assert len(textfile.text_pages("no form feed\nat all")) == 1


def test_text_without_form_feeds_is_split_at_its_page_numbers(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parent.parent / "ifri_cli" / "samples" / "sample.txt"
    flat = tmp_path / "flat.txt"
    flat.write_text(sample.read_text(encoding="utf-8").replace("\f", ""), encoding="utf-8")
    paged, unpaged = open_document(sample, cache=False), open_document(flat, cache=False)
    assert len(unpaged.pages) == len(paged.pages) - 3  # cover, summary and contents carry no number
    assert [(e.title, e.page) for e in unpaged.toc.entries] == [(e.title, e.page) for e in paged.toc.entries]
    hits = [(h.section, h.page) for h in search(unpaged, "chavez")]
    assert hits == [(h.section, h.page) for h in search(paged, "chavez")] and hits[0][1] == "2"
    # the running headers and page numbers come off as with form feeds
    body = "\n".join(line.text for page in unpaged.clean_pages[1:] for line in page.lines)
    assert "Russia's Return to Latin America" not in body and "\n3\n" not in body


def test_page_numbers_that_start_again_split_each_run() -> None:
    # front matter numbered 1-3, then the body numbered from 1 again, in the "- 1 -" style
    def page(number: str) -> str:
        return "\n".join(f"Line {k} of a page of running text." for k in range(20)) + f"\n\n{number}\n\n"

    text = "".join(page(str(n)) for n in (1, 2, 3)) + "".join(page(f"- {n} -") for n in (1, 2, 3, 4))
    pages = textfile.split_at_page_numbers(textfile.text_pages(text)[0])
    assert len(pages) == 7 and all(len(p.lines) == 21 for p in pages)
    assert [p.label for p in ingest_labels.infer_labels(pages)][-4:] == ["1", "2", "3", "4"]


def test_numbers_that_are_not_page_numbers_do_not_split_a_text() -> None:
    listing = "\n".join(f"{n}\n\nItem number {n} of the list.\n" for n in range(1, 9))
    table = "\n\n".join(str(year) for year in range(2015, 2023))
    for text in (listing, table, "One page of prose.\n\n12\n\nAnd a number in the middle."):
        page = textfile.text_pages(text)[0]
        assert textfile.split_at_page_numbers(page) == (page,)


def test_text_decoding_fallbacks() -> None:
    assert textfile.decode_text("café".encode("utf-8-sig")) == ("café", None)
    text, warning = textfile.decode_text("café".encode("utf-16"))
    assert text == "café" and warning and "UTF-16" in warning
    text, warning = textfile.decode_text("café".encode("latin-1"))
    assert text == "café" and warning and "Latin-1" in warning


def _page(number: int, *texts: str) -> Page:
    return Page(number, None, tuple(Line(t) for t in texts))


def test_labels_from_printed_numbers_with_offset() -> None:
    pages = (
        _page(1, "A Title"),
        _page(2, "Contents", "Intro 1"),
        _page(3, "Introduction", "text", "1"),
        _page(4, "Running header", "text", "2"),
        _page(5, "Chapter opening without number", "text"),
        _page(6, "text", "4"),
    )
    labels = [p.label for p in ingest_labels.infer_labels(pages)]
    assert labels == [None, None, "1", "2", "3", "4"]


def test_labels_roman_front_matter() -> None:
    pages = (
        _page(1, "Cover"),
        _page(2, "Preface", "ii"),
        _page(3, "More", "iii"),
        _page(4, "Body", "1"),
        _page(5, "x", "2"),
    )
    assert [p.label for p in ingest_labels.infer_labels(pages)] == [None, "ii", "iii", "1", "2"]


def test_roman_numerals() -> None:
    assert roman_value("xiv") == 14
    assert roman_value("IX") == 9
    assert roman_value("mcmxcix") == 1999 and to_roman(1999) == "mcmxcix"
    assert roman_value("iiii") is None and roman_value("") is None
    # a word made of numeral letters is not taken for a page number at a page's edge
    assert ingest_labels.page_number_candidates(Page(1, None, (Line("mix"),))) == []


def test_pdf_lines_fonts_outline_and_labels(tmp_path: Path) -> None:
    doc = ingest.load(simple_report(tmp_path / "r.pdf", labels=True))
    assert doc.page_count == 5
    assert doc.has_page_labels
    assert [p.label for p in doc.pages] == ["i", "1", "2", "3", "4"]
    assert [(o.title, o.level, o.pdf_page) for o in doc.outline] == [
        ("1 Introduction", 1, 2),
        ("1.1 Scope of the study", 2, 3),
        ("2 Oil and debt", 1, 4),
        ("2.1 Rosneft in Venezuela", 2, 5),
    ]
    heading = doc.pages[1].lines[0]
    assert heading.text == "1 Introduction"
    assert heading.bold and heading.size == 14.0
    body = doc.pages[1].lines[1]
    assert not body.bold and body.size == 11.0
    assert body.top is not None and heading.top is not None and body.top > heading.top
    # junk metadata title -> read from the cover
    assert doc.metadata.title == "Energy and Security in the Caribbean"
    assert doc.metadata.authors == ("Jane Analyst",)
    assert doc.metadata.date == "March 2021"


def test_outline_becomes_toc(tmp_path: Path) -> None:
    doc = open_document(simple_report(tmp_path / "r.pdf", printed_numbers=True))
    assert doc.toc is not None and doc.toc.source == "outline"
    first = doc.toc.entries[0]
    assert (first.number, first.title, first.level, first.page, first.pdf_page) == (
        "1",
        "Introduction",
        1,
        "1",
        2,
    )


def test_no_text_layer(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "scan.pdf", Spec([PageSpec(image_only=True), PageSpec(image_only=True)]))
    with pytest.raises(NoTextLayer, match="no text"):
        ingest.load(pdf)


def test_encrypted_pdf(tmp_path: Path) -> None:
    spec = Spec([PageSpec([Para("Secret report"), "Some text in it."])])
    spec.password = "s3cret"
    pdf = make_pdf(tmp_path / "enc.pdf", spec)
    with pytest.raises(EncryptedPDF, match="needs a password"):
        ingest.load(pdf)
    with pytest.raises(EncryptedPDF, match="wrong"):
        ingest.load(pdf, password="nope")
    assert "Secret report" in ingest.load(pdf, password="s3cret").pages[0].text
    spec.password = ""
    open_pdf = make_pdf(tmp_path / "empty-pw.pdf", spec)
    assert "Secret report" in ingest.load(open_pdf).pages[0].text


@pytest.mark.parametrize(
    ("font", "code", "char"),
    [
        ("ABCDEF+CMSY7", 48, "′"),  # K′-theory
        ("CMSY10", 104, "⟨"),
        ("CMSY10", 28, "≪"),
        ("CMMI10", 15, "ϵ"),
        ("CMMI8", 97, "a"),
        ("CMEX10", 80, "∑"),
        ("CMEX10", 50, ""),  # a piece of a tall bracket
        ("MSBM10", 82, "ℝ"),
        ("LMMathSymbols10-Regular", 50, "∈"),
        ("Universal-NewswithCommPi", 2, "\ufffd"),  # unknown font: a replacement mark, not "(cid:2)"
    ],
)
def test_unmapped_tex_glyphs_get_their_characters(font: str, code: int, char: str) -> None:
    from ifri_cli.pdf.glyphs import unmapped

    assert unmapped(font, f"(cid:{code})") == char
    assert unmapped(font, "x") == "x"


def test_a_blank_line_in_text_input_is_kept_as_a_paragraph_break() -> None:
    from ifri_cli.ingest.textfile import text_pages

    pages = text_pages("\nfirst line\nsecond line\n\n\nnew paragraph\n\fheader\n\nbody")
    assert [(line.text, line.after_blank) for line in pages[0].lines] == [
        ("first line", False),
        ("second line", False),
        ("new paragraph", True),
    ]
    assert [line.after_blank for line in pages[1].lines] == [False, True]
