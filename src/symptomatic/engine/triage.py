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

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from symptomatic._levels import CareLevel, most_urgent, urgency
from symptomatic.engine._compiled import FloatArray
from symptomatic.knowledge import Clause, KnowledgeBase, RedFlagRule

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


def fired_rules(
    kb: KnowledgeBase, present: Mapping[str, Collection[str | None]]
) -> list[RedFlagRule]:
    """The red-flag rules whose every clause holds for the present findings.

    ``present`` maps each present evidence code to its values (``None`` for binaries).
    """
    return [
        rule
        for rule in kb.red_flags
        if all(_holds(clause, present.get(clause.evidence)) for clause in rule.all_of)
    ]


def _holds(clause: Clause, values: Collection[str | None] | None) -> bool:
    if values is None:
        return False
    if clause.values and not any(v in clause.values for v in values):
        return False
    return clause.min_value is None or any(
        v is not None and v.isdigit() and int(v) >= clause.min_value for v in values
    )


def triage(
    kb: KnowledgeBase,
    probs: FloatArray | None,
    present: Mapping[str, Collection[str | None]],
    *,
    outside_knowledge: bool = False,
    extra: Collection[TriageReason] = (),
) -> TriageDecision:
    """The care level for a posterior ``probs`` (None: no differential) and findings."""
    policy = kb.triage_policy
    reasons: list[TriageReason] = [
        TriageReason("red_flag", r.id, r.level) for r in fired_rules(kb, present)
    ]
    reasons.extend(extra)
    if probs is not None:
        thresholds = {int(k): float(v) for k, v in policy["severe_plausible"].items()}
        leading = float(policy["leading_min_probability"])
        top = int(np.argmax(probs))
        for i, c in enumerate(kb.conditions):
            p = float(probs[i])
            if c.severity in thresholds and p >= thresholds[c.severity]:
                reasons.append(TriageReason("severe_plausible", c.id, c.care_level, p))
            elif i == top or p >= leading:
                reasons.append(TriageReason("likely", c.id, c.care_level, p))
    if outside_knowledge:
        reasons.append(TriageReason("outside_knowledge", None, policy["outside_knowledge_level"]))
    if not reasons:
        reasons.append(TriageReason("no_symptoms", None, policy["no_symptoms_level"]))
    reasons.sort(key=lambda r: (urgency(r.level), -(r.probability or 1.0)))
    return TriageDecision(most_urgent([r.level for r in reasons]), tuple(reasons))
