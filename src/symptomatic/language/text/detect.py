"""Which language a text is in: English, French, or another one we do not read.

Counts the words of the text that each language's data knows (a word list, cheap to build:
no tries), with a small bonus for French accents; a text with at least two common words of
a language we do not read (``data/other_languages.json``) and no more of ours is refused
with :class:`~symptomatic.TextInputError`.
"""

from __future__ import annotations

from functools import lru_cache

from symptomatic._errors import TextInputError
from symptomatic._types import LANGS
from symptomatic.knowledge._io import read_json
from symptomatic.language._resources import data_dir
from symptomatic.language.text.match import vocabulary
from symptomatic.language.text.tokens import norm_word, words

__all__ = ["detect_language", "other_language_words"]

_FRENCH_MARKS = "éèêàçùœâîôûë"


@lru_cache(maxsize=1)
def other_language_words() -> frozenset[str]:
    """Common words of languages we do not read (data: other_languages.json)."""
    doc = read_json(data_dir(), "other_languages.json", label="language/other_languages.json")
    return frozenset(norm_word(w) for ws in doc["words"].values() for w in ws)


@lru_cache(maxsize=1)
def _ours() -> frozenset[str]:
    return frozenset().union(*(vocabulary(lang) for lang in LANGS))


def detect_language(text: str) -> str:
    """``"en"`` or ``"fr"``; :class:`TextInputError` for another language."""
    ws = words(text)
    scores = {
        lang: sum(1 for w in ws if w in vocabulary(lang) and len(w) > 1 and not w.isdigit())
        for lang in LANGS
    }
    if any(c in text.lower() for c in _FRENCH_MARKS):
        scores["fr"] += 2
    foreign = other_language_words()
    ours = _ours()
    other = sum(1 for w in ws if w in foreign and w not in ours)
    best = max(LANGS, key=lambda lang: scores[lang])
    if other >= 2 and other >= scores[best]:
        raise TextInputError(
            "lang",
            "symptomatic reads English or French only; write in one of them or pass lang",
            "another language",
            LANGS,
        )
    return "fr" if scores["fr"] > scores["en"] else "en"
