from __future__ import annotations

import json
from pathlib import Path

import pytest
from pdfgen import PageSpec, Para, Spec, make_pdf
from typer.testing import CliRunner

from ifri_cli import open_document
from ifri_cli.cli import app
from ifri_cli.errors import UsageError
from ifri_cli.read import abstract as read_abstract
from ifri_cli.read import keywords
from ifri_cli.read import summary as read_summary
from ifri_cli.read import units as read_units
from ifri_cli.read.body import Unit
from ifri_cli.structure.contents import contents_heading_lines
from ifri_cli.text import sentences as text_sentences

runner = CliRunner()

# --- sentence splitting ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "See No. 119, pp. 18-38 and e.g. the U.S. case. J. F. Kennedy said 3.5 percent rose. Next one.",
            [
                "See No. 119, pp. 18-38 and e.g. the U.S. case.",
                "J. F. Kennedy said 3.5 percent rose.",
                "Next one.",
            ],
        ),
        (
            "The U.S. Congress met. Then it left the U.S. The end.",
            ["The U.S. Congress met.", "Then it left the U.S.", "The end."],
        ),
        (
            "It rose (Smith et al., 2019). Fig. 3 shows it. As Smith et al. (2020) show, it works.",
            ["It rose (Smith et al., 2019).", "Fig. 3 shows it.", "As Smith et al. (2020) show, it works."],
        ),
        (
            "Prof. Smith and Dr. Jones agreed, i.e. they signed. Vol. 2 came out.",
            ["Prof. Smith and Dr. Jones agreed, i.e. they signed.", "Vol. 2 came out."],
        ),
        ("This is a policy.12 The next one is here.", ["This is a policy.", "The next one is here."]),
        ("Is it? Yes! It is.", ["Is it?", "Yes!", "It is."]),
        ("Annex A. The results are in Table 2.", ["Annex A.", "The results are in Table 2."]),
        (
            "See Pub. 519 for details. Pub. 901 lists the treaties.",
            ["See Pub. 519 for details.", "Pub. 901 lists the treaties."],
        ),
        (
            "We met at the pub. The next day it ran at 3000 rev. The end.",
            ["We met at the pub.", "The next day it ran at 3000 rev.", "The end."],
        ),
    ],
)
def test_split_english_abbreviations_and_references(text: str, expected: list[str]) -> None:
    assert text_sentences.split(text) == expected


def test_split_french() -> None:
    text = (
        "Voir p. 12 et M. Dupont, cf. art. 3 du traité. Il a dit « Oui. » Puis il est parti. "
        "Le taux est de 3,5 %. Fin."
    )
    assert text_sentences.split(text) == [
        "Voir p. 12 et M. Dupont, cf. art. 3 du traité.",
        "Il a dit « Oui. »",
        "Puis il est parti.",
        "Le taux est de 3,5 %.",
        "Fin.",
    ]


def test_split_never_crosses_paragraphs_and_offsets_point_into_the_text() -> None:
    text = "A heading without a stop\n\nThe first sentence is here. The second\none runs over a line."
    spans = text_sentences.split_spans(text)
    assert [text[a:b] for a, b in spans] == [
        "A heading without a stop",
        "The first sentence is here.",
        "The second\none runs over a line.",
    ]


def test_split_does_not_break_a_lower_case_continuation() -> None:
    assert text_sentences.split("The rate was 2.5 p.c. in 2019. it then rose.") == [
        "The rate was 2.5 p.c. in 2019. it then rose."
    ]


def test_join_lines_mends_hyphenation() -> None:
    assert text_sentences.join_lines("ef-\nficient retrieval") == "efficient retrieval"
    assert text_sentences.join_lines("a Lucene-\nBM25 system") == "a Lucene-BM25 system"
    assert text_sentences.join_lines("a dual-\nencoder", {"dual-encoder"}) == "a dual-encoder"
    assert text_sentences.join_lines("the  ﬁrst\n  line") == "the first line"


# --- what is never a summary sentence --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Figure 3: Oil exports of Venezuela by destination, 2010-2020.", "caption"),
        ("Table 2. Share of the budget spent on defence by the member states.", "caption"),
        ("2019 12.5 13.4 15.0 16.2 17.9 18.0 and 19.2 in total.", "table"),
        ("Smith, J., Doe, A. and Roe, B. (2019). A study of things. Journal of Stuff.", "reference"),
        ("and then the minister resigned over the affair in March.", "fragment"),
        ("The minister resigned over the affair in March", "fragment"),
        ("Too short.", "fragment"),
        ("3. go get the package and observe the improvements made over the old one.", "fragment"),
        ("The full report is available at https://example.org/report for all readers.", "link"),
        ("All rights reserved, and no part of this publication may be copied.", "boilerplate"),
        ("We thank the two anonymous reviewers for their very helpful comments.", "boilerplate"),
        ("Keywords: oil, debt, sanctions, Venezuela, Russia and China.", "boilerplate"),
        (
            "TREATMENT FOR ADULTS AND CHILDREN 4.1 New recommendations on the treatment.",
            "heading or contents",
        ),
        ("On le notera alors M \ufffd M pour tout module de type fini.", "damaged text"),
        ("ACTION: Notice of proposed rulemaking (NPRM).", "form field"),
        ("Donc il suffit de montrer que F ′ est contractile.", "formula"),
        ("Let Q and P be the matrices of size B × d for the questions.", "formula"),
    ],
)
def test_reject(text: str, reason: str) -> None:
    assert (read_summary._reject(text) or "").startswith(reason)


def test_a_plain_sentence_is_accepted() -> None:
    assert read_summary._reject("The minister resigned over the affair in March (see below).") is None
    referred = "204 patients (38%) were referred for treatment at a referral hospital."
    assert read_summary._reject(referred) is None
    # single letters that are names, not variables
    names = "The same integration of services should extend to hepatitis C and B."
    assert read_summary._reject(names) is None
    long_field = "SUMMARY: The FAA proposes to supersede an airworthiness directive for all 737 MAX."
    assert read_summary._reject(long_field) is None


# --- ranking and selection -------------------------------------------------------------

BODY = [
    "Oil diplomacy shapes the relations between Russia and Venezuela in many ways.",
    "Rosneft lent billions of dollars to PDVSA against future oil deliveries.",
    "The loans were repaid in crude oil shipped to Asian refineries.",
    "Rosneft lent billions of dollars to PDVSA against future deliveries of oil.",
    "Sanctions made the oil trade between Russia and Venezuela much harder after 2019.",
    "Weather in Caracas was mild during the negotiations, according to reporters.",
    "Russia gained political influence in Caracas through its oil investments.",
    "This paper shows that oil debt gave Russia lasting leverage over Venezuela.",
]


def _units() -> list[Unit]:
    intro = "\n".join(BODY[:4])
    body = "\n".join(BODY[4:])
    return [
        Unit(intro, "Introduction", "1", marks=((0, "1", 3),), top="Introduction"),
        Unit(body, "Oil and debt", "2", marks=((0, "2", 4), (len(BODY[4]) + 1, "3", 5)), top="Oil and debt"),
    ]


def _summary(units: list[Unit], count: int) -> list[read_summary.Candidate]:
    cands = read_summary.candidates(units)
    read_summary.score(cands, "Oil and Debt: Russia in Venezuela")
    return read_summary.select(cands, count)


def test_order_kept_count_respected_and_no_near_duplicates() -> None:
    chosen = _summary(_units(), 4)
    assert len(chosen) == 4
    positions = [(c.unit, c.position) for c in chosen]
    assert positions == sorted(positions)
    texts = [c.text for c in chosen]
    assert len(set(texts)) == len(texts)
    # the two Rosneft sentences say the same thing: at most one of them is chosen
    assert sum("Rosneft lent" in t for t in texts) <= 1


def test_choosing_half_of_a_long_report_stays_fast() -> None:
    # --ratio 0.5 of a 155-page report asked for ~600 of ~1,250 sentences: each pick used to
    # compare the whole pool with every chosen sentence again (minutes); now it is incremental
    import random
    import time

    rng = random.Random(7)
    vocabulary = ["".join(rng.choice("aeioubcdfglmnprst") for _ in range(7)) for _ in range(3000)]
    text = "\n".join("The report mentions " + " ".join(rng.sample(vocabulary, 12)) + "." for _ in range(3000))
    cands = read_summary.candidates([Unit(text, "Body", "1")])
    assert len(cands) == 3000
    for cand in cands:
        cand.score = rng.random()
    started = time.perf_counter()
    chosen = read_summary.select(cands, 1500)
    assert time.perf_counter() - started < 20
    assert len(chosen) == 1500
    assert [c.position for c in chosen] == sorted(c.position for c in chosen)


def test_pages_come_from_the_page_marks() -> None:
    cands = read_summary.candidates(_units())
    by_text = {c.text: (c.page, c.pdf_page) for c in cands}
    assert by_text[BODY[0]] == ("1", 3)
    assert by_text[BODY[4]] == ("2", 4)
    assert by_text[BODY[7]] == ("3", 5)


def test_cue_and_title_lift_a_sentence() -> None:
    cands = read_summary.candidates(_units())
    read_summary.score(cands, "Oil and Debt: Russia in Venezuela")
    scores = {c.text: c.score for c in cands}
    assert scores[BODY[7]] > scores[BODY[5]]


def test_one_sentence_section_and_empty_section() -> None:
    one = [Unit("Only this sentence makes the whole section worth reading today.", "Alone", "1")]
    assert [c.text for c in _summary(one, 5)] == [one[0].text]
    assert _summary([Unit("", "Empty", "2")], 5) == []
    assert _summary([Unit("Figure 1: a caption.\n\n12 13 14", "Junk", "3")], 5) == []
    assert read_summary.candidates([]) == []


def test_bad_counts_are_usage_errors() -> None:
    for sentences, ratio in ((0, None), (-1, None), (None, 0.0), (None, -0.5), (None, 1.5)):
        with pytest.raises(UsageError):
            read_summary.check_count(sentences, ratio)
    assert read_summary._count(200, None, 0.02) == 4
    assert read_summary._count(10, None, 0.01) == 1


# --- documents: the authors' abstract is never a summary sentence -----------------------

PAPER = """Oil and Debt: Russia in Venezuela
Jane Analyst

Abstract
Russian oil companies lent money to Venezuela against oil deliveries and gained leverage over its government.
Sanctions after 2019 turned the oil debt into a political instrument for Russia in Venezuela.

1 Introduction
Venezuela owes Russia and Rosneft billions of dollars in oil debt, a burden that lasts to this day.
Russian lending to Venezuela began with arms contracts in the middle of the last decade.
This paper shows that the oil debt gave Russia lasting leverage over the government in Caracas.
\f2 Oil and debt
Rosneft lent money to PDVSA against future oil deliveries to Asian refineries.
The oil was shipped by traders who resold it at a discount on world markets.
Sanctions made the oil trade between Russia and Venezuela much harder after 2019.
3 Conclusion
Oil debt remains the main channel of Russian influence in Venezuela and shapes its politics.
"""


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    path = tmp_path / "paper.txt"
    path.write_text(PAPER, encoding="utf-8")
    return path


def test_abstract_is_found_and_never_summarised(paper: Path) -> None:
    doc = open_document(paper)
    abstract = read_abstract.find_abstract(doc)
    assert abstract is not None and abstract.title == "Abstract"
    assert (
        abstract.text.startswith("Russian oil companies lent money")
        and "political instrument" in abstract.text
    )
    chosen = read_summary.summarize(doc, sentences=20)
    assert chosen, "the body has sentences"
    for sentence in chosen:
        assert sentence.text not in abstract.text
    assert len(chosen) == 7  # every body sentence, none of the abstract's two


def test_summary_of_the_abstracts_own_section_points_to_abstract(tmp_path: Path) -> None:
    pages = [
        PageSpec(
            [
                Para("Abstract", 13, "B", outline=1),
                Para("We study how oil loans shaped the relations between Russia and Venezuela."),
                Para("1 Introduction", 13, "B", outline=1),
                Para("Rosneft lent billions of dollars to PDVSA against future oil deliveries."),
            ]
        )
    ]
    pdf = make_pdf(tmp_path / "paper.pdf", Spec(pages, title="Oil Loans"))
    asked = runner.invoke(app, ["summary", str(pdf), "--section", "abstract"])
    assert asked.exit_code == 1
    assert asked.stderr == "ifri: error: 'Abstract' is the authors' abstract: print it with --abstract\n"


def test_summary_of_a_section_and_by_section(paper: Path) -> None:
    doc = open_document(paper)
    section = doc.section("oil and debt")
    chosen = read_summary.summarize(doc, section, sentences=2)
    assert len(chosen) == 2 and all(s.section == "Oil and debt" and s.pdf_page == 2 for s in chosen)
    groups = read_summary.by_section(doc)
    assert [g.title for g in groups] == ["Introduction", "Oil and debt", "Conclusion"]
    assert all(len(g.sentences) == 1 for g in groups)


def test_no_abstract(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text(
        "A Note\n\nThe minister resigned over the affair in March of that year.\n", encoding="utf-8"
    )
    assert read_abstract.find_abstract(open_document(path)) is None
    result = runner.invoke(app, ["summary", str(path), "--abstract"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("ifri: error: no abstract")
    assert "Abstract: not found\n" in runner.invoke(app, ["info", str(path)]).stdout


def test_abstract_in_a_pdf_in_small_type(tmp_path: Path) -> None:
    body = (
        "The committee met in Geneva to discuss the reform of the trade rules for oil products. "
        "Delegates from forty countries attended the meeting and agreed on a common position. "
        "The agreement will enter into force next year after ratification by the parliaments."
    )
    pages = [
        PageSpec(
            [
                Para("Trade Rules for Oil", 18, "B"),
                Para("Abstract", 11, "B"),
                Para(
                    "We study the reform of oil trade rules and find that the new agreement lowers tariffs.",
                    9,
                ),
                Para("1 Introduction", 13, "B", outline=1),
                Para(body),
            ]
        ),
        PageSpec(
            [
                Para("2 Results", 13, "B", outline=1),
                Para("Tariffs on refined products fell by a third in the first year of the new regime."),
            ]
        ),
    ]
    pdf = make_pdf(tmp_path / "paper.pdf", Spec(pages, title="Trade Rules for Oil"))
    result = runner.invoke(app, ["summary", str(pdf), "--abstract"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("We study the reform of oil trade rules")
    summary = runner.invoke(app, ["summary", str(pdf), "--sentences", "10"])
    assert summary.exit_code == 0 and "We study the reform" not in summary.stdout
    assert "The committee met in Geneva" in summary.stdout


def test_a_federal_register_summary_ends_at_the_preamble_fields(tmp_path: Path) -> None:
    # "SUMMARY:" opens the abstract on its own line's words; "DATES:" and "ADDRESSES:" are not in it
    summary = (
        "SUMMARY: The FAA proposes to supersede Airworthiness Directive 2018-23-51, which applies to all "
        "Model 737-8 airplanes. This proposed AD would require installing new flight control software."
    )
    pages = [
        PageSpec(
            [
                Para("Airworthiness Directives; The Boeing Company Airplanes", 14, "B"),
                Para(summary, width=60),
                Para("DATES: The FAA must receive comments on this AD by September 21, 2020.", width=60),
                Para("ADDRESSES: You may send comments by any of the following methods.", width=60),
                Para("Fax: 202-493-2251.", width=60),
                Para("Background", 13, "B", outline=1),
                Para("The agency issued an emergency order after two accidents with the same model."),
            ]
        )
    ]
    pdf = make_pdf(tmp_path / "nprm.pdf", Spec(pages, title="Airworthiness Directives"))
    result = runner.invoke(app, ["summary", str(pdf), "--abstract"])
    assert result.exit_code == 0, result.stderr
    text = result.stdout.strip()
    assert text.startswith("The FAA proposes to supersede Airworthiness Directive")
    assert "\n" not in text  # one paragraph: the heading line's words run on
    assert text.endswith("new flight control software.")


def test_a_federal_register_preamble_is_not_body(tmp_path: Path) -> None:
    path = tmp_path / "nprm.txt"
    path.write_text(
        "Airworthiness Directives; The Boeing Company Airplanes\n\n"
        "AGENCY: Federal Aviation Administration (FAA), DOT.\n\n"
        "SUMMARY: The FAA proposes to supersede an airworthiness directive for all Model 737-8 airplanes.\n\n"
        "DATES: The FAA must receive comments on this proposed AD by September 21, 2020.\n\n"
        "ADDRESSES: You may send comments by fax, by mail or by hand delivery to the docket office.\n\n"
        "You may view the referenced service information at the FAA office in Des Moines, Washington.\n\n"
        "SUPPLEMENTARY INFORMATION:\n\n"
        "Background\n\n"
        "The agency issued an emergency order of prohibition after two fatal accidents in five months.\n"
        "The new flight control software compares the inputs of both angle of attack sensors.\n",
        encoding="utf-8",
    )
    chosen = [s.text for s in read_summary.summarize(open_document(path), sentences=10)]
    assert chosen == [
        "The agency issued an emergency order of prohibition after two fatal accidents in five months.",
        "The new flight control software compares the inputs of both angle of attack sensors.",
    ]


def test_a_wrapped_abstract_line_that_opens_like_a_caption_word_does_not_end_it(tmp_path: Path) -> None:
    path = tmp_path / "paper.txt"
    path.write_text(
        "Fast Retrieval over Large Collections\n\nAbstract\n"
        "We propose a new method for approximate nearest neighbour search over\n"
        "graph-based indexes that scales to billions of documents. We evaluate it on\n"
        "tables, images and text, and report results on five benchmarks.\n\n"
        "1 Introduction\n\nRetrieval over large collections is a central problem in information access.\n",
        encoding="utf-8",
    )
    found = read_abstract.find_abstract(open_document(path))
    assert found is not None and found.text.endswith("report results on five benchmarks.")
    for caption in ("Figure 1: Average performance of base models.", "Table 2. Results", "FIGURE 3 — Costs"):
        assert read_abstract._ends_abstract(caption)
    for line in (
        "graph-based indexes that scale",
        "tables, images and text",
        "Table 1 summarizes the results",
    ):
        assert not read_abstract._ends_abstract(line)


def test_an_unlabelled_abstract_under_the_byline(tmp_path: Path) -> None:
    # the American Economic Review prints its abstract with no heading, between byline and JEL codes
    abstract = (
        "I exploit a natural experiment in Indian schools to study how being integrated with poor "
        "students affects the social behaviors of rich students. Using administrative data and field "
        "experiments, I find that having poor classmates makes rich students more generous and less "
        "likely to discriminate against poor students."
    )
    body = (
        "Schools are segregated across social and economic lines in many countries of the world. "
        "Much research has examined the effects of such segregation on the learning of the pupils."
    )
    pages = [
        PageSpec(
            [
                Para("Familiarity Does Not Breed Contempt", 14),
                Para("By Gautam Rao"),
                Para(abstract),
                Para("JEL C90, D31, I21"),
                Para(body),
            ]
        )
    ]
    pdf = make_pdf(tmp_path / "aer.pdf", Spec(pages, title="Familiarity Does Not Breed Contempt"))
    found = read_abstract.find_abstract(open_document(pdf))
    assert found is not None and found.text == abstract and found.pdf_page == 1
    summary = runner.invoke(app, ["summary", str(pdf), "--sentences", "10", "--lines"])
    assert summary.exit_code == 0, summary.stderr
    assert "natural experiment" not in summary.stdout and "Schools are segregated" in summary.stdout

    text = tmp_path / "aer.txt"
    text.write_text(
        f"Familiarity Does Not Breed Contempt\n\nGautam Rao\n\n{abstract}\n\nKeywords: schools\n\n{body}\n"
    )
    found = read_abstract.find_abstract(open_document(text))
    assert found is not None and found.text == abstract


def test_a_heading_alone_between_blank_lines_ends_the_abstract_of_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(
        "Oil and Debt\n\nSummary\n\nRussia lent money to Venezuela against oil.\n\n"
        "Sanctions turned the debt into an instrument.\n\nThe author\n\n"
        "Jane Analyst is a research fellow.\n\n1 Introduction\n\nVenezuela owes Russia a great deal.\n"
    )
    found = read_abstract.find_abstract(open_document(path))
    assert found is not None and found.text.endswith("an instrument.") and "research fellow" not in found.text


@pytest.mark.parametrize(
    "before",
    [
        "",  # nothing before the keywords
        "Schools and peers.\n",  # too short to be an abstract
        "Schools are segregated across social and economic lines in many countries of the world and much\n"
        "research has examined the effects of such segregation on the learning of the pupils and on what\n"
        "they think of each other, but little of it looks at how",  # a fragment, not a paragraph
    ],
)
def test_no_unlabelled_abstract_without_a_paragraph_before_the_keywords(tmp_path: Path, before: str) -> None:
    path = tmp_path / "paper.txt"
    path.write_text(f"A Note\n\n{before}\nKeywords: schools\n\nThe minister resigned in March.\n")
    assert read_abstract.find_abstract(open_document(path)) is None


_FINDINGS = (
    "I exploit a natural experiment in Indian schools to study how being integrated with poor "
    "students affects the social behaviors of rich students. Using administrative data and field "
    "experiments, I find that having poor classmates makes rich students more generous and less "
    "likely to discriminate against poor students."
)
_BODY = (
    "Schools are segregated across social and economic lines in many countries of the world. "
    "Much research has examined the effects of such segregation on the learning of the pupils."
)


@pytest.mark.parametrize(
    "summary, expected",
    [
        # a 72-column file: short wrapped lines after a blank line are not headings
        (
            "Moscow extended Venezuela substantial financing through\n"
            "intergovernmental agreements, collateralised by oil deliveries.\n\n"
            "International sanctions subsequently transformed Venezuela's\n"
            "outstanding obligations into leverage for Moscow.\n",
            "into leverage for Moscow.",
        ),
        # a lead-in alone between blank lines is not a heading either
        (
            "Russia lent money to Venezuela against oil.\n\nThree findings stand out:\n\n"
            "- Russia holds most of the debt\n- Sanctions made it an instrument\n\n"
            "The debt will not be repaid before 2030.\n",
            "repaid before 2030.",
        ),
    ],
)
def test_short_lines_in_a_text_files_abstract_do_not_end_it(
    tmp_path: Path, summary: str, expected: str
) -> None:
    path = tmp_path / "note.txt"
    path.write_text(
        f"Energy Diplomacy\n\nSummary\n\n{summary}\n1 Introduction\n\nVenezuela owes Russia a lot.\n"
    )
    found = read_abstract.find_abstract(open_document(path))
    assert found is not None and found.text.endswith(expected) and "owes" not in found.text


def test_the_authors_name_and_affiliation_are_not_the_unlabelled_abstract(tmp_path: Path) -> None:
    paras = [
        Para("Familiarity Does Not Breed Contempt", 14),
        Para("Gautam Rao"),  # no "By", same type as the abstract: only the space between them tells
        Para("Harvard University, Department of Economics"),
        Para(_FINDINGS),
        Para("JEL C90, D31, I21"),
        Para(_BODY),
    ]
    pdf = make_pdf(tmp_path / "aer.pdf", Spec([PageSpec(paras)]))
    found = read_abstract.find_abstract(open_document(pdf))
    assert found is not None and found.text == _FINDINGS


def test_keywords_after_the_body_began_are_not_an_abstracts_end(tmp_path: Path) -> None:
    pages = [
        PageSpec(
            [Para("Policy Brief on Schools", 14), Para("1 Background", 12, "B"), Para(_BODY + " " + _BODY)]
        ),
        PageSpec(
            [Para("2 Findings", 12, "B"), Para(_FINDINGS + " " + _BODY), Para("Keywords: schools, peers")]
        ),
    ]
    pdf = make_pdf(tmp_path / "brief.pdf", Spec(pages))
    assert read_abstract.find_abstract(open_document(pdf)) is None


@pytest.mark.parametrize(
    "text",
    [
        # prose that starts with the word is not a keywords line
        f"Search Logs\n\nJane Doe\n\n{_FINDINGS}\n\nKeywords are what a searcher types first, and most "
        f"searches use two of them.\n\n{_BODY}\n",
        # a note's keywords at its end: its last paragraph is its body, not an abstract
        f"A Note on Schools\n\nJane Doe\n\nThe minister resigned.\n\n{_FINDINGS}\n\n"
        "Keywords: schools, peers\n",
        # keywords under the first numbered heading: the body had begun
        f"Search Logs\n\n1 Background\n\n{_FINDINGS}\n\nKeywords: schools\n\n{_BODY}\n",
    ],
)
def test_keywords_that_do_not_close_an_abstract(tmp_path: Path, text: str) -> None:
    path = tmp_path / "note.txt"
    path.write_text(text)
    doc = open_document(path)
    assert read_abstract.find_abstract(doc) is None
    result = runner.invoke(app, ["summary", str(path), "--sentences", "20", "--lines"])
    assert result.exit_code == 0, result.stderr
    assert "natural experiment" in result.stdout


def test_an_unlabelled_abstract_on_the_first_line_leaves_the_body_whole(tmp_path: Path) -> None:
    path = tmp_path / "paper.txt"
    path.write_text(
        f"{_FINDINGS}\n\nKeywords: schools\n\n{_BODY}\n\n"
        "The minister of education resigned in March, after the report came out.\n"
    )
    found = read_abstract.find_abstract(open_document(path))
    assert found is not None and found.text == _FINDINGS and found.pdf_page == 1
    result = runner.invoke(app, ["summary", str(path), "--sentences", "20", "--lines"])
    assert result.exit_code == 0, result.stderr
    assert "natural experiment" not in result.stdout and "after the report came out." in result.stdout


# --- the command line -------------------------------------------------------------------


def test_cli_pipe_paragraph_and_lines(paper: Path) -> None:
    result = runner.invoke(app, ["summary", str(paper), "--sentences", "3"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\n") == 1 and "\x1b[" not in result.stdout
    lines = runner.invoke(app, ["summary", str(paper), "--sentences", "3", "--lines"])
    assert lines.stdout.count("\n") == 3
    assert " ".join(lines.stdout.splitlines()) + "\n" == result.stdout


def test_cli_json_contract(paper: Path) -> None:
    data = json.loads(runner.invoke(app, ["summary", str(paper), "--json", "-n", "2"]).stdout)
    assert data["schema_version"] == 1
    assert len(data["sentences"]) == 2
    assert set(data["sentences"][0]) == {"text", "section", "number", "page", "pdf_page", "score"}
    by = json.loads(runner.invoke(app, ["summary", str(paper), "--json", "--by-section"]).stdout)
    assert [s["title"] for s in by["sections"]] == ["Introduction", "Oil and debt", "Conclusion"]
    ab = json.loads(runner.invoke(app, ["summary", str(paper), "--json", "--abstract"]).stdout)
    assert ab["abstract"]["title"] == "Abstract"


def test_cli_terminal_shows_where_each_sentence_is(paper: Path) -> None:
    result = runner.invoke(app, ["summary", str(paper), "-n", "2", "--color", "always"])
    assert result.exit_code == 0
    assert "— 1 Introduction" in result.stdout or "— 2 Oil and debt" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--sentences", "0"],
        ["--sentences", "-3"],
        ["--ratio", "-0.1"],
        ["--ratio", "0"],
        ["--ratio", "2"],
        ["--sentences", "2", "--ratio", "0.1"],
        ["--abstract", "--keywords"],
        # an option the mode would ignore is refused, not dropped
        ["--by-section", "--section", "oil"],
        ["--by-section", "--ratio", "0.1"],
        ["--section", " "],
        ["--abstract", "--sentences", "2"],
        ["--abstract", "--section", "oil"],
        ["--keywords", "--ratio", "0.1"],
        ["--first"],
        ["--abstract", "--lines"],
        ["--keywords", "--lines"],
    ],
)
def test_cli_bad_values_are_usage_errors(paper: Path, args: list[str]) -> None:
    result = runner.invoke(app, ["summary", str(paper), *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("ifri: error:") and result.stderr.strip().count("\n") == 0


def test_cli_keywords(paper: Path) -> None:
    result = runner.invoke(app, ["summary", str(paper), "--keywords", "-n", "5"])
    assert result.exit_code == 0, result.stderr
    words = result.stdout.splitlines()
    assert 0 < len(words) <= 5
    assert any("oil" in w.lower() for w in words)


def test_keywords_are_distinct_terms_not_layout_words(tmp_path: Path) -> None:
    sentences = [
        "Figure 3 shows that HCV RNA testing reached the clinics in the north of the country.",
        "Table 2 lists the HCV RNA assays that the “Problematic Drug Use” programme bought in 2019.",
        "See Figure 4 for the share of clinics that offered HCV RNA NAT to adolescents and children.",
        "Alors the ministry paid for point-of-care testing in every district hospital of the region.",
        "The HCV treatment of adolescents with direct-acting antivirals cured almost all of them.",
        "Children under twelve received the same HCV treatment in smaller doses, see Table 5.",
    ] * 3
    path = tmp_path / "report.txt"
    path.write_text("Hepatitis C in children\n\n" + "\n".join(sentences) + "\n", encoding="utf-8")
    words = keywords.keywords(open_document(path), 6)
    assert len(words) == 6
    assert not {w.lower() for w in words} & keywords._NOT_KEYWORDS
    assert all(w == w.strip("“”\"'’ ") for w in words)
    # no two terms that share two of their three words
    sets = [set(w.lower().split()) for w in words]
    assert not any(keywords._near_repeat(a, b) for i, a in enumerate(sets) for b in sets[i + 1 :])
    assert keywords._near_repeat({"hcv", "rna", "nat"}, {"hcv", "rna", "testing"})
    assert not keywords._near_repeat({"yeomen", "model"}, {"yeomen", "scenario"})


def test_a_chapters_summary_is_not_the_abstract(tmp_path: Path) -> None:
    path = tmp_path / "book.txt"
    path.write_text(
        "A Book\n\n1 Introduction\nThe book explains how the parser reads long reports from the start.\n"
        "Summary\nThe parser reads the contents page first and then finds each heading.\n"
        "2 Details\nHeadings are matched to the lines of the body in order of appearance.\n",
        encoding="utf-8",
    )
    assert read_abstract.find_abstract(open_document(path)) is None


def test_info_json_says_where_the_abstract_is(paper: Path) -> None:
    data = json.loads(runner.invoke(app, ["info", str(paper), "--json"]).stdout)
    assert data["abstract"] == {"title": "Abstract", "page": None, "pdf_page": 1, "words": 31}


def test_annexes_under_a_title_root_are_not_body() -> None:
    # an outline whose only root is the paper's title: its appendices are still appendices
    from types import SimpleNamespace

    from ifri_cli.model import Section

    def sec(
        title: str, number: str | None = None, children: tuple[Section, ...] = (), kind: str = "section"
    ) -> Section:
        return Section(title, 1, number, "1", 1, 1, "", children=children, kind=kind)

    note = sec("What this appendix is not about", "D.1")
    body = sec("Introduction", "1", (sec("Scope", "1.1"),))
    annex = sec("Commons DAOs", "Appendix D", (note,), kind="annex")  # as sections.build_sections says
    root = sec("The paper's title", None, (body, annex))
    outside = read_units._outside_body(SimpleNamespace(sections=(root,)))  # type: ignore[arg-type]
    assert id(annex) in outside and id(note) in outside
    assert not {id(root), id(body), id(body.children[0])} & outside


def test_a_contents_page_in_two_columns_is_not_body() -> None:
    # titles in one column, page numbers in another: no line ends in a number, the heading tells
    from ifri_cli.model import Line

    page1 = [
        "A paper",
        "Table des matières",
        "1. Les groupes K0 et K1",
        "5.1. Rappels : définition des K et K′-théories des anneaux et schémas",
        "2",
        "7",
    ]
    page2 = [
        "Annexe A. Catégories modèles",
        "72",
        "Remarque préliminaire",
        "On suppose ici l'existence d'un certain nombre d'univers dans la théorie des ensembles.",
    ]
    flat = [(1, Line(t)) for t in page1] + [(2, Line(t)) for t in page2]
    assert contents_heading_lines(flat, 20) == set(range(1, 9))
    assert contents_heading_lines(flat[2:], 20) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Section 5 contains descriptions of kinetic models and their specification.",
        "Chapter 2 gives background information concerning the language and its patterns.",
        "Conclusions are contained in Section 8.",
        "The rest of this paper is organized as follows.",
        "See the instructions for lines 16a and 16b beginning on page 12.",
        "Voir la page 12 pour le détail des montants.",
    ],
)
def test_the_papers_plan_in_prose_counts_against_a_sentence(text: str) -> None:
    # a roadmap sentence names every topic, so it looks central; it tells the layout, not the findings
    assert read_summary._META.search(text)


def test_a_sentence_about_sections_of_society_is_not_a_roadmap() -> None:
    assert not read_summary._META.search("Large sections of the population describe the reform as unfair.")
    assert not read_summary._META.search("Seeing the reform fail, the ministry changed course in March.")


def test_references_the_outline_does_not_list_are_not_body(tmp_path: Path) -> None:
    # no bookmark for the references printed under "2 Conclusions": they are not its text, and the
    # bookmarked section after them is an appendix
    pages = [
        PageSpec([Para("1 Introduction", 14, "B", 1), "The package fits models to spectra in steps. " * 3]),
        PageSpec(
            [
                Para("2 Conclusions", 14, "B", 1),
                "The package was shown to fit models to spectra quickly and well. " * 2,
                Para("References", 12, "B"),
                "Bates Douglas and Watts Donald wrote a book on nonlinear regression analysis in 1988.",
                "Golub Gene and Pereyra Victor studied separable problems of many kinds in 1973.",
            ]
        ),
        PageSpec([Para("Data formats", 14, "B", 1), "The input format holds five lines and a matrix. " * 2]),
    ]
    doc = open_document(make_pdf(tmp_path / "paper.pdf", Spec(pages)), cache=False)
    text = " ".join(unit.text for unit in read_units.units(doc))
    assert "shown to fit models" in text
    assert "nonlinear regression" not in text and "separable problems" not in text
    assert "five lines" not in text
    # the appendix still has its own summary
    formats = [s for s in doc.sections if s.title == "Data formats"][0]
    assert "five lines" in " ".join(unit.text for unit in read_units.units(doc, formats))


def test_references_before_long_appendices_still_end_the_body(tmp_path: Path) -> None:
    # frbny-dsge-model-documentation: its unlisted references come at 43% of the lines, before long
    # appendices of tables and derivations; its entries were quoted ("De Graeve, F. (2008): ...")
    appendix = ["The state space form stacks the measurement equations of the model. " * 3] * 3
    intro = "The model fits the business cycle in steps. " * 3
    pages = [
        PageSpec([Para("1 Introduction", 14, "B", 1), *[intro] * 6]),
        PageSpec(
            [
                Para("2 Conclusions", 14, "B", 1),
                "The model was shown to forecast inflation quickly and well. " * 2,
                Para("References", 12, "B"),
                "Bates Douglas and Watts Donald wrote a book on nonlinear regression analysis in 1988.",
            ]
        ),
        *[PageSpec([Para(f"Appendix {n}", 14, "B", 1), *appendix]) for n in "ABC"],
    ]
    doc = open_document(make_pdf(tmp_path / "paper.pdf", Spec(pages)), cache=False)
    text = " ".join(unit.text for unit in read_units.units(doc))
    assert "forecast inflation" in text
    assert "nonlinear regression" not in text and "state space" not in text


def test_one_references_list_early_in_the_paper_keeps_the_body_after_it(tmp_path: Path) -> None:
    # an unlisted "References" closing section 2 of 5 (at about 40%): its entries are not quoted,
    # but sections 3 to 5 are body, not appendices
    def para(topic: str) -> str:
        return f"The {topic} analysis shows that prices and wages move together over the cycle. " * 6

    sections = [("1 Introduction", "intro"), ("2 Background", "background")]
    text = "A Report on Things\n\n" + "".join(f"{t}\n\n" + (para(k) + "\n\n") * 5 for t, k in sections)
    text += "References\n\nSmith, J. (2001). A paper. Journal of Things, 3, 1-10.\n\n"
    later = [("3 Model", "model"), ("4 Results", "results"), ("5 Conclusion", "conclusion")]
    text += "".join(f"{t}\n\n" + (para(k) + "\n\n") * 6 for t, k in later)
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    body = " ".join(unit.text for unit in read_units.units(open_document(path)))
    assert "Journal of Things" not in body
    assert "The results analysis" in body and "The conclusion analysis" in body


def test_a_short_word_alone_on_a_line_stays_in_the_text() -> None:
    # "It" alone on its line (a justified PDF line split in two) is a word; "12" and "j" are not
    from ifri_cli.model import Line

    lines = [
        (1, Line("Passage retrieval matters for open-domain QA.")),
        (1, Line("It")),
        (1, Line("not only reduces the search space but also helps.")),
        (1, Line("12")),
        (1, Line("j")),
        (1, Line("the end.")),
    ]
    words = read_units._assemble(lines, {}, None, set())[0].split()
    assert words[6:9] == ["It", "not", "only"]
    assert "12" not in words and "j" not in words


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        (
            "Feasibility The WHO 2020 progress report on access to treatment was positive.",
            "The WHO 2020 progress report on access to treatment was positive.",
        ),
        (
            "Selection of positive passages Because only pairs are provided, we use the best passage.",
            "Because only pairs are provided, we use the best passage.",
        ),
        # sentences, not headings: kept whole
        (
            "In chapter 9 The Device interface was introduced as the core of the library.",
            "In chapter 9 The Device interface was introduced as the core of the library.",
        ),
        (
            "The concept is a key element in The Roadmap to Prosperity, a strategic plan.",
            "The concept is a key element in The Roadmap to Prosperity, a strategic plan.",
        ),
    ],
)
def test_a_run_in_paragraph_heading_is_not_quoted(text: str, quoted: str) -> None:
    cands = read_summary.candidates([Unit(text)])
    assert [c.text for c in cands] == [quoted]


def test_what_follows_the_one_references_list_is_not_body() -> None:
    from types import SimpleNamespace

    from ifri_cli.model import Section

    def sec(title: str, kind: str = "section") -> Section:
        return Section(title, 1, None, "1", 1, 1, "", kind=kind)

    body, refs, appendix = sec("8 Conclusion"), sec("References", "references"), sec("A Distant Supervision")
    outside = read_units._outside_body(SimpleNamespace(sections=(body, refs, appendix)))  # type: ignore[arg-type]
    assert id(appendix) in outside and id(body) not in outside
    # references after each chapter: the chapters that follow stay body
    chapter = sec("2 Methods")
    tops = (body, refs, chapter, sec("References", "references"))
    assert id(chapter) not in read_units._outside_body(SimpleNamespace(sections=tops))  # type: ignore[arg-type]
