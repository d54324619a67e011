"""Phrase matching: tries of the language data's phrases, scanned longest first.

Tries per language: the main one (lexicon entries, body locations, radiation cues,
triggers, outside terms), the red-flag phrase concepts, the context cues, the trigger words
alone and the question cues. For the packaged data they come prebuilt from the phrase index
(:mod:`~symptomatic.language.text.index`: a sub-trie decoded when a text has its first
word); for other data, or an index not built from the data, :func:`build` makes them in
memory, once per language. The two are equal (a test compares them). :func:`scan` walks a trie
over the tokens; with ``consume=True`` the matches do not overlap (longest first),
otherwise every match is kept (red-flag phrases never hide a symptom). Scanning is linear
in the number of tokens times the longest phrase.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from symptomatic.language._resources import Context, LanguageData, load_context, load_language
from symptomatic.language.text import index
from symptomatic.language.text.index import TRIES, LazyRoot, PackagedIndex
from symptomatic.language.text.tokens import Speller, Token, norm_word, words

__all__ = ["Compiled", "Match", "Trie", "build", "build_tries", "compiled", "scan", "vocabulary"]

#: A trie node: word -> node, and ``"\\0"`` -> the items of the phrases ending there.
Trie = Mapping[str, Any]
_END = "\0"
_UNSEEN: Any = object()


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


def _add(trie: dict[str, Any], words: Sequence[str], item: Any) -> None:
    node = trie
    for w in words:
        node = node.setdefault(w, {})
    node.setdefault(_END, []).append(item)


class Compiled(NamedTuple):
    lang: str
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


def _split_words(context: Context) -> dict[str, tuple[str, ...]]:
    """The language's words read as several ("cannot" -> "can", "t"), normalised."""
    return {norm_word(k): tuple(norm_word(w) for w in v) for k, v in context.split_words.items()}


def _keys_of(data: LanguageData) -> tuple[list[tuple[tuple[str, ...], Any]], ...]:
    """The words of every phrase of ``data``: (main phrases, phrase concepts, cues), each a
    list of (words, item)."""
    split = _split_words(data.context)

    def key(phrase: str) -> tuple[str, ...]:
        # A phrase written with a split word ("cannot") reads as the tokens will.
        return tuple(p for w in words(phrase) for p in split.get(w, (w,)))

    main = [(key(p), item) for p, item in _phrase_words(data)]
    concepts = [
        (key(p), ("phrase", concept)) for concept, terms in data.phrases.items() for p in terms
    ]
    cues = [(key(p), item) for p, item in _cue_words(data)]
    return main, concepts, cues


def _vocabulary_of(
    data: LanguageData, keys: tuple[list[tuple[tuple[str, ...], Any]], ...]
) -> frozenset[str]:
    found: set[str] = set()
    for group in keys:
        for ws, _ in group:
            found.update(ws)
    found.update(norm_word(w) for w in data.context.stop_words)
    found.update(norm_word(w) for w in data.context.skip_words)
    return frozenset(found)


def build_tries(data: LanguageData) -> tuple[dict[str, dict[str, Any]], frozenset[str]]:
    """``data``'s tries (by name: :data:`~symptomatic.language.text.index.TRIES`) and its
    vocabulary, built in memory."""
    skip = frozenset(norm_word(w) for w in data.context.skip_words)
    keys = _keys_of(data)
    main_keys, concept_keys, cue_keys = keys
    tries: dict[str, dict[str, Any]] = {name: {} for name in TRIES}
    trigger_keys = [(ws, item) for ws, item in main_keys if item[0] == "trig"]
    for name, group in (
        ("main", main_keys),
        ("phrases", concept_keys),
        ("cues", cue_keys),
        ("triggers", trigger_keys),
    ):
        for ws, item in group:
            kept = [w for w in ws if w not in skip]
            if kept:
                _add(tries[name], kept, item)
    for q in data.context.question_cues:
        if q_words := words(q):
            _add(tries["questions"], q_words, ("question", q))
    return tries, _vocabulary_of(data, keys)


@lru_cache(maxsize=8)
def _packaged(lang: str) -> PackagedIndex | None:
    return index.load(lang)


@lru_cache(maxsize=8)
def vocabulary(lang: str) -> frozenset[str]:
    """Every word of ``lang``'s data, for spelling and detection (from the packaged index;
    without one, worked out from the data, without the tries)."""
    packaged = _packaged(lang)
    if packaged is not None:
        return packaged.vocabulary
    data = load_language(lang)
    return _vocabulary_of(data, _keys_of(data))


def build(data: LanguageData) -> Compiled:
    """``data``'s tries and speller, built in memory (any language data)."""
    tries, vocab = build_tries(data)
    return _compiled(data.lang, data.context, tries, vocab)


def _compiled(
    lang: str,
    context: Context,
    tries: Mapping[str, Trie],
    vocab: frozenset[str],
    deletions: Callable[[str], dict[str, tuple[str, ...]]] | None = None,
) -> Compiled:
    return Compiled(
        lang=lang,
        main=tries["main"],
        phrases=tries["phrases"],
        cues=tries["cues"],
        triggers=tries["triggers"],
        questions=tries["questions"],
        speller=Speller(vocab, deletions),
        skip=frozenset(norm_word(w) for w in context.skip_words),
        stop=frozenset(norm_word(w) for w in context.stop_words),
        split=_split_words(context),
    )


@lru_cache(maxsize=8)
def compiled(lang: str) -> Compiled:
    """``lang``'s tries and speller: the packaged index when it is current (see
    :mod:`~symptomatic.language.text.index`), else built in memory; kept."""
    packaged = _packaged(lang)
    if packaged is None:
        return build(load_language(lang))
    return _compiled(
        lang, load_context(lang), packaged.tries, packaged.vocabulary, packaged.deletions
    )


def scan(toks: Sequence[Token], trie: Trie, *, consume: bool) -> list[Match]:
    """Longest matches of the trie's phrases within a clause (see the module docstring)."""
    out: list[Match] = []
    # The first word is looked up in a plain dict: the trie, or what a packaged trie has
    # decoded so far (``load`` decodes the rest).
    known, load = (trie.known, trie.load) if isinstance(trie, LazyRoot) else (trie, None)
    i, n = 0, len(toks)
    while i < n:
        node = known.get(toks[i].norm, _UNSEEN)
        if node is _UNSEEN:
            node = None if load is None else load(toks[i].norm)
        if node is None:
            i += 1
            continue
        clause = toks[i].clause
        best = (i, node[_END]) if _END in node else None
        j = i + 1
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
