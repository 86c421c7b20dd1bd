"""``ifri search``: grep-like lines in a pipe, hits grouped by section with highlights on a terminal."""

from __future__ import annotations

from typing import Any

from ifri_cli.model import SCHEMA_VERSION


def _hit_page(hit: Any) -> str:
    return hit.page if hit.page is not None else str(hit.pdf_page)


def _hit_section(hit: Any) -> str:
    head = f"{hit.number} {hit.section}" if hit.number else (hit.section or "")
    return head + (" (note)" if hit.where == "note" else "")


def search_plain(hits: list[Any]) -> str:
    """grep-like and stable: ``FILE:PAGE:NUMBER TITLE: snippet``, one hit a line."""
    return "".join(
        f"{hit.file}:{_hit_page(hit)}:{_hit_section(hit)}: {' '.join(hit.text.split())}\n" for hit in hits
    )


def search_count_plain(rows: list[tuple[str, str | None, str | None, int]]) -> str:
    return "".join(
        f"{file}:{(number + ' ') if number else ''}{title or ''}:{count}\n"
        for file, number, title, count in rows
    )


def search_rich(hits: list[Any], several_files: bool) -> Any:
    from rich.console import Group
    from rich.text import Text

    parts: list[Any] = []
    current: tuple[str, str] | None = None
    for hit in hits:
        key = (hit.file, _hit_section(hit))
        if key != current:
            if current is not None:
                parts.append(Text(""))
            header = Text(_hit_section(hit) or "(no section)", style="bold cyan")
            if several_files:
                header.append(f"  {hit.file}", style="dim")
            parts.append(header)
            current = key
        line = Text()
        line.append(f"  p. {_hit_page(hit):>4}  ", style="dim")
        snippet = Text(hit.text)
        snippet.stylize("bold black on yellow", hit.start, hit.end)
        line.append_text(snippet)
        parts.append(line)
    return Group(*parts)


def search_json(pattern: str, hits: list[Any], files: list[str]) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "pattern": pattern,
        "files": files,
        "count": len(hits),
        "hits": [h.to_dict() for h in hits],
    }
