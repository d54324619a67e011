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
from symptomatic.language._resources import data_dir, load_context
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


@lru_cache(maxsize=1)
def _function_words() -> dict[str, frozenset[str]]:
    """Each language's small words (pronouns, articles...): enough to tell English from
    French in most texts without building either language's word list (the context words
    alone: the rest of the languages' data is not read here)."""
    out: dict[str, frozenset[str]] = {}
    for lang in LANGS:
        ctx = load_context(lang)
        out[lang] = frozenset(
            w for w in map(norm_word, (*ctx.stop_words, *ctx.skip_words)) if len(w) > 1
        )
    return out


def detect_language(text: str) -> str:
    """``"en"`` or ``"fr"``; :class:`TextInputError` for another language.

    First by the languages' small words (and French accents); when they do not settle it
    (a short list of symptoms), by every word each language's data knows.
    """
    ws = words(text)
    small = _function_words()
    accents = 2 if any(c in text.lower() for c in _FRENCH_MARKS) else 0
    scores = {lang: sum(1 for w in ws if w in small[lang]) for lang in LANGS}
    scores["fr"] += accents
    foreign = other_language_words()
    other_words = [w for w in ws if w in foreign]
    if abs(scores["en"] - scores["fr"]) < 2 or len(other_words) >= 2:
        scores = {
            lang: sum(1 for w in ws if w in vocabulary(lang) and len(w) > 1 and not w.isdigit())
            for lang in LANGS
        }
        scores["fr"] += accents
    best = max(LANGS, key=lambda lang: scores[lang])
    if len(other_words) >= 2:
        ours = _ours()
        other = sum(1 for w in other_words if w not in ours)
        if other >= 2 and other >= scores[best]:
            raise TextInputError(
                "lang",
                "symptomatic reads English or French only; write in one of them or pass lang",
                "another language",
                LANGS,
            )
    return "fr" if scores["fr"] > scores["en"] else "en"
