"""Every red-flag rule fires from structured answers and from everyday English and French,
sets at least its own level, and stops the interview at once; guards must not fire."""

from __future__ import annotations

import json
from typing import Any

import pytest

from symptomatic import Checker, Finding, Interview
from symptomatic._levels import urgency
from tests.conftest import FIXTURES

CASES: dict[str, Any] = json.loads((FIXTURES / "red_flag_cases.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker()


def _fired(result: Any) -> set[str]:
    return {c.split(":", 1)[1] for c in result.triage.codes if c.startswith("red_flag:")}


def test_every_rule_has_cases(checker: Checker) -> None:
    rules = {r.id for r in checker.kb.red_flags}
    assert rules == set(CASES["cases"])


@pytest.mark.parametrize("rule_id", sorted(CASES["cases"]))
def test_rule_fires_from_structured_answers(checker: Checker, rule_id: str) -> None:
    case = CASES["cases"][rule_id]
    if case.get("text_only"):
        pytest.skip("a rule on what was said (a duration, words), not on answers")
    findings = [Finding(e, "present", v) for e, v in case["findings"]]
    result = checker.check(age=case["age"], findings=findings)
    assert rule_id in _fired(result)
    rule = next(r for r in checker.kb.red_flags if r.id == rule_id)
    assert urgency(result.triage.level) <= urgency(rule.level)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("rule_id", sorted(CASES["cases"]))
def test_rule_fires_from_text(checker: Checker, rule_id: str, lang: str) -> None:
    case = CASES["cases"][rule_id]
    result = checker.check(age=case["age"], text=case[lang], lang=lang)
    assert rule_id in _fired(result), (case[lang], [f.evidence for f in result.findings])


@pytest.mark.parametrize("guard", CASES["guards"], ids=lambda g: g["text"][:40])
def test_guards_do_not_fire(checker: Checker, guard: dict[str, Any]) -> None:
    result = checker.check(age=guard["age"], text=guard["text"], lang=guard["lang"])
    assert not set(guard["not"]) & _fired(result)


def test_red_flag_in_text_stops_the_interview(checker: Checker) -> None:
    case = CASES["cases"]["sudden-severe-headache"]
    iv = Interview(checker, age=case["age"], sex="female", text=case["en"], lang="en")
    assert iv.should_stop and iv.stop_reason == "red_flag"
    assert iv.next_question() is None


def test_feverish_baby_from_structured_answers(checker: Checker) -> None:
    result = checker.check(age=0.1, findings=[Finding("fever")])
    assert "infant-fever" in _fired(result)
    assert result.triage.call_emergency_number or result.triage.level == "emergency"


def test_an_emergency_is_explained_by_its_red_flag_only(checker: Checker) -> None:
    case = CASES["cases"]["suicidal-thoughts"]
    result = checker.check(age=case["age"], text=case["en"], lang="en")
    assert result.triage.codes and all(c.startswith("red_flag:") for c in result.triage.codes)
    assert "988" in " ".join(result.triage.reasons) or "116 123" in " ".join(result.triage.reasons)
