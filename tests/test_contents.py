"""The printed contents page: finding it, reading every shape of entry, levels, page mapping."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfgen import LOREM, PageSpec, Para, Spec, make_pdf

from ifri_cli import ingest
from ifri_cli.model import Document, Line, Metadata, Page, TocEntry
from ifri_cli.structure import contents, toc
from ifri_cli.structure.contents import (
    contents_toc,
    find_contents_pages,
    map_to_pdf_pages,
    page_rows,
    parse_contents,
    parse_row,
)


def ln(text: str, top: float, x0: float = 72.0, size: float = 10.0, bold: bool = False) -> Line:
    return Line(text, size, bold, False, x0, top, x0 + 5.0 * len(text), top + size)


def number_at(text: str, top: float, right: float = 540.0, size: float = 10.0, bold: bool = False) -> Line:
    """A page number set right-aligned in its own box, as many PDFs have it."""
    return Line(text, size, bold, False, right - 5.0 * len(text), top, right, top + size)


def pdf_page(number: int, lines: list[Line], label: str | None = None) -> Page:
    return Page(number, label, tuple(lines), 612.0, 792.0)


def body_page(number: int, heading: str, label: str | None = None) -> Page:
    return pdf_page(
        number, [ln(heading, 80, size=14, bold=True), ln(LOREM[:80], 110), ln(LOREM[80:160], 124)], label
    )


def make_doc(pages: list[Page]) -> Document:
    return Document(path=None, kind="pdf", metadata=Metadata(), pages=tuple(pages))


def text_doc(text: str) -> Document:
    return ingest.load_bytes(text.encode("utf-8"), None)


def titles(entries: list[TocEntry]) -> list[str]:
    return [e.title for e in entries]


# --- one row ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title", "page"),
    [
        ("Introduction ........................ 5", "Introduction", "5"),
        ("Background . . . . . . . . . . 12", "Background", "12"),
        ("Méthodologie …… 7", "Méthodologie", "7"),
        ("Annexes ________ 40", "Annexes", "40"),
        ("Foreword\tiii", "Foreword", "iii"),
        ("Conclusion      63", "Conclusion", "63"),
        ("Other additions .........................10", "Other additions", "10"),
        ("Background ........ 1 4", "Background", "14"),  # a page number split by the extractor
    ],
)
def test_row_with_leader_or_gap(text: str, title: str, page: str) -> None:
    parsed = parse_row(text)
    assert (parsed.kind, parsed.title, parsed.page, parsed.strong) == ("entry", title, page, True)


@pytest.mark.parametrize(
    "text",
    [
        "Chapter 3",  # the number is the title's
        "Results of the survey from 2017",  # a year, not a page
        "World War II",  # a roman numeral after a plain space
        "The policy debate has shifted since the crisis began",
    ],
)
def test_row_without_page_number(text: str) -> None:
    assert parse_row(text).kind == "text"


def test_row_page_number_alone() -> None:
    assert (parse_row("27").kind, parse_row("27").page) == ("number", "27")
    assert parse_row("  xii ").page == "xii"
    assert parse_row("..........  3 1").page == "31"


def test_lines_sharing_a_height_become_one_row() -> None:
    page = pdf_page(
        1,
        [
            number_at("4", 120.4),  # the number box comes first in the content stream
            ln("1.2", 120.0, x0=80),
            ln("Identifying the relevant timeline", 120.0, x0=100),
            ln(". . . . . . . . . . . .", 120.1, x0=300),
            Line("0", 7.0, False, False, 150, 127.5, 154, 134.5),  # a subscript just below: its own row
        ],
    )
    rows = page_rows(page)
    assert rows[0].text == "1.2 Identifying the relevant timeline\t. . . . . . . . . . . .\t4"
    assert rows[0].x0 == 100  # the title's left edge, not the number's
    assert rows[1].text == "0"


# --- finding the contents page ---------------------------------------------------------------------

LISTING = [
    ("1 Introduction", "1"),
    ("1.1 Scope", "2"),
    ("2 Oil and debt", "3"),
    ("2.1 Rosneft in Venezuela", "4"),
]


def contents_page(number: int, heading: str | None, label: str | None = None, leaders: bool = True) -> Page:
    lines = [ln(heading, 60, size=20, bold=True)] if heading else []
    for i, (title, page) in enumerate(LISTING):
        top = 100 + 18 * i
        if leaders:
            lines.append(ln(f"{title} {'.' * 30} {page}", top))
        else:
            lines += [ln(title, top), number_at(page, top)]
    return pdf_page(number, lines, label)


@pytest.mark.parametrize(
    "heading",
    [
        "Contents",
        "Table of Contents",
        "Sommaire",
        "Table des matières",
        "Índice",
        "Inhalt",
        "Contenido",
        "C O N T E N T S",
        "Cont ent s",
        "´Indice",
        "TABLE DES MATI`ERES",
    ],
)
def test_contents_heading_in_any_language_and_spacing(heading: str) -> None:
    doc = make_doc([body_page(1, "Cover"), contents_page(2, heading, leaders=False)])
    assert find_contents_pages(doc) == [2]


def test_no_contents_page_in_running_text() -> None:
    prose = pdf_page(
        2,
        [
            ln("Contents", 60, size=14, bold=True),
            ln("The contents of this report were written in 2019 and revised in 2021", 90),
            ln("by the two authors, who thank the 12 reviewers for their 3 rounds of", 104),
            ln("comments on the 45 pages of the first draft, sent in May 2020.", 118),
        ],
    )
    table = pdf_page(
        3, [ln(f"Region {i}    12.5    {30 + i}.2    {40 + 3 * i}", 100 + 14 * i) for i in range(8)]
    )
    index = pdf_page(
        4,
        [
            ln(f"{word}, {n}, {n + 40}", 100 + 14 * i)
            for i, (word, n) in enumerate(
                [
                    ("Oil", 30),
                    ("Debt", 5),
                    ("Sanctions", 22),
                    ("Rosneft", 3),
                    ("Energy", 17),
                    ("Caribbean", 9),
                ]
            )
        ],
    )
    doc = make_doc([body_page(1, "Cover"), prose, table, index])
    assert find_contents_pages(doc) == []
    entries, notes = contents_toc(doc)
    assert entries == [] and notes == ["no printed contents page found"]


def test_contents_found_by_shape_without_heading() -> None:
    listing = [*LISTING, ("3 Sanctions", "6"), ("4 Conclusion", "9")]
    lines = [ln(f"{title} {'.' * 30} {page}", 100 + 18 * i) for i, (title, page) in enumerate(listing)]
    doc = make_doc([body_page(1, "Cover"), pdf_page(2, lines), body_page(3, "Introduction")])
    assert find_contents_pages(doc) == [2]
    assert titles(parse_contents(doc))[-1] == "Conclusion"


def test_contents_over_several_pages_and_list_of_figures_apart() -> None:
    first = pdf_page(
        2,
        [ln("Contents", 50, size=20, bold=True)]
        + [ln(f"{i} Chapter title number {i} {'.' * 20} {i * 10}", 80 + 18 * i) for i in range(1, 6)],
    )
    second = pdf_page(
        3,
        [ln("CONTENTS", 30, size=8), number_at("iv", 30, size=8)]
        + [ln(f"{i} Chapter title number {i} {'.' * 20} {i * 10}", 80 + 18 * i) for i in range(6, 10)],
    )
    figures = pdf_page(
        4,
        [ln("List of Figures", 50, size=20, bold=True)]
        + [ln(f"Figure {i} A chart of oil output {'.' * 20} {i * 7}", 80 + 18 * i) for i in range(1, 6)],
    )
    doc = make_doc([body_page(1, "Cover"), first, second, figures, body_page(5, "Chapter 1")])
    assert find_contents_pages(doc) == [2, 3]
    entries, notes = contents_toc(doc)
    assert [e.number for e in entries] == [str(i) for i in range(1, 10)]
    assert not any("Figure" in e.title for e in entries)
    assert any("List of Figures" in note for note in notes)


def test_list_of_figures_on_the_contents_page_is_left_out() -> None:
    lines = [ln("Contents", 40, size=20, bold=True)]
    lines += [ln(f"{t} {'.' * 30} {p}", 80 + 18 * i) for i, (t, p) in enumerate(LISTING)]
    lines += [ln("List of tables", 200, size=14, bold=True)]
    lines += [ln(f"Table {i} Oil exports by year {'.' * 20} {i + 2}", 230 + 18 * i) for i in range(1, 4)]
    doc = make_doc([body_page(1, "Cover"), pdf_page(2, lines)])
    entries = parse_contents(doc)
    assert titles(entries) == ["Introduction", "Scope", "Oil and debt", "Rosneft in Venezuela"]


# --- reading the entries ------------------------------------------------------------------------


def test_titles_and_numbers_in_separate_boxes_paired_by_height() -> None:
    doc = make_doc([contents_page(1, "Contents", leaders=False)])
    entries = parse_contents(doc)
    assert [(e.number, e.title, e.page, e.level) for e in entries] == [
        ("1", "Introduction", "1", 1),
        ("1.1", "Scope", "2", 2),
        ("2", "Oil and debt", "3", 1),
        ("2.1", "Rosneft in Venezuela", "4", 2),
    ]


def test_wrapped_title_and_page_number_alone_on_the_next_line() -> None:
    doc = text_doc(
        "Contents\n"
        "1 Introduction ........ 1\n"
        "2 The main fields of cooperation, from energy\n"
        "  to innovation and the digital economy, with\n"
        "  a look at the next decade ........ 4\n"
        "3 Oil and debt: how the loans were repaid\n"
        "9\n"
        "4 Conclusion ........ 12\n"
    )
    entries = parse_contents(doc, [1])
    assert [(e.number, e.title, e.page) for e in entries] == [
        ("1", "Introduction", "1"),
        (
            "2",
            "The main fields of cooperation, from energy to innovation and the digital economy, "
            "with a look at the next decade",
            "4",
        ),
        ("3", "Oil and debt: how the loans were repaid", "9"),
        ("4", "Conclusion", "12"),
    ]


def test_wrapped_title_with_positions() -> None:
    page = pdf_page(
        1,
        [
            ln("Contents", 40, size=20),
            ln("2.3.2 National Archives Law No. 48 of 1973 (as amended)", 100, x0=108),
            ln("(the National Archives Law) . . . . . . . . . . . . 9", 115, x0=136),
            ln("2.3.3 Survey Act No 17 of 2002 . . . . . . . . . . . . 12", 130, x0=108),
            ln("2.3.4 Census Data . . . . . . . . . . . . . . 13", 145, x0=108),
        ],
    )
    entries = parse_contents(make_doc([page]))
    assert [(e.title, e.page) for e in entries] == [
        ("National Archives Law No. 48 of 1973 (as amended) (the National Archives Law)", "9"),
        ("Survey Act No 17 of 2002", "12"),
        ("Census Data", "13"),
    ]


def test_entries_run_together_on_one_line_with_split_page_numbers() -> None:
    doc = text_doc(
        "Contents\n"
        "1 Introduction . . . . 1 2 Background . . . . 1 4 3 Methods . . . . 2 2 4 Results . . . . 3 0\n"
    )
    entries = parse_contents(doc, [1])
    assert [(e.number, e.title, e.page) for e in entries] == [
        ("1", "Introduction", "1"),
        ("2", "Background", "14"),
        ("3", "Methods", "22"),
        ("4", "Results", "30"),
    ]


def test_entries_run_together_without_leaders() -> None:
    line = (
        "1 Introduction 1 2 Regional security since the crisis 5 2.1 Energy contracts 7 "
        "3 Oil and debt 1 2 4 Conclusion 2 0"
    )
    entries = parse_contents(text_doc(f"Contents\n{line}\n"), [1])
    assert [(e.number, e.title, e.page) for e in entries] == [
        ("1", "Introduction", "1"),
        ("2", "Regional security since the crisis", "5"),
        ("2.1", "Energy contracts", "7"),
        ("3", "Oil and debt", "12"),
        ("4", "Conclusion", "20"),
    ]


def test_text_with_titles_and_page_numbers_in_separate_blocks() -> None:
    """Plain text extraction puts a column of page numbers after the block of titles."""
    doc = text_doc(
        "Contents\n"
        "1 Getting Started\n1\n"
        "1.1 Files and Folders\n1.2 The Terminal\n2 Your First Program\n"
        "2\n5\n15\n"
        "2.1\nHow to Read a Go Program . . . . . .\n17\n"
        "2.2 Step 2: Download MuPDF 1.8\n"
        "19\n"
    )
    entries = parse_contents(doc, [1])
    assert [(e.number, e.title, e.page, e.level) for e in entries] == [
        ("1", "Getting Started", "1", 1),
        ("1.1", "Files and Folders", "2", 2),
        ("1.2", "The Terminal", "5", 2),
        ("2", "Your First Program", "15", 1),
        ("2.1", "How to Read a Go Program", "17", 2),
        ("2.2", "Step 2: Download MuPDF 1.8", "19", 2),
    ]


def test_page_number_out_of_order_is_not_taken() -> None:
    doc = text_doc(
        "Contents\n1 First section\niii\n2 Second section\n4\n3 Third section\n6\n"
        "1 First section\nSome text here...\niii\n"
    )
    assert titles(parse_contents(doc, [1])) == ["First section", "Second section", "Third section"]


def test_contents_at_the_end_of_the_document() -> None:
    """French reports often print the "Table des matières" last."""
    chapters = ["Le contexte", "Les acteurs", "Les enjeux", "Les perspectives"]
    pages = [body_page(1, "Couverture")]
    pages += [body_page(n, f"{n - 1} {name}", str(n - 1)) for n, name in enumerate(chapters, 2)]
    listing = [ln("Table des matières", 40, size=16)]
    listing += [ln(f"{i} {name} {'.' * 20} {i}", 80 + 18 * i) for i, name in enumerate(chapters, 1)]
    pages.append(pdf_page(6, listing, "5"))
    entries, notes = contents_toc(make_doc(pages))
    assert [(e.number, e.title, e.pdf_page) for e in entries] == [
        ("1", "Le contexte", 2),
        ("2", "Les acteurs", 3),
        ("3", "Les enjeux", 4),
        ("4", "Les perspectives", 5),
    ]
    assert notes[0].startswith("contents page on pdf page 6")


def test_the_longest_of_two_listings_is_the_table_of_contents() -> None:
    chapters = ["Le contexte", "Les acteurs", "Les enjeux", "Les perspectives"]
    short = [ln("Sommaire", 40, size=16)]
    short += [ln(f"{name} {'.' * 20} {i}", 80 + 18 * i) for i, name in enumerate(chapters[:3], 1)]
    full = [ln("Table des matières", 40, size=16)]
    full += [ln(f"{i} {name} {'.' * 20} {i}", 80 + 18 * i) for i, name in enumerate(chapters, 1)]
    full += [ln(f"{i}.1 Une section {'.' * 20} {i}", 160 + 18 * i) for i in range(1, 5)]
    pages = [pdf_page(1, short)]
    pages += [body_page(n, f"{n - 1} {name}", str(n - 1)) for n, name in enumerate(chapters, 2)]
    pages.append(pdf_page(6, full))
    assert find_contents_pages(make_doc(pages)) == [6]


def test_levels_from_numbering_schemes() -> None:
    doc = text_doc(
        "Contents\n"
        "Foreword ........ v\n"
        "Chapter 1 Beginnings ........ 1\n"
        "1.1 Early years ........ 2\n"
        "1.1.1 The first contract ........ 3\n"
        "Chapter 2 Growth ........ 10\n"
        "2.1 Oil ........ 11\n"
        "Annex A. Data sources ........ 40\n"
        "A.1 Surveys ........ 41\n"
    )
    entries = parse_contents(doc, [1])
    assert [(e.number, e.title, e.level) for e in entries] == [
        (None, "Foreword", 1),
        ("Chapter 1", "Beginnings", 1),
        ("1.1", "Early years", 2),
        ("1.1.1", "The first contract", 3),
        ("Chapter 2", "Growth", 1),
        ("2.1", "Oil", 2),
        ("Annex A", "Data sources", 1),
        ("A.1", "Surveys", 2),
    ]
    assert [e.kind for e in entries][0] == "front" and entries[-2].kind == "annex"


def test_levels_from_roman_and_letter_numbering_by_indentation() -> None:
    doc = text_doc(
        "Contents\n"
        "I. The stakes ........ 3\n"
        "   A. Energy ........ 4\n"
        "   B. Debt ........ 9\n"
        "II. The actors ........ 15\n"
        "   A. Governments ........ 16\n"
    )
    entries = parse_contents(doc, [1])
    assert [(e.number, e.level) for e in entries] == [("I", 1), ("A", 2), ("B", 2), ("II", 1), ("A", 2)]


def test_levels_from_capitals_and_sentence_case() -> None:
    """Ifri notes: level 1 in capitals, level 2 in sentence case, same indent and type."""
    lines = [ln("Sommaire", 40, size=16)]
    listing = [
        ("INTRODUCTION", "5"),
        ("RUSSIA IN LATIN AMERICA", "7"),
        ("An old partner", "7"),
        ("Energy and arms", "11"),
        ("VENEZUELA, THE MAIN CLIENT", "15"),
        ("Rosneft in Venezuela", "16"),
        ("CONCLUSION", "21"),
    ]
    for i, (title, page) in enumerate(listing):
        lines += [ln(title, 80 + 16 * i), number_at(page, 80 + 16 * i)]
    entries = parse_contents(make_doc([pdf_page(1, lines)]))
    assert [e.level for e in entries] == [1, 1, 2, 2, 1, 2, 1]


def test_levels_from_indentation_and_type() -> None:
    lines = [ln("Contents", 40, size=20)]
    listing = [
        ("Preface", 72, 12, True),
        ("Who should read it", 90, 10, False),
        ("Extensions", 72, 12, True),
        ("3D annotations", 90, 10, False),
        ("Views", 108, 10, False),
    ]
    for i, (title, x0, size, bold) in enumerate(listing):
        lines += [ln(title, 80 + 16 * i, x0=x0, size=size, bold=bold), number_at(str(i + 4), 80 + 16 * i)]
    entries = parse_contents(make_doc([pdf_page(1, lines)]))
    assert [e.level for e in entries] == [1, 2, 1, 2, 3]


def test_parts_above_numbered_chapters() -> None:
    doc = text_doc(
        "Contents\n"
        "1 Introduction ........ 1\n"
        "I The C API ........ 5\n"
        "2 Quick start ........ 6\n"
        "2.1 Opening a file ........ 6\n"
        "II Internals ........ 30\n"
        "3 The store ........ 31\n"
    )
    entries = parse_contents(doc, [1])
    assert [(e.number, e.level) for e in entries] == [
        ("1", 1),
        ("I", 1),
        ("2", 2),
        ("2.1", 3),
        ("II", 1),
        ("3", 2),
    ]


def test_listing_without_page_numbers() -> None:
    doc = make_doc(
        [
            pdf_page(
                1,
                [ln("Table of Contents", 40, size=17)]
                + [
                    ln(f"{i}.  {t}", 80 + 14 * i)
                    for i, t in enumerate(["Introduction", "Routing", "Middleware"], 1)
                ],
            ),
            body_page(2, "Introduction"),
            body_page(3, "Routing"),
            body_page(4, "Middleware"),
        ]
    )
    entries, _notes = contents_toc(doc)
    assert [(e.number, e.title, e.page, e.pdf_page) for e in entries] == [
        ("1", "Introduction", None, 2),
        ("2", "Routing", None, 3),
        ("3", "Middleware", None, 4),
    ]


def test_body_text_after_the_listing_is_not_an_entry() -> None:
    lines = [ln("Contents", 40, size=14)]
    lines += [ln(f"{t} {'.' * 30} {p}", 70 + 18 * i) for i, (t, p) in enumerate(LISTING)]
    lines += [ln("1 Introduction", 200, size=14, bold=True), ln("Some text here...", 230)]
    entries = parse_contents(make_doc([pdf_page(1, lines)]))
    assert titles(entries) == ["Introduction", "Scope", "Oil and debt", "Rosneft in Venezuela"]


# --- page mapping -----------------------------------------------------------------------------------


def test_roman_front_matter_and_arabic_body_mapped_through_labels() -> None:
    pages = [
        body_page(1, "Cover", "i"),
        pdf_page(
            2,
            [ln("Contents", 40, size=20)]
            + [
                ln(f"{t} {'.' * 30} {p}", 80 + 18 * i)
                for i, (t, p) in enumerate(
                    [
                        ("Foreword", "iii"),
                        ("1 Introduction", "1"),
                        ("2 Findings", "2"),
                        ("3 Heading on level 1", "1"),
                    ]
                )
            ],
            "ii",
        ),
        body_page(3, "Foreword", "iii"),
        body_page(4, "1 Introduction", "1"),
        body_page(5, "2 Findings", "2"),
        body_page(6, "3 Heading on level 1", "1"),  # labels restart: the title tells the pages apart
    ]
    entries, notes = contents_toc(make_doc(pages))
    assert [(e.title, e.page, e.pdf_page) for e in entries] == [
        ("Foreword", "iii", 3),
        ("Introduction", "1", 4),
        ("Findings", "2", 5),
        ("Heading on level 1", "1", 6),
    ]
    assert entries[0].kind == "front"
    assert "contents page on pdf page 2: 4 entries" in notes[0]
    assert any("4 by the numbers printed on the pages" in note for note in notes)


def test_mapping_by_offset_from_titles_found_in_the_body() -> None:
    entries = [
        TocEntry("Introduction to the region", 1, "1", "1"),
        TocEntry("Energy and security", 1, "2", "3"),
        TocEntry("Oil and debt in Venezuela", 1, "3", "5"),
        TocEntry("Conclusion and outlook", 1, "4", "9"),  # its page has no heading line: offset only
    ]
    pages = [body_page(1, "Cover"), body_page(2, "Contents")]
    pages += [
        body_page(n, h)
        for n, h in [
            (3, "1 Introduction to the region"),
            (4, "Text"),
            (5, "2 Energy and security"),
            (6, "Text"),
            (7, "3 Oil and debt in Venezuela"),
        ]
    ]
    pages += [body_page(n, "More text") for n in range(8, 13)]
    mapped = map_to_pdf_pages(make_doc(pages), entries, skip=[2])
    assert [e.pdf_page for e in mapped] == [3, 5, 7, 11]


def test_contents_one_page_off_is_corrected_by_the_headings() -> None:
    """A contents page made before a page was inserted: every heading is one page later."""
    names = ["Selecting a paper", "Scoping the work", "Assessment of inputs", "Improvements made"]
    pages = [body_page(1, "Cover", "1"), body_page(2, "Contents", "2")]
    pages += [body_page(n, names[(n - 3) // 2] if n % 2 else "Text", str(n)) for n in range(3, 11)]
    entries = [TocEntry(name, 1, None, str(n)) for name, n in zip(names, [2, 4, 6, 8], strict=True)]
    mapped = map_to_pdf_pages(make_doc(pages), entries, skip=[2])
    assert [e.pdf_page for e in mapped] == [3, 5, 7, 9]


def test_unmappable_page_stays_none() -> None:
    doc = make_doc([body_page(1, "Cover"), body_page(2, "Text")])
    mapped = map_to_pdf_pages(doc, [TocEntry("Nowhere to be found", 1, None, "40")], skip=[])
    assert mapped[0].pdf_page is None


# --- whole documents --------------------------------------------------------------------------------


def test_text_input_end_to_end() -> None:
    text = (
        "A report\n\fContents\n"
        "Introduction .......... 1\n"
        "The policy debate .......... 2\n"
        "Conclusion .......... 3\n"
        "\fIntroduction\nSome words.\n1\n"
        "\fThe policy debate\nMore words.\n2\n"
        "\fConclusion\nLast words.\n3\n"
    )
    doc = text_doc(text)
    entries, _notes = contents_toc(doc)
    assert [(e.title, e.page, e.pdf_page) for e in entries] == [
        ("Introduction", "1", 3),
        ("The policy debate", "2", 4),
        ("Conclusion", "3", 5),
    ]


def test_generated_pdf_with_roman_front_matter(tmp_path: Path) -> None:
    leaders = "." * 40
    pages = [
        PageSpec([Para("Energy and Security in the Caribbean", 20, "B")], label_style="r"),
        PageSpec(
            [
                Para("Table of Contents", 16, "B"),
                f"Foreword {leaders} iii",
                f"1 Introduction {leaders} 1",
                f"1.1 Scope of the study {leaders} 2",
                f"2 Oil and debt {leaders} 3",
                Para("List of Figures", 16, "B"),
                f"Figure 1 Oil output {leaders} 3",
            ]
        ),
        PageSpec([Para("Foreword", 14, "B"), "A word before we begin."]),
        PageSpec([Para("1 Introduction", 14, "B"), LOREM], footer="1", label_style="D", label_start=1),
        PageSpec([Para("1.1 Scope of the study", 12, "B"), LOREM], footer="2"),
        PageSpec([Para("2 Oil and debt", 14, "B"), LOREM], footer="3"),
    ]
    doc = ingest.load(make_pdf(tmp_path / "report.pdf", Spec(pages)))
    assert find_contents_pages(doc) == [2]
    built = toc.build_toc(doc, "contents")
    assert built.source == "contents"
    assert [(e.number, e.title, e.level, e.page, e.pdf_page) for e in built.entries] == [
        (None, "Foreword", 1, "iii", 3),
        ("1", "Introduction", 1, "1", 4),
        ("1.1", "Scope of the study", 2, "2", 5),
        ("2", "Oil and debt", 1, "3", 6),
    ]


def test_titles_are_repaired() -> None:
    assert contents._clean_title("Fac¸ade . . . . .") == "Façade"
    assert contents._clean_title("´Indice") == "Índice"
    assert contents._clean_title("C O N T E N T S") == "CONTENTS"
    assert (
        contents._clean_title("Les groupes K0 et K (cid:48) d’un anneau") == "Les groupes K0 et K d’un anneau"
    )
