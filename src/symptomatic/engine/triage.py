"""Care level from the open-world posterior and the red-flag rules.

The rule (documented in the README, thresholds in ``triage_policy.json``):

1. Every hypothesis needs a care level: each condition its own (cited in its record),
   "something else" the policy's ``other_level``.
2. For each care level H more urgent than self-care, the *mass* of H is the probability
   that the person has a condition needing H or something more urgent, counting only the
   hypotheses of at least ``min_probability`` (the policy's). The answer is the
   least urgent level L such that, for every level H more urgent than L, the mass of H
   stays below the threshold for H. Equivalently, from the most urgent level down, the
   first level whose mass reaches its threshold; self-care when none does.
3. Every red-flag rule that fires sets its own level; the answer is the most urgent of the
   posterior's level and the red flags'.
4. A case with no symptom at all gets ``no_symptoms_level``.

Because the mass of a level only counts conditions needing that level, a posterior spread
thinly over many unrelated severe conditions (each a few per cent) is not read as danger
unless their sum reaches the threshold, and the open-world hypothesis takes the mass that
a closed world would push onto the nearest severe condition.

The reasons say why, and agree with each other: when a red flag sets the level, the red
flags alone; otherwise the hypotheses that make up the mass of the level given (most
likely first), so an emergency is never explained by an unrelated condition.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from symptomatic._levels import CARE_LEVELS, CareLevel, most_urgent, urgency
from symptomatic.engine.compile import FloatArray, IntArray
from symptomatic.knowledge import KnowledgeBase, RedFlagRule

__all__ = [
    "ReasonKind",
    "TriageDecision",
    "TriageReason",
    "first_reached",
    "level_masses",
    "levels_of",
    "masses",
    "triage",
]

ReasonKind = Literal[
    "red_flag", "likely", "possible", "something_else", "outside_knowledge", "no_symptoms"
]

#: Most contributing hypotheses named as reasons for a level set by the posterior.
MAX_CONTRIBUTORS = 3


@dataclass(frozen=True, slots=True)
class TriageReason:
    """Why a level was reached: a red-flag rule id or a condition id, with its level.

    ``kind`` is ``"likely"`` for the most likely condition of the whole differential and
    ``"possible"`` for another condition that makes up the level's mass.
    """

    kind: ReasonKind
    ref: str | None
    level: CareLevel
    probability: float | None = None


@dataclass(frozen=True, slots=True)
class TriageDecision:
    level: CareLevel
    reasons: tuple[TriageReason, ...]


@functools.lru_cache(maxsize=8)
def levels_of(kb: KnowledgeBase, n_hypotheses: int) -> tuple[IntArray, FloatArray, FloatArray]:
    """Per knowledge base and hypothesis count, worked out once: the urgency index
    (0 = ambulance) of every hypothesis ("something else" last), the same as a one-hot
    (H, 5) matrix, and the policy's threshold of each level more urgent than self-care."""
    levels = [urgency(c.care_level) for c in kb.conditions]
    levels += [urgency(kb.policy.other_level)] * (n_hypotheses - len(levels))
    urg = np.array(levels, dtype=np.intp)
    onehot = np.zeros((n_hypotheses, len(CARE_LEVELS)))
    onehot[np.arange(n_hypotheses), urg] = 1.0
    thresholds = np.array([kb.policy.thresholds[lv] for lv in CARE_LEVELS[:-1]])
    for a in (urg, onehot, thresholds):
        a.flags.writeable = False
    return urg, onehot, thresholds


def hypothesis_urgency(kb: KnowledgeBase, n_hypotheses: int) -> IntArray:
    """The urgency index (0 = ambulance) of every hypothesis, "something else" last."""
    return levels_of(kb, n_hypotheses)[0]


def masses(onehot: FloatArray, probs: FloatArray, floor: float) -> FloatArray:
    """For each level (most urgent first), P(a hypothesis needing it or more urgent), from
    the (H, 5) one-hot of each hypothesis's level; a hypothesis below ``floor`` does not
    count. Works on one posterior (H,) or many (n, H); returns (5,) or (n, 5)."""
    if floor > 0.0:
        probs = np.where(probs >= floor, probs, 0.0)
    out: FloatArray = np.cumsum(probs @ onehot, axis=-1)
    return out


def first_reached(level_mass: FloatArray, thresholds: FloatArray) -> int:
    """Rule 2: the index of the first level (most urgent first) whose mass reaches its
    threshold; self-care (the last) when none does."""
    reached = np.flatnonzero(level_mass[: len(thresholds)] >= thresholds)
    return int(reached[0]) if len(reached) else len(thresholds)


def level_masses(kb: KnowledgeBase, probs: FloatArray, *, floor: float | None = None) -> FloatArray:
    """:func:`masses` under ``kb``'s care levels; ``floor`` defaults to the policy's
    ``min_probability``: a long tail of unrelated conditions at a few per cent each is not
    evidence of danger."""
    onehot = levels_of(kb, probs.shape[-1])[1]
    return masses(onehot, probs, kb.policy.min_probability if floor is None else floor)


def posterior_level(kb: KnowledgeBase, probs: FloatArray) -> CareLevel:
    """Rule 2 of the module docstring."""
    thresholds = levels_of(kb, probs.shape[-1])[2]
    return CARE_LEVELS[first_reached(level_masses(kb, probs), thresholds)]


def triage(
    kb: KnowledgeBase,
    probs: FloatArray | None,
    fired: Sequence[RedFlagRule] = (),
    *,
    outside_knowledge: bool = False,
    extra: Collection[TriageReason] = (),
) -> TriageDecision:
    """The care level for a posterior ``probs`` over the hypotheses (None: no symptoms)
    and the red-flag rules that ``fired``."""
    policy = kb.policy
    flags = [TriageReason("red_flag", r.id, r.level) for r in fired]
    flags.extend(extra)
    levels: list[CareLevel] = [r.level for r in flags]
    contributors: list[TriageReason] = []
    post: CareLevel | None = None
    if probs is not None:
        post = posterior_level(kb, probs)
        levels.append(post)
        contributors = _contributors(kb, probs, post)
    if outside_knowledge:
        levels.append(policy.other_level)
        contributors.append(TriageReason("outside_knowledge", None, policy.other_level))
    if not levels:
        level = policy.no_symptoms_level
        return TriageDecision(level, (TriageReason("no_symptoms", None, level),))
    level = most_urgent(levels)
    if flags and urgency(level) < urgency(post or CARE_LEVELS[-1]):
        # A red flag set the level: the red flags alone explain it (that level's first).
        reasons = [r for r in flags if r.level == level] + [r for r in flags if r.level != level]
    else:
        reasons = flags + [r for r in contributors if r.level == level or not flags]
    reasons.sort(key=lambda r: (r.kind not in ("red_flag",), urgency(r.level)))
    return TriageDecision(level, tuple(reasons))


def _contributors(kb: KnowledgeBase, probs: FloatArray, level: CareLevel) -> list[TriageReason]:
    """The hypotheses that make up the mass of ``level`` (most likely first)."""
    n_c = len(kb.conditions)
    urg = hypothesis_urgency(kb, len(probs))
    top = int(np.argmax(probs[:n_c])) if n_c else -1
    order = np.argsort(-probs)
    if level == CARE_LEVELS[-1]:
        own = order[urg[order] == len(CARE_LEVELS) - 1]
        named = (
            [int(own[0])] if len(own) and probs[own[0]] >= kb.policy.self_care_reason_min else []
        )
        members = named or ([top] if top >= 0 else [])
    else:
        # Most likely first, until their mass reaches the level's threshold.
        candidates = order[urg[order] <= urgency(level)]
        reached = int(np.searchsorted(np.cumsum(probs[candidates]), kb.policy.thresholds[level]))
        members = [int(i) for i in candidates[: min(reached + 1, MAX_CONTRIBUTORS)]]
    out = []
    for i in members:
        p = round(float(probs[i]), 4)
        if i >= n_c:
            out.append(TriageReason("something_else", None, kb.policy.other_level, p))
        else:
            kind: ReasonKind = "likely" if i == top else "possible"
            out.append(TriageReason(kind, kb.conditions[i].id, kb.conditions[i].care_level, p))
    return out
