from __future__ import annotations

from pathlib import Path

import pytest

from symptomatic import CARE_LEVELS, Checker, Finding, load_knowledge
from symptomatic.engine import triage
from symptomatic.engine.triage import fired_rules


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker()


def test_every_packaged_red_flag_reaches_its_level(checker: Checker) -> None:
    kb = checker.kb
    for rule in kb.red_flags:
        findings = [
            Finding(
                c.evidence,
                "present",
                c.values[0]
                if c.values
                else (str(c.min_value) if c.min_value is not None else None),
            )
            for c in rule.all_of
        ]
        result = checker.check(age=40, sex="male", findings=findings)
        assert CARE_LEVELS.index(result.triage.level) <= CARE_LEVELS.index(rule.level), rule.id
        assert f"red_flag:{rule.id}" in result.triage.codes


def test_red_flag_escalates_whatever_the_posterior(tiny_kb_dir: Path) -> None:
    checker = Checker(knowledge=tiny_kb_dir)
    result = checker.check(findings=[Finding("E_1"), Finding("E_2"), Finding("E_4", value="V_2")])
    assert result.triage.level == "emergency"
    assert result.triage.call_emergency_number
    assert "Central chest pain." in result.triage.reasons


def test_severe_plausible_keeps_level_high(tiny_kb_dir: Path) -> None:
    kb = load_knowledge(tiny_kb_dir)
    import numpy as np

    probs = np.array([0.85, 0.09, 0.06])  # the clot (severity 1) is still plausible
    decision = triage(kb, probs, {"E_1": [None]})
    assert decision.level == "emergency_ambulance"
    assert decision.reasons[0].kind == "severe_plausible" and decision.reasons[0].ref == "clot"
    decision = triage(kb, np.array([0.97, 0.02, 0.01]), {"E_1": [None]})
    assert decision.level == "self_care"


def test_no_symptoms_and_outside_levels(tiny_kb_dir: Path) -> None:
    kb = load_knowledge(tiny_kb_dir)
    assert triage(kb, None, {}).level == "consultation"
    assert triage(kb, None, {}, outside_knowledge=True).reasons[0].kind == "outside_knowledge"


def test_fired_rules_needs_every_clause(tiny_kb_dir: Path) -> None:
    kb = load_knowledge(tiny_kb_dir)
    assert fired_rules(kb, {"E_4": ["V_1"]}) == []
    assert [r.id for r in fired_rules(kb, {"E_4": ["V_1", "V_2"]})] == ["chest-pain-middle"]


def test_chest_pain_with_breathlessness_calls_ambulance(checker: Checker) -> None:
    result = checker.check(
        age=60,
        sex="male",
        findings=[Finding("pain-location", value="V_101"), Finding("E_66")],
    )
    assert result.triage.level == "emergency_ambulance"
    assert result.summary.splitlines()[0].startswith("Call your local emergency number")


def test_unexplained_finding_says_something_else(checker: Checker) -> None:
    # A cold does not explain vomiting blood; the answer must not force it.
    result = checker.check(age=30, findings=[Finding("E_181"), Finding("E_210")])
    assert result.triage.level == "emergency_ambulance"
    assert result.something_else.likely


def test_mild_case_is_self_care(checker: Checker) -> None:
    result = checker.check(
        age=25,
        sex="female",
        findings=[
            Finding("E_181"),
            Finding("E_201"),
            Finding("E_91", "absent"),
            Finding("E_66", "absent"),
        ],
    )
    assert result.differential[0].care_level in ("self_care", "consultation")
    assert "not a diagnosis" in result.disclaimer
