"""Clean extracted text: repair what PDF extraction breaks and strip page furniture.

``clean_document`` is the pipeline stage. It removes running headers and footers,
page-number lines and footnotes from the pages (the footnotes are kept apart in
``doc.footnotes``), removes footnote markers from the running text, repairs every
line (``repair_text``) and joins words hyphenated at a line end.

Broken words are repaired from evidence, never from a hand-typed word list: the
document's own vocabulary (a joined form that occurs elsewhere in it) and the
word frequencies of ``wordfreq``. Removing a space is a bet against the prior that
the space is real; that prior is estimated per document from how many spaces are
certainly spurious (``a major`` stays apart in a clean paper, ``at tract i on``
is joined in a badly extracted one).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from ifri_cli.model import Document, Footnote, Line, Page

# --- characters ----------------------------------------------------------------------

_ODD_SPACES = [0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
_INVISIBLE = [0x00AD, 0x200B, 0x2060, 0xFEFF]
_CHAR_TABLE = str.maketrans(
    {
        **{chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)},  # ligatures
        **{chr(c): " " for c in _ODD_SPACES},
        **{chr(c): None for c in _INVISIBLE},
    }
)
_NEEDS_TRANSLATE = re.compile("[\ufb00-\ufb06\u00ad\u200b\u2060\ufeff" + "".join(map(chr, _ODD_SPACES)) + "]")

# accents that LaTeX and some producers draw as separate glyphs, extracted as spacing characters
_SPACING_ACCENTS = {
    "\u00b4": "\u0301",  # acute
    "\u0060": "\u0300",  # grave (only between letters: a backtick is also code)
    "\u00a8": "\u0308",  # diaeresis
    "\u02c6": "\u0302",  # circumflex
    "\u02dc": "\u0303",  # tilde
    "\u00b8": "\u0327",  # cedilla
    "\u02c7": "\u030c",  # caron
    "\u02d8": "\u0306",  # breve
    "\u02da": "\u030a",  # ring
    "\u02d9": "\u0307",  # dot above
    "\u00af": "\u0304",  # macron
    "\u02dd": "\u030b",  # double acute
    "\u02db": "\u0328",  # ogonek
}
_BELOW = {"\u00b8", "\u02db"}  # drawn under the letter, always extracted after it
_ACCENT_CHARS = re.compile("[" + "".join(_SPACING_ACCENTS) + "]")


def _compose(base: str, accent: str) -> str | None:
    composed = unicodedata.normalize("NFC", base + _SPACING_ACCENTS[accent])
    return composed if len(composed) == 1 else None


def accent_votes(text: str) -> tuple[int, int]:
    """(after the letter, before the letter): where this text puts unambiguous spacing accents.

    ``Ageˆncia`` can only mean ``Agência`` (the accent follows its letter), ``clich´es``
    only ``clichés`` (it precedes it). A document is consistent, so the count decides
    ambiguous cases like ``a˜o``.
    """
    after = before = 0
    for match in _ACCENT_CHARS.finditer(text):
        i, accent = match.start(), match.group()
        if accent in _BELOW or i == 0 or i + 1 >= len(text):
            continue
        prev, nxt = text[i - 1], text[i + 1]
        if not (prev.isalpha() and nxt.isalpha()):
            continue
        on_prev, on_next = _compose(prev, accent), _compose(nxt, accent)
        if on_prev and not on_next:
            after += 1
        elif on_next and not on_prev:
            before += 1
    return after, before


def _fix_accents(text: str, accents_follow: bool) -> str:
    out: list[str] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        i += 1
        if ch not in _SPACING_ACCENTS:
            out.append(ch)
            continue
        prev = out[-1] if out and out[-1].isalpha() else None
        nxt = text[i] if i < n and text[i].isalpha() else None
        if ch == "`" and not (prev and nxt):
            out.append(ch)
            continue
        on_prev = _compose(prev, ch) if prev else None
        on_next = _compose(nxt, ch) if nxt else None
        if on_prev and (not on_next or ch in _BELOW or accents_follow):
            out[-1] = on_prev
        elif on_next:
            # ``B ¨unning``: the accent glyph sat in a gap the extractor read as a space
            if (
                len(out) >= 2
                and out[-1] == " "
                and out[-2].isupper()
                and (len(out) == 2 or not out[-3].isalpha())
            ):
                out.pop()
            out.append(on_next)
            i += 1  # the letter it sits on is done
        else:
            out.append(ch)
    return "".join(out)


def fix_characters(text: str, accents_follow: bool = False) -> str:
    """Ligatures, odd and invisible spaces, soft hyphens, separated accents; NFC."""
    if text.isascii():
        return _fix_accents(text, accents_follow) if "`" in text else text
    if _NEEDS_TRANSLATE.search(text):
        # a soft hyphen ending a line marks where a word was broken: joining lines needs it
        soft_end = text.rstrip().endswith("\u00ad")
        text = text.translate(_CHAR_TABLE) + ("\u00ad" if soft_end else "")
    if _ACCENT_CHARS.search(text):
        text = _fix_accents(text, accents_follow)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text


# --- word frequencies ------------------------------------------------------------------

_FLOOR = -7.5  # log10 frequency of a string no list knows (or knows as rarer than zipf 2)
_LONE_LETTER = -5.5  # a letter standing alone that the language does not use as a word (``t he``, ``J uly``)
_KNOWN = -6.7  # a joined form must be at least this frequent (zipf 2.3) to count as a word
_KEEP_BINS = 701  # frequency bins kept: down to 10^-7 (zipf 2); rarer words are noise for this


@lru_cache(maxsize=8)
def _frequencies(lang: str) -> dict[str, float]:
    """word -> log10 frequency, from wordfreq's list for ``lang`` (empty if unavailable)."""
    freqs: dict[str, float] = {}
    for i, words in enumerate(_read_bins(lang)):
        freqs.update(dict.fromkeys(words, -i / 100))  # bin i: frequency 10^(-i/100), one centibel a bin
    return freqs


def _read_bins(lang: str) -> list[list[str]]:
    """The frequent end of wordfreq's list for ``lang``.

    ``import wordfreq`` costs more than all the cleaning of a long report (it loads
    language-tag and text-fixing tables we do not need), so the list is read directly
    from wordfreq's data files (the cBpack format documented in ``wordfreq.read_cBpack``:
    a gzipped msgpack list of a header and frequency bins), stopping at the rare
    words; the public API is the fallback when the files are not what we expect.
    """
    import gzip
    import importlib.util
    import os

    spec = importlib.util.find_spec("wordfreq")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        for size in ("large", "small"):
            path = os.path.join(folder, "data", f"{size}_{lang}.msgpack.gz")
            if not os.path.exists(path):
                continue
            try:
                import msgpack

                with gzip.open(path, "rb") as fh:
                    unpacker = msgpack.Unpacker(fh, raw=False)
                    count = unpacker.read_array_header()
                    header = unpacker.unpack()
                    if header != {"format": "cB", "version": 1}:
                        break
                    return [unpacker.unpack() for _ in range(min(count - 1, _KEEP_BINS))]
            except (ImportError, OSError, ValueError):
                break
    try:
        import wordfreq

        return list(wordfreq.get_frequency_list(lang, wordlist="best")[:_KEEP_BINS])
    except (ImportError, LookupError, ValueError):
        return []


@lru_cache(maxsize=8)
def _top_words(lang: str, n: int = 100) -> frozenset[str]:
    from itertools import islice

    return frozenset(islice(_frequencies(lang), n))  # the dict keeps the list's order: most frequent first


_LETTERS = re.compile(r"[^\W\d_]+")
# web and mail addresses, file names: whole tokens, matched from their start only (the pattern stays cheap)
_ADDRESS = re.compile(
    r"(?<!\S)[(\[<\"'“‘]*(?:(?:https?://|www\.)\S+|\S+@\S+|[\w./-]+\.(?:com|org|net|gov|edu|int|html?|php|pdf)\b\S*)",
    re.I,
)


def _written_words(texts: Iterable[str]) -> Counter[str]:
    """The words of lines as a writer wrote them (lowercased): not web addresses, not ``camelCase``."""
    raw: Counter[str] = Counter()
    for text in _chunks(
        _ADDRESS.sub(" ", t) if "/" in t or "@" in t or "www" in t or ".com" in t else t for t in texts
    ):
        raw.update(_LETTERS.findall(text))
    counts: Counter[str] = Counter()
    for word, n in raw.items():
        if word.islower() or word.isupper() or word.istitle():
            counts[word.lower()] += n
    return counts


_CHUNK = 1 << 18  # characters of text a pattern runs over at once


def _chunks(texts: Iterable[str], size: int = _CHUNK) -> Iterable[str]:
    """Lines joined by newlines into pieces of about ``size`` characters.

    A pattern that never crosses a line runs over each piece as it would over the whole
    text joined at once, without a copy of the whole text or a list of all its matches.
    """
    batch: list[str] = []
    length = 0
    for text in texts:
        batch.append(text)
        length += len(text) + 1
        if length >= size:
            yield "\n".join(batch)
            batch, length = [], 0
    if batch:
        yield "\n".join(batch)


_UNSEEN = object()
_PAIR_MEMORY = 1 << 15  # pairs whose verdict is remembered at once (a few MB)
_LONE = re.compile(r"(?<![\w'’-])[^\W\d_](?![\w'’-])")


class Vocabulary:
    """What a document says about its own words, plus the frequency list of its language.

    Built once per document from all its lines. ``space_bias`` is the log10 odds
    against a space being spurious, estimated from the document itself.
    """

    def __init__(
        self,
        texts: Iterable[str],
        language: str | None = None,
        accents_follow: bool = False,
        prior_spaces: int = 1000,
    ):
        texts = texts if isinstance(texts, Sequence) else list(texts)
        self.lang = (language or "en").split("-")[0].split("_")[0].lower() or "en"
        self.freqs = _frequencies(self.lang)
        self.accents_follow = accents_follow
        self.lone_letters: Counter[str] = Counter()  # as written: ``L``, ``x``
        self.hyphenated: Counter[str] = Counter()
        for chunk in _chunks(texts):  # one pass of each pattern over the whole document, a piece at a time
            self.lone_letters.update(_LONE.findall(chunk))
            self.hyphenated.update(m.lower() for m in _COMPOUND.findall(chunk))
        self.counts = _written_words(texts)
        self.total = max(1, sum(self.counts.values()))
        self.function_words = _top_words(self.lang) if self.freqs else frozenset()
        # only pairs that make a word are remembered: most do not, and a long document has millions
        self._gains: dict[tuple[str, str], float | None] = {}
        self._rare: dict[str, bool] = {}
        self.space_bias = self._space_bias(texts, prior_spaces)
        # the verdicts on pairs seen in lines, kept for the next lines (most pairs come back)
        self._plain_pairs: set[tuple[str, str]] = set()
        self._suspicious_pairs: set[tuple[str, str]] = set()

    @classmethod
    def from_pages(cls, pages: Sequence[Page], language: str | None = None) -> Vocabulary:
        return cls((line.text for page in pages for line in page.lines), language)

    def logf(self, word: str) -> float:
        """log10 frequency of a (lowercase) word in the language, ``_FLOOR`` if unknown."""
        return self.freqs.get(word, _FLOOR)

    def piece_logf(self, piece: str) -> float:
        """log10 frequency of a (lowercase) piece of a line standing alone.

        A lone letter is a word only if the language uses it as one all the time
        (``a``, ``I``, French ``à``); frequency lists also count initials, list labels
        and variables, which say nothing about ``t he`` or ``Cont ent s``.
        """
        if len(piece) == 1 and piece not in self.function_words:
            return _LONE_LETTER
        return self.freqs.get(piece, _FLOOR)

    def plausible_join(self, pieces: Sequence[str]) -> bool:
        """Two pieces that read as a word and a symbol rather than a broken word.

        ``for t``, ``var y``: a common word and a lone lowercase letter after it;
        ``L and``, ``M et al``: a capital letter this document uses alone (a symbol, an initial).
        """
        first = pieces[0]
        if all(len(p) == 1 for p in pieces):
            return True  # letter-spacing
        if (
            len(first) == 1
            and first.isupper()
            and first.lower() not in self.function_words
            and self.lone_letters[first] >= 3
        ):
            # ``L and``, ``M et al``: unless the rest is no word at all
            return all(self.piece_logf(p.lower()) <= _LONE_LETTER for p in pieces[1:])
        if len(pieces) != 2:
            return True
        second = pieces[1]
        if len(second) == 1 and len(first) > 1 and first.islower() and self.piece_logf(first) >= -5.5:
            return False
        return True

    def joined_logf(self, word: str, pieces: Sequence[str] = ()) -> float | None:
        """The evidence for a joined form: the language's list, or the document using it elsewhere.

        The document's frequency counts only when it is far above the language's (its
        own names and terms). And the document's word alone does not make ``data set``
        one word when both pieces are common words: code (``DataSet``) and web addresses
        glue words together.
        """
        known = self.freqs.get(word, _FLOOR)
        count = self.counts.get(word, 0)
        if known < _KNOWN:
            if not count or (pieces and all(self.freqs.get(p, _FLOOR) >= -6 for p in pieces)):
                return None
            return _log10(count / self.total)
        # a word this document uses ten times more than the language does is one of its own (``Putin``)
        own = _log10(count / self.total) if count > 1 else _FLOOR
        return own if own > known + 1 else known

    def pair_gain(self, left: str, right: str) -> float | None:
        """How much likelier ``left+right`` is as one word than as two (log10), None if not a word."""
        key = (left, right)
        gain = self._gains.get(key, _UNSEEN)
        if gain is not _UNSEEN:
            return gain  # type: ignore[return-value]
        joined = (left + right).lower()
        if joined not in self.counts and self.freqs.get(joined, _FLOOR) < _KNOWN:
            return None  # no word (most pairs): not worth remembering
        gain = None
        if _case_ok((left, right)) and self.plausible_join((left, right)):
            lower = (left.lower(), right.lower())
            joined = self.joined_logf(lower[0] + lower[1], lower)
            if joined is not None:
                gain = joined - self.piece_logf(lower[0]) - self.piece_logf(lower[1])
        self._gains[key] = gain
        return gain

    def is_rare(self, piece: str) -> bool:
        """A lone letter, or neither a word of the language nor one this document uses often."""
        rare = self._rare.get(piece)
        if rare is None:
            lower = piece.lower()
            if len(lower) == 1:
                rare = lower not in self.function_words
            else:
                rare = self.logf(lower) < _KNOWN and self.counts.get(lower, 0) <= 2
            self._rare[piece] = rare
        return rare

    def suspicious(self, left: str, right: str) -> bool:
        """Whether the space between two letter runs may be spurious and deserves a closer look."""
        if self.is_rare(left) or self.is_rare(right):
            return True
        gain = self.pair_gain(left, right)
        return gain is not None and gain >= self.space_bias - 2

    def suspicious_text(self, text: str) -> bool:
        """Whether a line has a space that may be spurious (most lines of most documents do not)."""
        pairs = _PAIR.findall(text)
        plain, suspicious = self._plain_pairs, self._suspicious_pairs
        if plain.issuperset(pairs):
            return False
        if not suspicious.isdisjoint(pairs):
            return True
        if len(plain) + len(suspicious) > _PAIR_MEMORY:  # the frequent pairs come back soon
            plain.clear()
            suspicious.clear()
        found = False
        for pair in pairs:
            if pair in plain:
                continue
            if self.suspicious(*pair):
                suspicious.add(pair)
                found = True
            else:
                plain.add(pair)
        return found

    def _space_bias(self, texts: Iterable[str], prior_spaces: int) -> float:
        """-log10 of the share of spaces between letters that are spurious, from the sure cases.

        A space is surely spurious when joining its two sides gains six orders of
        magnitude in frequency (``governm ental``, ``t he``). The rate of such spaces
        says how broken the document is. ``prior_spaces`` clean spaces are assumed
        before any evidence (a short text says little), and the bias is kept between 1.5
        (very broken) and 4.5 (clean) so that real phrases (``a part``, ``some times``,
        ``per cent``) stay apart in a clean document.
        """
        spaces = sure = 0
        for chunk in _chunks(texts):
            pairs = Counter(_PAIR.findall(chunk))
            spaces += sum(pairs.values())
            sure += sum(
                n
                for (left, right), n in pairs.items()
                if len(left) > 1 and len(right) > 1 and (self.pair_gain(left, right) or 0) >= 6
            )  # lone letters are too often symbols (``x y``) to be sure evidence
        rate = (sure + 1) / (spaces + prior_spaces)
        return min(4.5, max(1.5, -_log10(rate)))


def _log10(x: float) -> float:
    import math

    return math.log10(x) if x > 0 else _FLOOR


# two runs of letters around a space; the first must start a word (not ``America's own``, ``1990s and``)
_PAIR = re.compile(r"(?<![\w'’])([^\W\d_]+) (?=([^\W\d_]+)(?![^\W\d_]))")
_COMPOUND = re.compile(r"\b[^\W\d_]+(?:-[^\W\d_]+)+")


# --- broken spacing inside words ------------------------------------------------------------

_LETTER_SPACING = 1.5  # the odds against a space between two lone letters of a letter-spaced word
_MAX_GROUP = 6  # tokens joined into one word at most (letter-spaced words like ``C O N T E N T S`` excepted)
_LEAD = re.compile(r"^[^\W\d_]+")
_TRAIL = re.compile(r"(?<![\w'’.])[^\W\d_]+$")  # a word at the end of a token: ``(Am``, not ``1990s``


class _Token(NamedTuple):
    start: int
    end: int
    text: str
    lead: str  # letters the token starts with
    trail: str  # letters it ends with


def _tokens(text: str) -> list[_Token]:
    out = []
    for match in re.finditer(r"\S+", text):
        word = match.group()
        lead = _LEAD.match(word)
        trail = _TRAIL.search(word)
        head = lead.group() if lead else ""
        if len(head) == 1 and word[1:2] in ("'", "’", "-"):
            head = ""  # an elided article (``l’équivalence``), a prefix (``y-axis``): no piece of a word
        out.append(_Token(match.start(), match.end(), word, head, trail.group() if trail else ""))
    return out


def _chains(tokens: list[_Token]) -> list[list[int]]:
    """Runs of token indexes that could be one word: single spaces, letters on both sides."""
    chains: list[list[int]] = []
    current: list[int] = []
    for i, tok in enumerate(tokens):
        linked = (
            current
            and tokens[i - 1].end + 1 == tok.start
            and tokens[i - 1].trail
            and tok.lead
            and (len(tokens[i - 1].lead) == len(tokens[i - 1].text) or len(current) == 1)
        )
        if linked:
            current.append(i)
        else:
            if len(current) > 1:
                chains.append(current)
            current = [i]
        if tok.lead and len(tok.lead) != len(tok.text) and len(current) > 1:
            # a token with punctuation inside can only end a chain
            chains.append(current)
            current = [i]
    if len(current) > 1:
        chains.append(current)
    return chains


def _case_ok(pieces: Sequence[str]) -> bool:
    """``Am erica``, ``J uly``, ``W EAK``: not ``the Word`` nor ``PDF reader``."""
    if all(p.isupper() for p in pieces):
        return True
    if len(pieces[0]) > 1 and pieces[0].isupper():
        return False
    return all(p.islower() for p in pieces[1:])


def _join_chain(pieces: list[str], vocab: Vocabulary) -> list[bool]:
    """For each gap between pieces, whether to remove the space (the likeliest segmentation).

    Each word of a segmentation scores its log10 frequency, and each space kept
    scores ``space_bias`` (the odds that a space is real). Only groups spanning a
    suspicious gap are considered, which keeps clean lines cheap.
    """
    n = len(pieces)
    trigger = [vocab.suspicious(pieces[i], pieces[i + 1]) for i in range(n - 1)]
    if not any(trigger):
        return [False] * (n - 1)
    cum = [0]
    for flag in trigger:
        cum.append(cum[-1] + flag)
    singles_from = []  # the first index of the run of one-letter pieces ending here
    for k, piece in enumerate(pieces):
        if len(piece) != 1:
            singles_from.append(k + 1)
        else:
            singles_from.append(singles_from[k - 1] if k and len(pieces[k - 1]) == 1 else k)
    lower = [p.lower() for p in pieces]
    single = [vocab.piece_logf(p) for p in lower]
    bias = vocab.space_bias
    best = [0.0] * (n + 1)
    back = [0] * (n + 1)
    for end in range(1, n + 1):
        best[end] = best[end - 1] + single[end - 1] + bias
        back[end] = end - 1
        lowest = max(0, min(end - _MAX_GROUP, singles_from[end - 1]))
        if cum[end - 1] == cum[lowest]:
            continue  # no suspicious gap inside any group ending here
        for start in range(end - 2, lowest - 1, -1):
            if cum[end - 1] == cum[start]:
                continue
            all_single = start >= singles_from[end - 1]
            if end - start > _MAX_GROUP and not all_single:
                continue
            joined = "".join(lower[start:end])
            if all_single and end - start == 2 and joined not in vocab.function_words:
                continue  # ``x y`` are two variables; ``t o`` is ``to``
            if not _case_ok(pieces[start:end]) or not vocab.plausible_join(pieces[start:end]):
                continue
            score = vocab.joined_logf(joined, lower[start:end])
            if score is None:
                continue
            total = best[start] + score + bias
            if all_single and end - start >= 4:
                # letter-spacing (``C O N T E N T S``) is a style, not breakage: its spaces cost less
                total += (end - start - 1) * max(0.0, bias - _LETTER_SPACING)
            if total > best[end]:
                best[end], back[end] = total, start
    joins = [False] * (n - 1)
    end = n
    while end > 0:
        start = back[end]
        for gap in range(start, end - 1):
            joins[gap] = True
        end = start
    return joins


def _repair_spacing(text: str, vocab: Vocabulary) -> str:
    words = vocab.suspicious_text(text)
    # on a contents line ``19 20`` may be a title's number and its page: only leader ends are joined there
    numbers = _SPLIT_NUMBER.search(text) and not has_leader(text)
    if not (words or numbers):
        return text
    tokens = _tokens(text)
    drop: set[int] = set()  # text offsets of spaces to remove
    for chain in _chains(tokens) if words else ():
        pieces = []
        for k, i in enumerate(chain):
            tok = tokens[i]
            pieces.append(tok.trail if k == 0 else tok.lead if k == len(chain) - 1 else tok.text)
        for gap, join in enumerate(_join_chain(pieces, vocab)):
            if join:
                drop.add(tokens[chain[gap]].end)
    if numbers:
        drop |= _number_joins(tokens)
    if not drop:
        return text
    return "".join(ch for i, ch in enumerate(text) if i not in drop)


# --- numbers split by spaces ------------------------------------------------------------------

_DIGITS = re.compile(r"^[(\[]?(\d+)[,.;:)\]]?$")
_YEAR = re.compile(r"^(19|20)\d\d$")
_ISBN_PART = re.compile(r"^[\d-]*\d[\d-]*[\dX]?$")
_SPLIT_NUMBER = re.compile(r"[\d-] [(\[]?[\d-]")
_LEADER_END = re.compile(r"(?:\.\s?){3,}\s*((?:\d ){1,3}\d)\s*$")


def _isbn_valid(digits: str) -> bool:
    if len(digits) == 13 and digits.isdigit():
        total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
        return (10 - total % 10) % 10 == int(digits[12])
    if len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X"):
        total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
        check = 10 if digits[9] == "X" else int(digits[9])
        return (total + check) % 11 == 0
    return False


def _number_joins(tokens: list[_Token]) -> set[int]:
    """Spaces inside numbers: split years (``20 20``) and ISBNs (``979-10 -373-0 20 1-4``)."""
    drop: set[int] = set()
    n = len(tokens)
    numeric = [_DIGITS.match(t.text) for t in tokens]
    adjacent = [tokens[k].end + 1 == tokens[k + 1].start for k in range(n - 1)]
    i = 0
    while i < n - 1:
        step = 1
        for j in (i + 2, i + 3):  # the run is tokens[i:j]
            if j > n or not all(numeric[i:j]) or not all(adjacent[i : j - 1]):
                continue
            if (i > 0 and numeric[i - 1]) or (j < n and numeric[j]):
                continue  # a run of numbers is a table row, not a split year
            inner = [tokens[k].text for k in range(i + 1, j - 1)]
            if not (
                tokens[i].text[-1].isdigit()
                and tokens[j - 1].text[0].isdigit()
                and all(map(str.isdigit, inner))
            ):
                continue
            first, last = numeric[i], numeric[j - 1]
            assert first and last
            if _YEAR.match(first.group(1) + "".join(inner) + last.group(1)):
                drop.update(tokens[k].end for k in range(i, j - 1))
                step = j - i
                break
        i += step
    # ISBNs: runs of digits and hyphens that the check digit confirms once joined
    parts = [bool(_ISBN_PART.match(t.text)) for t in tokens]
    i = 0
    while i < n - 1:
        step = 1
        for j in range(min(n, i + 6), i + 1, -1):
            if not all(parts[i:j]) or not all(adjacent[i : j - 1]):
                continue
            joined = "".join(t.text for t in tokens[i:j])
            if "-" in joined and _isbn_valid(joined.replace("-", "")):
                drop.update(t.end for t in tokens[i : j - 1])
                step = j - i
                break
        i += step
    return drop


# --- hyphens ------------------------------------------------------------------------------------

_COMPOUND_BONUS = 1.5  # log10 odds for a hyphenated compound over two unrelated words


def hyphen_join(left: str, right: str, vocab: Vocabulary) -> str:
    """How ``left-`` at a line end and ``right`` on the next line go together: with or without the hyphen.

    The hyphen stays when it belongs to the word: a one-letter or numeric prefix
    (``n-dimensional``), a capitalised second part (``Franco-German``), a compound
    the document writes hyphenated elsewhere, or two words more likely together
    as a compound than as one word (``military-technical``, ``self-control``).
    """
    if len(left) <= 1 or not left.isalpha() or not right[:1].isalpha() or right[:1].isupper():
        return left + "-" + right
    lo_left, lo_right = left.lower(), right.lower()
    joined = lo_left + lo_right
    with_hyphen = vocab.hyphenated.get(lo_left + "-" + lo_right, 0)
    without = vocab.counts.get(joined, 0)
    if with_hyphen != without:
        return left + "-" + right if with_hyphen > without else left + right
    as_word = vocab.logf(joined)
    as_compound = vocab.logf(lo_left) + vocab.logf(lo_right) + _COMPOUND_BONUS
    return left + right if as_word >= as_compound else left + "-" + right


_MIDLINE_HYPHEN = re.compile(r"(?<![^\W\d_])([^\W\d_]+)- ([^\W\d_]+)")


def _repair_midline_hyphens(text: str, vocab: Vocabulary) -> str:
    """``inter- governmental`` -> ``inter-governmental``; ``pre- and post-war`` stays."""

    def fix(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        if right.lower() in vocab.function_words:
            return match.group()
        joined = vocab.joined_logf((left + right).lower())
        # rarer than zipf 3 and not used elsewhere in the document
        fragment = vocab.logf(left.lower()) < -6 and vocab.counts.get(left.lower(), 0) <= 1
        if joined is not None and fragment:
            return left + right  # ``discrimi- nation``
        return left + "-" + right

    return _MIDLINE_HYPHEN.sub(fix, text)


# --- one line ----------------------------------------------------------------------------------


def repair_text(text: str, vocab: Vocabulary | None = None) -> str:
    """Repair one line: characters, hyphens, spacing inside words and numbers.

    ``vocab`` is the document's ``Vocabulary``; without one the line is its own
    (weak) evidence and is assumed to come from a clean text.
    """
    return _repair_line(text, vocab).rstrip("\u00ad")


def _repair_line(text: str, vocab: Vocabulary | None, fixed: bool = False) -> str:
    """``repair_text``, keeping a soft hyphen at the end for joining the next line.

    ``fixed``: the characters are already repaired (``fix_characters``).
    """
    if vocab is None:
        after, before = accent_votes(text)
        # one line is no evidence that the text is broken: assume a clean one
        vocab = Vocabulary(
            [fix_characters(text, after > before)], accents_follow=after > before, prior_spaces=30000
        )
    if not fixed:
        text = fix_characters(text, vocab.accents_follow)
    tab = "\t" in text
    if tab:
        text = text.replace("\t", " \t ")  # a tab is never joined across
    if "- " in text:
        text = _repair_midline_hyphens(text, vocab)
    text = _repair_spacing(text, vocab)
    leader = _LEADER_END.search(text) if ". ." in text or "..." in text else None
    if leader:  # ``CONCLUSION ........ 1 0``: a page number split by the extractor
        text = text[: leader.start(1)] + leader.group(1).replace(" ", "") + text[leader.end(1) :]
    if tab:
        text = _AROUND_TAB.sub("\t", text)
    if "  " in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


_AROUND_TAB = re.compile(r" *\t *")
_SPACES = re.compile(r" {2,}")


# --- page furniture -------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?(?:page\s+|p\.\s*)?(\d{1,4}|[ivxlc]{1,7})(?:\s*[-–—])?(?:\s*(?:/|of|sur|de)\s*\d+)?$",
    re.I,
)
_EDGE_ROWS = 2  # rows at the top and at the bottom of a page where furniture lives


def _rows(page: Page) -> list[list[int]]:
    """Line indexes grouped into rows from top to bottom (lines in order for text input)."""
    lines = page.lines
    if not lines or lines[0].top is None:
        return [[i] for i in range(len(lines))]
    order = sorted(range(len(lines)), key=lambda i: lines[i].top or 0.0)
    rows: list[list[int]] = []
    for i in order:
        if rows and abs((lines[i].top or 0.0) - (lines[rows[-1][0]].top or 0.0)) < 3:
            rows[-1].append(i)
        else:
            rows.append([i])
    return rows


def _edge_lines(page: Page) -> dict[int, str]:
    """Index -> zone (``top``/``bottom``) of the lines in the first and last rows of a page.

    With positions, a line is in the top zone only in the top fifth of the page and in
    the bottom zone only in its bottom quarter (a short page's rows are all first or last).
    """
    rows = _rows(page)
    edge = rows[:_EDGE_ROWS] + rows[-_EDGE_ROWS:]
    out: dict[int, str] = {}
    height = page.height
    for rank, row in enumerate(edge):
        for i in row:
            top = page.lines[i].top
            if height and top is not None:
                zone = "top" if top < height * 0.2 else "bottom" if top > height * 0.75 else None
            else:
                zone = "top" if rank < _EDGE_ROWS else "bottom"
            if zone and i not in out:
                out[i] = zone
    return out


def _furniture_key(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip().lower())
    text = re.sub(r"^[ivxlc]+\b|\b[ivxlc]+$", "#", text)
    return re.sub(r"\d+", "#", text)


def _is_page_number(text: str, page: Page) -> bool:
    compact = re.sub(r"\s+", "", text) if len(text) <= 12 else text.strip()
    match = _PAGE_NUMBER.match(compact)
    if not match:
        return False
    if page.label is None:
        return True
    return match.group(1).lower() in (page.label.lower(), str(page.number))


def find_furniture(pages: Sequence[Page]) -> set[tuple[int, int]]:
    """(page index, line index) of running headers and footers and page-number lines.

    A header or footer is an edge line whose text, with numbers blanked out, comes back
    at the same edge on several pages (odd and even pages may carry different ones),
    at the same height and in the same size: the cover's title, bigger and lower than
    the running header that repeats it, stays.
    """
    edges = [_edge_lines(page) for page in pages]
    seen: dict[tuple[str, str], list[Line]] = {}
    for page, edge in zip(pages, edges, strict=True):
        for i, zone in edge.items():
            key = _furniture_key(page.lines[i].text)
            if key and key != "#":
                seen.setdefault((zone, key), []).append(page.lines[i])
    need = 3 if len(pages) >= 6 else 2
    repeated = {key: lines for key, lines in seen.items() if len(lines) >= need and not _numbered_run(lines)}
    usual = {key: _usual_place(lines) for key, lines in repeated.items()}
    out: set[tuple[int, int]] = set()
    for p, (page, edge) in enumerate(zip(pages, edges, strict=True)):
        for i, zone in edge.items():
            line = page.lines[i]
            key = (zone, _furniture_key(line.text))
            if (key in usual and _in_place(line, usual[key], page)) or _is_page_number(line.text, page):
                out.add((p, i))
    return out


_SECTION_NUMBER = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})+)\.?\s")


def _numbered_run(lines: list[Line]) -> bool:
    """Headings, not a running header: "5.4 Rationale", "6.4 Rationale", "10.4 Rationale" at the
    top of pages, each its own number (a header showing its section, "2.1 Go", repeats one)."""
    numbers = [_SECTION_NUMBER.match(line.text) for line in lines]
    return all(numbers) and len({m.group(1) for m in numbers if m}) == len(numbers)


def _usual_place(lines: list[Line]) -> tuple[float, float] | None:
    """Median top and size of a repeated line (None for text input)."""
    tops = sorted(line.top for line in lines if line.top is not None)
    sizes = sorted(line.size for line in lines if line.size)
    if not tops or not sizes:
        return None
    return tops[len(tops) // 2], sizes[len(sizes) // 2]


def _in_place(line: Line, place: tuple[float, float] | None, page: Page) -> bool:
    if place is None or line.top is None or not line.size:
        return True
    top, size = place
    return (
        abs(line.top - top) <= max(12.0, (page.height or 800.0) * 0.02)
        and abs(line.size - size) <= size * 0.15
    )


# --- footnotes --------------------------------------------------------------------------------------

# a note's own number: ``12 Text``, ``12. Text``, ``1University``, ``* Text``, or the number alone on its line
_NOTE_START = re.compile(
    r"^\s*(?:(\d{1,3})(?:[.)]\s*|\s+|(?=[A-Z“\"‘(]))|([*†‡§]+)\s*)(?=\S)|^\s*(\d{1,3}|[*†‡§]+)\s*$"
)
_TEXT_MARKER = re.compile(r"(?:(?<=[^\W\d_]{2})|(?<=[.,;:!?)\]\"'’”]))(\d{1,3})(?=[\s,.;:]|$)")
_UNICODE_MARKER = re.compile(r"(?<=[^\s\d⁰¹²³⁴⁵⁶⁷⁸⁹])[⁰¹²³⁴⁵⁶⁷⁸⁹]+")  # ``clause.’²¹``
_DIGIT = re.compile(r"\d")  # a line without one has no marker: most lines, found at once
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_MARKER_SYMBOLS = set("*†‡§")


_Note = tuple[str, list[int]]  # the marker ("" for the rest of a note from the page before), line indexes


def _body_size(pages: Sequence[Page]) -> float | None:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            if line.size:
                sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else None


def _superscript_markers(line: Line) -> list[tuple[int, int, str]]:
    """Superscript spans that read as note markers: digits or note symbols after a word."""
    out: list[tuple[int, int, str]] = []
    if not line.text.isascii():
        out += [
            (m.start(), m.end(), m.group().translate(_SUPERSCRIPT_DIGITS))
            for m in _UNICODE_MARKER.finditer(line.text)
        ]
    if not line.superscripts:
        return out
    for start, end in line.superscripts:
        mark = line.text[start:end].strip()
        if not mark or not (mark.isdigit() or set(mark) <= _MARKER_SYMBOLS):
            continue
        before = line.text[:start].rstrip()
        if start == 0 or not before or before[-1].isdigit():
            continue  # at a line start it is a note's own number; after a digit, an exponent
        word = _TRAIL.search(before)
        if word and len(word.group()) == 1 and before == line.text[:start]:
            continue  # ``x2``: a variable squared
        out.append((start, end, mark))
    return out


def _note_start(line: Line) -> str | None:
    """The marker a footnote line starts with, if it starts one."""
    if line.superscripts and line.superscripts[0][0] == 0:
        mark = line.text[: line.superscripts[0][1]].strip()
        if mark.isdigit() or (mark and set(mark) <= _MARKER_SYMBOLS):
            return mark
    match = _NOTE_START.match(line.text.translate(_SUPERSCRIPT_DIGITS))
    if not match:
        return None
    return match.group(1) or match.group(2) or match.group(3)


def _find_notes(page: Page, skip: set[int], body_size: float | None, last_number: int) -> list[_Note]:
    lines = page.lines
    body = [i for i in range(len(lines)) if i not in skip]
    if page.lines and page.lines[0].top is not None and body_size:
        markers = {m for i in body for *_, m in _superscript_markers(lines[i])}
        foot = _foot_lines(page, body, body_size)
        return _group_notes(page, foot, markers, last_number)
    markers = {mark for i in body for *_, mark in _text_markers(lines[i].text)}
    return _text_notes(page, body, markers)


def _text_markers(text: str) -> list[tuple[int, int, str]]:
    """Note markers in a line of plain text: digits glued after a word or punctuation."""
    found = _TEXT_MARKER.finditer(text) if _DIGIT.search(text) else ()
    out = [(m.start(1), m.end(1), m.group(1)) for m in found]
    if not text.isascii():
        out += [
            (m.start(), m.end(), m.group().translate(_SUPERSCRIPT_DIGITS))
            for m in _UNICODE_MARKER.finditer(text)
        ]
    return out


def _foot_lines(page: Page, body: list[int], body_size: float) -> list[int]:
    """Small print in the lower half of the page with no running-text line below it in its column."""
    lines = page.lines
    half = (page.height or 0.0) / 2
    limit = body_size * 0.92
    small = [i for i in body if (lines[i].size or body_size) < limit and (lines[i].top or 0.0) > half]
    if not small:
        return []
    big = sorted(
        (lines[i] for i in body if (lines[i].size or 0) >= limit and len(lines[i].text.strip()) > 3),
        key=lambda b: -(b.top or 0.0),
    )
    out = []
    for i in small:
        line = lines[i]
        top, x0, x1 = line.top or 0.0, line.x0 or 0.0, line.x1 or 0.0
        below = False
        for b in big:  # from the bottom of the page up, only as far as this line
            if (b.top or 0.0) <= top + 1:
                break
            if (b.x0 or 0.0) < x1 and (b.x1 or 0.0) > x0:
                below = True
                break
        if not below:
            out.append(i)
    return _reading_order(lines, out)


def _reading_order(lines: Sequence[Line], indexes: list[int]) -> list[int]:
    """Lines by column (lines overlapping horizontally share one), then from top to bottom."""
    columns: list[list[float]] = []  # [x0, x1] of each column, merged as lines overlap
    for i in sorted(indexes, key=lambda i: lines[i].x0 or 0.0):
        x0, x1 = lines[i].x0 or 0.0, lines[i].x1 or 0.0
        if columns and x0 < columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    starts = [c[0] for c in columns]

    def column(i: int) -> int:
        return max(k for k, start in enumerate(starts) if start <= (lines[i].x0 or 0.0))

    return sorted(indexes, key=lambda i: (column(i), lines[i].top or 0.0, lines[i].x0 or 0.0))


def _group_notes(page: Page, foot: list[int], markers: set[str], last_number: int) -> list[_Note]:
    """Footnotes among the foot lines: each starts with a marker found in the page's running text."""
    notes: list[_Note] = []
    for i in foot:
        mark = _note_start(page.lines[i])
        if mark is not None and mark in markers:
            notes.append((mark, [i]))
        elif notes:
            notes[-1][1].append(i)
        elif last_number:
            notes.append(("", [i]))  # the rest of a note that began on the previous page
    return [n for n in notes if _reads_as_note(page, n)]


def _reads_as_note(page: Page, note: _Note) -> bool:
    """Words rather than a table row or the pieces of a formula in small print."""
    tokens = " ".join(page.lines[i].text for i in note[1]).split()[1 if note[0] else 0 :]
    numeric = sum(1 for t in tokens if not any(ch.isalpha() for ch in t))
    return any(len(w) >= 3 for w in _LETTERS.findall(" ".join(tokens))) and numeric * 2 < len(tokens)


def _text_notes(page: Page, body: list[int], markers: set[str]) -> list[_Note]:
    """Notes at the foot of a text page: lines from the bottom that start with a marker of the page."""
    notes: list[_Note] = []
    pending: list[int] = []
    for i in reversed(body):
        mark = _note_start(page.lines[i])
        if mark is not None and mark in markers:
            notes.insert(0, (mark, [i, *pending]))
            pending = []
        else:
            pending.insert(0, i)
            if len(pending) > 4:
                break
    return notes


def _strip_note_start(text: str, mark: str) -> str:
    if not mark:
        return text
    text = text.lstrip()
    head = text[: len(mark)].translate(_SUPERSCRIPT_DIGITS)
    if head == mark:
        text = text[len(mark) :]
        text = re.sub(r"^[.)]?\s*", "", text)
    return text


# --- hyphenation across lines ------------------------------------------------------------------------

# a word alone (after an elision like ``l’`` too), not the end of a compound or an address
_LINE_END_HYPHEN = re.compile(r"(?<![\w./-])([^\W\d_]+)[-\u00ad]$")
_NEXT_WORD = re.compile(r"^([^\W\d_]+|\d+)(\S*)\s*")


# a line that ends inside a token: an unspaced dash ("737–" / "9", "crisis—" / "we"), an
# e-mail address's "@" ("9-FAA-SACO@" / "faa.gov") or a web address's scheme ("https://" /
# "www.who.int")
_TOKEN_GOES_ON = re.compile(r"\w(?:[\u2013\u2014@]|(://))$")
_FIRST_TOKEN = re.compile(r"^(\w\S*)\s*")


def _token_rest(line: str, following: str) -> re.Match[str] | None:
    """The start of ``following`` that finishes the token ``line`` ends inside, if it does."""
    end = _TOKEN_GOES_ON.search(line)
    rest = _FIRST_TOKEN.match(following) if end else None
    if end and rest and end.group(1) and rest.group(1)[0].isupper():
        return None  # "http://" / "The expressiveness of Go": the address itself was lost
    return rest


def _join_hyphenated(texts: list[str], vocab: Vocabulary, can_join: Sequence[bool]) -> list[str]:
    """Move the rest of a word hyphenated at a line end up onto the line where it starts.

    ``can_join[k]`` says whether line k+1 continues line k (same flow of text). A
    line-end hyphen inside a compound or a web address (``state-of-the-`` / ``art``,
    ``drive-the-digital-`` / ``economy``) stays; a soft hyphen always goes. A token broken
    after an unspaced dash, ``://`` or ``@`` is put back together too.
    """
    out = list(texts)
    for k in range(len(out) - 1):
        line = out[k]
        if can_join[k] and (rest := _token_rest(line, out[k + 1])):
            out[k] = line + rest.group(1)
            out[k + 1] = out[k + 1][rest.end() :]
            continue
        if not can_join[k] or not line.endswith(("-", "\u00ad")) or len(line) < 2 or not line[-2].isalnum():
            continue
        nxt = _NEXT_WORD.match(out[k + 1])
        if not nxt:
            continue
        right, tail = nxt.group(1), nxt.group(2)
        match = _LINE_END_HYPHEN.search(line)
        if right.lower() in vocab.function_words and not (
            match and vocab.logf((match.group(1) + right).lower()) >= _KNOWN
        ):
            continue  # ``pre-`` / ``and post-war``, but ``prohib-`` / ``its`` is one word
        if line.endswith("\u00ad"):
            head, word = line[:-1], right
        elif match and right.isalpha():
            head, word = line[: match.start()], hyphen_join(match.group(1), right, vocab)
        else:
            head, word = line, right
        out[k] = head + word + tail
        out[k + 1] = out[k + 1][nxt.end() :]
    return [text.rstrip("\u00ad") for text in out]


# --- paragraphs ----------------------------------------------------------------------------------------

_LEADER = re.compile(r"(?:\.\s?){4,}|…{2,}|_{4,}|(?:·\s?){4,}")


def has_leader(text: str) -> bool:
    """Whether a line has a dotted leader, as contents lines do (``Introduction ...... 5``)."""
    if not ("..." in text or ". ." in text or "…" in text or "__" in text or "·" in text):
        return False
    return _LEADER.search(text) is not None


def _ends_sentence(text: str) -> bool:
    return text.rstrip().rstrip("\"'’”»)]")[-1:] in (".", "!", "?", ":", ";")


class Paragraph(NamedTuple):
    page: int  # the physical page where the paragraph starts
    text: str
    heading: bool = False


@dataclass(frozen=True)
class _Layout:
    """What a normal line of running text looks like in this document."""

    size: float | None  # body font size
    gap: float  # usual space between two lines of a paragraph
    width: int  # usual length in characters of a full line (text input)
    span: float | None  # usual width in points of a full line of running text


def _layout(lines: Sequence[Line]) -> _Layout:
    sizes: Counter[float] = Counter()
    gaps: list[float] = []
    lengths = sorted(len(line.text) for line in lines if len(line.text) > 20)
    for a, b in zip(lines, lines[1:], strict=False):
        if a.size:
            sizes[a.size] += len(a.text)
        if a.bottom is not None and b.top is not None and a.size == b.size and b.top > a.top:  # type: ignore[operator]
            gaps.append(b.top - a.bottom)
    size = sizes.most_common(1)[0][0] if sizes else None
    spans = sorted(
        line.x1 - line.x0
        for line in lines
        if line.size == size and line.x0 is not None and line.x1 is not None
    )
    return _Layout(
        size,
        sorted(gaps)[len(gaps) // 2] if gaps else 0.0,
        lengths[int(len(lengths) * 0.9)] if lengths else 80,
        spans[int(len(spans) * 0.9)] if spans else None,
    )


def is_heading(line: Line, layout: _Layout) -> bool:
    text = line.text.strip()
    if not text or len(text) > 150 or has_leader(text):
        return False
    if layout.size and line.size:
        if line.size >= layout.size * 1.15:
            return True
        if line.bold and len(text) < 120 and not _ends_sentence(text):
            return True
    # a short line in capitals (``INTRODUCTION``), not an acronym or a number
    return len(text) <= 90 and text.isupper() and sum(map(str.isalpha, text)) >= 3


def _starts_paragraph(a: Line, b: Line, layout: _Layout, right: float | None) -> bool:
    """Whether line ``b`` starts a new paragraph after line ``a``."""
    if has_leader(a.text):
        return True  # a contents line ends with its page number; the next starts another entry
    # a sentence running on: "... (Voorhees, 1999). It" then "not only reduces ..." on the next line
    runs_on = b.text[:1].islower() and not _ends_sentence(a.text)
    if a.top is None or b.top is None or a.bottom is None:
        if b.after_blank:
            return True  # a blank line in a text input
        if len(a.text) < layout.width * 0.75:
            return not runs_on
        # a short line without a full stop after a sentence: a heading (``The author``)
        return (
            len(b.text) < layout.width * 0.6
            and _ends_sentence(a.text)
            and not (_ends_sentence(b.text) or b.text[:1].islower())
        )
    size = a.size or layout.size or 10.0
    if b.top > a.top:  # same column, further down
        if b.top - a.bottom > layout.gap + size * 0.5:
            return True
        if b.x0 is not None and a.x0 is not None and size * 0.8 < b.x0 - a.x0 < size * 6:
            return True  # first-line indent
    if right is not None and a.x1 is not None and a.x1 < right - size * 2.5 and _ends_sentence(a.text):
        return True
    # a line far shorter than running text is an item of its own (contents, lists, addresses)
    short = layout.span and a.x0 is not None and a.x1 is not None and a.x1 - a.x0 < layout.span * 0.5
    return bool(short) and not runs_on


def _column_rights(lines: Sequence[Line]) -> list[float | None]:
    """For each line, the right edge of the text column it starts in (lines starting near its left)."""
    edges: dict[int, float] = {}
    for line in lines:
        if line.x0 is not None and line.x1 is not None:
            key = round(line.x0)
            edges[key] = max(edges.get(key, line.x1), line.x1)
    known: dict[tuple[int, float], float | None] = {}
    out: list[float | None] = []
    for line in lines:
        if line.x0 is None:
            out.append(None)
            continue
        key = (round(line.x0), line.size or 10.0)
        if key not in known:
            reach = key[1] * 2
            known[key] = max((x1 for x0, x1 in edges.items() if abs(x0 - line.x0) < reach), default=None)
        out.append(known[key])
    return out


def _paragraph_spans(
    lines: Sequence[Line], layout: _Layout, rights: list[float | None]
) -> list[tuple[int, int, bool]]:
    """(start, end, heading) index ranges of the paragraphs of a page's lines."""
    spans: list[tuple[int, int, bool]] = []
    headings = [is_heading(line, layout) for line in lines]
    start = 0
    for k in range(1, len(lines) + 1):
        if k < len(lines):
            a, b = lines[k - 1], lines[k]
            if headings[k - 1] and headings[k]:
                new = (a.size, a.bold) != (b.size, b.bold) or _starts_paragraph(a, b, layout, None)
            elif headings[k - 1] != headings[k]:
                new = True
            else:
                new = _starts_paragraph(a, b, layout, rights[k - 1])
            if not new:
                continue
        spans.append((start, k, headings[start]))
        start = k
    return spans


def _join_lines(texts: Iterable[str]) -> str:
    return " ".join(" ".join(texts).split())


def paragraphs(lines: Sequence[Line]) -> list[str]:
    """Lines reflowed into paragraphs; headings and contents lines stay paragraphs of their own."""
    spans = _paragraph_spans(lines, _layout(lines), _column_rights(lines))
    return [_join_lines(line.text for line in lines[a:b]) for a, b, _ in spans]


def page_paragraphs(pages: Sequence[Page | Sequence[Line]]) -> list[Paragraph]:
    """The paragraphs of (clean) pages, with their page; one that runs on over a page break is joined.

    ``pages`` may also be plain lists of lines, one per page (numbered from 1 then).
    """
    pages = [p if isinstance(p, Page) else Page(n, None, tuple(p)) for n, p in enumerate(pages, start=1)]
    layout = _layout([line for page in pages for line in page.lines])
    out: list[Paragraph] = []
    last: tuple[Line, float | None] | None = None  # the previous page's last line and its column edge
    for page in pages:
        rights = _column_rights(page.lines)
        spans = _paragraph_spans(page.lines, layout, rights)
        for n, (a, b, heading) in enumerate(spans):
            text = _join_lines(line.text for line in page.lines[a:b])
            if not text:
                continue
            prev = out[-1] if out else None
            runs_on = (
                n == 0
                and prev is not None
                and last is not None
                and not prev.heading
                and not heading
                and not _ends_sentence(prev.text)
                # a blank line at the top of a page parted the running header from the text
                and not _starts_paragraph(last[0], replace(page.lines[a], after_blank=False), layout, last[1])
            )
            if runs_on and prev is not None:
                out[-1] = prev._replace(text=prev.text + " " + text)
            else:
                out.append(Paragraph(page.number, text, heading))
        if page.lines:
            last = (page.lines[-1], rights[-1])
    return out


def document_paragraphs(pages: Sequence[Page | Sequence[Line]]) -> list[str]:
    """The text of ``page_paragraphs``: one string per paragraph."""
    return [p.text for p in page_paragraphs(pages)]


# --- the pipeline stage ----------------------------------------------------------------------------------


def _remove_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + text[end:]
    return text


def clean_document(doc: Document) -> Document:
    """Fill ``clean_pages`` (furniture and footnotes removed, text repaired) and ``footnotes``."""
    pages = doc.pages
    furniture: dict[int, set[int]] = {}
    for p, i in find_furniture(pages):
        furniture.setdefault(p, set()).add(i)
    notes = _all_notes(pages, furniture, _body_size(pages) if doc.kind == "pdf" else None)

    # the running text without furniture, notes and note markers, characters repaired
    accents_follow = _accents_follow(pages)
    bodies: list[list[tuple[int, str]]] = []
    marked: list[dict[str, int]] = []  # for each page, the line where each note's marker stands
    for p, page in enumerate(pages):
        skip = furniture.get(p, set()) | {i for _, idx in notes[p] for i in idx}
        marks = {m for m, _ in notes[p] if m}
        body, where = [], {}
        for i, line in enumerate(page.lines):
            if i not in skip:
                text, found = _remove_markers(line, marks, doc.kind == "pdf")
                for mark in found:
                    where.setdefault(mark, i)
                body.append((i, fix_characters(text, accents_follow)))
        bodies.append(body)
        marked.append(where)
    note_texts = [
        [(mark, [fix_characters(pages[p].lines[i].text, accents_follow) for i in idx]) for mark, idx in pn]
        for p, pn in enumerate(notes)
    ]
    all_texts = [t for body in bodies for _, t in body] + [t for ns in note_texts for _, ts in ns for t in ts]
    vocab = Vocabulary(all_texts, doc.metadata.language, accents_follow)

    # repair line by line, then join words hyphenated over line (and page) ends
    # (flat lists rather than one record a line: a long text file has millions of lines)
    flow = [_repair_line(t, vocab, fixed=True) for body in bodies for _, t in body]
    flow_lines = [pages[p].lines[i] for p, body in enumerate(bodies) for i, _ in body]
    can_join = [_continues(a, b) for a, b in zip(flow_lines, flow_lines[1:], strict=False)]
    del flow_lines
    joined = iter(_join_hyphenated(flow, vocab, can_join))
    del flow, can_join
    clean_pages = []
    for p, (page, body) in enumerate(zip(pages, bodies, strict=True)):
        new_text = {i: next(joined) for i, _ in body}
        lines = [_with_text(line, new_text.get(i, "")) for i, line in enumerate(page.lines)]
        # a marker's line, counted among the lines that stay (or the next one, if its own went)
        kept_before = [0, *accumulate(1 if line.text else 0 for line in lines)]
        marked[p] = {mark: kept_before[i] for mark, i in marked[p].items()}
        clean_pages.append(replace(page, lines=tuple(line for line in lines if line.text)))
    footnotes = _footnotes(pages, note_texts, vocab, marked)
    return replace(doc, clean_pages=tuple(clean_pages), footnotes=footnotes)


def _with_text(line: Line, text: str) -> Line:
    if line.text == text and not line.superscripts:
        return line
    return replace(line, text=text, superscripts=())  # the offsets would be wrong in the new text


def _accents_follow(pages: Sequence[Page]) -> bool:
    """Whether this document's separated accents follow their letter (see ``accent_votes``)."""
    after = before = 0
    texts = [line.text for page in pages for line in page.lines]
    if any(_ACCENT_CHARS.search(chunk) for chunk in _chunks(texts)):
        for text in texts:
            if _ACCENT_CHARS.search(text):
                a, b = accent_votes(text)
                after, before = after + a, before + b
    return after > before


def _all_notes(
    pages: Sequence[Page], furniture: dict[int, set[int]], body_size: float | None
) -> list[list[_Note]]:
    """The footnotes of every page, found on the raw lines (superscript offsets refer to them)."""
    out: list[list[_Note]] = []
    last = 0
    for p, page in enumerate(pages):
        found = _find_notes(page, furniture.get(p, set()), body_size, last)
        if found and not found[0][0]:
            # small print at the foot before any marker continues the last note only if that one was cut off
            previous = out[-1][-1] if out and out[-1] else None
            if previous is None or _ends_sentence(pages[p - 1].lines[previous[1][-1]].text):
                found.pop(0)
        numbers = [int(m) for m, _ in found if m.isdigit()]
        last = numbers[-1] if numbers else last
        out.append(found)
    return out


def _footnotes(
    pages: Sequence[Page],
    note_texts: list[list[tuple[str, list[str]]]],
    vocab: Vocabulary,
    marked: list[dict[str, int]],
) -> tuple[Footnote, ...]:
    footnotes: list[Footnote] = []
    for p, notes in enumerate(note_texts):
        for mark, texts in notes:
            texts = [_repair_line(t, vocab, fixed=True) for t in texts]
            texts[0] = _strip_note_start(texts[0], mark)
            text = _join_lines(_join_hyphenated(texts, vocab, [True] * len(texts)))
            if not mark and footnotes:
                footnotes[-1] = replace(footnotes[-1], text=footnotes[-1].text + " " + text)
            elif text:
                footnotes.append(Footnote(mark or "?", text, pages[p].number, marked[p].get(mark)))
    return tuple(footnotes)


def _continues(a: Line, b: Line) -> bool:
    """Whether line ``b`` can carry the end of a word hyphenated at the end of line ``a``."""
    if a.size and b.size and abs(a.size - b.size) > a.size * 0.1:
        return False
    return not (b.bold and not a.bold)


def _remove_markers(line: Line, note_marks: set[str], pdf: bool) -> tuple[str, list[str]]:
    """The line without its note markers, and the markers of this page's notes it had."""
    text = line.text
    if pdf:
        found = [
            (start, end, mark)
            for start, end, mark in _superscript_markers(line)
            if mark in note_marks or text[:start].rstrip()[-1:] in ".,;:!?)]\"'’”"
        ]
    else:
        found = [(start, end, mark) for start, end, mark in _text_markers(text) if mark in note_marks]
    if not found:
        return text, []
    text = _remove_spans(text, [(start, end) for start, end, _ in found])
    return text, [mark for _, _, mark in found if mark in note_marks]
