"""What the routes call: turns request models into calls of the public Python API.

Thin and stateless: every call rebuilds the case from the request. Nothing medical here.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict
from typing import Any

from pydantic_core import to_json

from symptomatic._case import Finding, _slug, resolve_evidence
from symptomatic._checker import Checker, Result
from symptomatic._errors import InputError, UnknownConditionError
from symptomatic.api.models import (
    MAX_FINDINGS,
    CareOut,
    CaseIn,
    ConditionAbout,
    ConditionOut,
    DiagnosisOut,
    EvidenceOut,
    ExplainIn,
    ExplainOut,
    FindingOut,
    InfoOut,
    ParseIn,
    ParseOut,
    ReasonOut,
    SpanOut,
    ValueOut,
)
from symptomatic.engine.interview import DEFAULT_MAX_QUESTIONS

__all__ = ["MAX_QUESTIONS", "Service"]

#: Most questions one interview asks (the interview's own default).
MAX_QUESTIONS = DEFAULT_MAX_QUESTIONS


class Service:
    """Holds one :class:`Checker` (read-only after build) and precomputed listings."""

    def __init__(self, checker: Checker) -> None:
        self.checker = checker
        kb = checker.kb
        self.conditions = {
            lang: sorted(
                (
                    ConditionOut(
                        id=c.id,
                        name=c.name[lang],
                        icd10=c.icd10,
                        severity=c.severity,
                        care_level=c.care_level,
                    )
                    for c in kb.conditions
                ),
                key=lambda c: c.name,
            )
            for lang in ("en", "fr")
        }
        self.evidences = {
            lang: [
                EvidenceOut(
                    code=e.code,
                    name=e.slug,
                    type=e.type,
                    parent=e.parent,
                    history=e.antecedent,
                    question=e.text[lang].question,
                    values=[]
                    if e.scale
                    else [ValueOut(value=v, label=kb.value_labels[v][lang]) for v in e.values],
                    scale=e.scale,
                )
                for e in kb.evidences
            ]
            for lang in ("en", "fr")
        }
        self._haystack = {
            e.code: _slug(
                " ".join(
                    [e.code, e.slug]
                    + [e.text[lg].question for lg in ("en", "fr")]
                    + [e.text[lg].present for lg in ("en", "fr")]
                )
            )
            for e in kb.evidences
        }
        src = kb.source
        files = src.get("files", {})
        self.info = InfoOut(
            name="symptomatic",
            version=_version(),
            knowledge_version=kb.version,
            knowledge_sha256=kb.sha256,
            conditions=len(kb.conditions),
            evidences=len(kb.evidences),
            dataset=str(src.get("dataset", "")),
            attribution=kb.attribution,
            knowledge_licence=str(src.get("licence", "")),
            code_licence="MIT",
            sources={str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {},
        )
        self._about: dict[str, dict[str, dict[str, Any]]] = {
            lang: {
                cid: ConditionAbout.model_validate(texts[lang], from_attributes=True).model_dump()
                for cid, texts in kb.info.items()
                if lang in texts
            }
            for lang in ("en", "fr")
        }

    # -- listings --------------------------------------------------------------------
    def list_evidences(self, lang: str, search: str | None) -> list[EvidenceOut]:
        rows = self.evidences[lang]
        if not search:
            return rows
        word = _slug(search)
        return [r for r in rows if word in self._haystack[r.code]]

    # -- the case --------------------------------------------------------------------
    def _findings(self, case: CaseIn) -> list[Finding]:
        kb = self.checker.kb
        total = len(case.findings) + len(case.answers)
        if total > MAX_FINDINGS:
            raise InputError(
                "findings", f"too many findings and answers (at most {MAX_FINDINGS})", total
            )
        out: dict[tuple[str, str | None], Finding] = {}
        for where, items in (("findings", case.findings), ("answers", case.answers)):
            for i, f in enumerate(items):
                ev = resolve_evidence(kb, f.evidence, field=f"{where}[{i}].evidence")
                key = (ev.code, f.value if ev.type == "multi" else None)
                out[key] = Finding(ev.code, f.status, f.value)  # answers win
        return list(out.values())

    def check(self, case: CaseIn) -> Result:
        """:meth:`Checker.check` on the whole case (text and structured findings)."""
        text = case.text if case.text is not None and case.text.strip() else None
        return self.checker.check(
            age=case.age, sex=case.sex, findings=self._findings(case), text=text, lang=case.lang
        )

    def diagnosis(self, case: CaseIn) -> DiagnosisOut:
        """The diagnosis answer as a validated :class:`DiagnosisOut` (the typed reference)."""
        result, question, stop = self._diagnose(case)
        from symptomatic.language.compose import phrases

        words = phrases(result.lang)
        level = result.triage.level
        care = CareOut(title=words["level_name"][level], action=words["level_now"][level])
        out = DiagnosisOut.model_validate(
            {
                "differential": result.differential,
                "triage": result.triage,
                "findings": result.findings,
                "not_understood": result.not_understood,
                "something_else": result.something_else,
                "summary": result.summary,
                "disclaimer": result.disclaimer,
                "lang": result.lang,
                "age": result.age,
                "sex": result.sex,
                "knowledge": result.knowledge,
                "care": care,
                "next_question": question,
                "should_stop": stop,
            },
            from_attributes=True,
        )
        info = self.checker.kb.info
        for c in out.differential:
            about = info.get(c.id, {}).get(result.lang)
            if about is not None:
                c.about = ConditionAbout.model_validate(about, from_attributes=True)
        return out

    def diagnosis_json(self, case: CaseIn) -> bytes:
        """:meth:`diagnosis`, serialised, built directly from the result (the API's hot path).

        The fields come from frozen, already-checked dataclasses: validating them into
        pydantic models only to serialise them again cost a fifth of each request.
        ``tests/test_api.py`` checks that the bytes are exactly those of
        ``diagnosis(case).model_dump_json()``.
        """
        result, question, stop = self._diagnose(case)
        from symptomatic.language.compose import phrases

        lang = result.lang
        words = phrases(lang)
        level = result.triage.level
        about = self._about[lang]
        t = result.triage
        body: dict[str, Any] = {
            "differential": [
                {
                    "id": c.id,
                    "name": c.name,
                    "icd10": c.icd10,
                    "probability": float(c.probability),
                    "severity": c.severity,
                    "care_level": c.care_level,
                    "reasons_for": [_reason(r) for r in c.reasons_for],
                    "reasons_against": [_reason(r) for r in c.reasons_against],
                    "about": about.get(c.id),
                }
                for c in result.differential
            ],
            "triage": {
                "level": t.level,
                "reasons": list(t.reasons),
                "codes": list(t.codes),
                "call_emergency_number": t.call_emergency_number,
            },
            "findings": [
                {
                    "evidence": f.evidence,
                    "slug": f.slug,
                    "label": f.label,
                    "status": f.status,
                    "value": f.value,
                    "value_label": f.value_label,
                    "span": None if f.span is None else list(f.span),
                    "text": f.text,
                    "source": f.source,
                }
                for f in result.findings
            ],
            "not_understood": [
                {"start": s.start, "end": s.end, "text": s.text} for s in result.not_understood
            ],
            "something_else": {
                "likely": result.something_else.likely,
                "reason": result.something_else.reason,
            },
            "summary": result.summary,
            "disclaimer": result.disclaimer,
            "lang": lang,
            "age": None if result.age is None else float(result.age),
            "sex": result.sex,
            "knowledge": {
                "version": result.knowledge["version"],
                "sha256": result.knowledge["sha256"],
            },
            "care": {"title": words["level_name"][level], "action": words["level_now"][level]},
            "next_question": question,
            "should_stop": stop,
        }
        return to_json(body)

    def explain(self, req: ExplainIn) -> ExplainOut:
        kb = self.checker.kb
        cond = kb.condition_by_id.get(req.condition.strip().lower())
        if cond is None:
            close = difflib.get_close_matches(
                _slug(req.condition), list(kb.condition_by_id), n=3, cutoff=0.4
            )
            raise UnknownConditionError(
                "condition", "no condition has this id", req.condition, close
            )
        from symptomatic.engine import encode, explain, posterior

        result = self.check(req)  # validates the case and reads the text once
        findings = [(f.evidence, f.status, f.value) for f in result.findings]
        model = self.checker.model
        slots = encode(model, findings)
        probs = posterior(model, slots, age=result.age)
        index = kb.conditions.index(cond)
        reasons = []
        for ct in explain(model, slots, probs, index):
            ev = kb.by_code[ct.evidence]
            status = "absent" if ct.value == "absent" else "present"
            value = None if ct.value in ("present", "absent") else ct.value
            text = ev.text[result.lang]
            label = text.absent if status == "absent" else text.present
            if value is not None:
                label = f"{label}: {ev.value_label(kb, value, result.lang)}"
            reasons.append(
                ReasonOut(
                    evidence=ev.code,
                    slug=ev.slug,
                    label=label,
                    status=status,
                    value=value,
                    weight=round(float(ct.weight), 3),
                )
            )
        return ExplainOut(
            id=cond.id,
            name=cond.name[result.lang],
            icd10=cond.icd10,
            probability=round(float(probs[index]), 4),
            reasons_for=[r for r in reasons if r.weight > 0],
            reasons_against=[r for r in reasons if r.weight < 0],
        )

    def parse(self, req: ParseIn) -> ParseOut:
        from symptomatic.language.parse import parse

        parsed = parse(self.checker.kb, req.text, lang=req.lang)
        lang = str(parsed.lang or req.lang or "en")
        findings = [self._finding_out(f, lang) for f in parsed.findings]
        spans = [SpanOut(start=s.start, end=s.end, text=s.text) for s in parsed.not_understood]
        from symptomatic.language import compose

        flags = [compose.triage_reason(self.checker.kb, r, lang) for r in parsed.triage_reasons]
        return ParseOut(lang=lang, findings=findings, not_understood=spans, red_flags=flags)

    def _finding_out(self, f: Any, lang: str) -> FindingOut:
        found = self.checker.finding_result(f, lang)
        span = None if found.span is None else list(found.span)
        return FindingOut.model_validate({**asdict(found), "span": span})

    def _diagnose(self, case: CaseIn) -> tuple[Result, dict[str, Any] | None, bool]:
        """The result, the next question (as QuestionOut fields) and whether to stop."""
        result = self.check(case)
        question, stop = self._next_question(case, result)
        return result, question, stop

    # -- interview -------------------------------------------------------------------
    def _next_question(self, case: CaseIn, result: Result) -> tuple[dict[str, Any] | None, bool]:
        """The interview's next question for this case (stateless: rebuilt every call).

        Everything known so far is the interview's starting point; the questions already
        answered (distinct evidences in ``answers``) count against its question budget.
        """
        from symptomatic.interview import Interview

        kb = self.checker.kb
        answered = {resolve_evidence(kb, a.evidence).code for a in case.answers}
        budget = MAX_QUESTIONS - len(answered)
        if budget <= 0:
            return None, True
        findings = [
            Finding(f.evidence, f.status, f.value)  # type: ignore[arg-type]
            for f in result.findings
            if f.source != "implied"
        ]
        interview = Interview(
            self.checker,
            age=result.age,
            sex=result.sex,
            findings=findings,
            lang=result.lang,
            max_questions=budget,
        )
        question = interview.next_question()
        if question is None:
            return None, True
        return _question_out(question, len(answered) + 1), False


def _reason(r: Any) -> dict[str, Any]:
    return {
        "evidence": r.evidence,
        "slug": r.slug,
        "label": r.label,
        "status": r.status,
        "value": r.value,
        "weight": float(r.weight),
    }


def _question_out(q: Any, number: int) -> dict[str, Any]:
    """The fields of :class:`QuestionOut`, in its order."""
    return {
        "code": q.evidence,
        "slug": q.slug,
        "kind": q.kind,
        "text": q.text,
        "choices": [{"value": c.value, "label": c.label} for c in q.choices],
        "why": q.why,
        "number": number,
        "max_questions": MAX_QUESTIONS,
    }


def _version() -> str:
    from symptomatic import __version__

    return __version__
