"""Labels: how findings, values, reasons and lists are worded, in one place."""

from __future__ import annotations

from collections.abc import Sequence

from symptomatic._types import Finding, FindingResult, Reason
from symptomatic.knowledge import KnowledgeBase
from symptomatic.language.compose._data import answers

__all__ = ["finding_label", "finding_result", "join", "reason"]


def join(items: Sequence[str], lang: str, *, word: str = "list_and") -> str:
    """ "a, b and c" in ``lang`` (``word``: ``list_and`` or ``list_or``)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + str(answers(lang)[word]) + items[-1]


def finding_label(
    kb: KnowledgeBase, evidence: str, status: str, value: str | None, lang: str
) -> str:
    """ "cough", "no fever", "where the pain is: left ear"."""
    text = kb.evidence_by_id[evidence].text[lang]
    label = text.absent if status == "absent" else text.present
    if value is not None:
        label = f"{label}: {kb.value_label(evidence, value, lang)}"
    return label


def finding_result(kb: KnowledgeBase, f: Finding, lang: str) -> FindingResult:
    """One finding as it is reported back, worded in ``lang``."""
    text = kb.evidence_by_id[f.evidence].text[lang]
    return FindingResult(
        evidence=f.evidence,
        label=text.absent if f.status == "absent" else text.present,
        status=f.status,
        value=f.value,
        value_label=None if f.value is None else kb.value_label(f.evidence, f.value, lang),
        span=f.span,
        text=f.text,
        source=f.source,
    )


def reason(kb: KnowledgeBase, evidence: str, slot_value: str, weight: float, lang: str) -> Reason:
    """A reason for or against a condition, from an answer slot and its weight."""
    status = "absent" if slot_value == "absent" else "present"
    value = None if slot_value in ("present", "absent") else slot_value
    label = finding_label(kb, evidence, status, value, lang)
    return Reason(evidence=evidence, label=label, status=status, value=value, weight=weight)
