"""Untrusted documents: nothing a file holds may drive the terminal.

A document's text, /Info metadata, bookmarks, page labels and its file name may hold escape
sequences (``ESC[2J``, ``ESC]0;title BEL``), other C0 and C1 control characters and bidi
overrides. They are neutralised once, where they enter the model (``ifri_cli.text.safe``): these
tests run every command in every output mode (pipe, ``--json``, ``--color always``, Markdown,
``split`` files and their names, stderr) on generated hostile inputs and look for any of them,
and a property test does the same on documents hypothesis makes up.
"""

from __future__ import annotations

import json
import re
from importlib.util import find_spec
from pathlib import Path

import pytest
from hostile import ESC, PAYLOADS, evil, evil_pdf, evil_report, evil_text, report_pages
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ifri_cli import open_document
from ifri_cli.cli import app
from ifri_cli.model import Line, OutlineItem, Page
from ifri_cli.text.safe import safe, safe_outline, safe_page

runner = CliRunner()

# what no output may hold, but for the tab, newline and form feed ifri writes itself
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0d-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
RICH_STYLE = re.compile("\x1b\\[[0-9;]*m")  # the styles ifri's Rich output is made of

# the boundary is where strings enter the model, whichever engine read them
HAS_PDFIUM = find_spec("pypdfium2") is not None
PDFIUM = pytest.param("pdfium", marks=pytest.mark.skipif(not HAS_PDFIUM, reason="pypdfium2 is not installed"))
ENGINES = ["pdfminer", PDFIUM]


def forbidden(text: str) -> list[str]:
    return sorted({f"U+{ord(c):04X}" for c in FORBIDDEN.findall(text)})


def json_strings(value: object) -> str:
    """Every string of a JSON document, decoded: what ``jq -r`` would print."""
    if isinstance(value, str):
        return value + "\n"
    if isinstance(value, dict):
        return "".join(json_strings(k) + json_strings(v) for k, v in value.items())
    if isinstance(value, list):
        return "".join(json_strings(v) for v in value)
    return ""


def check_output(result, mode: str) -> None:  # noqa: ANN001
    detail = (
        f"{mode}: exit {result.exit_code}\nstdout {result.stdout[:400]!r}\nstderr {result.stderr[:400]!r}"
    )
    assert result.exit_code in (0, 1, 2, 3), detail
    if result.exit_code == 2:  # refused (a NUL byte: binary), in one line
        assert result.stdout == "" and result.stderr.startswith("ifri: error: "), detail
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, detail
    out = RICH_STYLE.sub("", result.stdout) if mode == "color" else result.stdout
    assert not forbidden(out), (forbidden(out), detail)
    assert not forbidden(result.stderr), (forbidden(result.stderr), detail)
    if mode == "json" and result.exit_code == 0:
        strings = json_strings(json.loads(result.stdout))
        assert not forbidden(strings), (forbidden(strings), detail)


# --- the one boundary: text.safe ------------------------------------------------------------


def test_escape_sequences_become_visible_and_inert() -> None:
    assert safe("a\x1b[2Jb") == "a\u241b[2Jb"  # ␛[2J
    assert safe(ESC + "]0;pwned\x07") == "\u241b]0;pwned\u2407"  # ␛]0;pwned␇
    assert safe("\x00\x08\x7f") == "\u2400\u2408\u2421"


def test_tab_stays_and_breaks_inside_a_line_become_spaces() -> None:
    assert safe("a\tb") == "a\tb"
    assert safe("a\rb\nc\x0bd\x0ce\x1cf") == "a b c d e f"


def test_c1_controls_are_read_as_windows_1252() -> None:
    # what a Windows-1252 file decoded as Latin-1 leaves in place of its punctuation
    assert safe("\x93quoted\x94 \x96 it\x92s\x85") == "\u201cquoted\u201d \u2013 it\u2019s\u2026"
    assert safe("\x81\x8d\x8f\x90\x9d") == "\ufffd" * 5  # undefined there
    assert safe("\x9b31m") == "\u203a31m"  # CSI cannot start a sequence


def test_bidi_overrides_and_isolates_are_removed_marks_stay() -> None:
    assert safe("abc\u202edef\u2066g\u2069") == "abcdefg"
    assert safe("\u200e\u200f\u061c") == "\u200e\u200f\u061c"


def test_lone_surrogates_cannot_break_the_output() -> None:
    assert safe("file-\udc9b.pdf") == "file-\ufffd.pdf"


def test_safe_text_is_returned_as_it_is() -> None:
    text = "Plain words, accents é, [bold]markup[/bold], emoji \U0001f600, tab\there."
    assert safe(text) is text


def test_pages_outline_and_labels_are_made_safe() -> None:
    page = Page(3, "\x1b[31m7", (Line("ok"), Line("bad\x07", superscripts=((0, 1),))))
    fixed = safe_page(page)
    assert fixed.label == "\u241b[31m7" and fixed.lines[0] is page.lines[0]
    assert fixed.lines[1].text == "bad\u2407" and fixed.lines[1].superscripts == ((0, 1),)
    clean = Page(1, "1", (Line("ok"),))
    assert safe_page(clean) is clean
    items = (OutlineItem("Intro\u202e\x1b[2J", 1, 2), OutlineItem("\u202e\u2066", 1, 3))
    assert safe_outline(items) == (OutlineItem("Intro\u241b[2J", 1, 2),)


def test_a_nul_byte_anywhere_makes_a_text_file_binary(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"A plain report.\n" * 1000 + b"\x00" + b"more text\n")
    result = runner.invoke(app, ["text", str(path)])
    assert result.exit_code == 2 and result.stdout == ""
    assert (
        result.stderr == "ifri: error: this is binary data (it holds NUL bytes), not a PDF or a text file\n"
    )


def test_pdfminer_words_quoting_the_file_are_escaped() -> None:
    from ifri_cli.pdf.engine import _short

    assert _short(ValueError("bad token b'\x1b[2J' \u202e here")) == "bad token b'\\x1b[2J' \\u202e here"


# --- every command, every output mode, on hostile documents -------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    return {
        "outline.pdf": evil_report(folder / "outline.pdf"),
        "plain.pdf": evil_report(folder / "plain.pdf", outline=False),
        "report.txt": evil_text(folder / "report.txt"),
    }


def cases(file: str) -> list[tuple[str, list[str]]]:
    out = []
    for base in (["toc"], ["info"], ["text"], ["search", "payload"], ["section", "background"], ["summary"]):
        out.append(("pipe", [*base, file]))
        out.append(("json", [*base, file, "--json"]))
        out.append(("color", [*base, file, "--color", "always"]))
    out += [
        ("markdown", ["section", "background", file, "--markdown"]),
        ("pipe", ["section", "2j", file]),  # ambiguous: the candidates, on stderr
        ("pipe", ["toc", "--explain", file]),
        ("json", ["export", file, "--json"]),
        ("markdown", ["export", file, "--markdown"]),
        ("pipe", ["summary", "--by-section", file]),
        ("color", ["summary", "--by-section", file, "--color", "always"]),
        ("json", ["summary", "--keywords", file, "--json"]),
        ("pipe", ["text", "--raw", file]),
    ]
    return out


@pytest.mark.parametrize(
    ("name", "engine"),
    [
        ("outline.pdf", "pdfminer"),
        ("plain.pdf", "pdfminer"),
        ("report.txt", "pdfminer"),
        pytest.param("outline.pdf", "pdfium", marks=PDFIUM.marks),
        pytest.param("plain.pdf", "pdfium", marks=PDFIUM.marks),
    ],
)
def test_no_command_lets_a_document_drive_the_terminal(
    name: str, engine: str, hostile: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IFRI_ENGINE", engine)
    file = str(hostile[name])
    for mode, args in cases(file):
        check_output(runner.invoke(app, args), mode)
    target = tmp_path / "split"
    result = runner.invoke(app, ["split", file, str(target)])
    check_output(result, "pipe")
    written = sorted(target.iterdir())
    assert written
    for path in written:
        assert not forbidden(path.name)
        assert not forbidden(path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize("name", ["outline.pdf", "report.txt"])
def test_escapes_are_shown_not_obeyed(name: str, hostile: dict[str, Path]) -> None:
    """On a terminal too, the document's own escape sequences are visible characters."""
    result = runner.invoke(app, ["search", "payload", str(hostile[name]), "--color", "always"])
    assert "\u241b[31mpayload\u241b[2J" in RICH_STYLE.sub("", result.stdout)
    result = runner.invoke(app, ["info", str(hostile[name]), "--json"])
    title = json.loads(result.stdout)["metadata"]["title"]
    assert title.startswith("Evil Title \u241b[31mpayload") if name.endswith(".pdf") else "\u241b" in title


@pytest.mark.parametrize("engine", ENGINES)
def test_metadata_bookmarks_and_labels_are_safe_in_the_model(engine: str, hostile: dict[str, Path]) -> None:
    doc = open_document(hostile["outline.pdf"], cache=False, engine=engine)
    assert doc.engine == engine
    strings = [doc.metadata.title or "", *doc.metadata.authors, doc.metadata.producer or ""]
    strings += [item.title for item in doc.outline] + [p.label or "" for p in doc.pages]
    strings += [line.text for page in doc.pages for line in page.lines]
    assert len(doc.outline) == 4 and doc.has_page_labels
    assert all(not forbidden(s) for s in strings), [s for s in strings if forbidden(s)]
    if engine == "pdfminer":  # (PDFium drops this prefix: its label is "1")
        assert doc.pages[0].label == "\u241b[31m\u2407p1"


def test_a_file_name_with_escapes_is_shown_safely(hostile: dict[str, Path], tmp_path: Path) -> None:
    clean = re.sub(FORBIDDEN, "", hostile["report.txt"].read_text(encoding="utf-8"))
    evil_name = tmp_path / "evil\x1b]0;pwned\x07\x1b[2J\u202ename.txt"
    evil_name.write_text(clean, encoding="utf-8")
    for mode, args in [
        ("pipe", ["search", "sentence", str(evil_name)]),
        ("json", ["search", "sentence", str(evil_name), "--json"]),
        ("color", ["info", str(evil_name), "--color", "always"]),
        ("pipe", ["toc", str(evil_name) + ".missing"]),
    ]:
        result = runner.invoke(app, args)
        check_output(result, mode)
    result = runner.invoke(app, ["search", "sentence", str(evil_name)])
    assert "evil\u241b]0;pwned\u2407\u241b[2Jname.txt" in result.stdout


def test_rich_markup_in_a_document_stays_literal(tmp_path: Path) -> None:
    path = tmp_path / "markup.txt"
    path.write_text("A [bold]marked[/bold] title\n\nSome [red]text[/red] here.\n", encoding="utf-8")
    result = runner.invoke(app, ["text", str(path), "--color", "always"])
    assert "[bold]marked[/bold]" in result.stdout and "[red]text[/red]" in result.stdout


# --- the property: any characters, any command, any mode -----------------------------------------

NASTY = st.sampled_from(
    [
        *PAYLOADS.values(),
        ESC,
        "\x07",
        "\x1b[0m",
        "\x1b[1;31m",
        "\x1b]8;;http://x\x1b\\",
        "\x9b2J",
        "\x00",
        "\x7f",
        "\u202e",
        "\u2067",
        "\u2069",
        "\u200f",
        "\r",
        "\x0b",
        "\x0c",
        "\t",
        "[bold]",
        "\ufeff",
        "\x85",
    ]
)
WORD = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=1, max_size=9)
CONTROLISH = st.characters(codec="utf-8", categories=("Cc", "Cf", "Zl", "Zp"))
PHRASE = st.lists(st.one_of(WORD, WORD, WORD, NASTY, CONTROLISH), min_size=1, max_size=10).map(" ".join)

PROPERTY = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

MODES = {"pipe": [], "json": ["--json"], "color": ["--color", "always"]}
COMMANDS = [
    *(
        (mode, [*command, "FILE", *flags])
        for command in (["toc"], ["info"], ["text"], ["search", "policy"], ["section", "1"], ["summary"])
        for mode, flags in MODES.items()
    ),
    ("markdown", ["section", "1", "FILE", "--markdown"]),
    ("pipe", ["toc", "FILE", "--explain"]),
    ("color", ["summary", "FILE", "--by-section", "--color", "always"]),
    ("json", ["summary", "FILE", "--keywords", "--json"]),
    ("pipe", ["summary", "FILE", "--abstract"]),
    ("json", ["export", "FILE", "--json"]),
    ("markdown", ["export", "FILE", "--markdown"]),
]


def run_everything(path: Path, tmp: Path, engine: str = "pdfminer") -> None:
    for mode, args in COMMANDS:
        argv = [str(path) if a == "FILE" else a for a in args]
        check_output(runner.invoke(app, [*argv, "--engine", engine]), mode)
    target = tmp / "split"
    check_output(runner.invoke(app, ["split", str(path), str(target), "--force", "--engine", engine]), "pipe")
    for written in target.iterdir() if target.exists() else []:
        assert not forbidden(written.name) and not forbidden(written.read_text(encoding="utf-8"))


@PROPERTY
@given(
    title=PHRASE,
    author=PHRASE,
    headings=st.lists(PHRASE, min_size=2, max_size=3),
    body=PHRASE,
    label=PHRASE,
    engine=st.sampled_from(["pdfminer", "pdfium"] if HAS_PDFIUM else ["pdfminer"]),
)
def test_any_pdf_strings_never_reach_the_output_raw(
    title: str,
    author: str,
    headings: list[str],
    body: str,
    label: str,
    engine: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    tmp = tmp_path_factory.mktemp("prop-pdf")
    pages = report_pages(len(headings), seed=3, heading=lambda i: f"{i} {headings[i - 1]}", extra=body)
    pages.insert(0, [(title, 20, True), (author, 12, False)])
    outline = [(f"{i} {h}", i + 1) for i, h in enumerate(headings, start=1)]
    path = evil_pdf(
        tmp / "doc.pdf", pages, info={"Title": title, "Author": author}, outline=outline, label_prefix=label
    )
    run_everything(path, tmp, engine)


@PROPERTY
@given(title=PHRASE, headings=st.lists(PHRASE, min_size=2, max_size=3), body=PHRASE)
def test_any_text_file_never_reaches_the_output_raw(
    title: str, headings: list[str], body: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp = tmp_path_factory.mktemp("prop-txt")
    parts = [f"{title}\n\nBy someone\n"]
    for i, heading in enumerate(headings, start=1):
        parts.append(f"{i} {heading}\n\nThe policy of the region. {body} The policy again.\n\n{i}\n")
    path = tmp / "doc.txt"
    path.write_text("\f".join(parts), encoding="utf-8", errors="surrogatepass")
    run_everything(path, tmp)


def test_evil_helper_holds_every_payload() -> None:
    text = evil("x")
    assert all(payload in text for payload in PAYLOADS.values())
