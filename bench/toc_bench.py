"""How good is each table-of-contents source? Scored against the corpus bookmarks.

    python bench/toc_bench.py [--source all|outline|contents|headings|auto] [--only NAME] [--show|--unmatched]

For every PDF that has a reference (``outlines/<file>.json``: the PDF's own bookmarks,
1-based pages; ``groundtruth/*.json``: a heading-extraction challenge, 0-based pages), each
source's entries are matched one to one against the reference: a match needs the same
physical page and a similar title (case, spacing, punctuation, accents and numbering
ignored; fuzzy). Printed per PDF and overall: precision, recall, F1, level accuracy (of the
matched entries) and the time ``build_toc`` took; ``wrong``: entries whose title is a reference
entry's but whose page is another (worse than a missing entry, so counted apart); ``F1own``: F1
against the reference cut to the deepest level the source itself lists (a printed contents page
that stops at level 2 is not scored on the level-4 bookmarks it never claimed to list).

The ``contents`` source is the printed contents page filled in with the body's headings that it
leaves out (``structure/deepen.py``): where bookmarks stop at the printed page's depth, the
headings added below it count as false positives in F1 and are left out of F1d.

Bookmarks are a reference, not the truth. Entries that cannot be scored (no destination,
past the last page, empty titles) are left out and the NOTES section says so, as well as
where the bookmarks do not match the text at all; nothing is tuned to them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import CORPUS, manifest, raw_document  # noqa: E402
from ifri_cli.model import Document, TocEntry  # noqa: E402
from ifri_cli.structure import (
    outline,
    toc,  # noqa: E402
)

SOURCES = ("outline", "contents", "headings", "auto")
MATCH = 0.8

_NUMBERING = re.compile(
    r"^\s*(?:(?:chapter|chapitre|part|partie|section|annex|appendix|annexe)\s+)?"
    r"(?:\d+(?:\.\d+)*\.?|[A-Z](?:\.\d+)+\.?|[ivxlc]+\.|[a-h][.)])\s+",
    re.I,
)


@dataclass
class Ref:
    title: str
    level: int
    pdf_page: int


@dataclass
class Score:
    tp: int = 0
    predicted: int = 0
    expected: int = 0
    level_ok: int = 0
    deeper: int = 0  # unmatched entries deeper than the reference goes (it may simply not list them)
    wrong: int = 0  # entries with a reference title but on another page: worse than missing
    outside: int = 0  # entries mapped to no page ("not in this document")
    within_tp: int = 0  # the same, scored against the reference cut to the entries' own depth
    within_expected: int = 0
    seconds: float = 0.0
    docs: int = 0
    f1s: list[float] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.predicted += other.predicted
        self.expected += other.expected
        self.level_ok += other.level_ok
        self.deeper += other.deeper
        self.wrong += other.wrong
        self.outside += other.outside
        self.within_tp += other.within_tp
        self.within_expected += other.within_expected
        self.seconds += other.seconds
        self.docs += other.docs
        self.f1s += other.f1s

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.expected if self.expected else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def f1_within_depth(self) -> float:
        """F1 leaving out unmatched entries deeper than the reference's deepest level."""
        predicted = self.predicted - self.deeper
        p = self.tp / predicted if predicted else 0.0
        r = self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def f1_within_own_depth(self) -> float:
        """F1 against the reference entries no deeper than the source lists (a printed contents page
        that stops at level 2 is not told it missed the level-4 bookmarks)."""
        p = self.within_tp / self.predicted if self.predicted else 0.0
        r = self.within_tp / self.within_expected if self.within_expected else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def level_accuracy(self) -> float:
        return self.level_ok / self.tp if self.tp else 0.0

    @property
    def macro_f1(self) -> float:
        return sum(self.f1s) / len(self.f1s) if self.f1s else 0.0


def normalize(title: str) -> str:
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NUMBERING.sub("", text.strip(), count=1)
    return re.sub(r"[^0-9a-z]+", " ", text.lower()).strip()


def similar(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    short, long_ = sorted((a, b), key=len)
    # a title cut short by the bookmark (or a heading's subtitle left out) still counts
    if long_.startswith(short) and len(short) >= 0.6 * len(long_):
        return 0.9
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def references(pages: dict[str, int]) -> dict[str, tuple[str, list[dict]]]:
    """file name -> (kind, raw reference entries with 1-based pages)."""
    out: dict[str, tuple[str, list[dict]]] = {}
    for path in sorted((CORPUS / "outlines").glob("*.json")):
        out[path.name.removesuffix(".json")] = ("bookmarks", json.loads(path.read_text(encoding="utf-8")))
    for path in sorted((CORPUS / "groundtruth").glob("*.json")):
        name = path.name.split(".pdf.")[0] + ".pdf"
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = [
            {"title": h["text"], "level": int(str(h["level"]).lstrip("Hh") or 1), "page": int(h["page"]) + 1}
            for h in data.get("outline", [])
        ]
        out.setdefault(name, ("groundtruth", entries))
    return {k: v for k, v in out.items() if k in pages}


def usable_reference(raw: list[dict], doc: Document, notes: list[str]) -> list[Ref]:
    """The entries that can be scored; what is wrong with the others goes into ``notes``."""
    count = doc.page_count
    nowhere = [e for e in raw if not e.get("page")]
    past = [e for e in raw if e.get("page") and e["page"] > count]
    empty = [e for e in raw if not normalize(e.get("title") or "")]
    refs = [
        Ref(e["title"], int(e.get("level") or 1), int(e["page"]))
        for e in raw
        if e.get("page") and e["page"] <= count and normalize(e.get("title") or "")
    ]
    if nowhere:
        notes.append(f"{len(nowhere)} of {len(raw)} reference entries point nowhere (no destination)")
    if past:
        notes.append(f"{len(past)} of {len(raw)} reference entries point past the last page ({count})")
    if (len(nowhere) + len(past)) > len(raw) / 2:
        notes.append("most of the reference points nowhere: the file is an excerpt of a longer document")
    if empty:
        notes.append(f"{len(empty)} reference entries have an empty title")
    seen: dict[tuple[str, int], int] = {}
    for ref in refs:
        key = (normalize(ref.title), ref.pdf_page)
        seen[key] = seen.get(key, 0) + 1
    dups = sum(n - 1 for n in seen.values() if n > 1)
    if dups:
        notes.append(f"{dups} duplicated reference entries (same title, same page)")
    files = [e["title"] for e in raw if re.search(r"\.(pdf|docx?|indd)\b", e.get("title") or "", re.I)]
    if files:
        notes.append(
            f"a reference entry is a file name ({files[0]!r}): PDFs merged, their bookmarks kept under it"
        )
    levels = [r.level for r in refs]
    if len(refs) > 3 and levels.count(1) == 1 and refs[0].level == 1 and refs[0].pdf_page == 1:
        notes.append("the reference puts the document title at level 1 and every section below it")
    jumps = sum(1 for a, b in zip(levels, levels[1:], strict=False) if b > a + 1)
    if jumps:
        notes.append(f"{jumps} reference entries jump more than one level deeper than the previous one")
    staircase = _staircase(refs)
    if staircase:
        notes.append(f"{staircase} reference entries nest as a staircase (peers each one level deeper)")
    sentences = [r.title for r in refs if len(r.title.split()) > 14]
    if sentences:
        notes.append(
            f"{len(sentences)} reference entries are sentences, not headings ({sentences[0][:50]!r}...)"
        )
    _check_text(refs, doc, notes)
    return refs


def _staircase(refs: list[Ref]) -> int:
    """The longest staircase of peers (``toc.staircase_end``) in the reference outline."""
    levels, pages = [r.level for r in refs], [r.pdf_page for r in refs]
    ends = ((i, outline.staircase_end(levels, pages, i)) for i in range(len(refs)))
    return max((j - i + 1 for i, j in ends if j is not None), default=0)


def _check_text(refs: list[Ref], doc: Document, notes: list[str]) -> None:
    entries = [TocEntry(title=r.title, level=r.level, pdf_page=r.pdf_page) for r in refs]
    _share, found = toc.verify(doc, entries)
    if refs and found < 0.7 * len(refs):
        notes.append(f"only {found} of {len(refs)} reference titles are found in the text near their page")
    off = [
        (r, r.pdf_page + d)
        for r in refs
        for d in (-1, 1)
        if not _on_page(doc, r.title, r.pdf_page) and _on_page(doc, r.title, r.pdf_page + d, strict=True)
    ]
    if off:
        r, page = off[0]
        notes.append(
            f"{len(off)} reference entries point one page off their heading ({r.title!r}: p{r.pdf_page}, "
            f"heading on p{page})"
        )


def _on_page(doc: Document, title: str, number: int, strict: bool = False) -> bool:
    """Is ``title`` on page ``number``: loosely (inside a line), or ``strict`` (a heading-like line)."""
    from ifri_cli.structure.locate import compact

    pages = doc.body
    target = compact(title)
    if not target or not 1 <= number <= len(pages):
        return False
    lines = [ln.text.strip() for ln in pages[number - 1].lines]
    if strict:
        return any(compact(t) == target and t[:1].isupper() and len(t) <= len(title) + 8 for t in lines)
    texts = [compact(t) for t in lines]
    texts += [a + b for a, b in zip(texts, texts[1:], strict=False)]
    return any((len(target) >= 5 and target in t) or t == target for t in texts)


def reference_depth(refs: list[Ref]) -> int:
    """The deepest level the reference really lists (a stray deeper bookmark does not count)."""
    counts = Counter(r.level for r in refs)
    deep = [level for level, n in counts.items() if n >= 3 and n >= 0.05 * len(refs)]
    return max(deep or counts or [0])


def score(predicted: tuple[TocEntry, ...], refs: list[Ref]) -> Score:
    pairs = []
    pred_norm = [normalize(f"{e.number} {e.title}" if e.number else e.title) for e in predicted]
    ref_norm = [normalize(r.title) for r in refs]
    for i, entry in enumerate(predicted):
        for j, ref in enumerate(refs):
            if entry.pdf_page != ref.pdf_page:
                continue
            s = similar(pred_norm[i], ref_norm[j])
            if s >= MATCH:
                pairs.append((s, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_p: set[int] = set()
    used_r: set[int] = set()
    result = Score(predicted=len(predicted), expected=len(refs), docs=1)
    for _s, i, j in pairs:
        if i in used_p or j in used_r:
            continue
        used_p.add(i)
        used_r.add(j)
        result.tp += 1
        if predicted[i].level == refs[j].level:
            result.level_ok += 1
    depth = reference_depth(refs)
    result.deeper = sum(1 for i, e in enumerate(predicted) if i not in used_p and e.level > depth)
    result.outside = sum(1 for e in predicted if e.pdf_page is None)
    # a wrong page: an unmatched entry whose title is an unmatched reference's, on another page
    for i, entry in enumerate(predicted):
        if i in used_p or entry.pdf_page is None:
            continue
        if any(j not in used_r and similar(pred_norm[i], ref_norm[j]) >= MATCH for j in range(len(refs))):
            result.wrong += 1
    own = max((e.level for e in predicted), default=0)
    result.within_expected = sum(1 for r in refs if r.level <= own)
    result.within_tp = sum(1 for j in used_r if refs[j].level <= own)
    result.f1s.append(result.f1)
    return result


def load(path: Path) -> Document:
    doc = raw_document(path)
    try:
        from ifri_cli.text import clean
    except ImportError:
        return doc
    return clean.clean_document(doc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default="all", choices=("all", *SOURCES))
    parser.add_argument("--only", default="", help="only PDFs whose name contains this")
    parser.add_argument(
        "--show", action="store_true", help="print each source's entries next to the reference"
    )
    parser.add_argument(
        "--unmatched", action="store_true", help="print each source's entries that match no reference entry"
    )
    args = parser.parse_args(argv)
    sources = SOURCES if args.source == "all" else (args.source,)

    info = manifest()
    pages = {name: int(row["pages"]) for name, row in info.items()}
    refs_by_name = references(pages)
    totals = {s: Score() for s in sources}
    subsets: dict[str, dict[str, Score]] = {
        "PDFs with a printed contents page": {s: Score() for s in sources},
        "PDFs with bookmarks": {s: Score() for s in sources},
    }
    notes: dict[str, list[str]] = {}
    width = max(len(n) for n in refs_by_name) if refs_by_name else 20
    header = ("file", "source", "found", "ref", "P", "R", "F1", "F1d", "F1own", "wrong", "level", "time")
    print(_row(width, header))
    for name, (kind, raw) in refs_by_name.items():
        if args.only and args.only not in name:
            continue
        doc = load(CORPUS / "pdfs" / name)
        doc_notes: list[str] = []
        if kind == "groundtruth":
            doc_notes.append("reference: heading-challenge ground truth (0-based pages), not bookmarks")
            readme = (CORPUS / "groundtruth" / "README.txt").read_text(encoding="utf-8")
            said = re.search(rf"^- {re.escape(name)}.*?(?=^- |\Z)", readme, re.M | re.S)
            if said and "different" in said.group(0).lower():
                doc_notes.append("the ground truth was made on another byte version of this PDF")
        refs = usable_reference(raw, doc, doc_notes)
        for source in sources:
            start = time.perf_counter()
            built = toc.build_toc(replace(doc, toc=None), source)
            elapsed = time.perf_counter() - start
            result = score(built.entries, refs)
            result.seconds = elapsed
            totals[source].add(result)
            if info[name].get("printed_toc") == "yes":
                subsets["PDFs with a printed contents page"][source].add(result)
            if kind == "bookmarks":
                subsets["PDFs with bookmarks"][source].add(result)
            if result.deeper >= 5 and source != "auto":
                depth = reference_depth(refs)
                doc_notes.append(
                    f"the reference stops at level {depth}: {result.deeper} {source} entries deeper "
                    "than that count as false positives (F1d leaves them out)"
                )
            label = source if source != "auto" else f"auto:{built.source}"[:8]
            r = result
            cells = (name, label, r.predicted, r.expected, r.precision, r.recall, r.f1, r.f1_within_depth)
            cells = (*cells, r.f1_within_own_depth, r.wrong)
            print(_row(width, (*cells, r.level_accuracy, f"{elapsed:.2f}s")), flush=True)
            if args.show:
                _show(built.entries, refs)
            if args.unmatched:
                _show(unmatched(built.entries, refs), [])
        if doc_notes:
            notes[name] = doc_notes

    print(
        "\nOVERALL (micro: entries pooled; macro: mean of per-PDF F1; F1d: within the reference's depth; "
        "F1own: against the reference cut to the source's own depth; "
        "wrong: a reference title on another page)"
    )
    _summary(totals)
    if "outline" in totals:
        print("  (the outline is scored against the bookmarks it comes from: this shows its repairs only)")
    for title, scores in subsets.items():
        print(f"\n{title}")
        _summary(scores)
    if "auto" in totals and len(sources) > 1:
        best = max((s for s in sources if s != "auto"), key=lambda s: totals[s].f1)
        gap = totals[best].f1 - totals["auto"].f1
        auto = totals["auto"].f1
        print(f"\nauto F1 {auto:.3f}; best single source ({best}) {totals[best].f1:.3f}; gap {gap:.3f}")
    if notes:
        print("\nNOTES (where the reference itself is doubtful)")
        for name, items in notes.items():
            for item in items:
                print(f"- {name}: {item}")
    return 0


def _row(width: int, cells: tuple) -> str:
    name, source, found, ref, *rest = cells
    numbers = " ".join(f"{c:>5.2f}" if isinstance(c, float) else f"{c:>5}" for c in rest)
    return f"{name:<{width}}  {source:<8} {found:>5} {ref:>4} {numbers}"


def _summary(scores: dict[str, Score]) -> None:
    for source, s in scores.items():
        print(
            f"  {source:<9} P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}  macro-F1 {s.macro_f1:.3f}  "
            f"F1d {s.f1_within_depth:.3f}  F1own {s.f1_within_own_depth:.3f}  level {s.level_accuracy:.3f}  "
            f"({s.docs} PDFs, {s.tp}/{s.expected} found, {s.wrong} on a wrong page, {s.outside} on none, "
            f"{s.seconds:.1f}s)"
        )


def unmatched(entries: tuple[TocEntry, ...], refs: list[Ref]) -> tuple[TocEntry, ...]:
    """The entries whose title is no reference entry's on their page (false positives, or entries
    the reference does not list)."""
    ref_norm = [normalize(r.title) for r in refs]
    return tuple(
        e
        for e in entries
        if not any(
            e.pdf_page == r.pdf_page
            and similar(normalize(f"{e.number} {e.title}" if e.number else e.title), ref_norm[j]) >= MATCH
            for j, r in enumerate(refs)
        )
    )


def _show(entries: tuple[TocEntry, ...], refs: list[Ref]) -> None:
    for e in entries:
        head = f"{e.number} {e.title}" if e.number else e.title
        print(f"      + L{e.level} p{e.pdf_page} {'  ' * (e.level - 1)}{head[:90]}")
    for r in refs:
        print(f"      = L{r.level} p{r.pdf_page} {'  ' * (r.level - 1)}{r.title[:90]}")


if __name__ == "__main__":
    sys.exit(main())
