"""Folded forms of text for comparing, never for display: accents, case and punctuation dropped.

One notion, in the forms the stages need: ``strip_accents`` keeps everything else (search
matches against it and maps offsets back); ``fold`` gives words (``"Table des matières"`` ->
``"table des matieres"``); ``fold_compact`` drops the spaces too, to compare titles whatever
their spacing; ``fold_letters`` keeps letters of any script and nothing else, for headings
extracted letter-spaced or with their accent apart (``C O N T E N T S``, ``´Indice``, ``Содержание``).
"""

from __future__ import annotations

import re
import unicodedata


def strip_accents(text: str) -> str:
    """``é`` -> ``e``, ``ﬁ`` -> ``fi`` (compatibility decomposition); case and punctuation kept."""
    if text.isascii():
        return text
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation to spaces: ``"Chávez, 2019"`` -> ``"chavez 2019"``."""
    return re.sub(r"[^0-9a-z]+", " ", strip_accents(text.lower())).strip()


def fold_compact(text: str) -> str:
    """``fold`` without the spaces: ``"Data Sets"`` and ``"datasets"`` compare equal."""
    return fold(text).replace(" ", "")


_NOT_LETTER = re.compile(r"[\W\d_]+")  # combining accents are not word characters either
_ASCII_NOT_LETTER = bytes(b for b in range(128) if not chr(b).isalpha())


def fold_letters(text: str) -> str:
    """Letters only, of any script, lower case, accents and spaces dropped."""
    if text.isascii():  # most rows: the same, without Unicode tables (every row of a long file is folded)
        return text.lower().encode().translate(None, _ASCII_NOT_LETTER).decode()
    return _NOT_LETTER.sub("", unicodedata.normalize("NFKD", text.lower()))
