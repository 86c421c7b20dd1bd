"""Folded forms of text for comparing, never for display: case, accents and punctuation dropped.
"""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation to spaces."""
    if not text.isascii():  # (most lines: nothing to decompose)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", " ", text.lower()).strip()


_NOT_LETTER = re.compile(r"[\W\d_]+")  # combining accents are not word characters either


def _fold_key(text: str) -> str:
    """Letters only, accents and spaces dropped: ``C O N T E N T S`` and ``´Indice`` fold cleanly."""
    if text.isascii():  # most rows: the same, without Unicode tables (every row of a long file is folded)
        return text.lower().encode().translate(None, _ASCII_NOT_LETTER).decode()
    return _NOT_LETTER.sub("", unicodedata.normalize("NFKD", text.lower()))


_ASCII_NOT_LETTER = bytes(b for b in range(128) if not chr(b).isalpha())
