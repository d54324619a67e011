"""The inference engine: pure functions over numpy arrays compiled once from the knowledge.

No I/O, no printing, no text: see :mod:`symptomatic.language` for words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from symptomatic.engine.compile import CompiledModel, compile_model
from symptomatic.engine.posterior import (
    Contribution,
    Encoded,
    context_prior,
    coverage,
    differential_members,
    encode,
    explain,
    explain_many,
    full_observation_scores,
    log_scores,
    posterior,
    softmax,
)
from symptomatic.engine.red_flags import Present, fired_rules
from symptomatic.engine.triage import TriageDecision, TriageReason, triage

if TYPE_CHECKING:
    from symptomatic.engine.interview import (
        InterviewPolicy,
        QuestionTable,
        Selection,
        Step,
        StopReason,
        compile_questions,
        expected_gains,
        step,
    )

__all__ = [
    "CompiledModel",
    "Contribution",
    "Encoded",
    "InterviewPolicy",
    "Present",
    "QuestionTable",
    "Selection",
    "Step",
    "StopReason",
    "TriageDecision",
    "TriageReason",
    "compile_model",
    "compile_questions",
    "context_prior",
    "coverage",
    "differential_members",
    "encode",
    "expected_gains",
    "explain",
    "explain_many",
    "fired_rules",
    "full_observation_scores",
    "log_scores",
    "posterior",
    "softmax",
    "step",
    "triage",
]

#: The question-selection names, imported on first use (a single check needs none).
_INTERVIEW = frozenset(
    {
        "InterviewPolicy",
        "QuestionTable",
        "Selection",
        "Step",
        "StopReason",
        "compile_questions",
        "expected_gains",
        "step",
    }
)


def __getattr__(name: str) -> Any:
    if name in _INTERVIEW:
        from symptomatic.engine import interview

        return getattr(interview, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
