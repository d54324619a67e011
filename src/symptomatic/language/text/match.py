"""Phrase matching: tries of the language data's phrases, scanned longest first.

Tries per language, built once on first use: the main one (lexicon entries, body
locations, radiation cues, triggers, outside terms), the red-flag phrase concepts, the
context cues, the trigger words alone and the question cues. :func:`scan` walks a trie
over the tokens; with ``consume=True`` the matches do not overlap (longest first),
otherwise every match is kept (red-flag phrases never hide a symptom). Scanning is linear
in the number of tokens times the longest phrase.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from symptomatic.language._resources import LanguageData, load_language
from symptomatic.language.text.tokens import Speller, Token, norm_word, words

__all__ = ["Compiled", "Match", "Trie", "compiled", "scan", "vocabulary"]

Trie = dict[str, Any]
_END = "\0"


@dataclass(slots=True)
class Match:
    """A phrase found in the tokens (content-token indices ``first``..``last``)."""

    kind: str  # lex | loc | out | rad | trig | phrase | cue | pseudo | term | or | worry
    items: list[Any]
    first: int
    last: int
    start: int
    end: int
    clause: int
    cats: set[str] = field(default_factory=set)
    relative: str | None = None

    def inside(self, other: Match) -> bool:
        """Strictly inside ``other`` (``other`` is longer and covers it)."""
        return (
            other.first <= self.first
            and self.last <= other.last
            and (other.last - other.first) > (self.last - self.first)
        )


def _add(trie: Trie, words: Sequence[str], item: Any) -> None:
    node = trie
    for w in words:
        node = node.setdefault(w, {})
    node.setdefault(_END, []).append(item)


@dataclass(frozen=True, slots=True)
class Compiled:
    data: LanguageData
    main: Trie
    phrases: Trie
    cues: Trie
    triggers: Trie  # the trigger words alone, read even inside a longer phrase
    questions: Trie  # question cues, every word kept: scanned over all the tokens
    speller: Speller
    skip: frozenset[str]
    stop: frozenset[str]
    split: Mapping[str, tuple[str, ...]]  # a word read as several: "cannot" -> "can", "t"


def _phrase_words(data: LanguageData) -> list[tuple[str, tuple[str, Any]]]:
    """(phrase, (kind, payload)) of every phrase of the main trie."""
    lex = data.lexicon
    out: list[tuple[str, tuple[str, Any]]] = []
    for entry in lex.entries:
        out += [(t, ("lex", entry)) for t in entry.terms]
    for loc in lex.locations:
        out += [(t, ("loc", loc.values)) for t in loc.terms]
    out += [(t, ("rad", None)) for t in lex.radiation_cues]
    for name, terms in lex.triggers.items():
        out += [(t, ("trig", name)) for t in terms]
    out += [(t, ("out", t)) for t in data.outside_terms]
    return out


def _cue_words(data: LanguageData) -> list[tuple[str, tuple[str, Any]]]:
    ctx = data.context
    relative_of = {norm_word(c): name for name, cs in ctx.relatives.items() for c in cs}
    out: list[tuple[str, tuple[str, Any]]] = [
        (r.cue, ("cue", (r.category, r.direction, relative_of.get(norm_word(r.cue)))))
        for r in ctx.rules
    ]
    out += [(t, ("pseudo", None)) for t in ctx.pseudo]
    out += [(t, ("term", None)) for t in ctx.terminate]
    out += [(t, ("or", None)) for t in ctx.or_words]
    out += [(t, ("worry", None)) for t in ctx.worry]
    return out


def _split_words(data: LanguageData) -> dict[str, tuple[str, ...]]:
    """The language's words read as several ("cannot" -> "can", "t"), normalised."""
    return {
        norm_word(k): tuple(norm_word(w) for w in v) for k, v in data.context.split_words.items()
    }


@lru_cache(maxsize=8)
def _keys(lang: str) -> tuple[list[tuple[tuple[str, ...], Any]], ...]:
    """The words of every phrase of ``lang``'s data, worked out once per language:
    (main phrases, phrase concepts, cues), each a list of (words, item)."""
    data = load_language(lang)
    split = _split_words(data)

    def key(phrase: str) -> tuple[str, ...]:
        # A phrase written with a split word ("cannot") reads as the tokens will.
        return tuple(p for w in words(phrase) for p in split.get(w, (w,)))

    main = [(key(p), item) for p, item in _phrase_words(data)]
    concepts = [
        (key(p), ("phrase", concept)) for concept, terms in data.phrases.items() for p in terms
    ]
    cues = [(key(p), item) for p, item in _cue_words(data)]
    return main, concepts, cues


@lru_cache(maxsize=8)
def vocabulary(lang: str) -> frozenset[str]:
    """Every word of ``lang``'s data (cheap: no tries), for spelling and detection."""
    data = load_language(lang)
    found: set[str] = set()
    for group in _keys(lang):
        for ws, _ in group:
            found.update(ws)
    found.update(norm_word(w) for w in data.context.stop_words)
    found.update(norm_word(w) for w in data.context.skip_words)
    return frozenset(found)


@lru_cache(maxsize=8)
def compiled(lang: str) -> Compiled:
    """``lang``'s tries and speller, built on first use and kept."""
    data = load_language(lang)
    skip = frozenset(norm_word(w) for w in data.context.skip_words)
    main: Trie = {}
    phrases: Trie = {}
    cues: Trie = {}
    triggers: Trie = {}
    main_keys, concept_keys, cue_keys = _keys(lang)
    trigger_keys = [(ws, item) for ws, item in main_keys if item[0] == "trig"]
    for trie, group in (
        (main, main_keys),
        (phrases, concept_keys),
        (cues, cue_keys),
        (triggers, trigger_keys),
    ):
        for ws, item in group:
            kept = [w for w in ws if w not in skip]
            if kept:
                _add(trie, kept, item)
    questions: Trie = {}
    for q in data.context.question_cues:
        if q_words := words(q):
            _add(questions, q_words, ("question", q))
    return Compiled(
        data=data,
        main=main,
        phrases=phrases,
        cues=cues,
        triggers=triggers,
        questions=questions,
        speller=Speller(vocabulary(lang)),
        skip=skip,
        stop=frozenset(norm_word(w) for w in data.context.stop_words),
        split=_split_words(data),
    )


def scan(toks: Sequence[Token], trie: Trie, *, consume: bool) -> list[Match]:
    """Longest matches of the trie's phrases within a clause (see the module docstring)."""
    out: list[Match] = []
    i, n = 0, len(toks)
    while i < n:
        node, best, j = trie, None, i
        clause = toks[i].clause
        while j < n and toks[j].norm in node and toks[j].clause == clause:
            node = node[toks[j].norm]
            if _END in node:
                best = (j, node[_END])
            j += 1
        if best is None:
            i += 1
            continue
        last, items = best
        kinds = {k for k, _ in items}
        out.append(
            Match(
                kind=next(iter(kinds)) if len(kinds) == 1 else "mixed",
                items=list(items),
                first=i,
                last=last,
                start=toks[i].start,
                end=toks[last].end,
                clause=clause,
            )
        )
        i = last + 1 if consume else i + 1
    return out
