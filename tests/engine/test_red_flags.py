"""The one red-flag evaluator: findings, age and words said."""

from __future__ import annotations

from symptomatic import load_knowledge
from symptomatic.engine import fired_rules
from symptomatic.knowledge import Clause, RedFlagRule
from tests.conftest import TINY


def _rule(*parts: tuple[Clause, ...]) -> RedFlagRule:
    return RedFlagRule("r", "emergency", parts, {"en": "x", "fr": "x"}, "test")


def test_every_part_must_hold_any_clause_will_do() -> None:
    rule = _rule(
        (Clause(evidence="fever"),),
        (Clause(age_below_years=0.25), Clause(phrase="newborn")),
    )
    present = {"fever": [None]}
    assert fired_rules([rule], present, age=0.1) == [rule]
    assert fired_rules([rule], present, age=2.0) == []
    assert fired_rules([rule], present, age=None, said={"newborn"}) == [rule]
    assert fired_rules([rule], {}, age=0.1) == []


def test_values_and_scales() -> None:
    where = _rule((Clause(evidence="chest-pain-where", values=("middle",)),))
    assert fired_rules([where], {"chest-pain-where": ["left-side", "middle"]})
    assert not fired_rules([where], {"chest-pain-where": ["left-side"]})
    pain = _rule((Clause(evidence="pain-intensity", min_value=8),))
    assert fired_rules([pain], {"pain-intensity": ["9"]})
    assert not fired_rules([pain], {"pain-intensity": ["7"]})


def test_tiny_rules() -> None:
    kb = load_knowledge(TINY)
    fired = fired_rules(kb.red_flags, {"chest-pain-where": ["middle"]})
    assert [r.id for r in fired] == ["chest-pain-middle"]
    assert [r.id for r in fired_rules(kb.red_flags, {"fever": [None]}, age=0.1)] == ["baby-fever"]
