"""Every PDF of the development corpus goes through the whole pipeline and every renderer.

Skipped when ../shared/corpus is absent (the corpus is not part of the repository).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import corpus_pdfs

from ifri_cli import open_document, render
from ifri_cli.errors import IfriError
from ifri_cli.structure.sections import all_sections

PDFS = corpus_pdfs()

pytestmark = [
    pytest.mark.skipif(not PDFS, reason="the development corpus (../shared/corpus) is not here"),
    pytest.mark.slow,
]


@pytest.mark.parametrize("pdf", PDFS, ids=[p.stem for p in PDFS])
def test_corpus_pdf_reads_end_to_end(pdf: Path) -> None:
    try:
        doc = open_document(pdf)
    except IfriError as exc:  # a clear, expected refusal is fine (e.g. a scan); a crash is not
        pytest.fail(f"{pdf.name}: {exc.message}")
    assert doc.page_count > 0
    assert doc.toc is not None
    toc_json = json.loads(render.to_json(render.toc_dict(doc, doc.toc)))
    assert toc_json["schema_version"] == 1
    assert all(isinstance(e["title"], str) and e["title"] for e in toc_json["entries"])
    for entry in toc_json["entries"]:
        if entry["pdf_page"] is not None:
            assert 1 <= entry["pdf_page"] <= doc.page_count
    info = doc.info()
    assert info["pages"] == doc.page_count and info["words"] > 0
    assert render.info_plain(info).startswith("File: ")
    text = doc.text()
    assert text.count("\f") == doc.page_count
    assert "\x1b[" not in text
    assert "(cid:" not in text  # pdfminer's names for glyphs it could not map never reach the reader
    render.toc_plain(doc.toc)
    for section in all_sections(doc):
        assert section.found or not section.text
    exported = json.loads(render.to_json(doc.to_dict()))
    assert exported["sections"] or not doc.toc.entries
