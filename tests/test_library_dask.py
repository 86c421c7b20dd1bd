"""Scale-out on an existing engine: ``--dask ADDRESS`` parses on a dask.distributed cluster (here
a LocalCluster of two worker processes) and the client alone writes the library.

The cluster and the commands run in processes of their own: a Dask client leaves threads
behind, and a process with other threads never forks workers (see ``ifri_cli.library.run``),
which the other tests of this session rely on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO
from libgen import collection

from ifri_cli.library import Library, export

pytest.importorskip("distributed", reason="pip install 'ifri[dask]'")

CLUSTER = """
import sys
from distributed import LocalCluster

if __name__ == "__main__":
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        print(cluster.scheduler_address, flush=True)
        sys.stdin.read()  # until the test closes it
"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    script = tmp_path_factory.mktemp("dask") / "cluster.py"
    script.write_text(CLUSTER, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        # the scheduler and the workers import this tree's ifri (module fixtures run before the
        # autouse one that sets PYTHONPATH)
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert process.stdout is not None and process.stdin is not None
    address = process.stdout.readline().strip()
    assert address.startswith("tcp://"), "the LocalCluster did not start"
    try:
        yield address
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def ifri(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ifri_cli", *args], capture_output=True, text=True, timeout=300, check=False
    )


def test_index_and_export_on_a_dask_cluster(cluster: str, tmp_path: Path) -> None:
    docs = collection(tmp_path / "docs")
    db = tmp_path / "lib.db"
    result = ifri("index", str(docs), "--db", str(db), "--dask", cluster, "--json")
    assert result.returncode == 2, result.stderr  # the three unreadable files, reported
    report = json.loads(result.stdout)
    assert (report["added"], len(report["failed"]), report["documents"]) == (4, 3, 4)
    assert {f["kind"] for f in report["failed"]} == {"EncryptedPDF", "BrokenPDF", "NoTextLayer"}
    assert "Traceback" not in result.stderr
    with Library(db) as lib, Library(tmp_path / "local.db") as local:
        assert lib.check() == []
        assert lib.search("satellite altimetry").hits[0].title == "Measuring ice loss"
        local.index([docs], jobs=1)
        assert [(h.path, h.title) for h in lib.search("the", limit=20).hits] == [
            (h.path, h.title) for h in local.search("the", limit=20).hits
        ]
    again = ifri("index", str(docs), "--db", str(db), "--dask", cluster)
    assert again.stdout.startswith("7 files: 0 added, 0 updated, 4 unchanged, 3 failed")

    exported = ifri("export", str(docs), "--jsonl", "--dask", cluster)
    assert exported.returncode == 2
    lines = exported.stdout.splitlines()
    assert len(lines) == 7 and sum('"error":' in line[:200] for line in lines) == 3
    assert set(lines) == {r.line for r in export([docs], jobs=1)}


def test_an_unreachable_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    result = ifri("index", str(tmp_path), "--db", str(tmp_path / "lib.db"), "--dask", "tcp://127.0.0.1:9")
    assert result.returncode == 2 and "cannot reach the Dask scheduler" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "lib.db").exists()  # said before a library is made
