"""Store and reload parsed documents, so that a second question about a paper is instant.

An entry is a pickled ``Document`` in the user's cache directory (``$IFRI_CACHE_DIR``, else
platformdirs' user cache dir), named by a key made of the BLAKE2b hash of the input's bytes, the
ifri version, a fingerprint of ifri's own code and the options that change the result. A
document opened with a password is never stored: its text would sit decrypted on disk, and a
wrong password must still be refused. Two kinds of entries exist:

* ``raw-*``: what ``ingest`` read (pages of lines, outline): the costly pdfminer part;
* ``doc-*``: the finished document, for one ``--source``.

So asking for another ``--source``, or editing the structure heuristics, costs the cheap
stages only. Entries are written atomically (a temporary file, then ``os.replace``) and
carry a checksum: a truncated, corrupt or incompatible entry reads as a miss and is
rewritten. A cache that cannot be read or written never stops a command: it is skipped, with
one warning on the ``ifri.cache`` logger when the ``ifri`` logger has a level (``ifri -v``).

Reading an entry imports only the model: never pdfminer.
"""

from __future__ import annotations

import os
import pickle
import re
import time
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from ifri_cli._version import __version__
from ifri_cli.model import Document

FORMAT = 1  # bump when the entry layout itself changes
_MAGIC = b"ifri-cache\n"
_SUFFIX = ".ifri"
_DIGEST = 32
DEFAULT_MAX_BYTES = 1 << 30  # the oldest entries go beyond this

_warned: list[str] = []  # one warning per process is enough


def enabled() -> bool:
    return os.environ.get("IFRI_NO_CACHE", "").strip().lower() in ("", "0", "false", "no")


def directory() -> Path:
    env = os.environ.get("IFRI_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    try:
        from platformdirs import user_cache_dir
    except ImportError:  # platformdirs is a dependency, but a cache is not worth a crash
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        return Path(base) / "ifri"
    return Path(user_cache_dir("ifri", appauthor=False))


def _blake2b(data: bytes | memoryview = b"") -> Any:
    try:  # the built-in module: hashlib would load OpenSSL, a noticeable part of a cached run
        from _blake2 import blake2b
    except ImportError:
        from hashlib import blake2b
    return blake2b(data, digest_size=_DIGEST)


def content_hash(data: bytes) -> str:
    return _blake2b(data).hexdigest()


def raw_key(digest: str, engine: str = "pdfminer") -> str:
    """The key of what ``ingest`` reads from these bytes with PDF engine ``engine``."""
    return "raw-" + _key(digest, _fingerprint(raw=True), f"engine={engine}")


def document_key(digest: str, toc_source: str = "auto", engine: str = "pdfminer") -> str:
    return "doc-" + _key(digest, _fingerprint(raw=False), f"source={toc_source}", f"engine={engine}")


def view_key(digest: str, view: str, toc_source: str = "auto", engine: str = "pdfminer") -> str:
    """The key of a part of the finished document (``view``: ``toc``), kept apart to be read faster."""
    return f"{view}-" + _key(digest, _fingerprint(raw=False), f"source={toc_source}", f"engine={engine}")


def _key(*parts: str) -> str:
    text = "\0".join((f"format={FORMAT}", f"version={__version__}", *parts))
    return _blake2b(text.encode()).hexdigest()[:40]


@lru_cache(maxsize=4)
def _fingerprint(raw: bool, package: str = os.path.dirname(__file__)) -> str:
    """Name, size and modification time of ifri's modules: a development tree that changes
    between two runs must not be served what the old code computed. A raw entry depends only
    on ingest and the modules it imports, so editing the later stages keeps it."""
    here = Path(package)
    wanted = import_closure(here, RAW_ROOT) if raw else None
    parts = []
    for root, dirs, files in os.walk(here):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__pycache__")))
        for name in sorted(files):
            relative = Path(os.path.relpath(os.path.join(root, name), here)).as_posix()
            if not name.endswith(".py") or (wanted is not None and relative not in wanted):
                continue
            try:
                st = os.stat(os.path.join(root, name))
            except OSError:
                continue
            parts.append(f"{relative}:{st.st_size}:{st.st_mtime_ns}")
    return _blake2b("\n".join(parts).encode()).hexdigest()


# what a raw entry is made by: the module that reads the input, and all it imports
RAW_ROOT = "ingest"
# how a module names the ifri modules it uses: "from ifri_cli.pdf import engine", "import ifri_cli.text.chars"
_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+ifri_cli((?:\.\w+)*)[ \t]+import[ \t]+(\([^)]*\)|[\w \t,]+)"
    r"|import[ \t]+ifri_cli((?:\.\w+)+))",
    re.M,
)


def import_closure(here: Path, root: str) -> set[str]:
    """The files (relative to ``here``, the package folder) of module ``root`` ("ingest",
    "pdf.engine") and of every ifri module it imports, directly or not, found by reading them.

    A module imported from a subpackage runs the subpackage's ``__init__.py`` first: it
    counts too. The package's own ``__init__.py`` (the public API) does not: a module that
    needs the version takes it from ``_version``.
    """
    todo, seen = [root], set()
    while todo:
        name = todo.pop()
        path = _module_file(here, name)
        if path is None or path in seen:
            continue
        seen.add(path)
        parts = name.split(".")
        for k in range(1, len(parts)):  # the subpackages the import goes through
            todo.append(".".join(parts[:k]))
        try:
            text = (here / path).read_text(encoding="utf-8")
        except OSError:
            continue
        for base, names, plain in _IMPORT.findall(text):
            if plain:
                todo.append(plain[1:])
                continue
            base = base[1:]
            for item in re.split(r"[,()\s]+", names):
                item = item.strip()
                if not item or item == "as" or not item.isidentifier():
                    continue
                child = f"{base}.{item}" if base else item
                # "from ifri_cli.pdf import engine" names a module, "from ifri_cli.model import Page" a name
                todo.append(child if _module_file(here, child) is not None else base)
    return seen


def _module_file(here: Path, name: str) -> str | None:
    if not name:
        return None  # the package itself: see import_closure
    relative = name.replace(".", "/")
    for candidate in (f"{relative}.py", f"{relative}/__init__.py"):
        if (here / candidate).is_file():
            return candidate
    return None


def _path(key: str) -> Path:
    return directory() / (key + _SUFFIX)


def load(key: str) -> Document | None:
    """The document stored under ``key``, or None for a missing or unusable entry."""
    path = _path(key)
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        _warn_once(f"cannot read the cache in {path.parent} ({exc.strerror or exc}); continuing without it")
        return None
    doc = _decode(blob)
    if doc is None:
        _discard(path)
        return None
    try:
        os.utime(path)  # recently used: evicted last
    except OSError:
        pass
    return doc


def _decode(blob: bytes) -> Document | None:
    head = len(_MAGIC) + _DIGEST
    if len(blob) < head or not blob.startswith(_MAGIC):
        return None
    payload = memoryview(blob)[head:]
    if _blake2b(payload).digest() != blob[len(_MAGIC) : head]:
        return None
    try:
        doc = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - a stale class layout or anything else: rebuild
        return None
    if not isinstance(doc, Document) or any(f.name not in doc.__dict__ for f in fields(Document)):
        return None
    return doc


def store(key: str, doc: Document) -> bool:
    """Write ``doc`` under ``key`` atomically; False (and one warning) when the cache is unusable."""
    import tempfile

    folder = directory()
    tmp_name = None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        payload = pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)
        digest = _blake2b(payload).digest()
        # a temporary file in the same directory, renamed over the entry: a reader sees the old
        # entry or the new one, never half of one, whatever runs at the same time or gets killed
        fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=_SUFFIX, dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(_MAGIC)
            fh.write(digest)
            fh.write(payload)
        os.replace(tmp_name, folder / (key + _SUFFIX))
        tmp_name = None
    except (OSError, pickle.PicklingError, RecursionError, TypeError, AttributeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        _warn_once(f"cannot write the cache in {folder} ({reason}); continuing without it")
        return False
    finally:
        if tmp_name is not None:
            _discard(Path(tmp_name))
    _evict(folder, keep=key)
    return True


def _discard(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _entries(folder: Path) -> list[tuple[Path, os.stat_result]]:
    out = []
    try:
        with os.scandir(folder) as it:
            for entry in it:
                if entry.name.endswith(_SUFFIX) and entry.is_file(follow_symlinks=False):
                    try:
                        out.append((Path(entry.path), entry.stat(follow_symlinks=False)))
                    except OSError:
                        continue
    except OSError:
        return []
    return out


def _evict(folder: Path, keep: str) -> None:
    limit = max_bytes()
    entries = []
    for path, st in _entries(folder):
        if not path.name.startswith(".tmp-"):
            entries.append((path, st))
        elif st.st_mtime < time.time() - 3600:  # left behind by a run that was killed
            _discard(path)
    total = sum(st.st_size for _, st in entries)
    for path, st in sorted(entries, key=lambda e: e[1].st_mtime):
        if total <= limit:
            break
        if path.name != keep + _SUFFIX:
            _discard(path)
            total -= st.st_size


def max_bytes() -> int:
    try:
        return int(float(os.environ.get("IFRI_CACHE_MAX_MB", "")) * (1 << 20))
    except ValueError:
        return DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class CacheInfo:
    directory: str
    documents: int
    raw: int
    bytes: int
    enabled: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "directory": self.directory,
            "documents": self.documents,
            "raw_parses": self.raw,
            "bytes": self.bytes,
            "enabled": self.enabled,
        }


def info() -> CacheInfo:
    folder = directory()
    entries = [(p, st) for p, st in _entries(folder) if not p.name.startswith(".tmp-")]
    return CacheInfo(
        directory=str(folder),
        documents=sum(1 for p, _ in entries if p.name.startswith("doc-")),
        raw=sum(1 for p, _ in entries if p.name.startswith("raw-")),
        bytes=sum(st.st_size for _, st in entries),
        enabled=enabled(),
    )


def clear() -> tuple[int, int]:
    """Remove every entry (and leftover temporary files); return (files, bytes) removed."""
    removed, size = 0, 0
    for path, st in _entries(directory()):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            from ifri_cli.errors import InputError

            raise InputError(f"cannot remove {path}: {exc.strerror or exc}") from None
        removed += 1
        size += st.st_size
    return removed, size


def _warn_once(message: str) -> None:
    """Say it on the ``ifri.cache`` logger, once, and only to whoever set the ``ifri`` logger's
    level (``ifri -v`` does): a cache problem is never worth a word otherwise."""
    if _warned:
        return
    _warned.append(message)
    import logging

    if logging.getLogger("ifri").level != logging.NOTSET:
        logging.getLogger("ifri.cache").warning("ifri: warning: %s", message)


def reset_warnings() -> None:
    """Warn again about an unusable cache (for a long-lived process or a test)."""
    _warned.clear()
