"""The ``ifri`` commands: each parses its arguments, makes one library call and renders it.

Exit codes are decided in ``common.boundary`` and ``ifri_cli.cli.main``, nowhere else.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ifri_cli._version import __version__
from ifri_cli.cli import library as library_cli
from ifri_cli.cli import speedups
from ifri_cli.cli.common import (
    EXIT_CODES_HELP,
    Color,
    ColorOpt,
    DebugOpt,
    EngineOpt,
    FileArg,
    JobsOpt,
    JsonOpt,
    MaxPagesOpt,
    NoCacheOpt,
    PasswordOpt,
    Source,
    SourceOpt,
    VerboseOpt,
    boundary,
    emit,
    load,
    output_config,
    warn,
)
from ifri_cli.errors import UsageError

speedups.install()

app = typer.Typer(
    name="ifri",
    help="Read long reports from the terminal: contents, sections, search, summaries.\n\n"
    "With no FILE, commands read the sample paper shipped with ifri (or $IFRI_DOC). "
    "FILE may be a PDF or a text file; '-' reads standard input.\n\n" + EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"ifri {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Read long reports from the terminal."""


@app.command(epilog="Example: ifri toc paper.pdf --json | jq '.entries[].title'\n\n" + EXIT_CODES_HELP)
def toc(
    file: FileArg = None,
    source: SourceOpt = Source.auto,
    explain: Annotated[
        bool, typer.Option("--explain", help="Say which source was used and why (on stderr).")
    ] = False,
    json_out: JsonOpt = False,
    password: PasswordOpt = "",
    color: ColorOpt = Color.auto,
    debug: DebugOpt = False,
    verbose: VerboseOpt = False,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = 0,
    max_pages: MaxPagesOpt = None,
    engine: EngineOpt = None,
) -> None:
    """Show the table of contents as a tree, with page numbers."""
    from ifri_cli import render

    with boundary(debug, verbose):
        # only the contents: a cached document is read back without the text of its pages
        doc = load(
            file,
            password,
            source,
            no_cache=no_cache,
            jobs=jobs,
            max_pages=max_pages,
            engine=engine,
            progress=not json_out,
            needs="toc",
        )
        assert doc.toc is not None
        the_toc = doc.toc
        if explain:
            sys.stderr.write(render.explain_plain(the_toc))
        if json_out:
            sys.stdout.write(render.to_json(render.toc_dict(doc, the_toc, explain)))
            return
        if not the_toc.entries:
            warn("no table of contents found: " + "; ".join(the_toc.explain))
            return
        emit(output_config(color), lambda: render.toc_plain(the_toc), lambda: render.toc_rich(doc, the_toc))


@app.command(epilog="Example: ifri info paper.pdf --json | jq .metadata.title\n\n" + EXIT_CODES_HELP)
def info(
    file: FileArg = None,
    json_out: JsonOpt = False,
    password: PasswordOpt = "",
    color: ColorOpt = Color.auto,
    debug: DebugOpt = False,
    verbose: VerboseOpt = False,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = 0,
    max_pages: MaxPagesOpt = None,
    engine: EngineOpt = None,
) -> None:
    """Show metadata: title, authors, date, pages, words, reading time, structure found."""
    from ifri_cli import render

    with boundary(debug, verbose):
        doc = load(
            file, password, no_cache=no_cache, jobs=jobs, max_pages=max_pages, engine=engine,
            progress=not json_out,
        )
        data = doc.info()
        if json_out:
            sys.stdout.write(render.to_json(data))
            return
        emit(output_config(color), lambda: render.info_plain(data), lambda: render.info_rich(data))


@app.command(epilog="Example: ifri text paper.pdf | grep -i sanctions\n\n" + EXIT_CODES_HELP)
def text(
    file: FileArg = None,
    raw: Annotated[
        bool, typer.Option("--raw", help="The text exactly as extracted, without repairs.")
    ] = False,
    json_out: JsonOpt = False,
    password: PasswordOpt = "",
    color: ColorOpt = Color.auto,
    debug: DebugOpt = False,
    verbose: VerboseOpt = False,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = 0,
    max_pages: MaxPagesOpt = None,
    engine: EngineOpt = None,
) -> None:
    """Print the whole text, page by page (pages end with a form feed in a pipe)."""
    from ifri_cli import render

    with boundary(debug, verbose):
        doc = load(
            file, password, no_cache=no_cache, jobs=jobs, max_pages=max_pages, engine=engine,
            progress=not json_out,
        )
        if json_out:
            # the clean lines of each page as they are, not reflowed into paragraphs
            source_pages = doc.pages if raw or not doc.clean_pages else doc.clean_pages
            payload = {
                "raw": raw,
                "pages": [{"pdf_page": p.number, "page": p.label, "text": p.text} for p in source_pages],
            }
            sys.stdout.write(render.to_json(render.json_dict(doc, payload)))
            return
        pages = doc.page_texts(raw=raw)
        emit(output_config(color), lambda: render.text_plain(pages), lambda: render.text_rich(pages))


@app.command(
    epilog="Examples:\n\n  ifri section venezuela paper.pdf | wc -w"
    "\n\n  ifri section 3.2 paper.pdf --markdown | pandoc -o s.docx"
    "\n\n  ifri section p27 paper.pdf\n\n" + EXIT_CODES_HELP
)
def section(
    query: Annotated[
        str | None,
        typer.Argument(help="Words of a title, a number (3.2) or a page (p27).", show_default=False),
    ] = None,
    file: FileArg = None,
    page: Annotated[
        str | None,
        typer.Option("--page", help="The section(s) covering this printed page.", show_default=False),
    ] = None,
    first: Annotated[
        bool, typer.Option("--first", help="Take the best match when several sections match.")
    ] = False,
    no_subsections: Annotated[
        bool, typer.Option("--no-subsections", help="Only the section's own text.")
    ] = False,
    notes: Annotated[bool, typer.Option("--notes", help="Also print the section's footnotes.")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print Markdown with # headings.")] = False,
    raw: Annotated[
        bool, typer.Option("--raw", help="Lines as on the page, without reflowing paragraphs.")
    ] = False,
    in_library: Annotated[
        bool, typer.Option("--library", help="Find the section across the library (see 'ifri index').")
    ] = False,
    db: library_cli.DbOpt = None,
    in_doc: library_cli.DocOpt = None,
    author: library_cli.AuthorOpt = None,
    year: library_cli.YearOpt = None,
    json_out: JsonOpt = False,
    password: PasswordOpt = "",
    color: ColorOpt = Color.auto,
    debug: DebugOpt = False,
    verbose: VerboseOpt = False,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = 0,
    max_pages: MaxPagesOpt = None,
    engine: EngineOpt = None,
) -> None:
    """Print one section, found by words of its title, its number or its page.

    With --library, across every document of the library: the section whose title has the
    words (or whose number it is, with --doc); several are listed (exit 3) unless --first.
    """
    from ifri_cli import render

    with boundary(debug, verbose):
        if in_library or db is not None or in_doc is not None or author is not None or year is not None:
            unused = {
                "FILE": file is not None,
                "--page": page is not None,
                "--notes": notes,
                "--markdown": markdown,
                "--raw": raw,
                "--password": bool(password),
                "--no-cache": no_cache,
                "--jobs": bool(jobs),
                "--max-pages": max_pages is not None,
                "--engine": engine is not None,
            }
            library_cli.check_only(unused, "--library")
            if query is None:
                raise UsageError("say which section: words of its title, or a number like 3.2 with --doc")
            library_cli.section_library(
                query, db, in_doc, author, year, first, not no_subsections, json_out, color
            )
            return
        if page is not None and query is not None and file is None:
            query, file = None, query  # `ifri section --page 27 paper.pdf`
        if query is None and page is None:
            raise UsageError("say which section: words of its title, a number like 3.2, or --page N")
        doc = load(
            file, password, no_cache=no_cache, jobs=jobs, max_pages=max_pages, engine=engine,
            progress=not json_out,
        )
        found = doc.find_sections(query or "", first=first, page=page)
        subsections = not no_subsections
        texts = [doc.section_text(s, subsections=subsections, raw=raw) for s in found]
        if json_out:
            sys.stdout.write(render.to_json(render.section_json(doc, found, texts)))
            return
        for s, text in zip(found, texts, strict=True):
            if not text.strip():  # say so, or a pipe gets nothing and cannot tell why
                where = render.page_range(doc, s)
                where = f" ({where})" if where else ""
                warn(f"'{s.title}'{where} has no text of its own: the next heading follows it at once")
        if markdown:
            parts = []
            for s in found:
                tree = s.walk() if subsections else [s]
                parts.append(
                    render.section_markdown(
                        s,
                        [(t.level, render.heading_text(t), t.text) for t in tree],
                        [n for t in tree for n in t.notes] if notes else (),
                    )
                )
            sys.stdout.write("\n".join(parts))
            return
        all_notes = [
            [n for t in (s.walk() if subsections else [s]) for n in t.notes] if notes else [] for s in found
        ]
        emit(
            output_config(color),
            lambda: "\n".join(render.section_plain(t, n) for t, n in zip(texts, all_notes, strict=True)),
            lambda: render.sections_rich(
                [
                    (s, t, render.page_range(doc, s), n)
                    for s, t, n in zip(found, texts, all_notes, strict=True)
                ]
            ),
        )


@app.command(
    epilog="Examples:\n\n  ifri export paper.pdf --json | jq '.sections[] | {number, title, page}'"
    "\n\n  ifri export paper.pdf --markdown > paper.md\n\n" + EXIT_CODES_HELP
)
def export(
    files: Annotated[
        list[str] | None,
        typer.Argument(
            help="A PDF or text file ('-': stdin; default: $IFRI_DOC or the sample); with --jsonl, "
            "any number of files and folders.",
            show_default=False,
        ),
    ] = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="The whole document as Markdown.")] = False,
    jsonl: Annotated[
        bool,
        typer.Option(
            "--jsonl",
            help="Every file named or found in the folders, one JSON document a line, in parallel, "
            "as each is ready.",
        ),
    ] = False,
    dask: library_cli.DaskOpt = None,
    json_out: JsonOpt = False,
    password: PasswordOpt = "",
    debug: DebugOpt = False,
    verbose: VerboseOpt = False,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = 0,
    max_pages: MaxPagesOpt = None,
    engine: EngineOpt = None,
) -> None:
    """Print the whole document with its structure, as JSON (default) or Markdown.

    --jsonl exports many: one line per file with the same document as --json, or an error
    record {"schema_version", "path", "error": {"kind", "message"}} for a file that cannot be
    read (and exit 2 once all are done). -j N files at a time (0: one per core); --dask ADDRESS
    parses them on a Dask cluster.
    """
    from ifri_cli import render

    with boundary(debug, verbose):
        if jsonl:
            unused = {
                "--json": json_out,
                "--markdown": markdown,
                "--password": bool(password),
                "--max-pages": max_pages is not None,
            }
            library_cli.check_only(unused, "--jsonl")
            if not files:
                raise UsageError("name the files or folders to export with --jsonl")
            library_cli.export_jsonl(files, jobs, dask, engine)
            return
        if dask is not None:
            raise UsageError("--dask exports many files: use it with --jsonl")
        if json_out and markdown:
            raise UsageError("choose one of --json and --markdown")
        if files and len(files) > 1:
            raise UsageError("export reads one FILE; use --jsonl for several files or folders")
        file = files[0] if files else None
        doc = load(
            file, password, no_cache=no_cache, jobs=jobs, max_pages=max_pages, engine=engine,
            progress=not json_out,
        )
        sys.stdout.write(doc.to_markdown() if markdown else render.to_json(doc.to_dict()))


@app.command(epilog="Example: ifri split paper.pdf chapters/ && ls chapters/\n\n" + EXIT_CODES_HELP)
def split(
    file_or_dir: Annotated[
        str, typer.Argument(metavar="[FILE] DIR", help="The document (optional) and the folder to write.")
    ],
    directory: Annotated[str | None, typer.Argument(hidden=True)] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite files that already exist.")] = False,
    password: PasswordOpt = "",
    debug: DebugOpt = False,
    verbose: VerboseOpt = False,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = 0,
    max_pages: MaxPagesOpt = None,
    engine: EngineOpt = None,
) -> None:
    """Write one Markdown file per top-level section into DIR."""
    from ifri_cli.text.safe import safe

    with boundary(debug, verbose):
        file, target = (file_or_dir, directory) if directory is not None else (None, file_or_dir)
        doc = load(file, password, no_cache=no_cache, jobs=jobs, max_pages=max_pages, engine=engine)
        for path in doc.split(target, force=force):
            print(safe(path))  # DIR is shown back: printed, it must not drive the terminal either


@app.command(
    epilog="Examples:\n\n  ifri search chavez paper.pdf\n\n  ifri search -w 'soft power' reports/*.pdf"
    "\n\n  ifri search --regex 'sanction(s|ed)' paper.pdf --json | jq '.hits[].page'"
    "\n\n  ifri search 'sovereign debt' --library -n 5 --year 2015-2020\n\n"
    "Matching ignores accents (use --no-fold to match them) and case unless the pattern has capitals.\n\n"
    "Exit codes (grep's): 0 something found; 1 nothing found; 2 error. " + EXIT_CODES_HELP
)
def search(
    pattern: Annotated[str, typer.Argument(help="A phrase (or a regular expression with --regex).")],
    files: Annotated[
        list[str] | None,
        typer.Argument(help="PDF or text files; '-' for stdin. Default: the sample.", show_default=False),
    ] = None,
    regex: Annotated[
        bool, typer.Option("--regex", "-e", help="PATTERN is a Python regular expression.")
    ] = False,
    word: Annotated[bool, typer.Option("--word", "-w", help="Match whole words only.")] = False,
    case_sensitive: Annotated[
        bool, typer.Option("--case-sensitive", "-s", help="Match case exactly.")
    ] = False,
    ignore_case: Annotated[
        bool, typer.Option("--ignore-case", "-i", help="Ignore case even with capitals.")
    ] = False,
    no_fold: Annotated[
        bool, typer.Option("--no-fold", help="Accents must match (by default é matches e).")
    ] = False,
    in_section: Annotated[
        str | None,
        typer.Option("--section", help="Search only this section and its subsections.", show_default=False),
    ] = None,
    context: Annotated[
        int, typer.Option("--context", "-C", help="Sentences of context around each hit.", min=0)
    ] = 0,
    count: Annotated[bool, typer.Option("--count", "-c", help="Count hits per section.")] = False,
    max_hits: Annotated[
        int | None, typer.Option("--max", "-m", help="Stop after N hits per file.", min=1, show_default=False)
    ] = None,
    in_library: Annotated[
        bool,
        typer.Option("--library", help="Search the library (see 'ifri index'): sections, best first."),
    ] = False,
    db: library_cli.DbOpt = None,
    limit: Annotated[
        int, typer.Option("-n", "--limit", min=1, metavar="N", help="With --library: how many sections.")
    ] = 10,
    in_doc: library_cli.DocOpt = None,
    author: library_cli.AuthorOpt = None,
    year: library_cli.YearOpt = None,
    json_out: JsonOpt = False,
    password: PasswordOpt = "",
    color: ColorOpt = Color.auto,
    debug: DebugOpt = False,
    verbose: VerboseOpt = False,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = 0,
    max_pages: MaxPagesOpt = None,
    engine: EngineOpt = None,
) -> None:
    """Find text; each hit with its section and printed page.

    With --library: the sections of every indexed document, best first (BM25: every word,
    "a phrase", prefix*, accents and case ignored), each with its document, section and page.
    """
    from ifri_cli import render

    with boundary(debug, verbose):
        if in_library or db is not None or in_doc is not None or author is not None or year is not None:
            unused = {
                "FILE": bool(files),
                "--regex": regex,
                "--word": word,
                "--case-sensitive": case_sensitive,
                "--ignore-case": ignore_case,
                "--no-fold": no_fold,
                "--section": in_section is not None,
                "--context": bool(context),
                "--count": count,
                "--max": max_hits is not None,
                "--password": bool(password),
                "--no-cache": no_cache,
                "--jobs": bool(jobs),
                "--max-pages": max_pages is not None,
                "--engine": engine is not None,
            }
            library_cli.check_only(unused, "--library")
            library_cli.search_library(pattern, db, limit, in_doc, author, year, json_out, color)
            return
        if limit != 10:
            raise UsageError("-n/--limit is for --library; in a file, --max N stops after N hits")
        from ifri_cli.read.search import Options, compile_pattern, count_by_section

        case = "sensitive" if case_sensitive else ("insensitive" if ignore_case else "smart")
        options = Options(
            regex=regex, word=word, case=case, fold=not no_fold, context=context, max_hits=max_hits
        )
        compile_pattern(pattern, options)  # a bad pattern fails before any parsing
        hits = []
        names = []
        for file in files or [None]:
            doc = load(
                file, password, no_cache=no_cache, jobs=jobs, max_pages=max_pages, engine=engine,
                progress=not json_out,
            )
            names.append(doc.name)
            within = doc.section(in_section, first=True) if in_section else None
            hits.extend(doc.search(pattern, **options.to_kwargs(), section=within))
        if json_out:
            sys.stdout.write(render.to_json(render.search_json(pattern, hits, names)))
        elif count:
            table = count_by_section(hits)
            emit(output_config(color), lambda: render.search_count_plain(table))
        else:
            emit(
                output_config(color),
                lambda: render.search_plain(hits),
                lambda: render.search_rich(hits, len(names) > 1),
            )
        if not hits:
            raise typer.Exit(1)


@app.command(
    epilog="Examples:\n\n  ifri summary paper.pdf"
    "\n\n  ifri summary --section 'oil and debt' --sentences 3 paper.pdf"
    "\n\n  ifri summary --by-section paper.pdf\n\n  ifri summary --abstract paper.pdf"
    "\n\n  ifri summary paper.pdf --json | jq -r '.sentences[] | \"\\(.page)\\t\\(.text)\"'\n\n"
    "Sentences are taken from the body, never from the authors' abstract, the contents, "
    "notes, captions, tables or references, and are printed in document order.\n\n" + EXIT_CODES_HELP
)
def summary(
    file: FileArg = None,
    in_section: Annotated[
        str | None,
        typer.Option("--section", help="Summarise this section (words, 3.2 or p27).", show_default=False),
    ] = None,
    first: Annotated[bool, typer.Option("--first", help="Take the best of matching sections.")] = False,
    sentences: Annotated[
        int | None,
        typer.Option("--sentences", "-n", help="How many sentences [default: 5].", show_default=False),
    ] = None,
    ratio: Annotated[
        float | None,
        typer.Option("--ratio", help="A share of the sentences instead (0.02).", show_default=False),
    ] = None,
    by_section: Annotated[
        bool, typer.Option("--by-section", help="One or two sentences under each top-level section's title.")
    ] = False,
    lines: Annotated[bool, typer.Option("--lines", help="In a pipe, one sentence a line.")] = False,
    abstract: Annotated[
        bool, typer.Option("--abstract", help="Print the authors' own abstract or summary.")
    ] = False,
    keywords: Annotated[bool, typer.Option("--keywords", help="List the key terms instead (YAKE).")] = False,
    json_out: JsonOpt = False,
    password: PasswordOpt = "",
    color: ColorOpt = Color.auto,
    debug: DebugOpt = False,
    verbose: VerboseOpt = False,
    no_cache: NoCacheOpt = False,
    jobs: JobsOpt = 0,
    max_pages: MaxPagesOpt = None,
    engine: EngineOpt = None,
) -> None:
    """Summarise the paper (or a section) in a few of its own sentences.

    On a terminal each sentence shows its section and page; in a pipe they are one plain
    paragraph (--lines: one a line); --json gives each its section, page and score.
    """
    from ifri_cli import render
    from ifri_cli.errors import NotFound
    from ifri_cli.read.summary import check_count

    with boundary(debug, verbose):
        if sentences is not None and ratio is not None:
            raise UsageError("choose one of --sentences and --ratio")
        check_count(sentences, ratio)
        options = (("--by-section", by_section), ("--abstract", abstract), ("--keywords", keywords))
        modes = [name for name, on in options if on]
        if len(modes) > 1:
            raise UsageError(f"choose one of {' and '.join(modes)}")
        _check_summary_options(in_section, first, sentences, ratio, by_section, abstract, keywords, lines)
        doc = load(
            file, password, no_cache=no_cache, jobs=jobs, max_pages=max_pages, engine=engine,
            progress=not json_out,
        )
        within = doc.section(in_section, first=first) if in_section else None
        cfg = output_config(color)
        if abstract:
            found = doc.abstract()
            if json_out:
                sys.stdout.write(render.to_json(render.abstract_json(doc, found)))
            elif found is not None:
                emit(cfg, lambda: render.abstract_plain(found), lambda: render.abstract_rich(found))
            if found is None:
                raise NotFound("no abstract, summary or executive summary was found in this document")
            return
        if keywords:
            words = doc.keywords(sentences or 10, section=within)
            if json_out:
                sys.stdout.write(render.to_json(render.keywords_json(doc, words)))
            else:
                emit(cfg, lambda: render.keywords_plain(words), lambda: render.keywords_rich(words))
            if not words:
                raise NotFound("no key terms: the body has no sentences to read")
            return
        if by_section:
            groups = doc.summary_by_section(sentences or 2)
            if json_out:
                sys.stdout.write(render.to_json(render.by_section_json(doc, groups)))
            else:
                plain = lambda: render.by_section_plain(groups, lines)  # noqa: E731
                emit(cfg, plain, lambda: render.by_section_rich(groups))
            if not groups:
                raise NotFound("this document has no sections to summarise one by one (no structure found)")
            return
        chosen = doc.summary(sentences, ratio=ratio, section=within)
        if json_out:
            sys.stdout.write(render.to_json(render.summary_json(doc, chosen, within)))
        else:
            emit(cfg, lambda: render.summary_plain(chosen, lines), lambda: render.summary_rich(chosen))
        if not chosen:
            if within is not None and doc.is_abstract(within):
                raise NotFound(f"'{within.title}' is the authors' abstract: print it with --abstract")
            raise NotFound("no sentence to summarise: no full sentence outside notes, tables and captions")


def _check_summary_options(
    in_section: str | None,
    first: bool,
    sentences: int | None,
    ratio: float | None,
    by_section: bool,
    abstract: bool,
    keywords: bool,
    lines: bool,
) -> None:
    """Options that a mode would silently ignore are usage errors, raised before any parsing."""
    if in_section is not None and not in_section.strip():
        raise UsageError("--section needs words of a title, a number (3.2) or a page (p27)")
    if first and in_section is None:
        raise UsageError("--first picks among the sections --section matches: give --section too")
    if lines and (abstract or keywords):
        raise UsageError(
            f"--lines is for summary sentences: {'--abstract' if abstract else '--keywords'} takes none"
        )
    if by_section and in_section is not None:
        raise UsageError("--by-section maps the whole paper: it takes no --section")
    if by_section and ratio is not None:
        raise UsageError("--by-section takes --sentences (per section), not --ratio")
    if abstract and (in_section is not None or sentences is not None or ratio is not None):
        raise UsageError("--abstract prints the whole abstract: no --section, --sentences or --ratio")
    if keywords and ratio is not None:
        raise UsageError("--keywords takes --sentences as the number of terms, not --ratio")


app.command("index", epilog=library_cli.INDEX_EPILOG)(library_cli.index)
app.command("library", epilog=library_cli.LIBRARY_EPILOG)(library_cli.library)


cache_app = typer.Typer(
    help="The cache of parsed documents: a second command on the same file skips the parsing.\n\n"
    "It lives in the user cache directory, or $IFRI_CACHE_DIR; IFRI_NO_CACHE=1 or --no-cache "
    "bypass it; $IFRI_CACHE_MAX_MB caps its size (default 1024).",
    short_help="Show or clear the cache of parsed documents.",
    no_args_is_help=True,
)
app.add_typer(cache_app, name="cache")


@cache_app.command("info", epilog="Example: ifri cache info --json | jq .bytes")
def cache_info(json_out: JsonOpt = False, debug: DebugOpt = False) -> None:
    """Where the cache is, how many documents it holds and its size."""
    from ifri_cli import cache, render
    from ifri_cli.model import SCHEMA_VERSION

    with boundary(debug):
        data = cache.info().to_dict()
        if json_out:
            sys.stdout.write(render.to_json({"schema_version": SCHEMA_VERSION, **data}))
            return
        size = data["bytes"]
        sys.stdout.write(
            f"directory:  {data['directory']}\n"
            f"documents:  {data['documents']} ({data['raw_parses']} raw parses)\n"
            f"size:       {size / 1e6:.1f} MB\n"
            f"enabled:    {'yes' if data['enabled'] else 'no (IFRI_NO_CACHE is set)'}\n"
            + (f"usable:     no ({data['problem']})\n" if data["problem"] else "")
        )


@cache_app.command("clear", epilog="Example: ifri cache clear")
def cache_clear(debug: DebugOpt = False) -> None:
    """Delete every cached document."""
    from ifri_cli import cache

    with boundary(debug):
        removed, size = cache.clear()
        sys.stdout.write(f"removed {removed} cache entries ({size / 1e6:.1f} MB) from {cache.directory()}\n")
