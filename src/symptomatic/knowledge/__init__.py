"""The knowledge base: evidences, conditions, likelihoods, red flags, as validated data.

The files live in ``symptomatic/knowledge/data`` and are read with
:mod:`importlib.resources`; :func:`load_knowledge` reads them once per directory (the
packaged one from its compiled, memory-mapped form) and caches the result. Validation
against the schema (:func:`validate_knowledge`) is run by ``symptomatic validate``, the
checks and the tests, and on every load of a caller's own directory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from symptomatic.knowledge._files import packaged_dir
from symptomatic.knowledge._load import load_knowledge
from symptomatic.knowledge._model import (
    Calibration,
    Clause,
    Condition,
    ConditionInfo,
    Evidence,
    EvidenceText,
    KnowledgeArrays,
    KnowledgeBase,
    RedFlagRule,
    TriagePolicy,
    Value,
)

if TYPE_CHECKING:
    from symptomatic.knowledge._validate import validate_knowledge

__all__ = [
    "Calibration",
    "Clause",
    "Condition",
    "ConditionInfo",
    "Evidence",
    "EvidenceText",
    "KnowledgeArrays",
    "KnowledgeBase",
    "RedFlagRule",
    "TriagePolicy",
    "Value",
    "load_knowledge",
    "packaged_dir",
    "validate_knowledge",
]


def __getattr__(name: str) -> Any:  # the schema (pydantic) loads only when asked for
    if name == "validate_knowledge":
        from symptomatic.knowledge._validate import validate_knowledge

        return validate_knowledge
    raise AttributeError(name)
