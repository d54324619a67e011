"""What the routes call: turns request models into calls of the public Python API.

Thin and stateless: every call rebuilds the case from the request, through the same
:class:`~symptomatic.Checker` methods the command line uses. Nothing medical here, and no
engine: the interview step starts from the case the checker has just assessed.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import to_json

from symptomatic import (
    LANGS,
    Checker,
    Finding,
    InputError,
    Interview,
    InterviewPolicy,
    Result,
    ui_words,
)
from symptomatic.api.models import (
    MAX_FINDINGS,
    CaseIn,
    ConditionAbout,
    ConditionOut,
    EvidenceOut,
    ExplainIn,
    ExplainOut,
    FindingIn,
    InfoOut,
    ParseIn,
    ParseOut,
    ReasonOut,
    ValueOut,
)

__all__ = ["MAX_QUESTIONS", "Service"]

#: Most questions one interview asks (the interview's own default).
MAX_QUESTIONS = InterviewPolicy().max_questions


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
                        care_source=c.care_source,
                    )
                    for c in kb.conditions
                ),
                key=lambda c: c.name.lower(),
            )
            for lang in LANGS
        }
        self.evidences = {
            lang: [
                EvidenceOut(
                    evidence=e.id,
                    codes=[c for cs in e.aliases.values() for c in cs],
                    kind="scale" if e.scale else e.kind,
                    parent=e.parent,
                    history=e.history,
                    question=e.text[lang].question,
                    values=[]
                    if e.scale
                    else [ValueOut(value=v, label=kb.values[v].label[lang]) for v in e.values],
                )
                for e in kb.evidences
            ]
            for lang in LANGS
        }
        self._haystack = {
            e.id: " ".join(
                [e.id]
                + [c for cs in e.aliases.values() for c in cs]
                + [e.text[lg].question for lg in LANGS]
                + [e.text[lg].present for lg in LANGS]
            ).lower()
            for e in kb.evidences
        }
        datasets = kb.sources.get("datasets", {})
        self.info = InfoOut(
            name="symptomatic",
            version=_version(),
            knowledge_version=kb.version,
            knowledge_sha256=kb.sha256,
            conditions=len(kb.conditions),
            evidences=len(kb.evidences),
            attribution=kb.attribution,
            code_licence="MIT",
            datasets={
                str(k): f"{v.get('name', k)} ({v.get('licence', 'licence unknown')})"
                for k, v in datasets.items()
                if isinstance(v, dict)
            },
        )
        self.words = {lang: ui_words(lang) for lang in LANGS}

    # -- listings --------------------------------------------------------------------
    def list_evidences(self, lang: str, search: str | None) -> list[EvidenceOut]:
        rows = self.evidences[lang]
        if not search:
            return rows
        word = search.strip().lower()
        return [r for r in rows if word in self._haystack[r.evidence]]

    # -- the case --------------------------------------------------------------------
    @staticmethod
    def _findings(items: list[FindingIn]) -> list[Finding]:
        return [Finding(f.evidence, f.status, f.value) for f in items]

    def _assess(self, case: CaseIn) -> tuple[Any, str]:
        total = len(case.findings) + len(case.answers)
        if total > MAX_FINDINGS:
            raise InputError(
                "findings", f"too many findings and answers (at most {MAX_FINDINGS})", total
            )
        text = case.text if case.text is not None and case.text.strip() else None
        return self.checker.assess(
            age=case.age,
            sex=case.sex,
            findings=self._findings(case.findings),
            answers=self._findings(case.answers),
            text=text,
            lang=case.lang,
        )

    def check(self, case: CaseIn) -> Result:
        """The whole answer for the case (text and structured findings)."""
        assessment, lang = self._assess(case)
        return self.checker.result_of(assessment, lang=lang)

    def diagnosis_json(self, case: CaseIn) -> bytes:
        """The diagnosis answer (``DiagnosisOut``'s shape), serialised once."""
        assessment, lang = self._assess(case)
        result = self.checker.result_of(assessment, lang=lang)
        question, stop = self._next_question(case, assessment, lang)
        body = result.to_dict()
        kb = self.checker.kb
        for c in body["differential"]:
            about = kb.info(c["id"], lang)
            c["about"] = (
                None
                if about is None
                else ConditionAbout.model_validate(about, from_attributes=True).model_dump()
            )
        words = self.words[lang]
        level = result.triage.level
        body["care"] = {"title": words["level_name"][level], "action": words["level_now"][level]}
        body["next_question"] = question
        body["should_stop"] = stop
        return to_json(body)

    def explain(self, req: ExplainIn) -> ExplainOut:
        assessment, lang = self._assess(req)
        c = self.checker.explain(assessment, req.condition, lang=lang)
        return ExplainOut(
            id=c.id,
            name=c.name,
            icd10=c.icd10,
            probability=c.probability,
            reasons_for=[ReasonOut.model_validate(r, from_attributes=True) for r in c.reasons_for],
            reasons_against=[
                ReasonOut.model_validate(r, from_attributes=True) for r in c.reasons_against
            ],
        )

    def parse(self, req: ParseIn) -> ParseOut:
        """What the words say: findings with their spans, what was not understood, and the
        red flags they raise."""
        assessment, lang = self.checker.assess(text=req.text, lang=req.lang)
        result = self.checker.result_of(assessment, lang=lang).to_dict()
        reading = assessment.reading
        return ParseOut.model_validate(
            {
                "lang": lang,
                "findings": [f for f in result["findings"] if f["source"] == "text"],
                "not_understood": result["not_understood"],
                "red_flags": [rule.reason[lang] for rule in assessment.fired],
                "age_in_text": reading.age,
            }
        )

    # -- interview -------------------------------------------------------------------
    def _next_question(
        self, case: CaseIn, assessment: Any, lang: str
    ) -> tuple[dict[str, Any] | None, bool]:
        """The interview's next question for this case (stateless: rebuilt every call).

        Everything known so far is the interview's starting point; the questions already
        answered (distinct evidences in ``answers``) count against its question budget.
        """
        answered = {self.checker.evidence(f.evidence).id for f in case.answers}
        budget = MAX_QUESTIONS - len(answered)
        if budget <= 0:
            return None, True
        interview = Interview.from_assessment(
            self.checker,
            assessment,
            lang=lang,
            policy=InterviewPolicy(max_questions=budget),
        )
        question = interview.next_question()
        if question is None:
            return None, True
        out = question.to_dict()
        number = len(answered) + 1
        out.update(number=number, max_questions=MAX_QUESTIONS, remaining=MAX_QUESTIONS - number)
        del out["gain"], out["conditions"]
        return out, False


def _version() -> str:
    from symptomatic import __version__

    return __version__
