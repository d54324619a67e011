"""The adaptive interview: one question at a time, the most useful first.

Typical use::

    from symptomatic import Checker, Finding, Interview

    interview = Interview(Checker(), age=34, sex="female", findings=[Finding("cough")])
    while (question := interview.next_question()) is not None:
        print(question.text, question.why)
        interview.answer(input())           # "yes", "no", "don't know", a label, 0-10 ...
    print(interview.result().summary)

The questions are chosen by :mod:`symptomatic.engine.interview` (expected information
gain, severity aware); this module adds the words, checks the answers and keeps the
state. Everything is recomputed from the answers given so far, so :meth:`Interview.back`
and :meth:`Interview.change` are exact. An invalid answer raises
:class:`~symptomatic.InputError` naming the valid choices and changes nothing.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from symptomatic._case import Case, Finding, Status, _slug, make_case, resolve_evidence
from symptomatic._errors import InputError, InvalidValueError
from symptomatic.engine import encode, posterior
from symptomatic.engine._compiled import CompiledModel, FloatArray
from symptomatic.engine.interview import (
    DEFAULT_CONFIDENCE,
    DEFAULT_MAX_QUESTIONS,
    DEFAULT_MIN_GAIN,
    DEFAULT_SEVERE_RISK,
    DEFAULT_SEVERE_WEIGHT,
    InterviewPolicy,
    QuestionTable,
    Selection,
    StopReason,
    compile_questions,
    select,
    stop_reason,
)
from symptomatic.engine.triage import fired_rules
from symptomatic.knowledge import Evidence, KnowledgeBase
from symptomatic.knowledge._model import LANGS

if TYPE_CHECKING:
    from symptomatic._checker import Checker, Result

__all__ = ["Choice", "Interview", "Question", "QuestionKind"]

QuestionKind = Literal["binary", "categorical", "multi", "scale"]
DONT_KNOW = "dont_know"


@lru_cache(maxsize=1)
def _all_phrases() -> dict[str, Any]:
    node = resources.files("symptomatic.language") / "data" / "interview_phrases.json"
    data: dict[str, Any] = json.loads(node.read_text("utf-8"))
    return data


def interview_phrases(lang: str) -> dict[str, Any]:
    """The interview's words in ``lang`` (``en`` or ``fr``)."""
    table: dict[str, Any] = _all_phrases()[lang]
    return table


@lru_cache(maxsize=1)
def _answer_words() -> dict[str, str]:
    """Normalised answer word -> ``yes`` / ``no`` / ``dont_know``."""
    words: dict[str, str] = {}
    for meaning, items in _all_phrases()["answers"].items():
        for item in items:
            words[_normal(item)] = meaning
    return words


def _normal(text: str) -> str:
    return " ".join(text.strip().lower().replace("’", "'").split())


def _join(items: Sequence[str], word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + word + items[-1]


@dataclass(frozen=True, slots=True)
class Choice:
    """One possible answer: the ``value`` to pass to :meth:`Interview.answer`, its label."""

    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Question:
    """A question to ask, in the interview's language.

    ``kind`` is ``binary`` (yes/no), ``categorical`` (one choice), ``multi`` (one or more
    choices) or ``scale`` (a whole number 0-10). ``choices`` lists the answers (always
    including "don't know"); ``why`` says in plain words why it is asked, and
    ``conditions`` holds the ids of the conditions it helps tell apart. ``number`` is its
    rank in the interview, at most ``max_questions``.
    """

    evidence: str
    slug: str
    kind: QuestionKind
    text: str
    choices: tuple[Choice, ...]
    why: str
    number: int
    max_questions: int
    gain: float
    conditions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "evidence": self.evidence,
            "slug": self.slug,
            "kind": self.kind,
            "text": self.text,
            "choices": [{"value": c.value, "label": c.label} for c in self.choices],
            "why": self.why,
            "number": self.number,
            "max_questions": self.max_questions,
            "gain": round(self.gain, 5),
            "conditions": list(self.conditions),
        }


@dataclass(frozen=True, slots=True)
class _Answer:
    question: Question
    status: Status
    values: tuple[str, ...]
    given: Any = field(compare=False)

    def findings(self) -> list[Finding]:
        code = self.question.evidence
        if self.status != "present" or not self.values:
            return [Finding(code, self.status)]
        return [Finding(code, "present", v) for v in self.values]


_TABLES: dict[tuple[int, int], tuple[CompiledModel, QuestionTable]] = {}
_TABLES_LOCK = threading.Lock()


def _question_table(kb: KnowledgeBase, model: CompiledModel, severe_max: int) -> QuestionTable:
    key = (id(model), severe_max)
    with _TABLES_LOCK:
        hit = _TABLES.get(key)
        if hit is not None and hit[0] is model:
            return hit[1]
        table = compile_questions(kb, model, severe_max=severe_max)
        _TABLES[key] = (model, table)
        return table


@dataclass(frozen=True, slots=True)
class _State:
    case: Case
    probs: FloatArray
    answered: np.ndarray[Any, np.dtype[np.bool_]]
    present: np.ndarray[Any, np.dtype[np.bool_]]
    red_flag: bool
    reason: StopReason | None
    selection: Selection | None


class Interview:
    """An adaptive interview over one :class:`~symptomatic.Checker`.

    ``Interview(checker=None, *, age, sex, findings=(), lang="en", max_questions=30, ...)``:
    ``checker`` defaults to the packaged knowledge base; ``findings`` are what the person
    said first (never asked again). The stopping thresholds ``confidence``,
    ``severe_risk``, ``min_gain``, ``severe_weight`` and ``stop_on_red_flag`` are those of
    :class:`~symptomatic.engine.interview.InterviewPolicy`, with the same defaults.
    """

    def __init__(
        self,
        checker: Checker | None = None,
        *,
        age: float | None,
        sex: str | None,
        findings: Iterable[Finding] = (),
        lang: str = "en",
        max_questions: int = DEFAULT_MAX_QUESTIONS,
        confidence: float = DEFAULT_CONFIDENCE,
        severe_risk: float = DEFAULT_SEVERE_RISK,
        min_gain: float = DEFAULT_MIN_GAIN,
        severe_weight: float = DEFAULT_SEVERE_WEIGHT,
        stop_on_red_flag: bool = True,
    ) -> None:
        if checker is None:
            from symptomatic._checker import _default_checker

            checker = _default_checker()
        if lang not in LANGS:
            raise InputError("lang", "must be en or fr", lang, LANGS)
        self.checker = checker
        self.lang = lang
        self.policy = InterviewPolicy(
            max_questions=max_questions,
            confidence=confidence,
            severe_risk=severe_risk,
            min_gain=min_gain,
            severe_weight=severe_weight,
            stop_on_red_flag=stop_on_red_flag,
        )
        given = tuple(findings)
        initial = make_case(checker.kb, age=age, sex=sex, findings=given)
        self.age = initial.age
        self.sex = initial.sex
        self._initial: tuple[Finding, ...] = tuple(
            f for f in initial.findings if f.source != "implied"
        )
        # Before any answer, _compute's case (make_case over _initial) is `initial` again,
        # finding for finding, unless a finding came in already marked implied: keep it so
        # a stateless caller (the HTTP service) does not check the same case twice.
        self._first_case: Case | None = (
            initial if all(f.source != "implied" for f in given) else None
        )
        self._table = _question_table(checker.kb, checker.model, self.policy.severe_max)
        self._answers: list[_Answer] = []
        self._state: _State | None = None

    # -- state ----------------------------------------------------------------------
    @property
    def kb(self) -> KnowledgeBase:
        return self.checker.kb

    def _findings(self, answers: Sequence[_Answer]) -> list[Finding]:
        out = list(self._initial)
        for a in answers:
            out.extend(a.findings())
        return out

    def _compute(self) -> _State:
        if self._state is not None:
            return self._state
        kb, model, table = self.checker.kb, self.checker.model, self._table
        if not self._answers and self._first_case is not None:
            case = self._first_case
        else:
            case = make_case(kb, age=self.age, sex=self.sex, findings=self._findings(self._answers))
        enc = encode(model, ((f.evidence, f.status, f.value) for f in case.findings))
        probs = posterior(model, enc, age=case.age)
        answered = np.zeros(table.n_questions, dtype=np.bool_)
        present = np.zeros(table.n_questions, dtype=np.bool_)
        present_values: dict[str, list[str | None]] = {}
        for f in case.findings:
            q = table.index[f.evidence]
            answered[q] = True
            if f.status == "present":
                ev = kb.by_code[f.evidence]
                if ev.type == "binary" or f.value != ev.default:
                    present[q] = True
                present_values.setdefault(f.evidence, []).append(f.value)
        for a in self._answers:
            answered[table.index[a.question.evidence]] = True
        red_flag = bool(fired_rules(kb, present_values))
        asked = len(self._answers)
        reason = stop_reason(table, probs, asked=asked, red_flag=red_flag, policy=self.policy)
        selection = None
        if reason is None:
            selection = select(table, probs, answered, present, policy=self.policy)
            reason = stop_reason(
                table,
                probs,
                asked=asked,
                red_flag=red_flag,
                policy=self.policy,
                best=selection,
                searched=True,
            )
        self._state = _State(case, probs, answered, present, red_flag, reason, selection)
        return self._state

    @property
    def should_stop(self) -> bool:
        """True once the stopping rule holds (see :attr:`stop_reason`)."""
        return self._compute().reason is not None

    @property
    def stop_reason(self) -> StopReason | None:
        """``red_flag``, ``max_questions``, ``confident``, ``no_gain``, or None (go on)."""
        return self._compute().reason

    @property
    def stop_message(self) -> str | None:
        """The stop reason in plain words, in the interview's language."""
        reason = self.stop_reason
        return None if reason is None else str(interview_phrases(self.lang)["stop"][reason])

    @property
    def questions_asked(self) -> int:
        return len(self._answers)

    @property
    def probabilities(self) -> FloatArray:
        """The current posterior over the knowledge base's conditions."""
        return self._compute().probs.copy()

    # -- questions ------------------------------------------------------------------
    def next_question(self) -> Question | None:
        """The next question to ask, or None when the interview should stop."""
        state = self._compute()
        if state.reason is not None or state.selection is None:
            return None
        return self._question(state.selection, state.probs, len(self._answers) + 1)

    def _question(self, sel: Selection, probs: FloatArray, number: int) -> Question:
        kb, lang = self.kb, self.lang
        words = interview_phrases(lang)
        ev = kb.by_code[sel.code]
        kind: QuestionKind = "scale" if ev.scale else ev.type  # type: ignore[assignment]
        dont_know = Choice(DONT_KNOW, str(words["dont_know"]))
        if kind == "binary":
            choices: tuple[Choice, ...] = (
                Choice("yes", str(words["yes"])),
                Choice("no", str(words["no"])),
                dont_know,
            )
        elif kind == "scale":
            text = ev.text[lang]
            low = text.scale_low or str(words["scale_low"])
            high = text.scale_high or str(words["scale_high"])
            ends = {"0": f"0 ({low})", "10": f"10 ({high})"}
            choices = (*(Choice(v, ends.get(v, v)) for v in ev.values), dont_know)
        else:
            choices = (*(Choice(v, kb.value_labels[v][lang]) for v in ev.values), dont_know)
        ids = tuple(kb.conditions[i].id for i in sel.conditions)
        return Question(
            evidence=ev.code,
            slug=ev.slug,
            kind=kind,
            text=ev.text[lang].question,
            choices=choices,
            why=self._why(sel.conditions),
            number=number,
            max_questions=self.policy.max_questions,
            gain=sel.gain,
            conditions=ids,
        )

    def _why(self, conditions: Sequence[int]) -> str:
        words = interview_phrases(self.lang)
        conds = [self.kb.conditions[i] for i in conditions]
        names = [c.name[self.lang] for c in conds]
        if len(names) >= 2:
            why = str(words["why_apart"]).format(items=_join(names, str(words["list_and"])))
        elif names:
            why = str(words["why_one"]).format(items=names[0])
        else:
            return str(words["why_generic"])
        severe = [c.name[self.lang] for c in conds if c.severity <= self.policy.severe_max]
        if severe:
            items = _join(severe, str(words["list_or"]))
            why += " " + str(words["why_severe"]).format(items=items)
        return why

    # -- answers --------------------------------------------------------------------
    def answer(self, value: Any) -> Question | None:
        """Answer the current question; returns the next one (None when done).

        ``value``: ``"yes"``/``"no"``/``"don't know"`` (or ``oui``/``non``/``je ne sais
        pas``, ``True``/``False``) for a yes/no question; a value label or code for a
        choice; one or several (a list, or labels separated by commas) for a multi-choice
        question, or ``"none"``; a whole number 0-10 for a scale. Raises
        :class:`~symptomatic.InputError` naming the valid choices; the state is unchanged.
        """
        question = self.next_question()
        if question is None:
            reason = self.stop_reason or "no_gain"
            rule = str(interview_phrases(self.lang)["no_open_question"]).format(reason=reason)
            raise InputError("answer", rule, value)
        self._answers.append(self._parse(question, value))
        self._state = None
        return self.next_question()

    def _parse(self, question: Question, value: Any) -> _Answer:
        kb, lang = self.kb, self.lang
        words = interview_phrases(lang)
        ev = kb.by_code[question.evidence]
        meaning = _answer_words().get(_normal(value)) if isinstance(value, str) else None
        if isinstance(value, bool):
            meaning = "yes" if value else "no"
        if meaning == DONT_KNOW:
            return _Answer(question, "unknown", (), value)
        labels = [c.label for c in question.choices]
        if question.kind == "binary":
            if meaning in ("yes", "no"):
                return _Answer(question, "present" if meaning == "yes" else "absent", (), value)
            raise InputError(f"answer to {ev.slug}", str(words["rule_binary"]), value, labels)
        if question.kind == "scale":
            number = _as_scale(value)
            if number is None:
                raise InputError(
                    f"answer to {ev.slug}", str(words["rule_scale"]), value, ["0", "5", "10"]
                )
            return _Answer(question, "present", (number,), value)
        if question.kind == "categorical":
            if not isinstance(value, str):
                raise InputError(f"answer to {ev.slug}", str(words["rule_choice"]), value, labels)
            code = self._value(ev, value, str(words["rule_choice"]), meaning, labels)
            if code is None:
                return _Answer(question, "absent", (), value)
            return _Answer(question, "present", (code,), value)
        # multi-choice
        items = self._multi_items(ev, value, str(words["rule_multi"]), labels)
        codes: list[str] = []
        for item in items:
            code = self._value(
                ev, item, str(words["rule_multi"]), _answer_words().get(_normal(item)), labels
            )
            if code is None:
                if len(items) > 1:
                    raise InputError(f"answer to {ev.slug}", str(words["rule_multi"]), value)
                return _Answer(question, "absent", (), value)
            if code not in codes:
                codes.append(code)
        return _Answer(question, "present", tuple(codes), value)

    def _multi_items(self, ev: Evidence, value: Any, rule: str, labels: list[str]) -> list[str]:
        if isinstance(value, str):
            try:
                self._value(ev, value, rule, _answer_words().get(_normal(value)), labels)
                return [value]
            except InputError:
                parts = [p for p in (s.strip() for s in value.replace(";", ",").split(",")) if p]
                if len(parts) > 1:
                    return parts
                raise
        if isinstance(value, Sequence) and value and all(isinstance(v, str) for v in value):
            return list(value)
        raise InputError(f"answer to {ev.slug}", rule, value, labels[:12])

    def _value(
        self, ev: Evidence, raw: str, rule: str, meaning: str | None, labels: list[str]
    ) -> str | None:
        """The value code ``raw`` names; None for "no"/"none" (the default answer)."""
        try:
            return _resolve(self.kb, ev, raw)
        except InvalidValueError as exc:
            if meaning == "no" and ev.default is not None:
                return None
            shown = [
                self.kb.value_labels[v][self.lang] if v in self.kb.value_labels else v
                for v in exc.suggestions
            ]
            raise InputError(
                f"answer to {ev.slug}", rule, raw, (shown or labels)[:12] if shown else labels[:12]
            ) from None

    def back(self) -> Question | None:
        """Take back the last answer; returns the question to ask again."""
        if not self._answers:
            raise InputError("back", "no question has been answered yet", None)
        self._answers.pop()
        self._state = None
        return self.next_question()

    def change(self, evidence: str, answer: Any) -> Question | None:
        """Change the answer to an earlier question (by evidence code or short name).

        Follow-up answers that no longer apply (their parent is now no) are dropped.
        Returns the next question.
        """
        ev = resolve_evidence(self.kb, evidence)
        where = [i for i, a in enumerate(self._answers) if a.question.evidence == ev.code]
        if not where:
            asked = [a.question.slug for a in self._answers]
            raise InputError("evidence", "was not asked in this interview", evidence, asked[:5])
        i = where[0]
        new = self._parse(self._answers[i].question, answer)
        answers = [*self._answers[:i], new, *self._answers[i + 1 :]]
        self._answers = self._prune(answers)
        self._state = None
        return self.next_question()

    def _prune(self, answers: list[_Answer]) -> list[_Answer]:
        present = {f.evidence for f in self._initial if f.status == "present"}
        kept: list[_Answer] = []
        for a in answers:
            parent = self.kb.by_code[a.question.evidence].parent
            if parent is not None and parent not in present:
                continue
            kept.append(a)
            if a.status == "present":
                present.add(a.question.evidence)
        return kept

    # -- output ---------------------------------------------------------------------
    def case(self) -> Case:
        """The case so far: the first findings and every answer."""
        return self._compute().case

    def result(self) -> Result:
        """The :class:`~symptomatic.Result` for the answers so far (at any time)."""
        return self.checker.result(self.case(), lang=self.lang)

    @property
    def transcript(self) -> list[dict[str, Any]]:
        """Each question asked and its answer, in order."""
        kb, lang = self.kb, self.lang
        words = interview_phrases(lang)
        out = []
        for a in self._answers:
            q = a.question
            ev = kb.by_code[q.evidence]
            if a.status == "unknown":
                label = str(words["dont_know"])
            elif q.kind == "binary":
                label = str(words["yes" if a.status == "present" else "no"])
            elif a.status == "absent":
                label = (
                    ev.value_label(kb, ev.default, lang)
                    if ev.default is not None
                    else str(words["no"])
                )
            else:
                label = ", ".join(ev.value_label(kb, v, lang) for v in a.values)
            out.append(
                {
                    "number": q.number,
                    "evidence": q.evidence,
                    "slug": q.slug,
                    "kind": q.kind,
                    "question": q.text,
                    "status": a.status,
                    "values": list(a.values),
                    "answer": label,
                    "why": q.why,
                }
            )
        return out

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


def _resolve(kb: KnowledgeBase, ev: Evidence, raw: str) -> str:
    """A value code of ``ev`` named by ``raw`` (code or label, en or fr)."""
    from symptomatic._case import resolve_value

    if not _slug(raw):
        raise InvalidValueError("value", f"not a value of {ev.slug}", raw)
    return resolve_value(kb, ev, raw)
