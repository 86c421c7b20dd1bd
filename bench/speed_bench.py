"""How fast is ifri? Cold parse, warm (cached) command and start-up, against fixed floors.

    python bench/speed_bench.py [FILE ...] [--runs N] [--cold-runs N] [--jobs N] [--memory FILE]

Prints, for each FILE (default: governing-ai-economic-transition.pdf from the corpus):

* cold ``ifri toc --no-cache FILE`` against pdfminer's own ``extract_text(FILE)``
  (target ratio <= 0.7 on 2 cores);
* warm ``ifri toc FILE`` (served by the cache) against ``python -c "import typer, rich.console"``,
  the start-up any Typer + Rich program pays (target <= 1.5);
* ``ifri --help`` against the same floor (target <= 1.2);

and the peak resident memory of a cold parse of the largest corpus PDF, summed over the
process and its page workers (target < 400 MB for the 285-page mupdf-explored).

Commands being compared run interleaved (A B A B ...), each timing is a median of several
runs, and the load average is printed: the machine is shared, so rerun when it is high.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import CORPUS, pdfs  # noqa: E402

PYTHON = sys.executable
_SCRIPT = Path(PYTHON).parent / "ifri"
IFRI = [str(_SCRIPT)] if _SCRIPT.exists() else [PYTHON, "-m", "ifri_cli"]
FLOOR = [PYTHON, "-c", "import typer, rich.console"]
DEFAULT_FILE = CORPUS / "pdfs" / "governing-ai-economic-transition.pdf"


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system, page workers included) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def interleaved(
    commands: dict[str, list[str]], runs: int, env: dict[str, str]
) -> tuple[dict[str, float], dict[str, float]]:
    """Median wall and CPU seconds of each command, taking turns so that a burst of load hits all."""
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for cmd in commands.values():  # warm the OS file cache and .pyc files first
        run(cmd, env)
    for _ in range(runs):
        for name, cmd in commands.items():
            wall, cpu = run(cmd, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    median = statistics.median
    return {n: median(v) for n, v in walls.items()}, {n: median(v) for n, v in cpus.items()}


def compare(name: str, seconds: float, floor_name: str, floor: float, target: float) -> None:
    verdict = "ok" if seconds / floor <= target else "MISSED"
    print(
        f"  {name:<28} {seconds:7.3f} s   {floor_name:<22} {floor:7.3f} s   "
        f"ratio {seconds / floor:.2f} (target <= {target}: {verdict})"
    )


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def peak_rss_mb(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(peak of the sum over the process tree, peak of the largest single process) in MB.

    The sum is sampled from /proc every 20 ms; the single-process peak is exact (getrusage).
    """
    # a fresh wrapper process, so that getrusage sees this command's processes and no earlier one
    wrapper = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
        "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    proc = subprocess.Popen([PYTHON, "-c", wrapper, *cmd], env=env, stdout=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.02)
    out, _ = proc.communicate()
    return peak / 1024, int(out.strip() or 0) / 1024


def _tree_rss(root: int) -> int:
    """Resident KiB of ``root`` and its descendants."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
        except OSError:
            continue
        pid = int(entry)
        parents[pid] = int(fields.get("PPid", "0").strip())
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
    total = 0
    for pid in rss:
        p = pid
        while p and p != root:
            p = parents.get(p, 0)
        if p == root:
            total += rss[pid]
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="PDFs to time (default: governing-ai...)")
    parser.add_argument("--runs", type=int, default=7, help="runs of the fast commands (median)")
    parser.add_argument("--cold-runs", type=int, default=3, help="runs of the cold parse (median)")
    parser.add_argument("--jobs", type=int, default=0, help="--jobs for ifri (0: one per core)")
    parser.add_argument("--memory", type=Path, help="the PDF for the memory figure (default: the largest)")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory measurement")
    args = parser.parse_args()
    files = args.files or [DEFAULT_FILE]
    for f in files:
        if not f.exists():
            sys.exit(f"speed_bench: {f}: no such file (is the corpus at {CORPUS}?)")

    cache_dir = Path(tempfile.mkdtemp(prefix="ifri-bench-cache-"))
    env = dict(os.environ, IFRI_CACHE_DIR=str(cache_dir), NO_COLOR="1")
    env.pop("IFRI_NO_CACHE", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # time what a user runs: modules compiled once, not every time
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    print(f"python {sys.version.split()[0]}; {load()}")
    try:
        for f in files:
            print(f"\n{f.name}")
            extract = f"from pdfminer.high_level import extract_text; extract_text({str(f)!r})"
            cold, cpu = interleaved(
                {"ifri": [*IFRI, "toc", "--no-cache", *jobs, str(f)], "pdfminer": [PYTHON, "-c", extract]},
                args.cold_runs,
                env,
            )
            compare("cold  ifri toc --no-cache", cold["ifri"], "pdfminer extract_text", cold["pdfminer"], 0.7)
            # on a busy machine the cores are not free: the CPU seconds say how much work each did
            print(f"  (CPU seconds, user + system: ifri {cpu['ifri']:.2f}, pdfminer {cpu['pdfminer']:.2f})")
            run([*IFRI, "toc", str(f)], env)  # fill the cache
            warm, _ = interleaved({"ifri": [*IFRI, "toc", str(f)], "floor": FLOOR}, args.runs, env)
            compare("warm  ifri toc (cached)", warm["ifri"], "import typer, rich", warm["floor"], 1.5)
            print(f"  {load()}")
        start, _ = interleaved({"help": [*IFRI, "--help"], "floor": FLOOR}, args.runs, env)
        print()
        compare("start ifri --help", start["help"], "import typer, rich", start["floor"], 1.2)
        if not args.no_memory:
            target = args.memory or max(pdfs(), key=_page_count, default=None)
            if target is not None:
                total, single = peak_rss_mb([*IFRI, "toc", "--no-cache", *jobs, str(target)], env)
                print(
                    f"\nmemory {target.name} ({_page_count(target)} pages), cold parse: peak {total:.0f} MB "
                    f"summed over the process and its workers; largest single process {single:.0f} MB "
                    "(target < 400 MB)"
                )
        print(f"\n{load()}")
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)


def _page_count(path: Path) -> int:
    try:
        from corpus import manifest

        return int(manifest()[path.name]["pages"])
    except (OSError, KeyError, ValueError):
        return path.stat().st_size // 50_000  # no manifest: the biggest file stands in


if __name__ == "__main__":
    main()
