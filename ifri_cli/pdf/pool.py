"""Laying out a PDF's pages in worker processes when it pays, identical to doing it in one.

Workers are forked from this process, never spawned: a spawned worker imports the main module
again, which runs a script without a ``__main__`` guard a second time, and cannot find a script
read from standard input (``python - < script.py``) at all (the pool then waited forever). A
fork inherits the opened PDF instead of parsing it again. Forking is only safe when no other
thread runs (a thread holding a lock at that moment leaves it locked in the child), so in a
notebook, a server or a threaded script, and wherever fork does not exist, the pages are laid
out in this process: slower, never stuck.
"""

from __future__ import annotations

import math
import os
import signal
import threading
from collections.abc import Callable
from typing import Any

from ifri_cli.model import Page
from ifri_cli.pdf.engine import OpenedPDF, PageReader

ProgressHook = Callable[[int, int], None]
PageResult = tuple[Page, "str | None"]

DEFAULT_PAGE_TIME_LIMIT = 30.0
MIN_PAGES_PER_WORKER = 4  # below this, starting a process costs more than it saves
MAX_CHUNK = 8  # pages per task: small enough to balance the load and move the progress bar

# the reader of this process, when it is a worker (set by ``init_worker``, in the worker only)
_WORKER: dict[str, PageReader] = {}


def init_worker(opened: OpenedPDF, time_limit: float | None, parent: int) -> None:
    """Runs first in each forked worker: ``opened`` is the parent's, inherited, not copied."""
    # Ctrl-C reaches the whole process group: the parent alone handles it and stops the workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(parent)
    _WORKER["reader"] = make_reader(opened, time_limit)


def _exit_with_parent(parent: int | None = None) -> None:
    """A parent killed outright (SIGTERM, SIGKILL) cannot stop its workers: they notice and go.

    ``parent`` is the pid the caller knew before forking: if that parent is already gone
    when this runs, ``os.getppid()`` names the adopter and would be watched forever.
    """
    import time

    parent = parent or os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="ifri-parent-watch", daemon=True).start()


def make_reader(opened: Any, time_limit: float | None) -> Any:
    """The page reader of ``opened``'s engine: an engine's opened PDF may name its own (``reader``)."""
    own = getattr(opened, "reader", None)
    return own(time_limit) if own is not None else PageReader(opened, time_limit)


def worker_read(start: int, stop: int) -> list[PageResult]:
    return list(_WORKER["reader"].read(start, stop))


def can_fork() -> bool:
    """Whether worker processes may be forked from this one now (see the module's docstring)."""
    import multiprocessing

    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        # a daemonic process (a multiprocessing.Pool worker calling ifri) may not start children
        and not multiprocessing.current_process().daemon
    )


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))  # the cores this process may use, not the machine's
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def default_page_time_limit() -> float:
    try:
        return max(0.0, float(os.environ.get("IFRI_PAGE_TIMEOUT", DEFAULT_PAGE_TIME_LIMIT)))
    except ValueError:
        return DEFAULT_PAGE_TIME_LIMIT


def read_pages(
    opened: OpenedPDF,
    *,
    jobs: int = 1,
    time_limit: float | None = None,
    progress: ProgressHook | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> list[PageResult]:
    """Every page of an opened PDF with its warning, in order; identical whatever ``jobs`` is.

    ``meanwhile`` is called in this process once the workers have started (first when there
    are none): other work on the same document, done while they read.
    """
    total = len(opened.pages)
    workers = min(jobs, total // MIN_PAGES_PER_WORKER)
    results: dict[int, list[PageResult]] = {}
    if workers > 1 and can_fork():
        _read_in_workers(opened, workers, time_limit, results, progress, meanwhile)
        meanwhile = None
    if meanwhile:
        meanwhile()
    read = {start + k for start, pages in results.items() for k in range(len(pages))}
    left = [i for i in range(total) if i not in read]
    if left:  # no workers, or they could not be started: here, in this process
        reader = make_reader(opened, time_limit)
        for i in left:
            results[i] = list(reader.read(i, i + 1))
            if progress:
                progress(sum(len(r) for r in results.values()), total)
    return [item for start in sorted(results) for item in results[start]]


def _read_in_workers(
    opened: OpenedPDF,
    workers: int,
    time_limit: float | None,
    results: dict[int, list[PageResult]],
    progress: ProgressHook | None,
    meanwhile: Callable[[], object] | None = None,
) -> None:
    """Contiguous page ranges spread over processes, into ``results`` (first page index -> pages).

    When a worker dies (a page that crashes it or exhausts memory) or stops answering, the
    pages not yet read are read again one at a time by a single worker until the page at
    fault is found: only that page is lost. Workers that die without reading anything twice in
    a row, or cannot be started, leave the pages still to read to the caller.
    """
    total = len(opened.pages)
    todo = _tasks(list(range(total)), workers)
    isolating = False
    barren = 0  # passes in a row in which the workers read nothing
    while todo:
        before = len(results)
        try:
            unfinished = _pool_pass(
                opened, todo, 1 if isolating else workers, time_limit, results, progress, meanwhile, isolating
            )
        except OSError:  # no process could be started (EAGAIN, ENOMEM): read here instead
            return
        finally:
            meanwhile = None
        barren = barren + 1 if len(results) == before else 0
        if not unfinished or barren >= 2:
            return
        left = [i for a, b in unfinished for i in range(a, b)]
        if isolating:  # one worker, one page per task, in order: the first page not done is at fault
            culprit = left.pop(0)
            results[culprit] = [
                (Page(culprit + 1, None, ()), f"page {culprit + 1} stopped the PDF reader and was skipped")
            ]
            todo, isolating = _tasks(left, workers), False
        else:
            todo, isolating = [(i, i + 1) for i in left], True


def _tasks(indices: list[int], workers: int) -> list[tuple[int, int]]:
    """Runs of consecutive page indices, long first and single pages at the end.

    (Guided scheduling: few tasks to send, yet the workers run out of work together, so no
    core waits long for the last page.)
    """
    out: list[tuple[int, int]] = []
    size = 0
    for n, i in enumerate(indices):
        if out and out[-1][1] == i and out[-1][1] - out[-1][0] < size:
            out[-1] = (out[-1][0], i + 1)
        else:
            size = max(1, min(MAX_CHUNK, math.ceil((len(indices) - n) / (workers * 4))))
            out.append((i, i + 1))
    return out


def _pool_pass(
    opened: OpenedPDF,
    todo: list[tuple[int, int]],
    workers: int,
    time_limit: float | None,
    results: dict[int, list[PageResult]],
    progress: ProgressHook | None,
    meanwhile: Callable[[], object] | None = None,
    one_at_a_time: bool = False,
) -> list[tuple[int, int]]:
    """Read ``todo`` in a pool; return the ranges left unread when the pool broke or stalled.

    ``one_at_a_time``: a task is sent only when the one before has answered. When a worker dies,
    the pool fails every task it has not yet delivered, even one whose answer was on its way:
    with one task in flight, the task left unread is the one that killed it.
    """
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    total = len(opened.pages)
    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=init_worker,
        initargs=(opened, time_limit, os.getpid()),  # forked: inherited, never pickled
    )
    # with a time limit per page, a task that answers far later than its pages allow is stuck
    # somewhere a signal cannot reach (inside C code)
    stall = None if time_limit is None else max(b - a for a, b in todo) * time_limit + 30
    pending: dict[Any, tuple[int, int]] = {}
    waiting = list(reversed(todo))
    in_flight = 1 if one_at_a_time else len(todo)

    def send() -> None:
        while waiting and len(pending) < in_flight:
            a, b = waiting.pop()
            pending[executor.submit(worker_read, a, b)] = (a, b)

    try:
        send()
        if meanwhile:
            meanwhile()
        while pending:
            done, _ = wait(pending, timeout=stall, return_when=FIRST_COMPLETED)
            if not done:
                break
            for future in done:
                results[pending[future][0]] = future.result()
                del pending[future]
            send()
            if progress:
                progress(sum(len(r) for r in results.values()), total)
    except BrokenProcessPool:
        pass
    except BaseException:
        _stop(executor)
        raise
    unfinished = [(a, b) for a, b in todo if a not in results]
    if unfinished:
        _stop(executor)
    else:
        executor.shutdown(wait=True)
    return unfinished


def _stop(executor: Any) -> None:
    """Stop the workers now, even one stuck in a page (shutdown alone would wait for it)."""
    kill = getattr(executor, "kill_workers", None)  # Python 3.14+
    if kill is not None:
        kill()
    else:
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            process.kill()
    # and wait for the pool's own threads, so that the next pool may fork again
    executor.shutdown(wait=True, cancel_futures=True)
