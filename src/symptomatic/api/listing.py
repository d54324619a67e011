"""The listings both interfaces give, and the one evidence search.

The conditions and the evidences of a knowledge base as rows (plain dicts): the JSON of
``GET /v1/conditions`` and ``GET /v1/evidences`` and of ``symptomatic conditions --json`` and
``symptomatic evidences --json``. Plain Python over the public API, without FastAPI, so that
the command line uses it without the web extra.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from symptomatic import LANGS

if TYPE_CHECKING:
    from symptomatic import KnowledgeBase

__all__ = ["condition_rows", "evidence_haystacks", "evidence_matches", "evidence_rows"]


def condition_rows(kb: KnowledgeBase, lang: str) -> list[dict[str, Any]]:
    """Every condition, by name in ``lang`` (any case)."""
    rows = [
        {
            "id": c.id,
            "name": c.name[lang],
            "icd10": c.icd10,
            "severity": c.severity,
            "care_level": c.care_level,
            "care_source": c.care_source,
            "group": c.group,
        }
        for c in kb.conditions
    ]
    rows.sort(key=lambda r: str(r["name"]).lower())
    return rows


def evidence_rows(kb: KnowledgeBase, lang: str) -> list[dict[str, Any]]:
    """Every evidence in knowledge-base order, worded in ``lang``: its codes, its kind (a
    0-10 scale is ``scale``) and its values (none listed for a scale)."""
    return [
        {
            "evidence": e.id,
            "codes": [c for cs in e.aliases.values() for c in cs],
            "kind": "scale" if e.scale else e.kind,
            "parent": e.parent,
            "history": e.history,
            "question": e.text[lang].question,
            "values": []
            if e.scale
            else [{"value": v, "label": kb.values[v].label[lang]} for v in e.values],
        }
        for e in kb.evidences
    ]


def evidence_haystacks(kb: KnowledgeBase) -> dict[str, str]:
    """For each evidence id, what a search looks in: the id, the codes, and the question and
    the statement in every language (lower case)."""
    return {
        e.id: " ".join(
            [e.id]
            + [c for cs in e.aliases.values() for c in cs]
            + [e.text[lg].question for lg in LANGS]
            + [e.text[lg].present for lg in LANGS]
        ).lower()
        for e in kb.evidences
    }


def evidence_matches(haystacks: Mapping[str, str], search: str) -> frozenset[str]:
    """The ids of the evidences whose haystack has ``search`` (any case, in any language;
    spaces may be written as the hyphens of an id)."""
    word = search.strip().lower()
    hyphens = word.replace(" ", "-")
    return frozenset(e for e, hay in haystacks.items() if word in hay or hyphens in hay)
