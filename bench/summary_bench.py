"""Summary benchmark: ROUGE against the authors' own abstract, with lead-N and LexRank baselines.

For each corpus document that carries an abstract or executive summary, the abstract is found
by ``summarize.find_abstract`` and left out of the body; the body's candidate sentences (the
same list for every system) are summarised with N sentences by

- ``ifri``: ``summarize.score`` + ``summarize.select``;
- ``lead``: the first N candidate sentences;
- ``lexrank``: sumy's LexRankSummarizer over the same sentences (a tokenizer that needs no
  download: the sentences are given already split, words by a regular expression; Snowball stemmer
  and sumy's own English stop words);

and each summary is scored with ROUGE-1 and ROUGE-2 F1 against the abstract. ROUGE here is the
standard n-gram overlap (Lin 2004) with clipped counts: lower case, tokens are runs of letters
and digits, no stemming, no stop-word removal, one reference.

``--aclsum`` runs the same systems on a second, larger set that ifri was never tuned on: the 250
ACL Anthology papers that the ``aclsum`` package ships as S2ORC full text with their abstracts
(MIT licence). Each paper's body paragraphs become units under their section titles, as
``summarize.units`` makes them from a PDF; papers whose abstract has under 30 words or whose body
gives under 20 candidates are left out.

    /work/venv/bin/python bench/summary_bench.py [-n 5] [--only NAME] [--show] [--aclsum]

Needs the corpus (``IFRI_CORPUS`` or ../shared/corpus) and ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from itertools import groupby
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import CORPUS, pdfs, raw_document  # noqa: E402

from ifri_cli.model import Document  # noqa: E402
from ifri_cli.read import abstract as read_abstract
from ifri_cli.read import summary as read_summary
from ifri_cli.read import units
from ifri_cli.read.body import Unit  # noqa: E402
from ifri_cli.read.summary import Candidate
from ifri_cli.structure import (
    sections,
    toc,  # noqa: E402
)

# documents whose authors wrote an abstract or executive summary (prefixes of file names)
DOCUMENTS = (
    "dense-passage-retrieval",
    "naacl06-",
    "jss-timp-mullen",
    "lyngs2020-",
    "governing-ai-economic-transition",
    "digital-infrastructure-alliance-brief",
    "who-hcv-",
    "schmager-",
    "fr-olap-resumes-logs",
    "ki67-breast-cancer-guidelines",
    "godfard-k-theorie-memoire",
    "federal-register-2020-17221",
    "ontario-libraries-rfp",
    "toc-test-granite-outline-excerpt",
    "aer-familiarity-paper",  # an abstract with no heading, under the byline
)

_TOKEN = re.compile(r"[^\W_]+", re.U)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def rouge_n(candidate: str, reference: str, n: int) -> tuple[float, float, float]:
    """(precision, recall, F1) of n-gram overlap with clipped counts."""
    cand = Counter(zip(*(tokens(candidate)[i:] for i in range(n)), strict=False))
    ref = Counter(zip(*(tokens(reference)[i:] for i in range(n)), strict=False))
    overlap = sum((cand & ref).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    precision = overlap / sum(cand.values())
    recall = overlap / sum(ref.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def pipeline(raw: Document) -> Document:
    """The stages of ``open_document`` after ingest, on a cached raw parse."""
    doc = raw
    try:
        from ifri_cli.text import clean  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - the cleaner may be missing or half-written during development
        clean = None
    if clean is not None and hasattr(clean, "clean_document"):
        doc = clean.clean_document(doc)
    doc = replace(doc, toc=toc.build_toc(doc, "auto"))
    return replace(doc, sections=sections.build_sections(doc))


class _WordTokenizer:
    """sumy's tokenizer interface with no nltk download (sentences are given already split)."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return [paragraph]

    def to_words(self, sentence: str) -> list[str]:
        return re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", sentence)


def lexrank_baseline(sentence_texts: list[str], count: int) -> list[str]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    tokenizer = _WordTokenizer()
    document = ObjectDocumentModel([Paragraph([Sentence(text, tokenizer) for text in sentence_texts])])
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    return [str(s) for s in summarizer(document, count)]


def corpus_documents(only: str | None) -> Iterator[tuple[str, str | None, str | None, list[Candidate]]]:
    """(name, title, abstract or None, candidates) for each corpus document named in DOCUMENTS."""
    for path in pdfs():
        if not path.name.startswith(DOCUMENTS) or (only and only not in path.name):
            continue
        doc = pipeline(raw_document(path))
        abstract = read_abstract.find_abstract(doc)
        if abstract is None:
            yield path.stem, None, None, []
            continue
        yield path.stem, doc.metadata.title, abstract.text, read_summary.candidates(units.units(doc))


def aclsum_documents(only: str | None) -> Iterator[tuple[str, str | None, str | None, list[Candidate]]]:
    """The same for the papers of the ``aclsum`` package (read as files: importing it needs more)."""
    spec = importlib.util.find_spec("aclsum")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("--aclsum needs the aclsum package: pip install -e '.[bench]'")
    folder = Path(next(iter(spec.submodule_search_locations))) / "dataset" / "paper_jsons"
    for path in sorted(folder.glob("*.json")):
        if only and only not in path.stem:
            continue
        paper = json.loads(path.read_text(encoding="utf-8"))
        abstract = paper.get("abstract") or ""
        cands = read_summary.candidates(s2orc_units(paper["pdf_parse"]["body_text"]))
        if len(tokens(abstract)) >= 30 and len(cands) >= 20:
            yield path.stem, paper.get("title"), abstract, cands


def s2orc_units(paragraphs: list[dict]) -> list[Unit]:
    """S2ORC body paragraphs as units: a run of paragraphs under one heading, with its top-level title."""
    tops = {}
    for para in paragraphs:
        number = (para.get("sec_num") or "").rstrip(".")
        if number and "." not in number:
            tops[number] = para.get("section")

    def heading(para: dict) -> tuple[str | None, str | None, str | None]:
        title, number = para.get("section") or None, (para.get("sec_num") or "").rstrip(".") or None
        return title, number, tops.get(number.split(".")[0], title) if number else title

    return [
        Unit("\n\n".join(p["text"] for p in run), section=title, number=number, top=top)
        for (title, number, top), run in ((key, list(group)) for key, group in groupby(paragraphs, heading))
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, default=5, help="sentences per summary")
    parser.add_argument("--only", help="only documents whose name contains this")
    parser.add_argument("--show", action="store_true", help="print the abstract and each summary")
    parser.add_argument("--aclsum", action="store_true", help="the aclsum package's papers, not the corpus")
    args = parser.parse_args()
    if args.aclsum:
        documents = aclsum_documents(args.only)
    elif not (CORPUS / "pdfs").is_dir():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 0
    else:
        documents = corpus_documents(args.only)
    rows = []
    header = (
        f"{'document':40} {'abstract':>8} {'cands':>6} | {'ifri R1':>7} {'R2':>6} | "
        f"{'lead R1':>7} {'R2':>6} | {'lexr R1':>7} {'R2':>6} | {'time':>5}"
    )
    print(header)
    print("-" * len(header))
    for name, title, abstract, cands in documents:
        if abstract is None:
            print(f"{name[:40]:40} no abstract found")
            continue
        started = time.perf_counter()
        read_summary.score(cands, title)
        ours = [c.text for c in read_summary.select(cands, args.n)]
        elapsed = time.perf_counter() - started
        texts = [c.text for c in cands]
        lead = texts[: args.n]
        lex = lexrank_baseline(texts, args.n)
        scores = [rouge_n(" ".join(s), abstract, n)[2] for s in (ours, lead, lex) for n in (1, 2)]
        rows.append(scores)
        words = len(tokens(abstract))
        print(
            f"{name[:40]:40} {words:>8} {len(cands):>6} | {scores[0]:7.3f} {scores[1]:6.3f} | "
            f"{scores[2]:7.3f} {scores[3]:6.3f} | {scores[4]:7.3f} {scores[5]:6.3f} | {elapsed:5.2f}"
        )
        if args.show:
            print("  ABSTRACT:", abstract[:600].replace("\n", " "))
            for label, summary in (("IFRI", ours), ("LEAD", lead), ("LEXRANK", lex)):
                print(f"  {label}:")
                for sentence in summary:
                    print("   -", sentence)
    if not rows:
        return 0
    means = [sum(col) / len(rows) for col in zip(*rows, strict=True)]
    print("-" * len(header))
    print(
        f"{'mean (' + str(len(rows)) + ' documents)':40} {'':>8} {'':>6} | {means[0]:7.3f} {means[1]:6.3f} | "
        f"{means[2]:7.3f} {means[3]:6.3f} | {means[4]:7.3f} {means[5]:6.3f} |"
    )
    best = max(means[3], means[5])
    ratio = means[1] / best if best else float("inf")
    verdict = "met" if ratio >= 1.5 else "NOT met"
    print(f"ROUGE-2: ifri / best baseline = {ratio:.2f} (target 1.5: {verdict})")
    low, high = _bootstrap(rows)
    print(f"  95% interval when the documents are resampled: {low:.2f} to {high:.2f}")
    return 0


def _bootstrap(rows: list[list[float]], rounds: int = 2000) -> tuple[float, float]:
    """The ratio's 2.5th and 97.5th percentiles when the documents are drawn again with replacement."""
    import random

    rng = random.Random(20261128)
    ratios = []
    for _ in range(rounds):
        sample = [rows[rng.randrange(len(rows))] for _ in rows]
        ours, lead, lex = (sum(r[k] for r in sample) / len(sample) for k in (1, 3, 5))
        ratios.append(ours / max(lead, lex) if max(lead, lex) else float("inf"))
    ratios.sort()
    return ratios[int(0.025 * rounds)], ratios[int(0.975 * rounds) - 1]


if __name__ == "__main__":
    sys.exit(main())
