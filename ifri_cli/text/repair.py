"""Repair one line of extracted text: words broken by spaces (``Am erica``), numbers split
(``20 20``), hyphens in the middle of a line (``inter- governmental``) and at its end.

Every join is a bet weighed with the document's ``Vocabulary``; nothing comes from a
hand-typed word list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from ifri_cli.text.chars import accent_votes, fix_characters
from ifri_cli.text.patterns import LEADER, has_leader
from ifri_cli.text.vocabulary import _KNOWN, Vocabulary, _case_ok

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
        drop |= _number_joins(tokens) | _phone_joins(tokens)
    if not drop:
        return text
    return "".join(ch for i, ch in enumerate(text) if i not in drop)


_DIGITS = re.compile(r"^[(\[]?(\d+)[,.;:)\]]?$")


_YEAR = re.compile(r"^(19|20)\d\d$")


_ISBN_PART = re.compile(r"^[\d-]*\d[\d-]*[\dX]?$")


_SPLIT_NUMBER = re.compile(r"[\d-] [(\[]?[\d-]")


_LEADER_END = re.compile(rf"(?:{LEADER})\s*((?:\d ){{1,3}}\d)\s*$")


_PHONE_START = re.compile(r"^\+\d{1,3}$")


_PHONE_PART = re.compile(r"^(?:\(?\d+\)?\d*|\)\d*)[.,;]?$")


def _phone_joins(tokens: list[_Token]) -> set[int]:
    """Spaces inside an international phone number: ``+33 (0 )1 40 61 60 0 0`` is
    ``+33 (0)1 40 61 60 00``. No space stands before a closing bracket, and where the number is
    written in pairs of digits, two lone digits side by side are one pair."""
    drop: set[int] = set()
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if not _PHONE_START.match(tok.text):
            continue
        run = [i]
        while run[-1] + 1 < n and tokens[run[-1]].end + 1 == tokens[run[-1] + 1].start:
            if not _PHONE_PART.match(tokens[run[-1] + 1].text):
                break
            run.append(run[-1] + 1)
        texts = [tokens[k].text.rstrip(".,;") for k in run]
        for k in range(1, len(run) - 1):
            if texts[k].startswith("(") and ")" not in texts[k] and texts[k + 1].startswith(")"):
                drop.add(tokens[run[k]].end)
        groups = [t for t in texts[1:] if t.isdigit()]
        if sum(len(t) == 2 for t in groups) < 2 or any(len(t) > 2 for t in groups):
            continue
        k = 1
        while k < len(run) - 1:
            if (
                len(texts[k]) == 1
                and texts[k].isdigit()
                and len(texts[k + 1]) == 1
                and texts[k + 1].isdigit()
            ):
                drop.add(tokens[run[k]].end)
                k += 2
            else:
                k += 1
    return drop


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
    if "." in text:  # ``Russie.N ei.Visions``: a name made of words joined by dots, broken by a space
        text = _DOTTED_NAME_GAP.sub("", text)
    leader = _LEADER_END.search(text) if ". ." in text or "..." in text or "…" in text else None
    if leader:  # ``CONCLUSION ........ 1 0``: a page number split by the extractor
        text = text[: leader.start(1)] + leader.group(1).replace(" ", "") + text[leader.end(1) :]
    if tab:
        text = _AROUND_TAB.sub("\t", text)
    if "  " in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


_DOTTED_NAME_GAP = re.compile(r"(?<=[^\W\d_]\.[A-Z]) (?=[a-z]+\.[A-Z])")


_AROUND_TAB = re.compile(r" *\t *")


_SPACES = re.compile(r" {2,}")


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
