"""Extractive summaries: a few sentences of the body that carry its gist, with where they are.

The pipeline is three pure steps over a list of ``Unit`` (a stretch of body text under one
heading, with its page breaks): ``candidates`` splits the units into sentences and drops what
is never a summary sentence (fragments, captions, table rows, references, boilerplate);
``score`` ranks them (continuous LexRank centrality plus what helps on long reports: position
in the section and paragraph, the document's and sections' titles, cue phrases such as "this
paper shows", sentence length); ``select`` picks the best with maximal marginal relevance so no
two near-identical sentences are chosen, and returns them in document order.

``units`` is the adapter from a ``Document``: one unit per section of the tree when there is
one, else one unit for the whole body. The authors' own abstract or executive summary is found
by ``find_abstract`` and is never part of the units.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ifri_cli.errors import UsageError
from ifri_cli.model import Document, Section, SectionSummary, SummarySentence
from ifri_cli.read.body import _TERMINAL, Unit, _vocabulary
from ifri_cli.read.units import chapters, units
from ifri_cli.text import sentences as text_sentences
from ifri_cli.text.patterns import FIGURE_WORDS, NOTE_WORDS


@dataclass
class Candidate:
    text: str
    unit: int  # index of its unit
    position: int  # index of the sentence inside its unit
    paragraph_first: bool
    page: str | None
    pdf_page: int | None
    section: str | None
    number: str | None
    top: str | None
    weight: float
    terms: Counter[str] = field(default_factory=Counter)
    score: float = 0.0


_CAPTION = re.compile(rf"^(?:{FIGURE_WORDS}|{NOTE_WORDS})\s*[\dA-Z]*(?:[.-]\d+)*\s*[:.|—–-]", re.I)


_BOILERPLATE = re.compile(
    r"(all rights reserved|copyright|©|\bisbn\b|\bissn\b|\bdoi\b|reproduced|views expressed"
    r"|do not necessarily"
    r"|published by|suggested citation|creative commons|licen[cs]ed? under|tous droits|n'engagent que"
    r"|we thank|we are grateful|we gratefully|acknowledg|nous remercions|funded by|grant no|gratitude"
    r"|would (?:also )?like to thank|in partial fulfil|^keywords?\b|^key ?words|^index terms|^mots[- ]cl)",
    re.I,
)


_URL = re.compile(r"(https?://|www\.|\S+@\S+\.\w+)")


_INITIALS = re.compile(r"\b[A-Z]\.(?:\s?[A-Z]\.)*,")


_INITIAL = re.compile(r"(?<![\w.])[A-Z]\.(?=[\s,])")


_YEAR = re.compile(r"\((?:19|20)\d\d[a-z]?\)|\b(?:19|20)\d\d[a-z]?\.")


# "... treatment 4.1 New recommendations ...": a numbered heading run into the text
_MERGED_HEADING = re.compile(
    r"(?<!section )(?<!chapter )(?<!table )(?<!figure )(?<!annex )(?<!appendix )"
    r"\b\d{1,2}\.\d{1,2}\s+[A-Z][a-z]"
)


_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.U)


_LIST_ITEM = re.compile(r"^\d{1,3}\.\s+[a-z]")  # "3. go get github.com/...": an item cut from its list


_FIELD = re.compile(r"^[A-Z][A-Z &/-]{2,}:\s")  # "ACTION: Notice of proposed rulemaking."


# a lone letter that is not a word ("F", "M1", "x′"), or a run of mathematical signs
_MATH_SIGN = re.compile(r"[′″‴∈∉⊂⊆∪∩→←↦≤≥≠≃≅∼⊗⊕×∘∀∃∞∂∑∏∫±=<>+]|[^\W\d_]\d")


_SYMBOL = re.compile(r"(?![aAIàyo]$)[^\W\d_]\d*[′″‴'*]*|[′″‴∈∉⊂⊆∪∩↦≤≥≠≃≅∼⊗⊕×∘∀∃∞∂∑∏∫±=<>+]+")


def _reject(text: str) -> str | None:
    """Why ``text`` is never a summary sentence, or None."""
    words = text.split()
    if len(words) < 6:
        return "fragment"
    if len(words) > 80:
        return "too long"
    first = text.lstrip('"“‘«([')[:1]
    if not (first.isupper() or first.isdigit()) or _LIST_ITEM.match(text):
        return "fragment"
    if not _TERMINAL.search(text):
        return "fragment"
    letters = sum(ch.isalpha() for ch in text)
    if letters < 0.65 * len(text.replace(" ", "")):
        return "table or formula"
    if sum(1 for w in words if any(ch.isdigit() for ch in w)) > 0.3 * len(words):
        return "table"
    if _CAPTION.match(text):
        return "caption"
    if _URL.search(text):
        return "link"
    if _BOILERPLATE.search(text):
        return "boilerplate"
    if len(_INITIALS.findall(text)) >= 2 or (len(_INITIAL.findall(text)) >= 2 and _YEAR.search(text)):
        return "reference"
    capitals = [w for w in words if len(w) >= 3 and w.isalpha()]
    if _MERGED_HEADING.search(text) or (
        capitals and sum(w.isupper() for w in capitals) > 0.4 * len(capitals)
    ):
        return "heading or contents"
    if text.count("(") != text.count(")"):
        return "fragment"
    if "\ufffd" in text:
        return "damaged text"  # a glyph that could not be read
    if _FIELD.match(text) and len(words) < 12:
        return "form field"
    symbols = [w for w in (w.strip(".,;:") for w in words) if _SYMBOL.fullmatch(w)]
    if len(symbols) > 0.15 * len(words) and (len(symbols) >= 3 or _MATH_SIGN.search(" ".join(symbols))):
        return "formula"
    return None


# "Feasibility The WHO 2020 progress report...": a paragraph's heading printed on its first line
_RUN_IN_HEADING = re.compile(
    r"^[A-Z][^.!?:;,()\"“”]{1,60}?[a-z0-9)] (?=(?:Because|The|We|In|For|To|As|This|Our|Each|When|While|If"
    r"|Although|Since|It|An|These|Given|Following|Unlike|Here|There|Most|Many|All|One|Using|With|After"
    r"|Before|Finally|First|Second) [A-Za-z])"
)


# what begins a sentence, not a heading ("In chapter 9 The Device interface..."), and what ends a
# phrase that goes on ("...a key element in The Roadmap to Prosperity")
_NOT_HEADING_START = frozenset("In On The A An As At If When Where For To Suppose Soit Dans Le La".split())


_NOT_HEADING_END = frozenset("in on of the a an and or to for with at by from de du des la le les et".split())


def _run_in_heading_end(text: str) -> int:
    """Where the run-in heading at the start of ``text`` ends (0 if there is none)."""
    match = _RUN_IN_HEADING.match(text)
    if not match:
        return 0
    words = match.group(0).split()
    if words[0] in _NOT_HEADING_START or words[-1].lower() in _NOT_HEADING_END:
        return 0
    return match.end()


def candidates(unit_list: Sequence[Unit]) -> list[Candidate]:
    """The sentences of the units that may be summary sentences, in document order."""
    vocabulary = _vocabulary(unit_list)
    out: list[Candidate] = []
    for u, unit in enumerate(unit_list):
        paragraph_starts = set(text_sentences.paragraph_starts(unit.text))
        position = 0
        for start, end in text_sentences.split_spans(unit.text):
            text = text_sentences.join_lines(unit.text[start:end], vocabulary)
            first_in_paragraph = start in paragraph_starts
            if first_in_paragraph:
                text = text[_run_in_heading_end(text) :]
            if _reject(text) is not None:
                continue
            page, pdf_page = unit.page_at(start)
            out.append(
                Candidate(
                    text,
                    u,
                    position,
                    first_in_paragraph,
                    page,
                    pdf_page,
                    unit.section,
                    unit.number,
                    unit.top,
                    unit.weight,
                    Counter(terms(text)),
                )
            )
            position += 1
    return out


STOPWORDS = frozenset(
    """
    a about above after again against all also although am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either few for from
    further had has have having he her here hers him his how however i if in into is it its itself
    just more most much must my no nor not now of off on once only or other our ours out over own per
    same she should so some such than that the their theirs them then there these they this those
    through thus to too under until up upon us very via was we were what when where whether which while
    who whom whose why will with within without would yet you your one two three may might also well
    et al le la les un une des du de d l à au aux ce ces cet cette il elle ils elles on nous vous je
    est sont été être avoir ont a qui que quoi dont où en dans par pour sur avec sans sous entre plus
    moins ne pas se sa son ses leur leurs y ou mais donc car ni comme aussi très tout tous toute toutes
    """.split()
)


_CUES = re.compile(
    r"\b(this (?:paper|article|report|study|brief|work|thesis|document|analysis)"
    r"|in this (?:paper|article|report|study|brief|work|thesis)|we (?:propose|present|show|find|found|argue"
    r"|introduce|demonstrate|develop|describe|conclude|recommend|suggest|examine|investigate|evaluate"
    r"|identify|explore|discuss|provide|outline|offer|focus|address)|our (?:results|findings|analysis|"
    r"approach|method|model|work|contribution|study)|results (?:show|suggest|indicate)|findings"
    r"|(?:this|the) (?:paper|report|study|brief) (?:shows|argues|finds|proposes|presents|examines|explores)"
    r"|cet (?:article|ouvrage)|ce (?:rapport|document|travail|papier|mémoire)|nous (?:proposons|présentons|"
    r"montrons|décrivons|étudions|développons|recommandons)|dans ce (?:papier|rapport|travail|mémoire)"
    r"|in summary|in conclusion|to summarize|en conclusion|en résumé)\b",
    re.I,
)


_WEAK_START = re.compile(
    r"^(?:for (?:example|instance)|e\.g\.|see |as (?:shown|seen|illustrated) in"
    r"|table |figure |fig\. |first,|second,|third,|finally,|lastly,"
    r"|however|moreover|furthermore|in addition|also|then|thus|hence|therefore|similarly|likewise"
    r"|these|those|they|it |this (?:is|was|means|implies|suggests|can|may)|such|here"
    r"|par exemple|ces |ils |elles |ainsi|donc|alors|de plus|en outre|cependant|toutefois|enfin|puis"
    r"|par conséquent|d'où|or,|soit )",
    re.I,
)


_KEY_SECTION = re.compile(
    r"\b(introduction|conclusions?|concluding|summary|discussion|findings|recommendations|overview|"
    r"implications|contributions?|synth[eè]se|recommandations|bilan|perspectives)\b",
    re.I,
)


_SIDE_SECTION = re.compile(
    r"\b(related work|previous work|prior work|literature|acknowledg\w*|appendix|methods?|"
    r"methodology|experimental setup|setup|implementation details|data|dataset|notation|preliminaries|"
    r"état de l'art|travaux (?:connexes|existants)|annexe)\b",
    re.I,
)


def terms(text: str) -> list[str]:
    """Content words of ``text``, lower case and lightly stemmed, for similarity."""
    out = []
    for word in _WORD.findall(text.lower()):
        word = word.strip("'’-")
        if len(word) < 3 or word in STOPWORDS:
            continue
        out.append(_stem(word))
    return out


def _stem(word: str) -> str:
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: -len(suffix)] + repl
    return word


def _tfidf(
    cands: Sequence[Candidate], bigrams: bool = False
) -> tuple[list[dict[str, float]], dict[str, float]]:
    bags = [_bag(cand, bigrams) for cand in cands]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(cands)
    idf = {term: math.log((n + 1) / (count + 0.5)) for term, count in df.items()}
    vectors = []
    for bag in bags:
        vec = {t: (1 + math.log(c)) * idf[t] for t, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({t: v / norm for t, v in vec.items()})
    return vectors, idf


def _bag(cand: Candidate, bigrams: bool) -> Counter[str]:
    if not bigrams:
        return cand.terms
    # pairs of adjacent content words carry the paper's key phrases ("dense retrieval")
    words = terms(cand.text)
    return cand.terms + Counter(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def lexrank(
    vectors: Sequence[dict[str, float]],
    damping: float = 0.85,
    iterations: int = 40,
    prior: Sequence[float] | None = None,
) -> list[float]:
    """Continuous LexRank without building the n x n matrix: ``S = X Xt``, applied as ``X (Xt p)``.

    With a ``prior`` the random walk restarts at sentences in proportion to it (biased LexRank):
    importance flows from the sentences the prior favours to those that say the same things.
    """
    import numpy as np

    n = len(vectors)
    if n == 0:
        return []
    index: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, vec in enumerate(vectors):
        for term, value in vec.items():
            rows.append(i)
            cols.append(index.setdefault(term, len(index)))
            vals.append(value)
    r, c, v = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(vals)
    m = len(index)

    def similarity_times(p: np.ndarray) -> np.ndarray:
        xtp = np.bincount(c, weights=v * p[r], minlength=m)
        return np.bincount(r, weights=v * xtp[c], minlength=n)

    degree = similarity_times(np.ones(n))
    degree[degree == 0] = 1.0
    restart = np.full(n, 1.0 / n) if prior is None else np.asarray(prior, dtype=float)
    restart = restart / restart.sum() if restart.sum() > 0 else np.full(n, 1.0 / n)
    p = restart.copy()
    for _ in range(iterations):
        nxt = (1 - damping) * restart + damping * similarity_times(p / degree)
        if np.abs(nxt - p).sum() < 1e-9:
            p = nxt
            break
        p = nxt
    return [float(x) for x in p]


WEIGHTS = {
    "central": 1.0,  # continuous LexRank over words and word pairs, as a percentile among the candidates
    "title": 0.4,  # share of the document title's words in the sentence
    "key": 0.35,  # +1 in an introduction, conclusion, summary, findings; -1 in related work, methods
    "lead": 0.35,  # first sentences of a chapter, decaying
    "cue": 0.15,  # "this paper shows", "we find", "nous proposons"
    "heading": 0.15,  # share of its own section title's words (specific headings only)
    "sub_lead": -0.15,  # first sentence of a subsection: it sets up a detail (a step, a dataset, a metric)
    "paragraph": 0.05,  # first sentence of a paragraph
    "weak": -0.1,  # opens with a connective or a pronoun that needs the previous sentence
    "meta": -0.15,  # talks about the document's layout: "in this section", "see Appendix B"
    "short": -0.1,  # under 8 words
    "question": -0.15,  # a question asks, a summary tells
    "long": -0.05,  # over 45 words, growing to 70
    "citations": -0.05,  # parentheses and brackets, per pair, up to two
}


_META = re.compile(
    r"\b(?:this (?:section|chapter|appendix|annex|table|figure)"
    r"|(?:in|see) (?:section|chapter|appendix|annex|table|"
    r"figure|fig\.)\s*[\dA-Z]|cette (?:section|partie|annexe)|la section \d"
    # the paper's plan in prose: "Section 5 describes...", "Conclusions are contained in Section 8"
    r"|^(?:the )?(?:next |following |last |final )?(?:section|chapter|part)s?\s*\d*(?:\s*(?:and|,)\s*\d+)*"
    r"\s+(?:describes?|contains?|gives?|presents?|discusses?|introduces?|reviews?|concludes?|provides?"
    r"|explains?|covers?|outlines?|summari[sz]es?|deals?|focuses?|examines?|reports?)\b"
    r"|\b(?:is|are) (?:organi[sz]ed|structured) as follows|\b(?:is|are) contained in (?:section|chapter)"
    # a pointer elsewhere: "See the instructions for line 39 on page 18.", "Voir la page 12."
    r"|^(?:see|voir) )",
    re.I,
)


def features(cands: Sequence[Candidate], title: str | None = None) -> list[dict[str, float]]:
    """What each candidate has going for it (or against it), each feature in [-1, 1]."""
    if not cands:
        return []
    vectors, _ = _tfidf(cands, bigrams=True)
    central = lexrank(vectors)
    order = sorted(range(len(cands)), key=lambda i: central[i])
    percentile = [0.0] * len(cands)
    for rank, i in enumerate(order):
        percentile[i] = rank / max(1, len(cands) - 1)
    title_terms = set(terms(title or ""))
    in_top: Counter[str | None] = Counter()
    # the first and last chapters of a report are its introduction and conclusion, whatever their titles
    chapters_seen = [c.top for c in cands if c.weight > 0]
    ends = {chapters_seen[0], chapters_seen[-1]} if chapters_seen else set()
    out = []
    for i, cand in enumerate(cands):
        words = len(cand.text.split())
        cand_terms = set(cand.terms)
        section_terms = set(terms(cand.section or ""))
        heading = " ".join(filter(None, (cand.top, cand.section)))
        if _KEY_SECTION.search(heading) or (cand.weight > 0 and cand.top in ends and len(ends) > 1):
            key = 1.0
        else:
            key = -1.0 if _SIDE_SECTION.search(heading) else 0.0
        top_position = in_top[cand.top]
        in_top[cand.top] += 1
        out.append(
            {
                "central": percentile[i],
                "cue": 1.0 if _CUES.search(cand.text) else 0.0,
                "title": len(title_terms & cand_terms) / len(title_terms) if title_terms else 0.0,
                "heading": (
                    len(section_terms & cand_terms) / len(section_terms)
                    if section_terms and not _KEY_SECTION.search(cand.section or "")
                    else 0.0
                ),
                "key": key * cand.weight,
                "lead": cand.weight / (1 + top_position),
                "sub_lead": cand.weight if cand.position == 0 else 0.0,
                "paragraph": 1.0 if cand.paragraph_first else 0.0,
                "weak": 1.0 if _WEAK_START.match(cand.text) else 0.0,
                "meta": 1.0 if _META.search(cand.text) else 0.0,
                "short": 1.0 if words < 8 else 0.0,
                "question": 1.0 if cand.text.rstrip('"”’»)] ').endswith("?") else 0.0,
                "long": min(1.0, max(0, words - 45) / 25),
                "citations": min(2, cand.text.count("(") + cand.text.count("[")) / 2,
            }
        )
    return out


def score(
    cands: Sequence[Candidate], title: str | None = None, weights: dict[str, float] | None = None
) -> None:
    """Set each candidate's ``score``: centrality plus the signals long reports give."""
    weights = weights or WEIGHTS
    for cand, feats in zip(cands, features(cands, title), strict=True):
        cand.score = round(sum(weights.get(name, 0.0) * value for name, value in feats.items()), 4)


def select(cands: Sequence[Candidate], count: int, redundancy: float = 0.3) -> list[Candidate]:
    """The ``count`` best candidates by maximal marginal relevance, in document order.

    Each pick updates every pooled candidate's overlap with what is chosen through an index of
    terms, so choosing hundreds of sentences (``--ratio 0.5`` of a long report) stays fast.
    """
    import numpy as np

    if count <= 0 or not cands:
        return []
    vectors, _ = _tfidf(cands)
    pool = sorted(range(len(cands)), key=lambda i: -cands[i].score)[: max(50, count * 10)]
    postings: dict[str, list[tuple[int, float]]] = {}
    for slot, i in enumerate(pool):
        for term, weight in vectors[i].items():
            postings.setdefault(term, []).append((slot, weight))
    scores = np.array([cands[i].score for i in pool], dtype=float)
    overlap = np.zeros(len(pool))  # each pooled candidate's greatest cosine with a chosen one
    open_ = np.ones(len(pool), dtype=bool)
    chosen: list[int] = []
    seen_texts: set[str] = set()
    while len(chosen) < count:
        value = np.where(open_ & (overlap <= 0.6), scores - redundancy * overlap * 2, -np.inf)
        slot = int(np.argmax(value))
        if value[slot] == -np.inf:
            break  # what is left is near-identical to a chosen sentence
        open_[slot] = False
        best = pool[slot]
        key = re.sub(r"\W+", " ", cands[best].text.lower()).strip()
        if key in seen_texts:
            continue
        seen_texts.add(key)
        chosen.append(best)
        dots: dict[int, float] = {}
        for term, weight in vectors[best].items():
            for other, w in postings.get(term, ()):
                dots[other] = dots.get(other, 0.0) + weight * w
        for other, dot in dots.items():
            if dot > overlap[other]:
                overlap[other] = dot
    return [cands[i] for i in sorted(chosen)]


def check_count(sentences: int | None, ratio: float | None) -> None:
    """Refuse a count of sentences that cannot be: raised before any parsing."""
    if sentences is not None and sentences < 1:
        raise UsageError(f"--sentences must be at least 1 (got {sentences})")
    if ratio is not None and not 0 < ratio <= 1:
        raise UsageError(f"--ratio must be more than 0 and at most 1 (got {ratio:g})")


def _count(total: int, sentences: int | None, ratio: float | None) -> int:
    check_count(sentences, ratio)
    if ratio is not None:
        return max(1, round(ratio * total))
    return sentences if sentences is not None else 5


def _to_model(cands: Iterable[Candidate]) -> list[SummarySentence]:
    return [SummarySentence(c.text, c.section, c.number, c.page, c.pdf_page, c.score) for c in cands]


def summarize(
    doc: Document, section: Section | None = None, sentences: int | None = None, ratio: float | None = None
) -> list[SummarySentence]:
    """The best sentences of the body (or of ``section``), in document order."""
    cands = candidates(units(doc, section))
    count = _count(len(cands), sentences, ratio)
    score(cands, doc.metadata.title)
    return _to_model(select(cands, count))


def by_section(doc: Document, per_section: int = 2) -> list[SectionSummary]:
    """One or two sentences for each top-level section: a map of the paper."""
    if per_section < 1:
        raise UsageError(f"--sentences must be at least 1 (got {per_section})")
    cands = candidates(units(doc))
    score(cands, doc.metadata.title)
    vectors = dict(zip(map(id, cands), _tfidf(cands)[0], strict=True))
    out = []
    taken: list[dict[str, float]] = []
    for top in chapters(doc):
        # a sentence that repeats one already quoted under an earlier title is not quoted again
        mine = [
            c for c in cands if c.top == top.title and all(_cosine(vectors[id(c)], v) <= 0.6 for v in taken)
        ]
        chosen = select(mine, per_section if len(mine) >= 12 else 1)
        taken.extend(vectors[id(c)] for c in chosen)
        if chosen:
            quoted = tuple(_to_model(chosen))
            out.append(SectionSummary(top.title, top.number, top.page, top.pdf_page, quoted))
    return out
