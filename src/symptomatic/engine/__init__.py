"""The inference engine: pure functions over numpy arrays compiled once from the knowledge.

No I/O, no printing, no text: see :mod:`symptomatic.language` for words.
"""

from __future__ import annotations

from symptomatic.engine._compiled import CompiledModel, compile_model
from symptomatic.engine.interview import InterviewPolicy, compile_questions, expected_gains
from symptomatic.engine.posterior import (
    Contribution,
    Encoded,
    coverage,
    differential_members,
    encode,
    explain,
    full_observation_scores,
    log_scores,
    normalise_rows,
    posterior,
)
from symptomatic.engine.triage import TriageDecision, TriageReason, triage

__all__ = [
    "CompiledModel",
    "Contribution",
    "Encoded",
    "InterviewPolicy",
    "TriageDecision",
    "TriageReason",
    "compile_model",
    "compile_questions",
    "coverage",
    "differential_members",
    "encode",
    "expected_gains",
    "explain",
    "full_observation_scores",
    "log_scores",
    "normalise_rows",
    "posterior",
    "triage",
]
