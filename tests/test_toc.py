"""The table of contents: outline repair, source choice in auto, page labels, clean titles."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pdfgen import LOREM, PageSpec, Para, Spec, make_pdf, simple_report
from test_headings import Layout
from typer.testing import CliRunner

from ifri_cli import ingest
from ifri_cli.cli import app
from ifri_cli.model import Document, OutlineItem
from ifri_cli.structure.outline import from_outline, repair_outline
from ifri_cli.structure.titles import clean_title
from ifri_cli.structure.toc import build_toc

runner = CliRunner()


def item(title: str, level: int = 1, page: int | None = 1) -> OutlineItem:
    return OutlineItem(title, level, page)


# --- outline repair -----------------------------------------------------------------


def test_repair_drops_duplicates_empty_and_file_names() -> None:
    items = [
        item("Introduction", 1, 2),
        item("Introduction", 1, 2),  # the same bookmark twice
        item("   ", 1, 3),
        item("14-01_Annexe_A (003).pdf", 1, None),  # a merged PDF's file name
        item("Investir en transport actif", 2, 5),  # its child moves up
        item("Sécurité", 2, 6),
        item("Conclusion", 1, 7),
    ]
    out, notes = repair_outline(items, page_count=10)
    assert [(i.title, i.level, i.pdf_page) for i in out] == [
        ("Introduction", 1, 2),
        ("Investir en transport actif", 1, 5),
        ("Sécurité", 1, 6),
        ("Conclusion", 1, 7),
    ]
    assert any("duplicated" in n for n in notes) and any("file" in n for n in notes)


def test_repair_marks_destinations_past_the_end_as_dangling() -> None:
    out, notes = repair_outline([item("A", 1, 2), item("B", 1, 40)], page_count=10)
    assert [i.pdf_page for i in out] == [2, None]
    assert any("past the last page" in n for n in notes)


def test_repair_flattens_a_staircase_of_peers() -> None:
    items = [
        item("ACKNOWLEDGEMENTS", 1, 3),
        item("ABBREVIATIONS AND ACRONYMS", 2, 5),
        item("GLOSSARY OF TERMS", 3, 6),
        item("EXECUTIVE SUMMARY", 4, 8),
        item("chapter 1. INTRODUCTION", 1, 10),
        item("1.1 Objectives", 2, 10),
    ]
    out, notes = repair_outline(items, page_count=20)
    assert [i.level for i in out] == [1, 1, 1, 1, 1, 2]
    assert any("flattened" in n for n in notes)


def test_repair_keeps_real_nesting_and_fixes_skipped_levels() -> None:
    nested = [
        item("1 Part", 1, 1),
        item("1.1 Chapter", 2, 2),
        item("1.1.1 Section", 3, 3),
        item("2 Part", 1, 4),
    ]
    assert [i.level for i in repair_outline(nested, 10)[0]] == [1, 2, 3, 1]
    skipping = [item("Intro", 2, 1), item("Deep", 4, 2), item("Next", 2, 3)]
    out, notes = repair_outline(skipping, 10)
    assert [i.level for i in out] == [1, 2, 1]
    assert any("skipped a level" in n for n in notes)


def _doc_with_outline(outline: list[OutlineItem], pages: int = 4) -> Document:
    lay = Layout()
    for n in range(pages):
        lay.paragraph(2).text(f"{n + 1} Section number {n + 1}", 14, True, gap=18).paragraph(4).page(
            str(n + 1)
        )
    return replace(lay.document(), outline=tuple(outline))


def test_an_excerpt_keeps_only_the_bookmarks_that_point_inside_it() -> None:
    outline = [item("Section number 1", 1, 1), item("Section number 2", 1, 2)]
    outline += [item(f"Chapter {n}", 1, None) for n in range(3, 30)]
    entries, notes, rejected = from_outline(_doc_with_outline(outline))
    assert not rejected and [e.title for e in entries] == ["Section number 1", "Section number 2"]
    assert any("excerpt" in n for n in notes)
    entries, notes, rejected = from_outline(
        _doc_with_outline([item(f"Chapter {n}", 1, None) for n in range(9)])
    )
    assert rejected and not entries


def test_a_few_dangling_bookmarks_are_placed_where_their_title_is() -> None:
    outline = [
        item("Section number 1", 1, 1),
        item("Section number 2", 1, None),
        item("Section number 3", 1, 3),
        item("Nowhere to be found", 1, None),
    ]
    entries, notes, _rejected = from_outline(_doc_with_outline(outline))
    assert [(e.title, e.pdf_page) for e in entries] == [
        ("Section number 1", 1),
        ("Section number 2", 2),
        ("Section number 3", 3),
    ]
    assert any("1 placed" in n and "1 dropped" in n for n in notes)


# --- auto: choosing and rejecting sources -------------------------------------------------


def test_auto_uses_an_outline_that_matches_the_text() -> None:
    outline = [item(f"{n} Section number {n}", 1, n) for n in range(1, 5)]
    toc = build_toc(_doc_with_outline(outline), "auto")
    assert toc.source == "outline" and len(toc.entries) == 4
    assert toc.entries[1].number == "2" and toc.entries[1].title == "Section number 2"
    assert any("used the PDF outline" in n for n in toc.explain)


def test_auto_rejects_an_outline_that_does_not_match_the_text() -> None:
    outline = [item(f"Unrelated bookmark {n}", 1, n) for n in range(1, 5)]
    toc = build_toc(_doc_with_outline(outline), "auto")
    assert toc.source == "headings"
    assert [e.title for e in toc.entries] == [f"Section number {n}" for n in range(1, 5)]
    assert any("rejected the PDF outline" in n for n in toc.explain)
    # asked for explicitly, the outline is given as it is
    assert build_toc(_doc_with_outline(outline), "outline").source == "outline"


def _contents_doc(listed: list[tuple[str, str]]) -> Document:
    lay = Layout()
    lay.text("Contents", 16, True)
    for title, page in listed:
        lay.text(f"{title} {'.' * 40} {page}", gap=4)
    lay.page("i")
    for n, title in enumerate(["1 Introduction", "2 Oil and debt", "3 Conclusion"], start=1):
        lay.paragraph(3).text(title, 14, True, gap=18).paragraph(5).page(str(n))
    return lay.document()


def test_auto_uses_a_contents_page_whose_entries_are_in_the_body() -> None:
    doc = _contents_doc([("1 Introduction", "1"), ("2 Oil and debt", "2"), ("3 Conclusion", "3")])
    toc = build_toc(doc, "auto")
    assert toc.source == "contents", toc.explain
    assert [(e.number, e.title, e.page, e.pdf_page) for e in toc.entries] == [
        ("1", "Introduction", "1", 2),
        ("2", "Oil and debt", "2", 3),
        ("3", "Conclusion", "3", 4),
    ]


def test_auto_rejects_a_contents_page_whose_entries_are_not_in_the_body() -> None:
    doc = _contents_doc(
        [("1 Methods of survey", "1"), ("2 Energy markets", "2"), ("3 Outlook for 2030", "3")]
    )
    toc = build_toc(doc, "auto")
    assert toc.source == "headings"
    assert [e.title for e in toc.entries] == ["Contents", "Introduction", "Oil and debt", "Conclusion"]
    assert any("rejected the printed contents page" in n for n in toc.explain)


def test_no_structure_at_all_says_why() -> None:
    lay = Layout().paragraph(5).page()
    toc = build_toc(lay.document(), "auto")
    assert toc.source == "none" and not toc.entries and toc.explain
    assert build_toc(lay.document(), "outline").explain == ("this document has no PDF outline (bookmarks)",)
    with pytest.raises(ValueError):
        build_toc(lay.document(), "bookmarks")


# --- page labels and titles -----------------------------------------------------------


def test_roman_front_matter_then_arabic_labels(tmp_path: Path) -> None:
    pages = [
        PageSpec([Para("Preface", 14, "B", 1), LOREM], label_style="r", label_start=1),
        PageSpec([Para("Acknowledgements", 14, "B", 1), LOREM]),
        PageSpec([Para("1 Introduction", 14, "B", 1), LOREM], label_style="D", label_start=1),
        PageSpec([Para("2 Findings", 14, "B", 1), LOREM]),
    ]
    doc = ingest.load(make_pdf(tmp_path / "labels.pdf", Spec(pages)))
    for source in ("outline", "headings"):
        toc = build_toc(doc, source)
        assert [(e.title, e.page, e.pdf_page) for e in toc.entries] == [
            ("Preface", "i", 1),
            ("Acknowledgements", "ii", 2),
            ("Introduction", "1", 3),
            ("Findings", "2", 4),
        ], source


def test_clean_title() -> None:
    assert clean_title("Introduction ........ 12") == "Introduction"
    assert clean_title("Background . . . . . . iv") == "Background"
    assert clean_title("Energy  and\u00a0security:") == "Energy and security"
    assert clean_title("The inter- national order") == "The international order"
    assert clean_title("Oil - and gas") == "Oil - and gas"


# --- the command --------------------------------------------------------------------


def test_toc_explain_goes_to_stderr_and_the_pipe_format_stays(tmp_path: Path) -> None:
    report = simple_report(tmp_path / "report.pdf", outline=False, printed_numbers=True)
    result = runner.invoke(app, ["toc", str(report), "--explain"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "1 Introduction\t1\n  1.1 Scope of the study\t2\n2 Oil and debt\t3\n  2.1 Rosneft in Venezuela\t4\n"
    )
    assert "source: headings" in result.stderr and "no PDF outline" in result.stderr
    assert "Introduction" not in result.stderr


def test_toc_source_option_and_json(tmp_path: Path) -> None:
    report = simple_report(tmp_path / "report.pdf", outline=True)
    result = runner.invoke(app, ["toc", str(report), "--source", "headings", "--json"])
    assert result.exit_code == 0
    import json

    data = json.loads(result.stdout)
    assert data["source"] == "headings"
    assert [e["number"] for e in data["entries"]] == ["1", "1.1", "2", "2.1"]
    assert set(data["entries"][0]) >= {"number", "title", "level", "page", "pdf_page"}


def test_a_tiny_outline_gives_way_to_the_headings() -> None:
    lay = Layout()
    for n in range(10):
        lay.paragraph(2).text(f"{n + 1} Section number {n + 1}", 14, True, gap=18).paragraph(4).page(
            str(n + 1)
        )
    doc = replace(lay.document(), outline=(item("Section number 1", 1, 1),))
    toc = build_toc(doc, "auto")
    assert toc.source == "headings" and len(toc.entries) == 10
    assert any("only 1 entry" in n for n in toc.explain)
    assert build_toc(replace(doc, pages=doc.pages[:3]), "auto").source == "outline"  # a short paper


def test_a_document_that_is_only_its_contents_page_keeps_it() -> None:
    lay = Layout().text("Contents", 16, True)
    for n, title in enumerate(["Overview", "Before you begin", "Scanning", "Balancing", "Reports"], start=1):
        lay.text(f"{n} {title} {'.' * 40} {n * 3}", gap=4)
    toc = build_toc(lay.page("i").document(), "auto")
    assert toc.source == "contents" and [e.title for e in toc.entries][:2] == ["Overview", "Before you begin"]
    assert any("unchecked" in n for n in toc.explain)


def test_an_unnumbered_outline_takes_its_numbers_from_the_contents_page(tmp_path: Path) -> None:
    # a thesis whose bookmarks say "Method" where the contents page and the heading say "2 Method"
    def chapter(number: str, title: str, level: int) -> Para:
        return Para(f"{number} {title}", 14 if level == 1 else 12, "B", level, bookmark=title)

    contents = [
        "1 Introduction . . . . . . . . . . . . . . . . . . . 2",
        "1.1 Scope . . . . . . . . . . . . . . . . . . . . . . 2",
        "2 Method . . . . . . . . . . . . . . . . . . . . . . 3",
        "2.1 Scope . . . . . . . . . . . . . . . . . . . . . . 3",
        "A Survey tables . . . . . . . . . . . . . . . . . . . 4",
        "A.1 Questions . . . . . . . . . . . . . . . . . . . . 4",
    ]
    pages = [
        PageSpec([Para("Contents", 16, "B"), *contents]),
        PageSpec(
            [chapter("1", "Introduction", 1), LOREM, chapter("1.1", "Scope", 2), LOREM], footer="2"
        ),
        PageSpec([chapter("2", "Method", 1), LOREM, chapter("2.1", "Scope", 2), LOREM], footer="3"),
        PageSpec(
            [chapter("A", "Survey tables", 1), LOREM, chapter("A.1", "Questions", 2), LOREM], footer="4"
        ),
    ]
    from ifri_cli import open_document

    doc = open_document(make_pdf(tmp_path / "thesis.pdf", Spec(pages)), cache=False)
    assert doc.toc is not None and doc.toc.source == "outline"
    assert [(e.number, e.title) for e in doc.toc.entries] == [
        ("1", "Introduction"),
        ("1.1", "Scope"),
        ("2", "Method"),
        ("2.1", "Scope"),  # the same title in two chapters: each takes its own chapter's number
        ("A", "Survey tables"),
        ("A.1", "Questions"),
    ]
    assert any("numbers taken from the printed contents page" in note for note in doc.toc.explain)
    # "A" after numbered chapters is an appendix
    assert [s.kind for s in doc.sections if s.kind != "front"] == ["section", "section", "annex"]
    # the structure came from the outline, and `ifri info` still says where the contents page is
    from ifri_cli.render import info_plain

    assert doc.info()["contents_pages"] == [1]
    assert "Contents page: pdf page 1\n" in info_plain(doc.info())
