"""The PDF engines: pdfminer.six (the default) and PDFium (``pip install 'ifri[fast]'``) feed the same
pipeline, the engine is chosen by option or $IFRI_ENGINE, said by ``info`` and kept apart in the cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pdfgen import PageSpec, Para, Spec, make_pdf, simple_report
from typer.testing import CliRunner

from ifri_cli import cache, ingest, open_document
from ifri_cli.cli import app
from ifri_cli.errors import EncryptedPDF, UsageError
from ifri_cli.pdf import engine_name

runner = CliRunner()
needs_pdfium = pytest.mark.skipif(
    __import__("importlib").util.find_spec("pypdfium2") is None, reason="pypdfium2 is not installed"
)


def test_engine_name_from_option_environment_or_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IFRI_ENGINE", raising=False)
    assert engine_name() == "pdfminer"
    assert engine_name("PDFium") == "pdfium"
    monkeypatch.setenv("IFRI_ENGINE", "pdfium")
    assert engine_name() == "pdfium"
    assert engine_name("pdfminer") == "pdfminer"
    monkeypatch.setenv("IFRI_ENGINE", "mupdf")
    with pytest.raises(UsageError, match=r"unknown PDF engine 'mupdf' \(from \$IFRI_ENGINE\)"):
        engine_name()


def test_missing_pypdfium2_is_a_usage_error_saying_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pypdfium2" else real(name, *a)
    )
    pdf = simple_report(tmp_path / "r.pdf")
    result = runner.invoke(app, ["toc", str(pdf), "--engine", "pdfium", "--no-cache"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "ifri: error: the pdfium engine needs pypdfium2, which is not installed (pip install 'ifri[fast]')"
    ]


def test_info_says_which_engine_read_the_file(tmp_path: Path) -> None:
    pdf = simple_report(tmp_path / "r.pdf")
    result = runner.invoke(app, ["info", str(pdf), "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["engine"] == "pdfminer"
    result = runner.invoke(app, ["info", str(pdf)])
    assert "Engine: pdfminer.six\n" in result.stdout
    text = tmp_path / "notes.txt"
    text.write_text("Notes\n\nA few words of text.\n", encoding="utf-8")
    result = runner.invoke(app, ["info", str(text), "--json"])
    assert json.loads(result.stdout)["engine"] is None
    assert "Engine:" not in runner.invoke(app, ["info", str(text)]).stdout


def test_the_engine_is_part_of_the_cache_key() -> None:
    digest = cache.content_hash(b"%PDF-1.4 the same bytes")
    assert cache.raw_key(digest, "pdfminer") != cache.raw_key(digest, "pdfium")
    assert cache.document_key(digest, "auto", "pdfminer") != cache.document_key(digest, "auto", "pdfium")
    assert cache.raw_key(digest) == cache.raw_key(digest, "pdfminer")


@needs_pdfium
def test_pdfium_reads_what_pdfminer_reads(tmp_path: Path) -> None:
    pdf = simple_report(tmp_path / "r.pdf", labels=True)
    miner = ingest.load(pdf, engine="pdfminer", jobs=1)
    fast = ingest.load(pdf, engine="pdfium", jobs=1)
    assert (miner.engine, fast.engine) == ("pdfminer", "pdfium")
    assert fast.outline == miner.outline
    assert [p.label for p in fast.pages] == [p.label for p in miner.pages] == ["i", "1", "2", "3", "4"]
    assert fast.metadata == miner.metadata
    for a, b in zip(miner.pages, fast.pages, strict=True):
        assert (a.width, a.height) == (b.width, b.height)
        assert [ln.text for ln in a.lines] == [ln.text for ln in b.lines]
        assert [(ln.size, ln.bold, ln.italic) for ln in a.lines] == [
            (ln.size, ln.bold, ln.italic) for ln in b.lines
        ]
        for x, y in zip(a.lines, b.lines, strict=True):
            assert abs((x.top or 0) - (y.top or 0)) <= 1 and abs((x.x0 or 0) - (y.x0 or 0)) <= 1


@needs_pdfium
def test_pdfium_document_has_the_same_structure(tmp_path: Path) -> None:
    pdf = simple_report(tmp_path / "r.pdf", printed_numbers=True)
    miner = open_document(pdf, engine="pdfminer", cache=False)
    fast = open_document(pdf, engine="pdfium", cache=False)
    assert fast.toc == miner.toc
    assert [s.to_dict() for s in fast.all_sections()] == [s.to_dict() for s in miner.all_sections()]
    assert fast.info()["engine"] == "pdfium"


@needs_pdfium
def test_pdfium_from_the_environment_and_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = simple_report(tmp_path / "r.pdf")
    monkeypatch.setenv("IFRI_ENGINE", "pdfium")
    result = runner.invoke(app, ["info", str(pdf), "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["engine"] == "pdfium"
    # the option wins over the environment, and the cache keeps the two apart
    result = runner.invoke(app, ["info", str(pdf), "--json", "--engine", "pdfminer"])
    assert json.loads(result.stdout)["engine"] == "pdfminer"
    result = runner.invoke(app, ["toc", str(pdf), "--engine", "pdfium"])
    assert result.exit_code == 0 and result.stdout.startswith("1 Introduction\t")


@needs_pdfium
def test_pdfium_pages_are_the_same_whatever_the_jobs(tmp_path: Path) -> None:
    pages = [PageSpec([Para(f"Chapter {i}", 14, "B", 1), f"Text of page {i} " * 30]) for i in range(1, 13)]
    pdf = make_pdf(tmp_path / "long.pdf", Spec(pages))
    one = ingest.load(pdf, engine="pdfium", jobs=1)
    two = ingest.load(pdf, engine="pdfium", jobs=2)
    assert one.pages == two.pages
    assert [p.lines[0].text for p in one.pages] == [f"Chapter {i}" for i in range(1, 13)]


@needs_pdfium
def test_pdfium_encrypted_and_broken(tmp_path: Path) -> None:
    spec = Spec([PageSpec([Para("Secret report"), "Some text in it."])])
    spec.password = "s3cret"
    pdf = make_pdf(tmp_path / "enc.pdf", spec)
    with pytest.raises(EncryptedPDF, match="needs a password"):
        ingest.load(pdf, engine="pdfium")
    with pytest.raises(EncryptedPDF, match="wrong"):
        ingest.load(pdf, engine="pdfium", password="nope")
    assert "Secret report" in ingest.load(pdf, engine="pdfium", password="s3cret").pages[0].text
    good = simple_report(tmp_path / "r.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(good[: len(good) * 2 // 3])
    result = runner.invoke(app, ["toc", str(cut), "--engine", "pdfium", "--no-cache"])
    assert result.exit_code in (0, 2)
    assert "Traceback" not in result.stderr
    assert "truncated" in result.stderr


def test_an_unknown_engine_in_the_environment_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IFRI_ENGINE", "mupdf")
    result = runner.invoke(app, ["toc", str(simple_report(tmp_path / "r.pdf"))])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "ifri: error: unknown PDF engine 'mupdf' (from $IFRI_ENGINE): choose one of pdfminer, pdfium\n"
    )
    result = runner.invoke(app, ["toc", "--engine", "mupdf", str(simple_report(tmp_path / "r.pdf"))])
    assert result.exit_code == 2 and "mupdf" in result.stderr
