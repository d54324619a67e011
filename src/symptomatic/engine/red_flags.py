"""The one red-flag evaluator: rules over findings, words said and age.

Used for every answer, from structured findings and from free text alike: the language
layer turns words into findings (and the few phrase concepts a rule names), and this module
decides which rules hold. Pure: no I/O, no text.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

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


#: One rule's gate: the evidences and phrase concepts of its narrowest part made only of
#: those (one of them must be present or said for the rule to hold), or None.
_Gate = tuple[frozenset[str], frozenset[str]] | None


@dataclass(frozen=True, slots=True)
class _Index:
    """The rules to look at: by gate evidence, by gate phrase, and those without a gate."""

    rules: Sequence[RedFlagRule]
    by_evidence: Mapping[str, tuple[int, ...]]
    by_phrase: Mapping[str, tuple[int, ...]]
    always: tuple[int, ...]


_cache: dict[int, _Index] = {}
_lock = threading.Lock()


def _gate(rule: RedFlagRule) -> _Gate:
    best: _Gate = None
    for part in rule.all_of:
        if all(c.evidence is not None or c.phrase is not None for c in part):
            evidences = frozenset(c.evidence for c in part if c.evidence is not None)
            phrases = frozenset(c.phrase for c in part if c.phrase is not None)
            if best is None or len(evidences) + len(phrases) < len(best[0]) + len(best[1]):
                best = (evidences, phrases)
    return best


def _index_of(rules: Sequence[RedFlagRule]) -> _Index:
    """The index of a rule list; worked out once for a tuple (a knowledge base's rules),
    kept by identity, and anew for any other sequence (it might change)."""
    cached = _cache.get(id(rules))
    if cached is not None and cached.rules is rules:
        return cached
    index = _build_index(rules)
    if isinstance(rules, tuple):
        with _lock:
            if len(_cache) >= 16:
                _cache.clear()
            _cache[id(rules)] = index
    return index


def _build_index(rules: Sequence[RedFlagRule]) -> _Index:
    by_evidence: dict[str, list[int]] = {}
    by_phrase: dict[str, list[int]] = {}
    always: list[int] = []
    for i, rule in enumerate(rules):
        gate = _gate(rule)
        if gate is None:
            always.append(i)
            continue
        for e in gate[0]:
            by_evidence.setdefault(e, []).append(i)
        for p in gate[1]:
            by_phrase.setdefault(p, []).append(i)
    return _Index(
        rules,
        {k: tuple(v) for k, v in by_evidence.items()},
        {k: tuple(v) for k, v in by_phrase.items()},
        tuple(always),
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
    longest duration said (days) and ``said`` holds the phrase concepts found in the
    person's words. A rule none of whose gate evidences is present and none of whose gate
    phrases is said cannot hold and is not looked at further.
    """
    index = _index_of(rules)
    looked = set(index.always)
    for e in present:
        looked.update(index.by_evidence.get(e, ()))
    for p in said:
        looked.update(index.by_phrase.get(p, ()))
    return [
        rules[i]
        for i in sorted(looked)
        if all(any(_holds(c, present, age, said, days) for c in part) for part in rules[i].all_of)
    ]
