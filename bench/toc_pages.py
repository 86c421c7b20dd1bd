"""Which pages does ``ifri toc`` need? Per corpus PDF, what each stage reads, and whether a lazy
``toc`` (laying out only the pages it needs) could prove that it prints what a full parse prints.

    python bench/toc_pages.py [--raw DIR] [--only NAME ...] [--json]

``--raw DIR``: laid-out PDFs pickled by ``bench/snapshot.py --raw`` (``DIR/<stem>.pickle``);
without it (or for a file missing there) the bench raw cache is used (``bench/out/raw``).

For each PDF (``toc`` with ``--source auto``, and ``--source outline`` where there is an outline):

* ``labels``: ``/PageLabels`` read from the catalogue (no page), or printed numbers inferred by
  votes over the page-number lines of every page (all pages);
* ``verify``: the pages ``structure.toc.verify`` reads to count the outline titles found in the
  text (each bookmark's page, then the next and the previous until the title is found). The count
  is printed by ``--explain`` in both sources, so every entry must be checked, not just half;
* ``contents``: whether the outline's numbers are taken from the printed contents page (half of
  the bookmarks or more without a number): the contents scan reads every page (running rows
  counted over all of them; a contents heading may be on any page);
* ``entries``: the outline titles found (``found``) by where the matching line sits, because the
  text ``verify`` reads is the *cleaned* text, and cleaning decides per line from every page:
  ``edge``: the line is in a page's first or last rows, so it is a running header when its text
  comes back at that edge on enough other pages; ``low``: in the lower half of the page, so it is
  footnote small print when smaller than the document's body size (the commonest size over every
  page); ``local``: neither, its fate decided by its own page (the vocabulary-driven repairs only
  touch spaces and hyphens, which the comparison ignores); ``pair``: found only on two or three
  lines joined (which lines are neighbours depends on what cleaning removed between them);
  ``missing``: not found (proving it stays missing after cleaning needs cleaning too);
* ``pages``: what a lazy ``toc`` would have to lay out at the least: the verify pages and the
  first six and the last page (metadata, language), out of all the pages today;
* ``lazy``: ``yes`` only when nothing above needs every page: page labels from the catalogue, no
  contents scan, no bookmark to place by its title, and every entry ``local``. Even then one thing
  stays unproven: a page that is not laid out may fail to lay out, and the full parse lists that
  failure (and counts empty pages) in the document's warnings, which ``toc --json`` prints.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import REPO, pdfs, raw_document  # noqa: E402

from ifri_cli.document import structure  # noqa: E402
from ifri_cli.model import Document, Page, TocEntry  # noqa: E402
from ifri_cli.structure import toc as toc_stage  # noqa: E402
from ifri_cli.structure.locate import compact  # noqa: E402
from ifri_cli.text.furniture import _edge_lines  # noqa: E402


class _Reads(tuple[Page, ...]):
    """Pages that remember which of them were looked at (by index)."""

    seen: set[int]

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, int):
            self.seen.add(index % len(self) + 1)
        return super().__getitem__(index)


def _recording(pages: tuple[Page, ...]) -> _Reads:
    out = _Reads(pages)
    out.seen = set()
    return out


def _where_found(raw: Document, clean: Document, entry: TocEntry) -> str:
    """How the title of ``entry`` is found in the clean text, judged by where it sits on the raw page."""
    if not toc_stage.verify(clean, [entry])[1]:
        return "missing"
    target = compact(entry.title)
    assert entry.pdf_page is not None
    kinds = []
    for number in (entry.pdf_page, entry.pdf_page + 1, entry.pdf_page - 1):
        if not 1 <= number <= raw.page_count:
            continue
        page = raw.pages[number - 1]
        edge = _edge_lines(page)
        half = (page.height or 0.0) / 2
        for i, line in enumerate(page.lines):
            text = compact(line.text)
            if not text or not _matches(text, target):
                continue
            if i in edge:
                kinds.append("edge")
            elif (line.top or 0.0) > half:
                kinds.append("low")
            else:
                kinds.append("local")
        if kinds:
            break
    if "local" in kinds:
        return "local"
    return kinds[0] if kinds else "pair"


def _matches(text: str, target: str) -> bool:
    """A single line as ``verify`` accepts it (its pairs and triples of lines aside)."""
    if text == target or (len(target) >= 6 and text.startswith(target)):
        return True
    close = abs(len(text) - len(target)) <= max(3, 0.2 * len(target))
    return close and toc_stage._similar(text, target)


def survey(name: str, raw: Document) -> dict[str, Any]:
    n = raw.page_count
    full = structure(raw, "auto")
    row: dict[str, Any] = {
        "file": name,
        "pages": n,
        "labels": "catalogue" if raw.has_page_labels else f"inferred from all {n}",
        "auto": full.toc.source if full.toc else "none",
        "outline": len(raw.outline),
    }
    entries, _notes, rejected = toc_stage.from_outline(full)
    if not entries or rejected:
        row.update(lazy="no: no usable outline, so contents or headings: every page", need=n)
        return row
    dangling = sum(1 for item in raw.outline if item.pdf_page is None)
    placed = 0 < dangling * 2 <= len(raw.outline)
    contents = sum(e.number is None for e in entries) * 2 >= len(entries)
    recorded = replace(full, clean_pages=_recording(full.clean_pages))
    toc_stage.verify(recorded, entries)
    verify_pages = sorted(recorded.clean_pages.seen)  # type: ignore[attr-defined]
    kinds: dict[str, int] = {}
    for entry in entries:
        if entry.pdf_page is not None:
            kind = _where_found(raw, full, entry)
            kinds[kind] = kinds.get(kind, 0) + 1
    front = set(range(1, min(n, 6) + 1)) | {n}
    need = len(set(verify_pages) | front)
    reasons = []
    if full.toc and full.toc.source != "outline":
        reasons.append(f"auto uses the {full.toc.source}: every page")
    if not raw.has_page_labels:
        reasons.append("labels inferred from every page")
    if contents:
        reasons.append("outline numbers from the contents scan: every page")
    if placed:
        reasons.append("dangling bookmarks placed by title: every page")
    unsure = {k: v for k, v in kinds.items() if k != "local"}
    if unsure:
        reasons.append(
            "entries whose cleaned line depends on other pages: "
            + ", ".join(f"{v} {k}" for k, v in sorted(unsure.items()))
        )
    row.update(
        entries=len(entries),
        contents=contents,
        verify=len(verify_pages),
        found=kinds,
        need=need,
        lazy="yes" if not reasons else "no: " + "; ".join(reasons),
    )
    return row


def _load(path: Path, raw_dir: Path | None) -> Document:
    if raw_dir is not None and (pickled := raw_dir / f"{path.stem}.pickle").exists():
        doc = pickle.loads(pickled.read_bytes())
        if isinstance(doc, Document):
            return doc
    return raw_document(path)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--raw", type=Path, help="laid-out PDFs pickled by bench/snapshot.py --raw")
    parser.add_argument("--only", nargs="*", help="only the corpus files whose name contains one of these")
    parser.add_argument("--json", action="store_true", help="one JSON object a line")
    args = parser.parse_args()
    files = [("sample", REPO / "ifri_cli" / "samples" / "sample.pdf")] + [(p.stem, p) for p in pdfs()]
    rows = []
    for stem, path in files:
        if args.only and not any(k in stem for k in args.only):
            continue
        row = survey(stem, _load(path, args.raw))
        rows.append(row)
        if args.json:
            print(json.dumps(row), flush=True)
            continue
        found = " ".join(f"{k}={v}" for k, v in sorted(row.get("found", {}).items()))
        print(
            f"{stem[:40]:40} {row['pages']:4}p  auto={row['auto']:8} outline={row['outline']:3}"
            f"  verify={row.get('verify', '-'):>3}p  need>={row['need']:3}p  {found}",
            flush=True,
        )
        print(f"{'':40} lazy {row['lazy']}", flush=True)
    if not args.json:
        lazy = sum(1 for r in rows if r["lazy"] == "yes")
        print(f"{lazy} of {len(rows)} files could be answered from part of their pages")


if __name__ == "__main__":
    main()
