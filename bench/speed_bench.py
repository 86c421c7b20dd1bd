"""How fast is ifri? Every speed aim of the project, side by side, in one run.

    python bench/speed_bench.py [FILE ...] [--runs N] [--cold-runs N] [--jobs N]
                                [--memory FILE] [--no-memory] [--tree DIR]

For each FILE (default: governing-ai-economic-transition.pdf, 62 pages with an outline but no
/PageLabels, and schmager-go-design-patterns-thesis.pdf, 196 pages with both), one group of cold
commands run interleaved (each a fresh process with no cache), each against its floor:

* ``ifri toc --no-cache`` (pdfminer engine) against pypdf reading the outline (aim <= 3);
* ``ifri export --no-cache --engine pdfium`` against pypdfium2 extracting the text of every
  page (aim <= 3);
* ``ifri export --no-cache`` (pdfminer engine) against pdfminer's own ``extract_text``
  (aim <= 0.6);

then, interleaved, the cached ``ifri toc`` against ``python -c "import typer, rich.console"``,
the start-up any Typer + Rich program pays (aim <= 1.3), and ``ifri --help`` against the same
floor (aim <= 1.0); last, the peak resident memory of a cold ``toc`` and a cold pdfium ``export``
of the 285-page mupdf-explored.pdf, summed over the process and its page workers.

Each ifri command runs the way the console script runs it (``from ifri_cli._entry import
main``), from this checkout or ``--tree DIR`` (another checkout: the figures before a change).
A command that fails there (an option it does not have) is reported as such. Timings are
medians; wall seconds are compared, CPU seconds (user + system, page workers included) are
shown too: the machine is shared, so the load average is printed and a run under load is
worth repeating.
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

from corpus import CORPUS, REPO  # noqa: E402

PYTHON = sys.executable
FLOOR = [PYTHON, "-c", "import typer, rich.console"]
# what pip's console script does, minus its argv[0] fix-up
ENTRY = "import sys; from ifri_cli._entry import main; sys.argv[0] = 'ifri'; sys.exit(main())"
DEFAULT_FILES = [
    CORPUS / "pdfs" / "governing-ai-economic-transition.pdf",
    CORPUS / "pdfs" / "schmager-go-design-patterns-thesis.pdf",
]
MEMORY_FILE = CORPUS / "pdfs" / "mupdf-explored.pdf"

PYPDF_OUTLINE = "import sys; from pypdf import PdfReader; PdfReader(sys.argv[1]).outline"
PDFIUM_TEXT = (
    "import sys, pypdfium2 as pdfium\n"
    "doc = pdfium.PdfDocument(sys.argv[1])\n"
    "for i in range(len(doc)):\n"
    "    page = doc[i]; text = page.get_textpage(); text.get_text_range(); text.close(); page.close()\n"
)
EXTRACT_TEXT = "import sys; from pdfminer.high_level import extract_text; extract_text(sys.argv[1])"

Timing = tuple[float, float] | None  # median (wall, cpu) seconds, or None when the command failed


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float] | None:
    """Wall-clock and CPU seconds (user + system, page workers included) of one run; None if it failed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        cmd, env=env, cwd=env["PYTHONPATH"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        return None
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def interleaved(commands: dict[str, list[str]], runs: int, env: dict[str, str]) -> dict[str, Timing]:
    """Median wall and CPU seconds of each command, taking turns so that a burst of load hits all."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    failed: set[str] = set()
    for name, cmd in commands.items():  # warm the OS file cache and .pyc files first
        if run(cmd, env) is None:
            failed.add(name)
    for _ in range(runs):
        for name, cmd in commands.items():
            if name not in failed:
                timing = run(cmd, env)
                if timing is None:
                    failed.add(name)
                else:
                    times[name].append(timing)
    out: dict[str, Timing] = {}
    for name, values in times.items():
        if name in failed or not values:
            out[name] = None
        else:
            out[name] = (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
    return out


def compare(label: str, timing: Timing, floor_label: str, floor: Timing, aim: float) -> None:
    if timing is None or floor is None:
        what = label if timing is None else floor_label
        print(f"  {label:<34} {'n/a':>7}     ({what}: not available in this tree or environment)")
        return
    ratio = timing[0] / floor[0]
    verdict = "ok" if ratio <= aim else "MISSED"
    print(
        f"  {label:<34} {timing[0]:6.3f} s  {floor_label:<24} {floor[0]:6.3f} s  "
        f"ratio {ratio:5.2f} (aim <= {aim}: {verdict})   cpu {timing[1]:.2f} vs {floor[1]:.2f}"
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
    proc = subprocess.Popen(
        [PYTHON, "-c", wrapper, *cmd],
        env=env,
        cwd=env["PYTHONPATH"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.02)
    out, _ = proc.communicate()
    if proc.returncode != 0:
        return 0.0, 0.0
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
    parser.add_argument("files", nargs="*", type=Path, help="PDFs to time (default: two corpus PDFs)")
    parser.add_argument("--runs", type=int, default=7, help="runs of the fast commands (median)")
    parser.add_argument("--cold-runs", type=int, default=3, help="runs of the cold commands (median)")
    parser.add_argument("--jobs", type=int, default=0, help="--jobs for ifri (0: one per core)")
    parser.add_argument("--memory", type=Path, default=MEMORY_FILE, help="the PDF for the memory figures")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory measurement")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold parses (start-up only)")
    parser.add_argument(
        "--tree", type=Path, default=REPO, help="the ifri checkout to time (default: this one)"
    )
    args = parser.parse_args()
    files = args.files or DEFAULT_FILES
    for f in files:
        if not f.exists():
            sys.exit(f"speed_bench: {f}: no such file (is the corpus at {CORPUS}?)")

    cache_dir = Path(tempfile.mkdtemp(prefix="ifri-bench-cache-"))
    # run from the tree itself: ``python -c`` puts the working directory first on sys.path
    env = dict(os.environ, IFRI_CACHE_DIR=str(cache_dir), NO_COLOR="1", PYTHONPATH=str(args.tree.resolve()))
    for name in ("IFRI_NO_CACHE", "IFRI_ENGINE", "PYTHONDONTWRITEBYTECODE"):  # time what a user runs
        env.pop(name, None)
    ifri = [PYTHON, "-c", ENTRY]
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    print(f"python {sys.version.split()[0]}; ifri from {args.tree}; {load()}")
    try:
        for f in [] if args.no_cold else files:
            print(f"\n{f.name}")
            cold = interleaved(
                {
                    "toc": [*ifri, "toc", "--no-cache", *jobs, str(f)],
                    "pypdf": [PYTHON, "-c", PYPDF_OUTLINE, str(f)],
                    "export-pdfium": [*ifri, "export", "--no-cache", "--engine", "pdfium", *jobs, str(f)],
                    "pdfium": [PYTHON, "-c", PDFIUM_TEXT, str(f)],
                    "export": [*ifri, "export", "--no-cache", *jobs, str(f)],
                    "extract_text": [PYTHON, "-c", EXTRACT_TEXT, str(f)],
                },
                args.cold_runs,
                env,
            )
            compare("cold ifri toc", cold["toc"], "pypdf outline", cold["pypdf"], 3.0)
            compare(
                "cold ifri export --engine pdfium",
                cold["export-pdfium"],
                "pypdfium2 text",
                cold["pdfium"],
                3.0,
            )
            compare(
                "cold ifri export (pdfminer)",
                cold["export"],
                "pdfminer extract_text",
                cold["extract_text"],
                0.6,
            )
            print(f"  {load()}")
        run([*ifri, "toc", str(files[0])], env)  # fill the cache
        warm = interleaved(
            {"toc": [*ifri, "toc", str(files[0])], "help": [*ifri, "--help"], "floor": FLOOR}, args.runs, env
        )
        print(f"\nstart-up ({files[0].name} cached)")
        compare("warm ifri toc (cached)", warm["toc"], "import typer, rich", warm["floor"], 1.3)
        compare("ifri --help", warm["help"], "import typer, rich", warm["floor"], 1.0)
        if not args.no_memory and args.memory.exists():
            print(
                f"\nmemory, {args.memory.name}, cold, summed over the process and its workers (largest one)"
            )
            for label, extra in (
                ("toc", ["toc"]),
                ("export --engine pdfium", ["export", "--engine", "pdfium"]),
            ):
                total, single = peak_rss_mb([*ifri, *extra, "--no-cache", *jobs, str(args.memory)], env)
                if total:
                    print(f"  {label:<34} peak {total:4.0f} MB ({single:.0f} MB)")
                else:
                    print(f"  {label:<34} n/a")
        print(f"\n{load()}")
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
