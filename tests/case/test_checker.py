"""The checker over the tiny base: the answer's shape, settings, reasons, explanations."""

from __future__ import annotations

import pytest

from symptomatic import Checker, Finding, InputError, UnknownConditionError
from tests.conftest import TINY


def test_result_shape(tiny_checker: Checker) -> None:
    r = tiny_checker.check(
        age=30, sex="female", findings=[Finding("runny-nose"), Finding("T_SNEEZING")]
    )
    assert r.differential[0].id == "cold"
    assert sum(c.probability for c in r.differential) <= 1.0 + 1e-9
    assert r.triage.level == "self_care"
    assert [(f.evidence, f.status, f.source) for f in r.findings] == [
        ("runny-nose", "present", "answer"),
        ("sneezing", "present", "answer"),
    ]
    data = r.to_dict()
    assert data["findings"][0]["span"] is None
    assert data["knowledge"]["version"] == "test-1"
    assert "not a diagnosis" in r.disclaimer


def test_reasons_put_what_the_person_has_first(tiny_checker: Checker) -> None:
    r = tiny_checker.check(
        findings=[Finding("chest-pain-where", "present", "middle"), Finding("runny-nose", "absent")]
    )
    clot = next(c for c in r.differential if c.id == "clot")
    assert clot.reasons_for and clot.reasons_for[0].status == "present"
    assert all(r.weight > 0 for r in clot.reasons_for)


def test_red_flag_and_its_reason(tiny_checker: Checker) -> None:
    r = tiny_checker.check(findings=[Finding("chest-pain-where", "present", "middle")])
    assert r.triage.level == "emergency_ambulance"  # clot stays plausible: its own level
    assert "red_flag:chest-pain-middle" in r.triage.codes
    assert "Central chest pain." in r.triage.reasons


def test_no_symptom(tiny_checker: Checker) -> None:
    r = tiny_checker.check(age=30)
    assert r.differential == () and r.triage.codes == ("no_symptoms",)


def test_explain(tiny_checker: Checker) -> None:
    a, lang = tiny_checker.assess(findings=[Finding("runny-nose"), Finding("chest-pain", "absent")])
    c = tiny_checker.explain(a, "clot", lang=lang)
    assert c.reasons_against and not c.reasons_for
    with pytest.raises(UnknownConditionError) as info:
        tiny_checker.explain(a, "clott", lang=lang)
    assert info.value.suggestions[0] == "clot"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"temperature": 0}, "temperature"),
        ({"temperature": float("nan")}, "temperature"),
        ({"max_conditions": 0}, "max_conditions"),
        ({"min_probability": 1.5}, "min_probability"),
        ({"knowledge": 42}, "knowledge"),
    ],
)
def test_bad_settings(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as info:
        Checker(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_module_level_check_matches_checker(checker: Checker) -> None:
    from symptomatic import check

    findings = [Finding("fever"), Finding("cough")]
    assert check(findings=findings).to_dict() == checker.check(findings=findings).to_dict()


def test_answers_win_over_findings_over_text(tiny_checker: Checker) -> None:
    r = tiny_checker.check(
        findings=[Finding("runny-nose", "absent")], answers=[Finding("runny-nose", "unknown")]
    )
    assert [(f.evidence, f.status) for f in r.findings] == [("runny-nose", "unknown")]


def test_tiny_directory_as_knowledge() -> None:
    assert Checker(knowledge=TINY).kb.version == "test-1"
