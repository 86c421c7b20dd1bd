"""Peak memory of one ifri run, for the tests that bound it (tests/test_limits.py, test_robustness.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

IFRI = [sys.executable, "-m", "ifri_cli"]


def peak_run(
    args: list[str], env: dict[str, str] | None = None, timeout: float = 900
) -> tuple[float, float, subprocess.CompletedProcess[bytes]]:
    """Run ifri in a fresh interpreter: (wall seconds, peak resident MB of its largest process, result).

    This process's own children include every earlier test's, so a wrapper process measures;
    ru_maxrss is in KiB on Linux, in bytes on macOS.
    """
    wrapper = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)\n"
        "sys.stdout.buffer.write(p.stdout)\n"
        "sys.stderr.buffer.write(p.stderr)\n"
        "sys.stderr.write(f'\\nMAXRSS {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\\n')\n"
        "sys.exit(p.returncode)\n"
    )
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", wrapper, *IFRI, *args],
        capture_output=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "IFRI_NO_CACHE": "1", **(env or {})},
    )
    wall = time.monotonic() - start
    match = re.search(rb"\nMAXRSS (\d+)\n$", proc.stderr)
    assert match, proc.stderr[-500:]
    kib = int(match.group(1))
    return wall, kib / 1024 if sys.platform != "darwin" else kib / 1024 / 1024, proc
