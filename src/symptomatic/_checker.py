"""The public entry point: :class:`Checker` turns a case into a :class:`Result`.

Data flows one way: findings (given, or read from text) → engine posterior → triage →
language.compose. The checker adds nothing medical of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from symptomatic._case import Case, Finding, make_case, resolve_evidence
from symptomatic._errors import InputError
from symptomatic._levels import URGENT_LEVELS, CareLevel
from symptomatic.engine import (
    CompiledModel,
    TriageReason,
    compile_model,
    differential_members,
    encode,
    posterior,
    triage,
)
from symptomatic.engine.posterior import Contribution, explain_many
from symptomatic.knowledge import KnowledgeBase, load_knowledge
from symptomatic.knowledge._model import LANGS


@dataclass(frozen=True, slots=True)
class Reason:
    """A finding that argues for (weight > 0) or against (weight < 0) a condition."""

    evidence: str
    slug: str
    label: str
    status: str
    value: str | None
    weight: float


@dataclass(frozen=True, slots=True)
class ConditionResult:
    id: str
    name: str
    icd10: str
    probability: float
    severity: int
    care_level: CareLevel
    reasons_for: tuple[Reason, ...] = ()
    reasons_against: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class FindingResult:
    evidence: str
    slug: str
    label: str
    status: str
    value: str | None
    value_label: str | None
    span: tuple[int, int] | None
    text: str | None
    source: str


@dataclass(frozen=True, slots=True)
class TriageResult:
    level: CareLevel
    reasons: tuple[str, ...]
    codes: tuple[str, ...]
    call_emergency_number: bool


@dataclass(frozen=True, slots=True)
class SomethingElse:
    likely: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Result:
    """Everything one check returns; :meth:`to_dict` gives the shared JSON shape."""

    differential: tuple[ConditionResult, ...]
    triage: TriageResult
    findings: tuple[FindingResult, ...]
    not_understood: tuple[Span, ...]
    something_else: SomethingElse
    summary: str
    disclaimer: str
    lang: str
    age: float | None
    sex: str | None
    knowledge: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for f in out["findings"]:
            f["span"] = list(f["span"]) if f["span"] is not None else None
        return out


class Checker:
    """Symptom checker over one knowledge base.

    ``Checker()`` loads the packaged knowledge base and compiles its arrays once; reuse the
    instance. Settings are keyword-only: ``knowledge`` (a :class:`KnowledgeBase` or a
    directory), ``temperature`` (overrides the calibrated one), ``max_conditions`` (the
    longest differential returned) and ``min_probability``. The differential lists the
    conditions still worth considering (:func:`symptomatic.engine.differential_members`:
    above ``min_probability``, or able to show most of the symptoms found), most likely
    first, each with its calibrated probability.
    """

    def __init__(
        self,
        *,
        knowledge: KnowledgeBase | str | Path | None = None,
        temperature: float | None = None,
        max_conditions: int = 10,
        min_probability: float = 0.01,
    ) -> None:
        if temperature is not None and not temperature > 0:
            raise InputError("temperature", "must be a positive number", temperature)
        if max_conditions < 1:
            raise InputError("max_conditions", "must be at least 1", max_conditions)
        if not 0.0 <= min_probability < 1.0:
            raise InputError("min_probability", "must be in [0, 1)", min_probability)
        self.kb: KnowledgeBase = (
            knowledge if isinstance(knowledge, KnowledgeBase) else load_knowledge(knowledge)
        )
        self.model: CompiledModel = compile_model(self.kb, temperature=temperature)
        self.max_conditions = max_conditions
        self.min_probability = min_probability

    # -- building blocks ------------------------------------------------------------
    def case(
        self, *, age: float | None = None, sex: str | None = None, findings: Iterable[Finding] = ()
    ) -> Case:
        """Check a case against the knowledge base (raises InputError on bad input)."""
        return make_case(self.kb, age=age, sex=sex, findings=findings)

    def probabilities(self, case: Case) -> np.ndarray[Any, np.dtype[np.float64]]:
        """P(condition | case) for every condition, in knowledge-base order."""
        slots = encode(self.model, ((f.evidence, f.status, f.value) for f in case.findings))
        return posterior(self.model, slots, age=case.age)

    # -- the whole answer -----------------------------------------------------------
    def check(
        self,
        *,
        age: float | None = None,
        sex: str | None = None,
        findings: Iterable[Finding] = (),
        text: str | None = None,
        lang: str | None = None,
        semantic: bool = False,
    ) -> Result:
        """Differential, care level and plain-language answer for one case.

        ``text`` (English or French) is read by the language layer and combined with the
        structured ``findings``; a structured answer wins over text for the same evidence.
        ``semantic=True`` also reads unrecognised phrases with the optional sentence model
        (extra ``symptomatic[semantic]``).
        """
        if lang is not None and lang not in LANGS:
            raise InputError("lang", "must be en or fr", lang, LANGS)
        parsed = None
        given = list(findings)
        if text is not None:
            from symptomatic.language.parse import parse

            parsed = parse(self.kb, text, lang=lang, age=age, semantic=semantic)
            lang = lang or parsed.lang
            explicit = {resolve_evidence(self.kb, f.evidence).code for f in given}
            given += [f for f in parsed.findings if f.evidence not in explicit]
        lang = lang or "en"
        case = self.case(age=age, sex=sex, findings=given)
        return self.result(case, lang=lang, parsed=parsed)

    def result(self, case: Case, *, lang: str = "en", parsed: Any = None) -> Result:
        """Build the :class:`Result` for an already checked case."""
        from symptomatic.language import compose

        kb, model = self.kb, self.model
        present: dict[str, list[str | None]] = {}
        for f in case.findings:
            if f.status == "present":
                present.setdefault(f.evidence, []).append(f.value)
        has_symptom = bool(present)
        slots = encode(model, ((f.evidence, f.status, f.value) for f in case.findings))
        probs = posterior(model, slots, age=case.age) if has_symptom else None

        outside, outside_reason = self._outside_knowledge(case, probs, parsed, lang)
        extra: list[TriageReason] = list(parsed.triage_reasons) if parsed is not None else []
        decision = triage(kb, probs, present, outside_knowledge=outside, extra=extra)

        differential: list[ConditionResult] = []
        if probs is not None and not (outside and not _any_strong(probs)):
            shown = np.zeros(len(model.evidence_codes))
            shown[[model.evidence_column[c] for c in present]] = 1.0
            members = differential_members(
                model, probs, shown, min_probability=self.min_probability
            )
            order = [int(i) for i in np.argsort(-probs) if members[i]]
            shown_conditions = order[: self.max_conditions]
            reasons = explain_many(model, slots, probs, shown_conditions)
            words: dict[int, tuple[str, str, str, str, str | None]] = {}
            for i, contribs in zip(shown_conditions, reasons, strict=True):
                differential.append(self._condition(i, float(probs[i]), contribs, lang, words))
        findings = tuple(self.finding_result(f, lang) for f in case.findings)
        not_understood = tuple(
            Span(s.start, s.end, s.text) for s in (parsed.not_understood if parsed else ())
        )
        triage_result = TriageResult(
            level=decision.level,
            reasons=tuple(compose.triage_reason(kb, r, lang) for r in decision.reasons),
            codes=tuple(f"{r.kind}:{r.ref}" if r.ref else r.kind for r in decision.reasons),
            call_emergency_number=decision.level in URGENT_LEVELS,
        )
        something = SomethingElse(outside, outside_reason)
        summary = compose.summary(
            kb,
            differential=differential,
            triage=triage_result,
            findings=findings,
            something_else=something,
            lang=lang,
            age=case.age,
            parsed=parsed,
        )
        return Result(
            differential=tuple(differential),
            triage=triage_result,
            findings=findings,
            not_understood=not_understood,
            something_else=something,
            summary=summary,
            disclaimer=compose.disclaimer(lang, urgent=decision.level in URGENT_LEVELS),
            lang=lang,
            age=case.age,
            sex=case.sex,
            knowledge={"version": kb.version, "sha256": kb.sha256},
        )

    # -- helpers --------------------------------------------------------------------
    def _outside_knowledge(
        self, case: Case, probs: Any, parsed: Any, lang: str
    ) -> tuple[bool, str]:
        from symptomatic.language import compose

        if parsed is not None and parsed.outside_terms:
            return True, compose.outside_reason(parsed.outside_terms, lang)
        if probs is None:
            if parsed is not None and not parsed.findings:
                return False, compose.no_symptoms_reason(lang)
            return False, ""
        top = self.kb.conditions[int(np.argmax(probs))]
        floor = self.kb.floor * 1.01
        unexplained = [
            f.evidence
            for f in case.findings
            if f.status == "present"
            and self.kb.by_code[f.evidence].type == "binary"
            and float(self.kb.likelihood[f.evidence][int(np.argmax(probs))]) <= floor
            and not self.kb.by_code[f.evidence].antecedent
        ]
        if unexplained:
            labels = [self.kb.by_code[c].text[lang].present for c in unexplained]
            return True, compose.unexplained_reason(top.name[lang], labels, lang)
        return False, ""

    def _condition(
        self,
        i: int,
        p: float,
        contribs: Sequence[Contribution],
        lang: str,
        words: dict[int, tuple[str, str, str, str, str | None]],
    ) -> ConditionResult:
        """Condition ``i`` with its strongest reasons for and against (at most 5 each).

        ``contribs`` is :func:`~symptomatic.engine.explain` for ``i``, strongest first;
        ``words`` caches each slot's wording across the conditions of one result. Among
        the strongest reasons, what the person has comes before what they do not have
        ("cough" before "does not live with 4 or more people"), each by weight.
        """
        kb = self.kb
        c = kb.conditions[i]
        for_: list[Reason] = []
        against: list[Reason] = []
        for ct in contribs:
            weight = round(ct.weight, 3)
            if -0.05 <= weight <= 0.05:
                break  # strongest first: every later weight rounds as small or smaller
            kept = for_ if weight > 0.05 else against
            if len(kept) == _REASONS_LOOKED_AT:
                if len(for_) == len(against) == _REASONS_LOOKED_AT:
                    break
                continue
            parts = words.get(ct.slot)
            if parts is None:
                parts = words[ct.slot] = self._reason_words(ct, lang)
            kept.append(Reason(*parts, weight))
        for kept in (for_, against):
            kept.sort(key=lambda r: r.status != "present")  # stable: weight order kept
            del kept[_REASONS_SHOWN:]
        return ConditionResult(
            id=c.id,
            name=c.name[lang],
            icd10=c.icd10,
            probability=round(p, 4),
            severity=c.severity,
            care_level=c.care_level,
            reasons_for=tuple(for_),
            reasons_against=tuple(against),
        )

    def _reason_words(self, ct: Contribution, lang: str) -> tuple[str, str, str, str, str | None]:
        """(evidence, slug, label, status, value) of a reason, in ``lang``."""
        kb = self.kb
        ev = kb.by_code[ct.evidence]
        status = "absent" if ct.value == "absent" else "present"
        value = None if ct.value in ("present", "absent") else ct.value
        label = ev.text[lang].absent if status == "absent" else ev.text[lang].present
        if value is not None:
            label = f"{label}: {ev.value_label(kb, value, lang)}"
        return ev.code, ev.slug, label, status, value

    def finding_result(self, f: Finding, lang: str) -> FindingResult:
        """One finding as it is reported back, worded in ``lang``."""
        ev = self.kb.by_code[f.evidence]
        label = ev.text[lang].absent if f.status == "absent" else ev.text[lang].present
        return FindingResult(
            evidence=ev.code,
            slug=ev.slug,
            label=label,
            status=f.status,
            value=f.value,
            value_label=None if f.value is None else ev.value_label(self.kb, f.value, lang),
            span=f.span,
            text=f.text,
            source=f.source,
        )


_REASONS_SHOWN = 5
_REASONS_LOOKED_AT = 10


def _any_strong(probs: Any) -> bool:
    return bool(float(np.max(probs)) >= 0.5)


def check(
    *,
    age: float | None = None,
    sex: str | None = None,
    findings: Sequence[Finding] = (),
    text: str | None = None,
    lang: str | None = None,
    semantic: bool = False,
) -> Result:
    """One-off check with the packaged knowledge base (see :meth:`Checker.check`)."""
    return _default_checker().check(
        age=age, sex=sex, findings=findings, text=text, lang=lang, semantic=semantic
    )


_DEFAULT: list[Checker] = []


def _default_checker() -> Checker:
    if not _DEFAULT:
        _DEFAULT.append(Checker())
    return _DEFAULT[0]
