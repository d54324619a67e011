"""The packaged red-flag rules: every rule reachable from structured answers."""

from __future__ import annotations

import pytest

from symptomatic import CARE_LEVELS, Checker, Finding, load_knowledge

RULES = load_knowledge().red_flags


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_red_flag_reaches_its_level_from_answers(checker: Checker, rule: object) -> None:
    findings, age = [], 40.0
    for part in rule.all_of:  # type: ignore[attr-defined]
        clause = next((c for c in part if c.phrase is None), None)
        if clause is None:
            pytest.skip("a rule on words said only (tests/content/test_red_flags.py)")
        if clause.age_below_years is not None:
            age = min(age, clause.age_below_years * 0.9)
            continue
        if clause.age_at_least_years is not None:
            age = max(age, clause.age_at_least_years)
            continue
        if clause.min_days is not None:
            pytest.skip("a rule on a duration said in words (tests/content/test_red_flags.py)")
        value = clause.values[0] if clause.values else None
        if clause.min_value is not None:
            value = str(clause.min_value)
        findings.append(Finding(clause.evidence, "present", value))
    result = checker.check(age=age, sex="female", findings=findings)
    assert CARE_LEVELS.index(result.triage.level) <= CARE_LEVELS.index(rule.level)  # type: ignore[attr-defined]
    assert f"red_flag:{rule.id}" in result.triage.codes  # type: ignore[attr-defined]
