"""The knowledge base: conditions, evidences, likelihoods, red flags, as validated data.

The data files live in ``symptomatic/knowledge/data`` and are read with
:mod:`importlib.resources`. :func:`load_knowledge` reads them once per directory and caches
the result. Validation against the schema (:func:`validate_knowledge`) is done by the
checks and the tests for the packaged data, and on every load of a caller's own directory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from symptomatic.knowledge._model import (
    Clause,
    Condition,
    ConditionInfo,
    Evidence,
    EvidenceText,
    KnowledgeBase,
    RedFlagRule,
    load_knowledge,
)

if TYPE_CHECKING:
    from symptomatic.knowledge._validate import validate_knowledge

__all__ = [
    "Clause",
    "Condition",
    "ConditionInfo",
    "Evidence",
    "EvidenceText",
    "KnowledgeBase",
    "RedFlagRule",
    "load_knowledge",
    "validate_knowledge",
]


def __getattr__(name: str) -> Any:  # the schema (pydantic) loads only when asked for
    if name == "validate_knowledge":
        from symptomatic.knowledge._validate import validate_knowledge

        return validate_knowledge
    raise AttributeError(name)
