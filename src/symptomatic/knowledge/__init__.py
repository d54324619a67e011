"""The knowledge base: conditions, evidences, likelihoods, red flags, as validated data.

The data files live in ``symptomatic/knowledge/data`` and are read with
:mod:`importlib.resources`. :func:`load_knowledge` reads them once per directory and caches
the result. Validation against the schema (:func:`validate_knowledge`) is done by the
checks and the tests for the packaged data, and on every load of a caller's own directory.
"""

from __future__ import annotations

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
