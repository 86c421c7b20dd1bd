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
