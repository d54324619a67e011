from __future__ import annotations

from pathlib import Path

import pytest

from symptomatic import (
    ConflictingAnswerError,
    Finding,
    InputError,
    InvalidValueError,
    UnknownEvidenceError,
    load_knowledge,
)
from symptomatic._case import make_case, resolve_evidence, resolve_value


@pytest.fixture
def kb(tiny_kb_dir: Path):  # type: ignore[no-untyped-def]
    return load_knowledge(tiny_kb_dir)


@pytest.mark.parametrize("age", [-1, 121, 500, "forty", True])
def test_age_out_of_range(kb, age) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as info:
        make_case(kb, age=age)
    assert info.value.field == "age" and "0 to 120" in info.value.rule


@pytest.mark.parametrize(("raw", "want"), [("M", "male"), ("f", "female"), ("Female", "female")])
def test_sex_normalised(kb, raw, want) -> None:  # type: ignore[no-untyped-def]
    assert make_case(kb, sex=raw).sex == want


def test_bad_sex_suggests(kb) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as info:
        make_case(kb, sex="femal")
    assert info.value.suggestions == ("female",)


def test_missing_age_stays_unknown(kb) -> None:  # type: ignore[no-untyped-def]
    case = make_case(kb, findings=[Finding("runny-nose")])
    assert case.age is None and case.sex is None


def test_unknown_evidence_names_closest(kb) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownEvidenceError) as info:
        resolve_evidence(kb, "runy-nose")
    assert "runny-nose" in info.value.suggestions
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)
    assert "did you mean 'runny-nose'" in str(info.value)


def test_code_and_slug_resolve(kb) -> None:  # type: ignore[no-untyped-def]
    assert resolve_evidence(kb, "e_1").code == "E_1"
    assert resolve_evidence(kb, "Runny Nose").code == "E_1"


def test_value_by_code_or_label(kb) -> None:  # type: ignore[no-untyped-def]
    ev = kb.by_code["E_4"]
    assert resolve_value(kb, ev, "v_2") == "V_2"
    assert resolve_value(kb, ev, "left side") == "V_1"
    assert resolve_value(kb, ev, "côté gauche") == "V_1"
    with pytest.raises(InvalidValueError) as info:
        resolve_value(kb, ev, "left sid")
    assert "left-side" in info.value.suggestions


def test_yes_and_no_conflict(kb) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConflictingAnswerError):
        make_case(kb, findings=[Finding("E_1"), Finding("runny-nose", "absent")])


def test_binary_takes_no_value(kb) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidValueError):
        make_case(kb, findings=[Finding("E_1", value="V_1")])


def test_choice_needs_value(kb) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidValueError) as info:
        make_case(kb, findings=[Finding("E_4")])
    assert "needs a value" in info.value.rule


def test_child_implies_parent(kb) -> None:  # type: ignore[no-untyped-def]
    case = make_case(kb, findings=[Finding("E_4", value="V_1")])
    implied = [f for f in case.findings if f.source == "implied"]
    assert [(f.evidence, f.status) for f in implied] == [("E_3", "present")]


def test_child_with_parent_answered_no_conflicts(kb) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConflictingAnswerError):
        make_case(kb, findings=[Finding("E_3", "absent"), Finding("E_4", value="V_1")])


def test_bad_status(kb) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as info:
        make_case(kb, findings=[Finding("E_1", "maybe")])  # type: ignore[arg-type]
    assert info.value.field == "status"
