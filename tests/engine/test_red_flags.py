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


def _every_rule_looked_at(
    rules: list[RedFlagRule],
    present: dict[str, list[str | None]],
    age: float | None,
    said: set[str],
    days: float,
) -> list[RedFlagRule]:
    from symptomatic.engine.red_flags import _holds

    return [
        r
        for r in rules
        if all(any(_holds(c, present, age, said, days) for c in p) for p in r.all_of)
    ]


def test_rules_looked_up_by_their_gate_fire_as_if_all_were_looked_at() -> None:
    """Only rules whose gate (an evidence or phrase of a part made of those) is present are
    looked at; the answer is the same as looking at every rule, in the rules' order, for
    the packaged rules and many random cases."""
    import random

    kb = load_knowledge()
    rules = list(kb.red_flags)
    evidences = sorted({c.evidence for r in rules for p in r.all_of for c in p if c.evidence})
    phrases = sorted({c.phrase for r in rules for p in r.all_of for c in p if c.phrase})
    values = {
        c.evidence: [*c.values, str(c.min_value or 0), None]
        for r in rules
        for p in r.all_of
        for c in p
        if c.evidence
    }
    rng = random.Random(7)
    fired_any = 0
    for _ in range(400):
        present: dict[str, list[str | None]] = {
            e: [rng.choice(values[e])] for e in rng.sample(evidences, rng.randint(0, 6))
        }
        said = set(rng.sample(phrases, rng.randint(0, 2)))
        age = rng.choice([None, 0.1, 3.0, 30.0, 80.0])
        expected = _every_rule_looked_at(rules, present, age, said, 30.0)
        assert fired_rules(kb.red_flags, present, age=age, said=said, days=30.0) == expected
        assert fired_rules(rules, present, age=age, said=said, days=30.0) == expected
        fired_any += bool(expected)
    assert fired_any > 100
