"""Document strings made safe to print: the one place where what a file says cannot drive a terminal.

A PDF or a text file is written by whoever made it. Its text, titles, bookmarks, metadata and
page labels may hold terminal escape sequences (``ESC[2J`` clears the screen, ``ESC]0;...BEL``
sets the window title), other control characters and bidirectional overrides. ``ingest`` passes
every such string through ``safe`` where it enters the model (and the file name shown back), so
no renderer has to remember, and every output (terminal, pipe, ``--json``, Markdown, ``split``
files, stderr) is free of them:

* C0 controls and DEL become their Unicode control pictures (ESC shows as ``␛``, BEL as ``␇``):
  the sequence stays readable (``␛[2J``) and cannot act. A tab stays a tab; a line or page break
  inside one line (CR, LF, VT, FF, the information separators) becomes a space.
* C1 controls (U+0080-U+009F) are what Windows-1252 text read as Latin-1 leaves in place of its
  quotes, dashes and ellipsis: they become those characters (as ftfy does); the five codes
  Windows-1252 leaves undefined, U+FFFD.
* Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) are removed.
  They change how the characters around them are shown, never what they are, and one left open
  reorders whatever follows on the line: the rest of a title, the page number printed after it.
  Removing them holds however a string is cut later (a search snippet, a sentence). The marks
  (LRM, RLM, ALM), which reach no further than their neighbours, stay.
* Lone surrogates (an undecodable byte in a file name) become U+FFFD: they cannot be written.

Pure functions on strings and model objects; a string with nothing to neutralise is returned as
it is (the same object), so the common case costs one regular-expression scan.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from ifri_cli.model import Line, OutlineItem, Page

REPLACEMENT = "\ufffd"

# what a line may not hold: C0 but tab, DEL, C1, bidi embeddings/overrides/isolates, surrogates
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _c1(code: int) -> str:
    try:
        return bytes([code]).decode("cp1252")
    except UnicodeDecodeError:
        return REPLACEMENT


@cache
def _table() -> dict[int, str | None]:
    """What each unsafe character becomes (built the first time one is met)."""
    table: dict[int, str | None] = {
        **{code: chr(0x2400 + code) for code in range(0x20)},  # ␀ ... ␟
        **{code: " " for code in (0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F)},
        0x7F: "\u2421",  # ␡
        **{code: _c1(code) for code in range(0x80, 0xA0)},
        **{code: None for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
        **{code: REPLACEMENT for code in range(0xD800, 0xE000)},
    }
    del table[0x09]
    return table


def safe(text: str) -> str:
    """``text`` with nothing left that drives a terminal or reorders what follows (see the module)."""
    if _UNSAFE.search(text) is None:
        return text
    return text.translate(_table())


def is_safe(text: str) -> bool:
    return _UNSAFE.search(text) is None


def safe_or_none(text: str | None) -> str | None:
    return None if text is None else safe(text)


def safe_line(line: Line) -> Line:
    text = safe(line.text)
    if text is line.text:
        return line
    # a control picture is one character for one: superscript offsets still point at the same text;
    # a removed bidi character shifts them, and those few lines lose their superscript marks
    same_length = len(text) == len(line.text)
    return replace(line, text=text, superscripts=line.superscripts if same_length else ())


def safe_page(page: Page) -> Page:
    """The page with every line and its label made safe; the same object when nothing changes."""
    lines = tuple(safe_line(line) for line in page.lines)
    label = safe_or_none(page.label)
    if label is page.label and all(a is b for a, b in zip(lines, page.lines, strict=True)):
        return page
    return replace(page, lines=lines, label=label)


def safe_outline(items: tuple[OutlineItem, ...]) -> tuple[OutlineItem, ...]:
    out = []
    for item in items:
        title = " ".join(safe(item.title).split())
        if title:
            out.append(item if title == item.title else replace(item, title=title))
    return tuple(out)
