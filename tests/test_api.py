"""ifri as a library: the README's Python examples run as shown (on the sample, a text file, bytes
from stdin and a PDF), a Document pickles whole, and documents read together, or in threads, give
what each gives alone."""

from __future__ import annotations

import contextlib
import io
import json
import pickle
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pdfgen import simple_report
from typer.testing import CliRunner

import ifri_cli
from ifri_cli.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"
SAMPLES = Path(__file__).resolve().parent.parent / "ifri_cli" / "samples"
runner = CliRunner()


def readme_example() -> str:
    section = README.read_text(encoding="utf-8").split("## Python API", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert blocks, "the README's Python API section has no example"
    return blocks[0]


def run_example(source: object) -> str:
    """The README's example, on ``source`` instead of "report.pdf"; what it prints."""
    code = readme_example().replace('"report.pdf"', "SOURCE")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {"SOURCE": source})  # noqa: S102 - our own README
    return out.getvalue()


def test_readme_example_on_the_sample_pdf() -> None:
    out = run_example(ifri_cli.sample_path())
    assert out.startswith("Russia's Return to Latin America 13 contents\n")
    assert "VENEZUELA: THE SHOWCASE PARTNERSHIP 3 6" in out
    assert "Chávez" in out and "sections" in out


def test_readme_example_on_the_sample_as_text() -> None:
    out = run_example(str(SAMPLES / "sample.txt"))
    assert "VENEZUELA" in out and "Chávez" in out


def test_readme_example_on_bytes_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (SAMPLES / "sample.txt").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert "Chávez" in run_example("-")
    assert run_example(data) == run_example(str(SAMPLES / "sample.txt"))


def test_readme_example_on_a_generated_pdf(tmp_path: Path) -> None:
    pdf = simple_report(tmp_path / "report.pdf")
    code = readme_example().replace('doc.section("venezuela")', "doc.all_sections()[1]")
    code = code.replace('"report.pdf"', repr(str(pdf))).replace('"chavez"', '"energy"')
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102


def test_the_api_answers_as_the_commands_do(tmp_path: Path) -> None:
    sample = ifri_cli.sample_path()
    doc = ifri_cli.open_document(sample)
    exported = json.loads(runner.invoke(app, ["export", sample, "--json"]).stdout)
    assert doc.to_dict() == exported
    info = json.loads(runner.invoke(app, ["info", sample, "--json"]).stdout)
    assert doc.info() == info
    hits = json.loads(runner.invoke(app, ["search", "chavez", sample, "--json"]).stdout)["hits"]
    assert [h.to_dict() for h in doc.search("chavez")] == hits
    summary = json.loads(runner.invoke(app, ["summary", sample, "--json", "-n", "3"]).stdout)
    assert [s.to_dict() for s in doc.summary(3)] == summary["sentences"]
    section = runner.invoke(app, ["section", "venezuela", sample]).stdout
    assert doc.section_text(doc.section("venezuela")).strip() == section.strip()
    text = runner.invoke(app, ["text", sample]).stdout
    assert doc.text() == text


def test_errors_carry_what_the_command_line_says(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.pdf"
    with pytest.raises(ifri_cli.InputError) as caught:
        ifri_cli.open_document(missing)
    result = runner.invoke(app, ["toc", str(missing)])
    assert result.exit_code == caught.value.exit_code == 2
    assert result.stderr == f"ifri: error: {caught.value.message}\n"
    doc = ifri_cli.open_document(ifri_cli.sample_path())
    with pytest.raises(ifri_cli.SectionNotFound):
        doc.section("no such words anywhere")
    with pytest.raises(ifri_cli.Ambiguous) as ambiguous:
        doc.section("the")
    assert len(ambiguous.value.candidates) > 1


def test_a_document_pickles_whole() -> None:
    doc = ifri_cli.open_document(ifri_cli.sample_path(), cache=False)
    doc.search("chavez")  # fills what it derives from its pages, which is not pickled
    copy = pickle.loads(pickle.dumps(doc))
    assert type(copy) is ifri_cli.Document and copy == doc
    assert copy.to_dict() == doc.to_dict()
    assert [h.to_dict() for h in copy.search("chavez")] == [h.to_dict() for h in doc.search("chavez")]


def _answers(doc: ifri_cli.Document) -> object:
    return (
        doc.toc,
        doc.to_dict(),
        [h.to_dict() for h in doc.search("the", max_hits=40)],
        [s.to_dict() for s in doc.summary(3)],
    )


def test_documents_together_and_in_threads_give_what_each_gives_alone(tmp_path: Path) -> None:
    paths = [ifri_cli.sample_path(), str(SAMPLES / "sample.txt")]
    paths.append(str(simple_report(tmp_path / "r.pdf")))
    alone = [_answers(ifri_cli.open_document(p, cache=False)) for p in paths]
    docs = [ifri_cli.open_document(p, cache=False) for p in paths]  # all open at once
    assert [_answers(d) for d in reversed(docs)] == list(reversed(alone))
    with ThreadPoolExecutor(3) as pool:  # read and structured in threads, at the same time
        read = pool.map(lambda p: _answers(ifri_cli.open_document(p, cache=False)), paths * 2)
        threaded = list(read)
    assert threaded == alone * 2


def test_all_names_what_is_stable() -> None:
    for name in ifri_cli.__all__:
        assert getattr(ifri_cli, name) is not None, name
    assert {"open_document", "Document", "Section", "SearchHit", "IfriError"} <= set(ifri_cli.__all__)
    with pytest.raises(AttributeError):
        _ = ifri_cli.not_a_name  # type: ignore[attr-defined]


def test_all_and_the_lazy_names_agree() -> None:
    from ifri_cli import _WHERE  # type: ignore[attr-defined]

    assert set(ifri_cli.__all__) == set(_WHERE) | {"__version__", "sample_path"}
