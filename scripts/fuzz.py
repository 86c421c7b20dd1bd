#!/usr/bin/env python3
"""Fuzz ifri: mutate PDFs and run every command on them, looking for crashes, hangs and leaks.

The seeds are the sample paper (``ifri_cli/samples/sample.pdf``), a few PDFs generated with
``tests/pdfgen.py`` (outline, page labels, an empty-password encryption, a scanned page) and
the hostile inputs of ``tests/hostile.py``: escape sequences, control characters and bidi
overrides in text, metadata, bookmarks and page labels (as a PDF and as a text file), a
decompression bomb, bookmark and page-tree loops, a page tree nested thousands deep.
Each round takes a seed, applies one to three mutations (bit flips anywhere or inside
streams, truncation, deleted, duplicated or inserted chunks, a damaged cross-reference
table, swapped PDF tokens, extreme numbers, deep nesting, a splice of two files, escape
sequences injected into strings, a stream swapped for a bomb, references redirected into
loops) and runs every ``ifri`` command on the result as a subprocess with a time limit and a
memory limit (``--max-memory-mb``, the address space), sometimes under a file name that holds
escape sequences itself.

A failure is a traceback on stderr, exit code 70 (internal error, a MemoryError past the
memory limit among them), an exit code ifri does not document, death by a signal, a hang (the
time limit), an error that is not one ``ifri: error:`` line, output on stdout next to an error,
``--json`` output that does not parse, or a leak: a control character (but tab, newline and
form feed), a C1 control or a bidi override on stdout (past ifri's own colour codes), stderr
or in a file ``split`` wrote. Each distinct failure is saved once under ``bench/out/fuzz/``
(the input, and a ``.json`` file with the command, exit code, stderr and a ``--debug`` traceback).

    python scripts/fuzz.py --minutes 10
    python scripts/fuzz.py --minutes 10 --seed-files ../shared/corpus/pdfs/toc-test-*.pdf
    python scripts/fuzz.py --replay bench/out/fuzz/*.pdf     # after a fix: do they pass now?
    python scripts/fuzz.py --minutes 10 --max-memory-mb 2000   # the memory limit of each run
    python scripts/fuzz.py --minutes 10 --engine pdfium        # one engine (default: both, when
                                                               # pypdfium2 is installed, by input)

Run one at a time: each command is pinned to one CPU, and the parse cache lives in a
temporary directory that is removed at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out" / "fuzz"
EXIT_CODES = {0, 1, 2, 3, 130}
# what no output may hold: C0 controls but tab, newline and form feed; DEL; C1; bidi overrides
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0d-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
RICH_STYLE = re.compile("\x1b\\[[0-9;]*m")  # ifri's own colours with --color always
EVIL_NAME = "in\x1b]0;pwned\x07put\x1b[2J\u202e"  # a file name shown back in warnings and hits

# --- seeds --------------------------------------------------------------------------------


def make_seeds(folder: Path) -> dict[str, bytes]:
    sys.path.insert(0, str(REPO / "tests"))
    from pdfgen import LOREM, PageSpec, Para, Spec, make_pdf, simple_report

    seeds = {"sample": (REPO / "ifri_cli" / "samples" / "sample.pdf").read_bytes()}
    seeds["report"] = simple_report(folder / "report.pdf", printed_numbers=True).read_bytes()
    seeds["labels"] = simple_report(folder / "labels.pdf", outline=False, labels=True).read_bytes()
    contents = [
        PageSpec(
            [
                Para("A Report on Ports", 20, "B"),
                Para("Contents", 14, "B"),
                "1 Introduction ........ 2",
                "2 Shipping and trade ........ 3",
                "2.1 Tariffs ........ 3",
            ]
        ),
        PageSpec([Para("1 Introduction", 14, "B"), LOREM, LOREM], footer="2"),
        PageSpec(
            [Para("2 Shipping and trade", 14, "B"), LOREM, Para("2.1 Tariffs", 12, "B"), LOREM], footer="3"
        ),
    ]
    seeds["contents"] = make_pdf(folder / "contents.pdf", Spec(contents, title="Ports")).read_bytes()
    locked = Spec([PageSpec([Para("Encrypted but open", 14, "B"), LOREM])], password="")
    seeds["encrypted"] = make_pdf(folder / "encrypted.pdf", locked).read_bytes()
    mixed = Spec([PageSpec([Para("Scanned annex", 14, "B"), LOREM]), PageSpec(image_only=True)])
    seeds["mixed"] = make_pdf(folder / "mixed.pdf", mixed).read_bytes()
    seeds.update(hostile_seeds(folder))
    return seeds


def hostile_seeds(folder: Path) -> dict[str, bytes]:
    """The inputs of tests/hostile.py, small: each limit and each way into the terminal once."""
    import hostile

    made = {
        "evil": hostile.evil_report(folder / "evil.pdf"),
        "evil-plain": hostile.evil_report(folder / "evil-plain.pdf", outline=False),
        "evil-text": hostile.evil_text(folder / "evil.txt"),
        "bomb": hostile.bomb_pdf(folder / "bomb.pdf", 40 << 20, pages=3),
        "outline-loop": hostile.outline_pdf(
            folder / "loop.pdf", hostile.nested_entries(4, 2, 6), 6, cycle="first"
        ),
        "tree-loop": hostile.page_tree_cycle_pdf(folder / "tree-loop.pdf"),
        "deep-tree": hostile.deep_page_tree_pdf(folder / "deep.pdf", 2000),
    }
    return {name: path.read_bytes() for name, path in made.items()}


# --- mutations ------------------------------------------------------------------------------

Mutator = Callable[[bytes, random.Random], bytes]


def _stream_spans(data: bytes) -> list[tuple[int, int]]:
    return [
        m.span(1) for m in re.finditer(rb"stream\r?\n(.+?)endstream", data, re.S) if m.end(1) > m.start(1)
    ]


def flip_bits(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice([1, 2, 8, 40])):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def flip_in_streams(data: bytes, rng: random.Random) -> bytes:
    spans = _stream_spans(data)
    if not spans:
        return flip_bits(data, rng)
    out = bytearray(data)
    for _ in range(rng.choice([1, 3, 20])):
        start, end = rng.choice(spans)
        out[rng.randrange(start, end)] ^= 1 << rng.randrange(8)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def delete_chunk(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randrange(1, max(2, len(data) // 10)) :]


def duplicate_chunk(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    chunk = data[start : start + rng.randrange(1, max(2, len(data) // 10))]
    at = rng.randrange(len(data))
    return data[:at] + chunk + data[at:]


def insert_random(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + rng.randbytes(rng.choice([1, 16, 512])) + data[at:]


def damage_xref(data: bytes, rng: random.Random) -> bytes:
    table = data.rfind(b"\nxref")
    start = data.rfind(b"startxref")
    choice = rng.randrange(4)
    if choice == 0 and table >= 0:  # every offset a little off
        shift = rng.choice([-50, -1, 1, 37, 1000])
        return data[:table] + re.sub(
            rb"(\d{10}) (\d{5}) n",
            lambda m: b"%010d %s n" % (max(0, int(m.group(1)) + shift), m.group(2)),
            data[table:],
        )
    if choice == 1 and table >= 0 and data.rfind(b"trailer") > table:
        return data[:table] + b"\nxref\n0 3\ngarbage\n" + data[data.rfind(b"trailer") :]
    if choice == 2 and start >= 0:
        return data[:start] + b"startxref\n%d\n%%%%EOF\n" % rng.choice([0, 12, len(data) * 2, -5])
    return data.replace(b"startxref", b"")


TOKENS = [
    b"/Type /Pages",
    b"/Type /Page",
    b"/Type /Catalog",
    b"/Kids [1 0 R 1 0 R]",
    b"/Parent 1 0 R",
    b"/Count -1",
    b"/Count 999999999",
    b"/Length 0",
    b"/Length 99999999",
    b"/Filter /FlateDecode",
    b"/Filter /LZWDecode",
    b"/Filter /ASCII85Decode",
    b"/DecodeParms << /Predictor 12 /Columns 0 >>",
    b"null",
    b"()",
    b"<>",
    b"<<",
    b">>",
    b"[",
    b"]",
    b"1 0 R",
    b"99999 0 R",
    b"/MediaBox [0 0 0 0]",
    b"/MediaBox [0 0 1e308 -1e308]",
    b"/Font << /F1 99 0 R >>",
    b"/Resources null",
    b"/Contents 1 0 R",
    b"/Outlines 1 0 R",
    b"/First 1 0 R /Last 1 0 R /Next 1 0 R",
    b"/PageLabels << /Nums [0 << /S /r /St -3 >>] >>",
    b"/W [0 0 0]",
    b"/Index [0 -1]",
    b"/Size -1",
    b"/Prev 0",
    b"BT /F1 1e38 Tf ET",
    b"Tz",
    b"0 0 0 0 re W n",
]


def swap_token(data: bytes, rng: random.Random) -> bytes:
    matches = list(
        re.finditer(rb"/[A-Za-z]+(?:\s+(?:/[A-Za-z]+|-?\d+(?:\s+\d+\s+R)?|\[[^\]]{0,40}\]))?", data)
    )
    if not matches:
        return insert_random(data, rng)
    out = data
    for match in sorted(
        rng.sample(matches, min(len(matches), rng.choice([1, 2, 5]))), key=lambda m: -m.start()
    ):
        out = out[: match.start()] + rng.choice(TOKENS) + out[match.end() :]
    return out


def extreme_numbers(data: bytes, rng: random.Random) -> bytes:
    matches = list(re.finditer(rb"(?<![\w.])\d{1,6}(?![\w.])", data))
    if not matches:
        return flip_bits(data, rng)
    out = data
    for match in sorted(
        rng.sample(matches, min(len(matches), rng.choice([1, 3, 10]))), key=lambda m: -m.start()
    ):
        value = rng.choice(
            [b"0", b"-1", b"2147483648", b"99999999999999999999", b"1e400", b"-0", b"3.5", b"NaN"]
        )
        out = out[: match.start()] + value + out[match.end() :]
    return out


def deep_nesting(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    opener = rng.choice([b"[", b"<<", b"(", b"q "])
    return data[:at] + opener * rng.choice([100, 2000, 20000]) + data[at:]


JUNK_TEXT = [
    b"",
    b"\\000\\001\\033[31m",
    b"[bold]markup[/bold]",
    b"\\f\\f\\f",
    b"x" * 5000,
    b"1 Introduction 3",
    b"Contents",
    b"................ 12",
    b"\\351t\\351",
    b"(nested (parens))",
    b"\\",
    b"\\r\\n\\t",
]
NUMBERS = [b"0", b"-1", b"1e9", b"-1e9", b"0.0001", b"99999", b"3.14", b"-0"]


def _deflated_streams(data: bytes) -> list[tuple[int, int, bytes]]:
    """(start, end, inflated content) of each stream that inflates, with its exact /Length."""
    import zlib

    found = []
    for match in re.finditer(rb"/Length (\d+)[^>]*>>\s*stream\r?\n", data):
        start = match.end()
        end = start + int(match.group(1))
        try:
            found.append((start, end, zlib.decompress(data[start:end])))
        except (zlib.error, ValueError, OverflowError):
            continue
    return found


def mutate_content(data: bytes, rng: random.Random, text: list[bytes] | None = None) -> bytes:
    """Change what a page draws, not its bytes: text, positions, font sizes, the order of operators.

    The stream is inflated, edited and deflated again with its /Length fixed, so the page still
    parses and the odd text and geometry reach the later stages (clean, toc, sections, summary).
    """
    import zlib

    streams = _deflated_streams(data)
    if not streams:
        return swap_token(data, rng)
    start, end, content = rng.choice(streams)
    lines = content.split(b"\n")
    for _ in range(rng.choice([1, 3, 10])):
        choice = rng.randrange(5)
        index = rng.randrange(len(lines))
        if choice == 0:  # the text shown
            lines[index] = re.sub(
                rb"\((?:[^()\\]|\\.)*\)", b"(" + rng.choice(text or JUNK_TEXT) + b")", lines[index], count=1
            )
        elif choice == 1:  # a position or a size
            lines[index] = re.sub(rb"-?\d+(?:\.\d+)?", rng.choice(NUMBERS), lines[index], count=1)
        elif choice == 2:
            lines.insert(rng.randrange(len(lines) + 1), lines[index])
        elif choice == 3:
            del lines[index]
            if not lines:
                lines = [b""]
        else:
            rng.shuffle(lines)
    packed = zlib.compress(b"\n".join(lines))
    head = data[:start]
    head = re.sub(rb"/Length \d+([^>]*>>\s*stream\r?\n)$", b"/Length %d\\1" % len(packed), head)
    return _fix_xref(head + packed + data[end:])


def _fix_xref(data: bytes) -> bytes:
    """Point a classic cross-reference table at where the objects now are, so that the file
    stays valid and is read the normal way, not salvaged."""
    table = data.rfind(b"\nxref")
    start = data.rfind(b"startxref")
    if table < 0 or start < table:
        return data
    where = {int(m.group(1)): m.start(1) for m in re.finditer(rb"(?:^|\n)(\d+) 0 obj\b", data[:table])}

    lines = data[table + 1 : start].split(b"\n")
    header = re.fullmatch(rb"(\d+) (\d+)\r?", lines[1]) if len(lines) > 1 else None
    if header is None:
        return data
    first = int(header.group(1))
    for i in range(2, len(lines)):
        number = first + i - 2
        if number in where and lines[i].rstrip(b"\r ").endswith(b" n"):
            lines[i] = b"%010d 00000 n " % where[number]
    body = data[: table + 1] + b"\n".join(lines)
    return body + b"startxref\n%d\n%%%%EOF\n" % (table + 1)


ESCAPES = [
    b"\x1b[2J", b"\x1b[31m", b"\x1b]0;pwned\x07", b"\x07", b"\x00", b"\x7f", b"\x08",
    b"\x9b2J", b"\xe2\x80\xae", b"\xe2\x81\xa6", b"\x1b]8;;http://x\x1b\\", b"\r\x1b[1A",
]


def inject_escapes(data: bytes, rng: random.Random) -> bytes:
    """Escape sequences, control characters and bidi overrides inside the PDF's own strings (a
    title, a bookmark, text shown on a page) or, in a text file, anywhere in it."""
    if not data.startswith(b"%PDF"):
        at = rng.randrange(len(data) + 1)
        return data[:at] + rng.choice(ESCAPES) + data[at:]
    strings = list(re.finditer(rb"\((?:[^()\\]|\\.){1,200}\)|<FEFF[0-9A-F]{0,400}>", data))
    if not strings or rng.random() < 0.3:
        return mutate_content(data, rng, text=[b"T" + e + b"x" for e in ESCAPES])
    out = data
    for match in sorted(rng.sample(strings, min(len(strings), rng.choice([1, 3]))), key=lambda m: -m.start()):
        payload = rng.choice(ESCAPES)
        if match.group().startswith(b"<FEFF"):
            chars = payload.decode("utf-8", "replace").encode("utf-16-be").hex().upper().encode()
            replacement = match.group()[:-1] + chars + b">"
        else:
            replacement = match.group()[:-1] + payload.replace(b"\\", b"\\\\").replace(b"(", b"\\(") + b")"
        out = out[: match.start()] + replacement + out[match.end() :]
    return _fix_xref(out)


def swap_for_bomb(data: bytes, rng: random.Random) -> bytes:
    """One deflated stream becomes one that inflates to megabytes (two layers, now and then)."""
    import zlib

    streams = _deflated_streams(data)
    if not streams:
        return swap_token(data, rng)
    start, end, content = rng.choice(streams)
    inflated = content + b" " * (rng.choice([8, 40, 200]) << 20)
    layers = rng.choice([1, 1, 2])
    packed = zlib.compress(inflated, 9)
    if layers == 2:
        packed = zlib.compress(packed, 9)
    head = data[:start]
    head = re.sub(rb"/Length \d+([^>]*>>\s*stream\r?\n)$", b"/Length %d\\1" % len(packed), head)
    if layers == 2:
        two = b"/Filter [/FlateDecode /FlateDecode]\\1"
        head = re.sub(rb"/Filter\s*/FlateDecode([^>]*>>\s*stream\r?\n)$", two, head)
    return _fix_xref(head + packed + data[end:])


def redirect_refs(data: bytes, rng: random.Random) -> bytes:
    """References made to point back: a /Next, /First, /Kids or /Parent at an object seen before."""
    refs = list(re.finditer(rb"/(Next|First|Last|Kids \[|Parent|Prev|Outlines|Pages) ?(\d+) 0 R", data))
    numbers = [int(m.group(1)) for m in re.finditer(rb"(?:^|\n)(\d+) 0 obj\b", data)]
    if not refs or not numbers:
        return swap_token(data, rng)
    out = data
    for match in sorted(rng.sample(refs, min(len(refs), rng.choice([1, 2, 4]))), key=lambda m: -m.start()):
        target = rng.choice(numbers)
        out = out[: match.start(2)] + str(target).encode() + out[match.end(2) :]
    return _fix_xref(out)


MUTATORS: dict[str, Mutator] = {
    "flip_bits": flip_bits,
    "flip_in_streams": flip_in_streams,
    "truncate": truncate,
    "delete_chunk": delete_chunk,
    "duplicate_chunk": duplicate_chunk,
    "insert_random": insert_random,
    "damage_xref": damage_xref,
    "swap_token": swap_token,
    "extreme_numbers": extreme_numbers,
    "deep_nesting": deep_nesting,
    "mutate_content": mutate_content,
    "inject_escapes": inject_escapes,
    "swap_for_bomb": swap_for_bomb,
    "redirect_refs": redirect_refs,
}


def mutate(seeds: dict[str, bytes], rng: random.Random) -> tuple[bytes, list[str]]:
    name = rng.choice([n for n in seeds for _ in range(1 if len(seeds[n]) > 90_000 else 2)])  # big is slow
    data = seeds[name]
    recipe = [name]
    if rng.random() < 0.1:  # a splice: the start of one file and the end of another
        other = rng.choice(list(seeds))
        data = data[: rng.randrange(len(data))] + seeds[other][rng.randrange(len(seeds[other])) :]
        recipe.append(f"splice:{other}")
    if rng.random() < 0.4:  # a valid file with odd pages: what reaches the later stages
        chosen = ["mutate_content"] * rng.choice([1, 2, 4])
    else:
        chosen = rng.sample(list(MUTATORS), rng.choice([1, 1, 2, 3]))
    for mutator in chosen:
        if data:
            data = MUTATORS[mutator](data, rng)
            recipe.append(mutator)
    return data or b"%PDF-", recipe


# --- running the commands ----------------------------------------------------------------------


def commands(split_dir: Path) -> list[list[list[str]]]:
    """Every command of the CLI, each with argument lists that exercise it; FILE stands for the input."""
    sys.path.insert(0, str(REPO))
    from ifri_cli.cli import app

    known = {
        "toc": [["toc", "--explain", "FILE"], ["toc", "--json", "FILE"]],
        "info": [["info", "--json", "FILE"], ["info", "--color", "always", "FILE"]],
        "text": [["text", "FILE"], ["text", "--raw", "--json", "FILE"]],
        "section": [
            ["section", "1", "FILE", "--first"],
            ["section", "--page", "2", "FILE", "--first", "--notes"],
        ],
        "export": [["export", "--json", "FILE"], ["export", "--markdown", "FILE"]],
        "split": [["split", "FILE", str(split_dir), "--force"]],
        "search": [["search", "the", "FILE", "-C", "1"], ["search", "--regex", r"\w+tion", "FILE", "--json"]],
        "summary": [["summary", "FILE", "--json"], ["summary", "--by-section", "FILE"]],
        # each run's input is a new temporary file: --prune drops the last one from the library
        "index": [["index", "FILE", "--prune"]],
    }
    names = [c.name or c.callback.__name__ for c in app.registered_commands if c.callback]
    return [known.get(name, [[name, "FILE"]]) for name in names]


def pick(variants: list[list[list[str]]], rng: random.Random, everything: bool) -> list[list[str]]:
    """Each command's first variant, and one of the others (or all of them with ``everything``)."""
    chosen = [group[0] for group in variants]
    others = [argv for group in variants for argv in group[1:]]
    return chosen + (others if everything or not others else [rng.choice(others)])


def outcome(rc: int | None, err: str) -> str:
    """What became of an input, for the statistics: read, read with repairs, or which error."""
    lines = err.splitlines()
    error = next((line for line in lines if line.startswith("ifri: error:")), None)
    if error:
        return re.sub(r"\d+|'[^']*'|\([^)]*\)", "…", error[len("ifri: error: ") :])[:70]
    warned = [line for line in lines if line.startswith("ifri: warning:")]
    if warned:
        return "read, with a warning: " + re.sub(r"^.*?: (?=[a-z])|\d+", "…", warned[0][15:])[:60]
    return "read" if rc == 0 else f"exit {rc}"


@dataclass
class Failure:
    kind: str
    signature: str
    argv: list[str]
    returncode: int | None
    stderr: str
    recipe: list[str] = field(default_factory=list)


MEMORY_LIMIT = [0]  # bytes of address space a run may take (0: no limit); set by main


def _pin_to_one_cpu() -> None:
    os.setsid()  # its own process group, so that a hang is killed with its workers
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # ifri then lays out pages in one process
    except (AttributeError, OSError):
        pass
    if MEMORY_LIMIT[0]:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT[0], MEMORY_LIMIT[0]))


def run(argv: list[str], path: Path, env: dict[str, str], timeout: float) -> tuple[int | None, str, str]:
    args = [sys.executable, "-m", "ifri_cli", *[str(path) if a == "FILE" else a for a in argv]]
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, preexec_fn=_pin_to_one_cpu, cwd=REPO
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return None, out.decode(errors="replace"), err.decode(errors="replace")
    return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")


def check(argv: list[str], rc: int | None, out: str, err: str) -> tuple[str, str] | None:
    """``(kind, signature)`` of what is wrong with one run, or None."""
    if rc is None:
        return "hang", "hang " + " ".join(argv[:2])
    if "Traceback" in err:
        frames = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', err)
        last = frames[-1] if frames else ("?", "?", "?")
        exc = err.strip().splitlines()[-1].split(":")[0]
        return "traceback", f"{exc} at {Path(last[0]).name}:{last[1]} in {last[2]}"
    if rc == 70 or "internal error" in err:
        message = next((line for line in err.splitlines() if "internal error" in line), err.strip()[-200:])
        return "internal", re.sub(r"\d+", "N", message)[:160]
    if rc < 0:
        return "signal", f"killed by signal {-rc}"
    if rc not in EXIT_CODES:
        return "exit-code", f"exit {rc}"
    lines = err.splitlines()
    errors = [line for line in lines if line.startswith("ifri: error:")]
    if rc == 2 and argv[0] == "index":  # a batch: a line for each file that failed, the report on stdout
        if not errors:
            return "message", "index: exit 2 without an 'ifri: error:' line"
    elif rc == 2:
        if len(errors) != 1 or lines[-1] != errors[0]:
            return "message", "exit 2 without exactly one final 'ifri: error:' line"
        if out:
            return "partial", "output on stdout next to an error"
    elif errors and rc == 0:
        return "message", "an error line with exit 0"
    stray = [
        line for line in lines if line and not line.startswith(("ifri:", "  ")) and "--explain" not in argv
    ]
    if stray:
        return "stray", "stderr line not from ifri: " + re.sub(r"\d+", "N", stray[0])[:100]
    if rc == 0 and "--json" in argv:
        try:
            json.loads(out)
        except ValueError:
            return "json", "--json output does not parse"
    shown = RICH_STYLE.sub("", out) if "--color" in argv else out
    for where, text in (("stdout", shown), ("stderr", err)):
        leaked = FORBIDDEN.search(text)
        if leaked:
            return "leak", f"U+{ord(leaked.group()):04X} on {where} of {argv[0]}"
    return None


def check_files(argv: list[str], folder: Path) -> tuple[str, str] | None:
    """What ``split`` wrote: neither the files nor their names may hold what no output may."""
    if argv[0] != "split" or not folder.is_dir():
        return None
    for path in folder.iterdir():
        text = path.read_text(encoding="utf-8", errors="replace")
        leaked = FORBIDDEN.search(path.name) or FORBIDDEN.search(text)
        if leaked:
            return "leak", f"U+{ord(leaked.group()):04X} in a file split wrote"
    return None


def save(failure: Failure, data: bytes, debug_err: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha1(failure.signature.encode()).hexdigest()[:10]
    path = OUT / f"{failure.kind}-{key}.pdf"
    path.write_bytes(data)
    report = {
        "kind": failure.kind,
        "signature": failure.signature,
        "argv": failure.argv,
        "returncode": failure.returncode,
        "stderr": failure.stderr[-4000:],
        "debug_stderr": debug_err[-8000:],
        "recipe": failure.recipe,
    }
    path.with_suffix(".json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return path


def fuzz_one(
    data: bytes, recipe: list[str], argvs: list[list[str]], work: Path, env: dict[str, str], timeout: float
) -> tuple[list[tuple[Failure, Path]], str]:
    """The failures of every command on ``data``, and what became of the input (its first run).
    One input in ten is named with escape sequences: ifri shows file names back."""
    for old in work.glob("in*put*"):
        old.unlink()
    name = EVIL_NAME if int.from_bytes(hashlib.sha1(data).digest()[:2], "big") % 10 == 0 else "input"
    path = work / f"{name}.pdf"
    path.write_bytes(data)
    found = []
    first = ""
    for argv in argvs:
        if argv[0] == "split":
            shutil.rmtree(work / "split", ignore_errors=True)
        rc, out, err = run(argv, path, env, timeout)
        first = first or outcome(rc, err)
        problem = check(argv, rc, out, err) or check_files(argv, work / "split")
        if problem:
            found.append((Failure(problem[0], problem[1], argv, rc, err, recipe), path))
    return found, first


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="how long to fuzz (default 5)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: time)")
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds one command may take")
    parser.add_argument("--page-timeout", type=float, default=10.0, help="IFRI_PAGE_TIMEOUT for the runs")
    parser.add_argument(
        "--max-memory-mb", type=int, default=3000, help="address space a run may take (default 3000; 0: none)"
    )
    parser.add_argument("--max-stream-mb", type=float, default=16.0, help="IFRI_MAX_STREAM_MB for the runs")
    parser.add_argument("--replay", nargs="+", type=Path, help="run every command on these files instead")
    parser.add_argument(
        "--seed-files", nargs="+", type=Path, default=[], help="more PDFs to mutate (e.g. small corpus files)"
    )
    parser.add_argument(
        "--engine",
        choices=["pdfminer", "pdfium", "both"],
        default="both",
        help="the PDF engine of the runs; both (the default): each input read by one, at random "
        "(pdfminer alone when pypdfium2 is not installed)",
    )
    args = parser.parse_args()
    from importlib.util import find_spec

    if args.engine == "both":
        engines = ["pdfminer", "pdfium"] if find_spec("pypdfium2") else ["pdfminer"]
    else:
        engines = [args.engine]

    MEMORY_LIMIT[0] = args.max_memory_mb << 20
    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="ifri-fuzz-"))
    env = {
        **os.environ,
        "IFRI_CACHE_DIR": str(work / "cache"),
        "IFRI_PAGE_TIMEOUT": str(args.page_timeout),
        "IFRI_MAX_STREAM_MB": str(args.max_stream_mb),
        "NO_COLOR": "1",
        "COLUMNS": "100",
    }
    env.pop("IFRI_DOC", None)
    variants = commands(work / "split")
    failures: dict[str, tuple[Failure, Path]] = {}
    kinds: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    mutations: Counter[str] = Counter()
    by_engine: Counter[str] = Counter()
    tried = runs = 0
    start = time.monotonic()
    print(f"seed {seed}; {len(variants)} commands; failures saved under {OUT}", flush=True)
    try:
        if args.replay:
            inputs = [(p.read_bytes(), [str(p)]) for p in args.replay]
        else:
            seeds = make_seeds(work)
            seeds.update({path.name: path.read_bytes() for path in args.seed_files})
            inputs = None
        deadline = start + args.minutes * 60
        while True:
            if inputs is not None:
                if tried >= len(inputs):
                    break
                data, recipe = inputs[tried]
            else:
                if time.monotonic() >= deadline:
                    break
                data, recipe = mutate(seeds, rng)
            tried += 1
            engine = rng.choice(engines)
            by_engine[engine] += 1
            # the engine is part of each command, so that a saved failure replays as it ran
            chosen = pick(variants, rng, everything=inputs is not None)
            argvs = [[*argv, "--engine", engine] for argv in chosen]
            runs += len(argvs)
            mutations.update(recipe[1:])
            found, first = fuzz_one(data, recipe, argvs, work, env, args.timeout)
            outcomes[first] += 1
            for failure, path in found:
                kinds[failure.kind] += 1
                if failure.signature in failures:
                    continue
                debug = (
                    run([*failure.argv, "--debug"], path, env, args.timeout)[2]
                    if failure.kind != "hang"
                    else ""
                )
                saved = save(failure, data, debug)
                failures[failure.signature] = (failure, saved)
                print(
                    f"  NEW {failure.kind}: {failure.signature}\n      {' '.join(failure.argv)} -> {saved}",
                    flush=True,
                )
            if tried % 10 == 0:
                print(
                    f"{tried} inputs, {runs} runs, {len(failures)} distinct failures, "
                    f"{time.monotonic() - start:.0f} s",
                    flush=True,
                )
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.monotonic() - start
    print(f"\n{tried} inputs tried, {runs} command runs in {elapsed / 60:.1f} min (seed {seed})")
    print("what became of the inputs (first command):")
    for text, count in outcomes.most_common(15):
        print(f"  {count:5}  {text}")
    print(f"mutations applied: {dict(mutations.most_common())}")
    print(f"inputs by engine: {dict(by_engine)}")
    print(f"failing runs by kind: {dict(kinds) or 'none'}")
    print(f"distinct failures: {len(failures)}")
    for failure, saved in failures.values():
        print(
            f"  {failure.kind:10} {failure.signature}\n             {' '.join(failure.argv)}  [{saved.name}]"
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
