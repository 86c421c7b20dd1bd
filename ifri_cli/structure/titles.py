"""Titles of entries: their numbers ("3.2", "Chapter 3", "Annex B") and a clean form.
"""

from __future__ import annotations

import re
import unicodedata

from ifri_cli.text.fold import fold
from ifri_cli.text.patterns import LEADER

# "3", "3.2", "3.2.1.", "IV.", "B.", "B)", "Chapter 3", "Part II", "Appendix A", "Annexe 2"
NUMBER = re.compile(
    r"^(?P<num>(?:(?:chapter|chapitre|part|partie|section|annex|appendix|annexe|cap[ií]tulo|kapitel)\s+"
    r"(?:\d{1,3}|[IVXLC]{1,6}|[A-Z])\b[.:]?)"
    r"|\d{1,2}(?:\.\d{1,2}){0,4}\.?"
    r"|[A-Z](?:\.\d{1,2}){1,4}\.?"
    r"|[IVXLC]{1,6}\."
    r"|[A-H][.)])"
    r"\s+(?P<title>\S.*)$",
    re.I,
)


_NUMBER_ONLY = re.compile(
    r"^(?:(?:chapter|chapitre|part|partie|section|annex|appendix|annexe|cap[ií]tulo|kapitel)\s+"
    r"(?:\d{1,3}|[IVXLC]{1,6}|[A-Z])[.:]?|\d{1,2}(?:\.\d{1,2}){0,4}\.?)$",
    re.I,
)


def split_number(title: str) -> tuple[str | None, str]:
    """``"3.2 The main fields"`` -> ``("3.2", "The main fields")``."""
    match = NUMBER.match(title.strip())
    if not match:
        return None, title.strip()
    number = re.sub(r"\s+", " ", match.group("num")).strip().rstrip(".:)")
    return number, match.group("title").strip()


def number_depth(number: str | None) -> int | None:
    """1 for ``3``, ``IV`` or ``Chapter 3``, 2 for ``3.2`` or ``B.1``; ``None`` for a lone letter.

    A lone letter (``A.``) sits under roman numerals in one paper and is an appendix in
    another: its depth is left to the heading's style.
    """
    if not number:
        return None
    if re.match(r"^(?:\d+|[A-Z])(?:\.\d+)*$", number) and (number[0].isdigit() or "." in number):
        return number.count(".") + 1
    if re.match(r"^[IVXLC]+$", number) or " " in number:
        return 1
    return None


_LEADERS = re.compile(rf"\s*(?:{LEADER}|\t)\s*(?:\d{{1,4}}|[ivxlc]{{1,7}})?\s*$", re.I)


def clean_title(title: str) -> str:
    """No leaders, no trailing page number, single spaces, no dangling punctuation."""
    title = unicodedata.normalize("NFC", title).replace("\u00a0", " ")
    title = _LEADERS.sub("", title)
    title = re.sub(
        r"(\w)- (\w)", lambda m: m.group(1) + m.group(2) if m.group(2).islower() else m.group(0), title
    )
    title = re.sub(r"\s+", " ", title).strip()
    return title.rstrip(" :;,").strip()


# --- kinds of sections ------------------------------------------------------------------------

# a line that heads the references (in running text too, where a lone "Sources" labels a figure's)
_REFERENCES = (
    r"references?(?: bibliographiques| cited)?|bibliograph\w*|works cited|literature cited|literatur\w*"
    r"|referencias|bibliografia"
)
_REFERENCES_LINE = re.compile(rf"^(?:{_REFERENCES})$")
# what a section is, by its title (folded): checked in this order
_KINDS = (
    ("notes", re.compile(r"^(?:end ?notes|notes|footnotes|notes de fin)$")),
    ("references", re.compile(rf"^(?:{_REFERENCES}|literature|sources|further reading)$")),
    ("annex", re.compile(r"^(?:annex|annexe|annexes|appendix|appendices|anexo|anexos|anhang)\b")),
    (
        "front",
        re.compile(
            r"^(?:abstract|summary|executive summary|resume|foreword|preface|acknowledge?ments?|remerciements"
            r"|table of contents|contents|sommaire|list of (?:figures|tables|abbreviations|acronyms)"
            r"|abbreviations|acronyms)$"
        ),
    ),
)


def kind_of(title: str) -> str:
    """``references``, ``notes``, ``annex``, ``front`` (abstract, foreword, contents...) or ``section``."""
    folded = fold(title)
    for kind, pattern in _KINDS:
        if pattern.search(folded):
            return kind
    return "section"


_WORDS_ONLY = re.compile(r"[^\W\d_]+(?:[ '’-][^\W\d_]+)*")


def is_references_heading(text: str) -> bool:
    """A line heading the references: "References", "7. Bibliography", "Références bibliographiques:";
    not the end of a reference that wrapped ("Bibliography].")."""
    bare = re.sub(r"[\s:.]+$", "", split_number(text)[1]).strip()
    return bool(_WORDS_ONLY.fullmatch(bare)) and bool(_REFERENCES_LINE.match(fold(bare)))
