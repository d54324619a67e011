"""Question selection for the adaptive interview: pure functions over numpy arrays.

No I/O, no text. :func:`compile_questions` turns a knowledge base and its
:class:`~symptomatic.engine.CompiledModel` into a :class:`QuestionTable` once; after that,
:func:`expected_gains` scores every question with two matrix products, :func:`select`
picks the next one and :func:`stop_reason` applies the stopping rule.

**Outcomes.** Every evidence is one question. A binary question has two outcomes (present,
absent); a categorical one (including the 0-10 scales) one per value; a multi-choice one
(e.g. where the pain is) is scored as if the answer were a single value drawn with the
knowledge base's value shares P(value | condition). That is an approximation: the engine
updates a k-value answer with the geometric mean of the k shares (weights 1/k), which for
k = 1 is exactly the outcome scored here, and for k > 1 is a softer version of it.

**Gain.** With ``p`` the current (calibrated) posterior over the hypotheses (the
conditions and, in an open world, "something else") and ``L[o, h] = P(outcome o | h)``,
the gain of a question is

    I(H; O) + level_weight * I(G; O)

where ``I(H; O)`` is the mutual information between the hypothesis and the answer, and
``I(G; O)`` the mutual information between the answer and the *care group* of the
hypothesis (its care level; "something else" is a group of its own): how much the answer
settles what the person should do, which is what a good nurse asks about first. Both are
mutual informations, so the gain is never negative. Both reduce to two matrix products
over tables made once (float32 for the big one, which picks the same questions as float64
in every state we tried):

    P(o, g) = L @ (p * onehot(group))                  (O x G, one product)
    I(H; O) = negH @ p - sum_o P(o) log P(o)           (negH[q, h] = sum_o L log L)
    I(G; O) = sum_o,g P(o,g) log P(o,g) - sum_o P(o) log P(o) - sum_g P(g) log P(g)

so a call makes no temporary of outcomes x conditions. History questions (risk factors,
past illnesses, demographics) have their gain multiplied by ``history_weight`` (< 1), so
symptoms come first and history follows, as in a clinical interview.

**Stopping rule** (:func:`stop_reason`), first match wins:

1. ``"red_flag"``: a red-flag rule fired (the caller checks with
   :func:`symptomatic.engine.red_flags.fired_rules`);
2. ``"max_questions"``: the budget is spent;
3. ``"confident"``: the leading condition has probability >= ``confidence`` and no other
   condition of severity <= ``severe_max`` has probability >= ``severe_risk`` (a severe
   leading condition escalates the care level by itself);
4. ``"settled"``: one condition has probability >= 0.5 and, for each of the three best
   questions, no answer with a probability of at least 2 % would change the care level the
   posterior gives or the most likely condition: asking cannot change the outcome;
5. ``"no_gain"``: no askable question has a gain of at least ``min_gain`` nats.

Questions whose gain is below ``min_gain`` are never asked (their answer cannot change
the outcome); follow-up questions (an evidence with a ``parent``) are askable only once the
parent is answered present, and no question is asked twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from symptomatic._types import public
from symptomatic.engine.compile import CompiledModel, FloatArray, IntArray
from symptomatic.engine.triage import first_reached, levels_of, masses
from symptomatic.knowledge import KnowledgeBase

BoolArray = NDArray[np.bool_]
StopReason = Literal["red_flag", "max_questions", "confident", "settled", "no_gain"]
STOP_REASONS: tuple[StopReason, ...] = (
    "red_flag",
    "max_questions",
    "confident",
    "settled",
    "no_gain",
)
#: An answer this unlikely (or less) is not considered by the "settled" rule.
SETTLED_MIN_OUTCOME = 0.02
#: The "settled" rule waits until one condition has at least this probability.
SETTLED_MIN_LEADER = 0.5
#: How many of the best questions the "settled" rule looks at.
SETTLED_QUESTIONS = 3

__all__ = [
    "DEFAULT_CONFIDENCE",
    "DEFAULT_HISTORY_WEIGHT",
    "DEFAULT_LEVEL_WEIGHT",
    "DEFAULT_MAX_QUESTIONS",
    "DEFAULT_MIN_GAIN",
    "DEFAULT_SEVERE_MAX",
    "DEFAULT_SEVERE_RISK",
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
DEFAULT_LEVEL_WEIGHT = 1.0
DEFAULT_HISTORY_WEIGHT = 0.5
DEFAULT_SEVERE_MAX = 2


@public
@dataclass(frozen=True, slots=True, kw_only=True)
class InterviewPolicy:
    """The interview's settings, all keyword-only, with their defaults.

    - ``max_questions`` (30): most questions asked, not counting what the person said first.
    - ``confidence`` (0.97): stop once the leading condition reaches this probability ...
    - ``severe_risk`` (0.01): ... and no other severe condition is at or above this.
    - ``min_gain`` (0.005 nats): questions below this gain are skipped; stop when none is left.
    - ``level_weight`` (1.0): weight of the care-level term of the gain (0 turns the gain
      into plain information gain).
    - ``history_weight`` (0.5): factor on the gain of history questions (risk factors, past
      illnesses), so that symptoms are asked about first; 1 treats them alike.
    - ``severe_max`` (2): conditions of DDXPlus severity up to this count as severe.
    - ``stop_on_red_flag`` (True): end the interview as soon as a red-flag rule fires.
    - ``stop_when_settled`` (True): end it when no likely answer to the best questions
      could change the care level or the most likely condition.
    """

    max_questions: int = DEFAULT_MAX_QUESTIONS
    confidence: float = DEFAULT_CONFIDENCE
    severe_risk: float = DEFAULT_SEVERE_RISK
    min_gain: float = DEFAULT_MIN_GAIN
    level_weight: float = DEFAULT_LEVEL_WEIGHT
    history_weight: float = DEFAULT_HISTORY_WEIGHT
    severe_max: int = DEFAULT_SEVERE_MAX
    stop_on_red_flag: bool = True
    stop_when_settled: bool = True

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
        if not self.level_weight >= 0.0:
            raise InputError("level_weight", "must be >= 0", self.level_weight)
        if not 0.0 <= self.history_weight <= 1.0:
            raise InputError("history_weight", "must be in [0, 1]", self.history_weight)
        if isinstance(self.severe_max, bool) or not 1 <= self.severe_max <= 5:
            raise InputError("severe_max", "must be a severity from 1 to 5", self.severe_max)


@dataclass(frozen=True, slots=True, eq=False)
class QuestionTable:
    """Every question and its outcomes as arrays; build with :func:`compile_questions`.

    Questions are the knowledge base's evidences in order; the outcomes of question ``q``
    are the rows ``starts[q]:starts[q + 1]`` of ``lik``. Columns are the model's hypotheses
    (the conditions, then "something else" in an open world).
    """

    evidences: tuple[str, ...]  # (Q,)
    index: dict[str, int]
    parent: IntArray  # (Q,) index of the parent question, -1 when none
    starts: IntArray  # (Q + 1,) first outcome row of each question
    outcome_question: IntArray  # (O,) question of each outcome
    outcome_slot: IntArray  # (O,) model slot of each outcome
    lik: NDArray[np.float32]  # (O, H) P(outcome | h), sums to 1 over a question's outcomes
    neg_entropy: FloatArray  # (Q, H) sum over the question's outcomes of L log L
    group: IntArray  # (H,) care group of each hypothesis
    n_groups: int
    history: BoolArray  # (Q,) history questions (risk factors, past illnesses)
    level_onehot: FloatArray  # (H, 5) care level of each hypothesis (triage's levels)
    thresholds: FloatArray  # (4,) the triage policy's threshold of each urgent level
    mass_floor: float  # the triage policy's min_probability
    severity: NDArray[np.int64]  # (H,) the model's severity of each hypothesis
    # Worked out from the above: ``lik`` again, its columns in group order (``group_order``),
    # column-major; group g's columns are ``group_bounds[g]:group_bounds[g + 1]``, so that
    # P(o, g) is one matrix-vector product per group.
    lik_by_group: NDArray[np.float32] = field(init=False, repr=False)  # (O, H)
    group_order: IntArray = field(init=False, repr=False)  # (H,)
    group_bounds: IntArray = field(init=False, repr=False)  # (n_groups + 1,)

    def __post_init__(self) -> None:
        order = np.argsort(self.group, kind="stable")
        bounds = np.searchsorted(self.group[order], np.arange(self.n_groups + 1))
        object.__setattr__(self, "group_order", order)
        object.__setattr__(self, "group_bounds", bounds)
        object.__setattr__(self, "lik_by_group", np.asfortranarray(self.lik[:, order]))

    @property
    def n_questions(self) -> int:
        return len(self.evidences)


def compile_questions(kb: KnowledgeBase, model: CompiledModel) -> QuestionTable:
    """Arrays for question selection over ``kb`` and its compiled ``model``."""
    from symptomatic._levels import CARE_LEVELS

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
    # Normalise each question's outcome distribution per hypothesis (floors break the sum).
    totals = np.add.reduceat(lik, starts[:-1], axis=0)
    lik = lik / totals[outcome_question]
    neg_entropy = np.add.reduceat(lik * np.log(lik), starts[:-1], axis=0)
    groups = [CARE_LEVELS.index(c.care_level) for c in kb.conditions]
    if model.other is not None:
        groups.append(len(CARE_LEVELS))
    _, onehot, thresholds = levels_of(kb, model.n_hypotheses)
    return QuestionTable(
        evidences=codes,
        index=index,
        parent=parent,
        starts=starts,
        outcome_question=outcome_question,
        outcome_slot=outcome_slot,
        lik=np.ascontiguousarray(lik, dtype=np.float32),
        neg_entropy=np.ascontiguousarray(neg_entropy),
        group=np.array(groups, dtype=np.intp),
        n_groups=len(CARE_LEVELS) + 1,
        history=np.array([e.history for e in kb.evidences], dtype=bool),
        level_onehot=onehot,
        thresholds=thresholds,
        mass_floor=kb.policy.min_probability,
        severity=model.severity,
    )


def askable(table: QuestionTable, answered: BoolArray, present: BoolArray) -> BoolArray:
    """Questions not yet answered whose parent, if any, is answered present."""
    parent = table.parent
    has_parent = parent >= 0
    parent_ok = np.where(has_parent, present[np.maximum(parent, 0)], True)
    out: BoolArray = ~answered & parent_ok
    return out


def _xlogx(x: FloatArray) -> FloatArray:
    out: FloatArray = x * np.log(np.maximum(x, 1e-300))
    return out


def expected_gains(
    table: QuestionTable,
    probs: FloatArray,
    mask: BoolArray | None = None,
    *,
    level_weight: float = DEFAULT_LEVEL_WEIGHT,
    history_weight: float = 1.0,
) -> FloatArray:
    """The gain (nats, >= 0) of every question; 0 where ``mask`` is False.

    ``probs`` is the current posterior over the hypotheses (sums to 1).
    """
    starts = table.starts[:-1]
    p32 = probs.astype(np.float32)
    ordered = p32[table.group_order]
    bounds = table.group_bounds
    joint = np.empty((len(table.outcome_slot), table.n_groups))  # (O, G): P(o, g)
    for g in range(table.n_groups):
        a, b = bounds[g], bounds[g + 1]
        joint[:, g] = table.lik_by_group[:, a:b] @ ordered[a:b]
    p_o = joint.sum(axis=1)
    ent_o = np.add.reduceat(_xlogx(p_o), starts)  # (Q,) sum_o P(o) log P(o)
    gains = table.neg_entropy @ probs - ent_o
    if level_weight > 0.0:
        p_g = np.bincount(table.group, weights=p32, minlength=table.n_groups).astype(np.float64)
        level = np.add.reduceat(_xlogx(joint).sum(axis=1), starts) - ent_o - _xlogx(p_g).sum()
        gains = gains + level_weight * level
    gains = np.maximum(gains, 0.0)
    if history_weight != 1.0:
        gains = np.where(table.history, gains * history_weight, gains)
    if mask is not None:
        gains = np.where(mask, gains, 0.0)
    return gains


@dataclass(frozen=True, slots=True)
class Selection:
    """The chosen question, its gain, and the conditions it helps tell apart most."""

    question: int
    evidence: str
    gain: float
    conditions: tuple[int, ...]  # condition indices, largest contribution first
    runners_up: tuple[int, ...] = ()  # the next best questions, best first


def discriminated_conditions(
    table: QuestionTable, probs: FloatArray, question: int, *, top: int = 3
) -> tuple[int, ...]:
    """The conditions whose share of the question's information is largest.

    Condition c contributes ``p_c * KL(L[., c] || P(.))`` to I(C; O): how far the answers
    expected from people with c differ from the answers expected overall.
    """
    rows = slice(int(table.starts[question]), int(table.starts[question + 1]))
    lik = table.lik[rows].astype(np.float64)
    p_o = lik @ probs
    kl = (lik * (np.log(lik) - np.log(np.maximum(p_o, 1e-300))[:, None])).sum(axis=0)
    share = probs * np.maximum(kl, 0.0)
    share[table.group == table.n_groups - 1] = 0.0  # "something else" is not a condition
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
    gains = expected_gains(
        table,
        probs,
        mask,
        level_weight=policy.level_weight,
        history_weight=policy.history_weight,
    )
    order = np.argsort(-gains)[:SETTLED_QUESTIONS]
    best = int(order[0])
    gain = float(gains[best])
    if not mask[best] or gain < policy.min_gain or gain <= 0.0:
        return None
    runners = tuple(int(q) for q in order[1:] if mask[q] and gains[q] >= policy.min_gain)
    return Selection(
        best,
        table.evidences[best],
        gain,
        discriminated_conditions(table, probs, best),
        runners,
    )


def care_level_index(table: QuestionTable, probs: FloatArray) -> int:
    """The care level (0 = ambulance ... 4 = self-care) the posterior alone gives: the
    triage rule of :mod:`symptomatic.engine.triage` on the table's arrays."""
    return first_reached(masses(table.level_onehot, probs, table.mass_floor), table.thresholds)


def settled(table: QuestionTable, probs: FloatArray, questions: Sequence[int]) -> bool:
    """True when no answer (of probability >= 2 %) to any of ``questions`` would change the
    care level or the most likely hypothesis."""
    level = care_level_index(table, probs)
    top = int(np.argmax(probs))
    if table.group[top] == table.n_groups - 1 or probs[top] < SETTLED_MIN_LEADER:
        return False  # not while "something else" leads, nor while no condition does
    for q in questions:
        rows = table.lik[table.starts[q] : table.starts[q + 1]].astype(np.float64)
        joint = rows * probs
        p_o = joint.sum(axis=1)
        for o in np.flatnonzero(p_o >= SETTLED_MIN_OUTCOME):
            after = joint[o] / p_o[o]
            if int(np.argmax(after)) != top or care_level_index(table, after) != level:
                return False
    return True


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
        severe = probs * (table.severity <= policy.severe_max)
        severe[top] = 0.0
        if float(severe.max(initial=0.0)) < policy.severe_risk:
            return "confident"
    if searched and best is None:
        return "no_gain"
    if (
        searched
        and best is not None
        and policy.stop_when_settled
        and settled(table, probs, (best.question, *best.runners_up))
    ):
        return "settled"
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
