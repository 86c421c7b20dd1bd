"""Rendered output of the sample paper, compared with golden files at a fixed width.

Regenerate after an intended change with ``pytest tests/test_golden.py --update-golden``
and review the diff.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from ifri_cli import open_document, render, sample_path
from ifri_cli.model import Document

GOLDEN = Path(__file__).parent / "golden"
WIDTH = 88


@pytest.fixture(scope="module")
def sample() -> Document:
    return open_document(sample_path())


def _rich(renderable: object) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=WIDTH, force_terminal=True, no_color=True, highlight=False)
    console.print(renderable)
    return buffer.getvalue()


def _check(name: str, actual: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing: run pytest with --update-golden"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def test_toc_plain(sample: Document, update_golden: bool) -> None:
    assert sample.toc is not None
    _check("sample-toc.txt", render.toc_plain(sample.toc), update_golden)


def test_toc_tree(sample: Document, update_golden: bool) -> None:
    assert sample.toc is not None
    _check("sample-toc-tree.txt", _rich(render.toc_rich(sample, sample.toc)), update_golden)


def test_info_plain(sample: Document, update_golden: bool) -> None:
    data = sample.info()
    data["document"]["path"] = "sample.pdf"  # the installed path differs between machines
    _check("sample-info.txt", render.info_plain(data), update_golden)


def test_section_plain(sample: Document, update_golden: bool) -> None:
    section = sample.section("venezuela")
    _check("sample-section-venezuela.txt", render.section_plain(section.full_text()), update_golden)
