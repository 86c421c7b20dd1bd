"""The marks of a printed report, each defined once: dotted leaders, page-number lines, roman
numerals and caption words.

Every stage that needs one of these notions takes it from here, so that the contents parser,
the heading finder, the furniture remover and the summariser agree on what a leader or a page
number is. Where a stage must be stricter (a leader inside running prose), the strict form is
defined here too, beside the lenient one, with the reason.
"""

from __future__ import annotations

import re

# --- dotted leaders ----------------------------------------------------------------------------

# between a contents entry's title and its page number: dots or middle dots (spaced or not), an
# ellipsis, or underscores. Lenient: on a contents page three dots are a leader.
LEADER = r"(?:[ \t]*[.·•∙⋅]){3,}|…+|_{3,}"
# in running text "..." ends many sentences: there a leader takes four dots, or two ellipses
STRICT_LEADER = r"(?:[.·•∙⋅][ \t]*){4,}|…{2,}|_{4,}"
LEADER_SEARCH = re.compile(LEADER)
_STRICT = re.compile(STRICT_LEADER)
# a line that ends like a listing's: a page number (or a short label) after a leader, or a number
LISTING_LINE = re.compile(rf"(?:{LEADER})\s*\S{{1,6}}\s*$|\s\d{{1,4}}\s*$")


def has_leader(text: str) -> bool:
    """Whether a line of running text holds a dotted leader, as contents lines do."""
    if not ("..." in text or ". ." in text or "…" in text or "__" in text or "·" in text or "•" in text):
        return False  # (most lines: at once)
    return _STRICT.search(text) is not None


# --- list items ----------------------------------------------------------------------------------

# the mark a list item starts with: a bullet or dash, or a number or letter with its stop
# ("3.", "(b)", "iv)"); lines wrapped under the item's text are indented past the mark
LIST_ITEM = re.compile(r"\s*(?:[•▪◦●○■□➢►✓*–—-]|\(?(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,5})[.)])\s")


# --- captions ------------------------------------------------------------------------------------

# what labels a figure, a table or a box, in the languages reports come in
FIGURE_WORDS = (
    r"figure|fig\.|figura|abbildung|table|tableau|tabla|tabelle|tabella|cuadro|chart|graph|graphique"
    r"|gr[aá]fico|diagram|sch[ée]ma|exhibit|box|encadr[ée]|illustration|ilustraci[oó]n|plate|map|carte"
    r"|photo|image|panel|listing|algorithm|equation"
)
# what labels the lines under them: "Source: ...", "Note: ...", "Lecture : ..." (how to read a chart)
NOTE_WORDS = r"sources?|notes?|lecture"
# the same words as they look once folded to plain letters (``fold_letters``: no dots, no accents)
FOLDED_FIGURE_WORDS = re.sub(
    r"\[(\w+)\]", lambda m: next(c for c in m.group(1) if c.isascii()), FIGURE_WORDS
).replace("\\.", "")

# --- page numbers --------------------------------------------------------------------------------

# a line that is only a page number: "12", "- 13 -", "Page 14", "p. 15", "xiv", "3 of 20", "3 sur 20"
PAGE_NUMBER_LINE = re.compile(
    r"^(?:[-–—]\s*)?(?:page\s+|p\.\s*)?(\d{1,4}|[ivxlc]{1,7})(?:\s*[-–—])?(?:\s*(?:/|of|sur|de)\s*\d+)?$",
    re.I,
)

# --- roman numerals ------------------------------------------------------------------------------

ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.I)
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_NUMERALS = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def roman_value(text: str) -> int | None:
    """``xiv`` -> 14 (either case); None for what is not a well-formed roman numeral."""
    if not text or not ROMAN.match(text):
        return None
    text = text.lower()
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN_VALUES[ch]
        total += -value if i + 1 < len(text) and _ROMAN_VALUES[text[i + 1]] > value else value
    return total


def to_roman(value: int) -> str:
    """14 -> ``xiv`` (lower case, as front matter is numbered)."""
    out = []
    for number, numeral in _NUMERALS:
        while value >= number:
            out.append(numeral)
            value -= number
    return "".join(out)


def page_value(label: str | None) -> int | None:
    """The number a printed page label stands for: ``12`` -> 12, ``xiv`` -> 14."""
    label = (label or "").strip().lower()
    return int(label) if label.isdigit() else roman_value(label)
