"""Cut the body into sections at the located headings, build the tree, resolve queries.

A section's own text runs from its heading to the next located heading of any
level; its subsections are its children, so ``Section.full_text()`` gives the
whole span. Text before the first heading is front matter. An entry whose
heading cannot be found keeps ``found=False`` and no text, rather than
swallowing its neighbours.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher, get_close_matches

from ifri_cli.errors import Ambiguous, SectionNotFound, SectionNotInDocument, UsageError
from ifri_cli.locate import body_pages, fold, locate_entries
from ifri_cli.model import Document, Footnote, Line, Section, TocEntry

_KINDS = (
    ("notes", re.compile(r"^(end ?notes|notes|footnotes|notes de fin)$")),
    (
        "references",
        re.compile(
            r"^(references|bibliography|works cited|literature|sources|bibliographie|"
            r"references bibliographiques|literature cited|further reading)$"
        ),
    ),
    ("annex", re.compile(r"^(annex|annexe|appendix|appendices|annexes)\b")),
    (
        "front",
        re.compile(
            r"^(abstract|summary|executive summary|resume|r[eé]sum[eé]|foreword|preface|"
            r"acknowledg(e)?ments?|remerciements|table of contents|contents|sommaire|"
            r"list of (figures|tables|abbreviations|acronyms)|abbreviations|acronyms)$"
        ),
    ),
)


def kind_of(title: str) -> str:
    folded = fold(title)
    for kind, pattern in _KINDS:
        if pattern.search(folded):
            return kind
    return "section"


@dataclass
class _Node:
    entry: TocEntry
    start: int | None  # index into the flat line list where the section's text starts
    heading_at: int | None
    end: int = 0
    children: list[_Node] = field(default_factory=list)


def _flat_lines(doc: Document) -> tuple[list[tuple[int, Line]], dict[tuple[int, int], int]]:
    flat: list[tuple[int, Line]] = []
    index: dict[tuple[int, int], int] = {}
    for page in body_pages(doc):
        for i, line in enumerate(page.lines):
            index[(page.number, i)] = len(flat)
            flat.append((page.number, line))
    return flat, index


def build_sections(doc: Document) -> tuple[Section, ...]:
    entries = list(doc.toc.entries) if doc.toc else []
    flat, index = _flat_lines(doc)
    locations = locate_entries(doc, entries) if entries else []
    nodes: list[_Node] = []
    for entry, loc in zip(entries, locations, strict=True):
        if loc is None:
            nodes.append(_Node(entry, None, None))
        else:
            at = index[(loc.pdf_page, loc.line)]
            nodes.append(_Node(entry, at + loc.lines, at))
    starts = sorted(n.heading_at for n in nodes if n.heading_at is not None)
    for node in nodes:
        if node.start is not None:
            following = [s for s in starts if s > (node.heading_at or 0)]
            node.end = following[0] if following else len(flat)
    first = starts[0] if starts else len(flat)
    sections: list[Section] = []
    if first > 0:
        sections.append(_make_front(doc, flat[:first], index))
    sections.extend(_tree(doc, nodes, flat, index))
    return tuple(sections)


def _make_front(doc: Document, lines: list[tuple[int, Line]], index: dict[tuple[int, int], int]) -> Section:
    first_page, last_page = lines[0][0], lines[-1][0]
    return Section(
        title="Front matter",
        level=1,
        number=None,
        page=doc.pages[first_page - 1].label,
        pdf_page=first_page,
        pdf_page_end=last_page,
        text=_text(lines),
        notes=_notes(doc, first_page, last_page, (0, len(lines)), index),
        kind="front",
        span=(0, len(lines)),
    )


def _tree(
    doc: Document, nodes: list[_Node], flat: list[tuple[int, Line]], index: dict[tuple[int, int], int]
) -> list[Section]:
    roots: list[_Node] = []
    stack: list[_Node] = []
    for node in nodes:
        while stack and stack[-1].entry.level >= node.entry.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return _siblings(doc, roots, flat, index)


def _siblings(
    doc: Document, nodes: list[_Node], flat: list[tuple[int, Line]], index: dict[tuple[int, int], int]
) -> list[Section]:
    """Sections of one level; "Appendix B", or "A" after numbered chapters (1, 2, 3), are annexes."""
    out: list[Section] = []
    numbered = False
    for node in nodes:
        entry = node.entry
        kind = entry.kind if entry.kind != "section" else kind_of(entry.title)
        number = entry.number or ""
        if kind == "section" and (kind_of(number) == "annex" or (numbered and re.fullmatch("[A-Z]", number))):
            kind = "annex"
        numbered = numbered or number[:1].isdigit()
        out.append(_section(doc, node, kind, flat, index))
    return out


def _span_end(node: _Node) -> int:
    ends = [node.end] + [_span_end(child) for child in node.children]
    return max(ends)


def _section(
    doc: Document, node: _Node, kind: str, flat: list[tuple[int, Line]], index: dict[tuple[int, int], int]
) -> Section:
    entry = node.entry
    children = tuple(_siblings(doc, node.children, flat, index))
    if node.start is None:
        return Section(
            title=entry.title,
            level=entry.level,
            number=entry.number,
            page=entry.page,
            pdf_page=entry.pdf_page,
            pdf_page_end=None,
            text="",
            children=children,
            kind=kind,
            found=False,
        )
    assert node.heading_at is not None
    own = flat[node.start : node.end]
    end_index = max(_span_end(node), node.start) - 1
    heading_page = flat[node.heading_at][0]
    end_page = (
        flat[end_index][0] if 0 <= end_index < len(flat) and end_index >= node.heading_at else heading_page
    )
    return Section(
        title=entry.title,
        level=entry.level,
        number=entry.number,
        page=doc.pages[heading_page - 1].label or entry.page,
        pdf_page=heading_page,
        pdf_page_end=end_page,
        text=_text(own),
        notes=_notes(
            doc,
            heading_page,
            flat[node.end - 1][0] if node.end > node.start else heading_page,
            (node.heading_at, node.end),
            index,
        ),
        children=children,
        kind=kind,
        span=(node.start, node.end),
    )


def raw_text(doc: Document, section: Section, subsections: bool = True) -> str:
    """The section's lines as they are on the page, without reflowing paragraphs."""
    flat, _ = _flat_lines(doc)
    spans = [s.span for s in (section.walk() if subsections else [section]) if s.span]
    if not spans:
        return ""
    start, end = min(a for a, _ in spans), max(b for _, b in spans)
    return "\n".join(line.text for _, line in flat[start:end])


def _text(lines: Sequence[tuple[int, Line]]) -> str:
    if not lines:
        return ""
    try:
        from ifri_cli.clean import document_paragraphs  # type: ignore[attr-defined]
    except ImportError:
        document_paragraphs = None
    if document_paragraphs is not None:
        return "\n\n".join(document_paragraphs(_by_page(lines)))
    return "\n".join(line.text for _, line in lines)


def _by_page(lines: Sequence[tuple[int, Line]]) -> list[list[Line]]:
    pages: list[list[Line]] = []
    current = None
    for number, line in lines:
        if number != current:
            pages.append([])
            current = number
        pages[-1].append(line)
    return pages


def _notes(
    doc: Document, first_page: int, last_page: int, lines: tuple[int, int], index: dict[tuple[int, int], int]
) -> tuple[Footnote, ...]:
    """The notes whose marker is in the section's ``lines`` (a range of body lines, its heading
    included); a note whose marker was not seen goes by the pages the section's own text is on."""

    def here(note: Footnote) -> bool:
        at = index.get((note.pdf_page, note.line)) if note.line is not None else None
        if at is None:
            return first_page <= note.pdf_page <= last_page
        return lines[0] <= at < lines[1]

    return tuple(n for n in doc.footnotes if here(n))


# --- addressing ---------------------------------------------------------------------


def all_sections(doc: Document) -> list[Section]:
    out: list[Section] = []
    for section in doc.sections:
        out.extend(section.walk())
    return out


def positions(doc: Document) -> dict[int, str]:
    """The tree position of each body section ("3.2"), keyed by id(section)."""
    out: dict[int, str] = {}

    def visit(sections: Sequence[Section], prefix: str) -> None:
        count = 0
        for section in sections:
            if section.kind == "front" and not prefix:
                continue
            count += 1
            here = f"{prefix}{count}"
            out[id(section)] = here
            visit(section.children, here + ".")

    visit(doc.sections, "")
    return out


def describe(section: Section) -> str:
    head = f"{section.number} {section.title}" if section.number else section.title
    page = (
        f"p. {section.page}" if section.page else (f"pdf p. {section.pdf_page}" if section.pdf_page else "")
    )
    return f"{head}  ({page})" if page else head


_PAGE_QUERY = re.compile(r"^(?:p\.?\s*|page\s+)(\w+)$", re.I)
_NUMBER_QUERY = re.compile(r"^(?:\d+(?:\.\d+)*|[IVXLC]+|[A-H])\.?$")


def resolve(doc: Document, query: str, first: bool = False, page: str | None = None) -> list[Section]:
    """The section(s) a query means: title words, a number, a tree position, or ``p27``."""
    query = query.strip()
    if page is None and (m := _PAGE_QUERY.match(query)):
        page = m.group(1)
    if page is not None:
        return _by_page_label(doc, page)
    if not query:
        raise UsageError(
            "the section query is empty", hint="give words of a title, a number like 3.2 or a page like p12"
        )
    sections = [s for s in all_sections(doc)]
    if not sections or (len(sections) == 1 and sections[0].kind == "front"):
        raise SectionNotFound("this document has no sections to choose from (no table of contents was found)")
    if _NUMBER_QUERY.match(query):
        wanted = query.rstrip(".")
        numbered = [s for s in sections if s.number and s.number.rstrip(".").lower() == wanted.lower()]
        if not numbered:
            pos = positions(doc)
            numbered = [s for s in sections if pos.get(id(s)) == wanted]
        if numbered:
            return [_check_found(numbered[0])]
    return [_check_found(_by_title(sections, query, first))]


def _check_found(section: Section) -> Section:
    if not section.found:
        where = (
            f"page {section.page}"
            if section.page
            else (f"PDF page {section.pdf_page}" if section.pdf_page else "no page")
        )
        raise SectionNotInDocument(
            f"'{section.title}' is listed in the contents ({where}) but its text is not in this document"
        )
    return section


def _words(text: str) -> list[str]:
    return fold(text).split()


def _title_score(query_words: list[str], section: Section) -> float:
    title_words = _words(section.title) + (_words(section.number) if section.number else [])
    if not title_words:
        return 0.0
    total = 0.0
    for word in query_words:
        if word in title_words:
            total += 1.0
            continue
        prefix = [t for t in title_words if len(word) >= 3 and t.startswith(word)]
        if prefix:
            total += 0.9
            continue
        close = get_close_matches(word, title_words, n=1, cutoff=0.75)
        if close:
            total += SequenceMatcher(None, word, close[0]).ratio() * 0.9
    score = total / len(query_words)
    # among equal word matches, prefer the title the query covers best
    coverage = sum(1 for t in title_words if t in query_words) / len(title_words)
    return score + 0.05 * coverage


def _by_title(sections: list[Section], query: str, first: bool) -> Section:
    query_words = _words(query)
    if not query_words:
        raise UsageError(
            "the section query has no words",
            hint="give words of a title, a number like 3.2 or a page like p12",
        )
    scored = sorted(
        ((_title_score(query_words, s), i, s) for i, s in enumerate(sections)), key=lambda t: (-t[0], t[1])
    )
    best_score = scored[0][0]
    if best_score < 0.6:
        titles = [s.title for s in sections if s.kind != "front"]
        near = get_close_matches(query, titles, n=3, cutoff=0.4)
        near += [s.title for score, _, s in scored[:3] if score >= 0.3 and s.title not in near]
        hint = "nearest: " + "; ".join(near[:3]) if near else "`ifri toc` lists the titles"
        raise SectionNotFound(f"no section matches '{query}'", hint=hint)
    close = [s for score, _, s in scored if score >= best_score - 0.02]
    if len(close) == 1 or first:
        return close[0]
    # one candidate containing all the others (a section and its subsections): take it
    for candidate in close:
        inside = {id(s) for s in candidate.walk()}
        if all(id(s) in inside for s in close):
            return candidate
    raise Ambiguous(
        f"'{query}' matches {len(close)} sections; be more precise or use --first",
        [describe(s) for s in close[:10]],
    )


def _by_page_label(doc: Document, label: str) -> list[Section]:
    pdf_pages = [p.number for p in doc.pages if p.label and p.label.lower() == label.lower()]
    if not pdf_pages and label.isdigit() and not any(p.label for p in doc.pages):
        pdf_pages = [int(label)]  # no printed numbers at all: the physical page
    if not pdf_pages:
        raise SectionNotFound(f"no page is numbered '{label}' in this document")
    wanted = pdf_pages[0]
    covering = [
        s
        for s in all_sections(doc)
        if s.found and s.pdf_page is not None and s.pdf_page <= wanted <= (s.pdf_page_end or s.pdf_page)
    ]
    if not covering:
        raise SectionNotFound(f"no section covers page {label}")
    # the deepest sections on that page: their ancestors are implied
    deepest = [s for s in covering if not any(c in covering for c in s.children)]
    return deepest


def with_sections(doc: Document) -> Document:
    return replace(doc, sections=build_sections(doc))


def safe_name(text: str, limit: int = 60) -> str:
    """A file name anyone's shell and file system accept."""
    name = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return (name[:limit].rstrip("-")) or "section"


def split_files(doc: Document, directory: str, *, force: bool, to_markdown) -> list[str]:  # type: ignore[no-untyped-def]
    """Write one Markdown file per top-level section; refuse to overwrite without ``force``."""
    from pathlib import Path

    from ifri_cli.errors import InputError

    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise InputError(f"{directory}: exists and is not a directory")
    plan: list[tuple[Path, str]] = []
    for i, section in enumerate(doc.sections, start=1):
        body = replace(doc, sections=(section,))
        name = f"{i:02d}-{safe_name(section.title)}.md"
        plan.append(
            (
                target / name,
                to_markdown(replace(body, metadata=replace(doc.metadata, title=None)), section.walk()),
            )
        )
    existing = [str(p) for p, _ in plan if p.exists()]
    if existing and not force:
        raise InputError(
            f"{existing[0]} already exists"
            + (f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""),
            hint="use --force to overwrite",
        )
    try:
        target.mkdir(parents=True, exist_ok=True)
        for path, text in plan:
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
    except OSError as exc:
        raise InputError(f"cannot write into {directory}: {exc.strerror or exc}") from None
    return [str(p) for p, _ in plan]
