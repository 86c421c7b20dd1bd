"""The commands on a library of documents: ``index``, ``library``, and the ``--library`` side of
``search`` and ``section``; ``export --jsonl`` over many files.

Like every command: parse, one library call (``ifri_cli.library``), render. A query on the
library imports ``sqlite3`` and the renderers only: no pdfminer, no Dask.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ifri_cli.cli.common import (
    EXIT_CODES_HELP,
    Color,
    ColorOpt,
    DebugOpt,
    Engine,
    EngineOpt,
    JsonOpt,
    VerboseOpt,
    apply_log_levels,
    boundary,
    emit,
    output_config,
    stderr,
    warn,
)
from ifri_cli.errors import EXIT_NOT_FOUND, EXIT_USAGE, UsageError

if TYPE_CHECKING:
    from ifri_cli.library import Library

DB_HELP = "The library database. Default: $IFRI_DB, else library.db in the user data folder."
DbOpt = Annotated[str | None, typer.Option("--db", metavar="FILE", help=DB_HELP, show_default=False)]
DocOpt = Annotated[
    str | None,
    typer.Option("--doc", help="Only documents whose path or title contains this.", show_default=False),
]
AuthorOpt = Annotated[
    str | None,
    typer.Option(
        "--author", help="Only documents with an author whose name contains this.", show_default=False
    ),
]
YearOpt = Annotated[
    str | None,
    typer.Option(
        "--year", help="Only documents of this year or range: 2019, 2015-2020, 2015-.", show_default=False
    ),
]
DaskOpt = Annotated[
    str | None,
    typer.Option(
        "--dask",
        metavar="ADDRESS",
        help="Parse on a dask.distributed cluster (tcp://scheduler:8786); needs 'ifri[dask]'.",
        show_default=False,
    ),
]
LibJobsOpt = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        min=0,
        metavar="N",
        help="Files parsed at once, each in its own process: 0 one per core.",
    ),
]


def open_library(db: str | None) -> Library:
    from ifri_cli.library import Library

    return Library(db)


# --- index -------------------------------------------------------------------------------------


def index(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="PDFs, text files, and folders to search for them (recursively).", show_default=False
        ),
    ] = None,
    db: DbOpt = None,
    jobs: LibJobsOpt = 0,
    prune: Annotated[
        bool, typer.Option("--prune", help="Drop documents whose file no longer exists.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Parse every file again, changed or not.")] = False,
    dask: DaskOpt = None,
    engine: EngineOpt = None,
    json_out: JsonOpt = False,
    debug: DebugOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Build or update a library: index the sections of many PDFs and text files for search.

    Only new and changed files are parsed (by content hash; a PDF read by another --engine than
    this run's counts as changed, and the library records which engine read each PDF). A file
    that cannot be read is reported with its reason and skipped. Interrupted at any moment, the
    library stays consistent: the same command again finishes the job.
    """
    from ifri_cli import render

    with boundary(debug, verbose):
        if not paths and not prune:
            raise UsageError(
                "name the files or folders to index (or give --prune alone to drop missing files)"
            )
        from ifri_cli.library import find_documents

        lib = open_library(db)
        found = find_documents(paths or [])  # the folders are walked once
        apply_log_levels()  # pdfminer logs what it repairs: only with -v
        if paths and not found:
            warn(f"no PDF or .txt files in {', '.join(paths)}")
        try:
            with _index_progress(not json_out) as progress:
                report = lib.index(
                    found,
                    jobs=jobs or None,
                    prune=prune,
                    force=force,
                    progress=progress,
                    dask=dask,
                    engine=engine_value(engine),
                )
        except KeyboardInterrupt:
            warn("interrupted: the documents indexed so far are saved; run the same command again to finish")
            raise
        finally:
            lib.close()
        for failure in report.failed:
            if failure.known:
                stderr().print(
                    f"ifri: error: {render.display_path(failure.path)}: {failure.reason}"
                    " (unchanged since it failed)",
                    markup=False,
                    highlight=False,
                )
        if report.missing:
            warn(f"{report.missing} indexed file(s) no longer exist: --prune drops them from the library")
        if json_out:
            sys.stdout.write(render.to_json(render.index_json(report)))
        else:
            sys.stdout.write(render.index_summary_plain(report))
        if report.failed:
            raise typer.Exit(EXIT_USAGE)


@contextmanager
def _index_progress(show: bool) -> Iterator[Any]:
    """A Rich bar on stderr (on a terminal) and each failure said as it happens."""
    from ifri_cli import render

    bar: dict[str, Any] = {}
    live = show and sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
    console = stderr()

    def hook(event: Any) -> None:
        if event.kind == "plan":
            if live and event.total:
                from rich.progress import (
                    BarColumn,
                    MofNCompleteColumn,
                    Progress,
                    TextColumn,
                    TimeRemainingColumn,
                )

                # no refresh thread: worker processes are forked after this
                progress = Progress(
                    TextColumn("indexing"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeRemainingColumn(),
                    TextColumn("{task.description}", style="dim"),
                    console=console,
                    transient=True,
                    auto_refresh=False,
                )
                progress.start()
                bar["progress"] = progress
                bar["task"] = progress.add_task("", total=event.total)
                progress.refresh()
            return
        if event.status == "failed":
            message = f"ifri: error: {render.display_path(event.path)}: {event.reason}"
            target = bar["progress"].console if bar else console
            target.print(message, markup=False, highlight=False)
        if bar:
            name = os.path.basename(event.path or "")
            bar["progress"].update(bar["task"], completed=event.done, description=name, refresh=True)

    try:
        yield hook
    finally:
        if bar:
            bar["progress"].stop()


# --- library -----------------------------------------------------------------------------------


def library(
    db: DbOpt = None,
    doc: DocOpt = None,
    author: AuthorOpt = None,
    year: YearOpt = None,
    check: Annotated[bool, typer.Option("--check", help="Check the database's consistency instead.")] = False,
    json_out: JsonOpt = False,
    color: ColorOpt = Color.auto,
    debug: DebugOpt = False,
) -> None:
    """List the documents of a library: title, authors, date, pages, sections."""
    from ifri_cli import render

    with boundary(debug):
        with open_library(db) as lib:
            if check:
                problems = lib.check()
                for problem in problems:
                    sys.stdout.write(problem + "\n")
                if problems:
                    raise typer.Exit(EXIT_USAGE)
                sys.stdout.write(f"ok: {lib.path}\n")
                return
            documents = lib.documents(doc=doc, author=author, year=year)
            failures = lib.failures()
            if json_out:
                sys.stdout.write(render.to_json(render.library_documents_json(documents, lib.path, failures)))
            else:
                emit(
                    output_config(color),
                    lambda: render.library_documents_plain(documents),
                    lambda: render.library_documents_rich(documents),
                )
                if failures and not (doc or author or year):
                    warn(
                        f"{len(failures)} file(s) could not be read;"
                        " 'ifri library --json' lists them with the reason"
                    )
        if not documents:
            warn("no document matches" if (doc or author or year) else f"the library {lib.path} is empty")
            raise typer.Exit(EXIT_NOT_FOUND)


# --- search / section --library -------------------------------------------------------------------


def check_only(options: dict[str, bool], mode: str) -> None:
    """Options of the other mode, set on the command line, are usage errors."""
    used = [name for name, on in options.items() if on]
    if used:
        raise UsageError(f"{' and '.join(used)} cannot be used with {mode}")


def search_library(
    query: str,
    db: str | None,
    limit: int,
    doc: str | None,
    author: str | None,
    year: str | None,
    json_out: bool,
    color: Color,
) -> None:
    """``ifri search QUERY --library``: ranked sections across the library."""
    from ifri_cli import render

    with open_library(db) as lib:
        result = lib.search(query, limit=limit, doc=doc, author=author, year=year)
        path = lib.path
    for note in result.notes:
        warn(note)
    if json_out:
        sys.stdout.write(render.to_json(render.library_search_json(result, path)))
    else:
        emit(
            output_config(color),
            lambda: render.library_hits_plain(result),
            lambda: render.library_hits_rich(result),
        )
    if not result.hits:
        raise typer.Exit(EXIT_NOT_FOUND)


def section_library(
    query: str,
    db: str | None,
    doc: str | None,
    author: str | None,
    year: str | None,
    first: bool,
    subsections: bool,
    json_out: bool,
    color: Color,
) -> None:
    """``ifri section QUERY --library``: the one section the query names, across the library."""
    from ifri_cli import render

    with open_library(db) as lib:
        found, notes = lib.find_section(
            query, first=first, subsections=subsections, doc=doc, author=author, year=year
        )
        path = lib.path
    for note in notes:
        warn(note)
    if json_out:
        sys.stdout.write(render.to_json(render.library_section_json(found, path)))
        return
    cfg = output_config(color)
    if not cfg.is_terminal:  # which section of which document: said on stderr, stdout is the text
        warn(render.library_section_where(found))
    if not found.text.strip():
        warn(f"'{found.hit.title}' has no text of its own: the next heading follows it at once")
    emit(cfg, lambda: render.section_plain(found.text), lambda: render.library_section_rich(found))


# --- export --jsonl --------------------------------------------------------------------------------


def engine_value(engine: Engine | None) -> str | None:
    return engine.value if engine else None


def export_jsonl(paths: list[str], jobs: int, dask: str | None, engine: Engine | None = None) -> None:
    """One ``export --json`` document a line, streamed as each file is ready; an error record
    (and a line on stderr) for a file that fails, and exit 2 at the end if any did."""
    from ifri_cli import library, render

    files = library.find_documents(paths)
    if not files:
        raise UsageError(f"no PDF or .txt files in {', '.join(paths)}")
    apply_log_levels()  # pdfminer logs what it repairs: only with -v
    failed = 0
    out = sys.stdout
    for result in library.export(files, jobs=jobs or None, dask=dask, engine=engine_value(engine)):
        out.write(result.line + "\n")
        out.flush()
        if not result.ok:
            failed += 1
            stderr().print(
                f"ifri: error: {render.display_path(result.path)}: {result.error}",
                markup=False,
                highlight=False,
            )
    if failed:
        warn(f"{failed} of {len(files)} files could not be exported")
        raise typer.Exit(EXIT_USAGE)


LIBRARY_EPILOG = (
    "Examples:\n\n  ifri library\n\n  ifri library --author smith --year 2015-2020"
    "\n\n  ifri library --json | jq -r '.documents[].title'\n\n" + EXIT_CODES_HELP
)
INDEX_EPILOG = (
    "Examples:\n\n  ifri index ~/reports\n\n  ifri index ~/reports -j 4 --prune"
    "\n\n  ifri index ~/reports --dask tcp://scheduler:8786\n\n"
    "Exit codes: 0 every file indexed (or unchanged); 2 a file could not be read (listed on stderr, "
    "the others are indexed) or bad usage; 130 interrupted (what was indexed is kept). " + EXIT_CODES_HELP
)
