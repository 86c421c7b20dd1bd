"""The parse cache: hits, misses, damaged entries, concurrent writers, unusable directories,
and a cached command that never imports pdfminer."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from enum import Enum
from pathlib import Path
from typing import Annotated

import pytest
import typer
from pdfgen import simple_report
from typer.testing import CliRunner

from ifri_cli import cache, ingest, open_document
from ifri_cli.cli import app
from ifri_cli.model import Document

runner = CliRunner()


@pytest.fixture
def report(tmp_path: Path) -> Path:
    return simple_report(tmp_path / "report.pdf", printed_numbers=True)


@pytest.fixture
def cache_dir() -> Path:
    return Path(os.environ["IFRI_CACHE_DIR"])  # a fresh directory per test (conftest)


@pytest.fixture
def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    calls: list[str | None] = []
    real = ingest.load_bytes

    def spy(data: bytes, path: str | None, **kwargs: object) -> Document:
        calls.append(path)
        return real(data, path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest, "load_bytes", spy)
    return calls


def entries(folder: Path, prefix: str = "") -> list[Path]:
    return sorted(p for p in folder.glob(f"{prefix}*.ifri") if not p.name.startswith(".tmp-"))


def test_second_open_is_a_hit(report: Path, cache_dir: Path, count_parses: list[str | None]) -> None:
    first = open_document(report)
    second = open_document(report)
    assert count_parses == [str(report)]
    assert second == first and second.sections == first.sections
    assert len(entries(cache_dir, "doc-")) == 1 and len(entries(cache_dir, "raw-")) == 1


def test_same_bytes_elsewhere_keep_their_own_path(report: Path, tmp_path: Path, count_parses: list) -> None:
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(report.read_bytes())
    open_document(report)
    assert open_document(copy).path == str(copy)
    assert len(count_parses) == 1


def test_changed_bytes_are_a_miss(tmp_path: Path, count_parses: list[str | None]) -> None:
    doc = tmp_path / "notes.txt"
    doc.write_text("Title\n\nFirst version of the notes.\n", encoding="utf-8")
    assert "First version" in open_document(doc).pages[0].text
    doc.write_text("Title\n\nSecond version of the notes.\n", encoding="utf-8")
    assert "Second version" in open_document(doc).pages[0].text
    assert len(count_parses) == 2


def test_another_source_reuses_the_raw_parse(report: Path, cache_dir: Path, count_parses: list) -> None:
    a = open_document(report, toc_source="auto")
    b = open_document(report, toc_source="headings")
    assert len(count_parses) == 1  # pdfminer ran once
    assert a.pages == b.pages
    assert len(entries(cache_dir, "doc-")) == 2


def test_no_cache_neither_reads_nor_writes(
    report: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_document(report, cache=False)
    assert entries(cache_dir) == []
    monkeypatch.setenv("IFRI_NO_CACHE", "1")
    open_document(report)
    assert entries(cache_dir) == []
    assert not cache.info().enabled


def test_a_password_protected_document_is_not_stored(tmp_path: Path, cache_dir: Path) -> None:
    from pdfgen import LOREM, PageSpec, Spec, make_pdf

    pdf = make_pdf(tmp_path / "secret.pdf", Spec([PageSpec(["Secret report", LOREM])], password="s3cret"))
    assert "Secret report" in open_document(pdf, password="s3cret").pages[0].text
    assert entries(cache_dir) == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b[:40] + bytes([b[40] ^ 0xFF]) + b[41:],  # a flipped bit in the checksum area
        lambda b: b[:-10] + bytes(10),  # a damaged payload
        lambda b: b"",  # empty
        lambda b: b"not a cache entry at all",
        lambda b: __import__("random").Random(1).randbytes(len(b)),  # random bytes, the same size
        lambda b: b[:43] + __import__("random").Random(2).randbytes(len(b) - 43),  # after a valid header
    ],
)
def test_damaged_entries_are_rebuilt(report: Path, cache_dir: Path, count_parses: list, damage) -> None:  # noqa: ANN001
    expected = open_document(report)
    for entry in entries(cache_dir):
        entry.write_bytes(damage(entry.read_bytes()))
    assert open_document(report) == expected
    assert len(count_parses) == 2
    assert open_document(report) == expected  # rewritten: a hit again
    assert len(count_parses) == 2


def test_an_incompatible_entry_is_a_miss(report: Path, cache_dir: Path, count_parses: list) -> None:
    import hashlib
    import pickle

    expected = open_document(report)
    payload = pickle.dumps({"not": "a document"})
    for entry in entries(cache_dir):
        entry.write_bytes(b"ifri-cache\n" + hashlib.blake2b(payload, digest_size=32).digest() + payload)
    assert open_document(report) == expected
    assert len(count_parses) == 2


def _store_and_load(args: tuple[str, str, int]) -> list[str]:
    folder, key, rounds = args
    os.environ["IFRI_CACHE_DIR"] = folder
    docs = [ingest.load_bytes(f"Title\n\nwriter text {n}\n".encode(), None) for n in range(3)]
    seen = []
    for i in range(rounds):
        cache.store(key, docs[i % 3])
        got = cache.load(key)
        seen.append("none" if got is None else got.pages[0].text)
    return seen


def test_raw_entries_survive_edits_to_the_later_stages(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    modules = {
        "ingest.py": "from ifri_cli.errors import E\n"
        "def f():\n    from ifri_cli.pdf import engine\n    from ifri_cli.meta import m\n",
        "pdf/__init__.py": "",
        "pdf/engine.py": "from ifri_cli.model import Page\nimport ifri_cli.pdf.glyphs\n",
        "pdf/glyphs.py": "",
        "meta.py": "from ifri_cli import (\n    units,\n    names as n,\n)\n"
        "from ifri_cli import __version__\n",
        "units.py": "",
        "names.py": "",
        "errors.py": "",
        "model.py": "",
        "__init__.py": "from ifri_cli.sections import resolve\n",
        "sections.py": "from ifri_cli import clean\n",
        "clean.py": "",
    }
    for name, text in modules.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text, encoding="utf-8")
    assert cache.import_closure(package, "ingest") == {
        "ingest.py", "pdf/__init__.py", "pdf/engine.py", "pdf/glyphs.py", "meta.py", "units.py", "names.py",
        "errors.py", "model.py",
    }

    def fingerprints() -> tuple[str, str]:
        cache._fingerprint.cache_clear()
        return cache._fingerprint(True, str(package)), cache._fingerprint(False, str(package))

    raw, full = fingerprints()
    (package / "clean.py").write_text("# a better heuristic\n", encoding="utf-8")
    raw2, full2 = fingerprints()
    assert raw2 == raw and full2 != full
    (package / "pdf" / "glyphs.py").write_text("# a better glyph table\n", encoding="utf-8")
    assert fingerprints()[0] != raw
    cache._fingerprint.cache_clear()


def test_the_raw_fingerprint_covers_the_real_reading_code() -> None:
    """On the package as it is: every module ingest runs is fingerprinted, and the later stages are not
    (editing them must not throw away the costly pdfminer part)."""
    package = Path(cache.__file__).parent
    closure = cache.import_closure(package, cache.RAW_ROOT)
    assert all((package / name).is_file() for name in closure)
    reading = {"ingest/__init__.py", "ingest/textfile.py", "ingest/labels.py", "ingest/metadata.py"}
    reading |= {"pdf/__init__.py", "pdf/engine.py", "pdf/glyphs.py", "pdf/pool.py", "model.py", "errors.py"}
    assert reading <= closure, reading - closure
    # below the structure: pdf/, text/ and ingest/ only
    assert all(name.startswith(("pdf/", "text/", "ingest/")) or "/" not in name for name in closure), closure
    assert not closure & {"__init__.py", "document.py", "cache.py"}


def test_concurrent_writers_never_leave_a_broken_entry(cache_dir: Path) -> None:
    with ProcessPoolExecutor(4) as pool:
        results = list(pool.map(_store_and_load, [(str(cache_dir), "doc-shared", 40)] * 4))
    texts = {t for seen in results for t in seen}
    assert texts <= {f"Title\nwriter text {n}" for n in range(3)}, texts
    assert [p.name for p in entries(cache_dir)] == ["doc-shared.ifri"]
    assert not list(cache_dir.glob(".tmp-*"))


def test_an_unusable_cache_never_stops_a_command(
    report: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("IFRI_CACHE_DIR", str(blocker / "cache"))  # cannot be created, even by root
    cache.reset_warnings()
    caplog.set_level("WARNING", logger="ifri")  # what -v does: without it the cache says nothing
    with caplog.at_level("WARNING", logger="ifri.cache"):
        assert open_document(report).toc is not None
        assert open_document(report).toc is not None
    warnings = [r.getMessage() for r in caplog.records if r.name == "ifri.cache"]
    assert len(warnings) == 1 and "the cache in" in warnings[0]


def test_a_full_disk_leaves_no_temporary_file(
    report: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    cache.reset_warnings()
    assert open_document(report).pages
    assert list(cache_dir.iterdir()) == []


def test_unusable_cache_is_silent_unless_verbose(report: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    env = dict(os.environ, IFRI_CACHE_DIR=str(blocker / "cache"), NO_COLOR="1")

    def ifri(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "ifri_cli", *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)

    quiet = ifri("toc", str(report))
    assert quiet.returncode == 0 and "Introduction" in quiet.stdout
    assert "cache" not in quiet.stderr
    loud = ifri("toc", "-v", str(report))
    assert loud.returncode == 0 and loud.stdout == quiet.stdout
    assert loud.stderr.count("the cache in") == 1, loud.stderr


def test_standard_input_is_cached(report: Path, monkeypatch: pytest.MonkeyPatch, count_parses: list) -> None:
    data = report.read_bytes()
    for _ in range(2):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        doc = open_document("-")
        assert doc.path is None and doc.page_count == 5
    assert count_parses == [None]


def test_eviction_keeps_the_cache_under_its_limit(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IFRI_CACHE_MAX_MB", "0.02")
    for n in range(6):
        f = tmp_path / f"n{n}.txt"
        f.write_text(f"Title {n}\n\n" + "word " * 300, encoding="utf-8")
        open_document(f)
        sizes = [p.stat().st_size for p in entries(cache_dir)]
        assert sum(sizes) <= 0.02 * (1 << 20) or len(sizes) == 1
    newest = tmp_path / "n5.txt"
    assert cache.load(cache.document_key(cache.content_hash(newest.read_bytes()))) is not None
    assert len(entries(cache_dir)) < 12


def test_cache_info_and_clear_commands(report: Path, cache_dir: Path) -> None:
    assert runner.invoke(app, ["toc", str(report)]).exit_code == 0
    info = runner.invoke(app, ["cache", "info", "--json"])
    assert info.exit_code == 0
    data = json.loads(info.stdout)
    assert data["schema_version"] == 1 and data["directory"] == str(cache_dir)
    assert data["documents"] == 1 and data["raw_parses"] == 1 and data["bytes"] > 0
    plain = runner.invoke(app, ["cache", "info"])
    assert str(cache_dir) in plain.stdout and "documents:  1" in plain.stdout
    # the parse, the finished document and what `ifri toc` reads back from it
    assert sorted(p.name.split("-")[0] for p in entries(cache_dir)) == ["doc", "raw", "toc"]
    cleared = runner.invoke(app, ["cache", "clear"])
    assert cleared.exit_code == 0 and cleared.stdout.startswith("removed 3 cache entries")
    assert entries(cache_dir) == []
    assert json.loads(runner.invoke(app, ["cache", "info", "--json"]).stdout)["documents"] == 0


def test_no_cache_option_on_the_command_line(report: Path, cache_dir: Path) -> None:
    result = runner.invoke(app, ["toc", "--no-cache", "--jobs", "1", str(report)])
    assert result.exit_code == 0 and "Introduction" in result.stdout
    assert entries(cache_dir) == []
    bad = runner.invoke(app, ["toc", "--jobs", "-1", str(report)])
    assert bad.exit_code == 2


_PROBE = """
import sys
from ifri_cli.cli import main
sys.argv = ["ifri", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
watched = {"pdfminer", "pydantic", "platformdirs", "fpdf", "pypdfium2", "rich.console", "ifri_cli.model"}
heavy = sorted({m for m in sys.modules if m in watched or m.split(".")[0] in watched} & watched)
print("HEAVY=" + ",".join(heavy), file=sys.stderr)
"""


def _heavy_modules(*args: str) -> str:
    env = dict(os.environ, NO_COLOR="1")
    command = [sys.executable, "-c", _PROBE, *args]
    proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)
    line = [ln for ln in proc.stderr.splitlines() if ln.startswith("HEAVY=")]
    assert line, proc.stderr
    return line[-1].removeprefix("HEAVY=")


def test_start_up_imports_only_what_the_command_needs(report: Path) -> None:
    assert _heavy_modules("--help") == ""  # not even the document model
    pdfium = importlib.util.find_spec("pypdfium2") is not None
    engine = ["--engine", "pdfium"] if pdfium else []
    assert ("pypdfium2" in _heavy_modules("toc", *engine, str(report))) == pdfium  # parses
    # cached, in a pipe: the model to read the cache entry, no engine, no Rich
    assert _heavy_modules("toc", *engine, str(report)) == "ifri_cli.model"
    assert _heavy_modules("toc", str(report), "--color", "always") != _heavy_modules("toc", str(report))


def test_a_cached_command_never_imports_pdfminer(report: Path) -> None:
    assert "pdfminer" in _heavy_modules("toc", str(report))  # the first run parses
    assert "pdfminer" not in _heavy_modules("toc", str(report))
    assert "pdfminer" not in _heavy_modules("info", "--json", str(report))
    try:
        from typer._coercion import RuntimeParam  # noqa: F401 - the Typer whose pydantic we skip
    except ImportError:
        return
    assert _heavy_modules("toc", "--color", "never", "--jobs", "2", str(report)) == "ifri_cli.model"


class Mode(str, Enum):
    fast = "fast"
    slow = "slow"


demo = typer.Typer()
seen: dict[str, object] = {}


@demo.command()
def run(
    names: Annotated[list[str], typer.Argument()],
    jobs: Annotated[int, typer.Option(min=0)] = 0,
    ratio: Annotated[float | None, typer.Option()] = None,
    mode: Annotated[Mode, typer.Option()] = Mode.fast,
    flag: bool = False,
) -> None:
    seen.update(names=names, jobs=jobs, ratio=ratio, mode=mode, flag=flag)


def test_plain_values_skip_pydantic_and_bad_ones_get_typers_errors() -> None:
    ok = runner.invoke(demo, ["a", "b", "--jobs", "3", "--ratio", "0.25", "--mode", "slow", "--flag"])
    assert ok.exit_code == 0, ok.output
    assert seen == {"names": ["a", "b"], "jobs": 3, "ratio": 0.25, "mode": Mode.slow, "flag": True}
    bad_values = (["--jobs", "-1"], ["--jobs", "x"], ["--ratio", "half"], ["--mode", "odd"])
    for bad in bad_values:
        result = runner.invoke(demo, ["a", *bad])
        assert result.exit_code == 2 and "Invalid value" in result.output, (bad, result.output)


def test_help_and_version_import_nothing_heavy() -> None:
    assert _heavy_modules("--help") == ""
    assert _heavy_modules("--version") == ""
    assert _heavy_modules("toc", "--help") == ""


def test_toc_reads_back_a_small_view_of_the_document(report: Path, cache_dir: Path) -> None:
    full = open_document(report)
    first = runner.invoke(app, ["toc", str(report), "--json", "--explain"])
    view = open_document(report, needs="toc")
    assert view.toc == full.toc and view.metadata == full.metadata
    assert view.page_count == full.page_count
    assert [p.label for p in view.pages] == [p.label for p in full.pages]
    assert not any(p.lines for p in view.pages) and not view.sections
    again = runner.invoke(app, ["toc", str(report), "--json", "--explain"])
    assert again.exit_code == first.exit_code == 0 and again.stdout == first.stdout
    (toc_entry,) = [p for p in entries(cache_dir) if p.name.startswith("toc-")]
    (doc_entry,) = [p for p in entries(cache_dir) if p.name.startswith("doc-")]
    assert toc_entry.stat().st_size < doc_entry.stat().st_size / 3


# --- the cache under stress: hostile entries, unsafe directories, many processes at once -------------


def test_a_planted_pickle_runs_no_code(
    report: Path, cache_dir: Path, tmp_path: Path, count_parses: list
) -> None:
    """An entry with a valid header and checksum whose pickle calls os.system: a miss, never a command."""
    import hashlib
    import pickle

    expected = open_document(report)
    marker = tmp_path / "PWNED"

    class Payload:
        def __reduce__(self):  # noqa: ANN204
            return (os.system, (f"touch {marker}",))

    payload = pickle.dumps(Payload())
    for entry in entries(cache_dir):
        entry.write_bytes(b"ifri-cache\n" + hashlib.blake2b(payload, digest_size=32).digest() + payload)
    assert open_document(report) == expected
    assert not marker.exists()
    assert len(count_parses) == 2  # read again, and rewritten
    assert open_document(report) == expected and len(count_parses) == 2


def test_entries_hold_only_ifri_classes() -> None:
    import pickle

    for forbidden in [("os", "system"), ("builtins", "eval"), ("ifri_cli.document", "open_document"),
                      ("ifri_cli.cache", "clear"), ("subprocess", "Popen")]:
        with pytest.raises(pickle.UnpicklingError):
            cache._Unpickler(io.BytesIO(b"")).find_class(*forbidden)
    assert cache._Unpickler(io.BytesIO(b"")).find_class("ifri_cli.model", "Line").__name__ == "Line"


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_new_folders_and_entries_are_private_whatever_the_umask(
    report: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "a" / "b" / "ifri"
    monkeypatch.setenv("IFRI_CACHE_DIR", str(folder))
    old = os.umask(0)
    try:
        open_document(report)
    finally:
        os.umask(old)
    for path in (tmp_path / "a", tmp_path / "a" / "b", folder):
        assert oct(path.stat().st_mode & 0o777) == oct(0o700), path
    assert [oct(p.stat().st_mode & 0o777) for p in entries(folder)] == [oct(0o600)] * 2


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_directory_others_may_write_into_is_not_used(
    report: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    monkeypatch.setenv("IFRI_CACHE_DIR", str(folder))
    result = runner.invoke(app, ["toc", str(report)])
    assert result.exit_code == 0 and result.stderr == "" and "Rosneft" in result.stdout
    assert list(folder.iterdir()) == [] and oct(folder.stat().st_mode & 0o777) == oct(0o777)
    info = json.loads(runner.invoke(app, ["cache", "info", "--json"]).stdout)
    assert info["usable"] is False and "others may write into it" in info["problem"]
    plain = runner.invoke(app, ["cache", "info"]).stdout
    assert "usable:     no (others may write into it (mode 777; chmod 700 it to use it))" in plain
    env = dict(os.environ, IFRI_CACHE_DIR=str(folder), NO_COLOR="1")
    command = [sys.executable, "-m", "ifri_cli", "toc", "-v", "--jobs", "1", str(report)]
    loud = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert loud.returncode == 0 and loud.stderr.count("the cache in") == 1, loud.stderr
    assert "others may write into it" in loud.stderr


def test_a_cache_directory_that_is_a_file(
    report: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("mine")
    monkeypatch.setenv("IFRI_CACHE_DIR", str(blocker))
    result = runner.invoke(app, ["toc", str(report)])
    assert result.exit_code == 0 and result.stderr == ""
    info = runner.invoke(app, ["cache", "info"])
    assert info.exit_code == 0 and "usable:     no (not a directory)" in info.stdout
    cleared = runner.invoke(app, ["cache", "clear"])
    assert cleared.exit_code == 2 and cleared.stdout == ""
    assert cleared.stderr.startswith(f"ifri: error: cannot clear the cache: {blocker} is not a directory")
    assert blocker.read_text() == "mine"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_entries_replaced_by_links_or_fifos_are_misses(report: Path, cache_dir: Path, tmp_path: Path) -> None:
    expected = open_document(report)
    target = tmp_path / "precious.txt"
    target.write_text("do not touch")
    doc_entry, raw_entry = entries(cache_dir, "doc-")[0], entries(cache_dir, "raw-")[0]
    doc_entry.unlink()
    doc_entry.symlink_to(target)
    raw_entry.unlink()
    os.mkfifo(raw_entry)  # reading a FIFO no one writes to would never end
    assert open_document(report) == expected
    assert target.read_text() == "do not touch"
    assert not doc_entry.is_symlink() and raw_entry.is_file() or not raw_entry.exists()


def test_a_pdf_changed_with_the_same_size_and_time_is_not_served_stale(tmp_path: Path) -> None:
    from hostile import Font, RawPDF, _kids, _page_objects, text_ops

    doc = RawPDF()
    catalog, pages = doc.reserve(), doc.reserve()
    content = text_ops([("Alpha report", 16, True), ("Alpha text body here.", 10, False)])
    kids = _page_objects(doc, pages, [content], Font([]).resources(doc), flate=0)
    doc.set(pages, b"<< /Type /Pages /Kids [%s] /Count 1 >>" % _kids(kids))
    doc.set(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % pages)
    path = tmp_path / "changing.pdf"
    path.write_bytes(doc.bytes(catalog))
    before = path.stat()
    assert "Alpha" in open_document(path).text()
    data = path.read_bytes().replace(b"Alpha".hex().encode(), b"Omega".hex().encode())
    assert len(data) == before.st_size
    path.write_bytes(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    text = open_document(path).text()
    assert "Omega" in text and "Alpha" not in text


def test_eight_processes_opening_the_same_new_pdf_at_once(report: Path, cache_dir: Path) -> None:
    expected = runner.invoke(app, ["toc", "--no-cache", str(report)]).stdout
    command = [sys.executable, "-m", "ifri_cli", "toc", "--jobs", "1", str(report)]
    procs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(8)
    ]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    assert [code for code, _, _ in results] == [0] * 8
    assert all(out == expected and err == "" for _, out, err in results), results
    assert sorted(p.name[:4] for p in entries(cache_dir)) == ["doc-", "raw-", "toc-"]
    assert not list(cache_dir.glob(".tmp-*"))
    assert runner.invoke(app, ["toc", str(report)]).stdout == expected


def test_a_read_only_file_system_serves_what_it_holds_and_writes_nothing(
    report: Path,
    cache_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A cache on a read-only mount (EROFS: root included, whom no permission bit stops): the
    entries it holds are read, a new document is read without the cache, and nothing is said
    without -v."""
    import errno
    import tempfile

    expected = runner.invoke(app, ["toc", str(report)]).stdout
    before = sorted(p.name for p in entries(cache_dir))
    other = tmp_path / "other.txt"
    other.write_text("Another Report\n\n1 Policy\n\nThe policy of the region is set out here.\n")

    def read_only(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    cache.reset_warnings()
    hit = runner.invoke(app, ["toc", str(report)])
    assert hit.exit_code == 0 and hit.stdout == expected and hit.stderr == ""
    fresh = runner.invoke(app, ["info", str(other)])
    assert fresh.exit_code == 0 and "other.txt" in fresh.stdout and fresh.stderr == ""
    assert sorted(p.name for p in entries(cache_dir)) == before
    assert not list(cache_dir.glob(".tmp-*"))
    cache.reset_warnings()
    with caplog.at_level("WARNING", logger="ifri.cache"):  # what -v shows: said once
        loud = runner.invoke(app, ["text", "-v", str(other)])
    assert loud.exit_code == 0 and "Traceback" not in loud.stderr
    said = [r.getMessage() for r in caplog.records if r.name == "ifri.cache"]
    assert len(said) == 1 and "(Read-only file system); continuing without it" in said[0], said


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into any directory")
def test_a_read_only_cache_directory(report: Path, cache_dir: Path, tmp_path: Path) -> None:
    expected = runner.invoke(app, ["toc", str(report)]).stdout
    before = sorted(p.name for p in entries(cache_dir))
    other = tmp_path / "other.txt"
    other.write_text("Another Report\n\n1 Policy\n\nThe policy of the region is set out here.\n")
    cache_dir.chmod(0o500)
    try:
        hit = runner.invoke(app, ["toc", str(report)])
        assert hit.exit_code == 0 and hit.stdout == expected and hit.stderr == ""
        fresh = runner.invoke(app, ["info", str(other)])
        assert fresh.exit_code == 0 and "other.txt" in fresh.stdout and fresh.stderr == ""
        assert sorted(p.name for p in entries(cache_dir)) == before
        cleared = runner.invoke(app, ["cache", "clear"])
        assert cleared.exit_code in (0, 2) and "Traceback" not in cleared.stderr
    finally:
        cache_dir.chmod(0o700)
