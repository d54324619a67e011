"""symptomatic: an offline symptom checker and triage assistant on a small, transparent model.

Typical use::

    from symptomatic import Checker, Finding

    checker = Checker()
    result = checker.check(age=30, sex="female", findings=[Finding("fever"), Finding("cough")])
    print(result.summary)

Names are imported lazily so that ``import symptomatic`` does no work.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "CARE_LEVELS",
    "Case",
    "Checker",
    "ConditionResult",
    "ConflictingAnswerError",
    "Finding",
    "InputError",
    "Interview",
    "InvalidValueError",
    "KnowledgeBase",
    "KnowledgeError",
    "Question",
    "Result",
    "SymptomaticError",
    "TextInputError",
    "UnknownConditionError",
    "UnknownEvidenceError",
    "__version__",
    "check",
    "load_knowledge",
    "validate_knowledge",
]

_WHERE = {
    "CARE_LEVELS": "symptomatic._levels",
    "Case": "symptomatic._case",
    "Finding": "symptomatic._case",
    "Checker": "symptomatic._checker",
    "ConditionResult": "symptomatic._checker",
    "Result": "symptomatic._checker",
    "check": "symptomatic._checker",
    "Interview": "symptomatic.interview",
    "Question": "symptomatic.interview",
    "KnowledgeBase": "symptomatic.knowledge",
    "load_knowledge": "symptomatic.knowledge",
    "validate_knowledge": "symptomatic.knowledge",
    "ConflictingAnswerError": "symptomatic._errors",
    "InputError": "symptomatic._errors",
    "InvalidValueError": "symptomatic._errors",
    "KnowledgeError": "symptomatic._errors",
    "SymptomaticError": "symptomatic._errors",
    "TextInputError": "symptomatic._errors",
    "UnknownConditionError": "symptomatic._errors",
    "UnknownEvidenceError": "symptomatic._errors",
}

if TYPE_CHECKING:
    from symptomatic._case import Case, Finding
    from symptomatic._checker import Checker, ConditionResult, Result, check
    from symptomatic._errors import (
        ConflictingAnswerError,
        InputError,
        InvalidValueError,
        KnowledgeError,
        SymptomaticError,
        TextInputError,
        UnknownConditionError,
        UnknownEvidenceError,
    )
    from symptomatic._levels import CARE_LEVELS
    from symptomatic.interview import Interview, Question
    from symptomatic.knowledge import KnowledgeBase, load_knowledge, validate_knowledge


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'symptomatic' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
