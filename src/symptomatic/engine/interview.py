"""Question selection for the adaptive interview: pure functions over numpy arrays.

No I/O, no text. :func:`compile_questions` turns a knowledge base and its
:class:`~symptomatic.engine.CompiledModel` into a :class:`QuestionTable` once; after that,
:func:`expected_gains` scores every askable question in a few vectorised numpy operations,
:func:`select` picks the next one and :func:`stop_reason` applies the stopping rule.

**Outcomes.** Every evidence is one question. A binary question has two outcomes (present,
absent); a categorical one (including the 0-10 scales) one per value; a multi-choice one
(e.g. where the pain is) is scored as if the answer were a single value drawn with the
knowledge base's value shares P(value | condition). That is an approximation: the engine
updates a k-value answer with the geometric mean of the k shares (weights 1/k), which for
k = 1 is exactly the outcome scored here, and for k > 1 is a softer version of it.

**Gain.** With ``p`` the current (calibrated) posterior and ``L[o, c] = P(outcome o |
condition c)`` from the knowledge base, the gain of a question is the mutual information

    I(C; O) = sum_o sum_c p_c L[o, c] log(L[o, c] / P(o)),   P(o) = sum_c p_c L[o, c]

which is never negative (a Kullback-Leibler divergence), plus a severity term:

    severe_weight * sum over severe c (severity <= ``severe_max``) of I(1[C = c]; O)

the information the answer gives about whether each dangerous condition is there or not.
A question that rules a plausible pulmonary embolism in or out scores above one that
tells two mild throat problems apart; once a severe condition is implausible
(p_c near 0) its term vanishes. Each term is a mutual information, so the sum is never
negative either.

**Stopping rule** (:func:`stop_reason`), first match wins:

1. ``"red_flag"``: a red-flag rule fired (the caller checks with
   :func:`symptomatic.engine.triage.fired_rules`);
2. ``"max_questions"``: the budget is spent;
3. ``"confident"``: the leading condition has probability >= ``confidence`` and no other
   condition of severity <= ``severe_max`` has probability >= ``severe_risk`` (a severe
   leading condition escalates the care level by itself);
4. ``"no_gain"``: no askable question has a gain of at least ``min_gain`` nats.

Questions whose gain is below ``min_gain`` are never asked; follow-up questions (an
evidence with a ``parent``) are askable only once the parent is answered present, and no
question is asked twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from symptomatic._types import public
from symptomatic.engine.compile import CompiledModel, FloatArray, IntArray
from symptomatic.knowledge import KnowledgeBase

BoolArray = NDArray[np.bool_]
StopReason = Literal["red_flag", "max_questions", "confident", "no_gain"]
STOP_REASONS: tuple[StopReason, ...] = ("red_flag", "max_questions", "confident", "no_gain")

__all__ = [
    "DEFAULT_CONFIDENCE",
    "DEFAULT_MAX_QUESTIONS",
    "DEFAULT_MIN_GAIN",
    "DEFAULT_SEVERE_MAX",
    "DEFAULT_SEVERE_RISK",
    "DEFAULT_SEVERE_WEIGHT",
    "STOP_REASONS",
    "InterviewPolicy",
    "QuestionTable",
    "Selection",
    "StopReason",
    "askable",
    "compile_questions",
    "discriminated_conditions",
    "expected_gains",
    "select",
    "step",
    "stop_reason",
]


DEFAULT_MAX_QUESTIONS = 30
DEFAULT_CONFIDENCE = 0.97
DEFAULT_SEVERE_RISK = 0.01
DEFAULT_MIN_GAIN = 0.005
DEFAULT_SEVERE_WEIGHT = 1.0
DEFAULT_SEVERE_MAX = 2


@public
@dataclass(frozen=True, slots=True, kw_only=True)
class InterviewPolicy:
    """The interview's settings, all keyword-only, with their defaults.

    - ``max_questions`` (30): most questions asked, not counting what the person said first.
    - ``confidence`` (0.97): stop once the leading condition reaches this probability ...
    - ``severe_risk`` (0.01): ... and no other severe condition is at or above this.
    - ``min_gain`` (0.005 nats): questions below this gain are skipped; stop when none is left.
    - ``severe_weight`` (1.0): weight of the severe-condition term of the gain (0 turns the
      gain into plain information gain).
    - ``severe_max`` (2): conditions of DDXPlus severity up to this count as severe.
    - ``stop_on_red_flag`` (True): end the interview as soon as a red-flag rule fires.
    """

    max_questions: int = DEFAULT_MAX_QUESTIONS
    confidence: float = DEFAULT_CONFIDENCE
    severe_risk: float = DEFAULT_SEVERE_RISK
    min_gain: float = DEFAULT_MIN_GAIN
    severe_weight: float = DEFAULT_SEVERE_WEIGHT
    severe_max: int = DEFAULT_SEVERE_MAX
    stop_on_red_flag: bool = True

    def __post_init__(self) -> None:
        from symptomatic._errors import InputError

        if (
            isinstance(self.max_questions, bool)
            or not isinstance(self.max_questions, int)
            or self.max_questions < 0
        ):
            raise InputError("max_questions", "must be a whole number >= 0", self.max_questions)
        if not 0.0 < self.confidence <= 1.0:
            raise InputError("confidence", "must be in (0, 1]", self.confidence)
        if not 0.0 <= self.severe_risk <= 1.0:
            raise InputError("severe_risk", "must be in [0, 1]", self.severe_risk)
        if not self.min_gain >= 0.0:
            raise InputError("min_gain", "must be >= 0", self.min_gain)
        if not self.severe_weight >= 0.0:
            raise InputError("severe_weight", "must be >= 0", self.severe_weight)
        if isinstance(self.severe_max, bool) or not 1 <= self.severe_max <= 5:
            raise InputError("severe_max", "must be a severity from 1 to 5", self.severe_max)


@dataclass(frozen=True, slots=True, eq=False)
class QuestionTable:
    """Every question and its outcomes as arrays; build with :func:`compile_questions`.

    Questions are the knowledge base's evidences in order; the outcomes of question ``q``
    are the rows ``starts[q]:starts[q + 1]`` of ``lik``/``log_lik``.
    """

    evidences: tuple[str, ...]  # (Q,)
    index: dict[str, int]
    parent: IntArray  # (Q,) index of the parent question, -1 when none
    starts: IntArray  # (Q + 1,) first outcome row of each question
    outcome_question: IntArray  # (O,) question of each outcome
    outcome_slot: IntArray  # (O,) model slot of each outcome
    lik: FloatArray  # (O, C) P(outcome | condition), sums to 1 over a question's outcomes
    log_lik: FloatArray  # (O, C)
    severe: IntArray  # indices of the severe conditions
    severe_mask: BoolArray  # (C,)

    @property
    def n_questions(self) -> int:
        return len(self.evidences)


def compile_questions(
    kb: KnowledgeBase, model: CompiledModel, *, severe_max: int = 2
) -> QuestionTable:
    """Arrays for question selection over ``kb`` and its compiled ``model``."""
    codes = tuple(e.id for e in kb.evidences)
    index = {c: i for i, c in enumerate(codes)}
    parent = np.array(
        [index[e.parent] if e.parent is not None else -1 for e in kb.evidences], dtype=np.intp
    )
    slots: list[IntArray] = [model.evidence_slots[c] for c in codes]
    starts = np.zeros(len(codes) + 1, dtype=np.intp)
    starts[1:] = np.cumsum([len(s) for s in slots])
    outcome_slot = np.concatenate(slots).astype(np.intp)
    outcome_question = np.repeat(np.arange(len(codes), dtype=np.intp), [len(s) for s in slots])
    lik = np.exp(model.log_lik[outcome_slot])
    # Normalise each question's outcome distribution per condition (floors break the sum).
    totals = np.add.reduceat(lik, starts[:-1], axis=0)
    lik = np.ascontiguousarray(lik / totals[outcome_question])
    severe_mask = model.severity <= severe_max
    return QuestionTable(
        evidences=codes,
        index=index,
        parent=parent,
        starts=starts,
        outcome_question=outcome_question,
        outcome_slot=outcome_slot,
        lik=lik,
        log_lik=np.log(lik),
        severe=np.flatnonzero(severe_mask).astype(np.intp),
        severe_mask=severe_mask,
    )


def askable(table: QuestionTable, answered: BoolArray, present: BoolArray) -> BoolArray:
    """Questions not yet answered whose parent, if any, is answered present."""
    parent = table.parent
    has_parent = parent >= 0
    parent_ok = np.where(has_parent, present[np.maximum(parent, 0)], True)
    out: BoolArray = ~answered & parent_ok
    return out


def _xlogy(x: FloatArray, y: FloatArray) -> FloatArray:
    out: FloatArray = np.where(x > 0.0, x * np.log(np.where(x > 0.0, y, 1.0)), 0.0)
    return out


def expected_gains(
    table: QuestionTable,
    probs: FloatArray,
    mask: BoolArray | None = None,
    *,
    severe_weight: float = 1.0,
) -> FloatArray:
    """The gain (nats, >= 0) of every question; 0 where ``mask`` is False.

    ``probs`` is the current posterior over conditions (sums to 1).
    """
    starts = table.starts[:-1]
    if mask is not None:
        rows = mask[table.outcome_question]
        lik, log_lik = table.lik[rows], table.log_lik[rows]
        questions = np.flatnonzero(mask)
        sizes = np.diff(table.starts)[questions]
        if len(questions) == 0:
            return np.zeros(table.n_questions)
        starts = np.zeros(len(questions), dtype=np.intp)
        starts[1:] = np.cumsum(sizes)[:-1]
    else:
        lik, log_lik = table.lik, table.log_lik
    joint = lik * probs  # (O, C): P(o, c)
    p_o = joint.sum(axis=1)  # (O,)
    log_p_o = np.log(np.maximum(p_o, 1e-300))
    # I(C; O) = sum_o [sum_c P(o,c) log L(o|c)] - sum_o P(o) log P(o)
    per_outcome = np.einsum("oc,oc->o", joint, log_lik) - p_o * log_p_o
    if severe_weight > 0.0 and len(table.severe):
        sev = table.severe
        j = joint[:, sev]  # (O, S): P(o, C = c)
        rest = np.maximum(p_o[:, None] - j, 0.0)  # P(o, C != c)
        p_c = probs[sev]
        # I(1[C = c]; O) = sum_o P(o,c) log(P(o,c) / (P(o) p_c))
        #                + P(o,not c) log(P(o,not c) / (P(o) (1 - p_c)))
        denom_in = p_o[:, None] * p_c
        denom_out = p_o[:, None] * np.maximum(1.0 - p_c, 1e-300)
        term = _xlogy(j, j / np.maximum(denom_in, 1e-300)) + _xlogy(
            rest, rest / np.maximum(denom_out, 1e-300)
        )
        per_outcome = per_outcome + severe_weight * term.sum(axis=1)
    gains = np.maximum(np.add.reduceat(per_outcome, starts), 0.0)
    if mask is None:
        return gains
    out = np.zeros(table.n_questions)
    out[questions] = gains
    return out


@dataclass(frozen=True, slots=True)
class Selection:
    """The chosen question, its gain, and the conditions it helps tell apart most."""

    question: int
    evidence: str
    gain: float
    conditions: tuple[int, ...]  # condition indices, largest contribution first


def discriminated_conditions(
    table: QuestionTable, probs: FloatArray, question: int, *, top: int = 3
) -> tuple[int, ...]:
    """The conditions whose share of the question's information is largest.

    Condition c contributes ``p_c * KL(L[., c] || P(.))`` to I(C; O): how far the answers
    expected from people with c differ from the answers expected overall.
    """
    rows = slice(int(table.starts[question]), int(table.starts[question + 1]))
    lik, log_lik = table.lik[rows], table.log_lik[rows]
    p_o = lik @ probs
    kl = (lik * (log_lik - np.log(np.maximum(p_o, 1e-300))[:, None])).sum(axis=0)
    share = probs * np.maximum(kl, 0.0)
    order = np.argsort(-share)[:top]
    return tuple(int(i) for i in order if share[i] > 0.0)


def select(
    table: QuestionTable,
    probs: FloatArray,
    answered: BoolArray,
    present: BoolArray,
    *,
    policy: InterviewPolicy,
) -> Selection | None:
    """The askable question with the largest gain, or None when none reaches ``min_gain``."""
    mask = askable(table, answered, present)
    if not mask.any():
        return None
    gains = expected_gains(table, probs, mask, severe_weight=policy.severe_weight)
    best = int(np.argmax(gains))
    gain = float(gains[best])
    if not mask[best] or gain < policy.min_gain or gain <= 0.0:
        return None
    return Selection(
        best, table.evidences[best], gain, discriminated_conditions(table, probs, best)
    )


def stop_reason(
    table: QuestionTable,
    probs: FloatArray,
    *,
    asked: int,
    red_flag: bool,
    policy: InterviewPolicy,
    best: Selection | None = None,
    searched: bool = False,
) -> StopReason | None:
    """Why the interview should stop now, or None to go on (rule in the module docstring).

    ``best`` is the result of :func:`select` for the current state; with ``searched=True``
    a ``None`` there means no question reaches ``min_gain``.
    """
    if red_flag and policy.stop_on_red_flag:
        return "red_flag"
    if asked >= policy.max_questions:
        return "max_questions"
    top = int(np.argmax(probs))
    if probs[top] >= policy.confidence:
        severe = probs * table.severe_mask
        severe[top] = 0.0
        if float(severe.max(initial=0.0)) < policy.severe_risk:
            return "confident"
    if searched and best is None:
        return "no_gain"
    return None


@dataclass(frozen=True, slots=True)
class Step:
    """One interview step: why to stop now, or the next question to ask."""

    reason: StopReason | None
    selection: Selection | None


def step(
    table: QuestionTable,
    probs: FloatArray,
    answered: BoolArray,
    present: BoolArray,
    *,
    asked: int,
    red_flag: bool,
    policy: InterviewPolicy,
) -> Step:
    """The stopping rule, then (if the interview goes on) the best question: the one
    interview step, used by :class:`symptomatic.Interview` and the interactive benchmark."""
    reason = stop_reason(table, probs, asked=asked, red_flag=red_flag, policy=policy)
    if reason is not None:
        return Step(reason, None)
    best = select(table, probs, answered, present, policy=policy)
    reason = stop_reason(
        table, probs, asked=asked, red_flag=red_flag, policy=policy, best=best, searched=True
    )
    return Step(reason, best if reason is None else None)
