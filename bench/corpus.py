"""Shared helpers for the benchmarks: where the corpus is, and a raw-parse cache for development.

The raw cache (``bench/out/raw``) keeps ``ingest.load()`` results so that iterating on
cleaning, TOC and section heuristics does not re-run pdfminer every time. It is keyed on the
code that reads a file (``ingest`` and every module it imports), as the parse cache's raw entries are,
and on the PDF engine: every benchmark reads the corpus with ``$IFRI_ENGINE`` (pdfminer unless set),
so ``IFRI_ENGINE=pdfium python bench/toc_bench.py`` scores the PDFium engine.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import pickle
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ifri_cli import cache, ingest  # noqa: E402
from ifri_cli.model import Document  # noqa: E402
from ifri_cli.pdf import engine_name  # noqa: E402

CORPUS = Path(os.environ.get("IFRI_CORPUS", REPO.parent / "shared" / "corpus"))
RAW_CACHE = REPO / "bench" / "out" / "raw"


def pdfs() -> list[Path]:
    return sorted((CORPUS / "pdfs").glob("*.pdf"))


def manifest() -> dict[str, dict[str, str]]:
    with open(CORPUS / "manifest.tsv", encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh, delimiter="\t")}


def outline_reference(name: str) -> list[dict] | None:
    path = CORPUS / "outlines" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def raw_document(path: Path) -> Document:
    """``ingest.load(path)``, cached on disk for development runs."""
    RAW_CACHE.mkdir(parents=True, exist_ok=True)
    package = REPO / "ifri_cli"
    src = hashlib.sha256()
    for name in sorted(cache.import_closure(package, cache.RAW_ROOT)):
        src.update(name.encode() + b"\0" + (package / name).read_bytes())
    engine = engine_name()
    suffix = "" if engine == "pdfminer" else f".{engine}"
    key = RAW_CACHE / f"{path.name}.{src.hexdigest()[:10]}{suffix}.pickle"
    if key.exists():
        with open(key, "rb") as fh:
            return pickle.load(fh)
    doc = ingest.load(path)
    tmp = key.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(doc, fh)
    tmp.replace(key)
    return doc


if __name__ == "__main__":
    import time

    for pdf in pdfs():
        t = time.perf_counter()
        try:
            doc = raw_document(pdf)
            print(f"{pdf.name}: {doc.page_count} pages, {time.perf_counter() - t:.1f}s", flush=True)
        except Exception as exc:  # noqa: BLE001
            print(f"{pdf.name}: ERROR {type(exc).__name__}: {exc}", flush=True)
