"""Read everyday English or French and find the knowledge base's evidences in it.

The pipeline, each step a module of :mod:`symptomatic.language.text`, all driven by the
data files in ``symptomatic/language/data/<lang>/``:

1. **Checks and normalising** (:mod:`~.text.normalise`): text over 5,000 characters or
   that is not text raises :class:`~symptomatic.TextInputError`; accents are composed,
   compatibility forms folded, zero-width and control characters dropped.
2. **Language** (:mod:`~.text.detect`): ``lang``, or detected from common words; a text
   clearly in another language is refused.
3. **Words and clauses** (:mod:`~.text.tokens`): lower case, accents removed, spelling
   corrected one edit away; filler words skipped when matching.
4. **Matching** (:mod:`~.text.match`): lexicon terms, body locations and outside terms,
   longest first; red-flag phrase concepts separately (they never hide a finding).
5. **Context** (:mod:`~.text.context`): negated, possible, historical, family,
   hypothetical, question.
6. **Findings** (:mod:`~.text.findings`): negated -> ``absent``; possible ("maybe", "I
   think") -> ``unknown``, and kept as *hedged* for the red-flag rules (an uncertain danger
   sign still escalates); historical -> ``present`` for history, ``unknown`` for a current
   symptom; family -> the family-history evidence the lexicon names, never the person's
   own; hypothetical or a question ("is it the flu?") -> nothing.
7. **Numbers** (:mod:`~.text.quantities`): temperatures set the fever evidence, "7/10"
   the pain intensity; durations and ages are kept.

Every span in the result indexes the text as the person wrote it.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import accumulate, pairwise
from typing import NamedTuple

from symptomatic._errors import TextInputError
from symptomatic._types import LANGS, Finding, Span
from symptomatic.knowledge import KnowledgeBase
from symptomatic.language._resources import load_quantities
from symptomatic.language.text.context import Scopes, apply_context, status
from symptomatic.language.text.detect import detect_language
from symptomatic.language.text.findings import Roles, resolve, to_findings
from symptomatic.language.text.match import Match, Trie, compiled, scan
from symptomatic.language.text.normalise import Normalised, normalise
from symptomatic.language.text.quantities import Duration, read_numbers
from symptomatic.language.text.tokens import Token, tokenize
from symptomatic.language.text.tokens import words as tokens_of

__all__ = ["MAX_CHARS", "Duration", "ParseResult", "parse"]

MAX_CHARS = 5000
_NOT_SAID = frozenset({"negated", "family", "hypothetical", "historical", "question"})


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What :func:`parse` understood; ``findings`` feed the checker directly.

    ``hedged`` are the findings said with doubt ("I think my face is drooping"): their
    status is ``unknown``, and the red-flag rules still read them. ``said`` holds the
    red-flag phrase concepts found. ``age_in_text`` is an age said in the words ("my 7 week
    old"), in years.
    """

    lang: str
    findings: tuple[Finding, ...]
    hedged: tuple[Finding, ...] = ()
    said: frozenset[str] = frozenset()
    not_understood: tuple[Span, ...] = ()
    outside_terms: tuple[str, ...] = ()
    worried: bool = False
    durations: tuple[Duration, ...] = ()
    age_in_text: float | None = None
    text: str = ""


def check_text(text: object) -> str:
    if not isinstance(text, str):
        raise TextInputError("text", "must be a string", type(text).__name__)
    if len(text) > MAX_CHARS:
        raise TextInputError("text", f"must be at most {MAX_CHARS:,} characters", len(text))
    return text


def _marks(n: int, matches: Sequence[Match]) -> list[int]:
    """Prefix sums of token positions covered by ``matches`` (for O(1) overlap tests)."""
    mark = [0] * (n + 1)
    for m in matches:
        for k in range(m.first, m.last + 1):
            mark[k] = 1
    return list(accumulate(mark, initial=0))


def _covers(prefix: list[int], m: Match) -> bool:
    return prefix[m.last + 1] - prefix[m.first] > 0


def parse(
    kb: KnowledgeBase,
    text: str,
    *,
    lang: str | None = None,
    age: float | None = None,
    semantic: bool = False,
) -> ParseResult:
    """Findings, red-flag phrases and what was not understood in ``text``.

    Raises :class:`~symptomatic.TextInputError` for text over 5,000 characters, that is
    not a string or not valid Unicode, in another language, or a ``lang`` other than those
    supported. ``semantic=True`` sends what the lexicon did not understand to the optional
    sentence model (:mod:`symptomatic.language.semantic`, extra ``symptomatic[semantic]``).
    """
    check_text(text)
    if lang is not None and lang not in LANGS:
        raise TextInputError("lang", f"must be one of {', '.join(LANGS)}", lang, LANGS)
    norm = normalise(text)
    clean = norm.text
    if not clean.strip():
        return ParseResult(lang=lang or LANGS[0], findings=(), text=text)
    lang = lang or detect_language(clean)
    comp = compiled(lang)
    quantities = load_quantities(lang)
    all_toks = tokenize(clean, comp.speller, comp.split)
    toks = _content_tokens(all_toks, comp.skip)

    main = scan(toks, comp.main, consume=True)
    lex_main = [m for m in main if m.kind in ("lex", "mixed")]
    phrases = _phrases(scan(toks, comp.phrases, consume=False), lex_main, len(toks))
    blocking = _marks(len(toks), [m for m in main if m.kind not in ("trig", "rad", "loc")])
    phrase_marks = _marks(len(toks), phrases)
    cues = [
        c
        for c in scan(toks, comp.cues, consume=True)
        if not _covers(blocking, c) and not _covers(phrase_marks, c)
    ]
    for c in cues:
        kinds = {k for k, _ in c.items}
        c.kind = "cue" if "cue" in kinds else next(iter(kinds))
        c.items = [it for it in c.items if it[0] == c.kind]
    age_words = _age_words(lang)
    cues = [c for c in cues if not _introduces_the_patient(c, toks, all_toks, clean, age_words)]
    worry = [c for c in cues if c.kind == "worry"]
    scopes = Scopes(cues, toks)
    apply_context(main, scopes)
    apply_context(phrases, scopes)
    apply_context(worry, scopes)

    roles = Roles.of(kb)
    findings = to_findings(
        kb,
        roles,
        main,
        all_toks,
        clean,
        quantities.sides,
        scan(toks, comp.triggers, consume=False),
        quantities.carer_history,
    )
    numbers = read_numbers(clean, lang, fever=roles.fever, intensity=roles.intensity)
    findings = _with_numbers(findings, numbers.findings, all_toks, roles)
    counted = [(f.evidence, f.span) for f in numbers.findings if f.span]
    findings = _not_in_questions(
        kb, resolve(kb, findings), clean, all_toks, comp.questions, counted=counted
    )
    possible = {(m.start, m.end) for m in main if "possible" in m.cats and not (_NOT_SAID & m.cats)}
    hedged = [f for f in findings if f.status == "unknown" and f.span in possible]
    said = frozenset(
        concept
        for p in phrases
        if not (_NOT_SAID & p.cats)
        for kind, concept in p.items
        if kind == "phrase"
    )
    outside: list[str] = []
    for m in main:
        if any(k == "out" for k, _ in m.items) and status(m.cats, False) in ("present", "unknown"):
            if "family" in m.cats or "historical" in m.cats:
                continue
            term = clean[m.start : m.end]
            if term not in outside:
                outside.append(term)
    covered = [(m.start, m.end) for m in (*main, *phrases, *cues)] + numbers.spans
    not_understood = _not_understood(clean, all_toks, covered, comp.stop, comp.skip)
    if semantic:
        from symptomatic.language.semantic import apply_semantic

        more, not_understood = apply_semantic(
            kb, clean, lang, not_understood, toks, all_toks, scopes
        )
        findings = resolve(kb, [*findings, *more])
    return ParseResult(
        lang=lang,
        findings=tuple(_back(f, norm) for f in findings),
        hedged=tuple(_back(f, norm) for f in hedged),
        said=said,
        not_understood=tuple(_span_back(s, norm) for s in not_understood),
        outside_terms=tuple(outside),
        worried=any(not (_NOT_SAID & w.cats) for w in worry),
        durations=tuple(
            Duration(*norm.span(d.start, d.end), text[slice(*norm.span(d.start, d.end))], d.days)
            for d in numbers.durations
        ),
        age_in_text=numbers.age,
        text=text,
    )


class _AgeWords(NamedTuple):
    """A language's ``relative_age`` words, as normalised word tuples (longest first)."""

    between: tuple[tuple[str, ...], ...]
    numbers: frozenset[str]
    units: tuple[tuple[str, ...], ...]
    durations: frozenset[str]
    not_after: tuple[tuple[str, ...], ...]
    onset: frozenset[str]


def _word_tuples(phrases: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    found = {tuple(tokens_of(p)) for p in phrases}
    return tuple(sorted((ws for ws in found if ws), key=len, reverse=True))


@lru_cache(maxsize=8)
def _age_words(lang: str) -> _AgeWords:
    q = load_quantities(lang)
    ra = q.relative_age
    return _AgeWords(
        between=_word_tuples(ra.between),
        numbers=frozenset(w for p in ra.numbers for w in tokens_of(p)),
        units=_word_tuples(ra.units),
        durations=frozenset(w for p in q.unit_days for w in tokens_of(p)),
        not_after=_word_tuples(ra.not_after),
        onset=frozenset(w.lower() for w in ra.onset),
    )


def _said_at(
    all_toks: Sequence[Token], k: int, phrases: tuple[tuple[str, ...], ...], clause: int
) -> int:
    """The number of words of the first of ``phrases`` said at ``k`` in ``clause`` (0: none)."""
    for ws in phrases:
        end = k + len(ws)
        if end <= len(all_toks) and all(
            all_toks[k + i].norm == w and all_toks[k + i].clause == clause for i, w in enumerate(ws)
        ):
            return len(ws)
    return 0


def _introduces_the_patient(
    cue: Match, toks: Sequence[Token], all_toks: Sequence[Token], text: str, age: _AgeWords
) -> bool:
    """A relative named with an age ("my mum (83)", "mon père de 81 ans", "my dad is 79")
    is the person the description is about, not family history. A time ("my mother 2 years
    ago had diabetes") or the age at an event ("my dad at 50 had a heart attack") is not
    (the words: ``relative_age`` in the language's ``quantities.json``)."""
    if cue.kind != "cue" or not any(cat == "family" for _, (cat, _, _) in cue.items):
        return False
    clause = toks[cue.last].clause
    k = toks[cue.last].position + 1
    n = len(all_toks)

    def here(j: int) -> bool:
        return j < n and all_toks[j].clause == clause

    if here(k) and text[all_toks[k].start : all_toks[k].end].lower() in age.onset:
        return False
    k += _said_at(all_toks, k, age.between, clause)
    j = k
    if here(j) and all_toks[j].norm.isdigit():
        j += 1
        spelled = False
    else:
        while here(j) and j - k < 4 and all_toks[j].norm in age.numbers:
            j += 1
        if j == k:
            return False
        spelled = True
    unit = _said_at(all_toks, j, age.units, clause)
    if unit:
        return not _said_at(all_toks, j + unit, age.not_after, clause)
    return not spelled and not (here(j) and all_toks[j].norm in age.durations)


def _content_tokens(all_toks: Sequence[Token], skip: frozenset[str]) -> list[Token]:
    """The tokens matchers read: filler words left out, a comma before a filler word moved
    to the next word kept (so that "my chest is fine, my throat hurts" keeps its comma)."""
    out: list[Token] = []
    comma = False
    for t in all_toks:
        if t.norm in skip:
            comma = comma or t.comma_before
            continue
        if comma and not t.comma_before:
            t = t._replace(comma_before=True)
        comma = False
        out.append(t)
    return out


def _asked(text: str, all_toks: Sequence[Token], questions: Trie) -> set[int]:
    """The clauses that ask something: with a question cue ("could it be", "I'm scared
    it's"), or ending in "?"."""
    asked = {m.clause for m in scan(all_toks, questions, consume=False)}
    for t, nxt in pairwise(all_toks):
        if nxt.clause != t.clause and "?" in text[t.end : nxt.start]:
            asked.add(t.clause)
    if all_toks and "?" in text[all_toks[-1].end :]:
        asked.add(all_toks[-1].clause)
    return asked


def _not_in_questions(
    kb: KnowledgeBase,
    findings: list[Finding],
    text: str,
    all_toks: Sequence[Token],
    questions: Trie,
    *,
    counted: Sequence[tuple[str, tuple[int, int]]] = (),
) -> list[Finding]:
    """Drop the illnesses and risk factors (history evidences) named in a question or a
    worry ("could it be the flu?", "I'm scared it's cancer"): naming one is not having it.
    Symptoms said in a question still count ("is a cough for 3 weeks normal?"), and so does
    what a number states (``counted``: evidence and span of each finding read from a number,
    "I took 12 paracetamol, is that bad?"). Clauses are the tokens' own (so "38.5" does not
    end one)."""
    if not any(f.span and kb.evidence_by_id[f.evidence].history for f in findings):
        return findings
    asked = _asked(text, all_toks, questions)
    if not asked:
        return findings
    clause_at = _Clauses(all_toks)

    def stated(f: Finding) -> bool:
        return f.span is not None and any(
            e == f.evidence and s < f.span[1] and f.span[0] < t for e, (s, t) in counted
        )

    return [
        f
        for f in findings
        if not (
            f.span
            and kb.evidence_by_id[f.evidence].history
            and clause_at(f.span) in asked
            and not stated(f)
        )
    ]


def _phrases(found: list[Match], lex: Sequence[Match], n: int) -> list[Match]:
    """Phrase-concept matches not inside a longer lexicon match, nor inside a longer match
    of the same concept (one mention). Lexicon matches do not overlap, so one lookup per
    position says which covers it."""
    lex_at: list[Match | None] = [None] * n
    for m in lex:
        for k in range(m.first, m.last + 1):
            lex_at[k] = m
    kept = []
    for f in found:
        cover = lex_at[f.first]
        if cover is None or not f.inside(cover):
            kept.append(f)
    out = []
    reach: dict[str, int] = {}  # concept -> furthest end of its matches started so far
    for f in sorted(kept, key=lambda m: (m.first, -m.last)):
        concept = str(f.items)
        if reach.get(concept, -1) >= f.last:
            continue
        reach[concept] = max(reach.get(concept, -1), f.last)
        out.append(f)
    return out


class _Clauses:
    """The clause a span of the text starts in (-1: none)."""

    def __init__(self, toks: Sequence[Token]) -> None:
        self._toks = toks
        self._ends = [t.end for t in toks]

    def __call__(self, span: tuple[int, int] | None) -> int:
        toks = self._toks
        if span is None or not toks:
            return -1
        return toks[min(bisect.bisect_right(self._ends, span[0]), len(toks) - 1)].clause


def _with_numbers(
    findings: list[Finding], numbers: list[Finding], toks: Sequence[Token], roles: Roles
) -> list[Finding]:
    """A temperature replaces fever words in its clause; a 0-10 score replaces others."""
    clause_at = _Clauses(toks)
    temps = [f for f in numbers if f.evidence == roles.fever]
    if temps:
        clauses = {clause_at(f.span) for f in temps}
        findings = [
            f for f in findings if not (f.evidence == roles.fever and clause_at(f.span) in clauses)
        ]
    if any(f.evidence == roles.intensity for f in numbers):
        findings = [f for f in findings if f.evidence != roles.intensity]
    return findings + numbers


def _not_understood(
    text: str,
    toks: Sequence[Token],
    covered: Sequence[tuple[int, int]],
    stop: frozenset[str],
    skip: frozenset[str],
) -> list[Span]:
    """Runs of words no match covers and that are not filler words."""
    inside = bytearray(len(text) + 1)
    for a, b in covered:
        inside[a:b] = b"\x01" * (b - a)
    out: list[Span] = []
    run: list[Token] = []

    def flush() -> None:
        if run:
            out.append(Span(run[0].start, run[-1].end, text[run[0].start : run[-1].end]))
            run.clear()

    for t in toks:
        filler = t.norm in stop or t.norm in skip or t.norm.isdigit() or len(t.norm) < 2
        if inside[t.start] or filler:
            flush()
            continue
        if run and (run[-1].clause != t.clause or t.comma_before):
            flush()
        run.append(t)
    flush()
    return out


def _back(f: Finding, norm: Normalised) -> Finding:
    if f.span is None:
        return f
    a, b = norm.span(*f.span)
    return replace(f, span=(a, b), text=norm.original[a:b])


def _span_back(s: Span, norm: Normalised) -> Span:
    a, b = norm.span(s.start, s.end)
    return Span(a, b, norm.original[a:b])
