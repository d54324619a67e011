"""Read everyday English or French and find the knowledge base's evidences in it.

The steps, all driven by the data files in ``symptomatic/language/data``:

1. **Checks and language.** Text over 5,000 characters or with control characters raises
   :class:`~symptomatic.TextInputError`; the language is ``lang`` or detected from common
   words (English or French; a text clearly in another language is refused).
2. **Words and clauses.** Words are lower-cased, accents removed; filler words ("the",
   "my", "le", "de") are skipped when matching. Clauses end at ``. ; ! ?`` and new lines.
   An unknown word of five letters or more is corrected when exactly one lexicon word with
   the same first letter is one edit away ("coughinf" → "coughing").
3. **Matching.** Lexicon terms, body locations and outside terms are matched longest first.
   Red-flag phrases are matched separately and never hide a finding.
4. **Context.** Cues from ``context_<lang>.json`` (medspacy-style: cue, category, direction;
   the scope ends at the clause end, a terminate cue, or a comma unless the clause lists
   with "or") mark each match negated, possible, historical, family or hypothetical.
   Pseudo cues ("not only", "no improvement") are consumed and do nothing.
5. **Status.** negated → ``absent``; possible ("maybe", "I think") → ``unknown``: DDXPlus
   has no degree of certainty and we do not invent one, so an uncertain symptom is left for
   the interview to ask about; historical → ``present`` for an antecedent ("asthma as a
   child"), ``unknown`` for a current symptom; family → the family-history evidence named
   in the lexicon ("my mother has asthma" → asthma in the family), otherwise nothing (never
   the person's own); hypothetical ("if I get a fever") → nothing.
6. **Numbers.** A temperature ("39.5 °C", "103 F") sets fever present at 38 °C / 100.4 °F
   or more and absent below; "7/10" sets the pain intensity; durations ("for two weeks",
   "depuis hier") and ages ("6 week old") are kept on the result.
7. **Red flags** in words set a care level at once (``triage_reasons``); a red flag said of
   someone else, negated or hypothetical does not fire, an uncertain one does.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from symptomatic._case import Finding
from symptomatic._errors import TextInputError
from symptomatic.knowledge._model import LANGS
from symptomatic.language._lexicon import (
    LanguageData,
    LexEntry,
    TextRedFlagRule,
    load_language,
    norm_word,
)

if TYPE_CHECKING:
    from symptomatic.engine import TriageReason
    from symptomatic.knowledge import KnowledgeBase

__all__ = ["Duration", "ParseResult", "Span", "TextRedFlag", "parse"]

MAX_CHARS = 5000
FORWARD_WINDOW = 8
BACKWARD_WINDOW = 5
FUZZY_MIN_LEN = 5
PAIN, RASH, SWELLING = "E_53", "E_129", "E_151"
LOCATION_OF = {PAIN: "E_55", RASH: "E_133", SWELLING: "E_152"}
RADIATION = "E_57"
FEVER, PAIN_INTENSITY = "E_91", "E_56"

_TOKEN = re.compile(r"[^\W_]+")
_HARD_BOUNDARY = re.compile(r"[;!?\n]|\.(?!\d)")


def _alternatives(words: Iterable[str]) -> str:
    """A regex group matching any of ``words``, longest first, escaped."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


@dataclass(frozen=True, slots=True)
class _Quantities:
    """The number, duration and temperature words of quantities.json, compiled once."""

    fever_from: float
    plausible: tuple[float, float]
    number_words: dict[str, float]
    unit_days: dict[str, float]
    since_when: dict[str, float | None]
    infant_units: dict[str, float]
    sides: dict[str, frozenset[str]]
    temp_unit: re.Pattern[str]
    temp_word: re.Pattern[str]
    temp_after: re.Pattern[str]
    pain_scale: re.Pattern[str]
    duration: re.Pattern[str]
    infant_age: re.Pattern[str]


@cache
def _quantities() -> _Quantities:
    raw = (resources.files("symptomatic.language") / "data" / "quantities.json").read_text("utf-8")
    q = json.loads(raw)
    num = r"(\d+(?:[.,]\d+)?|" + _alternatives(q["number_words"])[3:]
    unit = "(" + _alternatives(q["unit_days"]) + ")"
    temp = r"(\d{2,3}(?:[.,]\d{1,2})?)"
    infant_units = "(" + _alternatives(q["infant_units"]) + ")"
    return _Quantities(
        fever_from=float(q["fever_from_celsius"]),
        plausible=(float(q["plausible_celsius"][0]), float(q["plausible_celsius"][1])),
        number_words={k.lower(): float(v) for k, v in q["number_words"].items()},
        unit_days={k.lower(): float(v) for k, v in q["unit_days"].items()},
        since_when={k.lower(): v for k, v in q["since_when"].items()},
        infant_units={k.lower(): float(v) for k, v in q["infant_units"].items()},
        sides={k: frozenset(v) for k, v in q["sides"].items()},
        temp_unit=re.compile(
            temp + r"\s*(?:°\s*([cf])?|º\s*([cf])?|degrees?\s*(c|f|celsius|fahrenheit)?"
            r"|degrés?\s*(c|celsius)?|\s?([cf])\b)",
            re.IGNORECASE,
        ),
        temp_word=re.compile(
            r"\b"
            + _alternatives(q["temperature_words"])
            + r"[^\d.;!?\n]{0,20}?"
            + temp
            + r"(?!\s*/|\d)",
            re.IGNORECASE,
        ),
        temp_after=re.compile(
            temp
            + r"\s*"
            + _alternatives(q["temperature_after"])
            + r"\s+"
            + _alternatives(q["temperature_words"]),
            re.IGNORECASE,
        ),
        pain_scale=re.compile(
            r"\b(\d{1,2})\s*" + _alternatives(q["out_of_ten"]) + r"\s*10\b", re.IGNORECASE
        ),
        duration=re.compile(
            r"\b"
            + _alternatives(q["duration_cues"])
            + r"\s+(?:"
            + _alternatives(q["duration_fillers"])
            + r"\s+)*"
            + num
            + r"\s+"
            + unit
            + r"\b"
            r"|\b"
            + _alternatives(q["since_cues"])
            + r"\s+("
            + _alternatives(q["since_when"])[3:]
            + r"\b",
            re.IGNORECASE,
        ),
        infant_age=re.compile(
            r"\b"
            + num
            + r"[\s-]+"
            + infant_units
            + r"[\s-]+"
            + _alternatives(q["infant_old"])
            + r"\b|\b"
            + _alternatives(q["infant_nouns"])
            + r"\s+"
            + _alternatives(q["infant_of"])
            + r"\s*"
            + num
            + r"\s+"
            + infant_units
            + r"\b",
            re.IGNORECASE,
        ),
    )


@cache
def _other_language_words() -> frozenset[str]:
    """Common words of languages we do not read (data: other_languages.json)."""
    raw = (resources.files("symptomatic.language") / "data" / "other_languages.json").read_text(
        "utf-8"
    )
    words: dict[str, list[str]] = json.loads(raw)["words"]
    return frozenset(norm_word(w) for ws in words.values() for w in ws)


# ---- result types ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the input text, by character offsets."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Duration:
    """How long something has lasted, as written ("for two weeks"), in days when known."""

    start: int
    end: int
    text: str
    days: float | None


@dataclass(frozen=True, slots=True)
class TextRedFlag:
    """A red flag found in the words themselves, with the care level it sets at once."""

    id: str
    level: str
    reason: dict[str, str]
    source: str
    span: tuple[int, int] | None
    text: str | None

    def triage_reason(self) -> TriageReason:
        from symptomatic.engine.triage import TriageReason

        return TriageReason(kind="red_flag", ref=self.id, level=self.level)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What :func:`parse` understood; ``findings`` feed the checker directly."""

    lang: str
    findings: tuple[Finding, ...]
    not_understood: tuple[Span, ...] = ()
    outside_terms: tuple[str, ...] = ()
    red_flags: tuple[TextRedFlag, ...] = ()
    worried: bool = False
    durations: tuple[Duration, ...] = ()
    age_in_text: float | None = None
    text: str = ""  # the text read; spans index into it

    @property
    def triage_reasons(self) -> list[TriageReason]:
        """The text red flags as engine triage reasons (kind ``red_flag``)."""
        return [r.triage_reason() for r in self.red_flags]


# ---- tokens and the compiled matcher -------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Tok:
    norm: str
    start: int
    end: int
    clause: int
    comma_before: bool
    index: int  # position among all tokens


@dataclass(slots=True)
class _Match:
    kind: str  # "lex" | "loc" | "out" | "rad" | "trig" | "flag" | "cue" | "worry"
    items: list[Any]
    first: int  # index in the content-token list
    last: int
    start: int
    end: int
    clause: int
    cats: set[str] = field(default_factory=set)
    relative: str | None = None


_Trie = dict[str, Any]
_END = "\0"


def _add(trie: _Trie, key: Sequence[str], item: Any) -> None:
    node = trie
    for w in key:
        node = node.setdefault(w, {})
    node.setdefault(_END, []).append(item)


@dataclass(frozen=True, slots=True)
class _Compiled:
    data: LanguageData
    main: _Trie
    flags: _Trie
    cues: _Trie
    vocab: frozenset[str]
    deletions: dict[str, tuple[str, ...]]


def _key(phrase: str, skip: frozenset[str]) -> tuple[str, ...]:
    return tuple(
        w for w in (norm_word(m.group()) for m in _TOKEN.finditer(phrase)) if w not in skip
    )


@lru_cache(maxsize=4)
def _compiled(lang: str) -> _Compiled:
    data = load_language(lang)
    skip = data.context.skip_words
    main: _Trie = {}
    flags: _Trie = {}
    cues: _Trie = {}
    vocab: set[str] = set()

    def add(trie: _Trie, phrase: str, item: Any) -> None:
        k = _key(phrase, skip)
        if k:
            vocab.update(k)
            _add(trie, k, item)

    lex = data.lexicon
    for entry in lex.entries:
        for t in entry.terms:
            add(main, t, ("lex", entry))
    for loc in lex.locations:
        for t in loc.terms:
            add(main, t, ("loc", loc.values))
    for t in lex.radiation_cues:
        add(main, t, ("rad", None))
    for name, terms in lex.triggers.items():
        for t in terms:
            add(main, t, ("trig", name))
    for t in data.outside_terms:
        add(main, t, ("out", t))
    for rule in data.red_flags:
        for gi, group in enumerate(rule.all_of):
            for t in group.phrases.get(lang, ()):
                add(flags, t, ("flag", (rule.id, gi)))
    ctx = data.context
    relative_of = {norm_word(c): name for name, cs in ctx.relatives.items() for c in cs}
    for r in ctx.rules:
        add(cues, r.cue, ("cue", (r.category, r.direction, relative_of.get(norm_word(r.cue)))))
    for t in ctx.pseudo:
        add(cues, t, ("pseudo", None))
    for t in ctx.terminate:
        add(cues, t, ("term", None))
    for t in ctx.or_words:
        add(cues, t, ("or", None))
    for t in ctx.worry:
        add(cues, t, ("worry", None))
    deletions: dict[str, list[str]] = {}
    for w in vocab:
        if len(w) >= FUZZY_MIN_LEN and w.isalpha():
            for i in range(len(w)):
                deletions.setdefault(w[:i] + w[i + 1 :], []).append(w)
    return _Compiled(
        data=data,
        main=main,
        flags=flags,
        cues=cues,
        vocab=frozenset(vocab | ctx.stop_words | ctx.skip_words),
        deletions={k: tuple(sorted(set(v))) for k, v in deletions.items()},
    )


def _correct(word: str, comp: _Compiled) -> str:
    """The lexicon word one edit away from an unknown ``word``, if exactly one exists."""
    if word in comp.vocab or len(word) < FUZZY_MIN_LEN or not word.isalpha():
        return word
    if word.endswith("s") and word[:-1] in comp.vocab:
        return word[:-1]
    found: set[str] = set(comp.deletions.get(word, ()))
    for i in range(len(word)):
        d = word[:i] + word[i + 1 :]
        found.update(comp.deletions.get(d, ()))
        if d in comp.vocab and len(d) >= FUZZY_MIN_LEN:
            found.add(d)
    found = {w for w in found if w[0] == word[0] and abs(len(w) - len(word)) <= 1}
    if not found:
        return word
    return min(found, key=lambda w: (abs(len(w) - len(word)), w))


# ---- the parser --------------------------------------------------------------------------
def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise TextInputError("text", "must be a string", type(text).__name__)
    if len(text) > MAX_CHARS:
        raise TextInputError("text", f"must be at most {MAX_CHARS:,} characters", len(text))
    for ch in text:
        if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t":
            raise TextInputError("text", "must not contain control characters", ch)
    return text


def detect_language(text: str) -> str:
    """ "en" or "fr" from common words; raises TextInputError for another language."""
    ws = [norm_word(m.group()) for m in _TOKEN.finditer(text)]
    bonus_fr = 2 if any(c in text.lower() for c in "éèêàçùœ") else 0
    scores = {}
    for lang in LANGS:
        comp = _compiled(lang)
        scores[lang] = sum(1 for w in ws if w in comp.vocab and len(w) > 1 and not w.isdigit())
    scores["fr"] += bonus_fr
    foreign = _other_language_words()
    other = sum(1 for w in ws if w in foreign and not any(w in _compiled(x).vocab for x in LANGS))
    best = max(LANGS, key=lambda lang: scores[lang])
    if other >= 2 and other >= scores[best]:
        raise TextInputError(
            "lang",
            "symptomatic reads English or French only; write in one of them or pass lang",
            text[:40],
            LANGS,
        )
    return "fr" if scores["fr"] > scores["en"] else "en"


def _tokens(text: str, comp: _Compiled) -> list[_Tok]:
    boundaries = [m.start() for m in _HARD_BOUNDARY.finditer(text)]
    out: list[_Tok] = []
    clause, b = 0, 0
    last_end = 0
    for i, m in enumerate(_TOKEN.finditer(text)):
        while b < len(boundaries) and boundaries[b] < m.start():
            if boundaries[b] >= last_end:
                clause += 1
            b += 1
        between = text[last_end : m.start()]
        out.append(
            _Tok(
                norm=_correct(norm_word(m.group()), comp),
                start=m.start(),
                end=m.end(),
                clause=clause,
                comma_before="," in between,
                index=i,
            )
        )
        last_end = m.end()
    return out


def _scan(toks: Sequence[_Tok], trie: _Trie, *, consume: bool) -> list[_Match]:
    """Longest matches of the trie's phrases; ``consume`` makes them non-overlapping."""
    out: list[_Match] = []
    i, n = 0, len(toks)
    while i < n:
        node, best, j = trie, None, i
        while j < n and toks[j].norm in node and (j == i or toks[j].clause == toks[i].clause):
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
            _Match(
                kind=next(iter(kinds)) if len(kinds) == 1 else "mixed",
                items=list(items),
                first=i,
                last=last,
                start=toks[i].start,
                end=toks[last].end,
                clause=toks[i].clause,
            )
        )
        i = last + 1 if consume else i + 1
    return out


def _overlaps(a: _Match, b: _Match) -> bool:
    return a.first <= b.last and b.first <= a.last


def _apply_context(targets: Iterable[_Match], cues: Sequence[_Match], toks: Sequence[_Tok]) -> None:
    scoped = [c for c in cues if c.kind == "cue"]
    stops = [c for c in cues if c.kind == "term"]
    ors = [c for c in cues if c.kind == "or"]
    for m in targets:
        for c in scoped:
            if c.clause != m.clause:
                continue
            for _, (category, direction, relative) in c.items:
                if _in_scope(c, m, direction, ors, stops, toks):
                    m.cats.add(category)
                    if relative:
                        m.relative = relative


def _in_scope(
    c: _Match,
    m: _Match,
    direction: str,
    ors: Sequence[_Match],
    stops: Sequence[_Match],
    toks: Sequence[_Tok],
) -> bool:
    if True:
        if direction in ("forward", "bidirectional") and c.last < m.first:
            lo, hi = c.last, m.first
            if hi - lo > FORWARD_WINDOW:
                return False
            has_or = any(o.first > c.last and o.clause == c.clause for o in ors)
        elif direction in ("backward", "bidirectional") and c.first > m.last:
            lo, hi = m.last, c.first
            if hi - lo > BACKWARD_WINDOW:
                return False
            has_or = False
        else:
            return False
        if any(lo < s.first < hi or lo < s.last < hi for s in stops):
            return False
        return has_or or not any(toks[k].comma_before for k in range(lo + 1, hi + 1))


def _status(cats: set[str], antecedent: bool) -> str | None:
    """present/absent/unknown for a finding said of the person; None: not asserted."""
    if "hypothetical" in cats:
        return None
    if "negated" in cats:
        return "absent"
    if "historical" in cats:
        return "present" if antecedent else "unknown"
    if "possible" in cats:
        return "unknown"
    return "present"


def parse(
    kb: KnowledgeBase,
    text: str,
    *,
    lang: str | None = None,
    age: float | None = None,
    semantic: bool = False,
) -> ParseResult:
    """Findings, red flags and what was not understood in ``text`` (English or French).

    Raises :class:`~symptomatic.TextInputError` for text over 5,000 characters, with
    control characters, in another language, or for a ``lang`` other than en/fr.
    ``age`` (years), when known, lets the red flags for young babies fire.
    ``semantic=True`` sends what the lexicon did not understand to the optional sentence
    model (:mod:`symptomatic.language.semantic`, extra ``symptomatic[semantic]``).
    """
    _check_text(text)
    if lang is not None and lang not in LANGS:
        raise TextInputError("lang", "must be en or fr", lang, LANGS)
    if not text.strip():
        return ParseResult(lang=lang or "en", findings=(), text=text)
    lang = lang or detect_language(text)
    comp = _compiled(lang)
    data = comp.data
    skip = data.context.skip_words
    all_toks = _tokens(text, comp)
    toks = [t for t in all_toks if t.norm not in skip]

    main = _scan(toks, comp.main, consume=True)
    flags = [
        f
        for f in _scan(toks, comp.flags, consume=False)
        if not any(
            m.kind == "lex" or m.kind == "mixed"
            for m in main
            if m.first <= f.first and f.last <= m.last and (m.last - m.first) > (f.last - f.first)
        )
    ]
    # A flag phrase inside a longer one of the same rule group is the same mention.
    flags = [
        f
        for f in flags
        if not any(
            g is not f
            and g.first <= f.first
            and f.last <= g.last
            and g.items == f.items
            and (g.last - g.first) > (f.last - f.first)
            for g in flags
        )
    ]
    cues = [
        c
        for c in _scan(toks, comp.cues, consume=True)
        if not any(_overlaps(c, m) for m in main if m.kind not in ("trig", "rad", "loc"))
        and not any(_overlaps(c, f) for f in flags)
    ]
    for c in cues:
        kinds = {k for k, _ in c.items}
        c.kind = "cue" if "cue" in kinds else next(iter(kinds))
        c.items = [it for it in c.items if it[0] == c.kind]
    worry_matches = [c for c in cues if c.kind == "worry"]
    _apply_context(main, cues, toks)
    _apply_context(flags, cues, toks)
    _apply_context(worry_matches, cues, toks)

    findings = _findings(kb, main, toks, all_toks, text)
    numbers, number_spans, durations, age_in_text = _numbers(text)
    if any(f.evidence == FEVER and f.source == "text" and f.value == "num" for f in numbers):
        num_clauses = {_clause_at(all_toks, f.span) for f in numbers if f.evidence == FEVER}
        findings = [
            f
            for f in findings
            if not (f.evidence == FEVER and _clause_at(all_toks, f.span) in num_clauses)
        ]
    if any(f.evidence == PAIN_INTENSITY for f in numbers):
        findings = [f for f in findings if f.evidence != PAIN_INTENSITY]
    findings += [replace(f, value=None if f.evidence == FEVER else f.value) for f in numbers]
    findings = _resolve(kb, findings)

    outside = []
    for m in main:
        if any(k == "out" for k, _ in m.items) and _status(m.cats, False) in ("present", "unknown"):
            if "family" in m.cats or "historical" in m.cats:
                continue
            term = text[m.start : m.end]
            if term not in outside:
                outside.append(term)

    covered: list[tuple[int, int]] = [(m.start, m.end) for m in (*main, *flags, *cues)]
    covered += number_spans
    not_understood = _not_understood(text, all_toks, covered, data.context.stop_words, skip)
    if semantic:
        from symptomatic.language.semantic import apply_semantic

        more, not_understood = apply_semantic(kb, text, lang, not_understood, toks, all_toks, cues)
        findings = _resolve(kb, [*findings, *more])
    red = _red_flags(data.red_flags, flags, findings, lang, text, age, age_in_text)
    worried = any("negated" not in w.cats for w in worry_matches)
    return ParseResult(
        text=text,
        lang=lang,
        findings=tuple(findings),
        not_understood=tuple(not_understood),
        outside_terms=tuple(outside),
        red_flags=tuple(red),
        worried=worried,
        durations=tuple(durations),
        age_in_text=age_in_text,
    )


def _clause_at(toks: Sequence[_Tok], span: tuple[int, int] | None) -> int:
    if span is None:
        return -1
    for t in toks:
        if t.end > span[0]:
            return t.clause
    return toks[-1].clause if toks else -1


def _finding(code: str, status: str, value: str | None, m: _Match, text_of: str) -> Finding:
    return Finding(
        evidence=code,
        status=status,  # type: ignore[arg-type]
        value=value,
        span=(m.start, m.end),
        text=text_of,
        source="text",
    )


def _findings(
    kb: KnowledgeBase,
    main: list[_Match],
    toks: Sequence[_Tok],
    all_toks: Sequence[_Tok],
    text: str,
) -> list[Finding]:
    out: list[Finding] = []
    parents: list[tuple[_Match, str, str]] = []  # (match, pain/rash/swelling, status)
    triggers = [(m, name) for m in main for k, name in m.items if k == "trig"]

    def register(m: _Match, entries: list[LexEntry]) -> None:
        st = _status(m.cats, False)
        if st is None or "family" in m.cats:
            return
        for e in entries:
            for code in _parent_codes(e):
                parents.append((m, code, st))

    split = []
    for m in main:
        entries = [e for k, e in m.items if k == "lex"]
        uncond = [e for e in entries if e.needs is None]
        cond = [e for e in entries if e.needs is not None]
        split.append((m, uncond, cond))
        if not cond:
            register(m, uncond)
    emitted: list[tuple[_Match, LexEntry]] = []
    for m, uncond, cond in split:
        chosen = []
        for e in cond:
            need = e.needs or ""
            if need.startswith("E_"):
                p = _nearest(m, [(pm, s) for pm, c, s in parents if c == need])
                if p is not None and p[1] != "absent":
                    chosen.append(e)
            elif any(t.clause == m.clause and name == need for t, name in triggers):
                chosen.append(e)
        use = chosen or uncond
        if cond and not chosen:
            register(m, uncond)
        emitted += [(m, e) for e in use]

    for m, e in emitted:
        surface = text[m.start : m.end]
        if e.needs is not None and e.needs.startswith("E_"):
            p = _nearest(m, [(pm, s) for pm, c, s in parents if c == e.needs])
            status = p[1] if p is not None else "present"
            if e.evidence is not None:
                for v in e.values:
                    out.append(_finding(e.evidence, status, v, m, surface))
            continue
        if "family" in m.cats:
            codes = list(e.family)
            if m.relative == "mother":
                codes += list(e.family_mother)
            neg = "negated" in m.cats
            if "hypothetical" in m.cats:
                continue
            for code in codes:
                out.append(_finding(code, "absent" if neg else "present", None, m, surface))
            continue
        if e.evidence is None:
            continue
        antecedent = kb.by_code[e.evidence].antecedent if e.evidence in kb.by_code else False
        status = _status(m.cats, antecedent)
        if status is None:
            continue
        children = {w.evidence for w in e.with_ if w.values}
        main_is_parent = any(
            kb.by_code[c].parent == e.evidence for c in children if c in kb.by_code
        )
        if status == "absent":
            if not main_is_parent:
                out.append(_finding(e.evidence, "absent", None, m, surface))
            for w in e.with_:
                for v in w.values:
                    out.append(_finding(w.evidence, "absent", v, m, surface))
            continue
        if e.values:
            for v in e.values:
                out.append(_finding(e.evidence, status, v, m, surface))
        else:
            out.append(_finding(e.evidence, status, None, m, surface))
        for w in e.with_:
            if w.values:
                for v in w.values:
                    out.append(_finding(w.evidence, status, v, m, surface))
            else:
                out.append(_finding(w.evidence, status, None, m, surface))

    # Body locations: attach to the nearest pain, rash or swelling (pain spreading → E_57).
    rads = [m for m in main if any(k == "rad" for k, _ in m.items)]
    for m in main:
        locs = sorted({v for k, vs in m.items if k == "loc" for v in vs})
        if not locs:
            continue
        p = _nearest(m, [(pm, (c, s)) for pm, c, s in parents if c in LOCATION_OF])
        if p is None:
            continue
        pm, (code, status) = p
        if "family" in pm.cats or _status(pm.cats, False) is None:
            continue
        target = LOCATION_OF[code]
        if code == PAIN and any(r.clause == m.clause and pm.last < r.first < m.first for r in rads):
            target = RADIATION
        values = _side(kb, all_toks, m, tuple(locs))
        surface = text[m.start : m.end]
        for v in values:
            out.append(_finding(target, status, v, m, surface))
    return out


def _parent_codes(e: LexEntry) -> list[str]:
    codes = [e.evidence] if e.evidence in LOCATION_OF else []
    codes += [w.evidence for w in e.with_ if w.evidence in LOCATION_OF]
    if e.evidence is not None and e.evidence not in LOCATION_OF:
        # An entry implying a location of pain ("headache") is itself a pain mention.
        for w in e.with_:
            for parent, loc in LOCATION_OF.items():
                if w.evidence == loc and parent not in codes:
                    codes.append(parent)
    return codes


def _nearest(m: _Match, cands: list[tuple[_Match, Any]]) -> tuple[_Match, Any] | None:
    best: tuple[int, tuple[_Match, Any]] | None = None
    for pm, payload in cands:
        if pm is m:
            return (pm, payload)
        dist = (0 if pm.clause == m.clause else 1000) + min(
            abs(pm.first - m.last), abs(m.first - pm.last)
        )
        if best is None or dist < best[0]:
            best = (dist, (pm, payload))
    return None if best is None else best[1]


def _side(
    kb: KnowledgeBase, all_toks: Sequence[_Tok], m: _Match, values: tuple[str, ...]
) -> tuple[str, ...]:
    """Keep the left or right values when "left"/"right" is said next to the location."""
    first = next(t.index for t in all_toks if t.start >= m.start)
    last = max(t.index for t in all_toks if t.end <= m.end)
    near = {all_toks[k].norm for k in range(max(0, first - 3), min(len(all_toks), last + 3))}
    for side, words_ in _quantities().sides.items():
        if near & words_:
            kept = tuple(v for v in values if side in kb.value_labels.get(v, {}).get("en", ""))
            if kept:
                return kept
    return values


def _numbers(
    text: str,
) -> tuple[list[Finding], list[tuple[int, int]], list[Duration], float | None]:
    q = _quantities()
    found: list[Finding] = []
    spans: list[tuple[int, int]] = []
    seen_temp: list[tuple[int, int]] = []
    for rx in (q.temp_unit, q.temp_after, q.temp_word):
        for m in rx.finditer(text):
            raw = m.group(1).replace(",", ".")
            unit = next((g for g in m.groups()[1:] if g), "") if rx is q.temp_unit else ""
            if (
                rx is q.temp_unit
                and not unit
                and "°" not in m.group()
                and "º" not in m.group()
                and "degr" not in m.group().lower()
            ):
                continue
            span = (m.start(1), m.end())
            if any(a <= span[0] < b for a, b in seen_temp):
                continue
            value = float(raw)
            celsius = (value - 32) * 5 / 9 if unit.lower().startswith("f") or value >= 90 else value
            if not q.plausible[0] <= celsius <= q.plausible[1]:
                continue
            seen_temp.append(span)
            spans.append(span)
            found.append(
                Finding(
                    FEVER,
                    "present" if celsius >= q.fever_from else "absent",
                    "num",
                    span=span,
                    text=text[span[0] : span[1]],
                    source="text",
                )
            )
    for m in q.pain_scale.finditer(text):
        n = int(m.group(1))
        if 0 <= n <= 10:
            spans.append((m.start(), m.end()))
            found.append(
                Finding(
                    PAIN_INTENSITY,
                    "present",
                    str(n),
                    span=(m.start(), m.end()),
                    text=m.group(),
                    source="text",
                )
            )

    def amount(qty: str) -> float | None:
        qty = qty.lower()
        return float(qty.replace(",", ".")) if qty[:1].isdigit() else q.number_words.get(qty)

    durations: list[Duration] = []
    for m in q.duration.finditer(text):
        days = None
        if m.group(1) and m.group(2):
            number = amount(m.group(1))
            per = q.unit_days.get(m.group(2).lower())
            if number is not None and per is not None:
                days = round(number * per, 4)
        elif m.group(3):
            days = q.since_when.get(m.group(3).lower())
        durations.append(Duration(m.start(), m.end(), m.group(), days))
        spans.append((m.start(), m.end()))
    age = None
    for m in q.infant_age.finditer(text):
        number = amount(m.group(1) or m.group(3) or "")
        per_unit = q.infant_units.get((m.group(2) or m.group(4) or "").lower())
        if number is not None and per_unit is not None:
            age = round(number * per_unit, 4)
            spans.append((m.start(), m.end()))
    return found, spans, durations, age


def _resolve(kb: KnowledgeBase, findings: list[Finding]) -> list[Finding]:
    """One finding per (evidence, value); present wins; one value per categorical."""
    rank = {"present": 0, "absent": 1, "unknown": 2}
    best: dict[tuple[str, str | None], Finding] = {}
    for f in findings:
        if f.evidence not in kb.by_code:
            continue
        key = (f.evidence, f.value)
        old = best.get(key)
        if old is None or rank[f.status] < rank[old.status]:
            best[key] = f
    out = list(best.values())
    present = {(f.evidence, f.value) for f in out if f.status == "present"}
    present_codes = {f.evidence for f in out if f.status == "present"}
    result: list[Finding] = []
    chosen_value: dict[str, Finding] = {}
    for f in out:
        ev = kb.by_code[f.evidence]
        if ev.type == "categorical" and f.status == "present":
            old = chosen_value.get(f.evidence)
            if old is None or (ev.scale and int(f.value or 0) > int(old.value or 0)):
                chosen_value[f.evidence] = f
            continue
        if ev.type == "categorical" and f.status != "present" and f.evidence in present_codes:
            continue
        if (
            f.status == "absent"
            and f.value is None
            and any(kb.by_code[c].parent == f.evidence for c in present_codes)
        ):
            continue
        if f.status != "present" and f.value is None and (f.evidence, None) in present:
            continue
        result.append(f)
    result += chosen_value.values()
    result.sort(key=lambda f: (f.span or (0, 0), f.evidence, f.value or ""))
    return result


def _red_flags(
    rules: Sequence[TextRedFlagRule],
    flags: Sequence[_Match],
    findings: Sequence[Finding],
    lang: str,
    text: str,
    age: float | None,
    age_in_text: float | None,
) -> list[TextRedFlag]:
    live: dict[tuple[str, int], _Match] = {}
    for f in flags:
        if f.cats & {"negated", "family", "hypothetical", "historical"}:
            continue
        for _, key in f.items:
            live.setdefault(key, f)
    present = [f for f in findings if f.status == "present"]
    out: list[TextRedFlag] = []
    for rule in rules:
        span: tuple[int, int] | None = None
        ok = True
        for gi, group in enumerate(rule.all_of):
            m = live.get((rule.id, gi))
            met = m is not None
            if m is not None and span is None:
                span = (m.start, m.end)
            if not met:
                met = any(
                    f.evidence == ev.evidence and (not ev.values or f.value in ev.values)
                    for ev in group.evidences
                    for f in present
                )
                if met and span is None:
                    span = next(
                        (
                            f.span
                            for ev in group.evidences
                            for f in present
                            if f.evidence == ev.evidence and f.span is not None
                        ),
                        None,
                    )
            if not met and group.age_below_years is not None:
                known = age if age is not None else age_in_text
                met = known is not None and known < group.age_below_years
            if not met:
                ok = False
                break
        if ok:
            out.append(
                TextRedFlag(
                    id=rule.id,
                    level=rule.level,
                    reason=dict(rule.reason),
                    source=rule.source,
                    span=span,
                    text=None if span is None else text[span[0] : span[1]],
                )
            )
    return out


def _not_understood(
    text: str,
    toks: Sequence[_Tok],
    covered: Sequence[tuple[int, int]],
    stop: frozenset[str],
    skip: frozenset[str],
) -> list[Span]:
    out: list[Span] = []
    run: list[_Tok] = []

    def flush() -> None:
        if run:
            out.append(Span(run[0].start, run[-1].end, text[run[0].start : run[-1].end]))
            run.clear()

    for t in toks:
        inside = any(a <= t.start < b for a, b in covered)
        filler = t.norm in stop or t.norm in skip or t.norm.isdigit() or len(t.norm) < 2
        if inside or filler:
            flush()
            continue
        if run and (run[-1].clause != t.clause or t.comma_before):
            flush()
        run.append(t)
    flush()
    return out
