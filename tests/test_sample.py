"""The sample paper shipped in the package: the tool's first impression must be right."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ifri_cli import open_document, sample_path
from ifri_cli.cli import app
from ifri_cli.model import Document
from ifri_cli.structure.sections import all_sections

runner = CliRunner()
SOURCE = Path(__file__).resolve().parent.parent / "ifri_cli" / "samples" / "sample.md"

EXPECTED = [
    (1, "INTRODUCTION", "1", 4),
    (1, "FROM IDEOLOGY TO PRAGMATISM: A SHORT HISTORY", "2", 5),
    (2, "The Soviet legacy and the retreat of the 1990s", "2", 5),
    (
        2,
        "The return under Putin: from the closure of Lourdes to the 2008 naval deployment in the Caribbean",
        "2",
        5,
    ),
    (1, "VENEZUELA: THE SHOWCASE PARTNERSHIP", "3", 6),
    (2, "Oil, debt and the role of Rosneft", "3", 6),
    (2, "Military-technical cooperation", "4", 7),
    (2, "The 2019 crisis and its aftermath", "5", 8),
    (1, "CUBA AND NICARAGUA: THE OLD ALLIES", "5", 8),
    (1, "THE BIG COUNTRIES: BRAZIL, MEXICO AND ARGENTINA", "6", 9),
    (2, "Brazil: a partner within the BRICS", "6", 9),
    (2, "Mexico and Argentina: trade, vaccines and caution", "7", 10),
    (1, "SOFT POWER AND THE INFORMATION FIELD", "8", 11),
    (2, "RT en Español and Sputnik Mundo", "8", 11),
    (2, "Vaccine diplomacy and the limits of attraction", "9", 12),
    (1, "CONCLUSION", "10", 13),
]


@pytest.fixture(scope="module")
def sample() -> Document:
    return open_document(sample_path())


def test_the_sample_travels_inside_the_package() -> None:
    names = {p.name for p in files("ifri_cli.samples").iterdir()}
    assert {"sample.pdf", "sample.txt", "sample.clean.txt"} <= names


def test_sample_contents_page_is_the_structure(sample: Document) -> None:
    assert sample.toc is not None and sample.toc.source == "contents"
    assert not sample.outline
    got = [(e.level, e.title, e.page, e.pdf_page) for e in sample.toc.entries]
    assert got == EXPECTED


def test_sample_metadata_from_the_cover(sample: Document) -> None:
    meta = sample.metadata
    assert meta.title == "Russia's Return to Latin America"
    assert meta.authors == ("Hélène Castaing",)
    assert meta.date == "March 2021"
    assert meta.series == "Eurasia Visions, No. 27"
    assert meta.isbn == "979-10-373-0201-4"
    assert [p.label for p in sample.pages] == [None, None, None] + [str(n) for n in range(1, 11)]


def _paragraphs_of(heading: str) -> list[str]:
    """The source paragraphs of a section of samples/sample.md, markup removed."""
    text = SOURCE.read_text(encoding="utf-8")
    block = re.split(r"^#+ ", text, flags=re.M)
    body = next(b for b in block if b.lower().startswith(heading.lower()))
    paras = [p for p in body.split("\n\n")[1:] if p.strip() and not p.startswith("[^")]
    return [re.sub(r"\[\^\d+\]", "", p).replace("|", "").strip() for p in paras]


def test_every_section_found_and_venezuela_is_exact(sample: Document) -> None:
    body = [s for s in all_sections(sample) if s.kind != "front"]
    assert len(body) == 16 and all(s.found for s in body)
    venezuela = sample.section("venezuela")
    assert venezuela.title == "VENEZUELA: THE SHOWCASE PARTNERSHIP"
    source = _paragraphs_of("VENEZUELA")
    assert venezuela.text.split("\n\n") == [" ".join(p.split()) for p in source]
    assert "Oil, debt and the role of Rosneft" in venezuela.full_text()
    assert "CUBA AND NICARAGUA" not in venezuela.full_text()


def test_sample_footnotes_are_kept_apart(sample: Document) -> None:
    assert len(sample.footnotes) >= 15
    assert not any(re.search(r"[a-z][.,]\d{1,2}\b", s.text) for s in all_sections(sample))
    assert any(s.notes for s in all_sections(sample))


def _notes_by_heading() -> dict[str, list[str]]:
    """Heading -> the numbers of the notes referenced under it in samples/sample.md (refs numbered
    in order of first appearance, as the PDF numbers them)."""
    numbers: dict[str, str] = {}
    out: dict[str, list[str]] = {}
    for block in re.split(r"^#+ ", SOURCE.read_text(encoding="utf-8"), flags=re.M)[1:]:
        heading, _, body = block.partition("\n")
        for name in re.findall(r"\[\^([\w-]+)\](?!:)", body):
            number = numbers.setdefault(name, str(len(numbers) + 1))
            out.setdefault(heading.strip().lower(), []).append(number)
    return out


@pytest.mark.parametrize("name", ["sample.pdf", "sample.txt"])
def test_each_note_belongs_to_the_section_where_its_marker_is(name: str) -> None:
    # several sections share a page: a note goes with its marker, not with every section on its page
    doc = open_document(str(files("ifri_cli.samples") / name))
    got = {s.title.lower(): [n.marker for n in s.notes] for s in all_sections(doc) if s.notes}
    assert got == _notes_by_heading()
    assert sum(len(v) for v in got.values()) == len(doc.footnotes) == 18


def test_no_file_reads_the_sample_and_says_so() -> None:
    result = runner.invoke(app, ["toc"])
    assert result.exit_code == 0
    assert "sample paper" in result.stderr
    assert result.stdout.splitlines()[4] == "VENEZUELA: THE SHOWCASE PARTNERSHIP\t3"


def test_text_rendition_gives_the_same_structure() -> None:
    doc = open_document(str(files("ifri_cli.samples") / "sample.txt"))
    assert doc.toc is not None and doc.toc.source == "contents"
    assert [(e.title, e.page) for e in doc.toc.entries] == [(t, p) for _, t, p, _ in EXPECTED]
    assert doc.section("venezuela").text.startswith("Venezuela occupies a unique place")


def test_search_skips_the_contents_page(sample: Document) -> None:
    from ifri_cli.read.search import search

    hits = search(sample, "sputnik mundo")
    assert hits and all(h.pdf_page != 3 for h in hits)  # the contents listing is not a hit
    assert {h.section for h in hits} >= {"RT en Español and Sputnik Mundo"}
