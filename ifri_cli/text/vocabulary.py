"""What a document says about its own words, with the word frequencies of its language.

The frequencies come from ``wordfreq``; the document's own counts say which rare words are
its names and terms, and how broken its spacing is (``Vocabulary.space_bias``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from ifri_cli.model import Page

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
    """The frequent end of wordfreq's list for ``lang`` (empty when wordfreq has none).

    ``import wordfreq`` costs more than all the cleaning of a long report (it loads
    language-tag and text-fixing tables we do not need), so the list is read directly from
    wordfreq's data file when it is where and what we expect (``tests/test_clean.py`` fails
    when a wordfreq release moves or changes it); the public API is the fallback.
    """
    bins = read_data_file(lang)
    if bins is not None:
        return bins
    try:
        import wordfreq

        return list(wordfreq.get_frequency_list(lang, wordlist="best")[:_KEEP_BINS])
    except (ImportError, LookupError, ValueError):
        return []


def read_data_file(lang: str) -> list[list[str]] | None:
    """The first ``_KEEP_BINS`` frequency bins of wordfreq's own file for ``lang`` (the "large" list,
    else the "small" one), or None when there is no such file in the format documented in
    ``wordfreq.read_cBpack``: a gzipped msgpack list of a header and the bins."""
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
                    if unpacker.unpack() != {"format": "cB", "version": 1}:
                        return None
                    return [unpacker.unpack() for _ in range(min(count - 1, _KEEP_BINS))]
            except (ImportError, OSError, ValueError):
                return None
    return None


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


def _case_ok(pieces: Sequence[str]) -> bool:
    """``Am erica``, ``J uly``, ``W EAK``: not ``the Word`` nor ``PDF reader``."""
    if all(p.isupper() for p in pieces):
        return True
    if len(pieces[0]) > 1 and pieces[0].isupper():
        return False
    return all(p.islower() for p in pieces[1:])
