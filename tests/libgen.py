"""A small collection of reports for the library tests: PDFs on distinct subjects, a text file
with accents, and three files that cannot be read (encrypted, broken, a scan)."""

from __future__ import annotations

from pathlib import Path

from pdfgen import LOREM, PageSpec, Para, Spec, make_pdf

REPORTS = {
    "glaciers.pdf": (
        "Glaciers of the Andes",
        "Maria Lopez",
        "June 2018",
        [
            (
                "Retreat of the glaciers",
                "Measuring ice loss",
                "The glaciers of the Andes lose ice every summer, and meltwater swells the rivers.",
                "Satellite altimetry measures the thinning of each tongue of ice from one year to the next.",
            ),
            (
                "Water supply",
                "Cities downstream",
                "Drinking water comes from the mountains, and its supply is less certain every decade.",
                "Cities such as Lima depend on meltwater during the dry season, when the rivers "
                "would otherwise run low and the reservoirs empty.",
            ),
        ],
    ),
    "tariffs.pdf": (
        "Tariffs and Trade Wars",
        "John Smith",
        "March 2021",
        [
            (
                "Steel tariffs",
                "Retaliation by partners",
                "The steel tariffs of 2018 raised prices for the manufacturers who buy steel.",
                "Partners answered the tariffs with duties on bourbon, motorcycles and orange juice.",
            ),
            (
                "Conclusion",
                "Lessons for negotiators",
                "Trade wars rarely end with a winner.",
                "Negotiators should keep the dispute settlement system working while tariffs are in place.",
            ),
        ],
    ),
    "vaccines.pdf": (
        "Vaccination in Rural Areas",
        "Ana Pereira and John Doe",
        "2015",
        [
            (
                "Cold chain logistics",
                "Solar refrigerators",
                "Keeping vaccines cold from the factory to the village is the hardest part of a campaign.",
                "Solar refrigerators serve clinics without a grid connection, and motorcycles carry "
                "the cool boxes to remote villages.",
            ),
            (
                "Conclusion",
                "Next steps",
                "Community health workers are the backbone of every vaccination campaign.",
                "The next campaign will train more of them in the rural districts studied here.",
            ),
        ],
    ),
}

NOTE = """Notes on snow clearing
Jean Tremblay
2020

Déneigement des pistes cyclables

The city clears the cycle paths after each snowfall so that people can ride their bikes to
work all winter; the déneigement budget doubled in two years.

Entretien en hiver

Salt and gravel are spread on the paths, and the maintenance crews check the drains.
"""


def report(path: Path, title: str, author: str, date: str, chapters: list[tuple[str, str, str, str]]) -> Path:
    """A report with a cover and two chapters of two pages each, with bookmarks."""
    pages = [PageSpec([Para(title, 20, "B"), Para(author), Para(date)])]
    for i, (head, sub, text, subtext) in enumerate(chapters, 1):
        pages.append(PageSpec([Para(f"{i} {head}", 14, "B", 1), text, LOREM], footer=str(2 * i - 1)))
        pages.append(PageSpec([Para(f"{i}.1 {sub}", 12, "B", 2), subtext], footer=str(2 * i)))
    return make_pdf(path, Spec(pages, title=title, author=author))


def collection(folder: Path, *, bad: bool = True) -> Path:
    """The good reports (in ``folder`` and a subfolder), and with ``bad`` the unreadable ones."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sub").mkdir(exist_ok=True)
    for name, (title, author, date, chapters) in REPORTS.items():
        target = folder / ("sub" if name == "vaccines.pdf" else "") / name
        report(target, title, author, date, chapters)
    (folder / "snow.txt").write_text(NOTE, encoding="utf-8")
    (folder / "ignored.docx").write_bytes(b"PK\x03\x04 not searched for")
    (folder / ".hidden.pdf").write_bytes(b"%PDF-1.4 never looked at")
    if bad:
        make_pdf(folder / "secret.pdf", Spec([PageSpec([LOREM])], password="s3cret"))
        (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00\x13garbage" * 200)
        make_pdf(folder / "scan.pdf", Spec([PageSpec(image_only=True), PageSpec(image_only=True)]))
    return folder
