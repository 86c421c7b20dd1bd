"""What every command shares: its options, the error boundary, output to a terminal or a pipe,
and opening the document named on the command line."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ifri_cli.errors import EXIT_INTERRUPTED, EXIT_USAGE, IfriError

if TYPE_CHECKING:
    from ifri_cli.document import Document, ProgressHook
    from ifri_cli.render import OutputConfig

EXIT_INTERNAL = 70

EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 nothing found; 2 usage error or bad input; "
    "3 ambiguous section query; 70 internal error; 130 interrupted."
)


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class Source(str, Enum):
    auto = "auto"
    outline = "outline"
    contents = "contents"
    headings = "headings"


FileArg = Annotated[
    str | None,
    typer.Argument(
        help="A PDF or text file; '-' for standard input. Default: $IFRI_DOC or the sample.",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (a stable contract, see README).")]
ColorOpt = Annotated[Color, typer.Option("--color", help="Colour and Rich layout: auto, always or never.")]
PasswordOpt = Annotated[
    str, typer.Option("--password", help="Password of an encrypted PDF.", show_default=False)
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Let pdfminer log its warnings.")]
SourceOpt = Annotated[
    Source,
    typer.Option("--source", help="Where the structure comes from: auto, outline, contents or headings."),
]
NoCacheOpt = Annotated[
    bool, typer.Option("--no-cache", help="Parse the file again: neither read nor write the cache.")
]
MaxPagesOpt = Annotated[
    int | None,
    typer.Option(
        "--max-pages",
        min=1,
        metavar="N",
        help="Refuse a document of more than N pages [default: 20000, or $IFRI_MAX_PAGES].",
        show_default=False,
    ),
]


class Engine(str, Enum):
    pdfminer = "pdfminer"
    pdfium = "pdfium"


EngineOpt = Annotated[
    Engine | None,
    typer.Option(
        "--engine",
        help="PDF engine: pdfminer (default) or pdfium (faster: pip install 'ifri[fast]'). "
        "Default: $IFRI_ENGINE or pdfminer.",
        show_default=False,
    ),
]
JobsOpt = Annotated[
    int,
    typer.Option(
        "--jobs", "-j", min=0, metavar="N", help="Processes laying out PDF pages: 0 one per core, 1 none."
    ),
]


def stderr() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def warn(message: str) -> None:
    stderr().print(f"ifri: {message}", markup=False, highlight=False)


def silence_stdout() -> None:
    # after the reader went away (| head), later flushes must not raise again
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def configure_logging(verbose: bool) -> None:
    """pdfminer's log and ifri's own warnings (an unusable cache) are shown only with ``-v``.

    The application decides this, never the library. It is done at once when logging is already
    imported, else when a document starts to be read: a cached run need not import logging.
    """
    _VERBOSE[0] = verbose
    if verbose or "logging" in sys.modules:
        apply_log_levels()


_VERBOSE = [False]


def apply_log_levels() -> None:
    """Set pdfminer's and ifri's log levels (see ``configure_logging``): before documents are read,
    and before the worker processes that read them are forked."""
    import logging

    logging.getLogger("pdfminer").setLevel(logging.DEBUG if _VERBOSE[0] else logging.ERROR)
    logging.getLogger("ifri").setLevel(logging.WARNING if _VERBOSE[0] else logging.ERROR)


@contextmanager
def boundary(debug: bool = False, verbose: bool = False) -> Iterator[None]:
    """The one place where errors become a message on stderr and an exit code."""
    configure_logging(verbose)
    try:
        yield
        sys.stdout.flush()  # a full disk shows here, inside the boundary, not at exit
    except IfriError as exc:
        if debug:
            raise
        message = f"ifri: error: {exc.message}"
        if exc.hint:
            message += f" ({exc.hint})"
        stderr().print(message, markup=False, highlight=False)
        for line in getattr(exc, "candidates", []) or []:
            stderr().print("  " + line, markup=False, highlight=False)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BrokenPipeError:
        silence_stdout()
        raise typer.Exit(0) from None
    except OSError as exc:  # the library turns its own file errors into IfriError: this is the output
        if debug:
            raise
        write_failed(exc)
        raise typer.Exit(EXIT_USAGE) from None
    except typer.Exit:
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if debug:
            raise
        internal_error(exc)
        raise typer.Exit(EXIT_INTERNAL) from None


def internal_error(exc: BaseException) -> None:
    from ifri_cli.text.safe import safe

    # a bug's own words may quote the document: they are printed as safely as the document is
    said = safe(str(exc))
    message = f"ifri: internal error: {type(exc).__name__}: {said} (rerun with --debug and report it)"
    stderr().print(message, markup=False, highlight=False)


def write_failed(exc: OSError) -> None:
    silence_stdout()  # what could not be written must not be tried again at exit
    from ifri_cli.text.safe import safe

    where = f"{safe(str(exc.filename))}: " if exc.filename else "cannot write the output: "
    stderr().print(f"ifri: error: {where}{exc.strerror or exc}", markup=False, highlight=False)


def output_config(color: Color) -> OutputConfig:
    from ifri_cli.render import OutputConfig

    if color is not Color.always and _plainly_piped():
        # what Rich would decide, without importing it: a pipe gets plain text and no colour
        columns = os.environ.get("COLUMNS", "")
        return OutputConfig(is_terminal=False, color=False, width=int(columns) if columns.isdigit() else 80)
    from rich.console import Console

    console = Console(force_terminal=True if color is Color.always else None)
    is_terminal = console.is_terminal and not console.is_dumb_terminal
    return OutputConfig(
        is_terminal=is_terminal or color is Color.always,
        color=color is not Color.never and console.color_system is not None,
        width=console.width,
    )


def _plainly_piped() -> bool:
    """Standard output is no terminal, and nothing asks Rich to treat it as one."""
    if "FORCE_COLOR" in os.environ or "TTY_COMPATIBLE" in os.environ:
        return False
    try:
        return not sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def emit(cfg: OutputConfig, plain: Callable[[], str], rich: Callable[[], Any] | None = None) -> None:
    """Write one command's whole output to stdout, Rich on a terminal, plain in a pipe."""
    if cfg.is_terminal and rich is not None:
        from rich.console import Console

        console = Console(force_terminal=True, no_color=not cfg.color, highlight=False, width=cfg.width)
        console.print(rich())
    else:
        text = plain()
        if text:  # even an empty write fails on a full device
            sys.stdout.write(text)
            sys.stdout.flush()


def resolve_file(file: str | None) -> str:
    if file:
        return file
    env = os.environ.get("IFRI_DOC")
    if env:
        warn(f"no FILE given: reading $IFRI_DOC ({env})")
        return env
    from ifri_cli import sample_path

    warn("no FILE given: reading the sample paper shipped with ifri (name a FILE to read your own)")
    return sample_path()


@contextmanager
def progress_hook(bar: bool = True) -> Iterator[ProgressHook]:
    """What to do while a document is read: get logging ready, and show a bar on stderr for a parse
    that lasts more than a second (only on a terminal)."""
    show = bar and sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
    import time

    start = time.monotonic()
    live: dict[str, Any] = {}

    def hook(done: int, total: int) -> None:
        if not total:  # reading starts: pdfminer is about to be imported and to log
            apply_log_levels()
            return
        if not show:
            return
        if not live:
            if time.monotonic() - start < 1.0 or done >= total:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            # no auto-refresh thread: the page workers may still be forked after this
            progress = Progress(
                TextColumn("reading pages"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
                auto_refresh=False,
            )
            progress.start()
            live["bar"], live["task"] = progress, progress.add_task("pages", total=total, completed=done)
        live["bar"].update(live["task"], completed=done, total=total, refresh=True)

    try:
        yield hook
    finally:
        if live:
            live["bar"].stop()


def load(
    file: str | None,
    password: str = "",
    source: Source = Source.auto,
    *,
    no_cache: bool = False,
    jobs: int = 0,
    progress: bool = True,
    max_pages: int | None = None,
    engine: Engine | None = None,
    needs: str = "all",
) -> Document:
    """The document named on the command line, with its warnings said on stderr."""
    from ifri_cli import open_document

    path = resolve_file(file)
    with progress_hook(progress) as hook:
        doc = open_document(
            path,
            password=password,
            toc_source=source.value,
            progress=hook,
            jobs=jobs or None,
            cache=not no_cache,
            max_pages=max_pages,
            engine=engine.value if engine else None,
            needs=needs,
        )
    # here, so that no command forgets to say how its input was damaged or decoded
    where = f"{doc.name}: " if doc.path else ""
    for warning in doc.warnings:
        warn(f"warning: {where}{warning}")
    return doc
