"""Readability of the answers: render every condition at every care level it can reach.

For each condition and each care level at least as urgent as its own (red flags and a
severe condition that stays plausible can raise the level, never lower it), in English and
French, :func:`render_cases` builds the answer :mod:`symptomatic.language.compose` writes.
:func:`run_words` scores them: Flesch-Kincaid grade for English (target ≤ 8) and
Kandel-Moles reading ease for French (target ≥ 60), both from ``textstat`` (a dev/bench
dependency, imported only when scoring).

``symptomatic bench words --json`` prints ``run_words(load_knowledge())``.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

from symptomatic._levels import CARE_LEVELS, URGENT_LEVELS, CareLevel, urgency
from symptomatic._types import (
    LANGS,
    ConditionResult,
    FindingResult,
    Reason,
    SomethingElse,
    TriageResult,
)
from symptomatic.engine import TriageReason
from symptomatic.knowledge import KnowledgeBase
from symptomatic.language.compose import answer as compose

MAX_FK_GRADE: Final[float] = 8.0
MIN_KANDEL_MOLES: Final[float] = 60.0


@dataclass(frozen=True, slots=True)
class RenderedCase:
    """One answer as rendered, with what it was rendered for."""

    condition: str
    level: CareLevel
    lang: str
    parts: dict[str, list[str]]
    text: str
    #: KB wording quoted in the answer (condition names, symptom labels): not ours to judge.
    quoted: tuple[str, ...]


def reachable_levels(care_level: CareLevel) -> tuple[CareLevel, ...]:
    """The condition's own level and every more urgent one."""
    return tuple(lv for lv in CARE_LEVELS if urgency(lv) <= urgency(care_level))


def _reason(kb: KnowledgeBase, eid: str, lang: str, *, present: bool, weight: float) -> Reason:
    ev = kb.evidence_by_id[eid]
    label = ev.text[lang].present if present else ev.text[lang].absent
    return Reason(eid, label, "present" if present else "absent", None, weight)


def listed(kb: KnowledgeBase, index: int) -> list[str]:
    """The evidences a condition's source lists for it, in vocabulary order."""
    row = kb.arrays.shows[index]
    return [e.id for j, e in enumerate(kb.evidences) if row[j]]


def case_inputs(
    kb: KnowledgeBase, condition_id: str, level: CareLevel, lang: str
) -> dict[str, Any]:
    """Keyword arguments for :func:`compose.sections` for one condition forced to ``level``.

    The condition leads with 62 in 100; two neighbours in the knowledge base follow. The
    level's reason is the condition itself at its own level, else a red-flag rule of that
    level (or, without one, a severe condition of that level that stays plausible).
    """
    index = next(i for i, c in enumerate(kb.conditions) if c.id == condition_id)
    cond = kb.conditions[index]
    others = [kb.conditions[(index + k) % len(kb.conditions)] for k in (1, 2)]
    own = listed(kb, index)
    symptoms = [
        e for e in own if kb.evidence_by_id[e].kind == "binary" and not kb.evidence_by_id[e].history
    ]
    chosen = symptoms[:3] or own[:1]
    other_index = kb.conditions.index(others[0])
    against = [e for e in listed(kb, other_index) if e not in own][:1]

    def result(c: Any, p: float, with_reasons: bool) -> ConditionResult:
        return ConditionResult(
            id=c.id,
            name=c.name[lang],
            icd10=c.icd10,
            probability=p,
            severity=c.severity,
            care_level=c.care_level,
            reasons_for=tuple(
                _reason(kb, e, lang, present=True, weight=1.0) for e in chosen if with_reasons
            ),
            reasons_against=tuple(
                _reason(kb, e, lang, present=False, weight=-0.5) for e in against if with_reasons
            ),
        )

    differential = [result(cond, 0.62, True), result(others[0], 0.23, False)]
    differential.append(result(others[1], 0.08, False))
    findings = [
        FindingResult(
            evidence=e,
            label=kb.evidence_by_id[e].text[lang].present,
            status="present",
            value=None,
            value_label=None,
            span=None,
            text=None,
            source="answer",
        )
        for e in chosen
    ]
    reasons: list[TriageReason] = []
    if level == cond.care_level:
        reasons.append(TriageReason("likely", cond.id, level, 0.62))
    else:
        rules = [r for r in kb.red_flags if r.level == level]
        severe = [c for c in kb.conditions if c.care_level == level]
        if rules:
            reasons.append(TriageReason("red_flag", rules[index % len(rules)].id, level))
        elif severe:
            reasons.append(TriageReason("possible", severe[0].id, level, 0.08))
        reasons.append(TriageReason("likely", cond.id, cond.care_level, 0.62))
    triage = TriageResult(
        level=level,
        reasons=tuple(compose.triage_reason(kb, r, lang) for r in reasons),
        codes=tuple(f"{r.kind}:{r.ref}" if r.ref else r.kind for r in reasons),
        call_emergency_number=level in URGENT_LEVELS,
    )
    return {
        "differential": differential,
        "triage": triage,
        "findings": findings,
        "something_else": SomethingElse(False, ""),
        "lang": lang,
    }


def render_cases(
    kb: KnowledgeBase,
    *,
    langs: Sequence[str] = LANGS,
    age: float | None = 35,
    worried: bool = False,
    pregnant: bool | None = None,
) -> Iterator[RenderedCase]:
    """Every condition at every level it can reach, in each language."""
    for cond in kb.conditions:
        for level in reachable_levels(cond.care_level):
            for lang in langs:
                kwargs = case_inputs(kb, cond.id, level, lang)
                parts = compose.sections(kb, **kwargs, age=age, worried=worried, pregnant=pregnant)
                quoted = [c.name for c in kwargs["differential"]]
                quoted += [
                    kb.condition_by_id[code.split(":", 1)[1]].name[lang]
                    for code in kwargs["triage"].codes
                    if code.startswith(("likely:", "possible:"))
                ]
                quoted += [f.label for f in kwargs["findings"]]
                for c in kwargs["differential"]:
                    quoted += [r.label for r in (*c.reasons_for, *c.reasons_against)]
                yield RenderedCase(
                    condition=cond.id,
                    level=level,
                    lang=lang,
                    parts=parts,
                    text=compose.render(parts, level=level),
                    quoted=tuple(quoted),
                )


def readability(text: str, lang: str) -> float:
    """Flesch-Kincaid grade (English) or Kandel-Moles reading ease (French)."""
    import textstat

    textstat.set_lang(lang)
    try:
        if lang == "fr":
            return float(textstat.flesch_reading_ease(text))
        return float(textstat.flesch_kincaid_grade(text))
    finally:
        textstat.set_lang("en")


def passes(score: float, lang: str) -> bool:
    return score >= MIN_KANDEL_MOLES if lang == "fr" else score <= MAX_FK_GRADE


def _quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = q * (len(ordered) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def run_words(kb: KnowledgeBase) -> dict[str, Any]:
    """Readability distribution of every rendered answer, per language."""
    scores: dict[str, list[tuple[float, RenderedCase]]] = {lang: [] for lang in LANGS}
    for case in render_cases(kb):
        scores[case.lang].append((readability(case.text, case.lang), case))
    out: dict[str, Any] = {"count": sum(len(v) for v in scores.values())}
    passing = 0
    for lang, rows in scores.items():
        values = [s for s, _ in rows]
        ok = sum(passes(s, lang) for s in values)
        passing += ok
        worst = sorted(rows, key=lambda r: -r[0] if lang == "en" else r[0])[:3]
        block: dict[str, Any] = {
            "metric": "kandel_moles" if lang == "fr" else "flesch_kincaid_grade",
            "target": f">= {MIN_KANDEL_MOLES:g}" if lang == "fr" else f"<= {MAX_FK_GRADE:g}",
            "count": len(values),
            "min": round(min(values), 2) if values else None,
            "median": round(statistics.median(values), 2) if values else None,
            "max": round(max(values), 2) if values else None,
            "share_passing": round(ok / len(values), 4) if values else None,
            "worst": [
                {"condition": c.condition, "level": c.level, "score": round(s, 2)} for s, c in worst
            ],
        }
        if values:
            key, q = ("p10", 0.1) if lang == "fr" else ("p90", 0.9)
            block[key] = round(_quantile(values, q), 2)
        out[lang] = block
    out["share_passing"] = round(passing / out["count"], 4) if out["count"] else None
    return out
