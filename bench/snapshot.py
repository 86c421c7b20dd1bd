"""Every command's output on the corpus, written to a folder, so that two versions can be diffed.

    python bench/snapshot.py OUT [--jobs N] [--only NAME ...] [--raw DIR] [--source TREE]
    diff -r OUT-before OUT-after

For each corpus PDF, the sample, and each PDF's text as ``ifri text`` writes it (the text-file
path), runs the installed ``ifri`` with a private cache and records stdout, stderr and the exit
code of: toc (plain, --json --explain), info (plain, --json), export (--json, --markdown), text,
section 1, search (plain, --json), summary (--json, --by-section, --keywords, --abstract).
A refactoring that claims "no output changes" must leave ``diff -r`` empty.

pdfminer's layout is not deterministic (it breaks ties between text boxes by memory address,
so a page with a formula can come out in another order from one run to the next): to compare
two versions, give both the same ``--raw DIR``. The PDFs are laid out once into DIR (pickled
``ingest`` results) and each run's cache is seeded with them, so only the later stages run.
``--source TREE`` runs the ifri in another checkout (``python -m ifri_cli`` from TREE).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import REPO, pdfs  # noqa: E402

_SCRIPT = Path(sys.executable).parent / "ifri"
IFRI = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "ifri_cli"]

COMMANDS: dict[str, list[str]] = {
    "toc.txt": ["toc", "{file}"],
    "toc.json": ["toc", "{file}", "--json", "--explain"],
    "info.txt": ["info", "{file}"],
    "info.json": ["info", "{file}", "--json"],
    "export.json": ["export", "{file}", "--json"],
    "export.md": ["export", "{file}", "--markdown"],
    "text.txt": ["text", "{file}"],
    "section-1.txt": ["section", "1", "{file}"],
    "search.txt": ["search", "-w", "data", "{file}"],
    "search.json": ["search", "polic", "{file}", "--json", "-C", "1"],
    "summary.json": ["summary", "{file}", "--json"],
    "by-section.json": ["summary", "{file}", "--by-section", "--json"],
    "keywords.json": ["summary", "{file}", "--keywords", "--json"],
    "abstract.json": ["summary", "{file}", "--abstract", "--json"],
}


def run(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, bytes, bytes]:
    proc = subprocess.run([*IFRI, *args], env=env, cwd=cwd, capture_output=True, timeout=1800)
    return proc.returncode, proc.stdout, proc.stderr


# a layout made by an older checkout lacks the fields added since: they take their defaults (the
# engine: the one this run reads with), so that both checkouts are served the same layout
_SEED = """
import os, pickle, sys
from dataclasses import MISSING, fields
from pathlib import Path
from ifri_cli import cache
engine = os.environ.get("IFRI_ENGINE") or "pdfminer"
for pdf, raw in zip(sys.argv[1::2], sys.argv[2::2]):
    doc = pickle.loads(Path(raw).read_bytes())
    for f in fields(doc):
        if f.name not in doc.__dict__ and f.default is not MISSING:
            default = engine if f.name == "engine" and doc.kind == "pdf" else f.default
            object.__setattr__(doc, f.name, default)
    digest = cache.content_hash(Path(pdf).read_bytes())
    try:
        key = cache.raw_key(digest, engine)
    except TypeError:  # a checkout from before the engines
        key = cache.raw_key(digest)
    cache.store(key, doc)
"""

_LAYOUT = """
import pickle, sys
from pathlib import Path
from ifri_cli import ingest
doc = ingest.load(sys.argv[1])
Path(sys.argv[2]).write_bytes(pickle.dumps(doc))
"""


def seed(raw: Path, pdfs: list[Path], env: dict[str, str]) -> None:
    """Lay out each PDF once into ``raw`` (kept between runs) and put it in this run's cache."""
    raw.mkdir(parents=True, exist_ok=True)
    pairs: list[str] = []
    for pdf in pdfs:
        pickled = raw / (pdf.stem + ".pickle")
        if not pickled.exists():
            command = [sys.executable, "-c", _LAYOUT, str(pdf), str(pickled)]
            subprocess.run(command, env=env, cwd=raw, check=True)  # not in a checkout: -c imports from cwd
        pairs += [str(pdf), str(pickled)]
    subprocess.run([sys.executable, "-c", _SEED, *pairs], env=env, cwd=raw, check=True)


def snapshot(name: str, file: Path, out: Path, env: dict[str, str], cwd: Path) -> None:
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    for key, template in COMMANDS.items():
        args = [str(file) if a == "{file}" else a for a in template]
        code, stdout, stderr = run(args, env, cwd)
        (folder / key).write_bytes(stdout)
        (folder / (key + ".err")).write_bytes(stderr + f"exit {code}\n".encode())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--jobs", type=int, default=2, help="documents at once (default 2)")
    parser.add_argument("--only", nargs="*", help="only the corpus files whose name contains one of these")
    parser.add_argument("--raw", type=Path, help="a folder of laid-out PDFs shared by the runs to compare")
    parser.add_argument("--source", type=Path, help="the checkout whose ifri to run (default: installed)")
    args = parser.parse_args()
    global IFRI
    if args.source:
        IFRI = [sys.executable, "-m", "ifri_cli"]
    work = Path(tempfile.mkdtemp(prefix="ifri-snapshot-"))
    env = {**os.environ, "IFRI_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1", "COLUMNS": "100"}
    env.pop("IFRI_DOC", None)
    if args.source:
        env["PYTHONPATH"] = str(args.source.resolve())
    # relative paths, so that file names shown back are the same whatever the checkout
    links = work / "docs"
    links.mkdir()
    files: list[tuple[str, Path]] = [("sample", REPO / "ifri_cli" / "samples" / "sample.pdf")]
    for pdf in pdfs():
        if args.only and not any(k in pdf.name for k in args.only):
            continue
        files.append((pdf.stem, pdf))
    jobs: list[tuple[str, Path]] = []
    for stem, pdf in files:
        target = links / f"{stem}.pdf"
        shutil.copyfile(pdf, target)
        jobs.append((stem, Path("docs") / target.name))
    if args.raw:
        seed(args.raw.resolve(), [links / f"{stem}.pdf" for stem, _ in files], env)

    def both(item: tuple[str, Path]) -> str:
        stem, rel = item
        snapshot(stem, rel, args.out, env, work)
        text = links / f"{stem}.txt"
        code, stdout, _ = run(["text", str(rel)], env, work)
        if code == 0:
            text.write_bytes(stdout)
            snapshot(stem + ".txt", Path("docs") / text.name, args.out, env, work)
        return stem

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for stem in pool.map(both, jobs):
            print(stem, flush=True)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
