"""Characters: ligatures, odd and invisible spaces, soft hyphens and accents extracted apart.
"""

from __future__ import annotations

import re
import unicodedata

_ODD_SPACES = [0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]


_INVISIBLE = [0x00AD, 0x200B, 0x2060, 0xFEFF]


_CHAR_TABLE = str.maketrans(
    {
        **{chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)},  # ligatures
        **{chr(c): " " for c in _ODD_SPACES},
        **{chr(c): None for c in _INVISIBLE},
    }
)


_NEEDS_TRANSLATE = re.compile("[\ufb00-\ufb06\u00ad\u200b\u2060\ufeff" + "".join(map(chr, _ODD_SPACES)) + "]")


# accents that LaTeX and some producers draw as separate glyphs, extracted as spacing characters
_SPACING_ACCENTS = {
    "\u00b4": "\u0301",  # acute
    "\u0060": "\u0300",  # grave (only between letters: a backtick is also code)
    "\u00a8": "\u0308",  # diaeresis
    "\u02c6": "\u0302",  # circumflex
    "\u02dc": "\u0303",  # tilde
    "\u00b8": "\u0327",  # cedilla
    "\u02c7": "\u030c",  # caron
    "\u02d8": "\u0306",  # breve
    "\u02da": "\u030a",  # ring
    "\u02d9": "\u0307",  # dot above
    "\u00af": "\u0304",  # macron
    "\u02dd": "\u030b",  # double acute
    "\u02db": "\u0328",  # ogonek
}


_BELOW = {"\u00b8", "\u02db"}  # drawn under the letter, always extracted after it


_ACCENT_CHARS = re.compile("[" + "".join(_SPACING_ACCENTS) + "]")


def _compose(base: str, accent: str) -> str | None:
    composed = unicodedata.normalize("NFC", base + _SPACING_ACCENTS[accent])
    return composed if len(composed) == 1 else None


def accent_votes(text: str) -> tuple[int, int]:
    """(after the letter, before the letter): where this text puts unambiguous spacing accents.

    ``Ageˆncia`` can only mean ``Agência`` (the accent follows its letter), ``clich´es``
    only ``clichés`` (it precedes it). A document is consistent, so the count decides
    ambiguous cases like ``a˜o``.
    """
    after = before = 0
    for match in _ACCENT_CHARS.finditer(text):
        i, accent = match.start(), match.group()
        if accent in _BELOW or i == 0 or i + 1 >= len(text):
            continue
        prev, nxt = text[i - 1], text[i + 1]
        if not (prev.isalpha() and nxt.isalpha()):
            continue
        on_prev, on_next = _compose(prev, accent), _compose(nxt, accent)
        if on_prev and not on_next:
            after += 1
        elif on_next and not on_prev:
            before += 1
    return after, before


def _fix_accents(text: str, accents_follow: bool) -> str:
    out: list[str] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        i += 1
        if ch not in _SPACING_ACCENTS:
            out.append(ch)
            continue
        prev = out[-1] if out and out[-1].isalpha() else None
        nxt = text[i] if i < n and text[i].isalpha() else None
        if ch == "`" and not (prev and nxt):
            out.append(ch)
            continue
        on_prev = _compose(prev, ch) if prev else None
        on_next = _compose(nxt, ch) if nxt else None
        if on_prev and (not on_next or ch in _BELOW or accents_follow):
            out[-1] = on_prev
        elif on_next:
            # ``B ¨unning``: the accent glyph sat in a gap the extractor read as a space
            if (
                len(out) >= 2
                and out[-1] == " "
                and out[-2].isupper()
                and (len(out) == 2 or not out[-3].isalpha())
            ):
                out.pop()
            out.append(on_next)
            i += 1  # the letter it sits on is done
        else:
            out.append(ch)
    return "".join(out)


def fix_characters(text: str, accents_follow: bool = False) -> str:
    """Ligatures, odd and invisible spaces, soft hyphens, separated accents; NFC."""
    if text.isascii():
        return _fix_accents(text, accents_follow) if "`" in text else text
    if _NEEDS_TRANSLATE.search(text):
        # a soft hyphen ending a line marks where a word was broken: joining lines needs it
        soft_end = text.rstrip().endswith("\u00ad")
        text = text.translate(_CHAR_TABLE) + ("\u00ad" if soft_end else "")
    if _ACCENT_CHARS.search(text):
        text = _fix_accents(text, accents_follow)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text
