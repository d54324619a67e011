"""Care level: red-flag rules first, then the conditions that stay plausible.

The rule (documented in the README):

1. Every red-flag rule whose clauses all hold sets its level, whatever the posterior says.
2. A condition of DDXPlus severity 1 or 2 whose probability is at or above the threshold
   for its severity (``policy.severe_plausible``) contributes its own care level, so a
   dangerous condition that remains plausible keeps the level high.
3. The most likely condition, and every condition at or above
   ``policy.leading_min_probability``, contribute their care levels.
4. A complaint outside the knowledge base contributes ``policy.outside_knowledge_level``;
   a case with no symptom at all gets ``policy.no_symptoms_level``.

The answer is the most urgent level contributed; every contribution is kept as a reason.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from symptomatic._levels import CareLevel, most_urgent, urgency
from symptomatic.engine.compile import FloatArray
from symptomatic.knowledge import KnowledgeBase, RedFlagRule

ReasonKind = Literal["red_flag", "severe_plausible", "likely", "outside_knowledge", "no_symptoms"]


@dataclass(frozen=True, slots=True)
class TriageReason:
    """Why a level was reached: a red-flag rule id or a condition id, with its level."""

    kind: ReasonKind
    ref: str | None
    level: CareLevel
    probability: float | None = None


@dataclass(frozen=True, slots=True)
class TriageDecision:
    level: CareLevel
    reasons: tuple[TriageReason, ...]


def triage(
    kb: KnowledgeBase,
    probs: FloatArray | None,
    fired: Sequence[RedFlagRule] = (),
    *,
    outside_knowledge: bool = False,
    extra: Collection[TriageReason] = (),
) -> TriageDecision:
    """The care level for a posterior ``probs`` over the knowledge base's conditions (None:
    no differential) and the red-flag rules that ``fired``."""
    policy = kb.policy
    reasons: list[TriageReason] = [TriageReason("red_flag", r.id, r.level) for r in fired]
    reasons.extend(extra)
    if probs is not None:
        thresholds = policy.severe_plausible
        leading = policy.leading_min_probability
        probs = probs[: len(kb.conditions)]
        top = int(np.argmax(probs))
        for i, c in enumerate(kb.conditions):
            p = float(probs[i])
            if c.severity in thresholds and p >= thresholds[c.severity]:
                reasons.append(TriageReason("severe_plausible", c.id, c.care_level, p))
            elif i == top or p >= leading:
                reasons.append(TriageReason("likely", c.id, c.care_level, p))
    if outside_knowledge:
        reasons.append(TriageReason("outside_knowledge", None, policy.outside_knowledge_level))
    if not reasons:
        reasons.append(TriageReason("no_symptoms", None, policy.no_symptoms_level))
    reasons.sort(key=lambda r: (urgency(r.level), -(r.probability or 1.0)))
    return TriageDecision(most_urgent([r.level for r in reasons]), tuple(reasons))
