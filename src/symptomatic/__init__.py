"""symptomatic: an offline symptom checker and triage assistant on a small, transparent model.

Typical use::

    from symptomatic import Checker, Finding

    checker = Checker()
    result = checker.check(age=30, sex="female", findings=[Finding("fever"), Finding("cough")])
    print(result.summary)

Every name below is the public API; each reports ``symptomatic`` as its module. Names are
imported lazily so that ``import symptomatic`` does no work.
"""

from __future__ import annotations

import contextlib
import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

_WHERE = {
    "CARE_LEVELS": "symptomatic._levels",
    "LANGS": "symptomatic._types",
    "Case": "symptomatic._types",
    "Choice": "symptomatic._types",
    "ConditionResult": "symptomatic._types",
    "Finding": "symptomatic._types",
    "FindingResult": "symptomatic._types",
    "Question": "symptomatic._types",
    "Reason": "symptomatic._types",
    "Result": "symptomatic._types",
    "SomethingElse": "symptomatic._types",
    "Span": "symptomatic._types",
    "TriageResult": "symptomatic._types",
    "CareLevel": "symptomatic._types",
    "FindingSource": "symptomatic._types",
    "Lang": "symptomatic._types",
    "QuestionKind": "symptomatic._types",
    "Sex": "symptomatic._types",
    "Status": "symptomatic._types",
    "Assessment": "symptomatic._checker",
    "Checker": "symptomatic._checker",
    "check": "symptomatic._checker",
    "default_checker": "symptomatic._checker",
    "Interview": "symptomatic.interview",
    "InterviewPolicy": "symptomatic.engine.interview",
    "Condition": "symptomatic.knowledge",
    "ConditionInfo": "symptomatic.knowledge",
    "Evidence": "symptomatic.knowledge",
    "KnowledgeBase": "symptomatic.knowledge",
    "RedFlagRule": "symptomatic.knowledge",
    "load_knowledge": "symptomatic.knowledge",
    "validate_knowledge": "symptomatic._validation",
    "ui_words": "symptomatic.language.compose.ui",
    "install_hint": "symptomatic._extras",
    "tune_process": "symptomatic._runtime",
    "ConflictingAnswerError": "symptomatic._errors",
    "InputError": "symptomatic._errors",
    "InvalidValueError": "symptomatic._errors",
    "KnowledgeError": "symptomatic._errors",
    "ModelIntegrityError": "symptomatic._errors",
    "SemanticUnavailableError": "symptomatic._errors",
    "SymptomaticError": "symptomatic._errors",
    "TextInputError": "symptomatic._errors",
    "UnknownConditionError": "symptomatic._errors",
    "UnknownEvidenceError": "symptomatic._errors",
}

__all__ = [
    "CARE_LEVELS",
    "LANGS",
    "Assessment",
    "Case",
    "Checker",
    "Choice",
    "Condition",
    "ConditionInfo",
    "ConditionResult",
    "ConflictingAnswerError",
    "Evidence",
    "Finding",
    "FindingResult",
    "InputError",
    "Interview",
    "InterviewPolicy",
    "InvalidValueError",
    "KnowledgeBase",
    "KnowledgeError",
    "ModelIntegrityError",
    "Question",
    "Reason",
    "RedFlagRule",
    "Result",
    "SemanticUnavailableError",
    "SomethingElse",
    "Span",
    "SymptomaticError",
    "TextInputError",
    "TriageResult",
    "UnknownConditionError",
    "UnknownEvidenceError",
    "__version__",
    "check",
    "default_checker",
    "install_hint",
    "load_knowledge",
    "tune_process",
    "ui_words",
    "validate_knowledge",
]

if TYPE_CHECKING:
    from symptomatic._checker import Assessment, Checker, check, default_checker
    from symptomatic._errors import (
        ConflictingAnswerError,
        InputError,
        InvalidValueError,
        KnowledgeError,
        ModelIntegrityError,
        SemanticUnavailableError,
        SymptomaticError,
        TextInputError,
        UnknownConditionError,
        UnknownEvidenceError,
    )
    from symptomatic._extras import install_hint
    from symptomatic._levels import CARE_LEVELS
    from symptomatic._runtime import tune_process
    from symptomatic._types import (
        LANGS,
        Case,
        Choice,
        ConditionResult,
        Finding,
        FindingResult,
        Question,
        Reason,
        Result,
        SomethingElse,
        Span,
        TriageResult,
    )
    from symptomatic._validation import validate_knowledge
    from symptomatic.engine.interview import InterviewPolicy
    from symptomatic.interview import Interview
    from symptomatic.knowledge import (
        Condition,
        ConditionInfo,
        Evidence,
        KnowledgeBase,
        RedFlagRule,
        load_knowledge,
    )
    from symptomatic.language.compose.ui import ui_words


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'symptomatic' has no attribute {name!r}")
    loaded = importlib.import_module(module)
    # Every public name of that module lands here at once, so that annotations which name
    # each other (typing.get_type_hints on a result type) resolve in this namespace.
    for other, where in _WHERE.items():
        if where == module:
            value = getattr(loaded, other)
            if isinstance(value, type) or callable(value):
                with contextlib.suppress(AttributeError, TypeError):
                    value.__module__ = "symptomatic"
            globals()[other] = value
    return globals()[name]


def __dir__() -> list[str]:
    return list(__all__)
