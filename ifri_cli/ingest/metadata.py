"""Title, authors, date and the rest: from the PDF's /Info when it is real, else the cover.
"""

from __future__ import annotations

import re

from ifri_cli.model import Line, Metadata, Page

_JUNK_TITLE = re.compile(
    r"^(microsoft (word|powerpoint)\s*-|untitled|document\d*$|title$|slide \d|presentation\d*$|none$|null$"
    r"|(table of )?contents$|sommaire$|abstract$|summary$|introduction$)"
    r"|\.(docx?|pdf|indd|tex|dvi|odt|rtf|pptx?|qxd|p65|fm)\b"
    r"|^[\w\-]+_[\w\-]+$"  # a_file_name
    r"|^\s*$",
    re.I,
)


_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre"
)


_DATE = re.compile(
    rf"\b(?:\d{{1,2}}[ \t]+(?:{_MONTHS})[ \t]+(?:19|20)\d\d"
    rf"|(?:{_MONTHS})[ \t]+(?:\d{{1,2}},[ \t]*)?(?:19|20)\d\d)\b",
    re.I,
)


_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


_ISBN = re.compile(r"ISBN(?:-1[03])?\s*:?\s*((?:97[89][\s\-]*)?(?:\d[\s\-]*){9}[\dXx])")


_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;)])")


_SERIES = re.compile(
    r"^(?P<series>[A-Z][\w.\-/ ’']{2,60}?),?\s+(?:No\.?|N°|n°|Number|Issue|Vol\.)\s*(?P<num>\d+)", re.M
)


_PUBLISHER = re.compile(
    r"\b(Institut[eo]?|Centre|Center|Foundation|Council|Organi[sz]ation|University|Université|"
    r"Office|Bank|Agency|Ministry|Commission|Press|Association|Ifri)\b"
)


_NAME = re.compile(
    r"^(?:by\s+|par\s+)?(?:(?:Dr|Prof)\.?\s+)?[A-ZÀ-Ý][\w’'\-]+(?:\s+[A-ZÀ-Ý]\.)*(?:\s+[A-ZÀ-Ý][\w’'\-]+){1,3}$"
)


_JUNK_AUTHOR = re.compile(
    r"^(none|unknown|admin|administrator|user|author|owner|\w*\d\w*|[\w.\-]*[:_][\w.:\-]*)$", re.I
)


_NOT_A_NAME = re.compile(
    r"\b(summary|abstract|report|contents|library|university|universit[eé]|institute|department|centre|center|"
    r"school|faculty|introduction|chapter|edition|version|draft|working|paper|policy|brief|guide|guidelines)\b",
    re.I,
)


def is_junk_author(author: str) -> bool:
    author = author.strip()
    return not author or bool(_JUNK_AUTHOR.match(author)) or (" " not in author and author.islower())


def is_junk_title(title: str | None) -> bool:
    if not title:
        return True
    title = title.strip()
    return bool(_JUNK_TITLE.search(title)) or len(title) < 4 or len(title) > 300


def read_metadata(info: dict[str, str], pages: tuple[Page, ...]) -> Metadata:
    front = pages[:4]
    front_text = "\n".join(p.text for p in front)
    cover = _cover(pages[0]) if pages else {}
    title = info.get("Title")
    if is_junk_title(title):
        title = cover.get("title")
    authors_raw = info.get("Author", "")
    authors = tuple(a for a in _split_authors(authors_raw) if not is_junk_author(a))
    if not authors:
        authors = tuple(a for a in cover.get("authors", ()) if a)
    date = None
    match = _DATE.search(front_text)
    if match:
        date = " ".join(match.group(0).split())
    elif info.get("CreationDate"):
        m = re.match(r"D:(\d{4})(\d{2})?", info["CreationDate"])
        date = m.group(1) + (f"-{m.group(2)}" if m and m.group(2) else "") if m else None
    elif m2 := _YEAR.search(pages[0].text if pages else ""):
        date = m2.group(1)
    isbn = None
    if m3 := _ISBN.search(front_text + "\n" + (pages[-1].text if pages else "")):
        isbn = re.sub(r"\s+", "", m3.group(1)).strip("-")
    doi = None
    if m4 := _DOI.search(front_text):
        doi = m4.group(1)
    series = None
    if m5 := _SERIES.search(front_text):
        series = f"{m5.group('series').strip()}, No. {m5.group('num')}"
    publisher = cover.get("publisher") or _first_publisher(front_text)
    return Metadata(
        title=title,
        authors=authors,
        date=date,
        series=series,
        publisher=publisher,
        isbn=isbn,
        doi=doi,
        language=_language(" ".join(p.text for p in pages[:6])),
        producer=info.get("Producer") or info.get("Creator"),
    )


def _split_authors(text: str) -> tuple[str, ...]:
    parts = re.split(r"\s*(?:;|,\s*and\s+|\band\b|\bet\b|&|,)\s*", text)
    return tuple(p.strip() for p in parts if len(p.strip()) > 2)


def _cover(page: Page) -> dict[str, object]:
    """Read title and authors from the cover page: the biggest text is the title."""
    lines = [ln for ln in page.lines if len(ln.text.strip()) > 1]
    if not lines:
        return {}
    out: dict[str, object] = {}
    if any(ln.size for ln in lines):
        biggest = max(ln.size or 0 for ln in lines)
        title_lines = [ln for ln in lines if (ln.size or 0) >= biggest * 0.92]
        # a title wrapped over lines is consecutive; keep the first run
        first = lines.index(title_lines[0])
        run: list[Line] = []
        for ln in lines[first:]:
            if (ln.size or 0) >= biggest * 0.92:
                run.append(ln)
            elif run:
                break
        title = " ".join(ln.text.strip() for ln in run)
        after = lines[first + len(run) :]
    else:
        # plain text: the first line that is not a publisher/series line
        body = [ln for ln in lines if not _PUBLISHER.search(ln.text) and not _SERIES.search(ln.text)]
        if not body:
            return {}
        title = body[0].text.strip()
        after = lines[lines.index(body[0]) + 1 :]
    out["title"] = " ".join(title.split())
    authors: list[str] = []
    for ln in after[:8]:
        text = ln.text.strip()
        if (
            _NAME.match(text)
            and not _PUBLISHER.search(text)
            and not _DATE.search(text)
            and not _NOT_A_NAME.search(text)
            and not set(_long_words(text)) & set(_long_words(str(out["title"])))
        ):
            authors.extend(_split_authors(re.sub(r"^(by|par)\s+", "", text, flags=re.I)))
            if len(authors) >= 4:
                break
    out["authors"] = tuple(authors)
    for ln in lines:
        if _publisher_line(ln.text):
            out["publisher"] = ln.text.strip()
            break
    return out


def _publisher_line(text: str) -> bool:
    text = text.strip()
    return (
        bool(_PUBLISHER.search(text))
        and len(text) < 90
        and not _SERIES.search(text)
        and text[:1].isalpha()  # not an affiliation footnote like "*Harvard University" or "1Department"
        and text[:1].isupper()
        and "@" not in text
    )


def _first_publisher(text: str) -> str | None:
    for line in text.splitlines()[:40]:
        if _publisher_line(line):
            return line.strip()
    return None


def _long_words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.lower()) if len(w) > 2]


_FRENCH = re.compile(r"\b(le|la|les|des|du|et|est|une|dans|pour|que|qui|sur|avec)\b", re.I)


_ENGLISH = re.compile(r"\b(the|and|of|to|is|in|that|for|with|on|are|this)\b", re.I)


def _language(text: str) -> str | None:
    fr, en = len(_FRENCH.findall(text)), len(_ENGLISH.findall(text))
    if fr + en < 20:
        return None
    return "fr" if fr > en else "en"
