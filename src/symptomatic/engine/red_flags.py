"""The one red-flag evaluator: rules over findings, words said and age.

Used for every answer, from structured findings and from free text alike: the language
layer turns words into findings (and the few phrase concepts a rule names), and this module
decides which rules hold. Pure: no I/O, no text.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from symptomatic.knowledge import Clause, RedFlagRule

__all__ = ["Present", "fired_rules"]

#: Present findings: evidence id -> its values (``None`` for a yes/no evidence).
Present = Mapping[str, Collection[str | None]]


def _holds(
    clause: Clause,
    present: Present,
    age: float | None,
    said: Collection[str],
    days: float | None,
) -> bool:
    if clause.min_days is not None:
        return days is not None and days >= clause.min_days
    if clause.age_below_years is not None:
        return age is not None and age < clause.age_below_years
    if clause.age_at_least_years is not None:
        return age is not None and age >= clause.age_at_least_years
    if clause.phrase is not None:
        return clause.phrase in said
    values = present.get(clause.evidence or "")
    if values is None:
        return False
    if clause.values and not any(v in clause.values for v in values):
        return False
    return clause.min_value is None or any(
        v is not None and v.isdigit() and int(v) >= clause.min_value for v in values
    )


def fired_rules(
    rules: Sequence[RedFlagRule],
    present: Present,
    *,
    age: float | None = None,
    said: Collection[str] = (),
    days: float | None = None,
) -> list[RedFlagRule]:
    """The rules whose every part holds: for each part, at least one of its clauses.

    ``present`` maps each present evidence to its values, ``age`` is in years, ``days`` the
    longest duration said (days) and ``said``
    holds the phrase concepts found in the person's words.
    """
    return [
        rule
        for rule in rules
        if all(any(_holds(c, present, age, said, days) for c in part) for part in rule.all_of)
    ]
