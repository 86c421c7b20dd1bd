from __future__ import annotations

import json
from pathlib import Path

import pytest
from pdfgen import LOREM, PageSpec, Para, Spec, make_pdf, simple_report
from typer.testing import CliRunner

from ifri_cli import open_document
from ifri_cli.cli import app
from ifri_cli.document import safe_name
from ifri_cli.errors import Ambiguous, SectionNotFound, SectionNotInDocument, UsageError
from ifri_cli.structure.address import resolve

runner = CliRunner()


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Headings wrapped over two lines, numbered, at the top of a page under a running header."""
    long_title = "2 Oil, debt and the long road from Caracas to Moscow through two decades of loans"
    pages = [
        PageSpec([Para("Energy Diplomacy in the Andes", 20, "B"), Para("Ana Writer"), Para("May 2022")]),
        PageSpec(
            [Para("1 Introduction", 14, "B", 1), "Venezuela first appears here. " + LOREM, LOREM],
            header="Energy Diplomacy in the Andes",
            footer="1",
        ),
        PageSpec(
            [Para(long_title, 14, "B", 1, width=90), "Loans came first. " + LOREM, LOREM],
            header="Energy Diplomacy in the Andes",
            footer="2",
        ),
        PageSpec(
            [Para("2.1 Military cooperation", 12, "B", 2), "Arms followed the loans. " + LOREM],
            header="Energy Diplomacy in the Andes",
            footer="3",
        ),
        PageSpec(
            [
                Para("2.2 Military training missions", 12, "B", 2),
                "Training came last. " + LOREM,
                Para("3 Conclusion", 14, "B", 1),
                "In the end, it was about oil. " + LOREM,
            ],
            header="Energy Diplomacy in the Andes",
            footer="4",
        ),
    ]
    return make_pdf(tmp_path_factory.mktemp("pdf") / "tricky.pdf", Spec(pages))


def test_every_section_found_with_its_own_text(tricky: Path) -> None:
    doc = open_document(tricky)
    flat = [s for top in doc.sections for s in top.walk()]
    assert [s.kind for s in flat][0] == "front"
    body = [s for s in flat if s.kind != "front"]
    assert [s.number for s in body] == ["1", "2", "2.1", "2.2", "3"]
    assert all(s.found for s in body)
    oil = body[1]
    assert oil.title.startswith("Oil, debt and the long road")
    assert oil.text.lstrip().startswith("Loans came first.")  # the wrapped heading's second line is not text
    assert "Arms followed" not in oil.text and "Arms followed" in oil.full_text()
    assert (oil.pdf_page, oil.pdf_page_end) == (3, 5)
    assert body[3].text.strip().startswith("Training came last.")
    assert "In the end" not in body[3].text
    assert body[4].text.strip().startswith("In the end, it was about oil.")


def test_front_matter_is_the_cover(tricky: Path) -> None:
    doc = open_document(tricky)
    front = doc.sections[0]
    assert front.kind == "front" and "Energy Diplomacy in the Andes" in front.text
    assert "Venezuela first" not in front.text


def test_resolve_by_words_number_position_and_page(tricky: Path) -> None:
    pytest.importorskip("ifri_cli.clean")  # page spans are right once running headers are stripped
    doc = open_document(tricky)
    assert resolve(doc, "oil debt")[0].number == "2"
    assert resolve(doc, "OIL DÉBT")[0].number == "2"  # case and accents do not matter
    assert resolve(doc, "militry cooperation")[0].number == "2.1"  # a typo still finds it
    assert resolve(doc, "2.2")[0].title == "Military training missions"
    assert [s.number for s in resolve(doc, "p4")] == ["2.2", "3"]
    assert [s.number for s in resolve(doc, "", page="2")] == ["2"]
    assert doc.section("conclusion").text.strip().startswith("In the end")


def test_resolve_ambiguous_missing_and_empty(tricky: Path) -> None:
    doc = open_document(tricky)
    with pytest.raises(Ambiguous) as info:
        resolve(doc, "military")
    assert len(info.value.candidates) == 2
    assert resolve(doc, "military", first=True)[0].number == "2.1"
    with pytest.raises(SectionNotFound):
        resolve(doc, "hydrogen strategy")
    with pytest.raises(UsageError):
        resolve(doc, "  ")
    with pytest.raises(SectionNotFound):
        resolve(doc, "p99")


def test_listed_but_missing_section(tmp_path: Path) -> None:
    """An excerpt: the outline lists a chapter whose pages are not in the file."""
    pdf = simple_report(tmp_path / "r.pdf")
    doc = open_document(pdf)
    from dataclasses import replace

    from ifri_cli.model import TocEntry
    from ifri_cli.structure.sections import build_sections

    assert doc.toc is not None
    extra = TocEntry("Annex on sanctions", 1, None, "88", 90)
    doc = replace(doc, toc=replace(doc.toc, entries=doc.toc.entries + (extra,)))
    doc = replace(doc, sections=build_sections(doc))
    with pytest.raises(SectionNotInDocument, match="listed in the contents"):
        resolve(doc, "sanctions annex")


def test_cli_section_pipe_and_exit_codes(tricky: Path) -> None:
    result = runner.invoke(app, ["section", "conclusion", str(tricky)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("In the end, it was about oil.")
    assert "Conclusion" not in result.stdout  # nothing but the text in a pipe
    result = runner.invoke(app, ["section", "military", str(tricky)])
    assert result.exit_code == 3 and "--first" in result.stderr and result.stdout == ""
    result = runner.invoke(app, ["section", "hydrogen", str(tricky)])
    assert result.exit_code == 1 and result.stdout == ""
    result = runner.invoke(app, ["section", "--page", "3", str(tricky)])
    assert result.exit_code == 0 and result.stdout.startswith("Arms followed")


def test_cli_section_json_and_markdown(tricky: Path) -> None:
    data = json.loads(runner.invoke(app, ["section", "2", str(tricky), "--json"]).stdout)
    [sec] = data["sections"]
    assert sec["number"] == "2" and sec["pdf_page"] == 3 and sec["page"] == "2"
    assert "Arms followed" in sec["text"]
    md = runner.invoke(app, ["section", "2", str(tricky), "--markdown"]).stdout
    assert md.startswith("# 2 Oil, debt") and "\n## 2.1 Military cooperation\n" in md
    own = runner.invoke(app, ["section", "2", str(tricky), "--no-subsections"]).stdout
    assert "Arms followed" not in own


def test_export_json_and_split(tricky: Path, tmp_path: Path) -> None:
    data = json.loads(runner.invoke(app, ["export", str(tricky), "--json"]).stdout)
    assert data["schema_version"] == 1 and data["source"] == "outline"
    keys = {"number", "title", "level", "page", "pdf_page", "pdf_page_end", "text", "notes"}
    assert all(keys <= set(s) for s in data["sections"])
    assert [s["number"] for s in data["sections"]] == [None, "1", "2", "2.1", "2.2", "3"]
    out = tmp_path / "parts"
    result = runner.invoke(app, ["split", str(tricky), str(out)])
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names[1] == "02-introduction.md" and len(names) == 4
    again = runner.invoke(app, ["split", str(tricky), str(out)])
    assert again.exit_code == 2 and "--force" in again.stderr
    assert runner.invoke(app, ["split", str(tricky), str(out), "--force"]).exit_code == 0


def test_safe_name() -> None:
    assert safe_name("VENEZUELA: THE SHOWCASE / PARTNERSHIP?") == "venezuela-the-showcase-partnership"
    assert safe_name("../../etc/passwd") == "etc-passwd"
    assert safe_name("???") == "section"


def test_a_numbered_heading_worded_unlike_its_bookmark_is_found(tmp_path: Path) -> None:
    # the bookmark says "2.1 Rationale for advice", the page "2.1 Rationale for the advice
    # (Annex 4)": the number, on the page the bookmark points to, decides
    def heading(text: str, bookmark: str, level: int) -> Para:
        return Para(text, 14 if level == 1 else 12, "B", level, bookmark=bookmark)

    pages = [
        PageSpec([heading("1 Background", "1 Background", 1), "Hepatitis first. " + LOREM]),
        PageSpec([heading("2 Testing", "2 Testing", 1), "Testing next. " + LOREM]),
        PageSpec(
            [
                heading("2.1 Rationale for the advice (Annex 4)", "2.1 Rationale for advice", 2),
                "Reasons last. " + LOREM,
            ]
        ),
    ]
    doc = open_document(make_pdf(tmp_path / "guidelines.pdf", Spec(pages)), cache=False)
    rationale = resolve(doc, "2.1")[0]
    assert rationale.found and rationale.pdf_page == 3
    assert rationale.text.startswith("Reasons last.")


def test_a_run_in_appendix_heading_is_found_by_its_number() -> None:
    # "A.3. Le lemme de collage. On se place..." : the heading runs into its paragraph
    from ifri_cli.model import Document as Doc
    from ifri_cli.model import Line, Metadata, Page, TocEntry
    from ifri_cli.structure.locate import locate_entries

    lines = (
        Line("Fin de la preuve du lemme précédent, qui occupe le haut de la page."),
        Line("A.3. Le lemme de collage. On se place ici dans une catégorie modèle C."),
        Line("Lemme A.11 (lemme de collage). On se donne le diagramme suivant."),
    )
    doc = Doc(None, "text", Metadata(), (Page(1, "1", lines),))
    found = locate_entries(doc, [TocEntry("Le lemme de collage", 2, "A.3", None, 1)])
    assert found[0] is not None and found[0].line == 1


def test_an_appendix_label_is_found_on_its_heading_not_in_a_reference(tmp_path: Path) -> None:
    # the bookmark says "Appendix A"; page 2 only refers to it, "(Appendix A)." alone on a line;
    # page 3's heading adds a title, which stays in the section's text
    pages = [
        PageSpec([Para("Summary", 14, "B", 1), "The task force recommends a synoptic format. " + LOREM]),
        PageSpec(["Results are best reported in the suggested format", "(Appendix A).", LOREM]),
        PageSpec([Para("Appendix A. Synoptic Report Template", 14, "B", 1, bookmark="Appendix A"), LOREM]),
    ]
    doc = open_document(make_pdf(tmp_path / "guideline.pdf", Spec(pages)), cache=False)
    appendix = resolve(doc, "appendix")[0]
    assert appendix.found and appendix.pdf_page == 3
    assert appendix.text.startswith("Appendix A. Synoptic Report Template")
    assert "(Appendix A)." in resolve(doc, "summary")[0].text


@pytest.mark.parametrize(
    ("title", "compared"),
    [
        ("Appendix B: Model Construction", "modelconstruction"),  # a label with a colon
        ("Chapter 3. Oil", "oil"),
        ("Part IV Debt", "debt"),
        ("Part civil society", "partcivilsociety"),  # a word, not a roman number
        ("3.2 Rosneft", "rosneft"),
        ("b) Scope", "scope"),
        ("Appendix A", "appendixa"),  # the label is the whole title
    ],
)
def test_titles_are_compared_without_their_numbering(title: str, compared: str) -> None:
    from ifri_cli.structure.locate import compact

    assert compact(title) == compared


def test_a_mention_far_past_the_entrys_page_is_not_its_heading(tmp_path: Path) -> None:
    # the outline says "2 Special Tax Rules" on page 1, where the heading is printed otherwise; the
    # words alone on page 6 are a mention in a box, past "3 Results": taking them for the heading cut
    # the Results section short and put the sections out of document order
    pages = [
        PageSpec(
            [
                Para("1 Introduction", 14, "B", outline=1),
                LOREM,
                Para("2 Rules for dual-status taxpayers", 14, "B", outline=1, bookmark="2 Special Tax Rules"),
                LOREM,
            ]
        ),
        PageSpec([LOREM]),
        PageSpec([Para("3 Results", 14, "B", outline=1), "The results came in slowly over the year."]),
        PageSpec([LOREM]),
        PageSpec([LOREM]),
        PageSpec(
            [
                "The results were confirmed by a second survey.",
                "Special Tax Rules",
                "The survey closed in May.",
            ]
        ),
    ]
    doc = open_document(make_pdf(tmp_path / "r.pdf", Spec(pages)), cache=False)
    results = doc.section("results")
    assert results.pdf_page == 3 and results.pdf_page_end == 6
    assert "The survey closed in May." in results.text
    starts = [s.span[0] for s in doc.sections if s.span]
    assert starts == sorted(starts)
