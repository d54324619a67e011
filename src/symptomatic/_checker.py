"""The public entry point: :class:`Checker` turns a case into a :class:`Result`.

Data flows one way: text (read by the language layer) and structured findings -> the
checked case -> the engine's posterior -> red flags and care level -> words (the language
layer's compose). Each step is a private method; the checker adds nothing medical of its
own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from symptomatic._case import make_case, merge_findings, present_values, resolve_evidence
from symptomatic._errors import InputError
from symptomatic._levels import URGENT_LEVELS
from symptomatic._types import (
    LANGS,
    Case,
    ConditionResult,
    Finding,
    FindingResult,
    Reason,
    Result,
    SomethingElse,
    Span,
    TriageResult,
    public,
)
from symptomatic.engine.compile import CompiledModel, compile_model
from symptomatic.engine.posterior import (
    Contribution,
    differential_members,
    encode,
    explain_many,
    posterior,
)
from symptomatic.engine.red_flags import fired_rules
from symptomatic.engine.triage import TriageDecision, triage
from symptomatic.knowledge import Evidence, KnowledgeBase, RedFlagRule, load_knowledge

if TYPE_CHECKING:
    from symptomatic.engine.interview import QuestionTable
    from symptomatic.language.parse import ParseResult

__all__ = ["Checker", "check"]

_REASONS_SHOWN = 5
_REASONS_LOOKED_AT = 10


@dataclass(frozen=True, slots=True)
class _Reading:
    """What the text said besides findings (empty when there was no text)."""

    text: str = ""
    hedged: tuple[Finding, ...] = ()
    said: frozenset[str] = frozenset()
    not_understood: tuple[Span, ...] = ()
    outside_terms: tuple[str, ...] = ()
    worried: bool = False
    age: float | None = None
    no_findings: bool = False
    days: float | None = None  # the longest duration said, in days

    @classmethod
    def of(cls, parsed: ParseResult) -> _Reading:
        return cls(
            text=parsed.text,
            hedged=parsed.hedged,
            said=parsed.said,
            not_understood=parsed.not_understood,
            outside_terms=parsed.outside_terms,
            worried=parsed.worried,
            age=parsed.age_in_text,
            no_findings=not parsed.findings,
            days=max((d.days for d in parsed.durations if d.days is not None), default=None),
        )


@dataclass(frozen=True, slots=True)
class Assessment:
    """The numbers behind one result: the case, its posterior and the red flags."""

    case: Case
    probs: Any  # (H,) posterior over the hypotheses, or None with no symptom
    fired: tuple[RedFlagRule, ...]
    age: float | None
    reading: _Reading = field(default_factory=_Reading)


@public
class Checker:
    """Symptom checker over one knowledge base.

    ``Checker()`` loads the packaged knowledge base and compiles its arrays once; reuse the
    instance. Settings are keyword-only: ``knowledge`` (a :class:`KnowledgeBase` or a
    directory), ``temperature`` (overrides the calibrated one), ``max_conditions`` (the
    longest differential returned) and ``min_probability``. The differential lists the
    conditions still worth considering (above ``min_probability``, or able to show most
    of the symptoms found), most likely first, each with its calibrated probability.
    """

    def __init__(
        self,
        *,
        knowledge: KnowledgeBase | str | Path | None = None,
        temperature: float | None = None,
        max_conditions: int = 10,
        min_probability: float = 0.01,
    ) -> None:
        if temperature is not None and not (
            isinstance(temperature, int | float) and 0 < temperature < float("inf")
        ):
            raise InputError("temperature", "must be a positive number", temperature)
        if (
            isinstance(max_conditions, bool)
            or not isinstance(max_conditions, int)
            or max_conditions < 1
        ):
            raise InputError("max_conditions", "must be a whole number >= 1", max_conditions)
        if not isinstance(min_probability, int | float) or not 0.0 <= min_probability < 1.0:
            raise InputError("min_probability", "must be in [0, 1)", min_probability)
        if knowledge is not None and not isinstance(knowledge, KnowledgeBase | str | Path):
            raise InputError(
                "knowledge", "must be a KnowledgeBase or a directory", type(knowledge).__name__
            )
        self.kb: KnowledgeBase = (
            knowledge if isinstance(knowledge, KnowledgeBase) else load_knowledge(knowledge)
        )
        self.model: CompiledModel = compile_model(self.kb, temperature=temperature)
        self.max_conditions = max_conditions
        self.min_probability = float(min_probability)
        self._parents = {e.id: e.parent for e in self.kb.evidences if e.parent is not None}
        self._questions: QuestionTable | None = None

    def question_table(self) -> QuestionTable:
        """The arrays of question selection over this checker's model, compiled on first use
        (an interview needs them; a single check does not)."""
        if self._questions is None:
            from symptomatic.engine.interview import compile_questions

            self._questions = compile_questions(self.kb, self.model)
        return self._questions

    # -- building blocks ------------------------------------------------------------
    def case(
        self,
        *,
        age: float | None = None,
        sex: str | None = None,
        findings: Iterable[Finding] | None = (),
    ) -> Case:
        """Check a case against the knowledge base (raises InputError on bad input)."""
        return make_case(self.kb, age=age, sex=sex, findings=findings)

    def evidence(self, name: str) -> Evidence:
        """The evidence an id or a source code names (``"fever"``, ``"E_91"``)."""
        return resolve_evidence(self.kb, name)

    def probabilities(self, case: Case) -> Any:
        """P(hypothesis | case) for every condition in knowledge-base order, then "something
        else" when the model has it."""
        slots = encode(self.model, ((f.evidence, f.status, f.value) for f in case.findings))
        return posterior(self.model, slots, age=case.age, sex=case.sex)

    def read(
        self,
        text: str,
        *,
        lang: str | None = None,
        age: float | None = None,
        semantic: bool = False,
    ) -> ParseResult:
        """What the language layer reads in ``text`` (findings with their spans, ...)."""
        from symptomatic.language.parse import parse

        return parse(self.kb, text, lang=lang, age=age, semantic=semantic)

    def assess(
        self,
        *,
        age: float | None = None,
        sex: str | None = None,
        findings: Iterable[Finding] | None = (),
        answers: Iterable[Finding] = (),
        text: str | None = None,
        lang: str | None = None,
        semantic: bool = False,
    ) -> tuple[Assessment, str]:
        """The case, its posterior and red flags (and the language of the answer)."""
        if lang is not None and lang not in LANGS:
            raise InputError("lang", f"must be one of {', '.join(LANGS)}", lang, LANGS)
        given = self._resolved(findings, "findings")
        asked = self._resolved(answers, "answers")
        reading = _Reading()
        from_text: list[Finding] = []
        if text is not None:
            parsed = self.read(text, lang=lang, age=age, semantic=semantic)
            lang = lang or parsed.lang
            reading = _Reading.of(parsed)
            from_text = list(parsed.findings)
        case = self.case(
            age=age if age is not None else reading.age,
            sex=sex,
            findings=merge_findings(from_text, given, asked, parents=self._parents),
        )
        return self.assess_case(case, reading=reading), lang or LANGS[0]

    def assess_case(self, case: Case, *, reading: _Reading | None = None) -> Assessment:
        """The posterior and red flags of an already checked case."""
        reading = reading or _Reading()
        present = present_values(case)
        probs = self.probabilities(case) if present else None
        for f in reading.hedged:  # a danger sign said with doubt still counts
            present.setdefault(f.evidence, []).append(f.value)
        age = case.age if case.age is not None else reading.age
        fired = fired_rules(
            self.kb.red_flags, present, age=age, said=reading.said, days=reading.days
        )
        return Assessment(case, probs, tuple(fired), age, reading)

    # -- the whole answer -----------------------------------------------------------
    def check(
        self,
        *,
        age: float | None = None,
        sex: str | None = None,
        findings: Iterable[Finding] | None = (),
        text: str | None = None,
        lang: str | None = None,
        semantic: bool = False,
        answers: Iterable[Finding] = (),
    ) -> Result:
        """Differential, care level and plain-language answer for one case.

        ``text`` (English or French) is read by the language layer and combined with the
        structured ``findings`` and the interview's ``answers``: for each evidence, an
        answer wins over a finding, which wins over text. ``semantic=True`` also reads
        unrecognised phrases with the optional sentence model (``symptomatic[semantic]``).
        """
        assessment, lang = self.assess(
            age=age,
            sex=sex,
            findings=findings,
            answers=answers,
            text=text,
            lang=lang,
            semantic=semantic,
        )
        return self.result_of(assessment, lang=lang)

    def result(self, case: Case, *, lang: str = "en") -> Result:
        """The :class:`Result` for an already checked case (no text)."""
        return self.result_of(self.assess_case(case), lang=lang)

    def findings_of(self, a: Assessment, *, lang: str) -> tuple[FindingResult, ...]:
        """The findings of an assessment's case as a :class:`Result` reports them."""
        from symptomatic.language.compose.labels import finding_result

        return tuple(finding_result(self.kb, f, lang) for f in a.case.findings)

    def result_of(self, a: Assessment, *, lang: str) -> Result:
        """The :class:`Result` of an assessment, worded in ``lang``."""
        return self.composed(a, lang=lang)[0]

    def composed(self, a: Assessment, *, lang: str) -> tuple[Result, dict[str, list[str]]]:
        """The :class:`Result` of an assessment and its summary's parts (the summary is
        those parts rendered; see :func:`symptomatic.language.compose.answer.sections`)."""
        from symptomatic.language.compose import answer as compose

        kb = self.kb
        outside, outside_reason = self._outside_knowledge(a, lang)
        decision = triage(kb, a.probs, a.fired, outside_knowledge=bool(a.reading.outside_terms))
        differential = self._differential(a, outside, lang)
        findings = self.findings_of(a, lang=lang)
        triage_result = self._triage_result(decision, lang)
        something = SomethingElse(outside, outside_reason, self._other(a.probs))
        parts = compose.sections(
            kb,
            differential=differential,
            triage=triage_result,
            findings=findings,
            something_else=something,
            lang=lang,
            age=a.age,
            text=a.reading.text,
            worried=a.reading.worried,
        )
        summary = compose.render(parts, level=triage_result.level)
        urgent = decision.level in URGENT_LEVELS
        result = Result(
            differential=tuple(differential),
            triage=triage_result,
            findings=findings,
            not_understood=a.reading.not_understood,
            something_else=something,
            summary=summary,
            disclaimer=compose.disclaimer(lang, urgent=urgent),
            lang=lang,
            age=a.case.age,
            sex=a.case.sex,
            knowledge={"version": kb.version, "sha256": kb.sha256},
        )
        return result, parts

    def explain(self, a: Assessment, condition: str, *, lang: str) -> ConditionResult:
        """Every finding that argues for or against ``condition`` (an id), strongest first."""
        import difflib

        from symptomatic._case import slug
        from symptomatic._errors import UnknownConditionError
        from symptomatic.engine import explain
        from symptomatic.language.compose.labels import reason

        kb, model = self.kb, self.model
        cid = condition.strip().lower() if isinstance(condition, str) else ""
        if cid not in kb.condition_by_id:
            close = difflib.get_close_matches(slug(cid), list(kb.condition_by_id), n=3, cutoff=0.4)
            raise UnknownConditionError("condition", "no condition has this id", condition, close)
        index = model.condition_ids.index(cid)
        probs = a.probs if a.probs is not None else self.probabilities(a.case)
        slots = encode(model, ((f.evidence, f.status, f.value) for f in a.case.findings))
        reasons = [
            reason(kb, ct.evidence, ct.value or "", round(float(ct.weight), 3), lang)
            for ct in explain(model, slots, probs, index)
        ]
        c = kb.conditions[index]
        return ConditionResult(
            id=c.id,
            name=c.name[lang],
            icd10=c.icd10,
            probability=round(float(probs[index]), 4),
            severity=c.severity,
            care_level=c.care_level,
            reasons_for=tuple(r for r in reasons if r.weight > 0),
            reasons_against=tuple(r for r in reasons if r.weight < 0),
        )

    # -- steps ----------------------------------------------------------------------
    def _resolved(self, findings: Iterable[Finding] | None, field: str) -> list[Finding]:
        """Findings with their evidence resolved to ids (so layers merge by evidence)."""
        if findings is None:
            return []
        if isinstance(findings, Finding | str) or not isinstance(findings, Iterable):
            raise InputError(field, "must be a list of Finding", type(findings).__name__)
        out = []
        for i, f in enumerate(findings):
            if not isinstance(f, Finding):
                raise InputError(
                    f"{field}[{i}]", "must be a Finding(evidence, status, value)", type(f).__name__
                )
            ev = resolve_evidence(self.kb, f.evidence, field=f"{field}[{i}].evidence")
            out.append(Finding(ev.id, f.status, f.value, f.span, f.text, f.source))
        return out

    def _other(self, probs: Any) -> float | None:
        if probs is None or self.model.other is None:
            return None
        return round(float(probs[self.model.other]), 4)

    def _outside_knowledge(self, a: Assessment, lang: str) -> tuple[bool, str]:
        """Whether "something else" is likely, and the sentence that says so.

        Likely when the text names something the knowledge base does not cover, or when
        the open-world hypothesis's posterior reaches the calibrated threshold.
        """
        from symptomatic.language.compose import answer as compose

        reading = a.reading
        if reading.outside_terms:
            return True, compose.outside_reason(reading.outside_terms, lang)
        if a.probs is None:
            if reading.text and reading.no_findings:
                return False, compose.no_symptoms_reason(lang)
            return False, ""
        other = self.model.other
        threshold = self.kb.calibration.something_else_threshold
        if other is not None and threshold is not None and a.probs[other] >= threshold:
            return True, compose.something_else_reason(lang)
        return False, ""

    def _differential(self, a: Assessment, outside: bool, lang: str) -> list[ConditionResult]:
        model = self.model
        probs = a.probs
        if probs is None:
            return []
        known = probs[: model.n_conditions]
        shown = np.zeros(len(model.evidence_ids))
        for f in a.case.findings:
            if f.status == "present":
                shown[model.evidence_column[f.evidence]] = 1.0
        members = differential_members(model, probs, shown, min_probability=self.min_probability)
        ranked = np.argsort(-known)
        order = ranked[members[ranked]][: self.max_conditions].tolist()
        slots = encode(model, ((f.evidence, f.status, f.value) for f in a.case.findings))
        reasons = explain_many(model, slots, probs, order)
        words: dict[int, Reason] = {}
        return [
            self._condition(i, float(known[i]), contribs, lang, words)
            for i, contribs in zip(order, reasons, strict=True)
        ]

    def _condition(
        self,
        i: int,
        p: float,
        contribs: Sequence[Contribution],
        lang: str,
        words: dict[int, Reason],
    ) -> ConditionResult:
        """Condition ``i`` with its strongest reasons for and against (at most 5 each).

        ``contribs`` is the engine's explanation for ``i``, strongest first; ``words``
        caches each slot's wording across the conditions of one result. Among the strongest
        reasons, what the person has comes before what they do not have, each by weight.
        """
        from symptomatic.language.compose.labels import reason

        c = self.kb.conditions[i]
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
            worded = words.get(ct.slot)
            if worded is None:
                worded = words[ct.slot] = reason(self.kb, ct.evidence, ct.value or "", 0.0, lang)
            kept.append(Reason(worded.evidence, worded.label, worded.status, worded.value, weight))
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

    def _triage_result(self, decision: TriageDecision, lang: str) -> TriageResult:
        from symptomatic.language.compose import answer as compose

        return TriageResult(
            level=decision.level,
            reasons=tuple(compose.triage_reason(self.kb, r, lang) for r in decision.reasons),
            codes=tuple(f"{r.kind}:{r.ref}" if r.ref else r.kind for r in decision.reasons),
            call_emergency_number=decision.level in URGENT_LEVELS,
        )


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
    return default_checker().check(
        age=age, sex=sex, findings=findings, text=text, lang=lang, semantic=semantic
    )


_DEFAULT: list[Checker] = []


def default_checker() -> Checker:
    """The process-wide checker over the packaged knowledge base, made on first use."""
    if not _DEFAULT:
        _DEFAULT.append(Checker())
    return _DEFAULT[0]
