"""What the routes call: turns request models into calls of the public Python API.

Thin and stateless: every call rebuilds the case from the request, through the same
:class:`~symptomatic.Checker` methods the command line uses. Nothing medical here, and no
engine: the interview step starts from the case the checker has just assessed.
"""

from __future__ import annotations

import asyncio
import dataclasses
import difflib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from pydantic_core import to_json

from symptomatic import (
    LANGS,
    Checker,
    Evidence,
    Finding,
    InputError,
    Interview,
    InterviewPolicy,
    InvalidValueError,
    Result,
    UnknownEvidenceError,
    ui_words,
)
from symptomatic.api.errors import TimeBudgetExceeded
from symptomatic.api.listing import (
    condition_rows,
    evidence_haystacks,
    evidence_matches,
    evidence_rows,
)
from symptomatic.api.models import (
    SCALE_VALUES,
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
    TriageAnswerOut,
    TriageOut,
    finding_schema,
)
from symptomatic.api.settings import DEFAULT_THREADS, DEFAULT_TIME_BUDGET

__all__ = ["DEFAULT_THREADS", "DEFAULT_TIME_BUDGET", "MAX_QUESTIONS", "Service"]

#: Most questions one interview asks (the interview's own default).
MAX_QUESTIONS = InterviewPolicy().max_questions

T = TypeVar("T")


class Service:
    """Holds one :class:`Checker` (read-only after build) and precomputed listings.

    :meth:`run` runs the checker's work on a pool of ``threads`` threads, so that the event
    loop keeps answering while a case is computed, within a per-request ``time_budget``
    (seconds, waiting for a free thread included): past it, the request gets a 503
    (:class:`~symptomatic.api.errors.TimeBudgetExceeded`) at once. Work already running
    cannot be stopped; it finishes on its thread, which stays busy, so the pool is a real
    bound on the work in progress and a flood of slow requests turns into quick 503s.
    """

    def __init__(
        self,
        checker: Checker,
        *,
        threads: int = DEFAULT_THREADS,
        time_budget: float = DEFAULT_TIME_BUDGET,
    ) -> None:
        if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
            raise InputError("threads", "must be a whole number >= 1", threads)
        if not isinstance(time_budget, int | float) or not 0 < time_budget < float("inf"):
            raise InputError("time_budget", "must be a positive number of seconds", time_budget)
        self.checker = checker
        self.threads = threads
        self.time_budget = float(time_budget)
        self._pool: ThreadPoolExecutor | None = None
        kb = checker.kb
        self._vocabulary(kb)
        self.conditions = {
            lang: [ConditionOut.model_validate(r) for r in condition_rows(kb, lang)]
            for lang in LANGS
        }
        self.evidences = {
            lang: [EvidenceOut.model_validate(r) for r in evidence_rows(kb, lang)] for lang in LANGS
        }
        self._haystack = evidence_haystacks(kb)
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
        self._about: dict[tuple[str, str], dict[str, Any] | None] = {}

    # -- work off the event loop ------------------------------------------------------
    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on the service's threads, within the time budget."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="symptomatic")
        future = asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)
        try:
            return await asyncio.wait_for(future, self.time_budget)
        except TimeoutError:
            raise TimeBudgetExceeded from None

    def warm(self) -> None:
        """Do once what the first requests would otherwise pay for (language data, question
        tables), so that they stay within the time budget."""
        said = {"en": "I have a fever and a cough", "fr": "j'ai de la fièvre et je tousse"}
        for lang in LANGS:
            text = said.get(lang, said["en"])
            case = {"age": 30, "sex": "female", "lang": lang, "text": text}
            try:
                self.diagnosis_json(CaseIn.model_validate(case))
                self.parse(ParseIn.model_validate({"text": text, "lang": lang}))
            except InputError:  # a knowledge base that cannot read the sample: no warm-up
                continue

    def close(self) -> None:
        """Stop the threads (work still queued is dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    # -- the exact vocabulary --------------------------------------------------------
    def _vocabulary(self, kb: Any) -> None:
        """Every name the API accepts for an evidence (its id and source codes, exactly as
        /v1/evidences lists them), and for each choice evidence the names of the values it
        takes (ids and codes, or 0-10), each with the value id it means."""
        self.evidence_names: dict[str, Evidence] = {}
        self.value_names: dict[str, dict[str, str]] = {}
        for e in kb.evidences:
            for name in (e.id, *(c for cs in e.aliases.values() for c in cs)):
                if name not in self.evidence_names and self._resolves(name, e.id):
                    self.evidence_names[name] = e
            if e.kind == "binary":
                continue
            if e.scale:
                self.value_names[e.id] = {v: v for v in SCALE_VALUES}
                continue
            values = {v: v for v in e.values}
            for v in e.values:
                for code in (c for cs in kb.values[v].aliases.values() for c in cs):
                    if code not in values and kb.value_alias.get(code.upper()) == v:
                        values[code] = v
            self.value_names[e.id] = values

    def _resolves(self, name: str, evidence: str) -> bool:
        try:
            return self.checker.evidence(name).id == evidence
        except InputError:
            return False

    def finding_schema(self) -> dict[str, Any]:
        """The JSON schema of one finding, with every evidence and value of this knowledge
        base (see :func:`~symptomatic.api.models.finding_schema`)."""
        binary = [n for n, e in self.evidence_names.items() if e.kind == "binary"]
        groups: dict[tuple[str, ...], list[str]] = {}
        for name, e in self.evidence_names.items():
            if e.kind != "binary":
                groups.setdefault(tuple(self.value_names[e.id]), []).append(name)
        return finding_schema(binary, [(names, values) for values, names in groups.items()])

    # -- listings --------------------------------------------------------------------
    def list_evidences(self, lang: str, search: str | None) -> list[EvidenceOut]:
        rows = self.evidences[lang]
        if not search:
            return rows
        found = evidence_matches(self._haystack, search)
        return [r for r in rows if r.evidence in found]

    # -- the case --------------------------------------------------------------------
    def _findings(self, items: list[FindingIn], field: str) -> list[Finding]:
        """The findings of one list, each named exactly as the published schema says (the
        core is more lenient: any case, labels; the API accepts what it documents)."""
        out = []
        for i, f in enumerate(items):
            where = f"{field}[{i}]"
            ev = self.evidence_names.get(f.evidence)
            if ev is None:
                raise UnknownEvidenceError(
                    f"{where}.evidence",
                    "no evidence has this id or code (exactly as /v1/evidences lists them)",
                    f.evidence,
                    self._close_evidences(f.evidence),
                )
            allowed = self.value_names.get(ev.id, {})
            if f.value is not None and not allowed:
                raise InvalidValueError(
                    f"{where}.value", f"{ev.id} is a yes/no question and takes no value", f.value
                )
            if f.value is not None and f.value not in allowed:
                close = difflib.get_close_matches(f.value, list(allowed), n=3, cutoff=0.4)
                raise InvalidValueError(
                    f"{where}.value", f"not a value of {ev.id}", f.value, close or list(allowed)[:3]
                )
            if f.value is None and allowed and f.status == "present":
                raise InvalidValueError(
                    f"{where}.value",
                    f"{ev.id} needs a value when present, one of its choices",
                    None,
                    list(allowed)[:3],
                )
            value = None if f.value is None else allowed[f.value]
            out.append(Finding(ev.id, f.status, value))
        return out

    def _close_evidences(self, name: str) -> list[str]:
        try:
            return [self.checker.evidence(name).id]  # e.g. "FEVER": say the exact name
        except InputError as exc:
            return list(exc.suggestions)

    def _assess(self, case: CaseIn) -> tuple[Any, str]:
        text = case.text if case.text is not None and case.text.strip() else None
        findings, answers = self._latest_wins(
            self._findings(case.findings, "findings"), self._findings(case.answers, "answers")
        )
        return self.checker.assess(
            age=case.age,
            sex=case.sex,
            findings=findings,
            answers=answers,
            text=text,
            lang=case.lang,
        )

    def _latest_wins(
        self, findings: list[Finding], answers: list[Finding]
    ) -> tuple[list[Finding], list[Finding]]:
        """The two lists with every contradiction settled the way a person who changes an
        answer means it: the later statement replaces the earlier one (answers come after
        findings, as the core merges them: an answer about an evidence replaces every
        finding about it). Two statements contradict each other when they give the same
        evidence and value different statuses, give a one-choice question two present
        values, or give a follow-up as present and its parent question as absent."""
        answered = {f.evidence for f in answers}
        sequence = [(0, f) for f in findings if f.evidence not in answered]
        sequence += [(1, f) for f in answers]
        kb = self.checker.kb
        kept: list[tuple[int, Finding]] = []
        said: dict[tuple[str, str | None], str] = {}  # (evidence, value) -> status
        chosen: set[str] = set()  # one-choice evidences with a present value
        denied: set[str] = set()  # evidences answered absent (value None)
        followed: set[str] = set()  # parents of follow-ups given as present
        for where, f in reversed(sequence):  # latest first: the first seen wins
            ev = kb.evidence_by_id[f.evidence]
            key = (f.evidence, f.value)
            if key in said and said[key] != f.status:
                continue
            present = f.status == "present"
            one_choice = present and ev.kind == "categorical" and f.value is not None
            if one_choice and f.evidence in chosen and said.get(key) != "present":
                continue
            if present and ev.parent is not None and ev.parent in denied:
                continue
            if f.status == "absent" and f.value is None and f.evidence in followed:
                continue
            said[key] = f.status
            if one_choice:
                chosen.add(f.evidence)
            if f.status == "absent" and f.value is None:
                denied.add(f.evidence)
            if present and ev.parent is not None:
                followed.add(ev.parent)
            kept.append((where, f))
        kept.reverse()
        return [f for w, f in kept if w == 0], [f for w, f in kept if w == 1]

    def check(self, case: CaseIn) -> Result:
        """The whole answer for the case (text and structured findings)."""
        assessment, lang = self._assess(case)
        return self.checker.result_of(assessment, lang=lang)

    def triage(self, case: CaseIn) -> TriageAnswerOut:
        """Only the care level, its reasons and what to do."""
        result = self.check(case)
        t = result.triage
        return TriageAnswerOut(
            triage=TriageOut(
                level=t.level,
                reasons=list(t.reasons),
                codes=list(t.codes),
                call_emergency_number=t.call_emergency_number,
            ),
            summary=result.summary,
            disclaimer=result.disclaimer,
        )

    def diagnosis_json(self, case: CaseIn) -> bytes:
        """The diagnosis answer (``DiagnosisOut``'s shape), serialised once: the result's
        dataclasses go to JSON as they are (no deep copy), each condition with its
        information from the knowledge base, checked once per condition and language."""
        assessment, lang = self._assess(case)
        result, sections = self.checker.composed(assessment, lang=lang)
        question, stop = self._next_question(case, assessment, lang)
        body = _fields(result)
        body["differential"] = [
            {**_fields(c), "about": self._condition_about(c.id, lang)} for c in result.differential
        ]
        words = self.words[lang]
        level = result.triage.level
        body["care"] = {"title": words["level_name"][level], "action": words["level_now"][level]}
        body["next_question"] = question
        body["should_stop"] = stop
        body["sections"] = sections
        return to_json(body)

    def _condition_about(self, condition: str, lang: str) -> dict[str, Any] | None:
        """``ConditionAbout`` of a condition in ``lang`` as a dict, or None; kept (the
        knowledge base is read-only), so concurrent first calls at most compute it twice."""
        key = (condition, lang)
        if key not in self._about:
            about = self.checker.kb.info(condition, lang)
            self._about[key] = (
                None
                if about is None
                else ConditionAbout.model_validate(about, from_attributes=True).model_dump()
            )
        return self._about[key]

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
        red flags they raise (no differential, care level or summary is built)."""
        assessment, lang = self.checker.assess(text=req.text, lang=req.lang)
        findings = self.checker.findings_of(assessment, lang=lang)
        reading = assessment.reading
        return ParseOut.model_validate(
            {
                "lang": lang,
                "findings": [_fields(f) for f in findings if f.source == "text"],
                "not_understood": [_fields(s) for s in reading.not_understood],
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
        out["default"] = self.checker.kb.evidence_by_id[question.evidence].default
        return out, False


def _fields(obj: Any) -> dict[str, Any]:
    """A dataclass's fields by name, one level deep (values as they are)."""
    names = _FIELD_NAMES.get(type(obj))
    if names is None:
        names = _FIELD_NAMES[type(obj)] = tuple(f.name for f in dataclasses.fields(obj))
    return {name: getattr(obj, name) for name in names}


#: Each dataclass's field names, looked up once.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _version() -> str:
    from symptomatic import __version__

    return __version__
