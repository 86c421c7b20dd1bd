"""The clean stage: line repairs, furniture, footnotes, hyphenation, paragraphs."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfgen import glued_markers_report

from ifri_cli import ingest, open_document
from ifri_cli.ingest import labels, textfile
from ifri_cli.model import Document, Line, Metadata, Page
from ifri_cli.text import chars, clean, vocabulary
from ifri_cli.text import paragraphs as text_paragraphs
from ifri_cli.text import repair as text_repair

SAMPLES = Path(__file__).resolve().parent.parent / "ifri_cli" / "samples"

# a paragraph of ordinary prose: gives a vocabulary its language without evidence of breakage
PROSE = (
    "The policy debate about regional security has shifted since the crisis began. Governments now weigh "
    "energy contracts against the risk of sanctions, and the analysts who follow these questions read long "
    "reports to understand them. A major part of the trade goes through the ports of the region."
)


def vocab(*texts: str) -> vocabulary.Vocabulary:
    return vocabulary.Vocabulary([PROSE, *texts], "en")


def repair(text: str, *context: str) -> str:
    return text_repair.repair_text(text, vocab(text, *context))


# --- characters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("signiﬁcance of the ﬂow", "significance of the flow"),
        ("eﬃcient and aﬄuent staﬀ", "efficient and affluent staff"),
        ("cafe\u0301", "café"),  # NFC
        ("ten\u00a0per\u2009cent", "ten per cent"),
        ("gov\u00adernment", "government"),  # soft hyphen inside a word
        ("zero\u200bwidth", "zerowidth"),
        ("dise˜no", "diseño"),
        ("´Indice", "Índice"),
        ("clich´es", "clichés"),
        ("B ¨unning and K ¨olling", "Bünning and Kölling"),
        ("Fac¸ade", "Façade"),
    ],
)
def test_fix_characters(raw: str, fixed: str) -> None:
    assert text_repair.repair_text(raw) == fixed


def test_accents_follow_the_documents_convention() -> None:
    # ``Ageˆncia`` can only be read one way: this document puts accents after their letter
    text = "Ageˆncia Nacional de Aviac¸a˜o Civil"
    assert chars.accent_votes(text) == (1, 0)
    assert chars.fix_characters(text, accents_follow=True) == "Agência Nacional de Aviação Civil"
    assert chars.fix_characters("Aviac¸a˜o", accents_follow=False) == "Aviaçaõ"


@pytest.mark.parametrize("text", ['`json:"title"`', "fmt.Println(`Hello`)", "x´ + y", "the ´ symbol"])
def test_spacing_accents_without_a_letter_to_sit_on_stay(text: str) -> None:
    assert chars.fix_characters(text) == text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("abcdefghij TtHhEe0123.,'()"), max_size=60))
def test_repair_only_removes_spaces_from_plain_text(text: str) -> None:
    # for letters, digits and punctuation the repairs may only take spaces out
    fixed = text_repair.repair_text(text, vocab(text))
    assert fixed.replace(" ", "") == text.replace(" ", "")
    assert "  " not in fixed and fixed == fixed.strip()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_repair_takes_any_text(text: str) -> None:
    assert isinstance(text_repair.repair_text(text), str)


# --- broken spacing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("a m ajor problem", "a major problem"),
        ("South Am erica", "South America"),
        ("intergovernm ental bodies", "intergovernmental bodies"),
        ("betw een them", "between them"),
        ("Cont ent s", "Contents"),
        ("W EAK LI NKS", "WEAK LINKS"),
        ("I NTRODUCTI ON", "INTRODUCTION"),
        ("C O N T E N T S", "CONTENTS"),
        ("from Lourdes t o the sea", "from Lourdes to the sea"),
        ("(Am erica)", "(America)"),
    ],
)
def test_broken_words_are_joined(broken: str, fixed: str) -> None:
    assert repair(broken) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "a major problem",
        "in 2020 and in 2021",
        "a part of the trade",
        "the ports of the region",
        "at one point",
        "America's own backyard",  # not ``s own`` -> ``sown``
        "in the 1990s and after",  # not ``s and`` -> ``sand``
        "Gelbach and Fisman",  # unknown names stay apart without evidence
        "The Go compiler",
        "between x y and z",
        "the y-axis shows",  # a one-letter prefix, not a piece of ``the``
        "for t in range",  # a word and a variable
        "defined as var y",
        "Carl F. Gauss",
        "la preuve de l’équivalence",
    ],
)
def test_real_phrases_stay_apart(text: str) -> None:
    assert repair(text) == text


def test_a_capital_the_document_uses_alone_is_a_symbol() -> None:
    symbols = "where L is the length, L = 8 and the size of L depends on the block"
    assert repair("the values L and M", symbols) == "the values L and M"
    assert repair("Smith M et al. found", "M. Smith", "by M Smith", "Smith M and") == "Smith M et al. found"
    assert repair("J uly and D ecember") == "July and December"


def test_document_vocabulary_is_evidence() -> None:
    # ``Primakov`` is no word of the language, but the document uses it
    assert repair("Prim akov said", "Primakov's visit", "Primakov travelled") == "Primakov said"
    assert repair("Prim akov said") == "Prim akov said"


def test_space_bias_follows_how_broken_the_document_is() -> None:
    tidy = vocabulary.Vocabulary([PROSE] * 50, "en")
    broken = vocabulary.Vocabulary(
        [PROSE, "t he governm ent of Am erica betw een t he wars w here t he m ajor"] * 50, "en"
    )
    assert tidy.space_bias > 3.5
    assert broken.space_bias < 2.5


# --- numbers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("In 20 20, the banks lent", "In 2020, the banks lent"),
        ("J uly 20 20", "July 2020"),
        ("After 19 62, Cuba", "After 1962, Cuba"),
        ("ISBN: 979-10 -373-0 20 1-4", "ISBN: 979-10-373-0201-4"),
        ("CONCLUSION ........................ 1 0", "CONCLUSION ........................ 10"),
        ("Tél. : +33 (0 )1 40 61 60 0 0", "Tél. : +33 (0)1 40 61 60 00"),
        ("Fax: +33 (0 )1 40 61 60 60.", "Fax: +33 (0)1 40 61 60 60."),
    ],
)
def test_split_numbers_are_joined(broken: str, fixed: str) -> None:
    assert repair(broken) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "scores 20 20 15 and 12",  # a table row
        "pages 12 13",  # not a year
        "ISBN: 979-10 -373-0 20 1-5",  # wrong check digit
        "Introduction .................. 5",
        "1.2 The main fields ........... 12",
        "Annex 19 20 ........... 21",
        "Call +1 212 555 0 1 2 3 now",  # not written in pairs
        "+44 (0)20 7 946 0 958",
    ],
)
def test_numbers_that_stay(text: str) -> None:
    assert repair(text) == text


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("Russie.N ei.Visions, No. 27", "Russie.Nei.Visions, No. 27"),
        ("The U.S. A new era began.", "The U.S. A new era began."),
        ("It ended.A new era began.", "It ended.A new era began."),
    ],
)
def test_a_name_of_dotted_words_broken_by_a_space(broken: str, fixed: str) -> None:
    assert repair(broken) == fixed


# --- hyphens --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("more than thirty inter- governmental agreements", "more than thirty inter-governmental agreements"),
        ("pre- and post-war", "pre- and post-war"),
        ("taste-based discrimi- nation", "taste-based discrimination"),
    ],
)
def test_hyphen_followed_by_a_space(text: str, fixed: str) -> None:
    assert repair(text) == fixed


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("govern", "ment", "government"),
        ("discrimi", "nation", "discrimination"),
        ("heli", "copters", "helicopters"),
        ("multi", "polarity", "multipolarity"),
        ("Military", "technical", "Military-technical"),
        ("self", "control", "self-control"),
        ("non", "intervention", "non-intervention"),
        ("n", "dimensional", "n-dimensional"),
        ("Franco", "German", "Franco-German"),
    ],
)
def test_hyphen_at_a_line_end(left: str, right: str, joined: str) -> None:
    assert text_repair.hyphen_join(left, right, vocab()) == joined


def test_hyphen_at_a_line_end_follows_the_document() -> None:
    # the document writes these words elsewhere, and that decides
    assert text_repair.hyphen_join("pre", "payments", vocab("outstanding prepayments")) == "prepayments"
    twice = vocab("co-operation and co-operation")
    assert text_repair.hyphen_join("co", "operation", twice) == "co-operation"


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["the govern-", "ment is here"], ["the government", "is here"]),
        (["the gov\u00ad", "ernment is"], ["the government", "is"]),
        (["the Military-", "technical deal"], ["the Military-technical", "deal"]),
        (["the COVID-", "19 pandemic"], ["the COVID-19", "pandemic"]),
        (["both pre-", "and post-war"], ["both pre-", "and post-war"]),
        (["the constitution prohib-", "its foreign bases"], ["the constitution prohibits", "foreign bases"]),
        (["la preuve de l’équi-", "valence des deux"], ["la preuve de l’équivalence", "des deux"]),
        (
            ["see https://www.ft.lk/drive-the-digital-", "economy-plan/ now"],
            ["see https://www.ft.lk/drive-the-digital-economy-plan/", "now"],
        ),
        (["a state-of-the-", "art method"], ["a state-of-the-art", "method"]),
        (["the end of the sentence -", "and more"], ["the end of the sentence -", "and more"]),
        (["Model 737\u2013", "9 airplanes"], ["Model 737\u20139", "airplanes"]),
        (["call 206\u2013231\u2013", "3195 now"], ["call 206\u2013231\u20133195", "now"]),
        (["the crisis\u2014", "we know how"], ["the crisis\u2014we", "know how"]),
        (["a spaced dash \u2013", "stays"], ["a spaced dash \u2013", "stays"]),
        (["at https://", "www.regulations.gov by"], ["at https://www.regulations.gov", "by"]),
        (["1994. http://", "The expressiveness"], ["1994. http://", "The expressiveness"]),
        (["email: 9-FAA-SACO@", "faa.gov."], ["email: 9-FAA-SACO@faa.gov."]),
    ],
)
def test_words_hyphenated_at_a_line_end_move_up(lines: list[str], joined: list[str]) -> None:
    page = Page(1, None, tuple(Line(t) for t in lines))
    doc = clean.clean_document(Document(None, "text", Metadata(language="en"), (page,)))
    assert [line.text for line in doc.clean_pages[0].lines] == joined


def test_a_line_left_empty_by_the_move_goes() -> None:
    page = Page(1, None, (Line("long before the govern-"), Line("ment."), Line("Next line")))
    doc = clean.clean_document(Document(None, "text", Metadata(language="en"), (page,)))
    assert [line.text for line in doc.clean_pages[0].lines] == ["long before the government.", "Next line"]


# --- documents ------------------------------------------------------------------------------------


def text_document(text: str) -> Document:
    pages = labels.infer_labels(textfile.text_pages(text))
    return Document(path=None, kind="text", metadata=Metadata(language="en"), pages=pages)


BODY = [
    "The policy debate about regional security has shifted since the crisis began, and the",
    "governments of the region now weigh energy contracts against the risk of sanc-",
    "tions. Analysts who follow these questions read long reports to understand them.1",
    "The first ports of the region were built by foreign companies in the nineteenth cen-",
    "tury, and the trade that goes through them is still a large part of the economy.",
]


COUNTRIES = ["Cuba", "Chile", "Peru", "Brazil", "Mexico", "Bolivia", "Ecuador", "Uruguay"]


def paged_text(pages: int) -> str:
    chunks = []
    for n in range(1, pages + 1):
        header = "Energy and Security" if n % 2 else "Jane Analyst"
        body = [line.replace("region", COUNTRIES[n]) for line in BODY]
        note = f"1. A note on {COUNTRIES[n - 1]}, with its source."
        chunk = [header, "", *body, "", note, "", str(n)]
        chunks.append("\n".join(chunk))
    return "\f".join(chunks) + "\f"


def test_clean_text_document_removes_furniture_and_notes() -> None:
    doc = clean.clean_document(text_document(paged_text(6)))
    assert len(doc.clean_pages) == 6
    for page in doc.clean_pages:
        texts = [line.text for line in page.lines]
        assert "Energy and Security" not in texts and "Jane Analyst" not in texts
        assert not any(re.fullmatch(r"\d+", t) for t in texts)
        assert not any(t.startswith("1. A note") for t in texts)
    assert [n.pdf_page for n in doc.footnotes] == [1, 2, 3, 4, 5, 6]
    assert doc.footnotes[2].marker == "1"
    assert doc.footnotes[2].text == "A note on Peru, with its source."
    first = [line.text for line in doc.clean_pages[0].lines]
    # the marker is gone, the hyphenated words are whole on the line where they start
    assert first[1].endswith("against the risk of sanctions.")
    assert first[2] == "Analysts who follow these questions read long reports to understand them."
    assert first[3].endswith("in the nineteenth century,")


def test_clean_keeps_what_is_not_furniture() -> None:
    # a one-page text: nothing repeats, the cover lines and a numbered list stay
    text = (
        "Energy and Security\n\n1. First point of the list\n2. Second point\n\n© Centre for Studies, 2021\n"
    )
    doc = clean.clean_document(text_document(text))
    assert [line.text for line in doc.clean_pages[0].lines] == [
        "Energy and Security",
        "1. First point of the list",
        "2. Second point",
        "© Centre for Studies, 2021",
    ]
    assert doc.footnotes == ()


def pdf_page(number: int, lines: list[Line], label: str | None = None) -> Page:
    return Page(number, label or str(number), tuple(lines), 595.0, 842.0)


def body_line(text: str, top: float, x0: float = 72.0, size: float = 11.0, **kw: object) -> Line:
    width = len(text) * size * 0.45
    return Line(text, size, x0=x0, top=top, x1=x0 + width, bottom=top + size, **kw)  # type: ignore[arg-type]


def test_pdf_furniture_alternates_and_numbers_are_removed() -> None:
    pages = []
    for n in range(1, 9):
        header = body_line("Russia's Return to Latin America" if n % 2 else "Hélène Castaing", 30, size=8)
        lines = [header, body_line(f"Some running text about {COUNTRIES[n - 1]} that goes on.", 300)]
        lines.append(body_line(str(n), 800, x0=290, size=9))
        pages.append(pdf_page(n, lines))
    doc = clean.clean_document(Document(None, "pdf", Metadata(language="en"), tuple(pages)))
    for n, page in enumerate(doc.clean_pages):
        assert [line.text for line in page.lines] == [f"Some running text about {COUNTRIES[n]} that goes on."]
        assert page.lines[0].size == 11.0 and page.lines[0].top is not None


def test_the_cover_title_stays_when_the_running_header_repeats_it() -> None:
    cover = pdf_page(1, [body_line("Energy and Security", 120, size=20), body_line("Jane Analyst", 400)])
    pages = [cover]
    for n in range(2, 8):
        lines = [body_line("Energy and Security", 30, size=8), body_line(f"Text about {COUNTRIES[n]}.", 300)]
        pages.append(pdf_page(n, lines))
    doc = clean.clean_document(Document(None, "pdf", Metadata(language="en"), tuple(pages)))
    assert [line.text for line in doc.clean_pages[0].lines] == ["Energy and Security", "Jane Analyst"]
    assert [line.text for line in doc.clean_pages[1].lines] == [f"Text about {COUNTRIES[2]}."]


def test_numbered_headings_that_open_pages_are_not_a_running_header() -> None:
    # guidelines where each chapter has a "N.4 Rationale" section, each at the top of a page
    pages = []
    for n in range(1, 8):
        lines = [body_line("HCV guidelines", 30, size=8), body_line(f"Text about {COUNTRIES[n]}.", 300)]
        if n % 2:
            lines.insert(1, body_line(f"{n}.4 Rationale for the recommendations", 60, size=13))
        else:
            lines.insert(1, body_line("4.1 Section shown in the header", 45, size=8))  # the same number
        pages.append(pdf_page(n, lines))
    doc = clean.clean_document(Document(None, "pdf", Metadata(language="en"), tuple(pages)))
    assert [line.text for line in doc.clean_pages[0].lines] == [
        "1.4 Rationale for the recommendations",
        f"Text about {COUNTRIES[1]}.",
    ]
    assert [line.text for line in doc.clean_pages[1].lines] == [f"Text about {COUNTRIES[2]}."]


def test_pdf_footnotes_from_superscripts_and_small_print() -> None:
    text = "Moscow answered by dispatching two bombers.12 It was the first such flight."
    lines = [
        body_line(text, 100, superscripts=((43, 45),)),
        body_line("A second line of the running text, which is long enough.", 114),
        body_line("12", 700, size=6, superscripts=((0, 2),)),
        body_line("See the report on the deployment, Moscow, 2008,", 700, x0=80, size=8),
        body_line("pp. 12-15.", 710, size=8),
    ]
    lines[3] = Line(lines[3].text, 8.0, x0=80, top=700, x1=400, bottom=708)
    doc = clean.clean_document(Document(None, "pdf", Metadata(language="en"), (pdf_page(1, lines),)))
    texts = [line.text for line in doc.clean_pages[0].lines]
    assert texts[0] == "Moscow answered by dispatching two bombers. It was the first such flight."
    assert len(texts) == 2
    assert len(doc.footnotes) == 1
    assert doc.footnotes[0].marker == "12"
    assert doc.footnotes[0].text == "See the report on the deployment, Moscow, 2008, pp. 12-15."


def test_exponents_and_small_print_without_markers_stay() -> None:
    lines = [
        body_line("The area is x2 plus 10 squared, as the figure shows.", 100, superscripts=((13, 14),)),
        body_line("Source: national statistics office.", 700, size=8),
    ]
    doc = clean.clean_document(Document(None, "pdf", Metadata(language="en"), (pdf_page(1, lines),)))
    assert [line.text for line in doc.clean_pages[0].lines] == [
        "The area is x2 plus 10 squared, as the figure shows.",
        "Source: national statistics office.",
    ]
    assert doc.footnotes == ()


def test_a_marker_glued_to_a_number_is_a_note_only_where_the_page_has_its_note() -> None:
    # "Act 1923" + superscript 130 comes out as "1923130"
    lead = "Secrecy was first regulated by the colonial government.129 Later,"
    first = "protected by the Official Secrets Act 1923130 (the Act), which has not been amended."
    lines = [
        body_line(lead, 100, superscripts=((55, 58),)),
        body_line(first, 114, superscripts=((42, 45),)),
        body_line("129 Ordinance No. 4 of 1911.", 690, size=8),
        body_line("130 The Act of 1923.", 700, size=8),
    ]
    doc = clean.clean_document(Document(None, "pdf", Metadata(language="en"), (pdf_page(1, lines),)))
    assert [line.text for line in doc.clean_pages[0].lines] == [
        lead.replace("129", ""),
        first.replace("1923130", "1923"),
    ]
    assert [(n.marker, n.text, n.line) for n in doc.footnotes] == [
        ("129", "Ordinance No. 4 of 1911.", 0),
        ("130", "The Act of 1923.", 1),
    ]


def test_small_digits_after_a_number_are_an_exponent_when_a_word_carries_the_note() -> None:
    second = "The crisis began in 2019.2 Its cost was 102 dollars a head, as the tables show."
    lines = [
        body_line(second, 100, superscripts=((25, 26), (42, 43))),
        body_line("2 See the annual report, 2020.", 700, size=8),
    ]
    doc = clean.clean_document(Document(None, "pdf", Metadata(language="en"), (pdf_page(1, lines),)))
    assert [line.text for line in doc.clean_pages[0].lines] == [second.replace(".2 ", ". ")]
    assert [(n.marker, n.text, n.line) for n in doc.footnotes] == [("2", "See the annual report, 2020.", 0)]


def test_a_number_before_small_digits_without_their_note_keeps_them() -> None:
    # no note 15 at the foot: 2 to the 15th stays as extracted, the small print stays text
    lines = [
        body_line("The magnitude is coded in 215 steps, as the table shows.", 100, superscripts=((27, 29),)),
        body_line("14 Source: the standard.", 700, size=8),
    ]
    doc = clean.clean_document(Document(None, "pdf", Metadata(language="en"), (pdf_page(1, lines),)))
    assert [line.text for line in doc.clean_pages[0].lines][0] == lines[0].text
    assert doc.footnotes == ()


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_markers_after_years_in_a_generated_pdf(tmp_path: Path, engine: str) -> None:
    if engine == "pdfium":
        pytest.importorskip("pypdfium2")
    doc = open_document(glued_markers_report(tmp_path / "notes.pdf"), engine=engine, cache=False)
    body = doc.text()
    assert "Official Secrets Act 1923 (the Act)" in body
    assert "Rules 2015 made under it" in body
    assert "1923130" not in body and "2015131" not in body
    assert "covers 102 square" in body  # an exponent without a note stays as extracted
    first, second = doc.sections[0], doc.sections[1]
    assert [(n.marker, n.pdf_page) for n in first.notes] == [("130", 1), ("131", 1), ("132", 1)]
    assert (
        first.notes[0].text == "The Act was passed under the colonial administration and is still in force."
    )
    assert [n.marker for n in second.notes] == ["133"]
    assert "The Data Protection Act of 2022 followed" in second.text


# --- paragraphs -----------------------------------------------------------------------------------


def test_paragraphs_from_positions() -> None:
    lines = [
        body_line("INTRODUCTION", 80, size=14, bold=True),
        body_line("The first paragraph begins here and runs on to the right margin of", 110),
        body_line("the page, and then ends.", 124),
        body_line("A second paragraph after a blank space, which runs to the margin of", 150),
        body_line("the page as well, without any break.", 164),
        body_line("An indented third paragraph that runs to the right margin of the", 178, x0=90),
        body_line("page.", 192),
    ]
    assert text_paragraphs.paragraphs(lines) == [
        "INTRODUCTION",
        "The first paragraph begins here and runs on to the right margin of the page, and then ends.",
        "A second paragraph after a blank space, which runs to the margin of the page as well, "
        "without any break.",
        "An indented third paragraph that runs to the right margin of the page.",
    ]


def test_a_short_line_inside_a_sentence_does_not_end_the_paragraph() -> None:
    # a two-column paper where "It" was set alone on its line: the sentence runs on
    lines = [
        body_line("Passage retrieval has been an important component for the", 110),
        body_line("task of open domain question answering by now (Voorhees, 1999).", 124),
        body_line("It", 138),
        body_line("not only effectively reduces the search space for answers, and", 152),
        body_line("it helps the reader.", 166),
        body_line("Short item", 194),
        body_line("Another item", 208),
    ]
    assert text_paragraphs.paragraphs(lines)[:2] == [
        "Passage retrieval has been an important component for the task of open domain question answering "
        "by now (Voorhees, 1999). It not only effectively reduces the search space for answers, "
        "and it helps the reader.",
        "Short item",
    ]


def test_paragraphs_from_text_lines() -> None:
    width = "x" * 70
    lines = [Line(t) for t in ["INTRODUCTION", f"{width} and", "the end.", f"{width} again", "and more."]]
    expected = ["INTRODUCTION", f"{width} and the end.", f"{width} again and more."]
    assert text_paragraphs.paragraphs(lines) == expected


def test_blank_lines_of_a_text_input_part_paragraphs_whatever_the_line_lengths() -> None:
    width = "x" * 70
    lines = [Line(f"{width} one."), Line(f"{width} two."), Line(f"{width} three.", after_blank=True)]
    assert text_paragraphs.paragraphs(lines) == [f"{width} one. {width} two.", f"{width} three."]
    # a blank line under a running header does not cut a paragraph that runs over the page break
    pages = [[Line(f"{width} runs on to"), Line("the next")], [Line("page and ends.", after_blank=True)]]
    expected = [f"{width} runs on to the next page and ends."]
    assert [p.text for p in text_paragraphs.page_paragraphs(pages)] == expected


def test_a_paragraph_running_over_a_page_break_is_joined() -> None:
    one = [body_line("A paragraph that runs to the right margin of the page and goes", 700)]
    two = [body_line("on after the page break.", 80), body_line("Next.", 110, size=14, bold=True)]
    paras = text_paragraphs.page_paragraphs([pdf_page(1, one), pdf_page(2, two)])
    assert [(p.page, p.text, p.heading) for p in paras] == [
        (1, "A paragraph that runs to the right margin of the page and goes on after the page break.", False),
        (2, "Next.", True),
    ]
    assert text_paragraphs.document_paragraphs([one, two])[0].endswith("after the page break.")


def test_contents_lines_are_not_reflowed() -> None:
    lines = [
        body_line("Contents", 60, size=14, bold=True),
        body_line("Introduction ........................................ 1", 90),
        body_line("The return under Putin: from the closure of Lourdes to the", 104),
        body_line("naval deployment ..................................... 2", 118),
        body_line("Conclusion .......................................... 10", 132),
    ]
    assert text_paragraphs.paragraphs(lines) == [
        "Contents",
        "Introduction ........................................ 1",
        "The return under Putin: from the closure of Lourdes to the naval deployment "
        "..................................... 2",
        "Conclusion .......................................... 10",
    ]


# --- the sample paper -----------------------------------------------------------------------------


def _reference() -> tuple[list[str], list[str]]:
    """Body words and footnote words of the reference text, without the contents listing."""
    body: list[str] = []
    notes: list[str] = []
    in_notes = False
    for line in (SAMPLES / "sample.clean.txt").read_text(encoding="utf-8").splitlines():
        if line == "---":
            in_notes = True
            continue
        if in_notes and re.match(r"\d+\. ", line):
            notes.extend(line.split())
            continue
        in_notes = False
        if line == "Contents" or re.search(r"\t\d+$", line):
            continue  # the contents listing: a contents parser reads it, not this comparison
        body.extend(line.split())
    return body, notes


def _matching(ours: list[str], reference: list[str]) -> int:
    matcher = difflib.SequenceMatcher(None, ours, reference, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())


@pytest.mark.skipif(not (SAMPLES / "sample.clean.txt").exists(), reason="no sample paper")
def test_sample_text_is_repaired_to_its_source() -> None:
    """The bad extraction of the sample comes back to the reference text, word for word.

    Compared: the words of the cleaned body (paragraphs, without the contents
    listing) and of the footnotes (``N. text``), each in order, against the
    reference; matched words over the longer of the two word lists must be >= 99%
    (so that extra words count against us as much as missing ones).
    """
    doc = clean.clean_document(ingest.load(SAMPLES / "sample.txt"))
    paragraphs = text_paragraphs.document_paragraphs(doc.clean_pages)
    paragraphs = [p for p in paragraphs if not text_paragraphs.has_leader(p)]
    ours_body = " ".join(paragraphs).split()
    ours_notes = " ".join(f"{n.marker}. {n.text}" for n in doc.footnotes).split()
    ref_body, ref_notes = _reference()
    matched = _matching(ours_body, ref_body) + _matching(ours_notes, ref_notes)
    share = matched / max(len(ours_body) + len(ours_notes), len(ref_body) + len(ref_notes))
    assert len(doc.footnotes) == 18
    assert share >= 0.99, f"{share:.4f} of the reference words matched"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_wordfreq_lists_are_read_as_wordfreq_reads_them(lang: str) -> None:
    """The spacing repair reads wordfreq's data file directly (its import is slow): if a wordfreq
    release moves or changes the file, this fails, rather than the repair quietly changing."""
    wordfreq = pytest.importorskip("wordfreq")
    direct = vocabulary.read_data_file(lang)
    assert direct is not None, f"wordfreq's data file for {lang!r} is not where ifri reads it"
    public = wordfreq.get_frequency_list(lang, wordlist="best")
    assert direct[:300] == [list(b) for b in public[:300]]


def test_a_list_item_runs_on_into_its_hanging_indent() -> None:
    """A list item's second line is indented under its text, not under the bullet: that is a
    hanging indent, not a first-line indent, when the sentence runs on into it."""
    body = "This paragraph of running text is long enough to set the usual line width of the page."

    def line(text: str, x0: float, top: float) -> Line:
        return Line(text, 10.0, x0=x0, top=top, x1=x0 + 4.5 * len(text), bottom=top + 10)

    lines = [
        line(body, 72, 100),
        line("The list that follows is short.", 72, 112),
        line("• Section 5(1)(b) - territorial integrity and prejudice to the country’s", 72, 124),
        line("relation to international agreements", 84, 136),
        line("• Section 5(1)(c) - serious prejudice to the economy of the country", 72, 148),
        line("Indented: a new paragraph starts here after a full stop.", 84, 160),
    ]
    assert text_paragraphs.paragraphs(lines)[1:] == [
        "• Section 5(1)(b) - territorial integrity and prejudice to the country’s relation to "
        "international agreements",
        "• Section 5(1)(c) - serious prejudice to the economy of the country",
        "Indented: a new paragraph starts here after a full stop.",
    ]
