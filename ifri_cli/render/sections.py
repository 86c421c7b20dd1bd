"""``ifri section``: a section's text, with its notes."""

from __future__ import annotations

from typing import Any

from ifri_cli.model import Document
from ifri_cli.render.base import heading_text, json_dict


def notes_plain(notes: Any) -> str:
    return "\n".join(f"[{n.marker}] {n.text}" for n in notes)


def section_plain(body: str, notes: Any = ()) -> str:
    out = body.strip() + "\n" if body.strip() else ""
    if notes:
        out += "\nNotes\n\n" + notes_plain(notes) + "\n"
    return out


def section_rich(section: Any, body: str, pages: str, notes: Any = ()) -> Any:
    from rich.console import Group
    from rich.rule import Rule
    from rich.text import Text

    title = Text(heading_text(section), style="bold")
    parts: list[Any] = [Rule(title, style="cyan"), Text(pages, style="dim", justify="right")]
    for paragraph in body.split("\n\n"):
        if paragraph.strip():
            parts.extend((Text(paragraph), Text("")))
    if notes:
        parts.append(Rule(Text("Notes", style="dim"), style="dim"))
        for note in notes:
            line = Text(f"[{note.marker}] ", style="dim")
            line.append(note.text)
            parts.append(line)
    return Group(*parts)


def section_json(doc: Document, sections: list[Any], texts: list[str]) -> dict[str, Any]:
    items = []
    for section, body in zip(sections, texts, strict=True):
        data = section.to_dict()
        data["text"] = body
        items.append(data)
    return json_dict(doc, {"sections": items})


def sections_rich(items: list[tuple[Any, str, str, Any]]) -> Any:
    """Several sections, each ``(section, text, pages, notes)``, one after the other."""
    from rich.console import Group

    return Group(*(section_rich(*item) for item in items))
