from __future__ import annotations

import json
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from ifri_cli import Document
from ifri_cli.cli import app
from ifri_cli.errors import UsageError
from ifri_cli.model import Footnote, Line, Metadata, Page, Toc, TocEntry
from ifri_cli.read.search import Options, search
from ifri_cli.structure.sections import build_sections

runner = CliRunner()


def make_doc() -> Document:
    pages = (
        Page(1, None, (Line("Russia and Venezuela"), Line("A sample note"))),
        Page(
            2,
            "1",
            (
                Line("INTRODUCTION"),
                Line("Hugo Chávez courted Moscow after 2004. The oil company Rosneft"),
                Line("followed the diplomats into the Orinoco belt."),
            ),
        ),
        Page(
            3,
            "2",
            (
                Line("Military-technical cooperation"),
                Line("Arms sales grew quickly; the inter-governmental credit covered"),
                Line("them. Russian soft"),
            ),
        ),
        Page(
            4,
            "3",
            (
                Line("power came later, with RT en Español."),
                Line("CONCLUSION"),
                Line("Venezuela remains the showcase of Russian SOFT POWER."),
            ),
        ),
    )
    entries = (
        TocEntry("Introduction", 1, None, "1", 2),
        TocEntry("Military-technical cooperation", 2, None, "2", 3),
        TocEntry("Conclusion", 1, None, "3", 4),
    )
    notes = (Footnote("1", "See the Rosneft annual report, 2019, p. 12.", 3),)
    doc = Document(
        None, "text", Metadata(), pages, clean_pages=pages, footnotes=notes, toc=Toc("contents", entries)
    )
    return replace(doc, sections=build_sections(doc))


def test_phrase_smart_case_and_accents() -> None:
    doc = make_doc()
    hits = search(doc, "chavez")
    assert len(hits) == 1
    hit = hits[0]
    assert (hit.number, hit.section, hit.page, hit.pdf_page) == ("1", "Introduction", "1", 2)
    assert hit.text[hit.start : hit.end] == "Chávez"
    assert hit.text.startswith("Hugo Chávez courted Moscow after 2004.")
    assert search(doc, "Chavez", Options(fold=False)) == []  # accents must match when asked
    assert len(search(doc, "soft power")) == 2
    assert len(search(doc, "SOFT POWER")) == 1  # capitals: case-sensitive
    assert len(search(doc, "SOFT POWER", Options(case="insensitive"))) == 2


def test_hit_across_a_line_and_a_page_break() -> None:
    doc = make_doc()
    [hit] = search(doc, "Rosneft followed the diplomats")
    assert hit.pdf_page == 2
    [hit] = search(doc, "soft power came later")
    assert hit.pdf_page == 3 and hit.text[hit.start : hit.end] == "soft power came later"


def test_regex_word_and_bad_regex() -> None:
    doc = make_doc()
    assert len(search(doc, r"\b\d{4}\b", Options(regex=True))) == 2  # 2004 and the 2019 in the note
    assert len(search(doc, "arms", Options(word=True))) == 1
    assert len(search(doc, "arm", Options(word=True))) == 0
    assert len(search(doc, "arm")) == 1
    with pytest.raises(UsageError, match="bad regular expression"):
        search(doc, "(unclosed", Options(regex=True))
    with pytest.raises(UsageError):
        search(doc, "   ")


def test_hit_in_a_footnote_and_within_a_section() -> None:
    doc = make_doc()
    hits = search(doc, "rosneft")
    assert [h.where for h in hits] == ["text", "note"]
    assert hits[1].section == "Military-technical cooperation" and hits[1].pdf_page == 3
    within = doc.section("conclusion")
    assert [h.section for h in search(doc, "venezuela", within=within)] == ["Conclusion"]


def test_max_hits_and_context() -> None:
    doc = make_doc()
    assert len(search(doc, "o", Options(max_hits=3))) == 3
    [hit] = search(doc, "Orinoco", Options(context=1))
    assert hit.text.startswith("Hugo Chávez") and "Orinoco" in hit.text[hit.start : hit.end]


SAMPLE = "Russia and Venezuela\n\fINTRODUCTION\nHugo Chávez courted Moscow.\n\fCONCLUSION\nThe end of it.\n"


def test_cli_exit_codes_and_pipe_format() -> None:
    result = runner.invoke(app, ["search", "moscow", "-"], input=SAMPLE)
    assert result.exit_code == 0, result.stderr
    line = result.stdout.strip()
    assert line.startswith("<stdin>:2:") and line.endswith("Hugo Chávez courted Moscow.")
    assert "\n" not in line
    assert runner.invoke(app, ["search", "beijing", "-"], input=SAMPLE).exit_code == 1
    bad = runner.invoke(app, ["search", "(", "--regex", "-"], input=SAMPLE)
    assert bad.exit_code == 2 and "bad regular expression" in bad.stderr and bad.stdout == ""


def test_cli_json() -> None:
    result = runner.invoke(app, ["search", "moscow", "-", "--json"], input=SAMPLE)
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and data["count"] == 1
    hit = data["hits"][0]
    assert {"file", "number", "section", "page", "pdf_page", "text", "start", "end"} <= set(hit)
    assert hit["text"][hit["start"] : hit["end"]] == "Moscow"
