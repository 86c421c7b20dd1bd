"""``ifri summary``: sentences, the map by section, the abstract and key terms."""

from __future__ import annotations

from typing import Any

from ifri_cli.model import Document
from ifri_cli.render.base import json_dict, page_of


def _where(sentence: Any) -> str:
    """``3.2 Oil and debt, p. 14``: where a summary sentence comes from."""
    head = " ".join(filter(None, (sentence.number, sentence.section)))
    return ", ".join(filter(None, (head, page_of(sentence))))


def summary_plain(sentences: list[Any], lines: bool = False) -> str:
    """A plain paragraph (or one sentence a line), for pipes."""
    if not sentences:
        return ""
    if lines:
        return "".join(s.text + "\n" for s in sentences)
    return " ".join(s.text for s in sentences) + "\n"


def summary_rich(sentences: list[Any]) -> Any:
    from rich.console import Group
    from rich.text import Text

    parts: list[Any] = []
    for i, sentence in enumerate(sentences):
        if i:
            parts.append(Text(""))
        parts.append(Text(sentence.text))
        where = _where(sentence)
        if where:
            parts.append(Text(f"  — {where}", style="dim"))
    return Group(*parts)


def summary_json(doc: Document, sentences: list[Any], section: Any = None) -> dict[str, Any]:
    payload: dict[str, Any] = {"sentences": [s.to_dict() for s in sentences]}
    if section is not None:
        where = {"number": section.number, "title": section.title, "page": section.page}
        payload = {"section": where, **payload}
    return json_dict(doc, payload)


def by_section_plain(groups: list[Any], lines: bool = False) -> str:
    """Each top-level section's title, then its sentences; a blank line between sections."""
    blocks = []
    for group in groups:
        head = " ".join(filter(None, (group.number, group.title)))
        body = summary_plain(list(group.sentences), lines).rstrip("\n")
        blocks.append(head + ("\n" + body if body else ""))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def by_section_rich(groups: list[Any]) -> Any:
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    parts: list[Any] = []
    for i, group in enumerate(groups):
        if i:
            parts.append(Text(""))
        head = Text()
        if group.number:
            head.append(group.number + " ", style="cyan")
        head.append(group.title, style="bold")
        if group.page:
            head.append(f"  p. {group.page}", style="dim")
        parts.append(head)
        for sentence in group.sentences:
            line = Text(sentence.text)
            if sentence.page and sentence.page != group.page:
                line.append(f"  (p. {sentence.page})", style="dim")
            parts.append(Padding(line, (0, 0, 0, 2)))
        if not group.sentences:
            parts.append(Padding(Text("(nothing to quote)", style="dim"), (0, 0, 0, 2)))
    return Group(*parts)


def by_section_json(doc: Document, groups: list[Any]) -> dict[str, Any]:
    return json_dict(doc, {"sections": [g.to_dict() for g in groups]})


def abstract_plain(abstract: Any) -> str:
    return abstract.text.rstrip("\n") + "\n"


def abstract_rich(abstract: Any) -> Any:
    from rich.console import Group
    from rich.text import Text

    head = Text(abstract.title, style="bold")
    page = page_of(abstract)
    head.append(f"  (the authors' own{', ' + page if page else ''})", style="dim")
    paragraphs = [Text(p) for p in abstract.text.split("\n\n")]
    parts: list[Any] = [head]
    for paragraph in paragraphs:
        parts.extend([Text(""), paragraph])
    return Group(*parts)


def abstract_json(doc: Document, abstract: Any) -> dict[str, Any]:
    return json_dict(doc, {"abstract": abstract.to_dict() if abstract else None})


def keywords_plain(words: list[str]) -> str:
    return "".join(w + "\n" for w in words)


def keywords_rich(words: list[str]) -> Any:
    from rich.text import Text

    out = Text()
    for i, word in enumerate(words):
        if i:
            out.append(" · ", style="dim")
        out.append(word, style="bold")
    return out


def keywords_json(doc: Document, words: list[str]) -> dict[str, Any]:
    return json_dict(doc, {"keywords": words})
