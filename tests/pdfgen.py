"""Small PDFs made by the tests themselves (fpdf2, core fonts only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF


@dataclass
class Para:
    text: str
    size: float = 11
    style: str = ""  # "B", "I", "BI"
    outline: int | None = None  # outline level for a bookmark at this paragraph
    width: float = 170  # a narrow width wraps a heading over several lines
    bookmark: str | None = None  # the bookmark's title, when it differs from the text


@dataclass
class PageSpec:
    paras: Sequence[Para | str] = ()
    header: str | None = None
    footer: str | None = None
    label_style: str | None = None  # "D" arabic, "r" roman; starts a /PageLabels range
    label_start: int | None = None
    image_only: bool = False


@dataclass
class Spec:
    pages: Sequence[PageSpec]
    title: str | None = None
    author: str | None = None
    password: str | None = None
    owner_password: str = "owner"
    extra: dict[str, str] = field(default_factory=dict)


def make_pdf(path: Path, spec: Spec) -> Path:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(
        __import__("datetime").datetime(2021, 3, 1, tzinfo=__import__("datetime").timezone.utc)
    )
    if spec.title is not None:
        pdf.set_title(spec.title)
    if spec.author is not None:
        pdf.set_author(spec.author)
    for page in spec.pages:
        pdf.add_page()
        if page.label_style:
            pdf.set_page_label(label_style=page.label_style, label_start=page.label_start)
        if page.image_only:
            # a filled rectangle stands in for a scanned image: no text operators at all
            pdf.set_fill_color(120, 120, 120)
            pdf.rect(20, 20, 170, 250, style="F")
            continue
        if page.header:
            pdf.set_font("Helvetica", "", 8)
            pdf.set_xy(20, 10)
            pdf.cell(170, 5, page.header)
        pdf.set_xy(20, 25)
        for para in page.paras:
            if isinstance(para, str):
                para = Para(para)
            if para.outline is not None:
                pdf.start_section(para.bookmark or para.text, level=para.outline - 1)
            pdf.set_font("Helvetica", para.style, para.size)
            pdf.set_x(20)
            pdf.multi_cell(para.width, para.size * 0.5, para.text, align="L")
            pdf.ln(3)
        if page.footer:
            pdf.set_font("Helvetica", "", 9)
            pdf.set_xy(20, 280)
            pdf.cell(170, 5, page.footer, align="C")
    if spec.password is not None:
        pdf.set_encryption(owner_password=spec.owner_password, user_password=spec.password)
    pdf.output(str(path))
    return path


LOREM = (
    "The policy debate about regional security has shifted since the crisis began. "
    "Governments now weigh energy contracts against the risk of sanctions, and the "
    "analysts who follow these questions read long reports to understand them."
)


def simple_report(
    path: Path, *, outline: bool = True, labels: bool = False, printed_numbers: bool = False
) -> Path:
    """A five-page report: cover, two chapters with a subsection each."""
    o = (lambda level: level) if outline else (lambda level: None)
    pages = [
        PageSpec(
            [Para("Energy and Security in the Caribbean", 20, "B"), Para("Jane Analyst"), Para("March 2021")]
        ),
        PageSpec(
            [Para("1 Introduction", 14, "B", o(1)), LOREM, LOREM], footer="1" if printed_numbers else None
        ),
        PageSpec(
            [Para("1.1 Scope of the study", 12, "B", o(2)), LOREM], footer="2" if printed_numbers else None
        ),
        PageSpec(
            [Para("2 Oil and debt", 14, "B", o(1)), LOREM, LOREM], footer="3" if printed_numbers else None
        ),
        PageSpec(
            [Para("2.1 Rosneft in Venezuela", 12, "B", o(2)), LOREM], footer="4" if printed_numbers else None
        ),
    ]
    if labels:
        pages[0].label_style = "r"
        pages[1].label_style = "D"
        pages[1].label_start = 1
    return make_pdf(path, Spec(pages, title="Microsoft Word - report_final.docx"))


def _runs(pdf: FPDF, x: float, y: float, runs: Sequence[tuple[str, bool]], size: float = 11) -> None:
    """One line of text runs at baseline ``y`` (mm); a run marked True is a superscript: smaller and
    raised, as a word processor sets a footnote marker."""
    for text, sup in runs:
        pdf.set_font("Helvetica", "", size * 0.62 if sup else size)
        pdf.text(x, y - (size * 0.36 * 0.3528 if sup else 0), text)
        x += pdf.get_string_width(text)


def glued_markers_report(path: Path) -> Path:
    """Two sections whose footnote markers follow numbers (``Act 1923`` + superscript ``130``,
    extracted as ``1923130``), with their notes at the page foot, and an exponent (``10²``)."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(
        __import__("datetime").datetime(2021, 3, 1, tzinfo=__import__("datetime").timezone.utc)
    )
    body = [
        [
            [
                ("Information held by the state is protected by the Official Secrets Act 1923", False),
                ("130", True),
                (" (the Act),", False),
            ],
            [
                ("which has not been amended, and by the Rules 2015", False),
                ("131", True),
                (" made under it, and by other rules.", False),
            ],
            [
                ("The Right to Information Act was passed in 2016.", False),
                ("132", True),
                (" It gives a right to ask for records.", False),
            ],
        ],
        [
            [
                ("The Data Protection Act of 2022", False),
                ("133", True),
                (" followed six years later.", False),
            ],
            [
                ("Its registry covers 10", False),
                ("2", True),
                (" square kilometres of archives in the capital.", False),
            ],
        ],
    ]
    notes = [
        [
            "130 The Act was passed under the colonial administration and is still in force.",
            "131 Gazette Extraordinary No. 1904/46, published in the year 2015.",
            "132 See the Right to Information Act, No. 12 of 2016.",
        ],
        ["133 Personal Data Protection Act, No. 9 of 2022."],
    ]
    titles = ["1 Secrecy laws", "2 Data protection"]
    for title, lines, page_notes in zip(titles, body, notes, strict=True):
        pdf.add_page()
        pdf.start_section(title, level=0)
        pdf.set_font("Helvetica", "B", 14)
        pdf.text(20, 30, title)
        for k, runs in enumerate(lines):
            _runs(pdf, 20, 45 + 6 * k, runs)
        pdf.set_font("Helvetica", "", 8)
        for k, note in enumerate(page_notes):
            pdf.text(20, 265 + 5 * k, note)
    pdf.output(str(path))
    return path
