"""Rendering: model -> output. Rich renderables for a terminal, plain stable text for a pipe, JSON, Markdown.

Document text is never Rich markup: it goes through ``Text(...)`` so a PDF that contains
``[bold]`` prints unchanged. Renderers only format what the library computed. Each command's
renderers are in a module of their own; all are named here. Rich is imported only by the
``*_rich`` functions, when a terminal asks for them.
"""

from ifri_cli.render.base import OutputConfig, heading_text, json_dict, page_range, source_name, to_json
from ifri_cli.render.info import info_plain, info_rich
from ifri_cli.render.library import (
    display_path,
    index_json,
    index_summary_plain,
    library_documents_json,
    library_documents_plain,
    library_documents_rich,
    library_hits_plain,
    library_hits_rich,
    library_search_json,
    library_section_json,
    library_section_rich,
    library_section_where,
)
from ifri_cli.render.markdown import export_markdown, section_markdown
from ifri_cli.render.search import search_count_plain, search_json, search_plain, search_rich
from ifri_cli.render.sections import notes_plain, section_json, section_plain, section_rich, sections_rich
from ifri_cli.render.summary import (
    abstract_json,
    abstract_plain,
    abstract_rich,
    by_section_json,
    by_section_plain,
    by_section_rich,
    keywords_json,
    keywords_plain,
    keywords_rich,
    summary_json,
    summary_plain,
    summary_rich,
)
from ifri_cli.render.text import page_header, text_plain, text_rich
from ifri_cli.render.toc import explain_plain, toc_dict, toc_plain, toc_rich

__all__ = [
    "OutputConfig",
    "abstract_json",
    "abstract_plain",
    "abstract_rich",
    "by_section_json",
    "by_section_plain",
    "by_section_rich",
    "display_path",
    "explain_plain",
    "export_markdown",
    "heading_text",
    "index_json",
    "index_summary_plain",
    "info_plain",
    "info_rich",
    "json_dict",
    "keywords_json",
    "keywords_plain",
    "keywords_rich",
    "library_documents_json",
    "library_documents_plain",
    "library_documents_rich",
    "library_hits_plain",
    "library_hits_rich",
    "library_search_json",
    "library_section_json",
    "library_section_rich",
    "library_section_where",
    "notes_plain",
    "page_header",
    "page_range",
    "search_count_plain",
    "search_json",
    "search_plain",
    "search_rich",
    "section_json",
    "section_markdown",
    "section_plain",
    "section_rich",
    "sections_rich",
    "source_name",
    "summary_json",
    "summary_plain",
    "summary_rich",
    "text_plain",
    "text_rich",
    "to_json",
    "toc_dict",
    "toc_plain",
    "toc_rich",
]
