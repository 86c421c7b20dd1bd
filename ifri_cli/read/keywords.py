"""Key terms of a document or section (YAKE, offline), without near-repeats or layout words.
"""

from __future__ import annotations

from collections import Counter

from ifri_cli.model import Document, Section
from ifri_cli.read.summary import candidates
from ifri_cli.read.units import units

# words YAKE ranks high in reports that are not what they are about: layout, forms, adverbs
_NOT_KEYWORDS = frozenset(
    "figure fig table section chapter appendix annex page line lines enter see pub form note notes "
    "example part alors maintenant donc ainsi ensuite enfin aussi cependant voir tableau".split()
)


def keywords(doc: Document, count: int = 10, section: Section | None = None) -> list[str]:
    """The key terms of the body, by YAKE (statistical, offline), without near-repeats."""
    import yake

    body = "\n".join(c.text for c in candidates(units(doc, section)))
    if not body.strip():
        return []
    language = "fr" if _looks_french(body) else "en"
    extractor = yake.KeywordExtractor(lan=language, n=3, top=count * 5, dedupLim=0.7)
    out: list[str] = []
    for kw, _ in extractor.extract_keywords(body):
        kw = kw.strip("\"'“”‘’«»()[]{}.,;:!? ")
        words = set(kw.lower().split())
        if not words or words <= _NOT_KEYWORDS or any(kw.lower() in other.lower() for other in out):
            continue
        # "capital tax" says more than "capital": the phrase takes the word's place
        inside = [i for i, other in enumerate(out) if other.lower() in kw.lower()]
        # "HCV RNA testing" after "HCV RNA NAT": two of three words again say nothing new
        if any(_near_repeat(words, set(o.lower().split())) for i, o in enumerate(out) if i not in inside):
            continue
        if inside:
            out[inside[0]] = kw
            out = [w for i, w in enumerate(out) if i not in inside[1:]]
        else:
            out.append(kw)
    return out[:count]


def _near_repeat(a: set[str], b: set[str]) -> bool:
    shared = len(a & b)
    return shared >= 2 and shared >= 2 / 3 * min(len(a), len(b))


def _looks_french(text: str) -> bool:
    words = Counter(w.lower() for w in text.split()[:5000])
    fr = sum(words[w] for w in ("le", "la", "les", "des", "est", "une", "dans", "pour"))
    en = sum(words[w] for w in ("the", "of", "and", "is", "to", "in", "for", "that"))
    return fr > en
