"""Checking a case: every field named in errors, aliases resolved, one merge rule."""

from __future__ import annotations

import math

import pytest

from symptomatic import (
    Checker,
    ConflictingAnswerError,
    Finding,
    InputError,
    InvalidValueError,
    UnknownEvidenceError,
)
from symptomatic._case import make_case, merge_findings, resolve_evidence, resolve_value
from symptomatic.knowledge import KnowledgeBase


@pytest.fixture(scope="module")
def kb(tiny_checker: Checker) -> KnowledgeBase:
    return tiny_checker.kb


@pytest.mark.parametrize("age", [-1, 121, 500, "forty", True, math.nan, math.inf])
def test_age_out_of_range(kb: KnowledgeBase, age: object) -> None:
    with pytest.raises(InputError) as info:
        make_case(kb, age=age)
    assert info.value.field == "age" and "0 to 120" in info.value.rule


@pytest.mark.parametrize(("raw", "want"), [("M", "male"), ("f", "female"), ("Female", "female")])
def test_sex_normalised(kb: KnowledgeBase, raw: str, want: str) -> None:
    assert make_case(kb, sex=raw).sex == want


def test_bad_sex_suggests(kb: KnowledgeBase) -> None:
    with pytest.raises(InputError) as info:
        make_case(kb, sex="femal")
    assert info.value.suggestions == ("female",)
    with pytest.raises(InputError, match="sex"):
        make_case(kb, sex=3)


def test_missing_age_stays_unknown(kb: KnowledgeBase) -> None:
    case = make_case(kb, findings=[Finding("runny-nose")])
    assert case.age is None and case.sex is None


def test_unknown_evidence_names_closest(kb: KnowledgeBase) -> None:
    with pytest.raises(UnknownEvidenceError) as info:
        resolve_evidence(kb, "runy-nose")
    assert "runny-nose" in info.value.suggestions
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)
    assert "did you mean 'runny-nose'" in str(info.value)


def test_ids_codes_and_names_resolve(kb: KnowledgeBase) -> None:
    assert resolve_evidence(kb, "t_runny_nose").id == "runny-nose"
    assert resolve_evidence(kb, "Runny Nose").id == "runny-nose"
    assert resolve_evidence(kb, "runny-nose").id == "runny-nose"


def test_value_by_id_code_or_label(kb: KnowledgeBase) -> None:
    ev = kb.evidence_by_id["chest-pain-where"]
    assert resolve_value(kb, ev, "middle") == "middle"
    assert resolve_value(kb, ev, "v_middle") == "middle"
    assert resolve_value(kb, ev, "Côté gauche") == "left-side"
    with pytest.raises(InvalidValueError) as info:
        resolve_value(kb, ev, "midle")
    assert "middle" in info.value.suggestions


def test_yes_and_no_conflict(kb: KnowledgeBase) -> None:
    with pytest.raises(ConflictingAnswerError, match="both present and absent"):
        make_case(kb, findings=[Finding("runny-nose"), Finding("T_RUNNY_NOSE", "absent")])


def test_binary_takes_no_value(kb: KnowledgeBase) -> None:
    with pytest.raises(InvalidValueError, match="yes/no question"):
        make_case(kb, findings=[Finding("runny-nose", "present", "middle")])


def test_choice_needs_value(kb: KnowledgeBase) -> None:
    with pytest.raises(InvalidValueError, match="needs a value"):
        make_case(kb, findings=[Finding("chest-pain-where")])


def test_child_implies_parent(kb: KnowledgeBase) -> None:
    case = make_case(kb, findings=[Finding("chest-pain-where", "present", "middle")])
    implied = [f for f in case.findings if f.evidence == "chest-pain"]
    assert implied == [Finding("chest-pain", "present", source="implied")]


def test_child_with_parent_answered_no_conflicts(kb: KnowledgeBase) -> None:
    with pytest.raises(ConflictingAnswerError):
        make_case(
            kb,
            findings=[
                Finding("chest-pain", "absent"),
                Finding("chest-pain-where", "present", "middle"),
            ],
        )


def test_bad_status_and_bad_types(kb: KnowledgeBase) -> None:
    with pytest.raises(InputError) as info:
        make_case(kb, findings=[Finding("runny-nose", "maybe")])  # type: ignore[arg-type]
    assert info.value.field == "findings[0].status"
    with pytest.raises(InputError, match="must be a list of Finding"):
        make_case(kb, findings=Finding("runny-nose"))  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"findings\[0\]"):
        make_case(kb, findings=["runny-nose"])  # type: ignore[list-item]
    with pytest.raises(UnknownEvidenceError, match="a string"):
        make_case(kb, findings=[Finding(123)])  # type: ignore[arg-type]


def test_none_findings_is_no_finding(kb: KnowledgeBase) -> None:
    assert make_case(kb, findings=None).findings == ()


def test_one_merge_rule_the_last_layer_wins_per_evidence() -> None:
    text = [Finding("fever", "present", source="text"), Finding("cough", source="text")]
    given = [Finding("fever", "absent")]
    answers = [Finding("cough", "unknown")]
    merged = merge_findings(text, given, answers)
    assert {(f.evidence, f.status) for f in merged} == {("fever", "absent"), ("cough", "unknown")}
