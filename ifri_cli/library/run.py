"""Running one function over many files: in forked worker processes, in this process, or on a
Dask cluster. Results come back in the order they finish.

Workers are forked, never spawned (see ``ifri_cli.pdf.pool``: a spawned worker imports the main
module again, which re-runs ``python -m ifri_cli`` and hangs a script read from stdin), and only
when forking is safe: when other threads run (a notebook, a server), when the platform has no
fork, or inside a daemonic process, the files are read here, one after the other. A worker that
dies (a file that crashes the PDF reader or exhausts memory) costs only that file: the files it
had not finished are read again one at a time until the one at fault is found.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from ifri_cli.pdf.pool import can_fork  # the one rule for when workers may be forked

R = TypeVar("R")
Task = Callable[..., R]  # task(path, data=None, jobs=1) -> R, never raises

CRASHED = "the PDF reader crashed on this file (its worker process died)"


def run(
    task: Task[R],
    paths: Sequence[str],
    *,
    jobs: int,
    crashed: Callable[[str, str, str], R],
    dask: str | Any | None = None,
) -> Iterator[tuple[str, R]]:
    """``(path, task(path))`` for every path, as each finishes.

    ``jobs`` processes (the largest files first, so that no core waits for a big one at the end);
    a single file is given all of them for its pages instead. ``dask``: a scheduler address or a
    ``distributed.Client``; the files are read here and their bytes sent to the workers, which
    need not see this machine's files. ``crashed(path, kind, reason)`` makes the result of a file
    whose worker died, or that could not be sent (``kind`` is an error class name).
    """
    if not paths:
        return
    if dask is not None:
        yield from _run_dask(task, _largest_first(paths), dask, crashed)
        return
    workers = min(jobs, len(paths))
    if workers > 1 and can_fork():
        yield from _run_forked(task, _largest_first(paths), workers, crashed)
        return
    page_jobs = jobs if len(paths) == 1 else 1
    for path in paths:
        yield path, task(path, jobs=page_jobs)


# --- forked workers ---------------------------------------------------------------------------


def _init_worker(parent: int) -> None:
    # Ctrl-C reaches the whole process group: the parent alone handles it and stops the workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:  # a parent killed outright cannot stop its workers: they notice and go
        import time

        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="ifri-parent-watch", daemon=True).start()


def _run_forked(
    task: Task[R], paths: Sequence[str], workers: int, crashed: Callable[[str, str, str], R]
) -> Iterator[tuple[str, R]]:
    todo = list(paths)
    isolating = False
    while todo:
        done: set[str] = set()
        for path, result in _pool_pass(task, todo, 1 if isolating else workers, one_at_a_time=isolating):
            done.add(path)
            yield path, result
        left = [p for p in todo if p not in done]
        if not left:
            return
        if isolating:  # one task at a time: the first one left is the one that killed the worker
            culprit = left.pop(0)
            yield culprit, crashed(culprit, "InternalError", CRASHED)
            todo, isolating = left, False
        else:
            todo, isolating = left, True


def _pool_pass(
    task: Task[R], paths: list[str], workers: int, *, one_at_a_time: bool
) -> Iterator[tuple[str, R]]:
    """Results until every path is done or the pool breaks (a worker died)."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_init_worker,
        initargs=(os.getpid(),),
    )
    waiting = list(reversed(paths))
    pending: dict[Any, str] = {}
    # a few tasks ahead of the workers: enough to keep them busy, and a crash fails few of them
    ahead = 1 if one_at_a_time else workers * 2

    def send() -> None:
        while waiting and len(pending) < ahead:
            path = waiting.pop()
            pending[executor.submit(task, path)] = path

    clean = False
    try:
        send()
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                path = pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    return
                yield path, result
            send()
        clean = True
    except BrokenProcessPool:
        return
    finally:
        if clean:
            executor.shutdown(wait=True)
        else:
            _stop(executor)


def _stop(executor: Any) -> None:
    """Stop the workers now, even one deep in a page (shutdown alone would wait for it)."""
    kill = getattr(executor, "kill_workers", None)  # Python 3.14+
    if kill is not None:
        kill()
    else:
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            try:
                process.kill()
            except (OSError, AttributeError):
                pass
    # and wait for the pool's own threads, so that the next pool may fork again
    executor.shutdown(wait=True, cancel_futures=True)


# --- Dask ---------------------------------------------------------------------------------------


@contextmanager
def dask_client(address: str | Any | None) -> Iterator[Any]:
    """A ``distributed.Client`` connected to ``address`` for the time of the block (None: None;
    a Client: itself, left open)."""
    from ifri_cli.errors import UsageError

    if address is None or not isinstance(address, str):
        yield address
        return
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--dask needs dask.distributed", hint="pip install 'ifri[dask]'") from None
    _probe(address)
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        yield client
    finally:
        client.close()


def _probe(address: str) -> None:
    """A scheduler that refuses the connection, or a host that does not resolve, is said at once
    (a Dask client retries until its timeout)."""
    import socket
    from urllib.parse import urlsplit

    from ifri_cli.errors import UsageError

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:  # a port that is not a number: Dask says what is wrong with it
        return
    if parts.scheme not in ("tcp", "tls") or not host or not port:
        return
    try:
        socket.create_connection((host, port), timeout=10).close()
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {reason}") from None


def _run_dask(
    task: Task[R], paths: Sequence[str], address: str | Any, crashed: Callable[[str, str, str], R]
) -> Iterator[tuple[str, R]]:
    from distributed import as_completed

    with dask_client(address) as client:
        threads = sum((client.nthreads() or {}).values()) or 1
        # the bytes of a few files per worker thread in flight, not of the whole folder
        ahead = max(2, threads * 2)
        waiting = list(reversed(paths))
        pending: dict[Any, str] = {}
        unreadable: list[tuple[str, R]] = []
        queue = as_completed()

        def send() -> None:
            while waiting and len(pending) < ahead:
                path = waiting.pop()
                try:
                    with open(path, "rb") as fh:
                        data = fh.read()
                except OSError as exc:  # (a worker must not read what may be another file there)
                    unreadable.append(
                        (path, crashed(path, "InputError", f"cannot read ({exc.strerror or exc})"))
                    )
                    continue
                future = client.submit(task, path, data, pure=False)
                pending[future] = path
                queue.add(future)

        send()
        yield from unreadable
        for future in queue:
            path = pending.pop(future)
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - KilledWorker, a worker without ifri...
                message = " ".join(str(exc).split())  # one line: Dask's messages run over several
                result = crashed(
                    path, "InternalError", f"the Dask task failed: {type(exc).__name__}: {message}"
                )
            future.release()
            yield path, result
            unreadable.clear()
            send()
            yield from unreadable


def _largest_first(paths: Sequence[str]) -> list[str]:
    return sorted(paths, key=_size, reverse=True)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
