from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pdfgen import LOREM, PageSpec, Para, Spec, make_pdf, simple_report
from typer.testing import CliRunner

import ifri_cli
from ifri_cli.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return simple_report(tmp_path_factory.mktemp("pdf") / "report.pdf", printed_numbers=True)


def test_toc_plain_in_a_pipe(report: Path) -> None:
    result = runner.invoke(app, ["toc", str(report)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "1 Introduction\t1\n  1.1 Scope of the study\t2\n2 Oil and debt\t3\n  2.1 Rosneft in Venezuela\t4\n"
    )
    assert "\x1b[" not in result.stdout


def test_toc_json_contract(report: Path) -> None:
    result = runner.invoke(app, ["toc", str(report), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    assert data["source"] == "outline"
    assert data["document"]["pages"] == 5
    assert data["entries"][3] == {
        "number": "2.1",
        "title": "Rosneft in Venezuela",
        "level": 2,
        "page": "4",
        "pdf_page": 5,
        "kind": "section",
    }


def test_toc_color_always_gives_a_tree(report: Path) -> None:
    result = runner.invoke(app, ["toc", str(report), "--color", "always"])
    assert result.exit_code == 0
    assert "Rosneft in Venezuela" in result.stdout and "└──" in result.stdout


def test_info_json(report: Path) -> None:
    data = json.loads(runner.invoke(app, ["info", str(report), "--json"]).stdout)
    assert data["metadata"]["title"] == "Energy and Security in the Caribbean"
    assert data["pages"] == 5 and data["outline_entries"] == 4
    assert data["words"] > 50


def test_text_file_and_stdin() -> None:
    text = "A Short Note\nJohn Smith\n\fIntroduction\nSome words here.\n\f"
    result = runner.invoke(app, ["text", "-"], input=text)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\f") == 2
    assert "Some words here." in result.stdout
    info = json.loads(runner.invoke(app, ["info", "-", "--json"], input=text).stdout)
    assert info["kind"] == "text" and info["pages"] == 2
    assert info["document"]["path"] is None


def test_missing_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["toc", str(tmp_path / "missing.pdf")])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("ifri: error:") and "no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_not_a_document(tmp_path: Path) -> None:
    png = tmp_path / "figure.pdf"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    result = runner.invoke(app, ["info", str(png)])
    assert result.exit_code == 2 and "PNG image" in result.stderr


def test_toc_without_structure_says_so() -> None:
    result = runner.invoke(app, ["toc", "-"], input="just a line of text\n")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no table of contents" in result.stderr


def test_version_and_help() -> None:
    assert runner.invoke(app, ["--version"]).stdout.startswith("ifri ")
    help_text = runner.invoke(app, ["toc", "--help"]).stdout
    assert "Exit codes" in help_text and "Example" in help_text


def test_pipe_closed_early_is_quiet(report: Path) -> None:
    proc = subprocess.run(
        f"{sys.executable} -m ifri_cli text '{report}' | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout.strip() == "Energy and Security in the Caribbean"
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr


def test_a_section_with_no_text_of_its_own_says_so(tmp_path: Path) -> None:
    pdf = make_pdf(
        tmp_path / "empty.pdf",
        Spec(
            [
                PageSpec([Para("Street sweeping", 14, "B", 1), Para("Speed limits", 14, "B", 1), LOREM]),
                PageSpec([Para("Safety", 14, "B", 1), LOREM]),
            ]
        ),
    )
    result = runner.invoke(app, ["section", "sweeping", str(pdf)])
    assert result.exit_code == 0 and result.stdout == ""
    assert "'Street sweeping' (p. pdf 1) has no text of its own" in result.stderr
    speed = runner.invoke(app, ["section", "speed", str(pdf)])
    assert speed.stdout.strip() and not speed.stderr
    # JSON says it with its empty text, and nothing else on stderr
    data = json.loads(runner.invoke(app, ["section", "sweeping", str(pdf), "--json"]).stdout)
    assert data["sections"][0]["text"] == ""


def test_the_typer_start_up_shortcut_applies_to_the_installed_typer() -> None:
    """cli/speedups.py reaches into Typer's internals to skip pydantic at start-up. When a Typer
    release changes them, the shortcut stands aside (ifri still works, only slower): this test is
    what says so, loudly."""
    from ifri_cli.cli import speedups

    applied = speedups.install()
    assert applied == {"skip_pydantic": True, "resolve_annotations_once": True}, (
        f"the installed Typer no longer takes ifri's start-up shortcut ({applied}): update "
        "ifri_cli/cli/speedups.py for it"
    )


def test_a_shortcut_that_fails_hands_the_value_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    from ifri_cli.cli import speedups

    def broken(*_args: object) -> object:
        raise TypeError("a Typer whose internals changed underneath")

    monkeypatch.setattr(speedups, "_plain", broken)
    result = runner.invoke(app, ["search", "chavez", ifri_cli.sample_path(), "--max", "1", "-C", "0"])
    assert result.exit_code == 0 and result.stdout.count("\n") == 1


def test_an_error_outside_a_command_is_one_line_and_exit_70(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import ifri_cli.cli as cli

    def explode(**_kwargs: object) -> None:
        raise RuntimeError("while parsing the arguments")

    monkeypatch.setattr(cli, "app", explode)
    monkeypatch.setattr(sys, "argv", ["ifri", "toc"])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 70
    err = capsys.readouterr().err
    assert err.startswith("ifri: internal error: RuntimeError: while parsing the arguments")
    assert err.count("\n") == 1
