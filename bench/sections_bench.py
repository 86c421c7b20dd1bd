"""Sections benchmark: are sections found where the bookmarks say, and is every body word in one section?

For each corpus PDF with bookmarks (``outlines/<file>.json``), with the table of contents
``ifri`` would use (``--source auto``):

- found: the share of level-1 and level-2 bookmarks for which a section with the same
  title starts on the bookmark's page and has non-empty text (target >= 0.90 overall);
- words: the share of body words (cleaned pages) that end up in exactly one section,
  counting section titles as theirs (target >= 0.95); ``lost`` and ``dup`` say what is
  missing and what is counted twice.

Run: python bench/sections_bench.py [NAME ...]
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import CORPUS, outline_reference, raw_document  # noqa: E402
from bench.toc_bench import normalize, similar  # noqa: E402
from ifri_cli.structure import (
    sections,
    toc,  # noqa: E402
)
from ifri_cli.structure.contents import listing_pages  # noqa: E402
from ifri_cli.text import clean


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def main(names: list[str]) -> int:
    total_refs = total_found = 0
    total_words = total_once = total_lost = total_dup = 0
    print(f"{'file':44} {'refs':>5} {'found':>6} {'words':>7} {'lost':>6} {'dup':>6} {'time':>6}")
    for path in sorted((CORPUS / "pdfs").glob("*.pdf")):
        if names and not any(n in path.name for n in names):
            continue
        reference = outline_reference(path.name)
        if not reference:
            continue
        started = time.perf_counter()
        doc = clean.clean_document(raw_document(path))
        doc = replace(doc, toc=toc.build_toc(doc, "auto"))
        doc = replace(doc, sections=sections.build_sections(doc))
        flat = sections.all_sections(doc)
        refs = [
            r for r in reference if r.get("level", 9) <= 2 and r.get("page") and r["page"] <= doc.page_count
        ]
        found = 0
        for ref in refs:
            wanted = normalize(ref["title"])
            if any(
                s.found
                and s.pdf_page == ref["page"]
                and s.full_text().strip()
                # the bookmark may carry the number the section keeps apart ("Appendix B: Model Construction")
                and max(similar(normalize(t), wanted) for t in (s.title, f"{s.number} {s.title}")) >= 0.8
                for s in flat
            ):
                found += 1
        skip = listing_pages(doc)
        body = Counter(
            w for p in doc.clean_pages if p.number not in skip for ln in p.lines for w in _words(ln.text)
        )
        # the contents pages are front matter: their words may be in the front section
        got = Counter(w for s in flat for w in _words(s.text))
        got.update(w for s in flat if s.kind != "front" and s.found for w in _words(s.title))
        n = sum(body.values())
        once = sum(min(body[w], got[w]) for w in body)
        dup = sum(max(0, got[w] - body[w]) for w in got if w in body)
        lost = n - once
        total_refs += len(refs)
        total_found += found
        total_words += n
        total_once += once - min(dup, once)
        total_lost += lost
        total_dup += dup
        share = found / len(refs) if refs else 1.0
        words = (once - min(dup, once)) / n if n else 1.0
        print(
            f"{path.name[:44]:44} {len(refs):5d} {share:6.2f} {words:7.3f} {lost / max(n, 1):6.3f} "
            f"{dup / max(n, 1):6.3f} {time.perf_counter() - started:5.1f}s"
        )
    print()
    print(
        f"level-1/2 sections found at the bookmark's page with text: {total_found}/{total_refs} "
        f"= {total_found / max(total_refs, 1):.3f} (target 0.90)"
    )
    print(
        f"body words in exactly one section: {total_once / max(total_words, 1):.3f} (target 0.95); "
        f"lost {total_lost / max(total_words, 1):.3f}, duplicated {total_dup / max(total_words, 1):.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
