"""Text out: the plain-language answer, built from phrase data per language.

Every answer has, in order: an acknowledgement of what the person said, the likely
explanations as natural frequencies with what argues for and against them (or an honest
"something else"), what to do now for the care level, self-care and how long it lasts for
self-care conditions, safety-netting, and the reminder that this is not a diagnosis. At the
emergency levels the instruction comes first and nothing that would delay it follows
before it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from symptomatic.engine import TriageReason
from symptomatic.knowledge import KnowledgeBase

if TYPE_CHECKING:
    from symptomatic._checker import ConditionResult, FindingResult, SomethingElse, TriageResult


@cache
def phrases(lang: str) -> dict[str, Any]:
    raw = (resources.files("symptomatic.language") / "data" / "phrases.json").read_text("utf-8")
    table: dict[str, Any] = json.loads(raw)[lang]
    return table


def join(items: Sequence[str], lang: str) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + str(phrases(lang)["list_and"]) + items[-1]


def disclaimer(lang: str, *, urgent: bool = False) -> str:
    return str(phrases(lang)["disclaimer_urgent" if urgent else "disclaimer"])


def outside_reason(terms: Sequence[str], lang: str) -> str:
    return str(phrases(lang)["outside"]).format(items=join(terms, lang))


def no_symptoms_reason(lang: str) -> str:
    return str(phrases(lang)["no_symptoms"])


def unexplained_reason(name: str, labels: Sequence[str], lang: str) -> str:
    return str(phrases(lang)["unexplained"]).format(name=name, items=join(labels, lang))


def triage_reason(kb: KnowledgeBase, reason: TriageReason, lang: str) -> str:
    """One sentence explaining why ``reason`` contributed its level."""
    p = phrases(lang)
    if reason.kind == "red_flag":
        for rule in kb.red_flags:
            if rule.id == reason.ref:
                return rule.reason[lang]
        text_reason = getattr(reason, "text", None)
        return str(text_reason or reason.ref)
    if reason.kind in ("likely", "severe_plausible") and reason.ref is not None:
        name = kb.condition_by_id[reason.ref].name[lang]
        if reason.kind == "likely":
            return str(p["reason_likely"]).format(name=name)
        pct = max(1, round(100 * (reason.probability or 0.0)))
        return str(p["reason_severe"]).format(name=name, pct=pct)
    if reason.kind == "outside_knowledge":
        return str(p["reason_outside"])
    if reason.kind == "no_symptoms":
        return str(p["reason_no_symptoms"])
    return str(reason.ref or reason.kind)


def frequency(name: str, probability: float, lang: str) -> str:
    n = round(probability * 10)
    p = phrases(lang)
    return str(p["likely_few"] if n < 1 else p["likely"]).format(name=name, n=n)


def summary(
    kb: KnowledgeBase,
    *,
    differential: Sequence[ConditionResult],
    triage: TriageResult,
    findings: Sequence[FindingResult],
    something_else: SomethingElse,
    lang: str,
    age: float | None = None,
    parsed: Any = None,
) -> str:
    """The plain-language answer (see the module docstring for its parts)."""
    p = phrases(lang)
    lines: list[str] = []
    urgent = triage.call_emergency_number
    if urgent:
        lines.append(str(p["level_now"][triage.level]))
        lines.extend(triage.reasons[:2])
    # 1. acknowledgement
    said = [f.label for f in findings if f.source != "implied" and f.status == "present"][:6]
    if age is not None and age < 16:
        lines.append(str(p["ack_child"]))
    if parsed is not None and getattr(parsed, "worried", False):
        lines.append(str(p["ack_worry"]))
    lines.append(str(p["ack"]).format(items=join(said, lang)) if said else str(p["ack_none"]))
    # 2. likely explanations
    if something_else.likely:
        lines.append(something_else.reason)
    if differential:
        lines.append(str(p["likely_intro"]))
        for c in differential[:3]:
            lines.append("- " + frequency(c.name, c.probability, lang))
            if c.reasons_for:
                lines.append(
                    "  "
                    + str(p["for"]).format(items=join([r.label for r in c.reasons_for[:3]], lang))
                )
            if c.reasons_against:
                lines.append(
                    "  "
                    + str(p["against"]).format(
                        items=join([r.label for r in c.reasons_against[:2]], lang)
                    )
                )
    elif not something_else.likely and not said:
        lines.append(no_symptoms_reason(lang))
    # 3. what to do now
    if not urgent:
        lines.append(str(p["level_now"][triage.level]))
        lines.extend(triage.reasons[:1])
    # 4./5. self-care and safety-netting for the leading condition
    if differential:
        top = differential[0]
        info = kb.info.get(top.id, {}).get(lang)
        if info is not None:
            if not urgent and triage.level == "self_care" and info.self_care:
                lines.append(str(p["self_care_intro"]).format(name=top.name))
                lines.extend("- " + s for s in info.self_care)
                lines.append(str(p["lasts"]).format(text=info.course))
                lines.append(str(p["contagious"]).format(text=info.contagious))
            if not urgent:
                lines.append(str(p["safety_intro"]))
                lines.extend("- " + s for s in info.seek_care)
    # 6. not a diagnosis
    lines.append(disclaimer(lang, urgent=urgent))
    return "\n".join(lines)
