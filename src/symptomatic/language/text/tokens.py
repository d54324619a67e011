"""Words, clauses and spelling: the tokens every matcher reads.

Words are lower-cased with accents and ligatures removed (:func:`norm_word`): the form
every match uses, so "fièvre", "fievre" and "FIÈVRE" are one word. Clauses end at ``. ; !
?`` and new lines. An unknown word of five letters or more is corrected when exactly one
known word with the same first letter is one edit away ("coughinf" -> "coughing"), using a
deletion index built once per language (:class:`Speller`). Everything here is linear in
the length of the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple

__all__ = [
    "FUZZY_MIN_LEN",
    "Speller",
    "Token",
    "deletion_index",
    "norm_word",
    "speller_words",
    "tokenize",
    "words",
]

FUZZY_MIN_LEN = 5
SUBSTITUTION_MIN_LEN = 7
_WORD = re.compile(r"[^\W_]+")
_HARD_BOUNDARY = re.compile(r"[;!?\n]|\.(?!\d)")


def norm_word(word: str) -> str:
    """Lower case, accents and ligatures removed."""
    word = word.lower().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The normalised words of ``text`` (apostrophes and hyphens split words)."""
    if text.isascii():
        return _WORD.findall(text.lower())
    return [norm_word(m.group()) for m in _WORD.finditer(text)]


class Token(NamedTuple):
    """One word: its normalised (and spelling-corrected) form and where it is (a named
    tuple: a long text makes one per word, and tuples are the cheapest to make)."""

    norm: str
    start: int
    end: int
    clause: int
    comma_before: bool
    position: int  # among all tokens


def speller_words(vocabulary: Iterable[str]) -> dict[str, list[str]]:
    """The words of ``vocabulary`` the speller may correct to, by first letter."""
    by_letter: dict[str, list[str]] = {}
    for w in vocabulary:
        if len(w) >= FUZZY_MIN_LEN and w.isalpha():
            by_letter.setdefault(w[0], []).append(w)
    return by_letter


def deletion_index(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each string one deletion away from one of ``words`` -> those words, sorted."""
    deletions: dict[str, set[str]] = {}
    for w in words:
        for i in range(len(w)):
            deletions.setdefault(w[:i] + w[i + 1 :], set()).add(w)
    return {k: tuple(sorted(v)) for k, v in deletions.items()}


class Speller:
    """Corrects an unknown word to the one known word one edit away, if there is one.

    The deletion index of the words of one first letter is built when first needed, or read
    from ``prebuilt`` (a letter -> its :func:`deletion_index` of :func:`speller_words`: the
    packaged phrase index has them).
    """

    def __init__(
        self,
        vocabulary: Iterable[str],
        prebuilt: Callable[[str], dict[str, tuple[str, ...]]] | None = None,
    ) -> None:
        self.vocab = frozenset(vocabulary)
        self._prebuilt = prebuilt
        self._by_letter: dict[str, list[str]] | None = None
        self._deletions: dict[str, dict[str, tuple[str, ...]]] = {}
        self._seen: dict[str, str] = {}

    def _index(self, letter: str) -> dict[str, tuple[str, ...]]:
        index = self._deletions.get(letter)
        if index is None:
            if self._prebuilt is not None:
                index = self._prebuilt(letter)
            else:
                if self._by_letter is None:
                    self._by_letter = speller_words(self.vocab)
                index = deletion_index(self._by_letter.get(letter, ()))
            self._deletions[letter] = index
        return index

    def correct(self, word: str) -> str:
        """``word``, or the one known word one edit away (remembered per word)."""
        hit = self._seen.get(word)
        if hit is None:
            hit = self._correct(word)
            if len(self._seen) < 50_000:
                self._seen[word] = hit
        return hit

    def _correct(self, word: str) -> str:
        vocab = self.vocab
        if word in vocab or len(word) < FUZZY_MIN_LEN or not word.isalpha():
            return word
        if word.endswith("s") and word[:-1] in vocab:
            return word[:-1]
        index = self._index(word[0])
        found: set[str] = set(index.get(word, ()))
        for i in range(len(word)):
            d = word[:i] + word[i + 1 :]
            found.update(index.get(d, ()))
            if d in vocab and len(d) >= FUZZY_MIN_LEN:
                found.add(d)
        found = {w for w in found if w[0] == word[0] and _one_edit(word, w)}
        if not found:
            return word
        return min(found, key=lambda w: (abs(len(w) - len(word)), w))


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one deletion, insertion, substitution or swap of neighbours
    (the symmetric-deletion index also proposes words two edits away: "sticky"/"sickly")."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        # A changed letter makes another everyday word too easily ("sticky"/"sticks"):
        # only in long words.
        return (len(diff) == 1 and len(a) >= SUBSTITUTION_MIN_LEN) or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


def tokenize(
    text: str, speller: Speller | None = None, split: Mapping[str, Sequence[str]] | None = None
) -> list[Token]:
    """The words of ``text`` with their clause number and whether a comma precedes them.
    A word of ``split`` (the language's ``split_words``: "cannot") is read as its words
    ("can", "t"), each spanning the whole word."""
    split = split or {}
    boundaries = [m.start() for m in _HARD_BOUNDARY.finditer(text)]
    out: list[Token] = []
    seen: dict[str, str] = {}
    clause, b, last_end = 0, 0, 0
    for m in _WORD.finditer(text):
        while b < len(boundaries) and boundaries[b] < m.start():
            if boundaries[b] >= last_end:
                clause += 1
            b += 1
        norm = seen.get(m.group())
        if norm is None:
            norm = norm_word(m.group())
            if speller is not None:
                norm = speller.correct(norm)
            seen[m.group()] = norm
        start, end = m.span()
        comma = text.find(",", last_end, start) >= 0
        parts = split.get(norm)
        if parts:
            for i, part in enumerate(parts):
                out.append(Token(part, start, end, clause, comma and i == 0, len(out)))
        else:
            out.append(Token(norm, start, end, clause, comma, len(out)))
        last_end = end
    return out
