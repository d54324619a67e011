"""The adaptive interview: one question at a time, the most useful first.

Typical use::

    from symptomatic import Checker, Finding, Interview

    interview = Interview(Checker(), age=34, sex="female", findings=[Finding("cough")])
    while (question := interview.next_question()) is not None:
        print(question.text, question.why)
        interview.answer(input())           # "yes", "nope", "don't know", a label, 0-10 ...
    print(interview.result().summary)

The step (stopping rule, then the best question) is :func:`symptomatic.engine.step`; the
words come from :mod:`symptomatic.language.compose.interview`; this module keeps the state
and checks the answers. Everything is recomputed from the answers given so far, so
:meth:`Interview.back` and :meth:`Interview.change` are exact. An invalid answer raises
:class:`~symptomatic.InputError` naming the valid choices and changes nothing; "stop"
(or "quit", "arrête") ends the interview with the answer so far.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from symptomatic._case import resolve_evidence, resolve_value
from symptomatic._errors import InputError, InvalidValueError
from symptomatic._types import LANGS, Case, Finding, Question, Result, Status, public
from symptomatic.engine import InterviewPolicy, Step, step
from symptomatic.knowledge import Evidence, KnowledgeBase

if TYPE_CHECKING:
    from symptomatic._checker import Assessment, Checker

__all__ = ["Interview", "InterviewPolicy"]

_STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class _Answer:
    question: Question
    status: Status
    values: tuple[str, ...]
    given: Any = field(compare=False)

    def findings(self) -> list[Finding]:
        eid = self.question.evidence
        if self.status != "present" or not self.values:
            return [Finding(eid, self.status)]
        return [Finding(eid, "present", v) for v in self.values]


@dataclass(frozen=True, slots=True)
class _State:
    assessment: Assessment
    answered: np.ndarray[Any, np.dtype[np.bool_]]
    present: np.ndarray[Any, np.dtype[np.bool_]]
    step: Step


@public
class Interview:
    """An adaptive interview over one :class:`~symptomatic.Checker`.

    ``Interview(checker=None, *, age, sex, findings=(), text=None, lang="en",
    max_questions=None, policy=None)``: ``checker`` defaults to the packaged knowledge
    base; ``findings`` and ``text`` are what the person said first (never asked again);
    ``policy`` holds the stopping thresholds (:class:`InterviewPolicy`, its defaults when
    None) and ``max_questions`` overrides its question budget.
    """

    def __init__(
        self,
        checker: Checker | None = None,
        *,
        age: float | None,
        sex: str | None,
        findings: Iterable[Finding] = (),
        text: str | None = None,
        lang: str = "en",
        max_questions: int | None = None,
        policy: InterviewPolicy | None = None,
    ) -> None:
        from symptomatic._checker import default_checker

        if lang not in LANGS:
            raise InputError("lang", f"must be one of {', '.join(LANGS)}", lang, LANGS)
        if policy is not None and not isinstance(policy, InterviewPolicy):
            raise InputError("policy", "must be an InterviewPolicy", type(policy).__name__)
        self.checker = checker if checker is not None else default_checker()
        self.lang = lang
        self.policy = _policy(policy, max_questions)
        first, _ = self.checker.assess(age=age, sex=sex, findings=findings, text=text, lang=lang)
        self._start(first)

    @classmethod
    def from_assessment(
        cls,
        checker: Checker,
        assessment: Assessment,
        *,
        lang: str,
        policy: InterviewPolicy | None = None,
    ) -> Interview:
        """An interview that starts from a case already checked (no work done twice)."""
        self = cls.__new__(cls)
        self.checker = checker
        self.lang = lang
        self.policy = _policy(policy, None)
        self._start(assessment)
        return self

    def _start(self, first: Assessment) -> None:
        self._first = first
        self.age = first.case.age
        self.sex = first.case.sex
        self._initial = tuple(f for f in first.case.findings if f.source != "implied")
        self._table = self.checker.question_table()
        self._answers: list[_Answer] = []
        self._stopped = False
        self._state: _State | None = None

    # -- state ----------------------------------------------------------------------
    @property
    def kb(self) -> KnowledgeBase:
        return self.checker.kb

    def _compute(self) -> _State:
        if self._state is not None:
            return self._state
        checker, table = self.checker, self._table
        if self._answers:
            findings = list(self._initial)
            for a in self._answers:
                findings += a.findings()
            case = checker.case(age=self.age, sex=self.sex, findings=findings)
            assessment = checker.assess_case(case, reading=self._first.reading)
        else:
            assessment = self._first
        probs = assessment.probs
        if probs is None:  # nothing present yet: the prior for this person
            probs = checker.probabilities(assessment.case)
        answered = np.zeros(table.n_questions, dtype=np.bool_)
        present = np.zeros(table.n_questions, dtype=np.bool_)
        for f in assessment.case.findings:
            q = table.index[f.evidence]
            answered[q] = True
            if f.status == "present":
                ev = self.kb.evidence_by_id[f.evidence]
                if ev.kind == "binary" or f.value != ev.default:
                    present[q] = True
        for a in self._answers:
            answered[table.index[a.question.evidence]] = True
        s = step(
            table,
            probs,
            answered,
            present,
            asked=len(self._answers),
            red_flag=bool(assessment.fired),
            policy=self.policy,
        )
        self._state = _State(assessment, answered, present, s)
        return self._state

    @property
    def should_stop(self) -> bool:
        """True once the stopping rule holds (see :attr:`stop_reason`)."""
        return self.stop_reason is not None

    @property
    def stop_reason(self) -> str | None:
        """``red_flag``, ``max_questions``, ``confident``, ``no_gain``, ``stopped`` (the
        person said stop), or None (go on)."""
        if self._stopped:
            return _STOPPED
        return self._compute().step.reason

    @property
    def stop_message(self) -> str | None:
        """The stop reason in plain words, in the interview's language."""
        from symptomatic.language.compose.interview import stop_message

        reason = self.stop_reason
        return None if reason is None else stop_message(reason, self.lang)

    @property
    def questions_asked(self) -> int:
        return len(self._answers)

    @property
    def probabilities(self) -> Any:
        """The current posterior over the hypotheses (conditions, then "something else")."""
        probs = self._compute().assessment.probs
        return None if probs is None else probs.copy()

    # -- questions ------------------------------------------------------------------
    def next_question(self) -> Question | None:
        """The next question to ask, or None when the interview should stop."""
        if self._stopped:
            return None
        state = self._compute()
        sel = state.step.selection
        if state.step.reason is not None or sel is None:
            return None
        from symptomatic.language.compose.interview import question, why

        number = len(self._answers) + 1
        conds = [self.kb.conditions[i] for i in sel.conditions if i < len(self.kb.conditions)]
        return question(
            self.kb,
            sel.evidence,
            self.lang,
            why_text=why(self.kb, conds, self.lang, severe_max=self.policy.severe_max),
            number=number,
            max_questions=self.policy.max_questions,
            remaining=self.policy.max_questions - number,
            gain=sel.gain,
            conditions=tuple(c.id for c in conds),
            sex=self.sex,
        )

    # -- answers --------------------------------------------------------------------
    @staticmethod
    def understand(value: object, lang: str) -> str | None:
        """What an everyday answer means: ``yes``, ``no``, ``dont_know``, ``stop``,
        ``back``, or None ("yeah" -> ``yes``, "je sais pas" -> ``dont_know``)."""
        from symptomatic.language.compose.interview import answer_meaning

        return answer_meaning(value, lang)

    def answer(self, value: Any) -> Question | None:
        """Answer the current question; returns the next one (None when done).

        ``value``: ``"yes"``/``"no"``/``"don't know"`` in everyday words of either language
        (``yeah``, ``nope``, ``ouais``, ``je ne sais pas``; ``True``/``False``) for a yes/no
        question; a value label or id for a choice; one or several (a list, or labels
        separated by commas) for a multi-choice question, or ``"none"``; a whole number
        0-10 for a scale; ``"stop"`` to end the interview. Raises
        :class:`~symptomatic.InputError` naming the valid choices; the state is unchanged.
        """
        from symptomatic.language.compose.interview import answer_meaning, rule

        question = self.next_question()
        if question is None:
            reason = self.stop_reason or "no_gain"
            raise InputError(
                "answer", rule("no_open_question", self.lang).format(reason=reason), value
            )
        if answer_meaning(value, self.lang) == "stop":
            self._stopped = True
            return None
        self._answers.append(self._parse(question, value))
        self._state = None
        return self.next_question()

    def stop(self) -> None:
        """End the interview now; :meth:`result` gives the answer so far."""
        self._stopped = True

    def _parse(self, question: Question, value: Any) -> _Answer:
        from symptomatic.language.compose.interview import DONT_KNOW, answer_meaning, rule

        kb, lang = self.kb, self.lang
        ev = kb.evidence_by_id[question.evidence]
        meaning = answer_meaning(value, lang)
        if meaning == DONT_KNOW or value == DONT_KNOW:
            return _Answer(question, "unknown", (), value)
        labels = [c.label for c in question.choices]
        field_name = f"answer to {ev.id}"
        if question.kind == "binary":
            if meaning in ("yes", "no"):
                return _Answer(question, "present" if meaning == "yes" else "absent", (), value)
            raise InputError(field_name, rule("rule_binary", lang), value, labels)
        if question.kind == "scale":
            number = _as_scale(value)
            if number is None:
                raise InputError(field_name, rule("rule_scale", lang), value, ["0", "5", "10"])
            return _Answer(question, "present", (number,), value)
        if question.kind == "categorical":
            if not isinstance(value, str):
                raise InputError(field_name, rule("rule_choice", lang), value, labels)
            code = self._value(ev, value, rule("rule_choice", lang), meaning, labels)
            if code is None:
                return _Answer(question, "absent", (), value)
            return _Answer(question, "present", (code,), value)
        items = self._multi_items(ev, value, rule("rule_multi", lang), labels)
        codes: list[str] = []
        for item in items:
            code = self._value(
                ev, item, rule("rule_multi", lang), answer_meaning(item, lang), labels
            )
            if code is None:
                if len(items) > 1:
                    raise InputError(field_name, rule("rule_multi", lang), value)
                return _Answer(question, "absent", (), value)
            if code not in codes:
                codes.append(code)
        return _Answer(question, "present", tuple(codes), value)

    def _multi_items(self, ev: Evidence, value: Any, rule: str, labels: list[str]) -> list[str]:
        from symptomatic.language.compose.interview import answer_meaning

        if isinstance(value, str):
            try:
                self._value(ev, value, rule, answer_meaning(value, self.lang), labels)
                return [value]
            except InputError:
                parts = [p for p in (s.strip() for s in value.replace(";", ",").split(",")) if p]
                if len(parts) > 1:
                    return parts
                raise
        if isinstance(value, Sequence) and value and all(isinstance(v, str) for v in value):
            return list(value)
        raise InputError(f"answer to {ev.id}", rule, value, labels[:12])

    def _value(
        self, ev: Evidence, raw: str, rule: str, meaning: str | None, labels: list[str]
    ) -> str | None:
        """The value ``raw`` names; None for "no"/"none" (the default answer)."""
        try:
            if not raw.strip():
                raise InvalidValueError("value", f"not a value of {ev.id}", raw)
            return resolve_value(self.kb, ev, raw)
        except InvalidValueError as exc:
            if meaning == "no" and ev.default is not None:
                return None
            shown = [
                self.kb.values[v].label[self.lang] if v in self.kb.values else v
                for v in exc.suggestions
            ]
            raise InputError(f"answer to {ev.id}", rule, raw, (shown or labels)[:12]) from None

    def back(self) -> Question | None:
        """Take back the last answer; returns the question to ask again."""
        if not self._answers:
            raise InputError("back", "no question has been answered yet", None)
        self._answers.pop()
        self._stopped = False
        self._state = None
        return self.next_question()

    def change(self, evidence: str, answer: Any) -> Question | None:
        """Change the answer to an earlier question (by evidence id or code).

        Follow-up answers that no longer apply (their parent is now no) are dropped.
        Returns the next question.
        """
        ev = resolve_evidence(self.kb, evidence)
        where = [i for i, a in enumerate(self._answers) if a.question.evidence == ev.id]
        if not where:
            asked = [a.question.evidence for a in self._answers]
            raise InputError("evidence", "was not asked in this interview", evidence, asked[:5])
        i = where[0]
        new = self._parse(self._answers[i].question, answer)
        self._answers = self._prune([*self._answers[:i], new, *self._answers[i + 1 :]])
        self._state = None
        return self.next_question()

    def _prune(self, answers: list[_Answer]) -> list[_Answer]:
        present = {f.evidence for f in self._initial if f.status == "present"}
        kept: list[_Answer] = []
        for a in answers:
            parent = self.kb.evidence_by_id[a.question.evidence].parent
            if parent is not None and parent not in present:
                continue
            kept.append(a)
            if a.status == "present":
                present.add(a.question.evidence)
        return kept

    # -- output ---------------------------------------------------------------------
    def case(self) -> Case:
        """The case so far: the first findings and every answer."""
        return self._compute().assessment.case

    def result(self) -> Result:
        """The :class:`~symptomatic.Result` for the answers so far (at any time)."""
        return self.checker.result_of(self._compute().assessment, lang=self.lang)

    @property
    def transcript(self) -> list[dict[str, Any]]:
        """Each question asked and its answer, in order."""
        from symptomatic.language.compose.interview import answer_label

        return [
            {
                "number": a.question.number,
                "evidence": a.question.evidence,
                "kind": a.question.kind,
                "question": a.question.text,
                "status": a.status,
                "values": list(a.values),
                "answer": answer_label(self.kb, a.question, a.status, a.values, self.lang),
                "why": a.question.why,
            }
            for a in self._answers
        ]

    def to_dict(self) -> dict[str, Any]:
        """The interview so far as JSON-ready data, with the current result."""
        question = self.next_question()
        return {
            "age": self.age,
            "sex": self.sex,
            "lang": self.lang,
            "max_questions": self.policy.max_questions,
            "questions_asked": self.questions_asked,
            "should_stop": self.should_stop,
            "stop_reason": self.stop_reason,
            "stop_message": self.stop_message,
            "transcript": self.transcript,
            "next_question": None if question is None else question.to_dict(),
            "result": self.result().to_dict(),
        }


def _policy(policy: InterviewPolicy | None, max_questions: int | None) -> InterviewPolicy:
    from dataclasses import replace

    base = policy if policy is not None else InterviewPolicy()
    return base if max_questions is None else replace(base, max_questions=max_questions)


def _as_scale(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number: float = value
    elif isinstance(value, float):
        if not value.is_integer():
            return None
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        return None
    return str(int(number)) if 0 <= number <= 10 else None
