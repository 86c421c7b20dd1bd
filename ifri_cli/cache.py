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

An entry is data, never code: it is unpickled with only ``ifri_cli.model`` and
``ifri_cli.document`` classes allowed (a planted pickle that calls ``os.system`` is a miss, not a
command). The directory and any folder made for it are created readable by their owner only, and
a directory that someone else owns or can write into is not used at all (``cache info`` says
why); entries are regular files of their owner (read without following a symbolic link), 0600.

Reading an entry imports only the model: never pdfminer.
"""

from __future__ import annotations

import io
import os
import pickle
import re
import stat
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


class UnsafeDirectory(OSError):
    """A cache directory someone else could write into: its entries could not be trusted."""


def problem(folder: Path) -> str | None:
    """Why ``folder`` cannot hold the cache (None when it can, or does not exist yet)."""
    try:
        st = folder.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return str(exc.strerror or exc)
    if not stat.S_ISDIR(st.st_mode):
        return "not a directory"
    if hasattr(os, "getuid"):
        if st.st_uid != os.getuid():
            return "owned by another user"
        if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return f"others may write into it (mode {stat.S_IMODE(st.st_mode):o}; chmod 700 it to use it)"
    return None


def _make_private(folder: Path) -> None:
    """Create ``folder`` and any missing parent readable by their owner only (``mkdir -p`` would
    give the parents the umask's mode), then check it can be trusted."""
    missing = []
    here = folder
    while not here.exists() and not here.is_symlink() and here != here.parent:
        missing.append(here)
        here = here.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            pass
    reason = problem(folder)
    if reason:
        raise UnsafeDirectory(reason)


def _read_entry(path: Path) -> bytes:
    """The bytes of a regular file of ours: a symbolic link, a FIFO or a device planted as an entry
    (/dev/zero would never end) is refused with OSError."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
            raise OSError(f"{path.name} is not a cache entry of this user")
        if st.st_size > max(max_bytes(), 1 << 20):
            raise OSError(f"{path.name} is larger than the whole cache may be")
        return fh.read()


def load(key: str) -> Document | None:
    """The document stored under ``key``, or None for a missing or unusable entry."""
    path = _path(key)
    reason = problem(path.parent)
    if reason:
        _warn_once(f"cannot use the cache in {path.parent} ({reason}); continuing without it")
        return None
    try:
        blob = _read_entry(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        import errno

        if exc.errno in (None, errno.ELOOP):  # a link, or not an entry of ours: as if missing
            return None
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
        doc = _Unpickler(io.BytesIO(payload)).load()
    except Exception:  # noqa: BLE001 - a stale class layout, a forbidden class, anything: rebuild
        return None
    if not isinstance(doc, Document) or any(f.name not in doc.__dict__ for f in fields(Document)):
        return None
    return doc


# the modules whose classes an entry may hold: the model, and the public Document built on it
_ALLOWED_MODULES = ("ifri_cli.model", "ifri_cli.document")


class _Unpickler(pickle.Unpickler):
    """Unpickles ifri's data classes and nothing else: no function, no other module's class.

    The checksum only tells a damaged entry; whoever can write into the cache directory could
    write a valid one. With this, the worst such an entry can do is hold wrong text.
    """

    def find_class(self, module: str, name: str) -> Any:
        if module in _ALLOWED_MODULES:
            import importlib

            found = getattr(importlib.import_module(module), name, None)
            if isinstance(found, type) and found.__module__ == module:
                return found
        raise pickle.UnpicklingError(f"a cache entry may not hold {module}.{name}")


def store(key: str, doc: Document) -> bool:
    """Write ``doc`` under ``key`` atomically; False (and one warning) when the cache is unusable."""
    import tempfile

    folder = directory()
    tmp_name = None
    try:
        _make_private(folder)
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
    problem: str | None = None  # why the directory cannot be used, when it cannot

    def to_dict(self) -> dict[str, object]:
        return {
            "directory": self.directory,
            "documents": self.documents,
            "raw_parses": self.raw,
            "bytes": self.bytes,
            "enabled": self.enabled,
            "usable": self.problem is None,
            "problem": self.problem,
        }


def info() -> CacheInfo:
    folder = directory()
    reason = problem(folder)
    entries = [] if reason else [(p, st) for p, st in _entries(folder) if not p.name.startswith(".tmp-")]
    return CacheInfo(
        directory=str(folder),
        documents=sum(1 for p, _ in entries if p.name.startswith("doc-")),
        raw=sum(1 for p, _ in entries if p.name.startswith("raw-")),
        bytes=sum(st.st_size for _, st in entries),
        enabled=enabled(),
        problem=reason,
    )


def clear() -> tuple[int, int]:
    """Remove every entry (and leftover temporary files); return (files, bytes) removed.

    A directory that is not one (a file in its place) is an error, not "0 removed".
    """
    from ifri_cli.errors import InputError

    folder = directory()
    try:
        st = folder.stat()
    except FileNotFoundError:
        return 0, 0
    except OSError as exc:
        raise InputError(f"cannot clear the cache in {folder}: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(st.st_mode):
        raise InputError(
            f"cannot clear the cache: {folder} is not a directory", hint="check $IFRI_CACHE_DIR"
        )
    removed, size = 0, 0
    for path, st in _entries(folder):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
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
