"""Benchmark the clean stage on the corpus: fragment rate before and after repair, furniture, notes, time.

    /work/venv/bin/python bench/clean_bench.py            # every corpus PDF
    /work/venv/bin/python bench/clean_bench.py NAME ...   # some of them, with the new fragments listed

Fragment rate: the share of alphabetic tokens (runs of two letters or more) that are
not words of the document's language, i.e. absent from wordfreq's list for it
(looked up exactly, lowercased, no normalisation: ``ﬁnance`` is a fragment). Before:
the lines as extracted, less the furniture lines (headers, footers, page numbers).
After: the clean lines plus the footnote texts. Names and jargon are "fragments" both
times; what matters is the difference, and a document where repair made it worse is
flagged. Time is the CPU time of the clean stage alone, on the cached parse (bench.corpus.raw_document);
pdfminer's own parse takes about 0.1-0.2 s a page.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import REPO, manifest, pdfs, raw_document  # noqa: E402
from ifri_cli.model import Document  # noqa: E402
from ifri_cli.text import (
    clean,
    vocabulary,  # noqa: E402
)
from ifri_cli.text import furniture as text_furniture

_TOKEN = re.compile(r"[^\W\d_]{2,}")


@lru_cache(maxsize=8)
def _words(lang: str) -> frozenset[str]:
    import wordfreq

    try:
        return frozenset(wordfreq.get_frequency_dict(lang, wordlist="best"))
    except LookupError:
        return frozenset()


def fragments(texts: list[str], lang: str) -> tuple[int, Counter[str]]:
    """(number of alphabetic tokens, counter of those that are not words)."""
    words = _words(lang)
    total = 0
    bad: Counter[str] = Counter()
    for text in texts:
        for token in _TOKEN.findall(text):
            total += 1
            if token.lower() not in words:
                bad[token] += 1
    return total, bad


def measure(doc: Document, lang: str) -> dict[str, object]:
    # the word list loads once per process: not timed
    vocabulary._frequencies(vocabulary.Vocabulary([], lang).lang)
    start = time.process_time()  # CPU time: the machine is shared, wall time says more about the neighbours
    done = clean.clean_document(doc)
    seconds = time.process_time() - start
    furniture = text_furniture.find_furniture(doc.pages)
    before_texts = [
        line.text
        for p, page in enumerate(doc.pages)
        for i, line in enumerate(page.lines)
        if (p, i) not in furniture
    ]
    before_total, before_bad = fragments(before_texts, lang)
    after_texts = [line.text for page in done.clean_pages for line in page.lines]
    after_texts += [note.text for note in done.footnotes]
    after_total, after_bad = fragments(after_texts, lang)
    lines_before = sum(len(page.lines) for page in doc.pages)
    lines_after = sum(len(page.lines) for page in done.clean_pages)
    return {
        "pages": doc.page_count,
        "lines": lines_before,
        "before": sum(before_bad.values()) / max(1, before_total),
        "after": sum(after_bad.values()) / max(1, after_total),
        "furniture": len(furniture),
        "footnotes": len(done.footnotes),
        "other_removed": lines_before - lines_after - len(furniture),
        "seconds": seconds,
        "new_fragments": after_bad - before_bad,
        "fixed": before_bad - after_bad,
    }


def main(names: list[str]) -> None:
    languages = {name: row.get("language") or "en" for name, row in manifest().items()}
    paths = [p for p in pdfs() if not names or p.name in names or p.stem in names]
    head = f"{'document':44} {'pages':>5} {'frag before':>11} {'after':>7} {'furniture':>9} {'notes':>5}"
    head += f" {'cpu s':>7}"
    print(head)
    print("-" * len(head))
    totals: Counter[str] = Counter()
    worse = []
    for path in paths:
        doc = raw_document(path)
        lang = languages.get(path.name) or doc.metadata.language or "en"
        row = measure(doc, lang)
        flag = ""
        if row["after"] > row["before"] + 0.0005:  # type: ignore[operator]
            flag = "  WORSE"
            worse.append(path.name)
        print(
            f"{path.name[:44]:44} {row['pages']:>5} {row['before']:>11.2%} {row['after']:>7.2%} "
            f"{row['furniture']:>9} {row['footnotes']:>5} {row['seconds']:>7.2f}{flag}"
        )
        for key in ("pages", "lines", "furniture", "footnotes"):
            totals[key] += row[key]  # type: ignore[arg-type]
        totals["seconds_ms"] += int(row["seconds"] * 1000)  # type: ignore[operator]
        totals["before_x"] += int(row["before"] * 1e6)  # type: ignore[operator]
        totals["after_x"] += int(row["after"] * 1e6)  # type: ignore[operator]
        if names:
            print("   fixed:", ", ".join(f"{t}×{n}" for t, n in row["fixed"].most_common(25)))  # type: ignore[attr-defined]
            print("   new:  ", ", ".join(f"{t}×{n}" for t, n in row["new_fragments"].most_common(25)))  # type: ignore[attr-defined]
    count = max(1, len(paths))
    print("-" * len(head))
    print(
        f"{'total (' + str(len(paths)) + ' documents; rates are means)':44} {totals['pages']:>5} "
        f"{totals['before_x'] / 1e6 / count:>11.2%} {totals['after_x'] / 1e6 / count:>7.2%} "
        f"{totals['furniture']:>9} {totals['footnotes']:>5} {totals['seconds_ms'] / 1000:>7.2f}"
    )
    print(f"clean time: {totals['seconds_ms'] / max(1, totals['pages']):.1f} ms (CPU) a page")
    print("worse after repair:", ", ".join(worse) if worse else "none")
    if not names:
        print()
        print("the sample paper (not in the corpus totals): the PDF, and its bad text extraction")
        samples = REPO / "ifri_cli" / "samples"
        for sample in (samples / "sample.pdf", samples / "sample.txt"):
            if sample.exists():
                row = measure(raw_document(sample), "en")
                print(
                    f"{sample.name:44} {row['pages']:>5} {row['before']:>11.2%} {row['after']:>7.2%} "
                    f"{row['furniture']:>9} {row['footnotes']:>5} {row['seconds']:>7.2f}"
                )


if __name__ == "__main__":
    main(sys.argv[1:])
