"""Make text safe to read before any tokenising, and keep the way back to the original.

:func:`normalise` composes each character with its accents (NFC: French typed as
decomposed Unicode, "e" + combining accent, reads as "é"), folds compatibility forms that
only change how a letter looks (full-width letters, ligatures such as "ﬁ", non-breaking and
other odd spaces, curly apostrophes) and drops what hides words: zero-width characters,
soft hyphens, other format characters and control characters (line breaks and tabs stay).
A lone surrogate is not text at all: :class:`~symptomatic.TextInputError`.

It returns the clean text and, for every character of it, the span of the original text it
came from, so that the spans the parser reports index the text the person wrote.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

from symptomatic._errors import TextInputError

__all__ = ["Normalised", "normalise"]

#: Characters dropped outright: zero-width space, non-joiner and joiner, word joiner,
#: byte-order mark, soft hyphen, invisible separators.
_DROP = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u2061\u2062\u2063\u2064\u180e")
#: Spaces of every width become a plain space.
_SPACES = frozenset(
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u202f\u205f\u3000"
)
_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u00b4": "'"}
_DASHES = {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"}
_ASCII_TROUBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f`]")


class Normalised(NamedTuple):
    """The clean text, and for each of its characters the original (start, end)."""

    text: str
    starts: Sequence[int]
    ends: Sequence[int]
    original: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the clean text's ``[start, end)``."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def _fold(cluster: str) -> str:
    """NFC, plus NFKC for compatibility letters and digits that only change the look."""
    out = unicodedata.normalize("NFC", cluster)
    if all(ord(c) < 0x80 for c in out):
        return out
    first = out[0]
    if "\uff01" <= first <= "\uff5e" or "\ufb00" <= first <= "\ufb06":
        return unicodedata.normalize("NFKC", out)  # full-width forms, Latin ligatures
    return out


def normalise(text: str) -> Normalised:
    """The clean form of ``text`` and the map back (see the module docstring)."""
    n = len(text)
    if text.isascii() and not _ASCII_TROUBLE.search(text):
        return Normalised(text, range(n), range(1, n + 1), text)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < n:
        ch = text[i]
        if "\ud800" <= ch <= "\udfff":
            raise TextInputError(
                "text", "must be valid Unicode text (it has a lone surrogate)", f"U+{ord(ch):04X}"
            )
        cat = unicodedata.category(ch)
        if ch in _DROP or cat == "Cf" or (cat == "Cc" and ch not in "\n\r\t"):
            i += 1
            continue
        j = i + 1  # a base character and the combining marks that follow it
        while j < n and unicodedata.combining(text[j]) and not ("\ud800" <= text[j] <= "\udfff"):
            j += 1
        if ch in _SPACES:
            piece = " "
        elif ch in _APOSTROPHES and j == i + 1:
            piece = _APOSTROPHES[ch]
        elif ch in _DASHES and j == i + 1:
            piece = _DASHES[ch]
        else:
            piece = _fold(text[i:j])
        for c in piece:
            out.append(c)
            starts.append(i)
            ends.append(j)
        i = j
    return Normalised("".join(out), starts, ends, text)
