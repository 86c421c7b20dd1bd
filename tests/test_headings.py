"""Heading detection in the body: what must become a heading, and what must not."""

from __future__ import annotations

from pathlib import Path

from pdfgen import LOREM, PageSpec, Para, Spec, make_pdf

from ifri_cli import ingest
from ifri_cli.model import Document, Line, Metadata, Page
from ifri_cli.structure.headings import detect_headings
from ifri_cli.structure.titles import split_number

BODY = 10.0
LEADING = 12.0
WIDTH, HEIGHT = 595.0, 842.0


class Layout:
    """Lays lines out down a page the way a PDF would give them: sizes, gaps, positions."""

    def __init__(self) -> None:
        self.pages: list[Page] = []
        self.lines: list[Line] = []
        self.top = 80.0

    def text(
        self,
        text: str,
        size: float = BODY,
        bold: bool = False,
        gap: float = 0.0,
        x0: float = 72.0,
        italic: bool = False,
    ) -> Layout:
        self.top += gap
        x1 = x0 + len(text) * size * 0.5
        self.lines.append(Line(text, size, bold, italic, x0, self.top, min(x1, 523.0), self.top + size))
        self.top += max(LEADING, size * 1.2)
        return self

    def paragraph(self, lines: int = 3, gap: float = 6.0) -> Layout:
        for i in range(lines):
            words = LOREM.split()[i * 12 : i * 12 + 12] if i < lines - 1 else LOREM.split()[:5]
            self.text(" ".join(words).rstrip(".") + ("." if i == lines - 1 else ""), gap=gap if i == 0 else 0)
        return self

    def row(self, *cells: str, bold: bool = False, gap: float = 0.0) -> Layout:
        self.top += gap
        for i, cell in enumerate(cells):
            x0 = 72.0 + i * 150
            self.lines.append(
                Line(cell, BODY, bold, False, x0, self.top, x0 + len(cell) * 5, self.top + BODY)
            )
        self.top += LEADING
        return self

    def at(self, top: float, text: str, size: float = 8.0, x0: float = 72.0) -> Layout:
        self.lines.append(Line(text, size, False, False, x0, top, x0 + len(text) * size * 0.5, top + size))
        return self

    def page(self, label: str | None = None) -> Layout:
        number = len(self.pages) + 1
        self.pages.append(Page(number, label, tuple(self.lines), WIDTH, HEIGHT))
        self.lines, self.top = [], 80.0
        return self

    def document(self) -> Document:
        return Document(path=None, kind="pdf", metadata=Metadata(), pages=tuple(self.pages))


def titles(doc: Document) -> list[tuple[int, str | None, str]]:
    return [(e.level, e.number, e.title) for e in detect_headings(doc)]


def report() -> Layout:
    """Three pages of a report with a running header, page numbers and two heading levels."""
    lay = Layout()
    for n, (head, sub) in enumerate(
        [("1 Introduction", "1.1 Scope of the study"), ("2 Oil and debt", "2.1 Loans")]
    ):
        lay.at(30, "Energy Report 2021 — Caribbean Security", 8)
        lay.paragraph(4)
        lay.text(head, 14, True, gap=18).paragraph(5).text(sub, 12, True, gap=14).paragraph(4)
        lay.at(800, str(n + 1), 9, 290)
        lay.page(str(n + 1))
    return lay


def test_headings_and_levels_from_size_and_numbering() -> None:
    assert titles(report().document()) == [
        (1, "1", "Introduction"),
        (2, "1.1", "Scope of the study"),
        (1, "2", "Oil and debt"),
        (2, "2.1", "Loans"),
    ]


def test_running_headers_and_page_numbers_are_not_headings() -> None:
    found = [t for _l, _n, t in titles(report().document())]
    assert not any("Energy Report" in t for t in found)
    assert all(not t.isdigit() for t in found)


def test_captions_tables_and_equations_are_not_headings() -> None:
    lay = Layout()
    lay.paragraph(4)
    lay.text("1 Method", 14, True, gap=18).paragraph(4)
    lay.text("Figure 3: Results by year", BODY, True, gap=14).paragraph(3)
    lay.text("Table 2 Regional totals", BODY, True, gap=14)
    lay.row("Country", "Loans", "Oil", bold=True, gap=4).row("Venezuela", "12", "3").row("Cuba", "4", "1")
    lay.paragraph(3)
    lay.text("E = m c2 + Σ x", 14, False, gap=14).paragraph(3)
    doc = lay.page().document()
    assert titles(doc) == [(1, "1", "Method")]


def test_a_heading_wrapped_over_two_lines_is_one_entry() -> None:
    lay = Layout().paragraph(4)
    lay.text("3 Oil, debt and the long road from Caracas", 14, True, gap=18)
    lay.text("to Moscow through two decades of loans", 14, True)
    lay.paragraph(5)
    lay.text("4 Conclusion", 14, True, gap=18).paragraph(4)
    found = titles(lay.page().document())
    assert found == [
        (1, "3", "Oil, debt and the long road from Caracas to Moscow through two decades of loans"),
        (1, "4", "Conclusion"),
    ]


def test_title_block_of_page_one_is_not_a_heading() -> None:
    lay = Layout()
    lay.text("Energy and Security in the Caribbean", 20, True)
    lay.text("Jane Analyst", 12, True, gap=6)
    lay.text("Abstract", 12, True, gap=20).paragraph(4)
    lay.text("1 Introduction", 14, True, gap=18).paragraph(5)
    lay.text("2 Findings", 14, True, gap=18).paragraph(5)
    found = [t for _l, _n, t in titles(lay.page().document())]
    assert found == ["Abstract", "Introduction", "Findings"]


def test_bold_run_in_and_emphasis_inside_paragraphs_are_not_headings() -> None:
    lay = Layout().paragraph(3)
    lay.text("1 Context", 12, True, gap=18).paragraph(3)
    # a bold first line running the full width into the paragraph
    lay.text(
        "Second: there will be a residual human economy, but it will be very small and", BODY, True, gap=8
    )
    lay.paragraph(3, gap=0)
    # an emphasised sentence in the middle of running text
    lay.text("Ownership structure is not just a distributive choice.", BODY, True).paragraph(2, gap=0)
    lay.text("2 Results", 12, True, gap=18).paragraph(3)
    found = [t for _l, _n, t in titles(lay.page().document())]
    assert found == ["Context", "Results"]


def test_numbered_list_items_and_references_are_not_headings() -> None:
    lay = Layout().paragraph(3)
    lay.text("1 Steps", 14, True, gap=18).paragraph(2)
    lay.text("1. Go to the archive", gap=10).text("2. Select the reports", gap=10).text(
        "3. Read them", gap=10
    )
    lay.paragraph(3)
    lay.text("References", 14, True, gap=18)
    lay.text("[1] Smith, J. (2019). Oil and power. Journal of Energy, 12(3), 45-67.", gap=6)
    lay.text("Jones, A. et al. Loans for oil. https://doi.org/10.1000/xyz", gap=6)
    found = [t for _l, _n, t in titles(lay.page().document())]
    assert found == ["Steps", "References"]


def test_capitals_and_italic_headings_in_the_body_size() -> None:
    lay = Layout()
    for _ in range(2):
        lay.paragraph(4)
        lay.text("RELATED WORK", BODY, True, gap=14).paragraph(4)
        lay.text("A. Variation within schools", BODY, italic=True, gap=14).paragraph(5)
        lay.page()
    found = titles(lay.document())
    assert found[0] == (1, None, "RELATED WORK")
    assert (2, "A", "Variation within schools") in found


def test_text_input_falls_back_to_numbering_and_capitals() -> None:
    text = (
        "A report on energy\n\n1 INTRODUCTION\nThe region has changed.\nIt is still changing.\n\n"
        "1.1 Scope of the study\nWe look at oil.\n\n2 FINDINGS\nLoans came first.\n"
        "the 3 largest loans were\nrepaid in oil.\n"
    )
    doc = ingest.load_bytes(text.encode(), "report.txt")
    assert [(e.level, e.number, e.title) for e in detect_headings(doc)] == [
        (1, "1", "INTRODUCTION"),
        (2, "1.1", "Scope of the study"),
        (1, "2", "FINDINGS"),
    ]


def test_a_numbered_heading_alone_between_blank_lines_after_a_title() -> None:
    # "1 Introduction" under the title line (no full stop before it) was not taken for a heading:
    # standing alone between blank lines, a section number and a capital are enough
    text = (
        "A Report on Things\n\n1 Introduction\n\nThe region has changed a great deal.\n\n"
        "Values of the colorspace field\n\n1 - Type of Colorspace is RGBA\n\n"
        "2 Al\n\n6.2 Agentic marketplace infrastructure\n\nThe market grew.\n"
    )
    doc = ingest.load_bytes(text.encode(), "report.txt")
    assert [(e.number, e.title) for e in detect_headings(doc)] == [
        ("1", "Introduction"),
        ("6.2", "Agentic marketplace infrastructure"),
    ]


def test_split_number_shapes() -> None:
    assert split_number("3.2 The main fields") == ("3.2", "The main fields")
    assert split_number("IV. Social Interactions") == ("IV", "Social Interactions")
    assert split_number("Chapter 3: Oil") == ("Chapter 3", "Oil")
    assert split_number("B) Dictator games") == ("B", "Dictator games")
    assert split_number("2020 was a year of change") == (None, "2020 was a year of change")
    assert split_number("Introduction") == (None, "Introduction")


def test_generated_pdf_without_outline(tmp_path: Path) -> None:
    lorem = LOREM + " " + LOREM
    pages = [
        PageSpec(
            [Para("Energy and Security in the Caribbean", 20, "B"), Para("Jane Analyst"), lorem],
            header="Caribbean Energy Review",
        ),
        PageSpec(
            [
                Para("1 Introduction", 14, "B"),
                lorem,
                Para("Figure 1: Oil exports by year", 10, "B"),
                lorem,
                Para("1.1 Scope of the study", 12, "B"),
                lorem,
            ],
            header="Caribbean Energy Review",
            footer="2",
        ),
        PageSpec(
            [Para("2 Oil and debt", 14, "B"), lorem, lorem], header="Caribbean Energy Review", footer="3"
        ),
    ]
    doc = ingest.load(make_pdf(tmp_path / "report.pdf", Spec(pages)))
    found = [(e.level, e.number, e.title, e.pdf_page) for e in detect_headings(doc)]
    assert found == [
        (1, "1", "Introduction", 2),
        (2, "1.1", "Scope of the study", 2),
        (1, "2", "Oil and debt", 3),
    ]


def test_headings_of_a_three_column_page_come_in_the_order_its_lines_are_read() -> None:
    # a tax form's instructions: three columns, read (as pdfminer lists them) one after the other;
    # ordering headings by height instead put the middle column's first heading before the first
    # column's, and the sections, cut in the lines' order, then lost a third of their headings
    words = (LOREM + " " + LOREM).split()
    lay = Layout()

    def column(x0: float, heading_after: int | None, heading: str) -> None:
        lay.top = 80.0
        for i in range(24):
            if i == heading_after:
                lay.text(heading, 12, True, gap=10, x0=x0)
            lay.text(" ".join(words[i * 5 : i * 5 + 5]), x0=x0)

    column(40, 14, "Kinds of Income")
    column(225, 3, "Foreign Income Taxed")
    column(410, 8, "Community Income")
    doc = lay.page().document()
    assert [t for _l, _n, t in titles(doc)] == ["Kinds of Income", "Foreign Income Taxed", "Community Income"]
    from dataclasses import replace

    from ifri_cli.structure.sections import build_sections
    from ifri_cli.structure.toc import build_toc

    doc = replace(doc, toc=build_toc(doc, "headings"))
    sections = build_sections(doc)
    assert [s.title for s in sections if s.kind != "front"] == [
        "Kinds of Income",
        "Foreign Income Taxed",
        "Community Income",
    ]
    assert all(s.found for s in sections)
