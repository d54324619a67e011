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

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from symptomatic._levels import CARE_LEVELS, CareLevel, most_urgent, urgency
from symptomatic.engine.compile import FloatArray
from symptomatic.knowledge import KnowledgeBase, RedFlagRule

__all__ = ["ReasonKind", "TriageDecision", "TriageReason", "level_masses", "triage"]

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
    #: The level the posterior alone gives (None without one), before red flags.
    posterior_level: CareLevel | None = None


def hypothesis_urgency(kb: KnowledgeBase, n_hypotheses: int) -> np.ndarray:
    """The urgency index (0 = ambulance) of every hypothesis, "something else" last."""
    levels = [urgency(c.care_level) for c in kb.conditions]
    levels += [urgency(kb.policy.other_level)] * (n_hypotheses - len(levels))
    return np.array(levels, dtype=np.intp)


def level_masses(kb: KnowledgeBase, probs: FloatArray) -> FloatArray:
    """For each level (most urgent first), P(a hypothesis needing it or more urgent), where
    a hypothesis below the policy's ``min_probability`` does not count: a long tail of
    unrelated conditions at a few per cent each is not evidence of danger.

    Works on one posterior (H,) or many (n, H); returns (5,) or (n, 5).
    """
    floor = kb.policy.min_probability
    if floor > 0.0:
        probs = np.where(probs >= floor, probs, 0.0)
    urg = hypothesis_urgency(kb, probs.shape[-1])
    onehot = np.zeros((probs.shape[-1], len(CARE_LEVELS)))
    onehot[np.arange(len(urg)), urg] = 1.0
    out: FloatArray = np.cumsum(probs @ onehot, axis=-1)
    return out


def posterior_level(kb: KnowledgeBase, probs: FloatArray) -> CareLevel:
    """Rule 2 of the module docstring."""
    masses = level_masses(kb, probs)
    thresholds = kb.policy.thresholds
    for k, level in enumerate(CARE_LEVELS[:-1]):
        if masses[k] >= thresholds[level]:
            return level
    return CARE_LEVELS[-1]


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
        return TriageDecision(level, (TriageReason("no_symptoms", None, level),), None)
    level = most_urgent(levels)
    if flags and urgency(level) < urgency(post or CARE_LEVELS[-1]):
        # A red flag set the level: the red flags alone explain it (that level's first).
        reasons = [r for r in flags if r.level == level] + [r for r in flags if r.level != level]
    else:
        reasons = flags + [r for r in contributors if r.level == level or not flags]
    reasons.sort(key=lambda r: (r.kind not in ("red_flag",), urgency(r.level)))
    return TriageDecision(level, tuple(reasons), post)


def _contributors(kb: KnowledgeBase, probs: FloatArray, level: CareLevel) -> list[TriageReason]:
    """The hypotheses that make up the mass of ``level`` (most likely first)."""
    n_c = len(kb.conditions)
    urg = hypothesis_urgency(kb, len(probs))
    top = int(np.argmax(probs[:n_c])) if n_c else -1
    if level == CARE_LEVELS[-1]:
        own = [int(i) for i in np.argsort(-probs) if urg[i] == len(CARE_LEVELS) - 1]
        members = own[:1] if own and probs[own[0]] >= 0.05 else [top] if top >= 0 else []
    else:
        k = urgency(level)
        members = [int(i) for i in np.argsort(-probs) if urg[i] <= k]
        need = kb.policy.thresholds[level]
        taken, total = [], 0.0
        for i in members:
            taken.append(i)
            total += float(probs[i])
            if total >= need or len(taken) == MAX_CONTRIBUTORS:
                break
        members = taken
    out = []
    for i in members:
        p = round(float(probs[i]), 4)
        if i >= n_c:
            out.append(TriageReason("something_else", None, kb.policy.other_level, p))
        else:
            kind: ReasonKind = "likely" if i == top else "possible"
            out.append(TriageReason(kind, kb.conditions[i].id, kb.conditions[i].care_level, p))
    return out
