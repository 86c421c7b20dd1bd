"""Printed contents pages from outside the development corpus (issue 22): other languages and
split accents, titles that begin with a number, partial documents, listings continued on the
next page, titles as printed. Each case is a PDF or a text the test makes itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfgen import LOREM, PageSpec, Para, Spec, make_pdf

from ifri_cli import ingest
from ifri_cli.model import Document, Line, Metadata, Page
from ifri_cli.structure import toc
from ifri_cli.structure.contents import contents_toc, find_contents_pages, is_contents_heading
from ifri_cli.text import clean

DOTS = "." * 40


def load_pdf(tmp_path: Path, pages: list[PageSpec], name: str = "doc.pdf") -> Document:
    return clean.clean_document(ingest.load(make_pdf(tmp_path / name, Spec(pages))))


def load_text(text: str) -> Document:
    return clean.clean_document(ingest.load_bytes(text.encode("utf-8"), None))


def text_report(heading: str, listing: list[tuple[str, int]], headings: list[str]) -> str:
    """A cover, a contents page, then one page a heading with its printed number at the foot."""
    lines = "".join(f"{title} {'.' * 20} {page}\n" for title, page in listing)
    body = "".join(f"\f{h}\nSome words about it.\n{i}\n" for i, h in enumerate(headings, 1))
    return f"A report\n\f{heading}\n{lines}{body}"


def mapped(entries: list) -> list[tuple[str | None, str, str | None, int | None]]:
    return [(e.number, e.title, e.page, e.pdf_page) for e in entries]


# --- 1. contents headings in other languages; lists of figures and tables are not the contents ----


@pytest.mark.parametrize(
    "heading",
    [
        "Índice",
        "´Indice general",
        "Contenido",
        "Sumário",
        "Sum´ario",
        "Inhaltsverzeichnis",
        "Indice",
        "Inhoud",
        "Table des mati`eres",
        "Sommaire",
        "Содержание",
        "Оглавление",
        "目录",
        "目次",
    ],
)
def test_contents_headings_in_other_languages(heading: str) -> None:
    assert is_contents_heading(heading)


@pytest.mark.parametrize(
    "heading", ["´Indice de figuras", "´Indice de tablas", "Lista de figuras", "Список иллюстраций", "图目录"]
)
def test_lists_of_figures_and_tables_are_not_contents_headings(heading: str) -> None:
    assert not is_contents_heading(heading)


def test_spanish_latex_thesis_with_split_accents(tmp_path: Path) -> None:
    """``´Indice general`` then ``´Indice de figuras`` and ``´Indice de tablas``, accents set apart."""
    pages = [
        PageSpec([Para("Tesis doctoral", 20, "B")]),
        PageSpec(
            [
                Para("\u00b4Indice general", 16, "B"),
                f"1 Introducci\u00b4on {DOTS} 1",
                f"1.1 Motivaci\u00b4on {DOTS} 2",
                f"2 M\u00b4etodos {DOTS} 3",
                f"Bibliograf\u00b4ia {DOTS} 4",
            ]
        ),
        PageSpec(
            [
                Para("\u00b4Indice de figuras", 16, "B"),
                f"1.1 Un gr\u00b4afico {DOTS} 2",
                f"2.1 Otro gr\u00b4afico {DOTS} 3",
                Para("\u00b4Indice de tablas", 16, "B"),
                f"2.1 Una tabla {DOTS} 3",
            ]
        ),
        PageSpec([Para("1 Introducci\u00f3n", 14, "B"), LOREM], footer="1", label_style="D", label_start=1),
        PageSpec([Para("1.1 Motivaci\u00f3n", 12, "B"), LOREM], footer="2"),
        PageSpec([Para("2 M\u00e9todos", 14, "B"), LOREM], footer="3"),
        PageSpec([Para("Bibliograf\u00eda", 14, "B"), LOREM], footer="4"),
    ]
    doc = load_pdf(tmp_path, pages, "tesis.pdf")
    assert find_contents_pages(doc) == [2]
    entries, notes = contents_toc(doc)
    assert mapped(entries) == [
        ("1", "Introducción", "1", 4),
        ("1.1", "Motivación", "2", 5),
        ("2", "Métodos", "3", 6),
        (None, "Bibliografía", "4", 7),
    ]
    assert any("left out lists of figures or tables" in n and "figuras" in n for n in notes)


def test_only_a_list_of_figures_is_no_contents(tmp_path: Path) -> None:
    pages = [
        PageSpec([Para("Tesis doctoral", 20, "B")]),
        PageSpec(
            [Para("\u00b4Indice de figuras", 16, "B")]
            + [f"{i}.1 Gr\u00b4afico {DOTS} {i}" for i in range(1, 5)]
        ),
        *[PageSpec([Para(f"{i} Cap\u00edtulo", 14, "B"), LOREM], footer=str(i)) for i in range(1, 5)],
    ]
    entries, notes = contents_toc(load_pdf(tmp_path, pages))
    assert entries == []
    assert "found only lists of figures or tables" in notes[-1]


@pytest.mark.parametrize(
    ("heading", "titles"),
    [
        ("Содержание", ["Введение", "Энергетика и безопасность", "Заключение"]),
        ("目录", ["第一章 引言", "第二章 方法", "第三章 结论"]),
        ("Inhaltsverzeichnis", ["Einleitung", "Energie und Sicherheit", "Schluss"]),
    ],
)
def test_contents_in_other_scripts_end_to_end(heading: str, titles: list[str]) -> None:
    doc = load_text(text_report(heading, [(t, i) for i, t in enumerate(titles, 1)], titles))
    entries, _notes = contents_toc(doc)
    assert [(e.title, e.pdf_page) for e in entries] == [(t, i + 3) for i, t in enumerate(titles)]


# --- 3. titles that begin with a number ----------------------------------------------------------


def test_titles_beginning_with_a_number_in_text() -> None:
    listing = [
        ("1      Scope", 1),
        ("11     Options", 2),
        ("12     64 kbit/s option", 3),
        ("12.1   2020 outlook", 4),
        ("2020 outlook for the region", 5),
        ("Annex C – Test vectors", 6),
        ("A.1    Apéndice", 7),
    ]
    headings = [
        "1 Scope",
        "11 Options",
        "12 64 kbit/s option",
        "12.1 2020 outlook",
        "2020 outlook for the region",
        "Annex C – Test vectors",
        "A.1 Apéndice",
    ]
    entries, _notes = contents_toc(load_text(text_report("Contents", listing, headings)))
    assert mapped(entries) == [
        ("1", "Scope", "1", 3),
        ("11", "Options", "2", 4),
        ("12", "64 kbit/s option", "3", 5),
        ("12.1", "2020 outlook", "4", 6),
        (None, "2020 outlook for the region", "5", 7),
        ("Annex C", "Test vectors", "6", 8),
        ("A.1", "Apéndice", "7", 9),
    ]
    assert [e.level for e in entries][:4] == [1, 1, 1, 2]


def _line(text: str, top: float, x0: float) -> Line:
    return Line(text, 10.0, False, False, x0, top, x0 + 5.0 * len(text), top + 10.0)


def test_clause_number_in_its_own_box_before_a_title_beginning_with_a_number() -> None:
    """A standard sets the clause number apart (a wide gap): ``12  64 kbit/s option ..... 17``."""
    rows = [
        ("11", "Scope of the options", "16"),
        ("12", "64 kbit/s option", "17"),
        ("13", "2020 outlook", "18"),
    ]
    lines = [_line("Contents", 40, 72)]
    for i, (number, title, page) in enumerate(rows):
        top = 80 + 18 * i
        lines += [_line(number, top, 72), _line(f"{title} {'.' * 30}", top, 110), _line(page, top, 520)]
    pages = [
        Page(1, None, (_line("A standard", 40, 72),), 612.0, 792.0),
        Page(2, None, tuple(lines), 612.0, 792.0),
    ]
    doc = Document(path=None, kind="pdf", metadata=Metadata(), pages=tuple(pages))
    entries, _notes = contents_toc(doc)
    assert [(e.number, e.title, e.page) for e in entries] == [
        ("11", "Scope of the options", "16"),
        ("12", "64 kbit/s option", "17"),
        ("13", "2020 outlook", "18"),
    ]


# --- 5. contents continued on the next page -----------------------------------------------------

TOPICS = ["Energy", "Oil", "Debt", "Arms", "Media", "Cuba", "Brazil", "Mexico", "Argentina", "Vaccines"]
TOPICS += ["Ports", "Banks", "Nuclear", "Space", "Grain", "Fish", "Tourism", "Students", "Church"]


def test_contents_continued_on_the_next_page(tmp_path: Path) -> None:
    names = [f"{t} policy of the region" for t in TOPICS]
    back = ["References", "Appendix A", "Appendix B"]
    pages = [
        PageSpec([Para("A report", 20, "B")]),
        PageSpec([Para("Contents", 16, "B")] + [f"{i} {n} {DOTS} {i + 1}" for i, n in enumerate(names, 1)]),
        PageSpec([f"{title} {DOTS} {21 + i}" for i, title in enumerate(back)]),  # no heading, no number
        *[PageSpec([Para(f"{i} {n}", 14, "B"), LOREM], footer=str(i + 1)) for i, n in enumerate(names, 1)],
        *[PageSpec([Para(t, 14, "B"), LOREM], footer=str(21 + i)) for i, t in enumerate(back)],
    ]
    doc = load_pdf(tmp_path, pages, "long.pdf")
    assert find_contents_pages(doc) == [2, 3]
    entries = toc.build_toc(doc, "contents").entries
    assert len(entries) == 22
    assert [(e.title, e.pdf_page) for e in entries[-3:]] == [
        ("References", 23),
        ("Appendix A", 24),
        ("Appendix B", 25),
    ]


# --- 4. partial documents ---------------------------------------------------------------------------


def partial_extract(tmp_path: Path) -> Document:
    """The first pages of a longer study: its contents lists pages the file does not have."""
    pages = [
        PageSpec(
            [
                Para("Contents", 16, "B"),
                f"1 Introduction {DOTS} 1",
                f"2 Energy and security {DOTS} 2",
                f"3 Oil and debt in Venezuela {DOTS} 45",
                f"4 Conclusion and outlook {DOTS} 290",
            ]
        ),
        PageSpec([Para("1 Introduction", 14, "B"), LOREM], footer="1"),
        PageSpec([Para("2 Energy and security", 14, "B"), LOREM], footer="2"),
        PageSpec(
            [Para("The region", 14, "B"), LOREM, "Oil and debt in Venezuela are discussed later."], footer="3"
        ),
        PageSpec([Para("Conclusion and outlook", 12, "I"), LOREM], footer="4"),
    ]
    return load_pdf(tmp_path, pages, "extract.pdf")


def test_entries_past_the_document_are_not_mapped(tmp_path: Path) -> None:
    entries, notes = contents_toc(partial_extract(tmp_path))
    assert mapped(entries) == [
        ("1", "Introduction", "1", 2),
        ("2", "Energy and security", "2", 3),
        ("3", "Oil and debt in Venezuela", "45", None),
        ("4", "Conclusion and outlook", "290", None),
    ]
    assert any("2 not in this document" in n for n in notes)


def test_the_tree_says_which_entries_are_not_in_this_document(tmp_path: Path) -> None:
    from rich.console import Console

    from ifri_cli.render.toc import toc_rich

    doc = partial_extract(tmp_path)
    console = Console(width=100, record=True, color_system=None)
    console.print(toc_rich(doc, toc.build_toc(doc, "contents")))
    shown = console.export_text()
    assert "Oil and debt in Venezuela  p. 45 (not in this document)" in shown
    assert "Introduction  p. 1 (pdf 2)" in shown


# --- 6. titles as printed: the same spacing repair as the body ------------------------------------


def test_titles_get_the_spacing_repair_of_the_body() -> None:
    """The contents line says ``I NTRODUCTI ON``; the body's words say how to join it."""
    body = (
        "Since Chavismo took power, Moscow has supported the Chavismo of Caracas. Inertia explains "
        "much. The introduction of this note, and the inertia of Russian policy, are discussed below. "
    ) * 3
    text = (
        "Eurasia Visions\n\fContents\n"
        "I NTRODUCTI ON: RUSSIA IN LATIN AMERICA .......... 1\n"
        "I NERTI A IN RUSSIAN FOREIGN POLICY .......... 2\n"
        "MOSCOW SUPPORTED CHAVI SMO .......... 3\n"
        f"\fINTRODUCTION: RUSSIA IN LATIN AMERICA\n{body}\nIn 20 19, see the we bs ite.\n1\n"
        f"\fINERTIA IN RUSSIAN FOREIGN POLICY\n{body}\n2\n"
        f"\fMOSCOW SUPPORTED CHAVISMO\n{body}\nThe CHAVI SMO of the regime.\n3\n"
    )
    doc = load_text(text)
    built = toc.build_toc(doc, "contents")
    assert [(e.title, e.pdf_page) for e in built.entries] == [
        ("INTRODUCTION: RUSSIA IN LATIN AMERICA", 3),
        ("INERTIA IN RUSSIAN FOREIGN POLICY", 4),
        ("MOSCOW SUPPORTED CHAVISMO", 5),
    ]
    body_text = "\n".join(page.text for page in doc.body)
    assert "In 2019, see the website." in body_text
    assert "The CHAVISMO of the regime." in body_text


# --- 2. page labels that lie: the mapping is verified -----------------------------------------------

CHAPTERS = ["Introduction", "Scope of the standard", "Normative references", "Coding processes"]
CHAPTERS += ["Decoding processes", "Conformance testing"]


def standard(tmp_path: Path, labels_right: bool) -> Document:
    """Four front pages, then one chapter a page, printed numbers 1, 2, ... at the foot. The
    /PageLabels either number the front matter i-iv and the body from 1 (right), or count every
    page from 1 (so the body's labels are 4 more than its printed numbers)."""
    front = [
        PageSpec(
            [Para("Recommendation T.99", 20, "B")], label_style="r" if labels_right else "D", label_start=1
        ),
        PageSpec([Para("Foreword", 14, "B"), LOREM]),
        PageSpec(
            [Para("Contents", 16, "B")] + [f"{i} {t} {DOTS} {2 * i - 1}" for i, t in enumerate(CHAPTERS, 1)]
        ),
        PageSpec([Para("Summary of changes", 14, "B"), LOREM]),
    ]
    body = []
    for i, title in enumerate(CHAPTERS, 1):
        first = {"label_style": "D", "label_start": 1} if labels_right and i == 1 else {}
        body.append(PageSpec([Para(f"{i} {title}", 14, "B"), LOREM], footer=str(2 * i - 1), **first))
        body.append(PageSpec([LOREM, LOREM], footer=str(2 * i)))
    return load_pdf(tmp_path, front + body, "standard.pdf")


def test_page_labels_that_lie_give_way_to_the_printed_numbers(tmp_path: Path) -> None:
    doc = standard(tmp_path, labels_right=False)
    assert doc.has_page_labels and doc.pages[4].label == "5"  # printed "1"
    entries, notes = contents_toc(doc)
    assert [(e.title, e.page, e.pdf_page) for e in entries] == [
        (t, str(2 * i - 1), 2 * i + 3) for i, t in enumerate(CHAPTERS, 1)
    ]
    assert any("used the printed numbers" in n and "page labels disagree" in n for n in notes)
    from ifri_cli.structure.contents import page_mapping

    assert page_mapping(doc).name == "printed numbers"


def test_page_labels_that_agree_with_the_titles_are_kept(tmp_path: Path) -> None:
    doc = standard(tmp_path, labels_right=True)
    assert doc.has_page_labels and doc.pages[4].label == "1"
    entries, notes = contents_toc(doc)
    assert [e.pdf_page for e in entries] == [2 * i + 3 for i in range(1, len(CHAPTERS) + 1)]
    assert any("by page labels" in n for n in notes)
    from ifri_cli.structure.contents import page_mapping

    assert page_mapping(doc).name == "page labels"


def test_lying_labels_without_printed_numbers_give_way_to_the_headings(tmp_path: Path) -> None:
    """No number is printed on the pages: the offset at which the titles are headings tells, and
    an annex numbered apart (A-1 restarts at 1) takes its own offset."""
    names = ["Introduction", "Scope of the standard", "Normative references", "Coding processes"]
    pages = [
        PageSpec([Para("Recommendation T.99", 20, "B")], label_style="D", label_start=1),
        PageSpec([Para("Foreword", 14, "B"), LOREM]),
        PageSpec(
            [Para("Contents", 16, "B")]
            + [f"{i} {t} {DOTS} {2 * i - 1}" for i, t in enumerate(names, 1)]
            + [f"Annex A Informative examples {DOTS} 1", f"Annex B Further reading list {DOTS} 3"]
        ),
        *[
            PageSpec([Para(f"{i} {t}", 14, "B"), LOREM] if k == 0 else [LOREM])
            for i, t in enumerate(names, 1)
            for k in (0, 1)
        ],
        PageSpec([Para("Annex A Informative examples", 14, "B"), LOREM]),
        PageSpec([LOREM]),
        PageSpec([Para("Annex B Further reading list", 14, "B"), LOREM]),
    ]
    doc = load_pdf(tmp_path, pages, "annexes.pdf")
    entries, notes = contents_toc(doc)
    assert [e.pdf_page for e in entries] == [4, 6, 8, 10, 12, 14]
    from ifri_cli.structure.contents import page_mapping

    assert page_mapping(doc).name == "offset from headings"
    assert any("used the offset from headings" in n for n in notes)


def test_info_says_which_page_mapping_was_used(tmp_path: Path) -> None:
    from ifri_cli import open_document
    from ifri_cli.render.info import info_plain

    standard(tmp_path, labels_right=False)
    lying = open_document(tmp_path / "standard.pdf", cache=False).info()
    assert lying["page_labels"] == "pdf" and lying["page_mapping"] == "printed numbers"
    assert "Page mapping: contents pages through the numbers printed on the pages" in info_plain(lying)
    (tmp_path / "right").mkdir()
    standard(tmp_path / "right", labels_right=True)
    right = open_document(tmp_path / "right" / "standard.pdf", cache=False).info()
    assert right["page_mapping"] == "page labels"
    explain = open_document(tmp_path / "standard.pdf", cache=False).toc.explain
    assert any("used the printed numbers" in n for n in explain)
