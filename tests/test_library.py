"""A library of documents: indexing (incremental, parallel, interrupted), ranked search across it,
a section across it, the document list, batch export; through the Python API and the CLI."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from libgen import collection
from typer.testing import CliRunner

from ifri_cli import open_document
from ifri_cli.cli import app
from ifri_cli.errors import Ambiguous, LibraryError, SectionNotFound, UsageError
from ifri_cli.library import Library, export, find_documents, parse_year
from ifri_cli.library import parse as library_parse
from ifri_cli.library import query as library_query
from ifri_cli.library import run as library_run

runner = CliRunner()
FORK = library_run.can_fork()
GOOD = {"glaciers.pdf", "tariffs.pdf", "vaccines.pdf", "snow.txt"}
BAD = {"secret.pdf": "EncryptedPDF", "broken.pdf": "BrokenPDF", "scan.pdf": "NoTextLayer"}


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return collection(tmp_path_factory.mktemp("lib") / "docs")


@pytest.fixture(scope="module")
def built(docs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library of ``docs``, indexed once for the tests that only read it."""
    db = tmp_path_factory.mktemp("db") / "lib.db"
    with Library(db) as lib:
        lib.index([docs], jobs=1)
    return db


@pytest.fixture
def fresh(docs: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the collection (to change) and the path of a library not yet made."""
    folder = tmp_path / "docs"
    shutil.copytree(docs, folder)
    return folder, tmp_path / "lib.db"


def names(paths: object) -> set[str]:
    return {Path(str(p)).name for p in paths}  # type: ignore[attr-defined]


# --- finding the files ---------------------------------------------------------------------------


def test_folders_are_walked_for_pdfs_and_text_files(docs: Path) -> None:
    found = find_documents([docs])
    assert names(found) == GOOD | set(BAD)
    assert any("/sub/" in p for p in found)  # recursively
    # a file named explicitly is taken whatever its name; each file once
    assert names(find_documents([docs / "ignored.docx", docs, docs / "glaciers.pdf"])) == GOOD | set(BAD) | {
        "ignored.docx"
    }
    with pytest.raises(Exception, match="no such file or folder"):
        find_documents([docs / "missing"])


# --- indexing -------------------------------------------------------------------------------------


def test_index_reports_each_unreadable_file_and_keeps_going(fresh: tuple[Path, Path]) -> None:
    folder, db = fresh
    events = []
    with Library(db) as lib:
        report = lib.index([folder], jobs=1, progress=events.append)
        assert (report.added, report.updated, report.unchanged) == (4, 0, 0)
        assert {Path(f.path).name: f.kind for f in report.failed} == BAD
        reasons = {Path(f.path).name: f.reason for f in report.failed}
        assert "password" in reasons["secret.pdf"] and "OCR" in reasons["scan.pdf"]
        assert report.documents == 4 and report.sections == 16 and report.bytes > 0
        assert events[0].kind == "plan" and events[0].total == 7
        assert [e.done for e in events[1:]] == list(range(1, 8))
        assert lib.check() == []
        listed = {Path(d.path).name: d for d in lib.documents()}
        assert set(listed) == GOOD
        glaciers = listed["glaciers.pdf"]
        assert (glaciers.title, glaciers.authors, glaciers.year) == (
            "Glaciers of the Andes",
            ("Maria Lopez",),
            2018,
        )
        assert (glaciers.pages, glaciers.sections, glaciers.kind, glaciers.source) == (5, 5, "pdf", "outline")
        assert names(p for p, _, _ in lib.failures()) == set(BAD)


def test_reindex_parses_only_what_changed(fresh: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    folder, db = fresh
    with Library(db) as lib:
        lib.index([folder], jobs=1)
        parsed: list[str] = []
        real = library_parse.index_record

        def spy(path: str, data: bytes | None = None, jobs: int = 1, engine: str | None = None) -> dict:  # type: ignore[type-arg]
            parsed.append(Path(path).name)
            return real(path, data, jobs, engine)

        monkeypatch.setattr(library_parse, "index_record", spy)
        again = lib.index([folder], jobs=1)
        assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
        assert parsed == []  # failures are remembered too: not read again while unchanged
        assert all(f.known for f in again.failed) and len(again.failed) == 3

        os.utime(folder / "tariffs.pdf")  # a new time, the same bytes: no parse
        shutil.copy(folder / "snow.txt", folder / "sub" / "snow-copy.txt")  # a copy: rows copied
        note = folder / "snow.txt"
        note.write_text(note.read_text(encoding="utf-8").replace("doubled", "tripled"), encoding="utf-8")
        third = lib.index([folder], jobs=1)
        assert parsed == ["snow.txt"]
        assert (third.added, third.updated, third.unchanged) == (1, 1, 3)
        assert lib.search("tripled").hits[0].path.endswith("/snow.txt")
        assert names(h.path for h in lib.search("doubled").hits) == {"snow-copy.txt"}

        (folder / "glaciers.pdf").unlink()
        kept = lib.index([folder], jobs=1)
        assert kept.missing == 1 and kept.removed == 0 and kept.documents == 5
        pruned = lib.index([], prune=True)
        assert (pruned.removed, pruned.missing, pruned.documents) == (1, 0, 4)
        assert not lib.search("glaciers").hits
        assert lib.check() == []


def test_force_parses_everything_again(fresh: tuple[Path, Path]) -> None:
    folder, db = fresh
    with Library(db) as lib:
        lib.index([folder / "glaciers.pdf"], jobs=1)
        report = lib.index([folder / "glaciers.pdf"], jobs=1, force=True)
        assert (report.updated, report.documents) == (1, 1)


@pytest.mark.skipif(not FORK, reason="worker processes are forked")
def test_parallel_index_equals_serial(fresh: tuple[Path, Path], tmp_path: Path) -> None:
    folder, db = fresh

    def content(path: Path) -> list[tuple]:  # type: ignore[type-arg]
        conn = sqlite3.connect(path)
        return sorted(
            conn.execute(
                "SELECT d.path, d.title, d.authors, s.ord, s.number, s.title, s.page, s.pdf_page, s.text"
                " FROM sections s JOIN documents d ON d.id = s.doc_id"
            ).fetchall()
        )

    with Library(db) as serial, Library(tmp_path / "parallel.db") as parallel:
        one = serial.index([folder], jobs=1)
        two = parallel.index([folder], jobs=2)
        assert (one.added, len(one.failed)) == (two.added, len(two.failed)) == (4, 3)
        assert parallel.check() == []
    assert content(db) == content(tmp_path / "parallel.db")


_REAL_INDEX_RECORD = library_parse.index_record


def _crashing(path: str, data: bytes | None = None, jobs: int = 1, engine: str | None = None) -> dict:  # type: ignore[type-arg]
    if path.endswith("tariffs.pdf"):
        os._exit(9)  # what a segfault in the PDF reader looks like to the parent
    return _REAL_INDEX_RECORD(path, data, jobs, engine)


@pytest.mark.skipif(not FORK, reason="worker processes are forked")
def test_a_worker_that_dies_costs_only_its_file(
    fresh: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, db = fresh
    monkeypatch.setattr(library_parse, "index_record", _crashing)  # module level: workers unpickle it
    with Library(db) as lib:
        report = lib.index([folder], jobs=2)
        failed = {Path(f.path).name: f.reason for f in report.failed}
        assert "crashed" in failed.pop("tariffs.pdf")
        assert set(failed) == set(BAD) and report.added == 3
        assert lib.check() == []


needs_pdfium = pytest.mark.skipif(
    __import__("importlib").util.find_spec("pypdfium2") is None, reason="pypdfium2 is not installed"
)


@needs_pdfium
def test_the_library_records_the_engine_and_another_engine_reads_pdfs_again(
    fresh: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, db = fresh
    monkeypatch.delenv("IFRI_ENGINE", raising=False)
    with Library(db) as lib:
        lib.index([folder], jobs=1)
        assert {Path(d.path).name: d.engine for d in lib.documents()} == {
            "glaciers.pdf": "pdfminer",
            "tariffs.pdf": "pdfminer",
            "vaccines.pdf": "pdfminer",
            "snow.txt": None,
        }
        before = [(h.path, h.title) for h in lib.search("meltwater").hits]
        again = lib.index([folder], jobs=1, engine="pdfium")
        # the PDFs are read again by PDFium, the text file needs no engine; failures are retried
        assert (again.added, again.updated, again.unchanged) == (0, 3, 1)
        assert not any(f.known for f in again.failed)
        engines = {Path(d.path).name: d.engine for d in lib.documents()}
        pdfs = dict.fromkeys(("glaciers.pdf", "tariffs.pdf", "vaccines.pdf"), "pdfium")
        assert engines == {**pdfs, "snow.txt": None}
        assert [(h.path, h.title) for h in lib.search("meltwater").hits] == before  # the same answers
        monkeypatch.setenv("IFRI_ENGINE", "pdfium")  # as every command, $IFRI_ENGINE is the default
        assert lib.index([folder], jobs=1).unchanged == 4
        assert lib.check() == []
    with pytest.raises(UsageError, match="unknown PDF engine"):
        Library(folder.parent / "new.db").index([folder], engine="mupdf")
    assert not (folder.parent / "new.db").exists()


def test_a_library_of_the_first_format_is_migrated(
    fresh: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, db = fresh
    monkeypatch.delenv("IFRI_ENGINE", raising=False)
    with Library(db) as lib:
        lib.index([folder], jobs=1)
    conn = sqlite3.connect(db)  # what an ifri of format 1 made: no engine columns
    conn.execute("ALTER TABLE documents DROP COLUMN engine")
    conn.execute("ALTER TABLE failures DROP COLUMN engine")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    conn.commit()
    conn.close()
    with Library(db) as lib:
        assert {d.engine for d in lib.documents()} == {"pdfminer", None}
        assert lib.index([folder], jobs=1).unchanged == 4  # nothing read again
        assert lib.check() == []
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == ("2",)


def test_a_library_is_created_only_by_index(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    with pytest.raises(LibraryError, match="no library"):
        Library(missing).search("x")
    assert not missing.exists()
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.commit()
    with pytest.raises(LibraryError, match="not an ifri library"):
        Library(other).index([])


def test_default_library_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("IFRI_DB", str(tmp_path / "mine.db"))
    assert Library().path == str(tmp_path / "mine.db")
    monkeypatch.delenv("IFRI_DB")
    assert Library().path.endswith(os.path.join("ifri", "library.db"))


def test_no_fts5_is_a_clear_error() -> None:
    from ifri_cli.library import store

    class NoFts5:
        def execute(self, sql: str, *args: object) -> list[tuple[str]]:
            if sql.startswith("PRAGMA compile_options"):
                return [("THREADSAFE=1",)]
            raise sqlite3.OperationalError("no such module: fts5")

    with pytest.raises(LibraryError, match="no FTS5"):
        store._check_fts5(NoFts5())  # type: ignore[arg-type]


# --- searching ------------------------------------------------------------------------------------


def test_ranked_search_across_documents(built: Path) -> None:
    with Library(built) as lib:
        result = lib.search("satellite altimetry")
        top = result.hits[0]
        assert (Path(top.path).name, top.number, top.title, top.page, top.pdf_page) == (
            "glaciers.pdf",
            "1.1",
            "Measuring ice loss",
            "2",
            3,
        )
        assert top.document == "Glaciers of the Andes" and top.rank == 1 and top.score > 0
        # the matched words, highlighted inside the snippet
        assert [top.snippet[a:b].lower() for a, b in top.highlights] == ["satellite", "altimetry"]
        # in two documents, the title's words weigh more than the text's
        hits = lib.search("motorcycles").hits
        assert names(h.path for h in hits) == {"tariffs.pdf", "vaccines.pdf"}
        assert lib.search("conclusion").hits[0].title == "Conclusion"
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
        assert len(lib.search("the", limit=3).hits) == 3


def test_phrases_prefixes_accents_and_case(built: Path) -> None:
    with Library(built) as lib:
        assert [h.title for h in lib.search('"steel tariffs"').hits] == ["Steel tariffs"]
        assert not lib.search('"tariffs steel"').hits
        assert [h.title for h in lib.search("REFRIG*").hits] == ["Solar refrigerators"]
        short = lib.search("re*")  # a 2-letter prefix is the word itself
        assert any("prefix needs 3 letters" in n for n in short.notes)
        assert names(h.path for h in lib.search("deneigement").hits) == {"snow.txt"}
        assert names(h.path for h in lib.search("DÉNEIGEMENT").hits) == {"snow.txt"}


def test_all_words_then_any(built: Path) -> None:
    with Library(built) as lib:
        strict = lib.search("bourbon motorcycles")
        assert not strict.relaxed and [h.title for h in strict.hits] == ["Retaliation by partners"]
        loose = lib.search("bourbon glaciers")
        assert loose.relaxed and names(h.path for h in loose.hits) == {"tariffs.pdf", "glaciers.pdf"}
        assert not lib.search("zzyzx").hits


def test_common_words_are_left_out_when_rarer_ones_remain(built: Path) -> None:
    with Library(built) as lib:
        result = lib.search("the solar refrigerators")
        assert result.hits[0].title == "Solar refrigerators"
        assert any("left out" in n and "the" in n for n in result.notes)
        assert "the" not in (result.match or "")
        alone = lib.search("the")  # nothing rarer: kept, the whole text ranked (too few titles have it)
        assert len(alone.hits) == 10 and not alone.notes
        title = lib.search("the", limit=1)  # enough titles have it: they answer, fast on a big library
        assert [h.title for h in title.hits] == ["Retreat of the glaciers"]
        assert "title" in title.notes[0]


@pytest.mark.parametrize(
    "query",
    [
        "AND OR NOT",
        "title:x",
        '"unclosed',
        "(((",
        "NEAR(a b)",
        "a^b",
        "-x +y",
        "\x00nul",
        "\ud800",
        "*",
        '""',
        "e-mail",
    ],
)
def test_no_query_is_a_syntax_error(built: Path, query: str) -> None:
    with Library(built) as lib:
        lib.search(query)  # answers, with or without hits, never an FTS5 error


def test_filters(built: Path) -> None:
    with Library(built) as lib:
        assert names(h.path for h in lib.search("conclusion", doc="tariffs").hits) == {"tariffs.pdf"}
        assert names(h.path for h in lib.search("conclusion", author="PEREIRA").hits) == {"vaccines.pdf"}
        assert names(h.path for h in lib.search("the", year=2018, limit=50).hits) == {"glaciers.pdf"}
        assert names(h.path for h in lib.search("the", year="2019-", limit=50).hits) == {
            "tariffs.pdf",
            "vaccines.pdf",
            "snow.txt",
        }
        assert not lib.search("conclusion", author="nobody").hits
        assert names(d.path for d in lib.documents(author="smith")) == {"tariffs.pdf"}
        # more documents than the rowid-range path handles
        many = library_query.RANGE_MAX_DOCS
        try:
            library_query.RANGE_MAX_DOCS = 1
            assert names(h.path for h in lib.search("conclusion", year="2000-2030").hits) == {
                "tariffs.pdf",
                "vaccines.pdf",
            }
        finally:
            library_query.RANGE_MAX_DOCS = many


def test_parse_year() -> None:
    assert parse_year("2019") == (2019, 2019)
    assert parse_year("2015-2020") == (2015, 2020)
    assert parse_year("2015-") == (2015, 9999)
    assert parse_year("-2020") == (0, 2020)
    for bad in ("19", "2020-2015", "soon"):
        with pytest.raises(UsageError):
            parse_year(bad)


def test_section_across_the_library(built: Path) -> None:
    with Library(built) as lib:
        found = lib.section("altimetry measuring ice")  # no title has "altimetry": the best in the text
        found = lib.section("measuring ice loss")
        assert (found.hit.title, found.hit.number) == ("Measuring ice loss", "1.1")
        assert found.text.startswith("Satellite altimetry")
        chapter = lib.section("retreat glaciers")
        assert "1.1 Measuring ice loss\n\nSatellite altimetry" in chapter.text  # with its subsections
        assert chapter.hit.pdf_page_end == 3
        own = lib.section("retreat glaciers", subsections=False)
        assert "Measuring ice loss" not in own.text
        with pytest.raises(Ambiguous) as info:
            lib.section("conclusion")
        assert len(info.value.candidates) == 2
        assert lib.section("conclusion", doc="vaccines").hit.path.endswith("vaccines.pdf")
        assert lib.section("conclusion", first=True).hit.title == "Conclusion"
        assert lib.section("2.1", doc="tariffs").hit.title == "Lessons for negotiators"
        _, notes = lib.find_section("bourbon")
        assert notes and "best match in the text" in notes[0]
        with pytest.raises(SectionNotFound):
            lib.section("zzyzx")


def test_threads_have_their_own_connection(built: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with Library(built) as lib, ThreadPoolExecutor(4) as pool:
        titles = list(pool.map(lambda q: lib.search(q).hits[0].title, ["bourbon", "altimetry", "lima"] * 4))
    assert titles[:3] == ["Retaliation by partners", "Measuring ice loss", "Cities downstream"]


# --- batch export ---------------------------------------------------------------------------------


def test_export_is_the_export_document_of_each_file(docs: Path) -> None:
    results = {Path(r.path).name: r for r in export([docs], jobs=1)}
    assert set(results) == GOOD | set(BAD)
    glaciers = results["glaciers.pdf"]
    assert glaciers.ok and "\n" not in glaciers.line
    assert glaciers.data == open_document(docs / "glaciers.pdf", cache=False).to_dict()
    broken = results["secret.pdf"]
    assert not broken.ok and broken.data["error"]["kind"] == "EncryptedPDF"
    assert broken.data["schema_version"] == 1 and broken.error and "password" in broken.error


@pytest.mark.skipif(not FORK, reason="worker processes are forked")
def test_parallel_export_equals_serial(docs: Path) -> None:
    serial = {r.path: r.line for r in export([docs], jobs=1)}
    parallel = {r.path: r.line for r in export([docs], jobs=2)}
    assert parallel == serial


# --- the command line -----------------------------------------------------------------------------


def test_cli_index_summary_failures_and_exit_code(fresh: tuple[Path, Path]) -> None:
    folder, db = fresh
    result = runner.invoke(app, ["index", str(folder), "--db", str(db), "-j", "1"])
    assert result.exit_code == 2  # some files could not be read; the others are indexed
    assert result.stdout.startswith(
        "7 files: 4 added, 0 updated, 0 unchanged, 3 failed; library: 4 documents, 16 sections"
    )
    errors = [line for line in result.stderr.splitlines() if line.startswith("ifri: error:")]
    assert len(errors) == 3 and any("secret.pdf: this PDF is encrypted" in e for e in errors)
    assert "Traceback" not in result.stderr
    again = runner.invoke(app, ["index", str(folder / "glaciers.pdf"), "--db", str(db), "--json"])
    assert again.exit_code == 0, again.stderr
    data = json.loads(again.stdout)
    assert data["schema_version"] == 1 and (data["unchanged"], data["documents"]) == (1, 4)
    assert runner.invoke(app, ["index", "--db", str(db)]).exit_code == 2  # nothing to index
    missing = runner.invoke(app, ["index", str(folder / "nope"), "--db", str(db)])
    assert missing.exit_code == 2 and "no such file or folder" in missing.stderr
    engine = runner.invoke(app, ["index", str(folder), "--db", str(db), "--engine", "mupdf"])
    assert engine.exit_code == 2 and "--engine" in engine.stderr and "Traceback" not in engine.stderr


def test_cli_search_library(built: Path) -> None:
    result = runner.invoke(app, ["search", "satellite altimetry", "--library", "--db", str(built)])
    assert result.exit_code == 0, result.stderr
    first = result.stdout.splitlines()[0]
    path, page, section, snippet = first.split(":", 3)
    assert path.endswith("glaciers.pdf") and page == "2" and section == "1.1 Measuring ice loss"
    assert "Satellite altimetry" in snippet and "\x1b[" not in result.stdout
    data = json.loads(
        runner.invoke(app, ["search", "motorcycles", "--db", str(built), "--json", "-n", "1"]).stdout
    )
    assert data["schema_version"] == 1 and data["count"] == 1 and data["library"] == str(built)
    hit = data["hits"][0]
    assert set(hit) >= {
        "rank",
        "score",
        "path",
        "document",
        "number",
        "title",
        "page",
        "pdf_page",
        "snippet",
        "highlights",
    }
    nothing = runner.invoke(app, ["search", "zzyzx", "--library", "--db", str(built)])
    assert (nothing.exit_code, nothing.stdout) == (1, "")
    filtered = runner.invoke(app, ["search", "conclusion", "--db", str(built), "--author", "smith"])
    assert filtered.exit_code == 0 and all("tariffs.pdf" in line for line in filtered.stdout.splitlines())


def test_cli_search_library_on_a_terminal_highlights(built: Path) -> None:
    result = runner.invoke(app, ["search", "bourbon", "--db", str(built), "--color", "always"])
    assert result.exit_code == 0
    assert "Retaliation by partners" in result.stdout and "Tariffs and Trade Wars" in result.stdout
    assert "\x1b[" in result.stdout


def test_document_text_from_the_library_is_never_markup(tmp_path: Path) -> None:
    # titles, sections and snippets come back from the database: printed as they are, a title
    # such as '[/]' must neither style the output nor raise a markup error
    from libgen import report

    chapters = [
        (
            "[/]Flood warnings",
            "Gauges",
            "The river gauges send [link=x]alerts[/link] to the town hall.",
            "Hourly.",
        ),
        ("Sandbags", "Levees", "The crews fill sandbags along the levees.", "When the river rises."),
    ]
    report(tmp_path / "alerts.pdf", "[bold]Alerts[/bold] and [red]floods", "Jean Tremblay", "2020", chapters)
    db = str(tmp_path / "lib.db")
    assert runner.invoke(app, ["index", str(tmp_path / "alerts.pdf"), "--db", db]).exit_code == 0
    for color in ("never", "always"):
        found = runner.invoke(app, ["search", "gauges", "--db", db, "--color", color])
        assert found.exit_code == 0, found.stderr
        assert "[link=x]alerts[/link]" in found.stdout and "[/]Flood warnings" in found.stdout
        listed = runner.invoke(app, ["library", "--db", db, "--color", color])
        assert listed.exit_code == 0 and "[bold]Alerts[/bold] and [red]f" in listed.stdout
        section = runner.invoke(app, ["section", "flood warnings", "--library", "--db", db, "--color", color])
        assert section.exit_code == 0, section.stderr
        assert "[/]Flood warnings" in section.stdout + section.stderr
        assert "Traceback" not in found.stderr + listed.stderr + section.stderr


def test_cli_library_options_that_do_not_apply_are_usage_errors(built: Path) -> None:
    for extra in (["--regex"], ["-C", "2"], ["--count"], ["some.pdf"], ["--engine", "pdfium"]):
        result = runner.invoke(app, ["search", "x", "--library", "--db", str(built), *extra])
        assert result.exit_code == 2 and "cannot be used with --library" in result.stderr
    section = runner.invoke(app, ["section", "x", "--library", "--db", str(built), "--engine", "pdfium"])
    assert section.exit_code == 2 and "--engine cannot be used with --library" in section.stderr
    assert runner.invoke(app, ["search", "x", "-n", "3", str(built)]).exit_code == 2
    missing = runner.invoke(app, ["search", "x", "--db", str(built.parent / "none.db")])
    assert missing.exit_code == 2 and "no library at" in missing.stderr and "ifri index" in missing.stderr


def test_cli_section_library(built: Path) -> None:
    result = runner.invoke(app, ["section", "measuring ice loss", "--library", "--db", str(built)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Satellite altimetry")
    assert "1.1 Measuring ice loss" in result.stderr and "glaciers.pdf" in result.stderr
    several = runner.invoke(app, ["section", "conclusion", "--db", str(built)])
    assert several.exit_code == 3 and several.stdout == ""
    assert "2 sections match" in several.stderr and several.stderr.count("Conclusion") == 2
    data = json.loads(
        runner.invoke(app, ["section", "conclusion", "--db", str(built), "--first", "--json"]).stdout
    )
    assert data["sections"][0]["title"] == "Conclusion" and data["document"]["path"]
    assert runner.invoke(app, ["section", "zzyzx", "--db", str(built)]).exit_code == 1
    assert runner.invoke(app, ["section", "x", "--db", str(built), "--page", "3"]).exit_code == 2


def test_cli_library_lists_documents(built: Path) -> None:
    result = runner.invoke(app, ["library", "--db", str(built)])
    assert result.exit_code == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    by_name = {Path(r[0]).name: r for r in rows}
    assert set(by_name) == GOOD
    assert by_name["glaciers.pdf"][1:] == ["Glaciers of the Andes", "Maria Lopez", "June 2018", "5", "5"]
    assert "3 file(s) could not be read" in result.stderr
    data = json.loads(runner.invoke(app, ["library", "--db", str(built), "--json"]).stdout)
    assert data["count"] == 4 and len(data["failures"]) == 3
    assert runner.invoke(app, ["library", "--db", str(built), "--year", "1990"]).exit_code == 1
    check = runner.invoke(app, ["library", "--db", str(built), "--check"])
    assert check.exit_code == 0 and check.stdout.startswith("ok")


def test_cli_export_jsonl(docs: Path) -> None:
    result = runner.invoke(
        app,
        [
            "export",
            str(docs / "glaciers.pdf"),
            str(docs / "secret.pdf"),
            str(docs / "sub"),
            "--jsonl",
            "-j",
            "1",
        ],
    )
    assert result.exit_code == 2  # one file failed
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3 and all(line["schema_version"] == 1 for line in lines)
    assert [Path(line["document"]["path"]).name for line in lines if "document" in line] == [
        "glaciers.pdf",
        "vaccines.pdf",
    ]
    errors = [line for line in lines if "error" in line]
    assert len(errors) == 1 and errors[0]["error"]["kind"] == "EncryptedPDF"
    assert "secret.pdf: this PDF is encrypted" in result.stderr
    ok = runner.invoke(app, ["export", str(docs / "sub"), "--jsonl"])
    assert ok.exit_code == 0 and len(ok.stdout.splitlines()) == 1
    two = runner.invoke(app, ["export", str(docs / "glaciers.pdf"), str(docs / "snow.txt")])
    assert two.exit_code == 2 and "--jsonl" in two.stderr
    assert runner.invoke(app, ["export", str(docs), "--jsonl", "--json"]).exit_code == 2


def test_cli_search_library_imports_no_parser(built: Path) -> None:
    """The command stays as light as a cached command: no pdfminer, no numpy, no dask."""
    code = (
        "import sys\n"
        "from ifri_cli.cli import main\n"
        f"sys.argv = ['ifri', 'search', 'bourbon', '--db', {str(built)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('pdfminer', 'numpy', 'dask', 'distributed', 'ifri_cli.structure')\n"
        "print('HEAVY', [m for m in heavy if m in sys.modules], file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Retaliation by partners" in result.stdout
    assert "HEAVY []" in result.stderr


# --- interrupted runs -----------------------------------------------------------------------------


def _index_process(folder: Path, db: Path, jobs: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ifri_cli", "index", str(folder), "--db", str(db), "-j", str(jobs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "IFRI_NO_CACHE": "1"},
    )


def _wait_for_documents(db: Path, process: subprocess.Popen[str], at_least: int = 1) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            conn = sqlite3.connect(db, timeout=5)
            count = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            conn.close()
            if count >= at_least:
                return int(count)
        except sqlite3.Error:
            pass
        time.sleep(0.05)
    pytest.fail("the index run wrote nothing in time")


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough documents that an index run lasts a few seconds."""
    from libgen import REPORTS, report

    folder = tmp_path_factory.mktemp("many")
    for i in range(24):
        title, author, date, chapters = list(REPORTS.values())[i % 3]
        chapters = [(h, s, f"{t} Copy number {i}.", f"{u} Copy number {i}.") for h, s, t, u in chapters] * 3
        report(folder / f"report-{i:02d}.pdf", f"{title} {i}", author, date, chapters)
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_kill_9_leaves_a_consistent_library_that_the_next_run_completes(
    many: Path, tmp_path: Path, jobs: int
) -> None:
    db = tmp_path / "lib.db"
    process = _index_process(many, db, jobs)
    _wait_for_documents(db, process, 2)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    with Library(db) as lib:
        assert lib.check() == []
        kept = lib.stats()["documents"]
        assert 2 <= kept < 24
        report = lib.index([many], jobs=jobs)
        assert (report.unchanged, report.added, report.documents) == (kept, 24 - kept, 24)
        assert lib.check() == []


@pytest.mark.slow
def test_ctrl_c_exits_130_and_keeps_what_was_indexed(many: Path, tmp_path: Path) -> None:
    db = tmp_path / "lib.db"
    process = _index_process(many, db, 2)
    _wait_for_documents(db, process, 1)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err and "run the same command again" in err
    with Library(db) as lib:
        assert lib.check() == []
        assert 1 <= lib.stats()["documents"] < 24


def test_a_section_number_is_the_papers_own_before_its_place_in_the_tree(tmp_path: Path) -> None:
    from ifri_cli.library import store

    def row(number: str | None, position: str, title: str) -> tuple:  # type: ignore[type-arg]
        return (number, position, title, 2, "section", None, 1, 1, 1, f"The text of {title}.")

    record = {
        "ok": True,
        "sha256": "x",
        "title": "Numbers",
        "sections": [row(None, "1.1", "Unnumbered preface"), row("1.1", "1.2", "Numbered one point one")],
    }
    conn = store.connect(str(tmp_path / "n.db"), create=True)
    store.write_document(conn, "/n.pdf", 1, 1, record)
    conn.close()
    with Library(tmp_path / "n.db") as lib:
        assert lib.section("1.1").hit.title == "Numbered one point one"
        assert lib.section("1.2").hit.title == "Numbered one point one"  # no paper number 1.2: the tree's


def test_the_readme_library_example_runs(docs: Path, tmp_path: Path) -> None:
    import contextlib
    import io
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    api = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    [code] = [b for b in re.findall(r"```python\n(.*?)```", api, re.S) if "ifri_cli.library" in b]
    code = code.replace('"reports/"', repr(str(docs))).replace('"reports.db"', repr(str(tmp_path / "r.db")))
    code = code.replace('"copyright infring*"', '"tarif*"').replace('"run-time efficiency"', '"water supply"')
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own README
    printed = out.getvalue()
    assert "Tariffs and Trade Wars | 1 Steel tariffs | p. 1" in printed
    assert "Lima depend on meltwater" in printed  # the section's text
    assert "this PDF is encrypted" in printed and "Glaciers of the Andes" in printed  # export


def test_strings_read_back_from_a_library_never_drive_the_terminal(docs: Path, tmp_path: Path) -> None:
    """A library is read as untrusted as a document: one written by an older ifri, or by someone
    else, may hold escape sequences and bidi overrides in titles, text and file names."""
    folder = tmp_path / "docs"
    shutil.copytree(docs, folder)
    evil = folder / "glaciers\x1b]0;pwned\x07.pdf"
    (folder / "glaciers.pdf").rename(evil)
    db = tmp_path / "lib.db"
    with Library(db) as lib:
        lib.index([folder], jobs=1)
    with sqlite3.connect(db) as conn:  # as if written without the boundary
        conn.execute("UPDATE documents SET title = title || ' \x1b[2J\u202e', authors = '[\"\x1b[31mX\"]'")
        conn.execute("UPDATE sections SET title = '\x1b[31m' || title")
        conn.execute("UPDATE sections_fts SET text = text || ' satellite \x07\x1b[5m'")
    commands = [
        ["search", "satellite", "--library", "--db", str(db)],
        ["search", "satellite", "--library", "--db", str(db), "--color", "always"],
        ["library", "--db", str(db)],
        ["library", "--db", str(db), "--color", "always"],
        ["section", "ice loss", "--library", "--db", str(db), "--first"],
        ["search", "satellite", "--library", "--db", str(db), "--json"],
    ]
    for args in commands:
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        out = result.stdout
        if "--color" in args:  # ifri's own styles, and nothing else
            import re

            out = re.sub(r"\x1b\[[0-9;]*m", "", out)
        assert "\x07" not in out and "\x1b" not in out and "\u202e" not in out, (args, out)
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr, args
        if "--json" not in args:
            assert "␛" in out + result.stderr, args  # shown, not sent


# --- pdfminer's log stays off stderr ---------------------------------------------------------------


@pytest.mark.parametrize("command", [["index", "--db", "{db}"], ["export", "--jsonl"]])
def test_batch_commands_keep_pdfminer_log_off_stderr(tmp_path: Path, command: list[str]) -> None:
    """pdfminer logs what it repairs (a page without a MediaBox): shown with -v only, as for one
    file, also from the worker processes."""
    from pdfgen import simple_report

    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("a.pdf", "b.pdf"):
        data = simple_report(tmp_path / name).read_bytes()
        assert b"/MediaBox" in data
        (folder / name).write_bytes(data.replace(b"/MediaBox", b"/MediaBoz"))  # same length: xref intact
    name, *options = (arg.replace("{db}", str(tmp_path / "lib.db")) for arg in command)
    argv = [sys.executable, "-m", "ifri_cli", name, str(folder), *options, "-j", "2"]
    env = {**os.environ, "IFRI_NO_CACHE": "1"}
    quiet = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
    assert quiet.returncode == 0, quiet.stderr
    assert "MediaBox" not in quiet.stderr
    again = ["--force"] if name == "index" else []
    loud = subprocess.run([*argv, "-v", *again], capture_output=True, text=True, env=env, timeout=300)
    assert "MediaBox missing" in loud.stderr
