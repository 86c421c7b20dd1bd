"""``ifri info``: one row a fact."""

from __future__ import annotations

from typing import Any

from ifri_cli.model import page_span
from ifri_cli.render.base import source_name

_INFO_FIELDS = (
    ("title", "Title"),
    ("authors", "Authors"),
    ("date", "Date"),
    ("series", "Series"),
    ("publisher", "Publisher"),
    ("isbn", "ISBN"),
    ("doi", "DOI"),
    ("language", "Language"),
)

# what the contents page's printed page numbers were mapped through
_MAPPING_NAMES = {
    "page labels": "contents pages through the page labels",
    "printed numbers": "contents pages through the numbers printed on the pages",
    "offset from headings": "contents pages by the offset at which the titles are headings",
}

_ENGINE_NAMES = {"pdfminer": "pdfminer.six", "pdfium": "PDFium (pypdfium2)"}


def _info_rows(data: dict[str, Any]) -> list[tuple[str, str]]:
    meta = data["metadata"]
    rows = [("File", data["document"]["path"] or "<stdin>"), ("Kind", data["kind"].upper())]
    if data.get("engine"):
        rows.append(("Engine", _ENGINE_NAMES.get(data["engine"], data["engine"])))
    for key, name in _INFO_FIELDS:
        value = meta.get(key)
        if value:
            rows.append((name, ", ".join(value) if isinstance(value, list) else str(value)))
    rows.append(("Pages", str(data["pages"])))
    rows.append(("Words", f"{data['words']:,}"))
    rows.append(("Reading time", f"about {data['reading_minutes']} min"))
    rows.append(
        (
            "Page labels",
            {"pdf": "from the PDF (/PageLabels)", "printed": "read from printed page numbers"}.get(
                data["page_labels"] or "", "none found"
            ),
        )
    )
    if data.get("page_mapping"):
        rows.append(("Page mapping", _MAPPING_NAMES.get(data["page_mapping"], data["page_mapping"])))
    rows.append(("Outline", f"{data['outline_entries']} bookmarks" if data["outline_entries"] else "none"))
    listing = data["contents_pages"]
    page = "pdf page" if data["kind"] == "pdf" else "page"
    where = f"{page}{'s' * (len(listing) > 1)} {page_span(listing)}" if listing else "found"
    rows.append(("Contents page", where if data["contents_page"] else "not found"))
    rows.append(("Structure", f"{data['toc_entries']} entries, {source_name(data['toc_source'] or 'none')}"))
    abstract = data["abstract"]
    if abstract:
        where = f"p. {abstract['page']}" if abstract["page"] else f"{page} {abstract['pdf_page']}"
        words = f"{abstract['words']:,} words"
        rows.append(("Abstract", f"{abstract['title']}, {where}, {words} (summary --abstract)"))
    else:
        rows.append(("Abstract", "not found"))
    for warning in data["warnings"]:
        rows.append(("Warning", warning))
    return rows


def info_plain(data: dict[str, Any]) -> str:
    return "".join(f"{key}: {value}\n" for key, value in _info_rows(data))


def info_rich(data: dict[str, Any]) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for key, value in _info_rows(data):
        table.add_row(key, Text(value))
    return table
