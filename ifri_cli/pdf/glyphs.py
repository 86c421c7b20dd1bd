"""Characters for glyphs pdfminer cannot name: ``(cid:48)`` in a TeX math font is a prime.

TeX's math fonts (Computer Modern and Latin Modern, and the AMS fonts) are often embedded with
no ToUnicode map, and pdfminer then writes ``(cid:N)`` for each glyph. Their encodings are fixed
(OML, OMS, OMX, msbm), so the code says which character it is. A code of an unknown font becomes
U+FFFD, the replacement character: a mark that a glyph was there, not eight characters of noise.
"""

from __future__ import annotations

import functools
import re

_CID = re.compile(r"^\(cid:(\d+)\)$")


REPLACEMENT = "\ufffd"


def _table(*runs: tuple[int, str]) -> dict[int, str]:
    """Codes from runs of (first code, characters); a space in a run stands for "no character"."""
    out: dict[int, str] = {}
    for first, chars in runs:
        for i, ch in enumerate(chars):
            out[first + i] = "" if ch == " " else ch
    return out


_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


# OML: math italic (cmmi, lmmathitalic)
_OML = _table(
    (0, "ΓΔΘΛΞΠΣΥΦΨΩαβγδϵζηθικλμνξπρστυϕχψωεϑϖϱςφ↼↽⇀⇁  ▷◁"),
    (48, "0123456789.,</>⋆∂"),
    (65, _ALPHABET + "♭♮♯⌣⌢ℓ" + _ALPHABET.lower() + "ıȷ℘  "),
)


# OMS: math symbols (cmsy, lmmathsymbols); the calligraphic capitals read as plain ones
_OMS = _table(
    (0, "−⋅×∗÷⋄±∓⊕⊖⊗⊘⊙◯∘•≍≡⊆⊇≤≥⪯⪰∼≈⊂⊃≪≫≺≻"),
    (32, "←→↑↓↔↗↘≃⇐⇒⇑⇓⇔↖↙∝′∞∈∋△▽̸ ∀∃¬∅ℜℑ⊤⊥ℵ"),
    (65, _ALPHABET + "∪∩⊎∧∨⊢⊣⌊⌋⌈⌉{}⟨⟩|‖↕⇕\\≀√⨿∇∫⊔⊓⊑⊒§†‡¶♣♦♥♠"),
)


# OMX: big delimiters and operators (cmex, lmmathextension); the pieces of tall ones read as nothing
_OMX = _table(
    (0, "()[]⌊⌋⌈⌉{}⟨⟩|‖/\\()()[]⌊⌋⌈⌉{}⟨⟩/\\()[]⌊⌋⌈⌉{}⟨⟩/\\/\\"),
    (48, "                      ⟨⟩"),
    (70, "⨆⨆∮∮⨀⨀⨁⨁⨂⨂∑∏∫⋃⋂⨄⋀⋁∑∏∫⋃⋂⨄⋀⋁∐∐      []⌊⌋⌈⌉{}√√√√√           "),
)


# msbm: blackboard bold capitals
_MSBM = _table((65, "𝔸𝔹ℂ𝔻𝔼𝔽𝔾ℍ𝕀𝕁𝕂𝕃𝕄ℕ𝕆ℙℚℝ𝕊𝕋𝕌𝕍𝕎𝕏𝕐ℤ"))


_FONTS = (
    (re.compile(r"^(?:cmmi|cmmib|lmmathitalic|eurm)", re.I), _OML),
    (re.compile(r"^(?:cmsy|cmbsy|lmmathsymbols|eusm)", re.I), _OMS),
    (re.compile(r"^(?:cmex|lmmathextension)", re.I), _OMX),
    (re.compile(r"^msbm", re.I), _MSBM),
)


@functools.lru_cache(maxsize=4096)
def unmapped(fontname: str, text: str) -> str:
    """The character for pdfminer's ``(cid:N)`` in ``fontname``; other text comes back as it is."""
    match = _CID.match(text)
    if match is None:
        return text
    base = fontname.rsplit("+", 1)[-1]
    for pattern, table in _FONTS:
        if pattern.match(base):
            return table.get(int(match.group(1)), REPLACEMENT)
    return REPLACEMENT
