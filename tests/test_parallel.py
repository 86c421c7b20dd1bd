"""Pages laid out by several processes give exactly what one process gives; slow or crashing
pages are skipped with a warning and the rest of the document is still served."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import pytest
from conftest import CORPUS
from pdfgen import LOREM, PageSpec, Para, Spec, make_pdf

from ifri_cli import ingest
from ifri_cli.pdf import engine
from ifri_cli.pdf import pool as pdf_pool

FORK = "fork" in multiprocessing.get_all_start_methods()


def long_report(path: Path, pages: int = 24) -> Path:
    specs = []
    for n in range(1, pages + 1):
        paras: list[Para | str] = []
        if n % 4 == 1:
            paras.append(Para(f"{n // 4 + 1} Chapter about topic {n}", 15, "B", 1))
        paras += [Para(f"{n}.1 A subsection", 12, "B"), LOREM, Para("An aside in italics.", 10, "I"), LOREM]
        specs.append(PageSpec(paras, header="Energy and Security", footer=str(n)))
    return make_pdf(path, Spec(specs, title="A long report"))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return long_report(tmp_path_factory.mktemp("par") / "long.pdf")


def _spy_pool(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = pdf_pool._read_in_workers

    def spy(opened: object, workers: int, *args: object) -> object:
        calls.append(workers)
        return real(opened, workers, *args)

    monkeypatch.setattr(pdf_pool, "_read_in_workers", spy)
    return calls


@pytest.mark.parametrize("jobs", [2, 3])
def test_parallel_equals_serial(report: Path, jobs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    data = report.read_bytes()
    serial = ingest.load_bytes(data, str(report), jobs=1)
    calls = _spy_pool(monkeypatch)
    parallel = ingest.load_bytes(data, str(report), jobs=jobs)
    assert calls == [jobs], "the pages were not spread over processes"
    assert parallel == serial
    assert [p.number for p in parallel.pages] == list(range(1, 25))
    assert parallel.pages[4].lines and parallel.pages[4].label == "5"
    assert parallel.warnings == ()


def test_serial_never_starts_a_process(report: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _spy_pool(monkeypatch)
    doc = ingest.load_bytes(report.read_bytes(), None, jobs=1)
    assert calls == [] and doc.page_count == 24
    few = make_pdf(report.parent / "few.pdf", Spec([PageSpec([LOREM])] * 3))
    ingest.load_bytes(few.read_bytes(), None, jobs=8)  # too few pages to be worth a process
    assert calls == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_reaches_the_total(report: Path, jobs: int) -> None:
    seen: list[tuple[int, int]] = []
    ingest.load_bytes(report.read_bytes(), None, jobs=jobs, progress=lambda *args: seen.append(args))
    assert seen[-1] == (24, 24)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def _slow_page(number: int, action: str):  # noqa: ANN202 - a patch for PageReader._layout
    real = engine.PageReader._layout

    def layout(self: engine.PageReader, index: int) -> object:
        if index + 1 == number:
            if action == "spin":
                end = time.process_time() + 30
                while time.process_time() < end:  # interrupted by the page time limit (CPU time)
                    pass
            elif action == "crash":
                os._exit(3)  # a worker dying (killed, out of memory)
            else:
                raise ValueError("broken content stream")
        return real(self, index)

    return layout


@pytest.mark.parametrize("jobs", [1, 2])
def test_slow_page_is_skipped(report: Path, jobs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    if jobs > 1 and not FORK:
        pytest.skip("the patched page reader reaches workers only through fork")
    monkeypatch.setattr(engine.PageReader, "_layout", _slow_page(7, "spin"))
    start = time.monotonic()
    doc = ingest.load_bytes(report.read_bytes(), None, jobs=jobs, page_time_limit=0.5)
    assert time.monotonic() - start < 20
    assert doc.pages[6].lines == ()
    assert all(p.lines for p in doc.pages if p.number != 7)
    assert any("page 7" in w and "skipped" in w for w in doc.warnings), doc.warnings


def test_time_limit_restores_the_alarm_handler(report: Path) -> None:
    import signal

    before = signal.getsignal(signal.SIGPROF)
    ingest.load_bytes(report.read_bytes(), None, jobs=1, page_time_limit=5)
    assert signal.getsignal(signal.SIGPROF) == before
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)


def test_broken_page_is_skipped_with_a_warning(report: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine.PageReader, "_layout", _slow_page(3, "raise"))
    doc = ingest.load_bytes(report.read_bytes(), None, jobs=1)
    assert doc.pages[2].lines == () and doc.pages[3].lines
    assert any("page 3 could not be read (broken content stream)" in w for w in doc.warnings)


@pytest.mark.skipif(not FORK, reason="the patched page reader reaches workers only through fork")
def test_a_dying_worker_costs_only_its_page(report: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()
    crash = _slow_page(10, "crash")
    real = engine.PageReader._layout

    def layout(self: engine.PageReader, index: int) -> object:
        if os.getpid() == parent:  # only workers die: the parent must survive
            return real(self, index)
        return crash(self, index)

    monkeypatch.setattr(engine.PageReader, "_layout", layout)
    serial = ingest.load_bytes(report.read_bytes(), None, jobs=1)
    doc = ingest.load_bytes(report.read_bytes(), None, jobs=2)
    assert doc.pages[9].lines == ()
    assert any("page 10 stopped the PDF reader" in w for w in doc.warnings), doc.warnings
    assert [p for p in doc.pages if p.number != 10] == [p for p in serial.pages if p.number != 10]


def test_with_another_thread_alive_the_pages_are_read_here(
    report: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    # forking with another thread alive can deadlock the child, and spawning re-imports the main module
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    calls = _spy_pool(monkeypatch)
    data = report.read_bytes()
    assert ingest.load_bytes(data, None, jobs=2) == ingest.load_bytes(data, None, jobs=1)
    assert calls == []


@pytest.mark.skipif(not FORK, reason="workers are only ever forked")
def test_workers_that_cannot_start_leave_the_pages_to_this_process(
    report: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def die(*_args: object) -> None:
        os._exit(5)  # every worker dies before reading anything

    monkeypatch.setattr(pdf_pool, "init_worker", die)
    data = report.read_bytes()
    start = time.monotonic()
    doc = ingest.load_bytes(data, None, jobs=2)
    assert time.monotonic() - start < 60
    assert doc == ingest.load_bytes(data, None, jobs=1)


_FROM_STDIN = """
import sys, threading, time
threading.Thread(target=time.sleep, args=(60,), daemon=True).start()  # a thread: no fork
import ifri_cli
doc = ifri_cli.open_document(sys.argv[1], cache=False, jobs=2)
print(doc.page_count)
"""


def test_a_script_read_from_stdin_with_a_thread_does_not_hang(report: Path) -> None:
    """``python - < script.py``: a spawned worker could not re-import the main module, and the
    pool waited for it forever (12 minutes at 0% CPU before the fix)."""
    import subprocess
    import sys

    command = [sys.executable, "-", str(report)]
    proc = subprocess.run(
        command, input=_FROM_STDIN, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "24"


def _pages_in_a_pool_worker(data: bytes) -> int:
    return ingest.load_bytes(data, None, jobs=2).page_count


def test_inside_a_daemonic_process_the_pages_are_read_serially(report: Path) -> None:
    context = multiprocessing.get_context("fork" if FORK else "spawn")
    with context.Pool(1) as pool:  # its workers are daemonic: they may not start processes
        assert pool.apply(_pages_in_a_pool_worker, (report.read_bytes(),)) == 24


_ORPHAN = """
import os, sys, time
from ifri_cli.pdf import pool
parent = os.getpid()
child = os.fork()
if child == 0:
    pool._exit_with_parent(parent)
    time.sleep(60)
    os._exit(0)
print(child, flush=True)
os._exit(0)
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_worker_does_not_outlive_its_parent() -> None:
    import subprocess
    import sys

    command = [sys.executable, "-c", _ORPHAN]
    out = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
    child = int(out.stdout.strip())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{child}/status", encoding="ascii") as fh:
                state = next(line for line in fh if line.startswith("State:"))
        except (FileNotFoundError, StopIteration):
            return
        if "Z" in state.split()[1]:
            return  # exited, waiting to be reaped by its new parent
        time.sleep(0.2)
    os.kill(child, 9)
    pytest.fail("the orphaned worker kept running")


def test_tasks_cover_every_page_once_longest_first() -> None:
    tasks = pdf_pool._tasks(list(range(62)), 2)
    assert [i for a, b in tasks for i in range(a, b)] == list(range(62))
    sizes = [b - a for a, b in tasks]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == pdf_pool.MAX_CHUNK and sizes[-1] == 1
    assert pdf_pool._tasks([0, 1, 2, 7, 8], 1) == [(0, 2), (2, 3), (7, 8), (8, 9)]  # runs never jump a gap


def test_many_bad_pages_are_summarised() -> None:
    warnings = [f"page {n} could not be read (x) and was skipped" for n in range(1, 11)]
    out = ingest._summarise(warnings)
    assert out[:3] == warnings[:3] and out[3] == "7 more pages could not be read and were skipped"
    assert ingest._summarise(warnings[:4]) == warnings[:4]


def test_default_jobs_and_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    assert pdf_pool.default_jobs() >= 1
    monkeypatch.setenv("IFRI_PAGE_TIMEOUT", "2.5")
    assert pdf_pool.default_page_time_limit() == 2.5
    monkeypatch.setenv("IFRI_PAGE_TIMEOUT", "soon")
    assert pdf_pool.default_page_time_limit() == pdf_pool.DEFAULT_PAGE_TIME_LIMIT


@pytest.mark.skipif(not (CORPUS / "pdfs").is_dir(), reason="corpus not available")
def test_parallel_equals_serial_on_a_real_pdf() -> None:
    pdf = CORPUS / "pdfs" / "fr-olap-resumes-logs.pdf"
    if not pdf.exists():
        pytest.skip("fr-olap-resumes-logs.pdf not in the corpus")
    data = pdf.read_bytes()
    assert ingest.load_bytes(data, None, jobs=2) == ingest.load_bytes(data, None, jobs=1)
