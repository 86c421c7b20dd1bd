"""A printed contents page filled in from the body's headings (issue 22): below its deepest
level, after its last entry, and the parts it leaves out; never where it disagrees."""

from __future__ import annotations

import json
from pathlib import Path

from pdfgen import LOREM, PageSpec, Para, Spec, make_pdf
from typer.testing import CliRunner

from ifri_cli import ingest
from ifri_cli.cli import app
from ifri_cli.model import TocEntry
from ifri_cli.structure import toc
from ifri_cli.structure.deepen import fill_in
from ifri_cli.text import clean

DOTS = "." * 40


def e(number: str | None, title: str, level: int, page: int) -> TocEntry:
    return TocEntry(title=title, level=level, number=number, pdf_page=page)


def rows(entries: list[TocEntry]) -> list[tuple[str | None, str, int, int | None]]:
    return [(x.number, x.title, x.level, x.pdf_page) for x in entries]


CONTENTS = [
    e("1", "Introduction", 1, 3),
    e("1.1", "Scope", 2, 3),
    e("2", "Oil and debt", 1, 4),
    e("2.1", "Rosneft in Venezuela", 2, 4),
    e("2.2", "Arms sales", 2, 6),
    e("3", "Conclusion", 1, 7),
]


def headings(*extra: tuple[int, TocEntry]) -> list[TocEntry]:
    """The body's headings: those of CONTENTS (levels as detected), with ``extra`` inserted."""
    out = [e(x.number, x.title, x.level, x.pdf_page or 0) for x in CONTENTS]
    for offset, (at, entry) in enumerate(sorted(extra, key=lambda pair: pair[0])):
        out.insert(at + offset, entry)
    return out


def test_headings_deeper_than_the_contents_go_under_their_entry() -> None:
    body = headings((4, e("2.1.1", "Debt for oil", 3, 5)), (4, e("2.1.2", "Loans", 3, 5)))
    filled = fill_in(CONTENTS, body)
    assert rows(filled.entries) == [
        *rows(CONTENTS[:4]),
        ("2.1.1", "Debt for oil", 3, 5),
        ("2.1.2", "Loans", 3, 5),
        *rows(CONTENTS[4:]),
    ]
    assert (filled.among, filled.after, filled.level) == (2, 0, 2)


def test_the_printed_entries_are_kept_as_printed() -> None:
    body = [e(x.number, x.title.upper(), x.level, x.pdf_page or 0) for x in CONTENTS]
    body.insert(2, e(None, "A box title", 3, 3))
    filled = fill_in(CONTENTS, body)
    assert [x for x in filled.entries if x.title != "A box title"] == CONTENTS


def test_a_heading_in_a_listed_style_that_the_contents_leave_out_is_not_added() -> None:
    """A table's title or a figure's, set like a section heading: the contents page knows better."""
    body = headings((4, e(None, "Exports by year", 2, 5)), (2, e(None, "Key figures", 1, 3)))
    assert rows(fill_in(CONTENTS, body).entries) == rows(CONTENTS)


def test_an_unlisted_annex_after_the_last_entry_is_added_with_what_it_holds() -> None:
    body = [
        *headings(),
        e(None, "Oil exports by year", 2, 7),  # still the conclusion's, in a listed style: left out
        e("Annex A", "Survey results", 1, 9),
        e(None, "Who answered", 2, 10),
        e(None, "What they said", 2, 11),
    ]
    filled = fill_in(CONTENTS, body)
    assert rows(filled.entries) == [
        *rows(CONTENTS),
        ("Annex A", "Survey results", 1, 9),
        (None, "Who answered", 2, 10),
        (None, "What they said", 2, 11),
    ]
    assert filled.after == 3


def test_parts_a_contents_page_leaves_out_are_added_at_the_top() -> None:
    body = headings(
        (0, e(None, "Acknowledgements", 1, 2)),  # before the first listed entry: front matter
        (5, e(None, "Notes", 2, 6)),
        (5, e(None, "List of figures", 1, 6)),
    )
    filled = fill_in(CONTENTS, body)
    assert rows(filled.entries) == [*rows(CONTENTS[:5]), (None, "Notes", 1, 6), *rows(CONTENTS[5:])]


def test_nothing_is_added_when_the_headings_disagree_with_the_contents() -> None:
    body = [e(None, f"Something else {i}", 1 + i % 3, 3 + i) for i in range(12)]
    filled = fill_in(CONTENTS, body)
    assert filled.entries == CONTENTS and filled.among == filled.after == 0


def test_a_numbered_heading_goes_only_under_its_own_number() -> None:
    """``3.4.1`` found in section 2.1's pages (a cross-reference set as a heading) is left out."""
    body = headings((4, e("3.4.1", "Elsewhere", 3, 5)), (4, e("2.1.3", "Here", 3, 5)))
    titles = [x.title for x in fill_in(CONTENTS, body).entries]
    assert "Here" in titles and "Elsewhere" not in titles


def test_a_running_header_repeating_a_listed_title_is_not_added() -> None:
    body = headings((7, e(None, "CONCLUSION", 1, 8)), (7, e(None, "Conclusion", 1, 9)))
    assert rows(fill_in(CONTENTS, body).entries) == rows(CONTENTS)


# --- end to end: a report whose contents page lists two levels of three -------------------------


def report(tmp_path: Path) -> Path:
    listing = [
        ("1 Introduction", 1),
        ("2 Oil and debt", 2),
        ("2.1 Rosneft in Venezuela", 2),
        ("2.2 Arms sales", 4),
        ("3 Conclusion", 5),
    ]
    pages = [
        PageSpec([Para("Russia in Latin America", 20, "B"), Para("Jane Analyst")]),
        PageSpec([Para("Contents", 16, "B"), *(f"{t} {DOTS} {p}" for t, p in listing)]),
        PageSpec([Para("1 Introduction", 16, "B"), LOREM, LOREM], footer="1"),
        PageSpec(
            [Para("2 Oil and debt", 16, "B"), LOREM, Para("2.1 Rosneft in Venezuela", 13, "B"), LOREM],
            footer="2",
        ),
        PageSpec(
            [Para("2.1.1 Debt for oil", 11, "BI"), LOREM, Para("2.1.2 The 2019 crisis", 11, "BI"), LOREM],
            footer="3",
        ),
        PageSpec([Para("2.2 Arms sales", 13, "B"), LOREM, LOREM], footer="4"),
        PageSpec([Para("3 Conclusion", 16, "B"), LOREM], footer="5"),
        PageSpec([Para("Annex A Interviews", 16, "B"), LOREM], footer="6"),
    ]
    return make_pdf(tmp_path / "deeper.pdf", Spec(pages))


def test_a_pdf_with_a_shallow_contents_page_gets_its_deeper_headings(tmp_path: Path) -> None:
    doc = clean.clean_document(ingest.load(report(tmp_path)))
    built = toc.build_toc(doc, "contents")
    assert [(x.number, x.title, x.level, x.page) for x in built.entries] == [
        ("1", "Introduction", 1, "1"),
        ("2", "Oil and debt", 1, "2"),
        ("2.1", "Rosneft in Venezuela", 2, "2"),
        ("2.1.1", "Debt for oil", 3, "3"),
        ("2.1.2", "The 2019 crisis", 3, "3"),
        ("2.2", "Arms sales", 2, "4"),
        ("3", "Conclusion", 1, "5"),
        ("Annex A", "Interviews", 1, "6"),
    ]
    assert any(
        "added 2 headings found in the body that the contents page leaves out" in n for n in built.explain
    )
    assert any("added 1 heading found in the body after" in n for n in built.explain)
    assert built.entries == toc.build_toc(doc, "auto").entries


def test_the_added_sections_can_be_read_from_the_command_line(tmp_path: Path) -> None:
    pdf = str(report(tmp_path))
    runner = CliRunner()
    section = runner.invoke(app, ["section", "2.1.2", pdf, "--json", "--no-cache"])
    assert section.exit_code == 0, section.output
    (found,) = json.loads(section.output)["sections"]
    assert (found["number"], found["title"], found["page"]) == ("2.1.2", "The 2019 crisis", "3")
    assert found["text"].startswith(LOREM[:40])
    data = json.loads(runner.invoke(app, ["toc", pdf, "--json", "--no-cache"]).output)
    assert [x["title"] for x in data["entries"] if x["level"] == 3] == ["Debt for oil", "The 2019 crisis"]


def test_an_entry_goes_to_the_page_next_to_the_printed_one_where_its_heading_is() -> None:
    """The printed page of "Arms sales" is one too many: its heading is on the page before."""
    body = headings()
    body[4] = e("2.2", "Arms sales", 2, 5)
    filled = fill_in(CONTENTS, body)
    assert filled.moved == 1
    moved = filled.entries[4]
    assert (moved.title, moved.pdf_page, moved.page) == ("Arms sales", 5, None)
    assert [x.pdf_page for x in filled.entries] == [3, 3, 4, 4, 5, 7]


def test_thousands_of_entries_and_headings_on_one_page_stay_fast() -> None:
    """A hostile file: every entry and every heading on one page, none alike, and entries past
    the end; each entry is compared with a bounded number of headings."""
    import time

    contents = [e(None, f"Entry number {i} of the listing", 1, 1) for i in range(5000)]
    contents += [TocEntry(title=f"Beyond the end {i}", level=1) for i in range(5000)]
    body = [e(None, f"Heading {i} zz", 1 + i % 3, 1) for i in range(5000)]
    started = time.perf_counter()
    filled = fill_in(contents, body)
    assert filled.entries == contents
    assert time.perf_counter() - started < 10


def test_thousands_of_headings_to_fill_in_stay_fast() -> None:
    import time

    contents, body = [], []
    for i in range(3000):
        contents.append(e(None, f"Chapter title {i}", 1, i + 1))
        body.append(e(None, f"Chapter title {i}", 1, i + 1))
        body.append(e(None, f"Subheading {i}", 2, i + 1))
        if i % 3 == 0:
            contents.append(e(None, f"Listed but not set as a heading {i}", 1, i + 1))
    started = time.perf_counter()
    filled = fill_in(contents, body)
    assert filled.among == 3000 and len(filled.entries) == len(contents) + 3000
    assert time.perf_counter() - started < 10
